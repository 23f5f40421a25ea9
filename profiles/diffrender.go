package profiles

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// DiffFormats are the formats WriteDiff renders.
var DiffFormats = []string{"text", "json", "markdown"}

// DiffView names the two sides of a report for rendering.
type DiffView struct {
	// Old and New name the profiles compared (file names, say).
	Old, New string
	// Colour paints the text format with ANSI colours (for a terminal).
	Colour bool
}

// WriteDiff renders a report as text (one line per change, details and risk
// reasons indented), JSON (changes ranked, unchanged pairs by name) or
// Markdown (a table for a pull-request comment).
func (r *Report) WriteDiff(w io.Writer, format string, v DiffView) error {
	var out []byte
	switch format {
	case "text":
		out = []byte(r.text(v))
	case "json":
		data, err := r.json(v)
		if err != nil {
			return fmt.Errorf("diff: %w", err)
		}
		out = data
	case "markdown":
		out = []byte(r.markdown(v))
	default:
		return fmt.Errorf("diff: format %q: want one of %s", format, strings.Join(DiffFormats, ", "))
	}
	_, err := w.Write(out)
	return err
}

func (r *Report) split() (changed []Change, unchanged int) {
	for _, c := range r.Changes {
		if c.Kind == Unchanged {
			unchanged++
		} else {
			changed = append(changed, c)
		}
	}
	return changed, unchanged
}

// Verdict sums a report up in one line.
func (r *Report) Verdict() string {
	switch {
	case r.Widened():
		return "NEW allows calls OLD did not (highest risk: " + r.MaxRisk().String() + ")"
	case r.Changed():
		return "NEW allows nothing OLD did not"
	}
	return "no change"
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

// subject is what a change is about: a syscall on an ABI, an ABI, or the
// profile's own actions.
func (c Change) subject() string {
	switch {
	case c.Syscall != "":
		return c.Syscall + " [" + c.Arch + "]"
	case c.Arch != "":
		return c.Arch
	}
	return "profile"
}

func (r *Report) text(v DiffView) string {
	var b strings.Builder
	changed, unchanged := r.split()
	fmt.Fprintf(&b, "%s -> %s: %s\n", v.Old, v.New, paint(v.Colour, ansiBold, r.Verdict()))
	for _, c := range changed {
		mark, colour := " ", ansiGreen
		if c.Widens {
			mark, colour = "+", ansiRed
		}
		risk := ""
		if c.Risk.Level > RiskNone {
			risk = paint(v.Colour, ansiYellow, strings.ToUpper(c.Risk.Level.String()))
		}
		fmt.Fprintf(&b, "%s %-8s %-16s %s\n", paint(v.Colour, colour, mark), risk, c.Kind, c.subject())
		for _, d := range c.Details {
			fmt.Fprintf(&b, "      %s\n", d)
		}
		for _, reason := range c.Risk.Reasons {
			fmt.Fprintf(&b, "      risk: %s\n", reason)
		}
	}
	fmt.Fprintf(&b, "%d changed, %d unchanged (syscall, architecture) pairs\n", len(changed), unchanged)
	return b.String()
}

// diffJSON is the JSON report: changes ranked, unchanged pairs listed by
// name only.
type diffJSON struct {
	Old       string    `json:"old"`
	New       string    `json:"new"`
	Widened   bool      `json:"widened"`
	MaxRisk   RiskLevel `json:"maxRisk"`
	Changes   []Change  `json:"changes"`
	Unchanged []string  `json:"unchanged"`
}

func (r *Report) json(v DiffView) ([]byte, error) {
	changed, _ := r.split()
	j := diffJSON{Old: v.Old, New: v.New, Widened: r.Widened(), MaxRisk: r.MaxRisk(), Changes: changed, Unchanged: []string{}}
	if j.Changes == nil {
		j.Changes = []Change{}
	}
	for _, c := range r.Changes {
		if c.Kind == Unchanged {
			j.Unchanged = append(j.Unchanged, c.Arch+"/"+c.Syscall)
		}
	}
	data, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// mdEscape keeps table cells in one cell.
func mdEscape(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "<", "&lt;", ">", "&gt;").Replace(s)
}

func (r *Report) markdown(v DiffView) string {
	var b strings.Builder
	changed, unchanged := r.split()
	fmt.Fprintf(&b, "### Seccomp profile diff: `%s` → `%s`\n\n", v.Old, v.New)
	icon := ":white_check_mark:"
	if r.Widened() {
		icon = ":warning:"
	}
	fmt.Fprintf(&b, "%s **%s**\n\n", icon, r.Verdict())
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
			for _, reason := range c.Risk.Reasons {
				reasons = append(reasons, fmt.Sprintf("- **%s** %s: %s", c.Risk.Level, mdEscape(c.subject()), mdEscape(reason)))
			}
		}
		if len(reasons) > 0 {
			b.WriteString("<details><summary>Why these risks</summary>\n\n" + strings.Join(reasons, "\n") + "\n\n</details>\n\n")
		}
	}
	fmt.Fprintf(&b, "%d changed, %d unchanged (syscall, architecture) pairs.\n", len(changed), unchanged)
	return b.String()
}
