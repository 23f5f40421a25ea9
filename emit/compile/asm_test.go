package compile

import (
	"testing"

	"golang.org/x/net/bpf"
)

// TestTrampolines checks that a program with jumps longer than 255
// instructions gets trampolines, that every conditional jump then fits, and
// that a trampoline to a RET is a copy of it rather than a JA.
func TestTrampolines(t *testing.T) {
	tests := []struct {
		name    string
		filler  int
		wantRet bool // target is a RET: the trampoline copies it
	}{
		{"short", 10, true},
		{"just fits", maxJump - 1, true},
		{"one over, to a RET", maxJump, true},
		{"one over, to a load", maxJump, false},
		{"far", 3000, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b builder
			far, near := b.newLabel("far"), b.newLabel("near")
			b.jmp(bpf.JumpEqual, 1, far, near, "")
			b.place(near)
			for range tt.filler {
				b.ld(offNr, "filler")
			}
			b.ret(RetKillProcess, "")
			b.place(far)
			if !tt.wantRet {
				b.ld(offArch, "")
			}
			b.ret(RetAllow, "")
			l := b.resolve()
			jump := l.ins[0].(bpf.JumpIf)
			long := tt.filler+1 > maxJump
			if !long {
				if len(l.ins) != len(b.code) || int(jump.SkipTrue) != tt.filler+1 {
					t.Fatalf("short jump changed: %v, %d instructions", jump, len(l.ins))
				}
				return
			}
			if len(l.ins) != len(b.code)+1 || jump.SkipTrue != 0 || jump.SkipFalse != 1 {
				t.Fatalf("want one trampoline right after the jump, got %v and %d instructions", jump, len(l.ins))
			}
			switch tr := l.ins[1].(type) {
			case bpf.RetConstant:
				if !tt.wantRet || tr.Val != RetAllow {
					t.Fatalf("trampoline %v", tr)
				}
			case bpf.Jump:
				if tt.wantRet || 2+int(tr.Skip) != len(l.ins)-2 {
					t.Fatalf("trampoline %v does not reach the target", tr)
				}
			default:
				t.Fatalf("trampoline %v", tr)
			}
		})
	}
}

// TestLongJumpsProfileUsesTrampolines makes sure the long-jumps test profile
// really exercises trampolines, so TestCompileMatchesEvaluate covers them.
func TestLongJumpsProfileUsesTrampolines(t *testing.T) {
	p := longJumps(300)
	c := &compiler{p: p, rets: map[profilesVerdict]label{}}
	arches, err := resolveArches(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.program(arches); err != nil {
		t.Fatal(err)
	}
	if l := c.b.resolve(); len(l.ins) <= len(c.b.code) {
		t.Fatalf("no trampolines: %d instructions before and after resolving", len(l.ins))
	}
}
