package profiles

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/profile-dev/profile/internal/systab"
)

// argFamilies returns the constant family of argument i of a rule on each
// architecture it applies to, or nil when the argument has no names there:
// when any of the rule's syscalls gives it no family, or two give it
// different ones. Values are then written as numbers.
func (p *Profile) argFamilies(r *Rule, i int) []*systab.Family {
	var out []*systab.Family
	name := ""
	for _, a := range p.scope(r) {
		for _, n := range r.Names {
			if _, ok := a.Nr(n); !ok {
				continue
			}
			info := systab.ArgKindOf(a, n, i)
			if info.Family == "" || name != "" && info.Family != name {
				return nil
			}
			name = info.Family
			f, ok := systab.FamilyByName(a, name)
			if !ok {
				return nil
			}
			out = append(out, f)
		}
	}
	return out
}

// symbolValue reads a name from the families: it must exist and mean the
// same value on every architecture the rule applies to.
func symbolValue(fams []*systab.Family, name string) (uint64, error) {
	if len(fams) == 0 {
		return 0, fmt.Errorf("%s is not a number, and this argument has no symbolic names", name)
	}
	var v uint64
	for i, f := range fams {
		w, ok := f.Value(name)
		if !ok {
			return 0, fmt.Errorf("unknown name %s for this argument (family %s)", name, f.Name)
		}
		if i > 0 && w != v {
			return 0, fmt.Errorf("%s differs between the rule's architectures (%#x, %#x): split the rule with arches", name, v, w)
		}
		v = w
	}
	return v, nil
}

// isSymbolic reports whether a scalar is written with names rather than as a
// number.
func isSymbolic(s string) bool {
	if s == "" {
		return false
	}
	c := s[0]
	return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || strings.Contains(s, "|")
}

// spell writes v with names when every family spells it the same way.
func spell(fams []*systab.Family, v uint64) (string, bool) {
	if len(fams) == 0 {
		return "", false
	}
	s, ok := fams[0].Spell(v)
	if !ok {
		return "", false
	}
	for _, f := range fams[1:] {
		if t, ok := f.Spell(v); !ok || t != s {
			return "", false
		}
	}
	return s, true
}

// splitMask writes a mask's bits as names where every family agrees, and
// returns the bits left to write as numbers.
func splitMask(fams []*systab.Family, mask uint64) ([]string, uint64) {
	if len(fams) == 0 {
		return nil, mask
	}
	names, rest := fams[0].Split(mask)
	for _, f := range fams[1:] {
		n, r := f.Split(mask)
		if r != rest || strings.Join(n, "|") != strings.Join(names, "|") {
			return nil, mask
		}
	}
	return names, rest
}

// FormatArg renders one argument condition of a rule as the profile's YAML
// writes it ("flags: {bits: [O_CLOEXEC]}"), names included.
func (p *Profile) FormatArg(r *Rule, c ArgCond) string {
	n := encodeMatcher(c.Match, p.argWide(r, c.Index), p.argFamilies(r, c.Index))
	out, err := yaml.Marshal(n)
	if err != nil {
		return argKey(p, r, &c) + ": " + c.Match.String()
	}
	return argKey(p, r, &c) + ": " + strings.TrimSpace(string(out))
}
