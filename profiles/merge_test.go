package profiles

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

func mustMerge(t *testing.T, mode MergeMode, ps ...*Profile) *Profile {
	t.Helper()
	m, err := MergeWith(mode, ps...)
	if err != nil {
		t.Fatalf("merge: %v", err)
	}
	return m
}

func mustMarshal(t *testing.T, p *Profile) string {
	t.Helper()
	c := p.Clone()
	Canonicalize(c)
	b, err := Marshal(c)
	if err != nil {
		t.Fatalf("marshal: %v\n%v", err, p.Syscalls)
	}
	return string(b)
}

func anyAllows(ps []*Profile, c call) bool {
	for _, p := range ps {
		if Evaluate(p, c.audit, c.nr, c.args) == Allow {
			return true
		}
	}
	return false
}

// TestMergeUnion: in exact mode the result allows a sampled call exactly
// when some input does; in balanced mode it allows at least that.
func TestMergeUnion(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 300 {
		ps := []*Profile{randomProfile(rng), randomProfile(rng)}
		if i%3 == 0 {
			ps = append(ps, randomProfile(rng))
		}
		exact := mustMerge(t, MergeExact, ps...)
		balanced := mustMerge(t, MergeBalanced, ps...)
		for _, c := range sampleCalls(rng, 40, ps...) {
			want := anyAllows(ps, c)
			if got := Evaluate(exact, c.audit, c.nr, c.args) == Allow; got != want {
				t.Fatalf("exact merge allows %v: %v, inputs: %v\ninputs:\n%s\nmerged:\n%s", c, got, want, dump(t, ps...), mustMarshal(t, exact))
			}
			if want && Evaluate(balanced, c.audit, c.nr, c.args) != Allow {
				t.Fatalf("balanced merge denies %v which an input allows\ninputs:\n%s\nmerged:\n%s", c, dump(t, ps...), mustMarshal(t, balanced))
			}
		}
	}
}

func dump(t *testing.T, ps ...*Profile) string {
	t.Helper()
	var parts []string
	for _, p := range ps {
		parts = append(parts, mustMarshal(t, p))
	}
	return strings.Join(parts, "---\n")
}

// TestMergeAlgebra: any grouping and order of the same inputs gives the
// same bytes after Canonicalize and Marshal, and the same verdicts.
func TestMergeAlgebra(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, mode := range []MergeMode{MergeBalanced, MergeExact} {
		for range 200 {
			a, b, c := randomProfile(rng), randomProfile(rng), randomProfile(rng)
			results := []*Profile{
				mustMerge(t, mode, mustMerge(t, mode, a, b), c),
				mustMerge(t, mode, a, mustMerge(t, mode, b, c)),
				mustMerge(t, mode, c, b, a),
				mustMerge(t, mode, b, mustMerge(t, mode, c, a)),
				mustMerge(t, mode, mustMerge(t, mode, a, c), mustMerge(t, mode, b)),
			}
			want := mustMarshal(t, results[0])
			for i, r := range results[1:] {
				if got := mustMarshal(t, r); got != want {
					t.Fatalf("mode %d: grouping %d differs:\n%s\nwant\n%s\ninputs:\n%s", mode, i+1, got, want, dump(t, a, b, c))
				}
			}
			for _, s := range sampleCalls(rng, 10, a, b, c) {
				v := Evaluate(results[0], s.audit, s.nr, s.args)
				for i, r := range results[1:] {
					if w := Evaluate(r, s.audit, s.nr, s.args); w != v {
						t.Fatalf("grouping %d answers %v with %v, want %v", i+1, s, w, v)
					}
				}
			}
		}
	}
}

