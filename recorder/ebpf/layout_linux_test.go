//go:build linux && amd64

package ebpf

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"sort"
	"testing"

	"github.com/cilium/ebpf/btf"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/internal/testutil"
	"github.com/profile-dev/profile/trace"
)

// memberOffset finds a member's byte offset in a struct of a parsed spec.
func memberOffset(t *testing.T, spec *btf.Spec, sname, mname string) uint32 {
	t.Helper()
	var s *btf.Struct
	if err := spec.TypeByName(sname, &s); err != nil {
		t.Fatalf("%s: %v", sname, err)
	}
	for _, m := range s.Members {
		if m.Name == mname {
			return uint32(m.Offset.Bytes())
		}
	}
	t.Fatalf("no %s.%s", sname, mname)
	return 0
}

// TestLayoutHint checks that a hint finds the layout the scan found, and
// that a hint for other BTF, or pointing elsewhere, is refused.
func TestLayoutHint(t *testing.T) {
	blob := synthetic(t, 16, entryRegs)
	want, hint, err := scanLayout(bytes.NewReader(blob))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := checkHint(bytes.NewReader(blob), hint); err != nil || got != want {
		t.Fatalf("hint: %+v, %v; want %+v", got, err, want)
	}
	other := synthetic(t, 8, entryRegs) // same shape, status moved
	if got, err := checkHint(bytes.NewReader(other), hint); err == nil && got == want {
		t.Errorf("a hint for other BTF gave the old layout %+v", got)
	}
	for name, edit := range map[string]func(*layoutHint){
		"task_struct elsewhere": func(h *layoutHint) { h.Task = h.ThreadInfo },
		"another member":        func(h *layoutHint) { h.TaskMember++ },
		"registers shifted":     func(h *layoutHint) { h.RegsMember++ },
		"past the end":          func(h *layoutHint) { h.Regs = 1 << 40 },
		"negative":              func(h *layoutHint) { h.Task = -12 },
	} {
		h := hint
		edit(&h)
		if got, err := checkHint(bytes.NewReader(blob), h); err == nil {
			t.Errorf("%s: accepted, %+v", name, got)
		}
	}
}

// TestKernelLayout holds the one-pass scanner to cilium/ebpf's full parse
// of the running kernel's BTF.
func TestKernelLayout(t *testing.T) {
	if _, err := os.Stat(vmlinuxBTF); err != nil {
		testutil.Skip(t, "no kernel BTF")
	}
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	got, err := readKernelLayout() // scans, keeps a hint
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := loadHint(); !ok && ownedByUs(os.Getenv("XDG_CACHE_HOME")) {
		t.Error("no hint kept")
	}
	if again, err := readKernelLayout(); err != nil || again != got { // from the hint
		t.Errorf("from the hint: %+v, %v; the scan said %+v", again, err, got)
	}
	spec, err := btf.LoadKernelSpec()
	if err != nil {
		t.Fatal(err)
	}
	want := memberOffset(t, spec, "task_struct", "thread_info") + memberOffset(t, spec, "thread_info", "status")
	if got.statusOffset != want {
		t.Errorf("status offset %d, full parse says %d", got.statusOffset, want)
	}
	for i, reg := range entryRegs {
		if off := memberOffset(t, spec, "pt_regs", reg); off != uint32(8*i) {
			t.Errorf("pt_regs.%s at %d, the raw program assumes %d", reg, off, 8*i)
		}
	}
}

