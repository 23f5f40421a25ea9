package profiles

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/profile-dev/profile/internal/systab"
)

// OCI import follows what runc does with a runtime-spec seccomp section
// (libcontainer/seccomp with libseccomp), so that Evaluate on the result
// gives the verdict runc's filter gives:
//
//   - SCMP_ACT_KILL is kill-thread, as in libseccomp. SCMP_ACT_ERRNO and
//     SCMP_ACT_TRACE take errnoRet, EPERM when absent. SCMP_ACT_NOTIFY has no
//     equivalent here and is refused.
//   - An entry whose action equals the default action is dropped: libseccomp
//     refuses such rules and runc ignores the refusal.
//   - Names unknown on every listed architecture are dropped, as libseccomp
//     cannot resolve them and runc skips them.
//   - The conditions of one entry are ANDed, except when an argument index
//     appears more than once: runc then adds each condition as a rule of its
//     own, so they are ORed.
//   - A foreign architecture gets kill-thread, libseccomp's default bad-arch
//     action. An empty architecture list means the native one only; libseccomp
//     also always includes the native architecture, which this import does
//     not add, so that a profile means the same on every machine.
//   - Flags and the listener settings do not change verdicts and are ignored.
//
// libseccomp compares all 64 bits of an argument register. For an argument
// the kernel reads as a 32-bit int, the profile compares the low 32 bits (the
// kernel's view), so the OCI datum is read as a 32-bit value: it must fit in
// 32 bits, or for equality and mask tests be the sign extension of a 32-bit
// value (how callers pass a negative int). Ordering comparisons (LT, LE, GE,
// GT) with a datum above 32 bits depend on how the caller filled the
// register's upper half and are refused. A comparison that can never hold
// (LT 0, GT the maximum) removes its rule, as it does in libseccomp.

// ociDefaultBadArch is what libseccomp does with a call through an
// architecture the filter does not list (SCMP_FLTATR_ACT_BADARCH).
var ociDefaultBadArch = Verdict{Action: ActKillThread}

const ePERM = 1

// FromOCI converts a runtime-spec seccomp section. filename labels errors,
// which wrap ErrInvalid.
func FromOCI(s *specs.LinuxSeccomp, filename string) (*Profile, error) {
	if s == nil {
		return nil, &ValidationError{File: filename, Msg: "empty OCI seccomp profile"}
	}
	return fromOCI(s, &checker{file: filename})
}

// ParseOCI reads OCI seccomp JSON (the runtime-spec LinuxSeccomp object).
// Unknown fields are refused. Errors carry line, column and field path.
func ParseOCI(data []byte, filename string) (*Profile, error) {
	pos, err := jsonPositions(data, filename)
	if err != nil {
		return nil, err
	}
	c := &checker{file: filename, loc: pos.locate}
	if err := ociStrict(pos, c); err != nil {
		return nil, err
	}
	var s specs.LinuxSeccomp
	if err := json.Unmarshal(data, &s); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			// te.Offset is the end of the value; report the value's start.
			path := pos.valueBefore(te.Offset)
			return nil, c.errf(path, "want %s, not %s", te.Type, te.Value)
		}
		return nil, &ValidationError{File: filename, Line: 1, Col: 1, Msg: err.Error()}
	}
	return fromOCI(&s, c)
}

func fromOCI(s *specs.LinuxSeccomp, c *checker) (*Profile, error) {
	p := &Profile{ForeignArchAction: ociDefaultBadArch}
	var err error
	if p.DefaultAction, err = ociVerdict(c, "defaultAction", s.DefaultAction, s.DefaultErrnoRet); err != nil {
		return nil, err
	}
	if err := ociArches(c, s, p); err != nil {
		return nil, err
	}
	for i, sc := range s.Syscalls {
		rules, err := ociRules(c, p, indexPath("syscalls", i), sc)
		if err != nil {
			return nil, err
		}
		p.Syscalls = append(p.Syscalls, rules...)
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("OCI profile %s converts to an invalid profile: %w", c.file, err)
	}
	return p, nil
}

