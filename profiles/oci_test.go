package profiles

import (
	"errors"
	"strings"
	"testing"

	"github.com/profile-dev/profile/internal/systab"
)

func ociDoc(syscalls string) string {
	return `{
  "defaultAction": "SCMP_ACT_ERRNO",
  "architectures": ["SCMP_ARCH_X86_64"],
  "syscalls": [
` + syscalls + `
  ]
}`
}

func evalX86(t *testing.T, p *Profile, name string, args ...uint64) Verdict {
	t.Helper()
	nr, ok := systab.X86_64.Nr(name)
	if !ok {
		t.Fatalf("no syscall %s", name)
	}
	var a [systab.MaxArgs]uint64
	copy(a[:], args)
	return Evaluate(p, systab.AuditArchX86_64, nr, a)
}

// TestOCIImportSemantics checks runc's reading of conditions: ANDed within
// an entry, ORed when an index repeats.
func TestOCIImportSemantics(t *testing.T) {
	deny := Errno(ePERM)
	tests := []struct {
		name    string
		entries string
		call    string
		args    []uint64
		want    Verdict
	}{
		{"and: both hold", `{"names": ["lseek"], "action": "SCMP_ACT_ALLOW", "args": [
			{"index": 0, "value": 3, "op": "SCMP_CMP_EQ"}, {"index": 2, "value": 1, "op": "SCMP_CMP_EQ"}]}`, "lseek", []uint64{3, 0, 1}, Allow},
		{"and: one fails", `{"names": ["lseek"], "action": "SCMP_ACT_ALLOW", "args": [
			{"index": 0, "value": 3, "op": "SCMP_CMP_EQ"}, {"index": 2, "value": 1, "op": "SCMP_CMP_EQ"}]}`, "lseek", []uint64{3, 0, 0}, deny},
		{"or: repeated index", `{"names": ["lseek"], "action": "SCMP_ACT_ALLOW", "args": [
			{"index": 0, "value": 3, "op": "SCMP_CMP_EQ"}, {"index": 0, "value": 4, "op": "SCMP_CMP_EQ"}, {"index": 2, "value": 1, "op": "SCMP_CMP_EQ"}]}`, "lseek", []uint64{4, 0, 0}, Allow},
		{"or: any condition suffices", `{"names": ["lseek"], "action": "SCMP_ACT_ALLOW", "args": [
			{"index": 0, "value": 3, "op": "SCMP_CMP_EQ"}, {"index": 0, "value": 4, "op": "SCMP_CMP_EQ"}, {"index": 2, "value": 1, "op": "SCMP_CMP_EQ"}]}`, "lseek", []uint64{9, 0, 1}, Allow},
		{"or: none holds", `{"names": ["lseek"], "action": "SCMP_ACT_ALLOW", "args": [
			{"index": 0, "value": 3, "op": "SCMP_CMP_EQ"}, {"index": 0, "value": 4, "op": "SCMP_CMP_EQ"}]}`, "lseek", []uint64{5}, deny},
		{"lt", `{"names": ["lseek"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 1, "value": 10, "op": "SCMP_CMP_LT"}]}`, "lseek", []uint64{0, 10}, deny},
		{"le", `{"names": ["lseek"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 1, "value": 10, "op": "SCMP_CMP_LE"}]}`, "lseek", []uint64{0, 10}, Allow},
		{"gt", `{"names": ["lseek"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 1, "value": 10, "op": "SCMP_CMP_GT"}]}`, "lseek", []uint64{0, 10}, deny},
		{"ge", `{"names": ["lseek"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 1, "value": 10, "op": "SCMP_CMP_GE"}]}`, "lseek", []uint64{0, 1 << 40}, Allow},
		{"ne", `{"names": ["lseek"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 1, "value": 10, "op": "SCMP_CMP_NE"}]}`, "lseek", []uint64{0, 10}, deny},
		{"lt 0 never", `{"names": ["lseek"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 1, "value": 0, "op": "SCMP_CMP_LT"}]}`, "lseek", []uint64{0, 0}, deny},
		{"gt max never", `{"names": ["lseek"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 1, "value": 18446744073709551615, "op": "SCMP_CMP_GT"}]}`, "lseek", []uint64{0, ^uint64(0)}, deny},
		{"narrow sign-extended eq", `{"names": ["openat"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 18446744073709551516, "op": "SCMP_CMP_EQ"}]}`, "openat", []uint64{0xffffff9c}, Allow},
		{"narrow ge", `{"names": ["openat"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 2, "value": 4294967295, "op": "SCMP_CMP_GE"}]}`, "openat", []uint64{0, 0, 0xffffffff}, Allow},
		{"masked order", `{"names": ["ioctl"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 1, "value": 240, "valueTwo": 48, "op": "SCMP_CMP_MASKED_EQ"}]}`, "ioctl", []uint64{0, 0x70}, deny},
		{"masked datum is masked", `{"names": ["ioctl"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 1, "value": 240, "valueTwo": 63, "op": "SCMP_CMP_MASKED_EQ"}]}`, "ioctl", []uint64{0, 0x35}, Allow},
		{"kill is kill-thread", `{"names": ["getpid"], "action": "SCMP_ACT_KILL"}`, "getpid", nil, Verdict{Action: ActKillThread}},
		{"errno default EPERM", `{"names": ["getpid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}, {"names": ["read"], "action": "SCMP_ACT_ALLOW"}`, "getpid", nil, Errno(38)},
		{"trace default EPERM", `{"names": ["getpid"], "action": "SCMP_ACT_TRACE"}`, "getpid", nil, Verdict{Action: ActTrace, Data: ePERM}},
		{"default-action entry dropped", `{"names": ["read"], "action": "SCMP_ACT_ALLOW"}, {"names": ["read"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 3, "op": "SCMP_CMP_EQ"}]}`, "read", []uint64{3}, Allow},
		{"unknown names dropped", `{"names": ["read", "no_such_call"], "action": "SCMP_ACT_ALLOW"}`, "read", nil, Allow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParseOCI([]byte(ociDoc(tt.entries)), "p.json")
			if err != nil {
				t.Fatal(err)
			}
			if got := evalX86(t, p, tt.call, tt.args...); got != tt.want {
				t.Errorf("got %v, want %v; rules %v", got, tt.want, p.Syscalls)
			}
		})
	}
}

