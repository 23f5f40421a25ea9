package profiles

import (
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// mutate returns a copy of p with one random change: the kinds of edit a
// release makes to a profile.
func mutate(rng *rand.Rand, p *Profile) *Profile {
	q := p.Clone()
	vals := []uint64{0, 1, 2, 4, 0x40, 0x5412, 0xffffffff}
	switch rng.IntN(10) {
	case 0:
		if len(q.Syscalls) > 0 {
			i := rng.IntN(len(q.Syscalls))
			q.Syscalls = append(q.Syscalls[:i], q.Syscalls[i+1:]...)
		}
	case 1:
		q.Syscalls = append(q.Syscalls, Rule{Names: []string{[]string{"ptrace", "read", "mmap", "ioctl"}[rng.IntN(4)]}})
	case 2, 3:
		for i := range q.Syscalls {
			for j := range q.Syscalls[i].Args {
				m := &q.Syscalls[i].Args[j].Match
				switch m.Op {
				case OpIn:
					m.Values = sortedUnique(append(m.Values, vals[rng.IntN(len(vals))]))
				case OpBits:
					m.Mask |= vals[rng.IntN(len(vals))]
				case OpRange:
					m.Lo = 0
				}
				return q
			}
		}
	case 4:
		for i := range q.Syscalls {
			if len(q.Syscalls[i].Args) > 0 {
				q.Syscalls[i].Args = q.Syscalls[i].Args[1:]
				return q
			}
		}
	case 5:
		q.DefaultAction = []Verdict{Allow, Errno(38), KillProcess}[rng.IntN(3)]
	case 6:
		q.ForeignArchAction = []Verdict{Allow, Errno(1), {Action: ActLog}}[rng.IntN(3)]
	case 7:
		q.UnknownErrno = 0
	case 8:
		if !q.HasArch("i386") {
			q.Architectures = append(q.Architectures, "i386")
		} else if len(q.Architectures) > 1 {
			q.Architectures = []string{"x86_64"}
			var keep []Rule
			for _, r := range q.Syscalls {
				if len(r.Arches) == 0 || r.AppliesTo("x86_64") {
					r.Arches = nil
					keep = append(keep, r)
				}
			}
			q.Syscalls = keep
		}
	case 9:
		q.Syscalls = append(q.Syscalls, Rule{Names: []string{"mmap"}, Args: []ArgCond{{Index: 2, Match: Matcher{Op: OpBits, Mask: 7}}}, Action: Verdict{Action: ActLog}})
	}
	if q.Validate() != nil {
		return p.Clone()
	}
	return q
}

// TestDiffNotWidenedIsSound: when Diff says NEW does not widen OLD, no
// sampled call NEW permits is one OLD refuses; and when a sampled call
// shows a widening, Diff says so.
func TestDiffNotWidenedIsSound(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var widened, total, unproven int
	for i := range 1500 {
		old := randomProfile(rng)
		var new *Profile
		switch i % 3 {
		case 0:
			new = randomProfile(rng)
		case 1:
			new = mutate(rng, old)
		default:
			new = mutate(rng, mutate(rng, old))
			old, new = new, old
		}
		rep := Diff(old, new)
		total++
		if rep.Widened() {
			widened++
		}
		for _, c := range rep.Changes {
			if strings.Contains(strings.Join(c.Details, ";"), "could not be proven") {
				unproven++
			}
		}
		for _, c := range sampleCalls(rng, 30, old, new) {
			vo, vn := Evaluate(old, c.audit, c.nr, c.args), Evaluate(new, c.audit, c.nr, c.args)
			if permits(vn) && !permits(vo) && !rep.Widened() {
				t.Fatalf("Diff says not widened, but NEW permits %+v (%v) and OLD answers %v\nOLD:\n%s\nNEW:\n%s\nreport: %v",
					c, vn, vo, mustMarshal(t, old), mustMarshal(t, new), rep.Changes)
			}
		}
	}
	t.Logf("%d of %d pairs widened; %d unproven site changes", widened, total, unproven)
	if widened == 0 || widened == total {
		t.Errorf("the generator gives no variety: %d of %d widened", widened, total)
	}
}

func TestDiffSameIsUnchanged(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for range 200 {
		p := randomProfile(rng)
		q := p.Clone()
		Canonicalize(q)
		rep := Diff(p, q)
		if rep.Changed() {
			t.Fatalf("a profile differs from its canonical form: %v\n%s", rep.Changes, mustMarshal(t, p))
		}
		m := mustMerge(t, MergeExact, p, randomProfile(rng))
		for _, c := range Diff(p, m).Changes {
			if c.Kind == Narrowed || c.Kind == Removed {
				t.Fatalf("merging narrowed: %v", c)
			}
		}
	}
}

func TestDiffKinds(t *testing.T) {
	prof := func(rules ...Rule) *Profile {
		return &Profile{DefaultAction: Errno(1), UnknownErrno: 38, ForeignArchAction: KillProcess, Architectures: []string{"x86_64"}, Syscalls: rules}
	}
	flags := func(m uint64) []ArgCond { return []ArgCond{{Index: 2, Match: Matcher{Op: OpBits, Mask: m}}} }
	cmd := func(vs ...uint64) []ArgCond { return []ArgCond{{Index: 1, Match: Matcher{Op: OpIn, Values: vs}}} }
	base := prof(Rule{Names: []string{"read", "write"}}, Rule{Names: []string{"openat"}, Args: flags(0x80000)}, Rule{Names: []string{"ioctl"}, Args: cmd(0x5401)})
	with := func(f func(p *Profile)) *Profile { p := base.Clone(); f(p); return p }
	type want struct {
		kind    ChangeKind
		syscall string
		details string
		risk    RiskLevel
		widens  bool
	}
	cases := []struct {
		name string
		new  *Profile
		want []want
	}{
		{name: "same", new: base.Clone()},
		{name: "added", new: with(func(p *Profile) { p.Syscalls = append(p.Syscalls, Rule{Names: []string{"ptrace"}}) }),
			want: []want{{Added, "ptrace", "now permitted: any arguments", RiskCritical, true}}},
		{name: "removed", new: with(func(p *Profile) { p.Syscalls[0].Names = []string{"read"} }),
			want: []want{{Removed, "write", "", RiskNone, false}}},
		{name: "flag-gained", new: with(func(p *Profile) { p.Syscalls[1].Args = flags(0x80040) }),
			want: []want{{Widened, "openat", "flags gains O_CREAT", RiskLow, true}}},
		{name: "value-gained", new: with(func(p *Profile) { p.Syscalls[2].Args = cmd(0x5401, 0x5412) }),
			want: []want{{Widened, "ioctl", "cmd gains TIOCSTI", RiskCritical, true}}},
		{name: "arg-freed", new: with(func(p *Profile) { p.Syscalls[2].Args = nil }),
			want: []want{{Widened, "ioctl", "cmd: any value (was in [TCGETS])", RiskCritical, true}}},
		{name: "narrowed", new: with(func(p *Profile) { p.Syscalls[1].Args = flags(0) }),
			want: []want{{Narrowed, "openat", "", RiskNone, false}}},
		{name: "default", new: with(func(p *Profile) { p.DefaultAction = Allow }),
			want: []want{
				{DefaultChanged, "", "default errno(EPERM) -> allow", RiskCritical, true},
				{Widened, "ioctl", "calls no rule matches now get the default allow", RiskCritical, true},
				{Widened, "openat", "calls no rule matches now get the default allow", RiskLow, true},
			}},
		{name: "default-errno", new: with(func(p *Profile) { p.DefaultAction = Errno(38) }),
			want: []want{{DefaultChanged, "", "default errno(EPERM) -> errno(ENOSYS)", RiskNone, false}}},
		{name: "unknown", new: with(func(p *Profile) { p.UnknownErrno = 0 }),
			want: []want{{UnknownErrnoChanged, "", "syscalls above the table: errno(ENOSYS) -> errno(EPERM)", RiskNone, false}}},
		{name: "foreign", new: with(func(p *Profile) { p.ForeignArchAction = Verdict{Action: ActLog} }),
			want: []want{{ForeignArchChanged, "", "foreign architectures: kill-process -> log", RiskCritical, true}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rep := Diff(base, tc.new)
			var got []want
			for _, c := range rep.Changes {
				if c.Kind == Unchanged {
					continue
				}
				got = append(got, want{c.Kind, c.Syscall, strings.Join(c.Details, "; "), c.Risk.Level, c.Widens})
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
			if w := len(tc.want) > 0 && tc.want[0].widens; rep.Widened() != w {
				t.Errorf("Widened() = %v, want %v", rep.Widened(), w)
			}
		})
	}
}

func TestDiffArchitectures(t *testing.T) {
	old := &Profile{DefaultAction: Errno(1), ForeignArchAction: KillProcess, Architectures: []string{"x86_64"}, Syscalls: []Rule{{Names: []string{"read"}}}}
	new := old.Clone()
	new.Architectures = []string{"x86_64", "i386"}
	rep := Diff(old, new)
	var kinds []string
	for _, c := range rep.Changes {
		kinds = append(kinds, c.Kind.String()+" "+c.Arch+" "+c.Syscall)
	}
	sort.Strings(kinds)
	want := []string{"added i386 read", "arch-added i386 ", "unchanged x86_64 read"}
	if !reflect.DeepEqual(kinds, want) || !rep.Widened() {
		t.Errorf("got %q (widened %v), want %q, widened", kinds, rep.Widened(), want)
	}
	if back := Diff(new, old); back.Widened() {
		t.Errorf("dropping an architecture widens: %v", back.Changes)
	}
}

func TestRiskTableSorted(t *testing.T) {
	for i := 1; i < len(RiskTable); i++ {
		a, b := RiskTable[i-1], RiskTable[i]
		if a.Syscall > b.Syscall || a.Syscall == b.Syscall && (a.Arg > b.Arg || a.Arg == b.Arg && a.Value >= b.Value) {
			t.Errorf("RiskTable not sorted at %d: %s after %s", i, b.Describe(), a.Describe())
		}
		if b.Reason == "" || strings.Contains(b.Reason, "\n") {
			t.Errorf("%s: want a one-line reason", b.Describe())
		}
	}
}

func TestRateRule(t *testing.T) {
	p := &Profile{DefaultAction: Errno(1), ForeignArchAction: KillProcess, Architectures: []string{"x86_64"}}
	prot := func(m uint64) []ArgCond { return []ArgCond{{Index: 2, Match: Matcher{Op: OpBits, Mask: m}}} }
	cases := []struct {
		name string
		rule Rule
		want RiskLevel
	}{
		{"plain", Rule{Names: []string{"read"}}, RiskNone},
		{"ptrace", Rule{Names: []string{"ptrace"}}, RiskCritical},
		{"denied-ptrace", Rule{Names: []string{"ptrace"}, Action: Errno(1)}, RiskNone},
		{"mmap-rw", Rule{Names: []string{"mmap"}, Args: prot(3)}, RiskNone},
		{"mmap-rwx", Rule{Names: []string{"mmap"}, Args: prot(7)}, RiskMedium},
		{"mmap-any", Rule{Names: []string{"mmap"}}, RiskMedium},
		{"ioctl-tcgets", Rule{Names: []string{"ioctl"}, Args: []ArgCond{{Index: 1, Match: Matcher{Op: OpIn, Values: []uint64{0x5401}}}}}, RiskNone},
		{"ioctl-any", Rule{Names: []string{"ioctl"}}, RiskCritical},
		{"clone-thread", Rule{Names: []string{"clone"}, Args: []ArgCond{{Index: 0, Match: Matcher{Op: OpBits, Mask: 0x3d0f00}}}}, RiskNone},
		{"clone-newuser", Rule{Names: []string{"clone"}, Args: []ArgCond{{Index: 0, Match: Matcher{Op: OpBits, Mask: 0x10000000}}}}, RiskHigh},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := RateRule(p, &tc.rule); got.Level != tc.want {
				t.Errorf("RateRule(%v) = %v, want %v", tc.rule, got, tc.want)
			}
		})
	}
}

