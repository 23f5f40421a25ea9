//go:build linux

package shim

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"

	"golang.org/x/net/bpf"
)

func TestProgramRoundTrip(t *testing.T) {
	prog := []bpf.RawInstruction{
		{Op: 0x20, K: 4},
		{Op: 0x15, Jt: 1, Jf: 2, K: 0xc000003e},
		{Op: 0x06, K: 0x7fff0000},
	}
	got, err := decodeProgram(encodeProgram(prog))
	if err != nil || !slices.Equal(got, prog) {
		t.Fatalf("round trip: %v, %v; want %v", got, err, prog)
	}
	for _, bad := range [][]byte{nil, make([]byte, 7), make([]byte, 9)} {
		if _, err := decodeProgram(bad); err == nil {
			t.Errorf("decodeProgram(%d bytes) accepted", len(bad))
		}
	}
}

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain")
	if err := os.WriteFile(plain, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		want error
	}{
		{"sh", nil},
		{"/bin/sh", nil},
		{"", ErrCommandNotFound},
		{"no-such-command-for-profile", ErrCommandNotFound},
		{filepath.Join(dir, "missing"), ErrCommandNotFound},
		{plain, ErrNotExecutable},
		{dir, ErrNotExecutable},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := Resolve(c.name)
			if !errors.Is(err, c.want) || (err == nil && p == "") {
				t.Errorf("Resolve(%q) = %q, %v; want %v", c.name, p, err, c.want)
			}
		})
	}
}

func TestExitStatus(t *testing.T) {
	for _, c := range []struct {
		ws   syscall.WaitStatus
		want int
	}{
		{0, 0},
		{7 << 8, 7},
		{syscall.WaitStatus(syscall.SIGTERM), 143},
		{syscall.WaitStatus(syscall.SIGKILL) | 0x80, 137}, // core dump bit
	} {
		if got := ExitStatus(c.ws); got != c.want {
			t.Errorf("ExitStatus(%#x) = %d, want %d", uint32(c.ws), got, c.want)
		}
	}
}
