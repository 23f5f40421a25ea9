package shim

import (
	"errors"
	"fmt"

	"golang.org/x/net/bpf"

	"github.com/profile-dev/profile/internal/systab"
)

// ExecCall is a call that replaces a process image, as a seccomp filter
// sees it.
type ExecCall struct{ Audit, Nr uint32 }

// The x32 numbers of execve and execveat (arch/x86/entry/syscalls/
// syscall_64.tbl, entries 520 and 545 of ABI "x32"): the x32 table leaves
// its compat entry points unnamed.
const (
	x32Execve   = systab.X32SyscallBit | 520
	x32Execveat = systab.X32SyscallBit | 545
)

// ExecCalls lists execve and execveat on every ABI this machine runs: the
// native one, its compat ABI, and x32 on x86-64.
func ExecCalls() []ExecCall {
	native := systab.Native()
	var out []ExecCall
	for _, a := range []*systab.Arch{native, native.Compat()} {
		if a == nil {
			continue
		}
		for _, name := range []string{"execve", "execveat"} {
			if nr, ok := a.Nr(name); ok {
				out = append(out, ExecCall{a.Audit, nr})
			}
		}
		if a == systab.X86_64 {
			out = append(out, ExecCall{a.Audit, x32Execve}, ExecCall{a.Audit, x32Execveat})
		}
	}
	return out
}

// IsExec reports whether a call replaces the process image.
func IsExec(audit, nr uint32) bool {
	for _, e := range ExecCalls() {
		if e == (ExecCall{audit, nr}) {
			return true
		}
	}
	return false
}

// maxInstructions is the kernel's limit on a classic BPF program
// (BPF_MAXINSNS).
const maxInstructions = 4096

// ErrFilterTooLarge: a caller's filter and the exec prefix together exceed
// the kernel's limit.
var ErrFilterTooLarge = errors.New("filter too large")

// notifyAll answers every call with a user notification. Nothing is exempt:
// the workload's own calls must all be seen.
func notifyAll() []bpf.RawInstruction {
	ins, _ := bpf.RetConstant{Val: retUserNotif}.Assemble()
	return []bpf.RawInstruction{ins}
}

// retUserNotif is SECCOMP_RET_USER_NOTIF.
const retUserNotif = 0x7fc00000

// recordProgram is the program the record-exec shim installs: with no
// filter, notify everything; otherwise the caller's filter behind a prefix
// that notifies every exec call (ExecCalls) whatever the filter says.
//
// The prefix is what makes a filter that allows most calls in the kernel
// usable for recording. The shim's own execve must be notified: it blocks
// there until the reaper has taken the listener (otherwise the listener, a
// close-on-exec fd, could be gone before anyone took it), and it tells the
// supervisor where the workload starts. Later exec calls tell the
// supervisor that a process changed its executable. The supervisor records
// an exec call only if the caller's filter notifies it too.
func recordProgram(filter []bpf.RawInstruction) ([]bpf.RawInstruction, error) {
	if len(filter) == 0 {
		return notifyAll(), nil
	}
	prefix := execPrefix()
	if n := len(prefix) + len(filter); n > maxInstructions {
		return nil, fmt.Errorf("%w: %d instructions with the %d of the exec prefix, the kernel takes at most %d", ErrFilterTooLarge, len(filter), len(prefix), maxInstructions)
	}
	return append(prefix, filter...), nil
}

// execPrefix is, per audit value:
//
//	ld [arch]; jeq AUDIT, 0, next; ld [nr]; jeq NR1, notify, 0; ...; ja filter
//	next: ...
//	notify: ret USER_NOTIF
//	filter: (the caller's program)
//
// It loads only arch and nr and jumps on constants, so the kernel's action
// cache still proves the filter's unconditional allows.
func execPrefix() []bpf.RawInstruction {
	var audits []uint32
	byAudit := map[uint32][]uint32{}
	for _, e := range ExecCalls() {
		if byAudit[e.Audit] == nil {
			audits = append(audits, e.Audit)
		}
		byAudit[e.Audit] = append(byAudit[e.Audit], e.Nr)
	}
	size := 1
	for _, au := range audits {
		size += len(byAudit[au]) + 3
	}
	notify, filter := size, size+1
	prog := []bpf.Instruction{bpf.LoadAbsolute{Off: 4, Size: 4}}
	for i, au := range audits {
		nrs := byAudit[au]
		at := len(prog)
		next := at + len(nrs) + 3
		if i == len(audits)-1 {
			next = filter
		}
		prog = append(prog, bpf.JumpIf{Cond: bpf.JumpEqual, Val: au, SkipFalse: uint8(next - at - 1)}, bpf.LoadAbsolute{Off: 0, Size: 4})
		for _, nr := range nrs {
			prog = append(prog, bpf.JumpIf{Cond: bpf.JumpEqual, Val: nr, SkipTrue: uint8(notify - len(prog) - 1)})
		}
		prog = append(prog, bpf.Jump{Skip: uint32(filter - len(prog) - 1)})
	}
	prog = append(prog, bpf.RetConstant{Val: retUserNotif})
	raw, err := bpf.Assemble(prog)
	if err != nil {
		panic("exec prefix: " + err.Error()) // constant instructions: a bug
	}
	return raw
}
