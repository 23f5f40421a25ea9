package recorder

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/trace"
)

func record(t *testing.T, opts Options) *Result {
	t.Helper()
	var log bytes.Buffer
	if opts.Log == nil {
		opts.Log = &log
	}
	res, err := Record(context.Background(), opts)
	if err != nil {
		t.Fatalf("Record(%q): %v", opts.Argv, err)
	}
	if testing.Verbose() {
		t.Logf("log:\n%s", log.String())
	}
	return res
}

// calls returns the calls to a syscall (by name, on an arch).
func calls(tr *trace.Trace, arch *systab.Arch, name string) []trace.Call {
	nr, ok := arch.Nr(name)
	if !ok {
		return nil
	}
	var out []trace.Call
	for _, c := range tr.Calls {
		if c.Arch == arch.Name && c.Nr == nr {
			out = append(out, c)
		}
	}
	return out
}

func count(cs []trace.Call) uint64 {
	var n uint64
	for _, c := range cs {
		n += c.Count
	}
	return n
}

func TestShellPipeline(t *testing.T) {
	var out bytes.Buffer
	res := record(t, Options{Argv: []string{"sh", "-c", "ls / | sort | head -n 3"}, Stdout: &out})
	tr := res.Trace
	if res.ExitStatus != 0 || !tr.Complete {
		t.Fatalf("exit %d, complete %v, gaps %q", res.ExitStatus, tr.Complete, tr.Gaps)
	}
	if n := bytes.Count(out.Bytes(), []byte("\n")); n != 3 {
		t.Errorf("stdout has %d lines, want 3: %q", n, out.String())
	}
	x := systab.X86_64
	if got := count(calls(tr, x, "execve")); got < 4 {
		t.Errorf("%d execve calls, want at least 4 (sh, ls, sort, head)", got)
	}
	for _, alts := range [][]string{{"pipe", "pipe2"}, {"dup2", "dup3"}, {"wait4", "waitid"}, {"clone", "clone3", "fork", "vfork"}} {
		var n uint64
		for _, name := range alts {
			n += count(calls(tr, x, name))
		}
		if n == 0 {
			t.Errorf("no call to any of %v", alts)
		}
	}
	if tr.Provenance.Backend != "trace" || tr.Provenance.Kernel == "" || tr.Provenance.Machine == "" || tr.Provenance.Start.IsZero() || tr.Provenance.End.Before(tr.Provenance.Start) {
		t.Errorf("provenance %+v", tr.Provenance)
	}
	_ = os.Stdout
}