func ociVerdict(c *checker, path string, a specs.LinuxSeccompAction, errnoRet *uint) (Verdict, error) {
	errno := func(def uint, max uint) (uint16, error) {
		if errnoRet == nil {
			return uint16(def), nil
		}
		if *errnoRet > max {
			return 0, c.errf(path, "errnoRet %d above %d", *errnoRet, max)
		}
		return uint16(*errnoRet), nil
	}
	switch a {
	case specs.ActAllow:
		return Allow, nil
	case specs.ActLog:
		return Verdict{Action: ActLog}, nil
	case specs.ActTrap:
		return Verdict{Action: ActTrap}, nil
	case specs.ActKill, specs.ActKillThread:
		return Verdict{Action: ActKillThread}, nil
	case specs.ActKillProcess:
		return KillProcess, nil
	case specs.ActErrno:
		e, err := errno(ePERM, systab.MaxErrno)
		return Errno(e), err
	case specs.ActTrace:
		e, err := errno(ePERM, 0xffff)
		return Verdict{Action: ActTrace, Data: e}, err
	case specs.ActNotify:
		return Verdict{}, c.errf(path, "SCMP_ACT_NOTIFY is not supported: a profile cannot hand calls to a supervisor")
	}
	return Verdict{}, c.errf(path, "unknown action %q", a)
}

func ociArches(c *checker, s *specs.LinuxSeccomp, p *Profile) error {
	for i, name := range s.Architectures {
		a, ok := systab.ArchByName(string(name))
		if !ok {
			return c.errf(indexPath("architectures", i), "unsupported architecture %q (want one of %s)", name, archList())
		}
		if !p.HasArch(a.Name) {
			p.Architectures = append(p.Architectures, a.Name)
		}
	}
	if len(p.Architectures) == 0 {
		n := systab.Native()
		if n == nil {
			return c.errf("architectures", "no architectures listed and this machine's is unknown")
		}
		p.Architectures = []string{n.Name}
	}
	return nil
}

func ociRules(c *checker, p *Profile, path string, sc specs.LinuxSyscall) ([]Rule, error) {
	v, err := ociVerdict(c, joinPath(path, "action"), sc.Action, sc.ErrnoRet)
	if err != nil {
		return nil, err
	}
	if len(sc.Names) == 0 {
		return nil, c.errf(joinPath(path, "names"), "no syscall names")
	}
	r := Rule{Action: v}
	arches := p.Arches()
	for _, n := range sc.Names {
		if knownOn(arches, n) && !contains(r.Names, n) {
			r.Names = append(r.Names, n)
		}
	}
	if v == p.DefaultAction || len(r.Names) == 0 {
		return nil, nil
	}
	if len(sc.Args) == 0 {
		return []Rule{r}, nil
	}
	var counts [systab.MaxArgs]int
	conds := make([]ArgCond, 0, len(sc.Args))
	nevers := make([]bool, 0, len(sc.Args))
	for j, a := range sc.Args {
		apath := indexPath(joinPath(path, "args"), j)
		if a.Index >= systab.MaxArgs {
			return nil, c.errf(joinPath(apath, "index"), "argument index %d above %d", a.Index, systab.MaxArgs-1)
		}
		i := int(a.Index)
		counts[i]++
		m, never, err := ociMatcher(c, apath, a, p.argWide(&r, i))
		if err != nil {
			return nil, err
		}
		conds = append(conds, ArgCond{Index: i, Match: m})
		nevers = append(nevers, never)
	}
	repeated := false
	for _, n := range counts {
		repeated = repeated || n > 1
	}
	if !repeated {
		for _, never := range nevers {
			if never {
				return nil, nil
			}
		}
		r.Args = conds
		sortArgs(r.Args)
		return []Rule{r}, nil
	}
	var out []Rule
	for j, cond := range conds {
		if nevers[j] {
			continue
		}
		rj := r
		rj.Names = append([]string(nil), r.Names...)
		rj.Args = []ArgCond{cond}
		out = append(out, rj)
	}
	return out, nil
}

