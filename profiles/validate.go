package profiles

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/profile-dev/profile/internal/systab"
)

// locator finds where a field path was written, for error messages.
type locator func(path string) (line, col int, ok bool)

// checker builds ValidationErrors for one source.
type checker struct {
	file string
	loc  locator
}

// errf reports a problem at path, located at path or, failing that, at the
// nearest enclosing field that has a position.
func (c *checker) errf(path, format string, args ...any) *ValidationError {
	e := &ValidationError{File: c.file, Field: path, Msg: fmt.Sprintf(format, args...)}
	if c.loc == nil {
		return e
	}
	for p := path; ; p = parentPath(p) {
		if line, col, ok := c.loc(p); ok {
			e.Line, e.Col = line, col
			return e
		}
		if p == "" {
			return e
		}
	}
}

// parentPath strips the last component: "a.b[2]" -> "a.b" -> "a" -> "".
func parentPath(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func indexPath(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// Validate checks a profile built in code. Errors wrap ErrInvalid and carry
// the field path but no position.
func (p *Profile) Validate() error {
	c := &checker{}
	if err := c.validate(p); err != nil {
		return err
	}
	return nil
}

func (c *checker) validate(p *Profile) error {
	if err := c.verdict("defaultAction", p.DefaultAction); err != nil {
		return err
	}
	if p.UnknownErrno > systab.MaxErrno {
		return c.errf("unknownErrno", "errno %d above %d", p.UnknownErrno, systab.MaxErrno)
	}
	if err := c.verdict("foreignArchAction", p.ForeignArchAction); err != nil {
		return err
	}
	if err := c.architectures(p); err != nil {
		return err
	}
	for i := range p.Syscalls {
		if err := c.rule(p, indexPath("syscalls", i), &p.Syscalls[i]); err != nil {
			return err
		}
	}
	return c.counts(p)
}

func (c *checker) verdict(path string, v Verdict) error {
	if int(v.Action) >= len(actionNames) {
		return c.errf(path, "unknown action %d", v.Action)
	}
	if v.Action == ActErrno && v.Data > systab.MaxErrno {
		return c.errf(path, "errno %d above %d", v.Data, systab.MaxErrno)
	}
	return nil
}

func (c *checker) architectures(p *Profile) error {
	if len(p.Architectures) == 0 {
		return c.errf("architectures", "no architectures: list at least one of %s", archList())
	}
	seen := map[string]bool{}
	for i, n := range p.Architectures {
		path := indexPath("architectures", i)
		if a, ok := systab.ArchByName(n); !ok || a.Name != n {
			return c.errf(path, "unknown architecture %q (want one of %s)", n, archList())
		}
		if seen[n] {
			return c.errf(path, "architecture %q listed twice", n)
		}
		seen[n] = true
	}
	return nil
}

func archList() string {
	names := make([]string, len(systab.Arches))
	for i, a := range systab.Arches {
		names[i] = a.Name
	}
	return strings.Join(names, ", ")
}

// scope returns the architectures a rule applies to, resolved. Unknown names
// are left out (Validate reports them).
func (p *Profile) scope(r *Rule) []*systab.Arch {
	names := p.Architectures
	if len(r.Arches) > 0 {
		names = r.Arches
	}
	var out []*systab.Arch
	for _, n := range names {
		if a, ok := systab.ArchByName(n); ok && a.Name == n && p.HasArch(n) {
			out = append(out, a)
		}
	}
	return out
}

// argWide reports whether argument i of a rule is compared on 64 bits on
// any architecture the rule applies to, for one of its syscalls. It decides
// how negative numbers are read and written: -1 is 0xffffffff for an int
// and 0xffffffffffffffff for a long. Evaluate itself decides per syscall
// and architecture.
func (p *Profile) argWide(r *Rule, i int) bool {
	known := false
	for _, a := range p.scope(r) {
		for _, n := range r.Names {
			if _, ok := a.Nr(n); !ok {
				continue
			}
			known = true
			if systab.ArgWide(a, n, i) {
				return true
			}
		}
	}
	if known {
		return false
	}
	for _, a := range p.scope(r) {
		if a.Bits == 64 {
			return true
		}
	}
	return false
}

func (c *checker) rule(p *Profile, path string, r *Rule) error {
	if err := c.ruleArches(p, path, r); err != nil {
		return err
	}
	if err := c.ruleNames(p, path, r); err != nil {
		return err
	}
	if err := c.verdict(joinPath(path, "action"), r.Action); err != nil {
		return err
	}
	seen := map[int]string{}
	for j := range r.Args {
		a := &r.Args[j]
		apath := joinPath(path, "args."+argKey(p, r, a))
		if a.Index < 0 || a.Index >= systab.MaxArgs {
			return c.errf(apath, "argument index %d above %d", a.Index, systab.MaxArgs-1)
		}
		if a.Name != "" {
			if err := c.argName(p, apath, r, a.Name, a.Index); err != nil {
				return err
			}
		}
		if prev, dup := seen[a.Index]; dup {
			return c.errf(apath, "argument %d constrained twice (also as %s): put both conditions in one matcher or in two rules", a.Index, prev)
		}
		seen[a.Index] = argKey(p, r, a)
		if err := c.matcher(apath, a.Match, p.argWide(r, a.Index)); err != nil {
			return err
		}
	}
	return nil
}

func (c *checker) ruleArches(p *Profile, path string, r *Rule) error {
	for i, n := range r.Arches {
		ipath := indexPath(joinPath(path, "arches"), i)
		if a, ok := systab.ArchByName(n); !ok || a.Name != n {
			return c.errf(ipath, "unknown architecture %q (want one of %s)", n, archList())
		}
		if !p.HasArch(n) {
			return c.errf(ipath, "architecture %q is not in the profile's architectures (%s)", n, strings.Join(p.Architectures, ", "))
		}
	}
	return nil
}

func (c *checker) ruleNames(p *Profile, path string, r *Rule) error {
	npath := joinPath(path, "names")
	if len(r.Names) == 0 {
		return c.errf(npath, "no syscall names")
	}
	scope := p.scope(r)
	for i, n := range r.Names {
		if !knownOn(scope, n) {
			return c.errf(indexPath(npath, i), "unknown syscall %q (not in %s)", n, archNames(scope))
		}
	}
	return nil
}

func knownOn(arches []*systab.Arch, name string) bool {
	for _, a := range arches {
		if _, ok := a.Nr(name); ok {
			return true
		}
	}
	return false
}

func archNames(arches []*systab.Arch) string {
	names := make([]string, len(arches))
	for i, a := range arches {
		names[i] = a.Name
	}
	return strings.Join(names, ", ")
}

// argName checks that an argument key means index want for every syscall of
// the rule on every architecture where the syscall exists.
func (c *checker) argName(p *Profile, path string, r *Rule, key string, want int) error {
	idx, err := p.resolveArg(r, key)
	if err != nil {
		return c.errf(path, "%v", err)
	}
	if idx != want {
		return c.errf(path, "argument %q is argument %d, not %d", key, idx, want)
	}
	return nil
}

// resolveArg finds the index an argument key names for all syscalls of a
// rule. A key that names different positions for different syscalls (flags
// is argument 1 of open but 2 of openat) is an error.
func (p *Profile) resolveArg(r *Rule, key string) (int, error) {
	idx, by := -1, ""
	for _, a := range p.scope(r) {
		for _, n := range r.Names {
			if _, ok := a.Nr(n); !ok {
				continue
			}
			i, err := systab.ArgIndex(a, n, key)
			if err != nil {
				return 0, err
			}
			if idx >= 0 && i != idx {
				return 0, fmt.Errorf("argument %q is argument %d of %s but %d of %s: split the rule or write a%d/a%d", key, idx, by, i, n, idx, i)
			}
			idx, by = i, n
		}
	}
	if idx < 0 {
		return systab.ArgIndex(systab.X86_64, "", key)
	}
	return idx, nil
}

// argKey is how a condition is written: the name the rule used, else the
// kernel's name for the argument, else aN.
func argKey(p *Profile, r *Rule, a *ArgCond) string {
	if a.Name != "" {
		return a.Name
	}
	if a.Index >= 0 && a.Index < systab.MaxArgs {
		name := ""
		for _, arch := range p.scope(r) {
			for _, n := range r.Names {
				if _, ok := arch.Nr(n); !ok {
					continue
				}
				args := systab.Args(arch, n)
				if a.Index >= len(args) {
					return "a" + strconv.Itoa(a.Index)
				}
				if name != "" && args[a.Index].Name != name {
					return "a" + strconv.Itoa(a.Index)
				}
				name = args[a.Index].Name
			}
		}
		if name != "" {
			return name
		}
	}
	return "a" + strconv.Itoa(a.Index)
}

func (c *checker) matcher(path string, m Matcher, wide bool) error {
	fits := func(sub string, v uint64) error {
		if !wide && v > 0xffffffff {
			return c.errf(joinPath(path, sub), "value %#x does not fit a 32-bit argument", v)
		}
		return nil
	}
	switch m.Op {
	case OpIn:
		if len(m.Values) == 0 {
			return c.errf(joinPath(path, "in"), "empty set: no call could match")
		}
		for i, v := range m.Values {
			if err := fits(indexPath("in", i), v); err != nil {
				return err
			}
		}
	case OpBits:
		return fits("bits", m.Mask)
	case OpEq, OpNe:
		return fits(m.Op.String(), m.Value)
	case OpRange:
		if m.Lo > m.Hi {
			return c.errf(joinPath(path, "range"), "range [%d, %d] is empty: low above high", m.Lo, m.Hi)
		}
		if err := fits("range[0]", m.Lo); err != nil {
			return err
		}
		return fits("range[1]", m.Hi)
	case OpMasked:
		if err := fits("masked.mask", m.Mask); err != nil {
			return err
		}
		return fits("masked.value", m.Value)
	default:
		return c.errf(path, "matcher has no operator: want one of in, bits, eq, ne, range, masked")
	}
	return nil
}

func (c *checker) counts(p *Profile) error {
	arches := p.Arches()
	for _, n := range sortedKeys(p.Counts) {
		if !knownOn(arches, n) {
			return c.errf(joinPath("counts", n), "unknown syscall %q (not in %s)", n, archNames(arches))
		}
	}
	return nil
}