func TestMergeExamples(t *testing.T) {
	in := func(idx int, vs ...uint64) []ArgCond {
		return []ArgCond{{Index: idx, Match: Matcher{Op: OpIn, Values: vs}}}
	}
	bits := func(idx int, m uint64) []ArgCond {
		return []ArgCond{{Index: idx, Match: Matcher{Op: OpBits, Mask: m}}}
	}
	prof := func(arches []string, rules ...Rule) *Profile {
		return &Profile{DefaultAction: Errno(1), ForeignArchAction: KillProcess, Architectures: arches, Syscalls: rules}
	}
	x86 := []string{"x86_64"}
	cases := []struct {
		name string
		mode MergeMode
		in   []*Profile
		want []Rule
	}{
		{name: "in-sets-union", in: []*Profile{
			prof(x86, Rule{Names: []string{"ioctl"}, Args: in(1, 0x5401)}),
			prof(x86, Rule{Names: []string{"ioctl"}, Args: in(1, 0x5413)}),
		}, want: []Rule{{Names: []string{"ioctl"}, Args: in(1, 0x5401, 0x5413)}}},
		{name: "masks-or-balanced", in: []*Profile{
			prof(x86, Rule{Names: []string{"mmap"}, Args: bits(2, 1)}),
			prof(x86, Rule{Names: []string{"mmap"}, Args: bits(2, 2)}),
		}, want: []Rule{{Names: []string{"mmap"}, Args: bits(2, 3)}}},
		{name: "masks-kept-exact", mode: MergeExact, in: []*Profile{
			prof(x86, Rule{Names: []string{"mmap"}, Args: bits(2, 1)}),
			prof(x86, Rule{Names: []string{"mmap"}, Args: bits(2, 2)}),
			prof(x86, Rule{Names: []string{"mmap"}, Args: bits(2, 3|4)}, Rule{Names: []string{"mmap"}, Args: bits(2, 8)}),
		}, want: []Rule{{Names: []string{"mmap"}, Args: bits(2, 7)}, {Names: []string{"mmap"}, Args: bits(2, 8)}}},
		{name: "any-arguments-absorbs", in: []*Profile{
			prof(x86, Rule{Names: []string{"ioctl"}, Args: in(1, 0x5401)}, Rule{Names: []string{"read"}}),
			prof(x86, Rule{Names: []string{"ioctl", "write"}}),
		}, want: []Rule{{Names: []string{"ioctl", "read", "write"}}}},
		{name: "observed-beats-inferred", in: []*Profile{
			prof(x86, Rule{Names: []string{"exit"}, Inferred: "every process may need it"}),
			prof(x86, Rule{Names: []string{"exit"}}),
		}, want: []Rule{{Names: []string{"exit"}}}},
		{name: "arches-stay-confined", in: []*Profile{
			prof(x86, Rule{Names: []string{"read", "write"}}),
			prof([]string{"i386"}, Rule{Names: []string{"read"}}),
		}, want: []Rule{{Names: []string{"read"}}, {Names: []string{"write"}, Arches: x86}}},
		{name: "same-denials-kept", in: []*Profile{
			prof(x86, Rule{Names: []string{"clone3"}, Action: Errno(38)}, Rule{Names: []string{"read"}}),
			prof(x86, Rule{Names: []string{"clone3"}, Action: Errno(38)}),
		}, want: []Rule{{Names: []string{"read"}}, {Names: []string{"clone3"}, Action: Errno(38)}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := mustMerge(t, tc.mode, tc.in...)
			if !reflect.DeepEqual(got.Syscalls, tc.want) {
				t.Errorf("got\n%v\nwant\n%v", got.Syscalls, tc.want)
			}
		})
	}
}

func TestMergeMetadataAndCounts(t *testing.T) {
	base := func(name, backend string, complete bool, counts map[string]uint64) *Profile {
		return &Profile{
			Metadata:      Metadata{Name: name, Recorded: &Recorded{Command: []string{name}, Backend: backend, Kernel: "6.18", Complete: complete}},
			DefaultAction: Errno(1), ForeignArchAction: KillProcess, Architectures: []string{"x86_64"},
			Syscalls: []Rule{{Names: []string{"read"}}}, Counts: counts,
		}
	}
	m := mustMerge(t, MergeBalanced,
		base("b", "ebpf", true, map[string]uint64{"read": 2}),
		base("a", "trace", false, map[string]uint64{"read": 3, "write": 1}))
	if m.Metadata.Name != "a" {
		t.Errorf("name %q, want the least, a", m.Metadata.Name)
	}
	want := &Recorded{Command: []string{"mixed"}, Backend: "mixed", Kernel: "6.18", Complete: false}
	if !reflect.DeepEqual(m.Metadata.Recorded, want) {
		t.Errorf("recorded %+v, want %+v", m.Metadata.Recorded, want)
	}
	if !reflect.DeepEqual(m.Counts, map[string]uint64{"read": 5, "write": 1}) {
		t.Errorf("counts %v, want read 5, write 1", m.Counts)
	}
}

func TestMergeErrors(t *testing.T) {
	prof := func(def Verdict, unknown uint16, foreign Verdict, rules ...Rule) *Profile {
		return &Profile{Metadata: Metadata{Name: "p"}, DefaultAction: def, UnknownErrno: unknown, ForeignArchAction: foreign, Architectures: []string{"x86_64"}, Syscalls: rules}
	}
	ok := prof(Errno(1), 38, KillProcess, Rule{Names: []string{"read"}})
	cases := []struct {
		name string
		in   []*Profile
		want error
		msg  string
	}{
		{name: "none", want: ErrMerge, msg: "no profiles"},
		{name: "nil", in: []*Profile{ok, nil}, want: ErrMerge, msg: "input 2 is nil"},
		{name: "invalid", in: []*Profile{ok, prof(Errno(1), 38, KillProcess, Rule{Names: []string{"nosuch"}})}, want: ErrInvalid, msg: "nosuch"},
		{name: "default", in: []*Profile{ok, prof(KillProcess, 38, KillProcess)}, want: ErrIncompatible, msg: "defaultAction is errno(EPERM) in input 1 (p) but kill-process in input 2 (p)"},
		{name: "unknown", in: []*Profile{ok, prof(Errno(1), 0, KillProcess)}, want: ErrIncompatible, msg: "unknownErrno is ENOSYS"},
		{name: "foreign", in: []*Profile{ok, prof(Errno(1), 38, Errno(1))}, want: ErrIncompatible, msg: "foreignArchAction"},
		{name: "denial-vs-allow", in: []*Profile{
			prof(Errno(1), 38, KillProcess, Rule{Names: []string{"clone3"}, Action: Errno(38)}),
			prof(Errno(1), 38, KillProcess, Rule{Names: []string{"clone3"}}),
		}, want: ErrConflict, msg: "clone3 on x86_64"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Merge(tc.in...)
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %v, want %v containing %q", err, tc.want, tc.msg)
			}
		})
	}
}
