package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/profile-dev/profile/emit/compile"
	"github.com/profile-dev/profile/generalize"
	"github.com/profile-dev/profile/internal/atomicfile"
	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/profiles"
	"github.com/profile-dev/profile/recorder"
	"github.com/profile-dev/profile/trace"
)

func checkCmd(g *globals) *cobra.Command {
	var profilePath, out, level string
	var fix bool
	cmd := &cobra.Command{
		Use:   "check --profile PROFILE [--fix -o NEW.yaml] -- CMD [ARG...]",
		Short: "Run a command under a profile in complain mode and list every call the profile would deny",
		Long: `Run a command under a profile in complain mode, as an ordinary user, and list
every call the profile would have denied: the syscall with its arguments
decoded, the executable that made it, and how often. The calls run anyway, so
the workload goes on as if it were unconfined.

The profile is compiled as profile run compiles it, except that every verdict
that refuses a call becomes a user notification: the calls the profile allows
never leave the kernel, and the refused ones are answered by check, which
lets them continue and notes them.

Exits 1 if any call was denied because the profile does not allow it, 0 if
none was, whatever the workload's own status (which is reported). Calls that a
rule of the profile denies on purpose (such as clone3 -> ENOSYS, which makes
C libraries fall back to clone) are listed too, but do not fail the check.
Exits 2 on bad input.

--fix -o NEW.yaml writes the profile plus what was missing: a profile is
learnt from the calls denied for want of a rule (--level) and merged into
the old one.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			argv, err := commandAfterDash(cmd, args)
			if err != nil {
				return err
			}
			switch {
			case profilePath == "":
				return usageErr("check: --profile is required")
			case fix && out == "":
				return usageErr("check: --fix needs -o NEW.yaml")
			case !fix && out != "":
				return usageErr("check: -o is the output of --fix")
			}
			lvl, err := generalize.ParseLevel(level)
			if err != nil {
				return usageErr("--level: %v", err)
			}
			if err := atomicfile.CheckWritable(out); err != nil {
				return usageErr("output %s: %v", out, errors.Unwrap(err))
			}
			p, err := loadProfile(profilePath)
			if err != nil {
				return err
			}
			return check(g, p, argv, fix, out, lvl)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&profilePath, "profile", "p", "", "the profile to check against (required)")
	f.BoolVar(&fix, "fix", false, "write the profile plus what was missing to -o")
	f.StringVarP(&out, "output", "o", "", "with --fix: where to write the fixed profile")
	f.StringVar(&level, "level", "balanced", "with --fix: generalisation of what was missing: strict, balanced or names")
	return cmd
}

// complainFilter compiles a profile for check: every refusing verdict
// becomes a user notification.
func complainFilter(p *profiles.Profile) (*compile.Program, error) {
	if err := coversNative("check", p); err != nil {
		return nil, err
	}
	prog, err := compile.Compile(p, compile.Options{})
	if err != nil {
		return nil, withCode(exitUsage, fmt.Errorf("check: %w", err))
	}
	return compile.NotifyNonAllow(prog), nil
}

func check(g *globals, p *profiles.Profile, argv []string, fix bool, out string, lvl generalize.Level) error {
	prog, err := complainFilter(p)
	if err != nil {
		return err
	}
	raw, err := prog.Raw()
	if err != nil {
		return withCode(exitFailure, err)
	}
	g.logf("compiled the profile in complain mode: %d instructions", prog.Len())
	res, err := recorder.Record(context.Background(), recorder.Options{
		Argv: argv, Backend: recorder.BackendTrace, Filter: raw, Executables: true,
		Stdin: g.stdin, Stdout: g.stdout, Stderr: g.stderr, Log: g.log(),
	})
	if err != nil {
		return recordError(err)
	}
	ds, err := classify(p, res)
	if err != nil {
		return withCode(exitFailure, err)
	}
	missing := printDenials(g.stderr, ds)
	t := res.Trace
	if res.ExitStatus != 0 {
		fmt.Fprintf(g.stderr, "profile: check: the workload exited with status %d\n", res.ExitStatus)
	}
	if !t.Complete {
		fmt.Fprintf(g.stderr, "profile: check: WARNING: the check is INCOMPLETE and may have missed calls: %s\n", strings.Join(t.Gaps, "; "))
	}
	if fix {
		if err := writeFix(g, p, t, ds, out, lvl); err != nil {
			return err
		}
	}
	switch {
	case missing > 0:
		return withCode(exitFailure, nil)
	case !t.Complete:
		return withCode(exitIncomplete, nil)
	}
	return nil
}

// denial is one line of check's report: a call as people read it, who made
// it, and why it would have been denied.
type denial struct {
	arch    string
	call    string // decoded, pointers elided
	exe     string
	verdict profiles.Verdict
	rule    int // index of the profile's rule that denies it, or -1 (no rule allows it)
	count   uint64
	keys    []trace.Key // the raw calls behind the line
}

func (d *denial) missing() bool { return d.rule < 0 }

// classify turns the recording into denials, checking each call against
// profiles.Evaluate: a call the profile permits cannot have been notified.
func classify(p *profiles.Profile, res *recorder.Result) ([]*denial, error) {
	byRule := denyingRules(p)
	lines := map[string]*denial{}
	var out []*denial
	for _, e := range res.Executables {
		arch, ok := systab.ArchByName(e.Call.Arch)
		if !ok {
			return nil, fmt.Errorf("check: call through unknown ABI %q", e.Call.Arch)
		}
		v := profiles.Evaluate(p, arch.Audit, e.Call.Nr, e.Call.Args)
		if permits(v) {
			return nil, fmt.Errorf("check: the complain filter reported %s/%s, which the profile allows (%s): filter and profile disagree", arch.Name, arch.FormatNr(e.Call.Nr), v)
		}
		d := &denial{arch: arch.Name, call: describeCall(arch, e.Call.Nr, e.Call.Args), exe: e.Path, verdict: v, rule: -1}
		for _, br := range byRule {
			if profiles.Evaluate(br.one, arch.Audit, e.Call.Nr, e.Call.Args) != unmatched {
				d.rule = br.index
				break
			}
		}
		id := strings.Join([]string{d.arch, d.call, d.exe, v.String(), strconv.Itoa(d.rule)}, "\x00")
		if have, ok := lines[id]; ok {
			d = have
		} else {
			lines[id] = d
			out = append(out, d)
		}
		d.count += e.Count
		d.keys = append(d.keys, e.Call)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		switch {
		case a.missing() != b.missing():
			return a.missing()
		case a.arch != b.arch:
			return a.arch < b.arch
		case a.call != b.call:
			return a.call < b.call
		}
		return a.exe < b.exe
	})
	return out, nil
}

func permits(v profiles.Verdict) bool {
	return v.Action == profiles.ActAllow || v.Action == profiles.ActLog
}

// oneRule is a profile holding one refusing rule of another, answering
// unmatched wherever the rule does not match.
type oneRule struct {
	index int
	one   *profiles.Profile
}

func denyingRules(p *profiles.Profile) []oneRule {
	var out []oneRule
	for i := range p.Syscalls {
		if permits(p.Syscalls[i].Action) {
			continue
		}
		one := p.Clone()
		one.Syscalls = []profiles.Rule{p.Syscalls[i]}
		one.DefaultAction, one.ForeignArchAction, one.UnknownErrno = unmatched, unmatched, 0
		out = append(out, oneRule{i, one})
	}
	return out
}

// printDenials prints the denials and returns how many distinct calls no rule
// allows.
func printDenials(w io.Writer, ds []*denial) int {
	var missing, intended []*denial
	for _, d := range ds {
		if d.missing() {
			missing = append(missing, d)
		} else {
			intended = append(intended, d)
		}
	}
	if len(missing) == 0 {
		fmt.Fprintln(w, "profile: check: the profile allows every call the workload made")
	} else {
		fmt.Fprintf(w, "profile: check: %s the profile would have denied:\n", howMany(missing))
		for _, d := range missing {
			fmt.Fprintf(w, "  %s\n", d)
		}
	}
	if len(intended) > 0 {
		fmt.Fprintf(w, "profile: check: %s denied on purpose by a rule of the profile (they ran here; under the profile they fail):\n", howMany(intended))
		for _, d := range intended {
			fmt.Fprintf(w, "  %s (rule %d)\n", d, d.rule+1)
		}
	}
	return len(missing)
}

func (d *denial) String() string {
	return fmt.Sprintf("%s/%s x%d by %s -> %s", d.arch, d.call, d.count, d.exe, d.verdict)
}

// howMany says "1 distinct call (3 in all)" or "2 distinct calls (2 in
// all)".
func howMany(ds []*denial) string {
	var n uint64
	for _, d := range ds {
		n += d.count
	}
	s := "s"
	if len(ds) == 1 {
		s = ""
	}
	return fmt.Sprintf("%d distinct call%s (%d in all)", len(ds), s, n)
}

// describeCall decodes a call for people: argument names from the kernel's
// declarations, values named through the knowledge base, pointers elided
// (seccomp sees only the address, and addresses would make every call
// distinct).
func describeCall(a *systab.Arch, nr uint32, args [systab.MaxArgs]uint64) string {
	name, ok := a.SyscallName(nr)
	if !ok {
		parts := make([]string, len(args))
		for i, v := range args {
			parts[i] = "0x" + strconv.FormatUint(v, 16)
		}
		return a.FormatNr(nr) + "(" + strings.Join(parts, ", ") + ")"
	}
	decl := systab.Args(a, name)
	n := len(decl)
	if n == 0 && systab.ArgKindOf(a, name, 0).Kind != systab.KindUnused {
		n = systab.MaxArgs // arguments the table does not describe
	}
	parts := make([]string, n)
	for i := range n {
		label := "a" + strconv.Itoa(i)
		if i < len(decl) {
			label = decl[i].Name
		}
		parts[i] = label + "=" + describeArg(a, name, i, args[i])
	}
	return name + "(" + strings.Join(parts, ", ") + ")"
}

func describeArg(a *systab.Arch, name string, i int, v uint64) string {
	info := systab.ArgKindOf(a, name, i)
	wide := systab.ArgWide(a, name, i)
	if !wide {
		v = uint64(uint32(v))
	}
	switch info.Kind {
	case systab.KindPointer:
		return "*"
	case systab.KindMode:
		return "0o" + strconv.FormatUint(v, 8)
	}
	if info.Family != "" {
		if f, ok := systab.FamilyByName(a, info.Family); ok {
			if s, ok := f.Spell(v); ok {
				return s
			}
		}
	}
	switch {
	case info.Kind == systab.KindFlags || info.Kind == systab.KindEnum:
		return "0x" + strconv.FormatUint(v, 16)
	case !wide:
		return strconv.FormatInt(int64(int32(v)), 10)
	case int64(v) < 0 && int64(v) > -1<<16:
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatUint(v, 10)
}

// writeFix learns a profile from the calls no rule allowed, merges it into
// the old one and writes the result.
func writeFix(g *globals, p *profiles.Profile, t *trace.Trace, ds []*denial, out string, lvl generalize.Level) error {
	want := map[trace.Key]bool{}
	for _, d := range ds {
		if d.missing() {
			for _, k := range d.keys {
				want[k] = true
			}
		}
	}
	fixed := p.Clone()
	if len(want) > 0 {
		learnt, err := learnMissing(p, t, want, lvl)
		if err != nil {
			return withCode(exitFailure, err)
		}
		if fixed, err = profiles.Merge(p, learnt); err != nil {
			return withCode(exitFailure, fmt.Errorf("check: --fix: %w", err))
		}
		fixed.Metadata = p.Clone().Metadata
	}
	profiles.Canonicalize(fixed)
	var unfixed int
	for _, c := range t.Calls {
		a, _ := systab.ArchByName(c.Arch)
		if want[c.Key()] && !permits(profiles.Evaluate(fixed, a.Audit, c.Nr, c.Args)) {
			unfixed++
			fmt.Fprintf(g.stderr, "profile: check: --fix cannot allow %s/%s (not in the syscall table)\n", a.Name, describeCall(a, c.Nr, c.Args))
		}
	}
	if err := atomicfile.Write(out, 0o644, func(w io.Writer) error { return profiles.Save(w, fixed) }); err != nil {
		return withCode(exitFailure, err)
	}
	fmt.Fprintf(g.stderr, "profile: check: wrote %s: the profile plus what it lacked (%d of %d distinct calls)\n", out, len(want)-unfixed, len(want))
	return nil
}

// learnMissing learns a profile from the trace's calls in want, with the
// old profile's defaults so that the two merge. Refusing rules the learner
// adds for syscalls the old profile already names (clone3 -> ENOSYS) are
// left out: the old profile's own answer stands.
func learnMissing(p *profiles.Profile, t *trace.Trace, want map[trace.Key]bool, lvl generalize.Level) (*profiles.Profile, error) {
	sub := *t
	sub.Calls = nil
	for _, c := range t.Calls {
		if want[c.Key()] {
			sub.Calls = append(sub.Calls, c)
		}
	}
	res, err := generalize.Generalize([]*trace.Trace{&sub}, generalize.Options{Level: lvl, Name: p.Metadata.Name, DefaultAction: p.DefaultAction})
	if err != nil {
		return nil, fmt.Errorf("check: --fix: %w", err)
	}
	learnt := res.Profile
	learnt.UnknownErrno, learnt.ForeignArchAction = p.UnknownErrno, p.ForeignArchAction
	named := map[string]bool{}
	for _, r := range p.Syscalls {
		for _, n := range r.Names {
			named[n] = true
		}
	}
	kept := learnt.Syscalls[:0]
	for _, r := range learnt.Syscalls {
		if !permits(r.Action) && anyNamed(r.Names, named) {
			continue
		}
		kept = append(kept, r)
	}
	learnt.Syscalls = kept
	return learnt, nil
}

func anyNamed(names []string, named map[string]bool) bool {
	for _, n := range names {
		if named[n] {
			return true
		}
	}
	return false
}
