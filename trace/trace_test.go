package trace

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestJSONRoundTrip(t *testing.T) {
	in := &Trace{Version: Version, Complete: false, Gaps: []string{"interrupted"},
		Provenance: Provenance{Command: []string{"true"}, Backend: "trace", ExitStatus: 0},
		Calls: []Call{
			{Arch: "x86_64", Nr: 257, Name: "openat", Args: [6]uint64{0xffffffffffffff9c, 0x55d6447873a0, 0x80000}, ArgMask: 0b000111, Count: 3},
			{Arch: "i386", Nr: 3, Name: "read", Args: [6]uint64{1, 2, 3, 4, 5, 6}, ArgMask: AllArgs, Count: 1},
		}}
	var buf bytes.Buffer
	if err := Write(&buf, in); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	// Exact values as hex strings, and an argument not captured is null,
	// never zero.
	for _, want := range []string{`"0xffffffffffffff9c"`, `null`} {
		if !strings.Contains(text, want) {
			t.Errorf("JSON lacks %s:\n%s", want, text)
		}
	}
	out, err := Read(strings.NewReader(text), "t.json")
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := Write(&again, out); err != nil {
		t.Fatal(err)
	}
	if again.String() != text {
		t.Errorf("write/read/write changed the bytes:\n%s\n%s", text, again.String())
	}
	for _, c := range out.Calls {
		if c.Name == "openat" && (c.ArgMask.Has(3) || !c.ArgMask.Has(2)) {
			t.Errorf("argument mask lost: %v", c)
		}
	}
}

func TestMerge(t *testing.T) {
	a := &Trace{Version: Version, Complete: true, Calls: []Call{
		{Arch: "x86_64", Nr: 0, ArgMask: AllArgs, Count: 2},
		{Arch: "x86_64", Nr: 1, ArgMask: AllArgs, Count: 1},
	}}
	b := &Trace{Version: Version, Complete: false, Gaps: []string{"dropped 3 events"}, Calls: []Call{
		{Arch: "x86_64", Nr: 0, ArgMask: AllArgs, Count: 5},
		{Arch: "x86_64", Nr: 0, Args: [6]uint64{1}, ArgMask: AllArgs, Count: 1},
	}}
	m := Merge(a, b)
	if m.Complete {
		t.Error("merge with an incomplete trace is complete")
	}
	if len(m.Gaps) != 1 {
		t.Errorf("gaps = %v", m.Gaps)
	}
	want := map[Key]uint64{
		{Arch: "x86_64", Nr: 0, ArgMask: AllArgs}:                     7,
		{Arch: "x86_64", Nr: 1, ArgMask: AllArgs}:                     1,
		{Arch: "x86_64", Nr: 0, Args: [6]uint64{1}, ArgMask: AllArgs}: 1,
	}
	if len(m.Calls) != len(want) {
		t.Fatalf("calls = %v", m.Calls)
	}
	for _, c := range m.Calls {
		if want[c.Key()] != c.Count {
			t.Errorf("%v: count %d, want %d", c, c.Count, want[c.Key()])
		}
	}
	if m.Calls[0].Name != "read" {
		t.Errorf("merged calls are not named: %v", m.Calls[0])
	}
	// Merging in the other order gives the same calls.
	m2 := Merge(b, a)
	var x, y bytes.Buffer
	Write(&x, &Trace{Calls: m.Calls})
	Write(&y, &Trace{Calls: m2.Calls})
	if x.String() != y.String() {
		t.Error("merge depends on the order of its inputs")
	}
}

func TestReadErrors(t *testing.T) {
	cases := []struct {
		name, in string
		want     string
	}{
		{"syntax", "{\n  \"version\": 1,\n  \"calls\": [}\n", "line 3"},
		{"type", "{\"version\": 1, \"calls\": [{\"arch\": \"x86_64\", \"nr\": \"x\"}]}", "line 1"},
		{"version", `{"version": 9, "calls": []}`, "version 9"},
		{"arch", `{"version": 1, "calls": [{"arch": "vax", "nr": 1, "args": [], "count": 1}]}`, `unknown arch "vax"`},
		{"x32-number", `{"version": 1, "calls": [{"arch": "x32", "nr": 1, "args": [], "count": 1}]}`, "not an x32 number"},
		{"unknown-field", `{"version": 1, "calls": [], "extra": true}`, "extra"},
		{"bad-arg", `{"version": 1, "calls": [{"arch": "x86_64", "nr": 1, "args": ["zz"], "count": 1}]}`, "argument 0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.in), "t.json")
			if !errors.Is(err, ErrFormat) {
				t.Fatalf("err = %v, want ErrFormat", err)
			}
			if !strings.Contains(err.Error(), "t.json") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want the file name and %q", err, tc.want)
			}
		})
	}
}
