package profiles

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/profile-dev/profile/internal/systab"
)

// Load reads a profile file: our YAML, OCI seccomp JSON (a JSON object
// whose defaultAction starts with "SCMP_"), or a Security Profiles Operator
// SeccompProfile resource.
func Load(path string) (*Profile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load profile: %w", err)
	}
	switch {
	case isOCI(data):
		return ParseOCI(data, path)
	case isCRD(data):
		return ParseCRD(data, path)
	}
	return Parse(data, path)
}

// isOCI sniffs OCI seccomp JSON.
func isOCI(data []byte) bool {
	t := bytes.TrimSpace(data)
	if len(t) == 0 || t[0] != '{' {
		return false
	}
	var probe struct {
		DefaultAction string `json:"defaultAction"`
	}
	if json.Unmarshal(t, &probe) != nil {
		return false
	}
	return strings.HasPrefix(probe.DefaultAction, "SCMP_")
}

// Parse reads a YAML profile (apiVersion profile/v1) and validates it.
// filename only labels errors, which wrap ErrInvalid and are
// *ValidationError with line, column and field path.
func Parse(data []byte, filename string) (*Profile, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlError(data, filename, err)
	}
	d := &decoder{nodes: map[string]*yaml.Node{}}
	d.checker = checker{file: filename, loc: d.locate}
	if doc.Kind == 0 || len(doc.Content) == 0 || isNull(doc.Content[0]) {
		return nil, &ValidationError{File: filename, Line: 1, Col: 1, Msg: "empty profile"}
	}
	p, err := d.profile(doc.Content[0])
	if err != nil {
		return nil, err
	}
	if err := d.validate(p); err != nil {
		return nil, err
	}
	return p, nil
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlParserProblems are the messages of go.yaml.in/yaml/v3's parser (as
// opposed to its scanner). The library reports a parser error at the 0-based
// line of the construct being parsed, and a scanner error at the 1-based line
// of the problem; it gives no column.
var yamlParserProblems = []string{
	"did not find expected ',' or ']'", "did not find expected ',' or '}'",
	"did not find expected '-' indicator", "did not find expected <document start>",
	"did not find expected <stream-start>", "did not find expected key",
	"did not find expected node content", "found duplicate %TAG directive",
	"found duplicate %YAML directive", "found incompatible YAML document", "found undefined tag handle",
}

// yamlError turns a YAML syntax error into a ValidationError. The column is
// that of the first character on the line that is not a space, as the library
// reports none.
func yamlError(data []byte, filename string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
		if contains(yamlParserProblems, msg) {
			line++
		}
	}
	col := 1
	lines := strings.Split(string(data), "\n")
	if line >= 1 && line <= len(lines) {
		l := lines[line-1]
		col = len(l) - len(strings.TrimLeft(l, " ")) + 1
	}
	return &ValidationError{File: filename, Line: line, Col: col, Msg: msg}
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// decoder turns the YAML node tree into a Profile, remembering where each
// field was written.
type decoder struct {
	checker
	nodes map[string]*yaml.Node
}

func (d *decoder) locate(path string) (int, int, bool) {
	n, ok := d.nodes[path]
	if !ok {
		return 0, 0, false
	}
	return n.Line, n.Column, true
}

