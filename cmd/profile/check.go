package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/profile-dev/profile/check"
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
			return runCheck(g, p, argv, fix, out, lvl)
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

func runCheck(g *globals, p *profiles.Profile, argv []string, fix bool, out string, lvl generalize.Level) error {
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
	obs := make([]check.Observation, len(res.Executables))
	for i, e := range res.Executables {
		obs[i] = check.Observation{Call: e.Call, Exe: e.Path, Count: e.Count}
	}
	ds, err := check.Classify(p, obs)
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

// printDenials prints the denials and returns how many distinct calls no rule
// allows.
func printDenials(w io.Writer, ds []*check.Denial) int {
	var missing, intended []*check.Denial
	for _, d := range ds {
		if d.Missing() {
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
			fmt.Fprintf(w, "  %s (rule %d)\n", d, d.Rule+1)
		}
	}
	return len(missing)
}

// howMany says "1 distinct call (3 in all)" or "2 distinct calls (2 in
// all)".
func howMany(ds []*check.Denial) string {
	var n uint64
	for _, d := range ds {
		n += d.Count
	}
	s := "s"
	if len(ds) == 1 {
		s = ""
	}
	return fmt.Sprintf("%d distinct call%s (%d in all)", len(ds), s, n)
}

// writeFix writes the profile plus what it lacked.
func writeFix(g *globals, p *profiles.Profile, t *trace.Trace, ds []*check.Denial, out string, lvl generalize.Level) error {
	fixed, unfixed, err := check.Fix(p, t, ds, lvl)
	if err != nil {
		return withCode(exitFailure, err)
	}
	for _, c := range unfixed {
		a, _ := systab.ArchByName(c.Arch)
		fmt.Fprintf(g.stderr, "profile: check: --fix cannot allow %s/%s (not in the syscall table)\n", a.Name, check.DescribeCall(a, c.Nr, c.Args))
	}
	if err := atomicfile.Write(out, 0o644, func(w io.Writer) error { return profiles.Save(w, fixed) }); err != nil {
		return withCode(exitFailure, err)
	}
	wanted := map[trace.Key]bool{}
	for _, d := range ds {
		if d.Missing() {
			for _, k := range d.Keys {
				wanted[k] = true
			}
		}
	}
	fmt.Fprintf(g.stderr, "profile: check: wrote %s: the profile plus what it lacked (%d of %d distinct calls)\n", out, len(wanted)-len(unfixed), len(wanted))
	return nil
}