// synthetic marshals a BTF blob with the three structs, pt_regs' members
// in the given order.
func synthetic(t *testing.T, statusAt uint32, regs []string) []byte {
	t.Helper()
	u64 := &btf.Int{Name: "long unsigned int", Size: 8}
	u32 := &btf.Int{Name: "unsigned int", Size: 4}
	ti := &btf.Struct{Name: "thread_info", Size: 24, Members: []btf.Member{
		{Name: "flags", Type: u64, Offset: 0},
		{Name: "status", Type: u32, Offset: btf.Bits(8 * statusAt)},
	}}
	task := &btf.Struct{Name: "task_struct", Size: 64, Members: []btf.Member{
		{Name: "thread_info", Type: ti, Offset: 0},
		{Name: "state", Type: u32, Offset: btf.Bits(8 * 24)},
	}}
	var ms []btf.Member
	for i, r := range regs {
		ms = append(ms, btf.Member{Name: r, Type: u64, Offset: btf.Bits(64 * i)})
	}
	regsT := &btf.Struct{Name: "pt_regs", Size: uint32(8 * len(regs)), Members: ms}
	// Unrelated types of every trailing-data shape come first, so the
	// scanner must skip them correctly.
	other := []btf.Type{
		&btf.Array{Index: u32, Type: u64, Nelems: 3},
		&btf.Enum{Name: "e", Size: 4, Values: []btf.EnumValue{{Name: "A", Value: 1}, {Name: "B", Value: 2}}},
		&btf.Enum{Name: "e64", Size: 8, Values: []btf.EnumValue{{Name: "C", Value: 1 << 40}}},
		&btf.Union{Name: "u", Size: 8, Members: []btf.Member{{Name: "x", Type: u64}}},
		&btf.FuncProto{Return: u32, Params: []btf.FuncParam{{Name: "a", Type: u64}, {Name: "b", Type: u32}}},
	}
	var b btf.Builder
	for _, typ := range append(other, task, regsT) {
		if _, err := b.Add(typ); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := b.Marshal(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestScanLayoutSynthetic(t *testing.T) {
	for _, c := range []struct {
		name     string
		statusAt uint32
		regs     []string
		want     uint32
		err      error
	}{
		{"5.11 and later", 16, entryRegs, 16, nil},
		{"before 5.11", 8, entryRegs, 8, nil},
		{"registers in another order", 16, append([]string{"r14", "r15"}, entryRegs[2:]...), 0, errLayout},
		{"a register missing", 16, entryRegs[:len(entryRegs)-1], 0, errLayout},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, _, err := scanLayout(bytes.NewReader(synthetic(t, c.statusAt, c.regs)))
			if !errors.Is(err, c.err) {
				t.Fatalf("err %v, want %v", err, c.err)
			}
			if err == nil && got.statusOffset != c.want {
				t.Errorf("status offset %d, want %d", got.statusOffset, c.want)
			}
		})
	}
	if _, _, err := scanLayout(bytes.NewReader([]byte("not btf at all, just some bytes"))); err == nil {
		t.Error("garbage: no error")
	}
}

// learnable keeps the arguments a profile can constrain, as the recorder
// package's CaptureMask does (which this package cannot import).
func learnable(a *systab.Arch, nr uint32) trace.ArgMask {
	m, known := systab.LearnableArgs(a, nr)
	if !known {
		return trace.AllArgs
	}
	return trace.ArgMask(m)
}

// TestRawAndCOREAgree records the same work with both sys_enter programs:
// every (arch, nr, captured args) must be counted alike.
func TestRawAndCOREAgree(t *testing.T) {
	argv := []string{"/bin/sh", "-c", "i=0; while [ $i -lt 300 ]; do i=$((i+1)); done; ls -l / >/dev/null; cat /etc/hostname >/dev/null"}
	norm := func(calls []trace.Call) []trace.Call {
		out := make([]trace.Call, 0, len(calls))
		for _, c := range calls {
			c.Count = 0 // timing varies; the set of calls must not
			out = append(out, c)
		}
		sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
		return out
	}
	raw, rgaps, rst := recordCommand(t, Config{Capture: learnable}, argv...)
	core, cgaps, cst := recordCommand(t, Config{Capture: learnable, ForceCORE: true}, argv...)
	if len(rgaps)+len(cgaps) != 0 {
		t.Fatalf("gaps: %v %v", rgaps, cgaps)
	}
	if rst.Calls == 0 || cst.Calls == 0 {
		t.Fatalf("calls: raw %d, CO-RE %d", rst.Calls, cst.Calls)
	}
	if !reflect.DeepEqual(norm(raw), norm(core)) {
		t.Errorf("raw and CO-RE programs saw different calls:\nraw:  %v\nCO-RE: %v", norm(raw), norm(core))
	}
}

// FuzzScanLayout feeds the scanner mutated BTF: it must never panic, hang
// or read past what it was given, and whatever it accepts must satisfy
// the raw program's assumptions.
func FuzzScanLayout(f *testing.F) {
	t := &testing.T{}
	f.Add(synthetic(t, 16, entryRegs))
	f.Add(synthetic(t, 8, entryRegs))
	f.Add(synthetic(t, 16, entryRegs[:3]))
	f.Add([]byte{0x9f, 0xeb, 1, 0, 24, 0, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		got, hint, err := scanLayout(bytes.NewReader(data))
		if err != nil {
			return
		}
		// A hint from an accepted scan leads back to the same layout.
		if hint != (layoutHint{}) {
			again, err := checkHint(bytes.NewReader(data), hint)
			if err != nil || again != got {
				t.Fatalf("hint %+v: %+v, %v; the scan said %+v", hint, again, err, got)
			}
		}
		// Accepted: task_struct.thread_info + thread_info.status was found
		// and pt_regs matched; an offset past any plausible task_struct is
		// still just a number the program adds to a task pointer, but it
		// must come from the input, not be invented.
		if got.statusOffset > 1<<28 {
			t.Fatalf("status offset %#x from %d bytes of input", got.statusOffset, len(data))
		}
	})
}
