package main

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/profiles"
)

// Policy is a benchmark policy in the small text format of
// ../shared/data/bench/POLICY-FORMAT.txt, kept close to what libseccomp
// takes (one rule per line, "in" as one rule per value) so both compilers
// get the same input.
type Policy struct {
	Default  Action
	Rules    []PRule
	Priority map[string]int // libseccomp hints only
	// Skipped are names the x86-64 table does not know (32-bit-only
	// syscalls in B); every compiler skips them.
	Skipped []string
}

// Action is a policy action: kind allow, errno, kill_process, kill_thread,
// trap, log, trace or user_notif, with its number for errno and trace.
type Action struct {
	Kind string
	N    uint16
}

// PRule is one line: the action when every condition holds.
type PRule struct {
	Action  Action
	Syscall string
	Nr      uint32
	Conds   []Cond
}

// Cond is "a<Arg> <Op> <Value>", or "a<Arg> & <Mask> == <Value>" (Op
// "&=="). "in" is expanded to one rule per value before it reaches here.
type Cond struct {
	Arg         int
	Op          string
	Mask, Value uint64
}

// ParsePolicy reads the text format. Errors name the line.
func ParsePolicy(r io.Reader, arch *systab.Arch) (*Policy, error) {
	p := &Policy{Default: Action{Kind: "kill_process"}, Priority: map[string]int{}}
	sc := bufio.NewScanner(r)
	ln := 0
	skipped := map[string]bool{}
	for sc.Scan() {
		ln++
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if err := p.statement(f, arch, skipped); err != nil {
			return nil, fmt.Errorf("line %d: %w", ln, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	for n := range skipped {
		p.Skipped = append(p.Skipped, n)
	}
	sort.Strings(p.Skipped)
	return p, nil
}

func (p *Policy) statement(f []string, arch *systab.Arch, skipped map[string]bool) error {
	switch f[0] {
	case "default":
		a, rest, err := parseAction(f[1:])
		if err != nil {
			return err
		}
		if len(rest) != 0 {
			return fmt.Errorf("default: unexpected %q", strings.Join(rest, " "))
		}
		p.Default = a
		return nil
	case "priority":
		if len(f) != 3 {
			return fmt.Errorf("priority: want a syscall and 0-255")
		}
		n, err := strconv.ParseUint(f[2], 0, 8)
		if err != nil {
			return fmt.Errorf("priority %s: %w", f[2], err)
		}
		p.Priority[f[1]] = int(n)
		return nil
	}
	a, rest, err := parseAction(f)
	if err != nil {
		return err
	}
	if len(rest) == 0 {
		return fmt.Errorf("%s: no syscall", a.Kind)
	}
	name := rest[0]
	nr, ok := arch.Nr(name)
	if !ok {
		skipped[name] = true
		return nil
	}
	alts, err := parseConds(strings.Join(rest[1:], " "))
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	for _, conds := range alts {
		p.Rules = append(p.Rules, PRule{Action: a, Syscall: name, Nr: nr, Conds: conds})
	}
	return nil
}

func parseAction(f []string) (Action, []string, error) {
	if len(f) == 0 {
		return Action{}, nil, fmt.Errorf("missing action")
	}
	switch f[0] {
	case "allow", "kill_process", "kill_thread", "trap", "log", "user_notif":
		return Action{Kind: f[0]}, f[1:], nil
	case "errno", "trace":
		if len(f) < 2 {
			return Action{}, nil, fmt.Errorf("%s: missing number", f[0])
		}
		n, err := strconv.ParseUint(f[1], 0, 16)
		if err != nil {
			return Action{}, nil, fmt.Errorf("%s %s: %w", f[0], f[1], err)
		}
		return Action{Kind: f[0], N: uint16(n)}, f[2:], nil
	}
	return Action{}, nil, fmt.Errorf("action %q unknown", f[0])
}

// parseConds reads "c1 && c2 ..." and returns the alternatives: a
// condition "in {v1,...}" multiplies them, one per value.
func parseConds(s string) ([][]Cond, error) {
	alts := [][]Cond{nil}
	if strings.TrimSpace(s) == "" {
		return alts, nil
	}
	for _, part := range strings.Split(s, "&&") {
		f := strings.Fields(part)
		if len(f) < 3 || len(f[0]) != 2 || f[0][0] != 'a' || f[0][1] < '0' || f[0][1] > '5' {
			return nil, fmt.Errorf("condition %q: want a0..a5 <op> <value>", strings.TrimSpace(part))
		}
		arg := int(f[0][1] - '0')
		var opts []Cond
		switch {
		case f[1] == "in":
			set := strings.TrimSpace(strings.Join(f[2:], ""))
			if !strings.HasPrefix(set, "{") || !strings.HasSuffix(set, "}") {
				return nil, fmt.Errorf("condition %q: want in {v1,v2,...}", strings.TrimSpace(part))
			}
			for _, v := range strings.Split(set[1:len(set)-1], ",") {
				n, err := parseValue(v)
				if err != nil {
					return nil, err
				}
				opts = append(opts, Cond{Arg: arg, Op: "==", Value: n})
			}
		case f[1] == "&":
			if len(f) != 5 || f[3] != "==" {
				return nil, fmt.Errorf("condition %q: want a<i> & <mask> == <value>", strings.TrimSpace(part))
			}
			m, err := parseValue(f[2])
			if err != nil {
				return nil, err
			}
			v, err := parseValue(f[4])
			if err != nil {
				return nil, err
			}
			opts = []Cond{{Arg: arg, Op: "&==", Mask: m, Value: v}}
		default:
			switch f[1] {
			case "==", "!=", "<", "<=", ">", ">=":
			default:
				return nil, fmt.Errorf("condition %q: operator %q unknown", strings.TrimSpace(part), f[1])
			}
			if len(f) != 3 {
				return nil, fmt.Errorf("condition %q: one value", strings.TrimSpace(part))
			}
			v, err := parseValue(f[2])
			if err != nil {
				return nil, err
			}
			opts = []Cond{{Arg: arg, Op: f[1], Value: v}}
		}
		var next [][]Cond
		for _, a := range alts {
			for _, o := range opts {
				next = append(next, append(append([]Cond(nil), a...), o))
			}
		}
		alts = next
	}
	return alts, nil
}

// parseValue reads a C integer literal: decimal, 0x hex or 0 octal.
func parseValue(s string) (uint64, error) {
	s = strings.TrimSpace(s)
	base := 10
	switch {
	case strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X"):
		s, base = s[2:], 16
	case len(s) > 1 && s[0] == '0':
		s, base = s[1:], 8
	}
	v, err := strconv.ParseUint(s, base, 64)
	if err != nil {
		return 0, fmt.Errorf("value %q: %w", s, err)
	}
	return v, nil
}

// Verdict is the profile verdict of a policy action.
func (a Action) Verdict() (profiles.Verdict, error) {
	switch a.Kind {
	case "allow":
		return profiles.Allow, nil
	case "errno":
		return profiles.Errno(a.N), nil
	case "kill_process":
		return profiles.KillProcess, nil
	case "kill_thread":
		return profiles.Verdict{Action: profiles.ActKillThread}, nil
	case "trap":
		return profiles.Verdict{Action: profiles.ActTrap}, nil
	case "log":
		return profiles.Verdict{Action: profiles.ActLog}, nil
	case "trace":
		return profiles.Verdict{Action: profiles.ActTrace, Data: a.N}, nil
	}
	return profiles.Verdict{}, fmt.Errorf("action %s: no profile equivalent", a.Kind)
}

// Profile is the policy as a profile for arch, with the workload's counts
// as hints and the foreign-arch action libseccomp uses (kill). unknownErrno
// is the profile's answer above the table (0: the default action, as
// libseccomp does).
func (p *Policy) Profile(arch *systab.Arch, counts map[string]uint64, unknownErrno uint16) (*profiles.Profile, error) {
	def, err := p.Default.Verdict()
	if err != nil {
		return nil, err
	}
	prof := &profiles.Profile{
		Metadata:          profiles.Metadata{Name: "bench"},
		DefaultAction:     def,
		UnknownErrno:      unknownErrno,
		ForeignArchAction: profiles.KillProcess,
		Architectures:     []string{arch.Name},
		Counts:            counts,
	}
	// One rule per line, except that lines differing only in the value of
	// one equality (the "in" sugar) become one set: the same meaning.
	type setKey struct {
		name, action, rest string
		arg                int
	}
	sets := map[setKey]int{}
	for _, r := range p.Rules {
		v, err := r.Action.Verdict()
		if err != nil {
			return nil, err
		}
		rule := profiles.Rule{Names: []string{r.Syscall}, Action: v}
		for _, c := range r.Conds {
			rule.Args = append(rule.Args, profiles.ArgCond{Index: c.Arg, Name: fmt.Sprintf("a%d", c.Arg), Match: c.matcher()})
		}
		if len(r.Conds) == 1 && r.Conds[0].Op == "==" {
			k := setKey{name: r.Syscall, action: v.String(), arg: r.Conds[0].Arg}
			if i, ok := sets[k]; ok {
				m := &prof.Syscalls[i].Args[0].Match
				m.Values = append(m.Values, r.Conds[0].Value)
				slices.Sort(m.Values)
				m.Values = slices.Compact(m.Values)
				continue
			}
			rule.Args[0].Match = profiles.Matcher{Op: profiles.OpIn, Values: []uint64{r.Conds[0].Value}}
			sets[k] = len(prof.Syscalls)
		}
		prof.Syscalls = append(prof.Syscalls, rule)
	}
	return prof, nil
}

func (c Cond) matcher() profiles.Matcher {
	const maxU = ^uint64(0)
	switch c.Op {
	case "==":
		return profiles.Matcher{Op: profiles.OpEq, Value: c.Value}
	case "!=":
		return profiles.Matcher{Op: profiles.OpNe, Value: c.Value}
	case "<":
		if c.Value == 0 {
			return profiles.Matcher{Op: profiles.OpRange, Lo: 1, Hi: 0} // empty
		}
		return profiles.Matcher{Op: profiles.OpRange, Lo: 0, Hi: c.Value - 1}
	case "<=":
		return profiles.Matcher{Op: profiles.OpRange, Lo: 0, Hi: c.Value}
	case ">":
		if c.Value == maxU {
			return profiles.Matcher{Op: profiles.OpRange, Lo: 1, Hi: 0}
		}
		return profiles.Matcher{Op: profiles.OpRange, Lo: c.Value + 1, Hi: maxU}
	case ">=":
		return profiles.Matcher{Op: profiles.OpRange, Lo: c.Value, Hi: maxU}
	}
	return profiles.Matcher{Op: profiles.OpMasked, Mask: c.Mask, Value: c.Value}
}
