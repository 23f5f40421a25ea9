package shim

import (
	"encoding/binary"
	"errors"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/profile-dev/profile/internal/systab"
)

const retAllow = 0x7fff0000

// run executes a program on (audit, nr) in golang.org/x/net/bpf's VM, which
// loads words big-endian: each word is stored big-endian with the value the
// kernel would load.
func run(t *testing.T, prog []bpf.RawInstruction, audit, nr uint32) uint32 {
	t.Helper()
	ins, ok := bpf.Disassemble(prog)
	if !ok {
		t.Fatalf("program does not disassemble: %v", ins)
	}
	vm, err := bpf.NewVM(ins)
	if err != nil {
		t.Fatal(err)
	}
	data := make([]byte, 64)
	binary.BigEndian.PutUint32(data[0:], nr)
	binary.BigEndian.PutUint32(data[4:], audit)
	ret, err := vm.Run(data)
	if err != nil {
		t.Fatal(err)
	}
	return uint32(ret)
}

func TestRecordProgram(t *testing.T) {
	native := systab.Native()
	getpid, _ := native.Nr("getpid")
	read, _ := native.Nr("read")
	// The caller's filter: notify getpid, allow the rest. Its jump must
	// still land after the prefix.
	filter, err := bpf.Assemble([]bpf.Instruction{
		bpf.LoadAbsolute{Off: 0, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: getpid, SkipFalse: 1},
		bpf.RetConstant{Val: retUserNotif},
		bpf.RetConstant{Val: retAllow},
	})
	if err != nil {
		t.Fatal(err)
	}
	prog, err := recordProgram(filter)
	if err != nil {
		t.Fatal(err)
	}
	execs := ExecCalls()
	if len(execs) < 2 {
		t.Fatalf("ExecCalls = %v", execs)
	}
	for _, e := range execs {
		if got := run(t, prog, e.Audit, e.Nr); got != retUserNotif {
			t.Errorf("exec call %#x/%#x: ret %#x, want notify", e.Audit, e.Nr, got)
		}
		if !IsExec(e.Audit, e.Nr) {
			t.Errorf("IsExec(%#x, %#x) = false", e.Audit, e.Nr)
		}
	}
	cases := []struct {
		name       string
		audit, nr  uint32
		want       uint32
		wantIsExec bool
	}{
		{"getpid", native.Audit, getpid, retUserNotif, false},
		{"read", native.Audit, read, retAllow, false},
		{"foreign arch", 0x12345678, 59, retAllow, false},
	}
	if c := native.Compat(); c != nil {
		// The compat ABI's execve number is some native call's number.
		nr, _ := c.Nr("execve")
		cases = append(cases, struct {
			name       string
			audit, nr  uint32
			want       uint32
			wantIsExec bool
		}{"native call with the compat execve number", native.Audit, nr, retAllow, false})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := run(t, prog, c.audit, c.nr); got != c.want {
				t.Errorf("ret %#x, want %#x", got, c.want)
			}
			if IsExec(c.audit, c.nr) != c.wantIsExec {
				t.Errorf("IsExec = %v", !c.wantIsExec)
			}
		})
	}
	if p, err := recordProgram(nil); err != nil || len(p) != 1 {
		t.Errorf("recordProgram(nil) = %v, %v; want notify-all", p, err)
	}
	big := make([]bpf.RawInstruction, maxInstructions)
	if _, err := recordProgram(big); !errors.Is(err, ErrFilterTooLarge) {
		t.Errorf("a 4096-instruction filter: %v, want ErrFilterTooLarge", err)
	}
}
