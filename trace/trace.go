// Package trace is the plain, serialisable record of what a workload asked
// the kernel for: one entry per distinct call as a seccomp filter sees it,
// (arch, nr, args[6]) with a count and a mask of the arguments that were
// captured, plus where the recording came from and whether it is complete.
//
// Recorders produce a Trace; generalisation consumes it. Nothing downstream
// imports the recorders, so a trace saved on one machine can be learnt on
// another. Output is sorted: the same calls give the same bytes.
package trace

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/profile-dev/profile/internal/systab"
)

// Version is the trace format written by this package.
const Version = 1

// ErrFormat is wrapped by every error about a malformed trace.
var ErrFormat = errors.New("malformed trace")

// Trace is a recording.
type Trace struct {
	Version    int        `json:"version"`
	Provenance Provenance `json:"provenance"`
	// Complete is false when the recording may have missed calls; Gaps then
	// says why.
	Complete bool     `json:"complete"`
	Gaps     []string `json:"gaps,omitempty"`
	Calls    []Call   `json:"calls"`
}

// Provenance says where a trace came from.
type Provenance struct {
	Command []string  `json:"command,omitempty"`
	Backend string    `json:"backend,omitempty"`
	Kernel  string    `json:"kernel,omitempty"`
	Machine string    `json:"machine,omitempty"`
	Start   time.Time `json:"start,omitzero"`
	End     time.Time `json:"end,omitzero"`
	// ExitStatus is the workload's exit status as the shell reports it
	// (128+N for signal N), or -1 when unknown.
	ExitStatus int `json:"exitStatus"`
}

// ArgMask says which of the six arguments of a call were captured. A missing
// argument is never an observed zero.
type ArgMask uint8

// AllArgs has every argument captured.
const AllArgs ArgMask = 1<<systab.MaxArgs - 1

// Has reports whether argument i was captured.
func (m ArgMask) Has(i int) bool { return m&(1<<i) != 0 }

// Call is one distinct call and how often it was made.
type Call struct {
	// Arch is the ABI the call entered through (systab.Arch.Name): on x86-64
	// a task may use x86_64, i386 (int 0x80) or x32.
	Arch string `json:"arch"`
	// Nr is the raw number seccomp saw, the x32 bit included.
	Nr uint32 `json:"nr"`
	// Name is the syscall's name, or empty for a number the table lacks.
	// It is informative: Arch and Nr are authoritative.
	Name    string                 `json:"name,omitempty"`
	Args    [systab.MaxArgs]uint64 `json:"-"`
	ArgMask ArgMask                `json:"-"`
	Count   uint64                 `json:"count"`
}

// Key identifies a distinct call: calls with equal keys aggregate.
type Key struct {
	Arch    string
	Nr      uint32
	Args    [systab.MaxArgs]uint64
	ArgMask ArgMask
}

// Key returns the call's identity.
func (c Call) Key() Key { return Key{c.Arch, c.Nr, c.Args, c.ArgMask} }

func (c Call) String() string {
	var b strings.Builder
	name := c.Name
	if name == "" {
		name = "#" + strconv.FormatUint(uint64(c.Nr), 10)
	}
	fmt.Fprintf(&b, "%s/%s(", c.Arch, name)
	for i := range systab.MaxArgs {
		if i > 0 {
			b.WriteString(", ")
		}
		if c.ArgMask.Has(i) {
			fmt.Fprintf(&b, "%#x", c.Args[i])
		} else {
			b.WriteString("?")
		}
	}
	fmt.Fprintf(&b, ") x%d", c.Count)
	return b.String()
}

// callJSON is Call's wire form: arguments as hex strings (exact in every JSON
// reader, unlike numbers above 2^53), null where not captured.
type callJSON struct {
	Arch  string    `json:"arch"`
	Nr    uint32    `json:"nr"`
	Name  string    `json:"name,omitempty"`
	Args  []*string `json:"args"`
	Count uint64    `json:"count"`
}

