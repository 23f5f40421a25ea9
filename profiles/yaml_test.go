package profiles

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/profile-dev/profile/internal/testutil"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestGoldenYAML parses each testdata/yaml/*.yaml, saves it, compares the
// result with its .golden file, and checks that the golden output is a fixed
// point: parsing and saving it again gives the same bytes.
func TestGoldenYAML(t *testing.T) {
	inputs, err := filepath.Glob("testdata/yaml/*.yaml")
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no inputs: %v", err)
	}
	for _, in := range inputs {
		t.Run(filepath.Base(in), func(t *testing.T) {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			got := mustRoundTrip(t, data, in)
			golden := strings.TrimSuffix(in, ".yaml") + ".golden"
			testutil.Golden(t, golden, got, *update)
			if again := mustRoundTrip(t, got, golden); !bytes.Equal(again, got) {
				t.Errorf("saving our own output is not a fixed point:\nfirst:\n%s\nsecond:\n%s", got, again)
			}
		})
	}
}

func mustRoundTrip(t *testing.T, data []byte, name string) []byte {
	t.Helper()
	p, err := Parse(data, name)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	var b bytes.Buffer
	if err := Save(&b, p); err != nil {
		t.Fatalf("save: %v", err)
	}
	return b.Bytes()
}

func TestParseValues(t *testing.T) {
	data, err := os.ReadFile("testdata/yaml/numbers.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(data, "numbers.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		rule, arg int
		want      Matcher
	}{
		// dfd is an int: -100 is the 32-bit two's complement.
		{0, 0, Matcher{Op: OpIn, Values: []uint64{3, 7, 0x10000, 0xffffff9c, 0xffffffff}}},
		{0, 1, Matcher{Op: OpRange, Lo: 0, Hi: 0o777}},
		// offset is a long (off_t): -1 is 64 bits of ones.
		{1, 0, Matcher{Op: OpIn, Values: []uint64{0xffffffff, 0xfffffffffffeffff, 0xffffffffffff0000, 0xffffffffffffffff}}},
		{1, 1, Matcher{Op: OpNe, Value: 0xfffffffe}},
		{2, 0, Matcher{Op: OpBits, Mask: 3}},
	}
	for _, tt := range tests {
		got := p.Syscalls[tt.rule].Args[tt.arg].Match
		if got.String() != tt.want.String() {
			t.Errorf("rule %d arg %d: got %v, want %v", tt.rule, tt.arg, got, tt.want)
		}
	}
	if p.DefaultAction != (Verdict{Action: ActTrap}) || p.UnknownErrno != 38 || p.ForeignArchAction != Errno(1) {
		t.Errorf("header: got default %v unknown %d foreign %v", p.DefaultAction, p.UnknownErrno, p.ForeignArchAction)
	}
	if got := p.Syscalls[3].Action; got != (Verdict{Action: ActKillThread}) {
		t.Errorf("kill rule: got %v", got)
	}
}

func TestKillIsKillProcess(t *testing.T) {
	p, err := Parse([]byte("apiVersion: profile/v1\nkind: SeccompProfile\ndefaultAction: kill\narchitectures: [x86_64]\n"), "k.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if p.DefaultAction != KillProcess {
		t.Errorf("got %v, want kill-process", p.DefaultAction)
	}
}

const head = "apiVersion: profile/v1\nkind: SeccompProfile\ndefaultAction: errno\narchitectures: [x86_64, i386]\nsyscalls:\n"

