//go:build !linux || !amd64

package ebpf

import "github.com/profile-dev/profile/trace"

// Recorder is not available on this platform.
type Recorder struct{}

// Open returns ErrNotSupported: the program reads x86-64 registers.
func Open(cfg Config, t Target) (*Recorder, error) { return nil, ErrNotSupported }

// Counters returns ErrNotSupported.
func (r *Recorder) Counters() (Stats, error) { return Stats{}, ErrNotSupported }

// Stats returns ErrNotSupported.
func (r *Recorder) Stats() (Stats, int, error) { return Stats{}, 0, ErrNotSupported }

// Calls returns ErrNotSupported.
func (r *Recorder) Calls() ([]trace.Call, []string, error) { return nil, nil, ErrNotSupported }

// Tracked returns ErrNotSupported.
func (r *Recorder) Tracked() (int, error) { return 0, ErrNotSupported }

// Close does nothing.
func (r *Recorder) Close() error { return nil }

// Detach does nothing.
func (r *Recorder) Detach() error { return nil }

// Program says no program runs.
func (r *Recorder) Program() string { return "none" }
