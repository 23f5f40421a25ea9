package explain

import (
	"strings"
	"testing"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/profiles"
	"github.com/profile-dev/profile/trace"
)

const testProfile = `apiVersion: profile/v1
kind: SeccompProfile
metadata:
  name: demo
defaultAction: errno
defaultErrno: EPERM
architectures: [x86_64]
syscalls:
  - names: [read, write]
  - names: [mprotect]
    args:
      prot: {bits: [PROT_READ, PROT_WRITE]}
  - names: [ptrace]
    inferred: a test says so
counts: {read: 3, write: 2}
`

func call(t *testing.T, name string, count uint64, args ...uint64) trace.Call {
	t.Helper()
	nr, ok := systab.X86_64.Nr(name)
	if !ok {
		t.Fatalf("no %s", name)
	}
	c := trace.Call{Arch: "x86_64", Nr: nr, Name: name, ArgMask: trace.AllArgs, Count: count}
	copy(c.Args[:], args)
	return c
}

func TestWrite(t *testing.T) {
	p, err := profiles.Parse([]byte(testProfile), "demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tr := &trace.Trace{Version: trace.Version, Complete: true, Provenance: trace.Provenance{Command: []string{"demo", "--run"}},
		Calls: []trace.Call{
			call(t, "read", 3),
			call(t, "write", 2),
			call(t, "mprotect", 4, 0x1000, 0x1000, 1),
			call(t, "mprotect", 1, 0x2000, 0x1000, 3),
			call(t, "mprotect", 1, 0x3000, 0x1000, 4), // PROT_EXEC: the rule does not match it
		}}
	for _, c := range []struct {
		name  string
		trace *trace.Trace
		want  []string
	}{
		{"with the trace", tr, []string{
			"profile demo: default errno(EPERM), 3 rules on x86_64",
			"rule 1: read, write -> allow\n  arguments: any\n  observed: read 3 calls (1 distinct), write 2 calls (1 distinct), by demo --run",
			"rule 2: mprotect -> allow\n  constrains prot",
			"observed: mprotect 5 calls (2 distinct)",
			"seen prot",
			"rule 3: ptrace -> allow\n  arguments: any\n  inferred: a test says so",
			"risky rules (high or critical risk):\n  rule 3 (ptrace)",
		}},
		{"from the profile's counts", nil, []string{
			"observed: read 3, write 2 calls in the recording",
			"rule 2: mprotect -> allow\n  constrains prot",
			"observed (no counts in the profile; give --trace for details)",
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var b strings.Builder
			Write(&b, p, c.trace)
			for _, w := range c.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("missing %q in:\n%s", w, b.String())
				}
			}
		})
	}
}
