package systab

import (
	"sort"
	"strings"
	"sync"
)

//go:generate go run ./internal/gen -consts-extra data/consts-extra.tsv -consts-o zconsts.go

// Const is one symbolic constant of a family.
type Const struct {
	Name  string
	Value uint64
}

// familyDef is a family's generated description.
type familyDef struct {
	Name  string
	Flags bool
	// Masks are multi-bit fields (O_ACCMODE): known names, never used to
	// spell a value.
	Masks []string
	// BitNames, for an enum family, are the flag bits that may be ORed onto
	// one of its values (SOCK_CLOEXEC onto SOCK_STREAM).
	BitNames []string
}

// Family is a set of symbolic constants for one kind of argument on one
// architecture: the open flags, the ioctl requests, the address families.
type Family struct {
	Name string
	// Flags is true for bit sets; otherwise the family's values are an
	// enumeration.
	Flags  bool
	consts []Const // by value, the canonical name of each value first
	byName map[string]uint64
	masks  map[string]bool
	bits   map[string]bool
}

// Consts returns the family's members by value; where several names share a
// value, the canonical one comes first.
func (f *Family) Consts() []Const { return append([]Const(nil), f.consts...) }

// Value returns the value of a member.
func (f *Family) Value(name string) (uint64, bool) {
	v, ok := f.byName[name]
	return v, ok
}

// NameOf returns the canonical name of a value.
func (f *Family) NameOf(v uint64) (string, bool) {
	i := sort.Search(len(f.consts), func(i int) bool { return f.consts[i].Value >= v })
	if i < len(f.consts) && f.consts[i].Value == v && !f.masks[f.consts[i].Name] {
		return f.consts[i].Name, true
	}
	return "", false
}

// Spell writes v with the family's names: the canonical name when v has one,
// else names ORed together ("SOCK_STREAM|SOCK_CLOEXEC") when the names cover
// every set bit. A flag family ORs any of its members (widest first); an enum
// family one value plus its flag bits. It returns false when v cannot be
// spelt entirely with names.
func (f *Family) Spell(v uint64) (string, bool) {
	if n, ok := f.NameOf(v); ok {
		return n, true
	}
	var parts []string
	rest := v
	if !f.Flags {
		for _, c := range f.bitConsts() {
			if rest&c.Value == c.Value {
				parts = append(parts, c.Name)
				rest &^= c.Value
			}
		}
		base, ok := f.NameOf(rest)
		if !ok || len(parts) == 0 || f.bits[base] {
			return "", false
		}
		return strings.Join(append([]string{base}, parts...), "|"), true
	}
	for _, c := range f.widestFirst() {
		if c.Value != 0 && rest&c.Value == c.Value {
			parts = append(parts, c.Name)
			rest &^= c.Value
		}
	}
	if rest != 0 || len(parts) == 0 {
		return "", false
	}
	return strings.Join(parts, "|"), true
}

// bitConsts returns an enum family's flag bits in value order.
func (f *Family) bitConsts() []Const {
	var out []Const
	for _, c := range f.consts {
		if f.bits[c.Name] {
			out = append(out, c)
		}
	}
	return out
}

// widestFirst returns the canonical members with the most bits first, then
// by value, so O_SYNC (two bits) is preferred to O_DSYNC plus a bare bit.
func (f *Family) widestFirst() []Const {
	var out []Const
	for i, c := range f.consts {
		if (i == 0 || f.consts[i-1].Value != c.Value) && !f.masks[c.Name] {
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		pi, pj := popcount(out[i].Value), popcount(out[j].Value)
		if pi != pj {
			return pi > pj
		}
		return out[i].Value < out[j].Value
	})
	return out
}

func popcount(v uint64) int {
	n := 0
	for ; v != 0; v &= v - 1 {
		n++
	}
	return n
}

// familyArch is the architecture whose constants an ABI uses: x32 shares
// x86-64's.
func familyArch(a *Arch) string {
	if a == X32 {
		return X86_64.Name
	}
	return a.Name
}

var (
	familiesMu sync.Mutex
	families   = map[string]map[string]*Family{} // arch -> family name -> family
)

// familiesOf builds an architecture's families on first use: a recording
// needs one architecture's, and building all of them is a few ms of a
// short recording's start-up.
func familiesOf(arch string) map[string]*Family {
	familiesMu.Lock()
	defer familiesMu.Unlock()
	if m, ok := families[arch]; ok {
		return m
	}
	extra := archConsts[arch]
	m := map[string]*Family{}
	for _, d := range familyDefs {
		f := &Family{Name: d.Name, Flags: d.Flags, byName: map[string]uint64{}, masks: set(d.Masks), bits: set(d.BitNames)}
		f.consts = append(append(f.consts, commonConsts[d.Name]...), extra[d.Name]...)
		sort.SliceStable(f.consts, func(i, j int) bool { return f.consts[i].Value < f.consts[j].Value })
		for _, c := range f.consts {
			f.byName[c.Name] = c.Value
		}
		m[d.Name] = f
	}
	families[arch] = m
	return m
}

func set(ss []string) map[string]bool {
	m := make(map[string]bool, len(ss))
	for _, s := range ss {
		m[s] = true
	}
	return m
}

// FamilyByName returns a constant family as it is on an architecture.
func FamilyByName(a *Arch, name string) (*Family, bool) {
	f, ok := familiesOf(familyArch(a))[name]
	return f, ok
}

// FamilyNames lists the knowledge base's families in order.
func FamilyNames() []string {
	out := make([]string, len(familyDefs))
	for i, d := range familyDefs {
		out[i] = d.Name
	}
	return out
}

// Split spells the set bits of a mask with the family's names, widest
// first (for an enum family, only its flag bits), and returns the bits no
// name covers.
func (f *Family) Split(mask uint64) (names []string, rest uint64) {
	rest = mask
	cands := f.widestFirst()
	if !f.Flags {
		cands = f.bitConsts()
	}
	for _, c := range cands {
		if c.Value != 0 && rest&c.Value == c.Value {
			names = append(names, c.Name)
			rest &^= c.Value
		}
	}
	return names, rest
}
