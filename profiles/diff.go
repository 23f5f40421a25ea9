package profiles

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"

	"github.com/profile-dev/profile/internal/systab"
)

// ChangeKind classifies one difference between two profiles.
type ChangeKind uint8

const (
	// Per syscall and architecture.
	Unchanged ChangeKind = iota
	Added                // OLD permitted no call of the syscall, NEW permits some
	Removed              // OLD permitted some, NEW permits none
	Widened              // NEW permits calls OLD did not (it may also deny some OLD permitted)
	Narrowed             // NEW permits only calls OLD permitted, and fewer
	// Whole profile.
	DefaultChanged
	UnknownErrnoChanged
	ForeignArchChanged
	ArchAdded
	ArchRemoved
)

var kindNames = [...]string{
	Unchanged: "unchanged", Added: "added", Removed: "removed", Widened: "widened", Narrowed: "narrowed",
	DefaultChanged: "default-action", UnknownErrnoChanged: "unknown-errno", ForeignArchChanged: "foreign-arch-action",
	ArchAdded: "arch-added", ArchRemoved: "arch-removed",
}

func (k ChangeKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// MarshalText writes the kind's name (for JSON reports).
func (k ChangeKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Change is one difference. Syscall and Arch are empty for changes to the
// whole profile (Arch is set for ArchAdded and ArchRemoved).
type Change struct {
	Kind    ChangeKind `json:"kind"`
	Arch    string     `json:"arch,omitempty"`
	Syscall string     `json:"syscall,omitempty"`
	// Widens is true when NEW permits a call OLD did not.
	Widens bool `json:"widens"`
	// Details name what changed: "flags gains 0x40", "any arguments
	// (was: ...)", "default errno(EPERM) -> allow".
	Details []string `json:"details,omitempty"`
	// Old and New render the rules for the syscall on this architecture.
	Old  []string `json:"old,omitempty"`
	New  []string `json:"new,omitempty"`
	Risk Risk     `json:"risk"`
}

func (c Change) String() string {
	var b strings.Builder
	b.WriteString(c.Kind.String())
	if c.Syscall != "" {
		b.WriteString(" " + c.Syscall)
	}
	if c.Arch != "" {
		b.WriteString(" [" + c.Arch + "]")
	}
	if len(c.Details) > 0 {
		b.WriteString(": " + strings.Join(c.Details, "; "))
	}
	if c.Risk.Level > RiskNone {
		b.WriteString(" (risk " + c.Risk.Level.String() + ")")
	}
	return b.String()
}

// Report is the semantic difference between two profiles. Changes are
// ranked: the riskiest first, then those that widen, then by architecture
// and syscall. Unchanged syscalls are listed too, after every change.
type Report struct {
	Changes []Change `json:"changes"`
}

// Widened reports whether NEW permits any call OLD did not.
func (r *Report) Widened() bool {
	for _, c := range r.Changes {
		if c.Widens {
			return true
		}
	}
	return false
}

// Changed reports whether anything differs.
func (r *Report) Changed() bool {
	for _, c := range r.Changes {
		if c.Kind != Unchanged {
			return true
		}
	}
	return false
}

// MaxRisk is the highest risk of a change that widens.
func (r *Report) MaxRisk() RiskLevel {
	var l RiskLevel
	for _, c := range r.Changes {
		if c.Widens && c.Risk.Level > l {
			l = c.Risk.Level
		}
	}
	return l
}

// Diff compares two profiles by meaning, per syscall per architecture, with
// their argument conditions: "permits" means Evaluate answers allow or log.
// A syscall is reported widened only if NEW permits a call OLD does not: the
// rule structure proves containment where it can (each NEW rule inside an
// OLD rule, OLD's denials kept); otherwise Diff searches the boundary values
// of both profiles' conditions for a call NEW permits and OLD does not, and
// when it finds none but has no proof either, it still reports the syscall
// as widened, saying so. "Not widened" is therefore always proven.
func Diff(old, new *Profile) *Report {
	d := &differ{old: old, new: new, oldSites: sites(old), newSites: sites(new)}
	rep := &Report{}
	rep.Changes = append(rep.Changes, d.profileChanges()...)
	for _, s := range d.allSites() {
		rep.Changes = append(rep.Changes, d.siteChange(s))
	}
	sort.SliceStable(rep.Changes, func(i, j int) bool { return changeLess(&rep.Changes[i], &rep.Changes[j]) })
	return rep
}

func changeLess(a, b *Change) bool {
	if (a.Kind == Unchanged) != (b.Kind == Unchanged) {
		return b.Kind == Unchanged
	}
	if a.Risk.Level != b.Risk.Level {
		return a.Risk.Level > b.Risk.Level
	}
	if a.Widens != b.Widens {
		return a.Widens
	}
	if (a.Syscall == "") != (b.Syscall == "") {
		return a.Syscall == ""
	}
	if a.Arch != b.Arch {
		return a.Arch < b.Arch
	}
	if a.Syscall != b.Syscall {
		return a.Syscall < b.Syscall
	}
	return a.Kind < b.Kind
}

type differ struct {
	old, new           *Profile
	oldSites, newSites map[site]siteRules
}

// allSites lists every site either profile has a rule for, on the
// architectures either covers.
func (d *differ) allSites() []site {
	var out []site
	for _, s := range sortedSites(d.oldSites, d.newSites) {
		if d.old.HasArch(s.Arch) || d.new.HasArch(s.Arch) {
			out = append(out, s)
		}
	}
	return out
}

// side is one profile at one site: its rules there and what everything
// else gets.
type side struct {
	rules siteRules
	def   Verdict
}

func (d *differ) sides(s site) (side, side) {
	get := func(p *Profile, m map[site]siteRules) side {
		if !p.HasArch(s.Arch) {
			return side{def: p.ForeignArchAction}
		}
		return side{rules: m[s], def: p.DefaultAction}
	}
	return get(d.old, d.oldSites), get(d.new, d.newSites)
}

func (sd side) permits(arch *systab.Arch, name string, args [systab.MaxArgs]uint64) bool {
	return permits(sd.rules.verdict(arch, name, args, sd.def))
}

// permitsAll reports whether every call at the site is permitted, as far
// as the rules show: a permitting default or an unconditional permitting
// rule, and no denials.
func (sd side) permitsAll() bool {
	if len(sd.rules.denials()) > 0 {
		for _, r := range sd.rules {
			if !permits(r.Action) {
				return false
			}
		}
	}
	if permits(sd.def) {
		return true
	}
	for _, r := range sd.rules {
		if permits(r.Action) && len(r.Args) == 0 {
			return true
		}
	}
	return false
}

// permitsSome reports whether any call at the site may be permitted.
func (sd side) permitsSome() bool {
	if permits(sd.def) {
		return true
	}
	for _, r := range sd.rules {
		if permits(r.Action) {
			return true
		}
	}
	return false
}

func (d *differ) profileChanges() []Change {
	var out []Change
	o, n := d.old, d.new
	if o.DefaultAction != n.DefaultAction {
		c := Change{Kind: DefaultChanged, Details: []string{"default " + o.DefaultAction.String() + " -> " + n.DefaultAction.String()}}
		if permits(n.DefaultAction) && !permits(o.DefaultAction) {
			c.Widens = true
			c.Risk.add(RiskCritical, "every syscall no rule names is now permitted")
		}
		out = append(out, c)
	}
	unknown := func(p *Profile) Verdict {
		if p.UnknownErrno != 0 {
			return Errno(p.UnknownErrno)
		}
		return p.DefaultAction
	}
	if o.UnknownErrno != n.UnknownErrno {
		c := Change{Kind: UnknownErrnoChanged, Details: []string{"syscalls above the table: " + unknown(o).String() + " -> " + unknown(n).String()}}
		if permits(unknown(n)) && !permits(unknown(o)) {
			c.Widens = true
			c.Risk.add(RiskHigh, "syscalls newer than the table are now permitted")
		}
		out = append(out, c)
	}
	if o.ForeignArchAction != n.ForeignArchAction {
		c := Change{Kind: ForeignArchChanged, Details: []string{"foreign architectures: " + o.ForeignArchAction.String() + " -> " + n.ForeignArchAction.String()}}
		if permits(n.ForeignArchAction) && !permits(o.ForeignArchAction) {
			c.Widens = true
			c.Risk.add(RiskCritical, "calls through other ABIs bypass every rule")
		}
		out = append(out, c)
	}
	for _, a := range systab.Arches {
		inOld, inNew := o.HasArch(a.Name), n.HasArch(a.Name)
		switch {
		case inNew && !inOld:
			c := Change{Kind: ArchAdded, Arch: a.Name, Details: []string{"architecture " + a.Name + " added"}}
			if d.archPermitsSome(n, a.Name) && !permits(o.ForeignArchAction) {
				c.Widens = true
				c.Risk.add(RiskMedium, "another ABI to enter the kernel through (compat syscall paths have had their own bugs)")
			}
			out = append(out, c)
		case inOld && !inNew:
			c := Change{Kind: ArchRemoved, Arch: a.Name, Details: []string{"architecture " + a.Name + " removed"}}
			if permits(n.ForeignArchAction) && !permits(o.DefaultAction) {
				c.Widens = true
				c.Risk.add(RiskCritical, "calls through a removed ABI now get the permissive foreign-arch action")
			}
			out = append(out, c)
		}
	}
	return out
}

func (d *differ) archPermitsSome(p *Profile, arch string) bool {
	if permits(p.DefaultAction) {
		return true
	}
	for s, rs := range d.newSites {
		if s.Arch == arch && (side{rules: rs, def: p.DefaultAction}).permitsSome() {
			return true
		}
	}
	return false
}

func (d *differ) siteChange(s site) Change {
	arch, _ := systab.ArchByName(s.Arch)
	o, n := d.sides(s)
	c := Change{Arch: s.Arch, Syscall: s.Name, Old: renderSide(arch, s.Name, o), New: renderSide(arch, s.Name, n)}
	widens, narrows := !contained(arch, s.Name, n, o), !contained(arch, s.Name, o, n)
	var witness *[systab.MaxArgs]uint64
	if widens {
		if w, ok := searchWitness(arch, s.Name, n, o); ok {
			witness = &w
		}
	}
	if narrows {
		_, narrows = searchWitness(arch, s.Name, o, n)
	}
	switch {
	case !widens && !narrows:
		c.Kind = Unchanged
	case !o.permitsSome() && n.permitsSome():
		c.Kind = Added
	case o.permitsSome() && !n.permitsSome():
		c.Kind = Removed
	case widens:
		c.Kind = Widened
	default:
		c.Kind = Narrowed
	}
	c.Widens = widens
	if widens {
		c.Details = widenDetails(arch, s.Name, o, n, witness)
		if narrows && c.Kind == Widened {
			c.Details = append(c.Details, "also denies some calls OLD permitted")
		}
		c.Risk = rateWidening(arch, s.Name, o, n)
	}
	return c
}

func renderSide(arch *systab.Arch, name string, sd side) []string {
	var out []string
	for _, r := range sd.rules {
		out = append(out, renderSiteRule(arch, name, &r))
	}
	if len(out) == 0 && permits(sd.def) {
		out = append(out, "(default "+sd.def.String()+")")
	}
	return out
}

func renderSiteRule(arch *systab.Arch, name string, r *siteRule) string {
	var b strings.Builder
	if len(r.Args) == 0 {
		b.WriteString("any arguments")
	}
	for i, c := range r.Args {
		if i > 0 {
			b.WriteString(" && ")
		}
		b.WriteString(argLabel(arch, name, c.Index) + " " + describeMatcher(arch, name, c.Index, c.Match))
	}
	if r.Action != Allow {
		b.WriteString(" -> " + r.Action.String())
	}
	if r.Inferred != "" {
		b.WriteString(" (inferred)")
	}
	return b.String()
}

// argLabel is the kernel's name of an argument, or aN.
func argLabel(arch *systab.Arch, name string, i int) string {
	if args := systab.Args(arch, name); i < len(args) && args[i].Name != "" {
		return args[i].Name
	}
	return "a" + strconv.Itoa(i)
}

// argFamily returns the knowledge base's constant family for an argument,
// or nil when it has none.
func argFamily(arch *systab.Arch, name string, i int) []*systab.Family {
	fam := systab.ArgKindOf(arch, name, i).Family
	if fam == "" {
		return nil
	}
	f, ok := systab.FamilyByName(arch, fam)
	if !ok {
		return nil
	}
	return []*systab.Family{f}
}

// describeValue names an argument value for people: symbolically where the
// knowledge base has a name for it, as a number otherwise.
func describeValue(arch *systab.Arch, name string, i int, v uint64) string {
	if s, ok := spell(argFamily(arch, name, i), v); ok {
		return s
	}
	return formatValue(v, systab.ArgWide(arch, name, i))
}

// describeBits names the bits of a mask, symbolically where it can.
func describeBits(arch *systab.Arch, name string, i int, mask uint64) []string {
	out, rest := splitMask(argFamily(arch, name, i), mask)
	for _, b := range maskBits(rest) {
		out = append(out, formatHex(b))
	}
	return out
}

func describeMatcher(arch *systab.Arch, name string, i int, m Matcher) string {
	val := func(v uint64) string { return describeValue(arch, name, i, v) }
	switch m.Op {
	case OpIn:
		parts := make([]string, len(m.Values))
		for j, v := range m.Values {
			parts[j] = val(v)
		}
		return "in [" + strings.Join(parts, ", ") + "]"
	case OpBits:
		return "bits [" + strings.Join(describeBits(arch, name, i, m.Mask), ", ") + "]"
	case OpEq, OpNe:
		return m.Op.String() + " " + val(m.Value)
	case OpRange:
		return "range [" + val(m.Lo) + ", " + val(m.Hi) + "]"
	case OpMasked:
		return fmt.Sprintf("masked %s == %s", formatHex(m.Mask), formatHex(m.Value))
	}
	return m.String()
}

// contained reports whether every call a permits is one b permits, proven
// from the rules alone (false means "not proven", not "not contained").
func contained(arch *systab.Arch, name string, a, b side) bool {
	if !a.permitsSome() {
		return true
	}
	if b.permitsAll() {
		return true
	}
	if permits(a.def) {
		return false
	}
	// Every call b denies by a rule must be denied by a rule in a.
	for _, bd := range b.rules {
		if permits(bd.Action) {
			continue
		}
		covered := false
		for _, ad := range a.rules {
			if !permits(ad.Action) && boxInside(arch, name, bd.Args, ad.Args) {
				covered = true
				break
			}
		}
		if !covered {
			return false
		}
	}
	// Every rule a permits with must sit inside one b permits with (or b's
	// default permits).
	for _, ar := range a.rules {
		if !permits(ar.Action) {
			continue
		}
		if permits(b.def) {
			continue
		}
		inside := false
		for _, br := range b.rules {
			if permits(br.Action) && boxInside(arch, name, ar.Args, br.Args) {
				inside = true
				break
			}
		}
		if !inside {
			return false
		}
	}
	return true
}

// boxInside reports whether conditions a imply conditions b: every
// condition of b is implied by a's condition on the same argument.
func boxInside(arch *systab.Arch, name string, a, b []ArgCond) bool {
	for _, cb := range b {
		found := false
		for _, ca := range a {
			if ca.Index == cb.Index {
				found = matcherInside(ca.Match, cb.Match, systab.ArgWide(arch, name, ca.Index))
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// enumLimit bounds how many values matcherInside enumerates.
const enumLimit = 1 << 12

// matcherInside reports whether every value a accepts, b accepts. It is
// exact where it answers true; false may mean "not proven".
func matcherInside(a, b Matcher, wide bool) bool {
	w := uint64(0xffffffff)
	if wide {
		w = ^uint64(0)
	}
	all := func(vs func(yield func(uint64) bool)) bool {
		for v := range vs {
			if !b.Match(v, wide) {
				return false
			}
		}
		return true
	}
	switch a.Op {
	case OpIn:
		return all(func(y func(uint64) bool) {
			for _, v := range a.Values {
				if !y(v) {
					return
				}
			}
		})
	case OpEq:
		return b.Match(a.Value, wide)
	case OpBits:
		m := a.Mask & w
		switch {
		case b.Op == OpBits:
			return m&^b.Mask == 0
		case bits.OnesCount64(m) <= 12:
			return all(func(y func(uint64) bool) { submasks(m, y) })
		case b.Op == OpRange:
			return b.Lo == 0 && m <= b.Hi
		}
	case OpMasked:
		fixed, free := a.Value&a.Mask&w, w&^a.Mask
		switch {
		case b.Op == OpBits:
			return (fixed|free)&^b.Mask == 0
		case b.Op == OpMasked:
			return b.Mask&^a.Mask&w == 0 && fixed&b.Mask == b.Value&b.Mask
		case b.Op == OpRange:
			return b.Lo <= fixed && fixed|free <= b.Hi
		case bits.OnesCount64(free) <= 12:
			return all(func(y func(uint64) bool) {
				submasks(free, func(s uint64) bool { return y(fixed | s) })
			})
		}
	case OpRange:
		if b.Op == OpRange {
			return b.Lo <= a.Lo && a.Hi <= b.Hi
		}
		if a.Hi-a.Lo < enumLimit {
			return all(func(y func(uint64) bool) {
				for v := a.Lo; ; v++ {
					if !y(v) || v == a.Hi {
						return
					}
				}
			})
		}
	case OpNe:
		switch b.Op {
		case OpNe:
			return a.Value == b.Value
		case OpBits:
			return b.Mask&w == w
		case OpRange:
			return b.Lo == 0 && b.Hi&w == w
		}
	}
	return false
}

// submasks yields every submask of m, m itself first and 0 last.
func submasks(m uint64, yield func(uint64) bool) {
	for s := m; ; s = (s - 1) & m {
		if !yield(s) || s == 0 {
			return
		}
	}
}

// witnessBudget bounds how many calls searchWitness tries per site.
const witnessBudget = 1 << 13

// searchWitness looks for arguments a permits and b does not, among the
// boundary values of both sides' conditions. It is deterministic.
func searchWitness(arch *systab.Arch, name string, a, b side) ([systab.MaxArgs]uint64, bool) {
	var cands [systab.MaxArgs][]uint64
	for _, sd := range []side{a, b} {
		for _, r := range sd.rules {
			for _, c := range r.Args {
				cands[c.Index] = append(cands[c.Index], boundaryValues(c.Match)...)
			}
		}
	}
	total := 1
	for i := range cands {
		cands[i] = sortedUnique(append(cands[i], 0, 1, 0xffffffff, ^uint64(0), 0xffffffff00000000, 1<<31, 1<<63))
		if total <= witnessBudget {
			total *= len(cands[i])
		}
	}
	try := func(args [systab.MaxArgs]uint64) bool {
		return a.permits(arch, name, args) && !b.permits(arch, name, args)
	}
	var args [systab.MaxArgs]uint64
	if total <= witnessBudget {
		var rec func(i int) bool
		rec = func(i int) bool {
			if i == systab.MaxArgs {
				return try(args)
			}
			for _, v := range cands[i] {
				args[i] = v
				if rec(i + 1) {
					return true
				}
			}
			return false
		}
		return args, rec(0)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	for range witnessBudget {
		for i := range args {
			args[i] = cands[i][rng.IntN(len(cands[i]))]
		}
		if try(args) {
			return args, true
		}
	}
	return args, false
}

// boundaryValues are the values on and around a matcher's edges.
func boundaryValues(m Matcher) []uint64 {
	var out []uint64
	near := func(vs ...uint64) {
		for _, v := range vs {
			out = append(out, v-1, v, v+1, v|0xffffffff00000000, v|1<<32)
		}
	}
	switch m.Op {
	case OpIn:
		near(m.Values...)
	case OpEq, OpNe:
		near(m.Value)
	case OpRange:
		near(m.Lo, m.Hi)
	case OpBits:
		near(m.Mask)
		for _, b := range maskBits(m.Mask) {
			out = append(out, b)
		}
		out = append(out, ^m.Mask, m.Mask<<1|1)
	case OpMasked:
		near(m.Value, m.Value|^m.Mask)
		for _, b := range maskBits(m.Mask) {
			out = append(out, m.Value^b)
		}
	}
	return out
}

// widenDetails names what NEW permits that OLD did not, argument by
// argument where it can, else by an example call.
func widenDetails(arch *systab.Arch, name string, o, n side, witness *[systab.MaxArgs]uint64) []string {
	if !o.permitsSome() {
		return []string{"now permitted: " + strings.Join(renderSide(arch, name, n), " | ")}
	}
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	if permits(n.def) && !permits(o.def) {
		add("calls no rule matches now get the default " + n.def.String())
	}
	for _, r := range n.rules {
		if !permits(r.Action) {
			continue
		}
		for _, s := range ruleGains(arch, name, r, o) {
			add(s)
		}
	}
	if len(out) == 0 && len(o.rules.denials()) > len(n.rules.denials()) {
		add("fewer denials: " + strings.Join(renderSide(arch, name, side{rules: o.rules.denials()}), " | "))
	}
	if len(out) == 0 && witness != nil {
		add("e.g. " + formatCall(arch, name, *witness) + " is now permitted")
	}
	if len(out) == 0 {
		add("NEW could not be proven to stay within OLD")
	}
	return out
}

// ruleGains names, per argument, what a NEW rule accepts that no OLD rule
// accepts on that argument.
func ruleGains(arch *systab.Arch, name string, r siteRule, o side) []string {
	var olds []siteRule
	for _, or := range o.rules {
		if permits(or.Action) {
			olds = append(olds, or)
		}
	}
	var out []string
	used := map[int]bool{}
	for _, c := range r.Args {
		used[c.Index] = true
	}
	// Arguments OLD constrained everywhere and NEW leaves free.
	for i := range systab.MaxArgs {
		if used[i] {
			continue
		}
		var was []string
		free := false
		for _, or := range olds {
			m, ok := condAt(or.Args, i)
			if !ok {
				free = true
				break
			}
			was = append(was, describeMatcher(arch, name, i, m))
		}
		if !free && len(was) > 0 {
			out = append(out, argLabel(arch, name, i)+": any value (was "+strings.Join(was, " or ")+")")
		}
	}
	for _, c := range r.Args {
		var olderAt []Matcher
		free := false
		for _, or := range olds {
			m, ok := condAt(or.Args, c.Index)
			if !ok {
				free = true
				break
			}
			olderAt = append(olderAt, m)
		}
		if free {
			continue
		}
		if s := gainsAt(arch, name, c, olderAt); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func condAt(args []ArgCond, i int) (Matcher, bool) {
	for _, c := range args {
		if c.Index == i {
			return c.Match, true
		}
	}
	return Matcher{}, false
}

// gainsAt names the values or bits one NEW condition adds over OLD's
// conditions on the same argument.
func gainsAt(arch *systab.Arch, name string, c ArgCond, olds []Matcher) string {
	wide := systab.ArgWide(arch, name, c.Index)
	label := argLabel(arch, name, c.Index)
	acceptedByOld := func(v uint64) bool {
		for _, m := range olds {
			if m.Match(v, wide) {
				return true
			}
		}
		return false
	}
	switch c.Match.Op {
	case OpIn:
		var gained []string
		for _, v := range c.Match.Values {
			if !acceptedByOld(v) {
				gained = append(gained, describeValue(arch, name, c.Index, v))
			}
		}
		if len(gained) > 0 {
			return label + " gains " + strings.Join(gained, ", ")
		}
		return ""
	case OpBits:
		var had uint64
		for _, m := range olds {
			switch m.Op {
			case OpBits:
				had |= m.Mask
			case OpIn:
				for _, v := range m.Values {
					had |= v
				}
			default:
				had = ^uint64(0)
			}
		}
		if gained := c.Match.Mask &^ had; gained != 0 {
			return label + " gains " + strings.Join(describeBits(arch, name, c.Index, gained), ", ")
		}
		return ""
	}
	for _, m := range olds {
		if matcherInside(c.Match, m, wide) {
			return ""
		}
	}
	var was []string
	for _, m := range olds {
		was = append(was, describeMatcher(arch, name, c.Index, m))
	}
	return label + " " + describeMatcher(arch, name, c.Index, c.Match) + " (was " + strings.Join(was, " or ") + ")"
}

func formatCall(arch *systab.Arch, name string, args [systab.MaxArgs]uint64) string {
	n := len(systab.Args(arch, name))
	if n == 0 {
		n = systab.MaxArgs
	}
	parts := make([]string, n)
	for i := range n {
		parts[i] = describeValue(arch, name, i, args[i])
	}
	return name + "(" + strings.Join(parts, ", ") + ")"
}

// rateWidening rates what NEW newly permits at a site: each table entry of
// the syscall whose shape NEW permits and OLD did not, and the syscall's
// unconditional entries whenever it widens at all. Any other widening is
// RiskLow.
func rateWidening(arch *systab.Arch, name string, o, n side) Risk {
	risk := Risk{Level: RiskLow}
	for _, e := range riskFor(name) {
		newly := n.rules.permitsShape(arch, name, e, permits(n.def)) && !o.rules.permitsShape(arch, name, e, permits(o.def))
		if e.Shape == ShapeAny || newly {
			risk.add(e.Level, e.Describe()+": "+e.Reason)
		}
	}
	if len(risk.Reasons) == 0 {
		risk.Reasons = nil
	}
	return risk
}