func TestOCIImportDefaults(t *testing.T) {
	p, err := ParseOCI([]byte(`{"defaultAction": "SCMP_ACT_KILL_PROCESS"}`), "p.json")
	if err != nil {
		t.Fatal(err)
	}
	if p.DefaultAction != KillProcess || p.ForeignArchAction != ociDefaultBadArch {
		t.Errorf("got default %v foreign %v", p.DefaultAction, p.ForeignArchAction)
	}
	if n := systab.Native(); n != nil && (len(p.Architectures) != 1 || p.Architectures[0] != n.Name) {
		t.Errorf("architectures %v, want the native one", p.Architectures)
	}
}

// TestOCIImportErrors: each error names file, line, column and field.
func TestOCIImportErrors(t *testing.T) {
	tests := []struct {
		name, in, at, field, msg string
	}{
		{"syntax", "{\n  \"defaultAction\": \"SCMP_ACT_ALLOW\",,\n}", "2:,,", "", "invalid character"},
		{"truncated", "{\n  \"defaultAction\":", "2:$", "", "unexpected end"},
		{"unknown field", "{\n  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n  \"archMap\": []\n}", "3:\"archMap", "archMap", "unknown field"},
		{"unknown entry field", ociDoc(`    {"names": ["read"], "action": "SCMP_ACT_ALLOW", "includes": {}}`), "5:\"includes", "syscalls[0].includes", "unknown field"},
		{"type", "{\n  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n  \"defaultErrnoRet\": \"x\"\n}", "3:\"x", "defaultErrnoRet", "want uint"},
		{"notify", ociDoc(`    {"names": ["read"], "action": "SCMP_ACT_ALLOW"},
    {"names": ["ioctl"], "action": "SCMP_ACT_NOTIFY"}`), "6:\"SCMP_ACT_NOTIFY", "syscalls[1].action", "SCMP_ACT_NOTIFY is not supported"},
		{"unknown action", "{\"defaultAction\": \"SCMP_ACT_DENY\"}", "1:\"SCMP_ACT_DENY", "defaultAction", "unknown action"},
		{"errno too big", "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 5000}", "1:\"SCMP", "defaultAction", "above 4095"},
		{"arch", "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_MIPS\"]}", "1:\"SCMP_ARCH_MIPS", "architectures[1]", "unsupported architecture"},
		{"no names", ociDoc(`    {"names": [], "action": "SCMP_ACT_ALLOW"}`), "5:[]", "syscalls[0].names", "no syscall names"},
		{"index", ociDoc(`    {"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}`), "5:6,", "syscalls[0].args[0].index", "above 5"},
		{"op", ociDoc(`    {"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_LIKE"}]}`), "5:\"SCMP_CMP_LIKE", "syscalls[0].args[0].op", "unknown operator"},
		{"narrow value", ociDoc(`    {"names": ["openat"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 2, "value": 4294967296, "op": "SCMP_CMP_EQ"}]}`), "5:4294967296", "syscalls[0].args[0].value", "does not fit the 32-bit argument 2"},
		{"narrow ordering", ociDoc(`    {"names": ["openat"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 2, "value": 18446744073709551615, "op": "SCMP_CMP_LT"}]}`), "5:1844", "syscalls[0].args[0].value", "upper half"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseOCI([]byte(tt.in), "p.json")
			var ve *ValidationError
			if !errors.As(err, &ve) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("got %v, want a *ValidationError", err)
			}
			line, col := wantPos(t, tt.in, tt.at)
			if ve.File != "p.json" || ve.Line != line || ve.Col != col || ve.Field != tt.field {
				t.Errorf("got %s:%d:%d field %q, want p.json:%d:%d field %q (%v)", ve.File, ve.Line, ve.Col, ve.Field, line, col, tt.field, err)
			}
			if !strings.Contains(ve.Msg, tt.msg) {
				t.Errorf("message %q does not contain %q", ve.Msg, tt.msg)
			}
		})
	}
}
