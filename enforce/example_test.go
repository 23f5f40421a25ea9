//go:build linux

package enforce_test

import (
	"log"
	"syscall"

	"golang.org/x/net/bpf"

	"github.com/profile-dev/profile/enforce"
	"github.com/profile-dev/profile/internal/systab"
)

// A process can confine itself. This one refuses getppid with EPERM from
// now on, in every thread; everything else is allowed. (Real programs come
// from the compiler; this one is written by hand.)
func ExampleInstallSelf() {
	getppid, _ := systab.Native().Nr("getppid")
	prog, err := bpf.Assemble([]bpf.Instruction{
		bpf.LoadAbsolute{Off: 4, Size: 4}, // seccomp_data.arch
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: systab.Native().Audit, SkipFalse: 3},
		bpf.LoadAbsolute{Off: 0, Size: 4}, // seccomp_data.nr
		bpf.JumpIf{Cond: bpf.JumpEqual, Val: getppid, SkipFalse: 1},
		bpf.RetConstant{Val: 0x00050000 | uint32(syscall.EPERM)}, // SECCOMP_RET_ERRNO
		bpf.RetConstant{Val: 0x7fff0000},                         // SECCOMP_RET_ALLOW
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := enforce.InstallSelf(prog); err != nil {
		log.Fatal(err)
	}
	_, _, errno := syscall.RawSyscall(syscall.SYS_GETPPID, 0, 0, 0)
	log.Println("getppid:", errno)
}
