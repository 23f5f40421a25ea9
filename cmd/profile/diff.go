package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

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
			render, ok := diffRenderers[format]
			if !ok {
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
			if err := render(g.stdout, diffView{old: args[0], new: args[1], rep: rep, colour: colourful(g.stdout)}); err != nil {
				return withCode(exitUsage, fmt.Errorf("diff: %w", err))
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

// diffView is what the renderers print.
type diffView struct {
	old, new string
	rep      *profiles.Report
	colour   bool
}

func (v diffView) changes() (changed []profiles.Change, unchanged int) {
	for _, c := range v.rep.Changes {
		if c.Kind == profiles.Unchanged {
			unchanged++
		} else {
			changed = append(changed, c)
		}
	}
	return changed, unchanged
}

func (v diffView) verdict() string {
	switch {
	case v.rep.Widened():
		return "NEW allows calls OLD did not (highest risk: " + v.rep.MaxRisk().String() + ")"
	case v.rep.Changed():
		return "NEW allows nothing OLD did not"
	}
	return "no change"
}

var diffRenderers = map[string]func(io.Writer, diffView) error{
	"text":     renderDiffText,
	"json":     renderDiffJSON,
	"markdown": renderDiffMarkdown,
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

const (
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiBold   = "\x1b[1m"
	ansiReset  = "\x1b[0m"
)

func paint(on bool, code, s string) string {
	if !on {
		return s
	}
	return code + s + ansiReset
}

func subject(c profiles.Change) string {
	switch {
	case c.Syscall != "":
		return c.Syscall + " [" + c.Arch + "]"
	case c.Arch != "":
		return c.Arch
	}
	return "profile"
}

func renderDiffText(w io.Writer, v diffView) error {
	var b strings.Builder
	changed, unchanged := v.changes()
	fmt.Fprintf(&b, "%s -> %s: %s\n", v.old, v.new, paint(v.colour, ansiBold, v.verdict()))
	for _, c := range changed {
		mark, colour := " ", ansiGreen
		if c.Widens {
			mark, colour = "+", ansiRed
		}
		risk := ""
		if c.Risk.Level > profiles.RiskNone {
			risk = paint(v.colour, ansiYellow, strings.ToUpper(c.Risk.Level.String()))
		}
		fmt.Fprintf(&b, "%s %-8s %-16s %s\n", paint(v.colour, colour, mark), risk, c.Kind, subject(c))
		for _, d := range c.Details {
			fmt.Fprintf(&b, "      %s\n", d)
		}
		for _, r := range c.Risk.Reasons {
			fmt.Fprintf(&b, "      risk: %s\n", r)
		}
	}
	fmt.Fprintf(&b, "%d changed, %d unchanged (syscall, architecture) pairs\n", len(changed), unchanged)
	_, err := io.WriteString(w, b.String())
	return err
}

// diffJSON is the JSON report: changes ranked, unchanged pairs listed by
// name only.
type diffJSON struct {
	Old       string             `json:"old"`
	New       string             `json:"new"`
	Widened   bool               `json:"widened"`
	MaxRisk   profiles.RiskLevel `json:"maxRisk"`
	Changes   []profiles.Change  `json:"changes"`
	Unchanged []string           `json:"unchanged"`
}

func renderDiffJSON(w io.Writer, v diffView) error {
	changed, _ := v.changes()
	j := diffJSON{Old: v.old, New: v.new, Widened: v.rep.Widened(), MaxRisk: v.rep.MaxRisk(), Changes: changed, Unchanged: []string{}}
	if j.Changes == nil {
		j.Changes = []profiles.Change{}
	}
	for _, c := range v.rep.Changes {
		if c.Kind == profiles.Unchanged {
			j.Unchanged = append(j.Unchanged, c.Arch+"/"+c.Syscall)
		}
	}
	data, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// mdEscape keeps table cells in one cell.
func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "<", "&lt;", ">", "&gt;").Replace(s)
}

func renderDiffMarkdown(w io.Writer, v diffView) error {
	var b strings.Builder
	changed, unchanged := v.changes()
	fmt.Fprintf(&b, "### Seccomp profile diff: `%s` → `%s`\n\n", v.old, v.new)
	icon := ":white_check_mark:"
	if v.rep.Widened() {
		icon = ":warning:"
	}
	fmt.Fprintf(&b, "%s **%s**\n\n", icon, v.verdict())
	if len(changed) > 0 {
		b.WriteString("| Risk | Change | Syscall | Arch | Widens | Details |\n|---|---|---|---|---|---|\n")
		for _, c := range changed {
			widens := ""
			if c.Widens {
				widens = "yes"
			}
			sys := ""
			if c.Syscall != "" {
				sys = "`" + c.Syscall + "`"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", c.Risk.Level, c.Kind, sys, c.Arch, widens, mdEscape(strings.Join(c.Details, "; ")))
		}
		b.WriteString("\n")
		var reasons []string
		for _, c := range changed {
			for _, r := range c.Risk.Reasons {
				reasons = append(reasons, fmt.Sprintf("- **%s** %s: %s", c.Risk.Level, mdEscape(subject(c)), mdEscape(r)))
			}
		}
		if len(reasons) > 0 {
			b.WriteString("<details><summary>Why these risks</summary>\n\n" + strings.Join(reasons, "\n") + "\n\n</details>\n\n")
		}
	}
	fmt.Fprintf(&b, "%d changed, %d unchanged (syscall, architecture) pairs.\n", len(changed), unchanged)
	_, err := io.WriteString(w, b.String())
	return err
}