// TestWriteDiff checks each format's shape on a widening report (the
// command's golden files hold the full texts).
func TestWriteDiff(t *testing.T) {
	old := &Profile{DefaultAction: Errno(1), Architectures: []string{"x86_64"}, Syscalls: []Rule{{Names: []string{"read"}, Action: Allow}}}
	new := old.Clone()
	new.Syscalls = append(new.Syscalls, Rule{Names: []string{"ptrace"}, Action: Allow})
	rep := Diff(old, new)
	v := DiffView{Old: "a.yaml", New: "b.yaml"}
	for format, want := range map[string][]string{
		"text":     {"a.yaml -> b.yaml: NEW allows calls OLD did not", "+ CRITICAL", "ptrace [x86_64]", "1 changed, 1 unchanged"},
		"json":     {`"widened": true`, `"unchanged": [`, `"x86_64/read"`},
		"markdown": {":warning:", "| `ptrace` | x86_64 | yes |", "<details>"},
	} {
		var b strings.Builder
		if err := rep.WriteDiff(&b, format, v); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		for _, w := range want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s lacks %q:\n%s", format, w, b.String())
			}
		}
		if strings.Contains(b.String(), "\x1b[") {
			t.Errorf("%s: colour without asking", format)
		}
	}
	var b strings.Builder
	if err := rep.WriteDiff(&b, "text", DiffView{Colour: true}); err != nil || !strings.Contains(b.String(), "\x1b[31m+") {
		t.Errorf("colour asked for, got %q (%v)", b.String(), err)
	}
	if err := rep.WriteDiff(&b, "xml", v); err == nil {
		t.Error("unknown format: no error")
	}
}
