package auditlog

import (
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/profile-dev/profile/generalize"
	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/profiles"
	"github.com/profile-dev/profile/trace"
)

func readFixture(t *testing.T, name string) *Result {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := Read(f, name)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return res
}

func callNames(tr *trace.Trace) []string {
	var out []string
	for _, c := range tr.Calls {
		out = append(out, c.Arch+"/"+c.Name+"x"+itoa(c.Count))
	}
	return out
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }

func TestFixtures(t *testing.T) {
	cases := []struct {
		file     string
		calls    []string
		skipped  []string // "line: part of the message"
		complete bool
	}{
		{
			file:     "x86_64-dmesg.log",
			calls:    []string{"x32/writex1", "x86_64/closex2", "x86_64/ptracex1", "x86_64/openatx1"},
			skipped:  []string{"6: syscall=: not a syscall number"},
			complete: true,
		},
		{
			file:     "x86_64-audit.log",
			calls:    []string{"x86_64/readx1", "x86_64/connectx1", "x86_64/sendtox1", "x86_64/openatx1"},
			skipped:  []string{"5: arch=zz"},
			complete: true,
		},
		{
			file:    "i386-journal.log",
			calls:   []string{"i386/writex1", "i386/openx1", "i386/socketcallx1", "x86_64/exit_groupx1"},
			skipped: []string{"6: arch=deadbeef: unknown architecture", "7: without arch="},
		},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			res := readFixture(t, tc.file)
			if got := callNames(res.Trace); !reflect.DeepEqual(got, tc.calls) {
				t.Errorf("calls %v, want %v", got, tc.calls)
			}
			if len(res.Skipped) != len(tc.skipped) {
				t.Fatalf("skipped %v, want %v", res.Skipped, tc.skipped)
			}
			for i, e := range res.Skipped {
				line, msg, _ := strings.Cut(tc.skipped[i], ": ")
				if itoa(uint64(e.Line)) != line || !strings.Contains(e.Msg, msg) || e.File != tc.file {
					t.Errorf("skipped[%d] = %v, want line %s with %q", i, e, line, msg)
				}
			}
			if res.Trace.Complete != tc.complete {
				t.Errorf("complete %v, want %v (gaps %v)", res.Trace.Complete, tc.complete, res.Trace.Gaps)
			}
			for _, c := range res.Trace.Calls {
				if c.ArgMask != 0 {
					t.Errorf("%v: audit records carry no arguments, mask %#x", c, c.ArgMask)
				}
			}
			if res.Trace.Provenance.Backend != Backend || res.Trace.Provenance.Start.IsZero() {
				t.Errorf("provenance %+v", res.Trace.Provenance)
			}
		})
	}
}

func TestEnrichmentMismatch(t *testing.T) {
	line := "type=SECCOMP msg=audit(1.0:1): pid=1 arch=c000003e syscall=0 compat=0 code=0x7ffc0000\x1dARCH=x86_64 SYSCALL=write\n" +
		"type=SECCOMP msg=audit(1.0:2): pid=1 arch=c000003e syscall=1 compat=0 code=0x7ffc0000\n"
	res, err := Read(strings.NewReader(line), "in")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Skipped) != 1 || res.Skipped[0].Line != 1 || !strings.Contains(res.Skipped[0].Msg, "SYSCALL=write, but x86_64 syscall 0 is read") {
		t.Errorf("skipped %v", res.Skipped)
	}
	if got := callNames(res.Trace); !reflect.DeepEqual(got, []string{"x86_64/writex1"}) {
		t.Errorf("calls %v", got)
	}
}

func TestNoRecords(t *testing.T) {
	for _, in := range []string{"", "[ 1.0] eth0: link up\n", "type=1326 audit(1.0:1): arch=c000003e\n"} {
		_, err := Read(strings.NewReader(in), "in")
		if !errors.Is(err, ErrNoRecords) {
			t.Errorf("Read(%q) = %v, want ErrNoRecords", in, err)
		}
	}
}

// TestLearnAllowsAnyArguments: audit records carry no arguments, so a
// profile learnt from them must allow each syscall whatever its arguments
// (an argument rule learnt from uncaptured arguments would deny the
// workload's real calls).
func TestLearnAllowsAnyArguments(t *testing.T) {
	res := readFixture(t, "i386-journal.log")
	learnt, err := generalize.Generalize([]*trace.Trace{res.Trace}, generalize.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := learnt.Profile
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range res.Trace.Calls {
		arch, _ := systab.ArchByName(c.Arch)
		for range 50 {
			var args [systab.MaxArgs]uint64
			for i := range args {
				args[i] = rng.Uint64() >> rng.IntN(64)
			}
			if v := profiles.Evaluate(p, arch.Audit, c.Nr, args); v != profiles.Allow {
				t.Fatalf("learnt profile answers %s%v with %v, want allow", c.Name, args, v)
			}
		}
	}
	if !p.HasArch("i386") || !p.HasArch("x86_64") {
		t.Errorf("architectures %v, want i386 and x86_64", p.Architectures)
	}
}