// narrow32 reads a 64-bit OCI datum as a 32-bit value: zero-extended or
// sign-extended forms are accepted.
func narrow32(v uint64) (uint64, bool) {
	switch {
	case v <= 0xffffffff:
		return v, true
	case v >= 0xffffffff80000000:
		return v & 0xffffffff, true
	}
	return 0, false
}

// ociMatcher maps one SCMP_CMP_* condition. never reports a condition that
// no value satisfies.
func ociMatcher(c *checker, path string, a specs.LinuxSeccompArg, wide bool) (m Matcher, never bool, err error) {
	top := uint64(0xffffffff)
	if wide {
		top = ^uint64(0)
	}
	v := a.Value
	if !wide {
		switch a.Op {
		case specs.OpEqualTo, specs.OpNotEqual:
			n, ok := narrow32(v)
			if !ok {
				return m, false, c.errf(joinPath(path, "value"), "value %#x does not fit the 32-bit argument %d", v, a.Index)
			}
			v = n
		case specs.OpLessThan, specs.OpLessEqual, specs.OpGreaterEqual, specs.OpGreaterThan:
			if v > top {
				return m, false, c.errf(joinPath(path, "value"), "ordering comparison of the 32-bit argument %d with %#x: the result depends on how the caller fills the register's upper half", a.Index, v)
			}
		}
	}
	switch a.Op {
	case specs.OpEqualTo:
		return Matcher{Op: OpEq, Value: v}, false, nil
	case specs.OpNotEqual:
		return Matcher{Op: OpNe, Value: v}, false, nil
	case specs.OpLessThan:
		if v == 0 {
			return m, true, nil
		}
		return Matcher{Op: OpRange, Lo: 0, Hi: v - 1}, false, nil
	case specs.OpLessEqual:
		return Matcher{Op: OpRange, Lo: 0, Hi: v}, false, nil
	case specs.OpGreaterEqual:
		return Matcher{Op: OpRange, Lo: v, Hi: top}, false, nil
	case specs.OpGreaterThan:
		if v == top {
			return m, true, nil
		}
		return Matcher{Op: OpRange, Lo: v + 1, Hi: top}, false, nil
	case specs.OpMaskedEqual:
		return ociMasked(c, path, a, wide)
	}
	return m, false, c.errf(joinPath(path, "op"), "unknown operator %q", a.Op)
}

// ociMasked maps SCMP_CMP_MASKED_EQ: value is the mask, valueTwo the datum,
// and libseccomp compares arg & mask with datum & mask.
func ociMasked(c *checker, path string, a specs.LinuxSeccompArg, wide bool) (Matcher, bool, error) {
	mask, datum := a.Value, a.ValueTwo&a.Value
	if !wide {
		var ok bool
		if mask, ok = narrow32(mask); !ok {
			return Matcher{}, false, c.errf(joinPath(path, "value"), "mask %#x does not fit the 32-bit argument %d", a.Value, a.Index)
		}
		if datum, ok = narrow32(datum); !ok {
			return Matcher{}, false, c.errf(joinPath(path, "valueTwo"), "value %#x does not fit the 32-bit argument %d", a.ValueTwo, a.Index)
		}
		datum &= mask
	}
	return Matcher{Op: OpMasked, Mask: mask, Value: datum}, false, nil
}

func sortArgs(args []ArgCond) {
	for i := 1; i < len(args); i++ {
		for j := i; j > 0 && args[j].Index < args[j-1].Index; j-- {
			args[j], args[j-1] = args[j-1], args[j]
		}
	}
}

// jsonPos maps field paths ("syscalls[2].args[0].op") to byte offsets of
// their values, and of keys for the unknown-field check.
type jsonPos struct {
	data   []byte
	values map[string]int64
	keys   map[string][]string // object path -> its keys, in order
}