// TestParseErrors checks each validation error's file, line, column and
// field. at is "LINE:TEXT": the column is where TEXT first occurs on that
// line, so the expectation reads like the input.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		at    string
		field string
		msg   string
	}{
		{"malformed flow", "apiVersion: profile/v1\nkind: [a\n  b: c\n", "2:kind", "", "did not find expected ',' or ']'"},
		{"malformed tab", "apiVersion: profile/v1\nsyscalls:\n\t- names: [read]\n", "3:\t", "", "cannot start any token"},
		{"malformed mapping", "apiVersion: profile/v1\nkind: a: b\n", "2:kind", "", "mapping values are not allowed"},
		{"empty", "", "1:", "", "empty profile"},
		{"comment only", "# nothing\n", "1:", "", "empty profile"},
		{"not a mapping", "- a\n", "1:-", "", "want a mapping"},
		{"unknown field", "apiVersion: profile/v1\nkind: SeccompProfile\ndefualtAction: errno\n", "3:defualtAction", "defualtAction", "unknown field"},
		{"duplicate field", "apiVersion: profile/v1\nkind: SeccompProfile\nkind: SeccompProfile\n", "3:kind", "kind", "given twice"},
		{"api version", "apiVersion: profile/v2\nkind: SeccompProfile\n", "1:profile/v2", "apiVersion", `unsupported apiVersion "profile/v2"`},
		{"missing api version", "kind: SeccompProfile\n", "1:kind", "apiVersion", "missing"},
		{"kind", "apiVersion: profile/v1\nkind: Profile\n", "2:Profile", "kind", `unsupported kind "Profile"`},
		{"missing action", "apiVersion: profile/v1\nkind: SeccompProfile\narchitectures: [x86_64]\n", "1:apiVersion", "defaultAction", "missing"},
		{"unknown action", "apiVersion: profile/v1\nkind: SeccompProfile\ndefaultAction: deny\n", "3:deny", "defaultAction", `action "deny"`},
		{"unknown errno", "apiVersion: profile/v1\nkind: SeccompProfile\ndefaultAction: errno\ndefaultErrno: EPERMX\n", "4:EPERMX", "defaultErrno", `unknown errno "EPERMX"`},
		{"errno too big", "apiVersion: profile/v1\nkind: SeccompProfile\ndefaultAction: errno\ndefaultErrno: 4096\n", "4:4096", "defaultErrno", "out of range"},
		{"errno without errno", "apiVersion: profile/v1\nkind: SeccompProfile\ndefaultAction: allow\ndefaultErrno: EPERM\n", "4:EPERM", "defaultErrno", "not errno"},
		{"no architectures", "apiVersion: profile/v1\nkind: SeccompProfile\ndefaultAction: allow\narchitectures: []\n", "4:[", "architectures", "no architectures"},
		{"missing architectures", "apiVersion: profile/v1\nkind: SeccompProfile\ndefaultAction: allow\n", "1:apiVersion", "architectures", "no architectures"},
		{"unknown architecture", "apiVersion: profile/v1\nkind: SeccompProfile\ndefaultAction: allow\narchitectures: [x86_64, x86-64]\n", "4:x86-64", "architectures[1]", `unknown architecture "x86-64"`},
		{"OCI architecture name", "apiVersion: profile/v1\nkind: SeccompProfile\ndefaultAction: allow\narchitectures: [SCMP_ARCH_X86_64]\n", "4:SCMP", "architectures[0]", "unknown architecture"},
		{"unknown syscall", head + "  - names: [read]\n  - names: [close]\n  - names: [read, opnat]\n", "8:opnat", "syscalls[2].names[1]", `unknown syscall "opnat" (not in x86_64, i386)`},
		{"syscall not on rule arches", head + "  - names: [newfstatat]\n    arches: [i386]\n", "6:newfstatat", "syscalls[0].names[0]", `unknown syscall "newfstatat" (not in i386)`},
		{"no names", head + "  - names: []\n", "6:[", "syscalls[0].names", "no syscall names"},
		{"missing names", head + "  - action: allow\n", "6:action", "syscalls[0].names", "missing"},
		{"unknown rule field", head + "  - names: [read]\n    nmes: [x]\n", "7:nmes", "syscalls[0].nmes", "unknown field"},
		{"rule arch not in profile", head + "  - names: [read]\n    arches: [arm]\n", "7:arm", "syscalls[0].arches[0]", `"arm" is not in the profile's architectures (x86_64, i386)`},
		{"rule errno without errno", head + "  - names: [read]\n    errno: EPERM\n", "7:EPERM", "syscalls[0].errno", "not errno"},
		{"rule unknown action", head + "  - names: [read]\n    action: nope\n", "7:nope", "syscalls[0].action", `action "nope"`},
		{"unknown argument", head + "  - names: [openat]\n    args:\n      flagz: {eq: 1}\n", "8:{", "syscalls[0].args.flagz", `argument "flagz"`},
		{"index above 5", head + "  - names: [openat]\n    args:\n      a6: {eq: 1}\n", "8:{", "syscalls[0].args.a6", "index above 5"},
		{"argument twice", head + "  - names: [openat]\n    args:\n      flags: {eq: 1}\n      a2: {eq: 0}\n", "9:{", "syscalls[0].args.a2", "already constrained as flags"},
		{"argument moves", head + "  - names: [openat, open]\n    args:\n      flags: {eq: 1}\n", "8:{", "syscalls[0].args.flags", "split the rule or write a2/a1"},
		{"no operator", head + "  - names: [openat]\n    args:\n      flags: {}\n", "8:{", "syscalls[0].args.flags", "no operator"},
		{"several operators", head + "  - names: [openat]\n    args:\n      flags: {eq: 1, ne: 2}\n", "8:{", "syscalls[0].args.flags", "several operators"},
		{"unknown operator", head + "  - names: [openat]\n    args:\n      flags: {lt: 1}\n", "8:lt", "syscalls[0].args.flags.lt", "unknown field"},
		{"empty in", head + "  - names: [ioctl]\n    args:\n      cmd: {in: []}\n", "8:[", "syscalls[0].args.cmd.in", "empty set"},
		{"range reversed", head + "  - names: [openat]\n    args:\n      mode: {range: [10, 2]}\n", "8:[", "syscalls[0].args.mode.range", "low above high"},
		{"range arity", head + "  - names: [openat]\n    args:\n      mode: {range: [10]}\n", "8:[", "syscalls[0].args.mode.range", "want [low, high]"},
		{"too wide for int", head + "  - names: [openat]\n    args:\n      flags: {in: [1, 0x100000000]}\n", "8:0x1000", "syscalls[0].args.flags.in[1]", "does not fit a 32-bit argument"},
		{"negative too wide for int", head + "  - names: [openat]\n    args:\n      dfd: {eq: -2147483649}\n", "8:-2", "syscalls[0].args.dfd.eq", "does not fit a 32-bit argument"},
		{"not a number", head + "  - names: [openat]\n    args:\n      dfd: {eq: AT_FDCWD}\n", "8:AT_", "syscalls[0].args.dfd.eq", "not a number"},
		{"leading zero", head + "  - names: [openat]\n    args:\n      mode: {eq: 0755}\n", "8:0755", "syscalls[0].args.mode.eq", "leading zero"},
		{"masked missing value", head + "  - names: [openat]\n    args:\n      mode: {masked: {mask: 1}}\n", "8:{mask: 1", "syscalls[0].args.mode.masked.value", "missing"},
		{"unknown count", "apiVersion: profile/v1\nkind: SeccompProfile\ndefaultAction: allow\narchitectures: [x86_64]\ncounts: {read: 1, opnat: 2}\n", "5:2", "counts.opnat", `unknown syscall "opnat"`},
		{"negative count", "apiVersion: profile/v1\nkind: SeccompProfile\ndefaultAction: allow\narchitectures: [x86_64]\ncounts: {read: -1}\n", "5:-1", "counts.read", "negative"},
		{"alias", "apiVersion: profile/v1\nkind: SeccompProfile\ndefaultAction: &a allow\nforeignArchAction: *a\n", "4:*a", "foreignArchAction", "aliases"},
		{"complete not bool", "apiVersion: profile/v1\nkind: SeccompProfile\nmetadata: {recorded: {complete: maybe}}\n", "3:maybe", "metadata.recorded.complete", "true or false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.in), "app.yaml")
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v does not wrap ErrInvalid", err)
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("error %v is not a *ValidationError", err)
			}
			line, col := wantPos(t, tt.in, tt.at)
			if ve.File != "app.yaml" || ve.Line != line || ve.Col != col || ve.Field != tt.field {
				t.Errorf("got %s:%d:%d field %q, want app.yaml:%d:%d field %q (error: %v)", ve.File, ve.Line, ve.Col, ve.Field, line, col, tt.field, err)
			}
			if !strings.Contains(ve.Msg, tt.msg) {
				t.Errorf("message %q does not contain %q", ve.Msg, tt.msg)
			}
			if !strings.HasPrefix(err.Error(), ve.File+":") {
				t.Errorf("error %q does not start with the file name", err)
			}
		})
	}
}