// fields checks that n is a mapping with only the allowed keys, each once,
// and returns the value nodes by key.
func (d *decoder) fields(n *yaml.Node, path string, allowed ...string) (map[string]*yaml.Node, error) {
	d.nodes[path] = n
	if err := d.kind(n, path, yaml.MappingNode, "a mapping"); err != nil {
		return nil, err
	}
	out := make(map[string]*yaml.Node, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		kpath := joinPath(path, k.Value)
		if k.Kind != yaml.ScalarNode {
			d.nodes[kpath] = k
			return nil, d.errf(path, "keys must be plain names")
		}
		if _, dup := out[k.Value]; dup {
			d.nodes[kpath] = k
			return nil, d.errf(kpath, "field given twice")
		}
		if allowed != nil && !contains(allowed, k.Value) {
			d.nodes[kpath] = k
			return nil, d.errf(kpath, "unknown field (want %s)", strings.Join(allowed, ", "))
		}
		d.nodes[kpath] = v
		out[k.Value] = v
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (d *decoder) kind(n *yaml.Node, path string, k yaml.Kind, what string) error {
	if n.Kind == yaml.AliasNode {
		return d.errf(path, "aliases are not supported")
	}
	if n.Kind != k {
		return d.errf(path, "want %s", what)
	}
	return nil
}

func (d *decoder) str(n *yaml.Node, path string) (string, error) {
	if err := d.kind(n, path, yaml.ScalarNode, "a string"); err != nil {
		return "", err
	}
	return n.Value, nil
}

func (d *decoder) strs(n *yaml.Node, path string) ([]string, error) {
	if err := d.kind(n, path, yaml.SequenceNode, "a list"); err != nil {
		return nil, err
	}
	out := make([]string, len(n.Content))
	for i, e := range n.Content {
		ipath := indexPath(path, i)
		d.nodes[ipath] = e
		s, err := d.str(e, ipath)
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}

func (d *decoder) literal(n *yaml.Node, path string) (literal, error) {
	if err := d.kind(n, path, yaml.ScalarNode, "a number"); err != nil {
		return literal{}, err
	}
	l, err := parseLiteral(n.Value)
	if err != nil {
		return l, d.errf(path, "%v", err)
	}
	return l, nil
}

// errno reads an errno name (EPERM) or number.
func (d *decoder) errno(n *yaml.Node, path string) (uint16, error) {
	if err := d.kind(n, path, yaml.ScalarNode, "an errno name or number"); err != nil {
		return 0, err
	}
	if v, ok := systab.ErrnoByName(n.Value); ok {
		return v, nil
	}
	l, err := parseLiteral(n.Value)
	if err != nil {
		return 0, d.errf(path, "unknown errno %q", n.Value)
	}
	if v, ok := l.plain(); !ok || v > systab.MaxErrno {
		return 0, d.errf(path, "errno %s out of range 0..%d", n.Value, systab.MaxErrno)
	}
	return uint16(l.mag), nil
}

func (d *decoder) action(n *yaml.Node, path string) (Action, error) {
	s, err := d.str(n, path)
	if err != nil {
		return 0, err
	}
	a, err := ParseAction(s)
	if err != nil {
		return 0, d.errf(path, "unknown %v", err)
	}
	return a, nil
}

// verdict reads an action field and, for errno, its errno field.
func (d *decoder) verdict(f map[string]*yaml.Node, path, actKey, errKey string, def Action) (Verdict, error) {
	v := Verdict{Action: def}
	if n, ok := f[actKey]; ok {
		a, err := d.action(n, joinPath(path, actKey))
		if err != nil {
			return v, err
		}
		v.Action = a
	}
	n, ok := f[errKey]
	if v.Action != ActErrno {
		if ok {
			return v, d.errf(joinPath(path, errKey), "%s given but %s is %s, not errno", errKey, actKey, v.Action)
		}
		return v, nil
	}
	v.Data = 1 // EPERM
	if ok {
		e, err := d.errno(n, joinPath(path, errKey))
		if err != nil {
			return v, err
		}
		v.Data = e
	}
	return v, nil
}

var topFields = []string{"apiVersion", "kind", "metadata", "defaultAction", "defaultErrno", "unknownErrno",
	"foreignArchAction", "architectures", "syscalls", "counts"}

func (d *decoder) profile(n *yaml.Node) (*Profile, error) {
	f, err := d.fields(n, "", topFields...)
	if err != nil {
		return nil, err
	}
	if err := d.header(f); err != nil {
		return nil, err
	}
	p := &Profile{ForeignArchAction: KillProcess}
	if m, ok := f["metadata"]; ok {
		if p.Metadata, err = d.metadata(m); err != nil {
			return nil, err
		}
	}
	if _, ok := f["defaultAction"]; !ok {
		return nil, d.errf("defaultAction", "missing (want one of %s)", strings.Join(actionNames[:], ", "))
	}
	if p.DefaultAction, err = d.verdict(f, "", "defaultAction", "defaultErrno", 0); err != nil {
		return nil, err
	}
	if n, ok := f["unknownErrno"]; ok {
		if p.UnknownErrno, err = d.errno(n, "unknownErrno"); err != nil {
			return nil, err
		}
	}
	if n, ok := f["foreignArchAction"]; ok {
		a, err := d.action(n, "foreignArchAction")
		if err != nil {
			return nil, err
		}
		p.ForeignArchAction = Verdict{Action: a}
		if a == ActErrno {
			p.ForeignArchAction.Data = 1
		}
	}
	if n, ok := f["architectures"]; ok {
		if p.Architectures, err = d.strs(n, "architectures"); err != nil {
			return nil, err
		}
	}
	if err := d.architectures(p); err != nil {
		return nil, err
	}
	if n, ok := f["syscalls"]; ok {
		if p.Syscalls, err = d.rules(p, n); err != nil {
			return nil, err
		}
	}
	if n, ok := f["counts"]; ok {
		if p.Counts, err = d.counts(n); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (d *decoder) header(f map[string]*yaml.Node) error {
	for _, h := range []struct{ key, want string }{{"apiVersion", APIVersion}, {"kind", Kind}} {
		n, ok := f[h.key]
		if !ok {
			return d.errf(h.key, "missing (want %s)", h.want)
		}
		s, err := d.str(n, h.key)
		if err != nil {
			return err
		}
		if s != h.want {
			return d.errf(h.key, "unsupported %s %q (want %s)", h.key, s, h.want)
		}
	}
	return nil
}

func (d *decoder) metadata(n *yaml.Node) (Metadata, error) {
	var m Metadata
	f, err := d.fields(n, "metadata", "name", "recorded")
	if err != nil {
		return m, err
	}
	if v, ok := f["name"]; ok {
		if m.Name, err = d.str(v, "metadata.name"); err != nil {
			return m, err
		}
	}
	v, ok := f["recorded"]
	if !ok {
		return m, nil
	}
	const path = "metadata.recorded"
	rf, err := d.fields(v, path, "command", "backend", "kernel", "complete")
	if err != nil {
		return m, err
	}
	r := &Recorded{}
	if v, ok := rf["command"]; ok {
		if r.Command, err = d.strs(v, path+".command"); err != nil {
			return m, err
		}
	}
	if v, ok := rf["backend"]; ok {
		if r.Backend, err = d.str(v, path+".backend"); err != nil {
			return m, err
		}
	}
	if v, ok := rf["kernel"]; ok {
		if r.Kernel, err = d.str(v, path+".kernel"); err != nil {
			return m, err
		}
	}
	if v, ok := rf["complete"]; ok {
		if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
			return m, d.errf(path+".complete", "want true or false")
		}
		if err := v.Decode(&r.Complete); err != nil {
			return m, d.errf(path+".complete", "want true or false")
		}
	}
	m.Recorded = r
	return m, nil
}

func (d *decoder) rules(p *Profile, n *yaml.Node) ([]Rule, error) {
	if err := d.kind(n, "syscalls", yaml.SequenceNode, "a list of rules"); err != nil {
		return nil, err
	}
	out := make([]Rule, len(n.Content))
	for i, e := range n.Content {
		path := indexPath("syscalls", i)
		d.nodes[path] = e
		if err := d.rule(p, e, path, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (d *decoder) rule(p *Profile, n *yaml.Node, path string, r *Rule) error {
	f, err := d.fields(n, path, "names", "arches", "args", "action", "errno", "inferred")
	if err != nil {
		return err
	}
	v, ok := f["names"]
	if !ok {
		return d.errf(joinPath(path, "names"), "missing")
	}
	if r.Names, err = d.strs(v, joinPath(path, "names")); err != nil {
		return err
	}
	if v, ok := f["arches"]; ok {
		if r.Arches, err = d.strs(v, joinPath(path, "arches")); err != nil {
			return err
		}
		if len(r.Arches) == 0 {
			return d.errf(joinPath(path, "arches"), "empty: leave the field out to apply the rule to every architecture")
		}
	}
	if r.Action, err = d.verdict(f, path, "action", "errno", ActAllow); err != nil {
		return err
	}
	if v, ok := f["inferred"]; ok {
		if r.Inferred, err = d.str(v, joinPath(path, "inferred")); err != nil {
			return err
		}
	}
	// Names and arches must be sound before argument keys can be resolved.
	if err := d.ruleArches(p, path, r); err != nil {
		return err
	}
	if err := d.ruleNames(p, path, r); err != nil {
		return err
	}
	if v, ok := f["args"]; ok {
		return d.args(p, v, joinPath(path, "args"), r)
	}
	return nil
}

func (d *decoder) args(p *Profile, n *yaml.Node, path string, r *Rule) error {
	f, err := d.fields(n, path)
	if err != nil {
		return err
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key := n.Content[i].Value
		apath := joinPath(path, key)
		idx, err := p.resolveArg(r, key)
		if err != nil {
			return d.errf(apath, "%v", err)
		}
		for _, prev := range r.Args {
			if prev.Index == idx {
				return d.errf(apath, "argument %d already constrained as %s: put both conditions in one matcher or in two rules", idx, prev.Name)
			}
		}
		m, err := d.matcher(f[key], apath, p.argWide(r, idx), p.argFamilies(r, idx))
		if err != nil {
			return err
		}
		r.Args = append(r.Args, ArgCond{Index: idx, Name: key, Match: m})
	}
	sort.SliceStable(r.Args, func(i, j int) bool { return r.Args[i].Index < r.Args[j].Index })
	return nil
}

var matcherOps = []string{"in", "bits", "eq", "ne", "range", "masked"}

func (d *decoder) matcher(n *yaml.Node, path string, wide bool, fams []*systab.Family) (Matcher, error) {
	var m Matcher
	f, err := d.fields(n, path, matcherOps...)
	if err != nil {
		return m, err
	}
	if len(f) != 1 {
		what := "no operator"
		if len(f) > 1 {
			what = "several operators"
		}
		return m, d.errf(path, "matcher has %s: want exactly one of %s", what, strings.Join(matcherOps, ", "))
	}
	val := func(n *yaml.Node, path string) (uint64, error) {
		if n.Kind == yaml.ScalarNode && isSymbolic(n.Value) {
			return d.symbolic(n, path, wide, fams)
		}
		l, err := d.literal(n, path)
		if err != nil {
			return 0, err
		}
		v, ok := l.value(wide)
		if !ok {
			w := "a 32-bit"
			if wide {
				w = "a 64-bit"
			}
			return 0, d.errf(path, "value %s does not fit %s argument", n.Value, w)
		}
		return v, nil
	}
	op := n.Content[0].Value
	v := n.Content[1]
	opath := joinPath(path, op)
	switch op {
	case "in":
		m.Op = OpIn
		m.Values, err = d.values(v, opath, val)
		if err == nil && len(m.Values) == 0 {
			err = d.errf(opath, "empty set: no call could match")
		}
		m.Values = sortedUnique(m.Values)
	case "bits":
		m.Op = OpBits
		var bs []uint64
		bs, err = d.values(v, opath, val)
		for _, b := range bs {
			m.Mask |= b
		}
	case "eq", "ne":
		m.Op = map[string]MatchOp{"eq": OpEq, "ne": OpNe}[op]
		m.Value, err = val(v, opath)
	case "range":
		m.Op = OpRange
		var lh []uint64
		if lh, err = d.values(v, opath, val); err == nil && len(lh) != 2 {
			err = d.errf(opath, "want [low, high]")
		}
		if err == nil {
			m.Lo, m.Hi = lh[0], lh[1]
		}
	case "masked":
		m.Op = OpMasked
		err = d.masked(v, opath, &m, val)
	}
	return m, err
}

// symbolic reads names ORed together ("SOCK_STREAM|SOCK_CLOEXEC"); a part
// may also be a number.
func (d *decoder) symbolic(n *yaml.Node, path string, wide bool, fams []*systab.Family) (uint64, error) {
	var v uint64
	for _, part := range strings.Split(n.Value, "|") {
		part = strings.TrimSpace(part)
		if !isSymbolic(part) {
			l, err := parseLiteral(part)
			if err != nil {
				return 0, d.errf(path, "%v", err)
			}
			w, ok := l.value(wide)
			if !ok {
				return 0, d.errf(path, "value %s does not fit the argument", part)
			}
			v |= w
			continue
		}
		w, err := symbolValue(fams, part)
		if err != nil {
			return 0, d.errf(path, "%v", err)
		}
		v |= w
	}
	if !wide && v > 0xffffffff {
		return 0, d.errf(path, "value %s does not fit a 32-bit argument", n.Value)
	}
	return v, nil
}

func (d *decoder) values(n *yaml.Node, path string, val func(*yaml.Node, string) (uint64, error)) ([]uint64, error) {
	if err := d.kind(n, path, yaml.SequenceNode, "a list of numbers"); err != nil {
		return nil, err
	}
	out := make([]uint64, len(n.Content))
	for i, e := range n.Content {
		ipath := indexPath(path, i)
		d.nodes[ipath] = e
		v, err := val(e, ipath)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func (d *decoder) masked(n *yaml.Node, path string, m *Matcher, val func(*yaml.Node, string) (uint64, error)) error {
	f, err := d.fields(n, path, "mask", "value")
	if err != nil {
		return err
	}
	for _, k := range []string{"mask", "value"} {
		if _, ok := f[k]; !ok {
			return d.errf(joinPath(path, k), "missing")
		}
	}
	if m.Mask, err = val(f["mask"], path+".mask"); err != nil {
		return err
	}
	m.Value, err = val(f["value"], path+".value")
	return err
}

func (d *decoder) counts(n *yaml.Node) (map[string]uint64, error) {
	if _, err := d.fields(n, "counts"); err != nil {
		return nil, err
	}
	out := make(map[string]uint64, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i].Value, n.Content[i+1]
		l, err := d.literal(v, joinPath("counts", k))
		if err != nil {
			return nil, err
		}
		c, ok := l.plain()
		if !ok {
			return nil, d.errf(joinPath("counts", k), "negative count")
		}
		out[k] = c
	}
	return out, nil
}

// Marshal renders a profile as YAML v1. The profile must be valid. Fields
// come in a fixed order, arguments by index, counts by name; numbers are
// written so that parsing gives the same profile and writing it again the
// same bytes. YAML has no field for a trace verdict's data or for a
// foreign-architecture errno other than EPERM: those are written as the bare
// action.
func Marshal(p *Profile) ([]byte, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("marshal profile: %w", err)
	}
	var b bytes.Buffer
	e := yaml.NewEncoder(&b)
	e.SetIndent(2)
	if err := e.Encode(encodeProfile(p)); err != nil {
		return nil, fmt.Errorf("marshal profile: %w", err)
	}
	if err := e.Close(); err != nil {
		return nil, fmt.Errorf("marshal profile: %w", err)
	}
	return b.Bytes(), nil
}

// Save writes a profile as YAML v1.
func Save(w io.Writer, p *Profile) error {
	data, err := Marshal(p)
	if err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		return fmt.Errorf("save profile: %w", err)
	}
	return nil
}

func str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }
func num(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: s} }
func boolean(b bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(b)}
}

type mapping struct{ n *yaml.Node }

func newMap(flow bool) mapping {
	m := mapping{&yaml.Node{Kind: yaml.MappingNode}}
	if flow {
		m.n.Style = yaml.FlowStyle
	}
	return m
}

func (m mapping) add(k string, v *yaml.Node) { m.n.Content = append(m.n.Content, str(k), v) }

// flowLimit is the rendered length above which a list is written one item
// per line.
const flowLimit = 72

func list(items []*yaml.Node) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Content: items}
	width := 0
	for _, it := range items {
		width += len(it.Value) + 2
	}
	if width <= flowLimit {
		n.Style = yaml.FlowStyle
	}
	return n
}

func strList(ss []string) *yaml.Node {
	items := make([]*yaml.Node, len(ss))
	for i, s := range ss {
		items[i] = str(s)
	}
	return list(items)
}

func encodeProfile(p *Profile) *yaml.Node {
	doc := newMap(false)
	doc.add("apiVersion", str(APIVersion))
	doc.add("kind", str(Kind))
	if md := encodeMetadata(p.Metadata); md != nil {
		doc.add("metadata", md)
	}
	doc.add("defaultAction", str(p.DefaultAction.Action.String()))
	if p.DefaultAction.Action == ActErrno {
		doc.add("defaultErrno", str(systab.ErrnoName(p.DefaultAction.Data)))
	}
	if p.UnknownErrno != 0 {
		doc.add("unknownErrno", str(systab.ErrnoName(p.UnknownErrno)))
	}
	if p.ForeignArchAction.Action != ActKillProcess {
		doc.add("foreignArchAction", str(p.ForeignArchAction.Action.String()))
	}
	doc.add("architectures", strList(p.Architectures))
	if len(p.Syscalls) > 0 {
		rules := &yaml.Node{Kind: yaml.SequenceNode}
		for i := range p.Syscalls {
			rules.Content = append(rules.Content, encodeRule(p, &p.Syscalls[i]))
		}
		doc.add("syscalls", rules)
	}
	if len(p.Counts) > 0 {
		c := newMap(true)
		for _, k := range sortedKeys(p.Counts) {
			c.add(k, num(strconv.FormatUint(p.Counts[k], 10)))
		}
		doc.add("counts", c.n)
	}
	return doc.n
}

func encodeMetadata(md Metadata) *yaml.Node {
	if md.Name == "" && md.Recorded == nil {
		return nil
	}
	m := newMap(false)
	if md.Name != "" {
		m.add("name", str(md.Name))
	}
	if r := md.Recorded; r != nil {
		rm := newMap(true)
		if len(r.Command) > 0 {
			c := strList(r.Command)
			c.Style = yaml.FlowStyle
			rm.add("command", c)
		}
		if r.Backend != "" {
			rm.add("backend", str(r.Backend))
		}
		if r.Kernel != "" {
			rm.add("kernel", str(r.Kernel))
		}
		rm.add("complete", boolean(r.Complete))
		m.add("recorded", rm.n)
	}
	return m.n
}

func encodeRule(p *Profile, r *Rule) *yaml.Node {
	m := newMap(false)
	m.add("names", strList(r.Names))
	if len(r.Arches) > 0 {
		m.add("arches", strList(r.Arches))
	}
	if len(r.Args) > 0 {
		args := append([]ArgCond(nil), r.Args...)
		sort.SliceStable(args, func(i, j int) bool { return args[i].Index < args[j].Index })
		am := newMap(false)
		for i := range args {
			am.add(argKey(p, r, &args[i]), encodeMatcher(args[i].Match, p.argWide(r, args[i].Index), p.argFamilies(r, args[i].Index)))
		}
		m.add("args", am.n)
	}
	if r.Action != Allow {
		m.add("action", str(r.Action.Action.String()))
		if r.Action.Action == ActErrno {
			m.add("errno", str(systab.ErrnoName(r.Action.Data)))
		}
	}
	if r.Inferred != "" {
		m.add("inferred", str(r.Inferred))
	}
	return m.n
}

// encodeMatcher writes a matcher, with the argument's names where every
// architecture of the rule agrees on them, numbers elsewhere.
func encodeMatcher(mt Matcher, wide bool, fams []*systab.Family) *yaml.Node {
	m := newMap(true)
	val := func(v uint64) *yaml.Node {
		if s, ok := spell(fams, v); ok {
			return str(s)
		}
		return num(formatValue(v, wide))
	}
	flow := func(items ...*yaml.Node) *yaml.Node {
		return &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle, Content: items}
	}
	switch mt.Op {
	case OpIn:
		items := make([]*yaml.Node, len(mt.Values))
		for i, v := range mt.Values {
			items[i] = val(v)
		}
		m.add("in", list(items))
	case OpBits:
		names, rest := splitMask(fams, mt.Mask)
		var items []*yaml.Node
		for _, n := range names {
			items = append(items, str(n))
		}
		for _, b := range maskBits(rest) {
			items = append(items, num(formatHex(b)))
		}
		m.add("bits", list(items))
	case OpEq, OpNe:
		m.add(mt.Op.String(), val(mt.Value))
	case OpRange:
		m.add("range", flow(val(mt.Lo), val(mt.Hi)))
	case OpMasked:
		mm := newMap(true)
		mm.add("mask", num(formatHex(mt.Mask)))
		mm.add("value", num(formatHex(mt.Value)))
		m.add("masked", mm.n)
	}
	return m.n
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