func (j *jsonPos) locate(path string) (int, int, bool) {
	off, ok := j.values[path]
	if !ok {
		return 0, 0, false
	}
	line, col := lineCol(j.data, off)
	return line, col, true
}

// valueBefore returns the path of the last value starting before off.
func (j *jsonPos) valueBefore(off int64) string {
	best, at := "", int64(-1)
	for p, o := range j.values {
		if o < off && (o > at || o == at && p < best) && !strings.HasSuffix(p, "#key") {
			best, at = p, o
		}
	}
	return best
}

func lineCol(data []byte, off int64) (int, int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(off) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

func jsonPositions(data []byte, filename string) (*jsonPos, error) {
	j := &jsonPos{data: data, values: map[string]int64{}, keys: map[string][]string{}}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := j.walk(dec, ""); err != nil {
		var se *json.SyntaxError
		off := dec.InputOffset()
		if errors.As(err, &se) && se.Offset > 0 {
			off = se.Offset - 1 // the offending byte, not the one after it
		}
		line, col := lineCol(data, off)
		msg := strings.TrimPrefix(err.Error(), "json: ")
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			msg = "unexpected end of JSON"
		}
		return nil, &ValidationError{File: filename, Line: line, Col: col, Msg: msg}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		line, col := lineCol(data, dec.InputOffset())
		return nil, &ValidationError{File: filename, Line: line, Col: col, Msg: "data after the JSON object"}
	}
	return j, nil
}

// skip returns the offset of the next token at or after off.
func (j *jsonPos) skip(off int64) int64 {
	for off < int64(len(j.data)) && strings.IndexByte(" \t\r\n,:", j.data[off]) >= 0 {
		off++
	}
	return off
}

func (j *jsonPos) walk(dec *json.Decoder, path string) error {
	j.values[path] = j.skip(dec.InputOffset())
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('{'):
		j.keys[path] = []string{}
		for dec.More() {
			koff := j.skip(dec.InputOffset())
			k, err := dec.Token()
			if err != nil {
				return err
			}
			key, _ := k.(string)
			kp := joinPath(path, key)
			j.keys[path] = append(j.keys[path], key)
			if err := j.walk(dec, kp); err != nil {
				return err
			}
			j.values[kp+"#key"] = koff
		}
		_, err = dec.Token()
	case json.Delim('['):
		for i := 0; dec.More(); i++ {
			if err := j.walk(dec, indexPath(path, i)); err != nil {
				return err
			}
		}
		_, err = dec.Token()
	}
	return err
}

// ociFields are the keys runtime-spec defines, by the kind of object.
var ociFields = map[string][]string{
	"":         {"defaultAction", "defaultErrnoRet", "architectures", "flags", "listenerPath", "listenerMetadata", "syscalls"},
	"syscalls": {"names", "action", "errnoRet", "args"},
	"args":     {"index", "value", "valueTwo", "op"},
}

// ociStrict refuses keys runtime-spec does not define: a Docker-style
// profile's archMap or includes would otherwise be dropped silently and
// change what the profile allows.
func ociStrict(j *jsonPos, c *checker) error {
	paths := sortedKeys(j.keys)
	sort.SliceStable(paths, func(a, b int) bool { return j.values[paths[a]] < j.values[paths[b]] })
	for _, p := range paths {
		kind := p
		if i := strings.LastIndexByte(p, '['); i >= 0 {
			kind = p[:i]
			if k := strings.LastIndexByte(kind, '.'); k >= 0 {
				kind = kind[k+1:]
			}
		}
		allowed, ok := ociFields[kind]
		if !ok {
			return c.errf(p, "want %s", "a list or value, not an object")
		}
		for _, k := range j.keys[p] {
			if !contains(allowed, k) {
				kp := joinPath(p, k)
				e := c.errf(kp, "unknown field (want %s)", strings.Join(allowed, ", "))
				if off, ok := j.values[kp+"#key"]; ok {
					e.Line, e.Col = lineCol(j.data, off)
				}
				return e
			}
		}
	}
	return nil
}