func wantPos(t *testing.T, in, at string) (int, int) {
	t.Helper()
	var line int
	i := strings.IndexByte(at, ':')
	for _, c := range at[:i] {
		line = line*10 + int(c-'0')
	}
	text := at[i+1:]
	lines := strings.Split(in, "\n")
	switch text {
	case "":
		return line, 1
	case "$":
		return line, len(lines[line-1]) + 1
	}
	col := strings.Index(lines[line-1], text)
	if col < 0 {
		t.Fatalf("%q not on line %d", text, line)
	}
	return line, col + 1
}

func TestErrorFormat(t *testing.T) {
	_, err := Parse([]byte(head+"  - names: [read]\n  - names: [close]\n  - names: [opnat]\n"), "app.yaml")
	want := `app.yaml:8:13: syscalls[2].names[0]: unknown syscall "opnat" (not in x86_64, i386)`
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	if !errors.Is(err, &ValidationError{Field: "syscalls[2].names[0]"}) {
		t.Errorf("errors.Is with a field pattern failed")
	}
	if errors.Is(err, &ValidationError{Field: "syscalls[1]"}) {
		t.Errorf("errors.Is matched the wrong field")
	}
}

func validProfile() *Profile {
	return &Profile{
		DefaultAction:     Errno(1),
		ForeignArchAction: KillProcess,
		Architectures:     []string{"x86_64"},
		Syscalls: []Rule{
			{Names: []string{"read", "write"}},
			{Names: []string{"openat"}, Args: []ArgCond{{Index: 2, Match: Matcher{Op: OpBits, Mask: 0x80000}}}},
		},
	}
}

