package main

import (
	"io"
	"os"
	"slices"

	"github.com/spf13/cobra"

	"github.com/profile-dev/profile/profiles"
)

func diffCmd(g *globals) *cobra.Command {
	var format, failOn string
	cmd := &cobra.Command{
		Use:   "diff [--format text|json|markdown] [--fail-on widen|any|none] OLD NEW",
		Short: "Compare two profiles by meaning; exit 1 when NEW allows more",
		Long: `Compare two profiles (our YAML or OCI seccomp JSON, in any mix) by what they
allow, per syscall and architecture, with their argument conditions: added,
removed, widened (NEW allows calls OLD denied, with the new values or flags
named), narrowed and unchanged; and changes to the default, unknown-syscall
and foreign-architecture actions and to the architectures. Each change is
ranked by risk.

Exit status: 0 when nothing widened, 1 when NEW allows a call OLD did not
(--fail-on widen, the default; --fail-on any fails on any change, none never
fails), 2 on bad input.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return usageErr("diff: name exactly two profiles, OLD and NEW")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(profiles.DiffFormats, format) {
				return usageErr("--format %q: want text, json or markdown", format)
			}
			if failOn != "widen" && failOn != "any" && failOn != "none" {
				return usageErr("--fail-on %q: want widen, any or none", failOn)
			}
			old, err := loadDiffInput(args[0])
			if err != nil {
				return err
			}
			new, err := loadDiffInput(args[1])
			if err != nil {
				return err
			}
			rep := profiles.Diff(old, new)
			if err := rep.WriteDiff(g.stdout, format, profiles.DiffView{Old: args[0], New: args[1], Colour: colourful(g.stdout)}); err != nil {
				return withCode(exitUsage, err)
			}
			if failOn == "widen" && rep.Widened() || failOn == "any" && rep.Changed() {
				return exitStatus(exitFailure)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output: text, json or markdown")
	cmd.Flags().StringVar(&failOn, "fail-on", "widen", "exit 1 on: widen, any (change) or none")
	return cmd
}

// loadDiffInput loads a profile, and says so plainly when given a trace.
func loadDiffInput(path string) (*profiles.Profile, error) {
	if data, err := os.ReadFile(path); err == nil && isTrace(data) {
		return nil, usageErr("diff: %s is a trace, not a profile: learn a profile from it first (profile learn)", path)
	}
	return loadProfile(path)
}

// colourful reports whether w is a terminal that wants colour.
func colourful(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
