package recorder

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/profile-dev/profile/internal/shim"
	"github.com/profile-dev/profile/trace"
)

// Sentinels callers branch on.
var (
	// ErrCommandNotFound: the workload's program does not exist; a shell
	// would exit 127.
	ErrCommandNotFound = shim.ErrCommandNotFound
	// ErrNotExecutable: the program cannot be executed; a shell would exit
	// 126.
	ErrNotExecutable = shim.ErrNotExecutable
	// ErrNotSupported: the backend is not available here.
	ErrNotSupported = fmt.Errorf("backend not supported: %w", errors.ErrUnsupported)
)

// Backend names.
const (
	BackendAuto  = "auto"
	BackendTrace = "trace"
	BackendEBPF  = "ebpf"
)

// Options says what to record and how.
type Options struct {
	// Argv is the workload's command line; Argv[0] is looked up in PATH.
	Argv []string
	// Backend is "auto" (or empty), "trace" or "ebpf".
	Backend string
	// Stdin, Stdout and Stderr are the workload's streams; nil inherits
	// this process's. *os.File values are passed through, not copied.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Log receives progress messages (the CLI's -v); nil discards them.
	Log io.Writer

	// pollOnly serves notifications as kernels before 6.6 must be served
	// (poll, then receive), so tests cover that path on newer kernels too.
	pollOnly bool
}

// Result is a recording.
type Result struct {
	Trace *trace.Trace
	// ExitStatus is the workload's exit status as a shell reports it
	// (128+N for signal N), or -1 when unknown.
	ExitStatus int
}

// Record runs opts.Argv to completion and returns every call it made.
//
// A workload that starts and ends gives a Result and a nil error, whatever
// its exit status. A cancelled context kills the workload's tree and still
// gives a Result, with Trace.Complete false. An error means nothing was
// recorded; it wraps ErrCommandNotFound or ErrNotExecutable when the
// program could not be started.
func Record(ctx context.Context, opts Options) (*Result, error) {
	if len(opts.Argv) == 0 {
		return nil, errors.New("record: empty command")
	}
	switch opts.Backend {
	case "", BackendAuto, BackendTrace:
	case BackendEBPF:
		return nil, fmt.Errorf("record: backend %s: %w (use %q)", opts.Backend, ErrNotSupported, BackendTrace)
	default:
		return nil, fmt.Errorf("record: unknown backend %q (want %s, %s or %s)", opts.Backend, BackendAuto, BackendTrace, BackendEBPF)
	}
	path, err := shim.Resolve(opts.Argv[0])
	if err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	return recordNotify(ctx, path, opts)
}

func logf(w io.Writer, format string, args ...any) {
	if w != nil {
		fmt.Fprintf(w, "record: "+format+"\n", args...)
	}
}