// TestValidate covers profiles built in code: the same checks, field paths
// and no positions.
func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		modify func(p *Profile)
		field  string
	}{
		{"valid", func(*Profile) {}, ""},
		{"bad default", func(p *Profile) { p.DefaultAction = Verdict{Action: 99} }, "defaultAction"},
		{"errno too big", func(p *Profile) { p.DefaultAction = Errno(5000) }, "defaultAction"},
		{"unknown errno too big", func(p *Profile) { p.UnknownErrno = 4096 }, "unknownErrno"},
		{"no arches", func(p *Profile) { p.Architectures = nil }, "architectures"},
		{"duplicate arch", func(p *Profile) { p.Architectures = []string{"x86_64", "x86_64"} }, "architectures[1]"},
		{"unknown name", func(p *Profile) { p.Syscalls[0].Names[1] = "wrte" }, "syscalls[0].names[1]"},
		{"no names", func(p *Profile) { p.Syscalls[0].Names = nil }, "syscalls[0].names"},
		{"rule arch", func(p *Profile) { p.Syscalls[0].Arches = []string{"i386"} }, "syscalls[0].arches[0]"},
		{"index", func(p *Profile) { p.Syscalls[1].Args[0].Index = 6 }, "syscalls[1].args.a6"},
		{"name disagrees", func(p *Profile) { p.Syscalls[1].Args[0].Name = "mode" }, "syscalls[1].args.mode"},
		{"twice", func(p *Profile) {
			p.Syscalls[1].Args = append(p.Syscalls[1].Args, ArgCond{Index: 2, Match: Matcher{Op: OpEq}})
		}, "syscalls[1].args.flags"},
		{"no op", func(p *Profile) { p.Syscalls[1].Args[0].Match = Matcher{} }, "syscalls[1].args.flags"},
		{"empty in", func(p *Profile) { p.Syscalls[1].Args[0].Match = Matcher{Op: OpIn} }, "syscalls[1].args.flags.in"},
		{"narrow", func(p *Profile) { p.Syscalls[1].Args[0].Match = Matcher{Op: OpEq, Value: 1 << 32} }, "syscalls[1].args.flags.eq"},
		{"range", func(p *Profile) { p.Syscalls[1].Args[0].Match = Matcher{Op: OpRange, Lo: 2, Hi: 1} }, "syscalls[1].args.flags.range"},
		{"counts", func(p *Profile) { p.Counts = map[string]uint64{"read": 1, "nope": 2} }, "counts.nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validProfile()
			tt.modify(p)
			err := p.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("got %v, want a *ValidationError wrapping ErrInvalid", err)
			}
			if ve.Field != tt.field || ve.Line != 0 || ve.File != "" {
				t.Errorf("got field %q at %d, want %q without position (%v)", ve.Field, ve.Line, tt.field, err)
			}
		})
	}
}

func TestMarshalRefusesInvalid(t *testing.T) {
	p := validProfile()
	p.Architectures = nil
	if _, err := Marshal(p); !errors.Is(err, ErrInvalid) {
		t.Errorf("got %v, want ErrInvalid", err)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	yml := filepath.Join(dir, "p.yaml")
	if err := os.WriteFile(yml, []byte(head+"  - names: [read]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	oci := filepath.Join(dir, "p.json")
	if err := os.WriteFile(oci, []byte(`{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"], "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{yml, oci} {
		p, err := Load(path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if len(p.Syscalls) != 1 || p.Syscalls[0].Names[0] != "read" || p.DefaultAction != Errno(1) {
			t.Errorf("%s: got %v %v", path, p, p.Syscalls)
		}
	}
	if _, err := Load(filepath.Join(dir, "missing.yaml")); err == nil || errors.Is(err, ErrInvalid) {
		t.Errorf("missing file: got %v, want a read error that is not ErrInvalid", err)
	}
}

// FuzzParse: any input either fails or reaches a fixed point after one save.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/yaml/*.yaml")
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(head + "  - names: [openat]\n    args:\n      dfd: {eq: -100}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data, "fuzz.yaml")
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error does not wrap ErrInvalid: %v", err)
			}
			return
		}
		first, err := Marshal(p)
		if err != nil {
			t.Fatalf("parsed profile does not marshal: %v", err)
		}
		p2, err := Parse(first, "first.yaml")
		if err != nil {
			t.Fatalf("own output does not parse: %v\n%s", err, first)
		}
		second, err := Marshal(p2)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, second) {
			t.Fatalf("not a fixed point:\n%s\n---\n%s", first, second)
		}
	})
}