// MarshalJSON writes the arguments as hex strings, null where not captured.
func (c Call) MarshalJSON() ([]byte, error) {
	j := callJSON{Arch: c.Arch, Nr: c.Nr, Name: c.Name, Count: c.Count, Args: make([]*string, systab.MaxArgs)}
	for i := range systab.MaxArgs {
		if c.ArgMask.Has(i) {
			s := "0x" + strconv.FormatUint(c.Args[i], 16)
			j.Args[i] = &s
		}
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads the form MarshalJSON writes.
func (c *Call) UnmarshalJSON(data []byte) error {
	var j callJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	if len(j.Args) > systab.MaxArgs {
		return fmt.Errorf("call %s/%d: %d arguments, at most %d", j.Arch, j.Nr, len(j.Args), systab.MaxArgs)
	}
	*c = Call{Arch: j.Arch, Nr: j.Nr, Name: j.Name, Count: j.Count}
	for i, s := range j.Args {
		if s == nil {
			continue
		}
		v, err := strconv.ParseUint(*s, 0, 64)
		if err != nil {
			return fmt.Errorf("call %s/%d: argument %d: %w", j.Arch, j.Nr, i, err)
		}
		c.Args[i] = v
		c.ArgMask |= 1 << i
	}
	return nil
}

// Sort orders calls by arch, number, argument mask and arguments.
func Sort(calls []Call) {
	sort.Slice(calls, func(i, j int) bool { return less(calls[i].Key(), calls[j].Key()) })
}

func less(a, b Key) bool {
	if a.Arch != b.Arch {
		return a.Arch < b.Arch
	}
	if a.Nr != b.Nr {
		return a.Nr < b.Nr
	}
	if a.ArgMask != b.ArgMask {
		return a.ArgMask < b.ArgMask
	}
	for i := range a.Args {
		if a.Args[i] != b.Args[i] {
			return a.Args[i] < b.Args[i]
		}
	}
	return false
}

// Builder aggregates calls as a recorder sees them. It is not safe for
// concurrent use.
type Builder struct {
	counts map[Key]uint64
}

// NewBuilder returns an empty Builder.
func NewBuilder() *Builder { return &Builder{counts: map[Key]uint64{}} }

// Add counts n calls with this identity.
func (b *Builder) Add(k Key, n uint64) { b.counts[k] += n }

// Len is the number of distinct calls so far.
func (b *Builder) Len() int { return len(b.counts) }

// Calls returns the aggregated calls, sorted and named.
func (b *Builder) Calls() []Call {
	calls := make([]Call, 0, len(b.counts))
	for k, n := range b.counts {
		c := Call{Arch: k.Arch, Nr: k.Nr, Args: k.Args, ArgMask: k.ArgMask, Count: n}
		if a, ok := systab.ArchByName(k.Arch); ok {
			c.Name, _ = a.SyscallName(k.Nr)
		}
		calls = append(calls, c)
	}
	Sort(calls)
	return calls
}

// Merge combines traces from several runs: counts of equal calls add up, and
// the result is complete only if every input is.
func Merge(ts ...*Trace) *Trace {
	out := &Trace{Version: Version, Complete: true, Provenance: Provenance{ExitStatus: -1}}
	b := NewBuilder()
	seenGap := map[string]bool{}
	for i, t := range ts {
		if i == 0 {
			out.Provenance = t.Provenance
		} else if out.Provenance.Backend != t.Provenance.Backend {
			out.Provenance.Backend = "mixed"
		}
		out.Complete = out.Complete && t.Complete
		for _, g := range t.Gaps {
			if !seenGap[g] {
				seenGap[g] = true
				out.Gaps = append(out.Gaps, g)
			}
		}
		for _, c := range t.Calls {
			b.Add(c.Key(), c.Count)
		}
	}
	sort.Strings(out.Gaps)
	out.Calls = b.Calls()
	return out
}

// Write saves a trace as indented JSON with sorted calls.
func Write(w io.Writer, t *Trace) error {
	c := *t
	c.Version = Version
	c.Calls = append([]Call(nil), t.Calls...)
	Sort(c.Calls)
	if c.Calls == nil {
		c.Calls = []Call{}
	}
	data, err := json.MarshalIndent(&c, "", "  ")
	if err != nil {
		return fmt.Errorf("encode trace: %w", err)
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// Read loads a trace and checks it. name is used in error messages.
func Read(r io.Reader, name string) (*Trace, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var t Trace
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("%s: %w: %s", name, ErrFormat, describeJSONError(data, err))
	}
	if t.Version != Version {
		return nil, fmt.Errorf("%s: %w: version %d, want %d", name, ErrFormat, t.Version, Version)
	}
	for i, c := range t.Calls {
		a, ok := systab.ArchByName(c.Arch)
		if !ok {
			return nil, fmt.Errorf("%s: %w: calls[%d]: unknown arch %q", name, ErrFormat, i, c.Arch)
		}
		if c.Nr&a.NrBase != a.NrBase {
			return nil, fmt.Errorf("%s: %w: calls[%d]: number %#x is not an %s number", name, ErrFormat, i, c.Nr, a.Name)
		}
	}
	return &t, nil
}

// describeJSONError adds the line and column to a JSON decoding error.
func describeJSONError(data []byte, err error) string {
	var off int64 = -1
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		off = syn.Offset
	case errors.As(err, &typ):
		off = typ.Offset
	}
	if off < 0 {
		return err.Error()
	}
	line, col := LineCol(data, off)
	return fmt.Sprintf("line %d, column %d: %v", line, col, err)
}

// LineCol converts a byte offset into a 1-based line and column.
func LineCol(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(off) - bytes.LastIndexByte(before, '\n')
	return line, col
}
