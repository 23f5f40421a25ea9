package systab

import (
	"fmt"
	"sort"
	"sync"
)

// AUDIT_ARCH values as seccomp_data.arch carries them (linux/audit.h).
const (
	AuditArchX86_64  uint32 = 0xc000003e
	AuditArchI386    uint32 = 0x40000003
	AuditArchAArch64 uint32 = 0xc00000b7
	AuditArchARM     uint32 = 0x40000028
	AuditArchRISCV64 uint32 = 0xc00000f3
	AuditArchPPC64LE uint32 = 0xc0000015
	AuditArchS390X   uint32 = 0x80000016
)

// X32SyscallBit is set in the syscall number of every call made through the
// x32 ABI on x86-64 (__X32_SYSCALL_BIT). Such calls carry AUDIT_ARCH_X86_64,
// so a filter must look at the number to tell them apart.
const X32SyscallBit uint32 = 0x40000000

// Arch is one syscall ABI: an audit architecture plus a numbering. x32 is an
// Arch of its own although it shares x86-64's audit value.
type Arch struct {
	// Name is the architecture's name in profiles: x86_64, i386, x32, ...
	Name string
	// OCI is the name runtime-spec and libseccomp use (SCMP_ARCH_X86_64).
	OCI string
	// Audit is the AUDIT_ARCH value seccomp_data.arch holds for this ABI.
	Audit uint32
	// Bits is the register width: 32 or 64. On a 32-bit ABI every argument
	// is 32 bits wide.
	Bits int
	// NrBase is or'ed into every syscall number (X32SyscallBit for x32).
	NrBase uint32

	names []string // indexed by number without NrBase

	once   sync.Once
	byName map[string]uint32
}

// x32Names derives the x32 table from x86-64's: x32 shares the common
// syscalls and replaces the 64-bit-only ones (whose x86-64 numbers are
// refused with the x32 bit) by compat entry points numbered from 512.
func x32Names() []string {
	names := make([]string, len(x86_64Names))
	for nr, n := range x86_64Names {
		if !x32Excluded[n] {
			names[nr] = n
		}
	}
	return names
}

// x32Excluded are the x86-64 syscalls marked "64" (not "common") in
// arch/x86/entry/syscalls/syscall_64.tbl: with the x32 bit set, their numbers
// do nothing useful, and x32 reaches the same functions at 512 and above.
// Leaving them out only makes x32 profiles stricter.
var x32Excluded = map[string]bool{
	"rt_sigaction": true, "rt_sigreturn": true, "ioctl": true, "readv": true, "writev": true,
	"recvfrom": true, "sendmsg": true, "recvmsg": true, "execve": true, "ptrace": true,
	"rt_sigpending": true, "rt_sigtimedwait": true, "rt_sigqueueinfo": true, "sigaltstack": true,
	"timer_create": true, "mq_notify": true, "kexec_load": true, "waitid": true, "set_robust_list": true,
	"get_robust_list": true, "vmsplice": true, "move_pages": true, "preadv": true, "pwritev": true,
	"rt_tgsigqueueinfo": true, "recvmmsg": true, "sendmmsg": true, "process_vm_readv": true,
	"process_vm_writev": true, "setsockopt": true, "getsockopt": true, "io_setup": true,
	"io_submit": true, "execveat": true, "preadv2": true, "pwritev2": true,
	"uselib": true, "_sysctl": true, "create_module": true, "get_kernel_syms": true, "query_module": true,
	"nfsservctl": true, "set_thread_area": true, "get_thread_area": true, "epoll_ctl_old": true,
	"epoll_wait_old": true, "tuxcall": true, "security": true, "vserver": true, "getpmsg": true, "putpmsg": true,
	"afs_syscall": true,
}

var (
	X86_64  = &Arch{Name: "x86_64", OCI: "SCMP_ARCH_X86_64", Audit: AuditArchX86_64, Bits: 64, names: x86_64Names[:]}
	I386    = &Arch{Name: "i386", OCI: "SCMP_ARCH_X86", Audit: AuditArchI386, Bits: 32, names: i386Names[:]}
	X32     = &Arch{Name: "x32", OCI: "SCMP_ARCH_X32", Audit: AuditArchX86_64, Bits: 64, NrBase: X32SyscallBit, names: x32Names()}
	AArch64 = &Arch{Name: "aarch64", OCI: "SCMP_ARCH_AARCH64", Audit: AuditArchAArch64, Bits: 64, names: aarch64Names[:]}
	ARM     = &Arch{Name: "arm", OCI: "SCMP_ARCH_ARM", Audit: AuditArchARM, Bits: 32, names: armNames[:]}
	RISCV64 = &Arch{Name: "riscv64", OCI: "SCMP_ARCH_RISCV64", Audit: AuditArchRISCV64, Bits: 64, names: riscv64Names[:]}
	PPC64LE = &Arch{Name: "ppc64le", OCI: "SCMP_ARCH_PPC64LE", Audit: AuditArchPPC64LE, Bits: 64, names: ppc64leNames[:]}
	S390X   = &Arch{Name: "s390x", OCI: "SCMP_ARCH_S390X", Audit: AuditArchS390X, Bits: 64, names: s390xNames[:]}
)

// Arches lists every architecture the tables know, sorted by name.
var Arches = sortedArches(X86_64, I386, X32, AArch64, ARM, RISCV64, PPC64LE, S390X)

func sortedArches(as ...*Arch) []*Arch {
	sort.Slice(as, func(i, j int) bool { return as[i].Name < as[j].Name })
	return as
}

// ArchByName finds an architecture by its profile name or its OCI name.
func ArchByName(name string) (*Arch, bool) {
	for _, a := range Arches {
		if a.Name == name || a.OCI == name {
			return a, true
		}
	}
	return nil, false
}

// ArchOf returns the ABI a call with this audit arch and raw number was made
// through: on x86-64 the x32 bit selects x32.
func ArchOf(audit, nr uint32) (*Arch, bool) {
	if audit == AuditArchX86_64 && nr&X32SyscallBit != 0 {
		return X32, true
	}
	for _, a := range Arches {
		if a.Audit == audit && a.NrBase == 0 {
			return a, true
		}
	}
	return nil, false
}

// Native returns the Arch of the machine this binary was built for.
func Native() *Arch { return nativeArch }

// Compat returns the 32-bit ABI a 64-bit architecture also accepts
// (i386 on x86-64, arm on aarch64), or nil.
func (a *Arch) Compat() *Arch {
	switch a {
	case X86_64:
		return I386
	case AArch64:
		return ARM
	}
	return nil
}

// Nr returns the number of a syscall on this architecture, including NrBase.
func (a *Arch) Nr(name string) (uint32, bool) {
	a.once.Do(func() {
		a.byName = make(map[string]uint32, len(a.names))
		for nr, n := range a.names {
			if n != "" {
				a.byName[n] = uint32(nr) | a.NrBase
			}
		}
	})
	nr, ok := a.byName[name]
	return nr, ok
}

// SyscallName returns the name of a raw syscall number (NrBase included).
func (a *Arch) SyscallName(nr uint32) (string, bool) {
	if nr&a.NrBase != a.NrBase {
		return "", false
	}
	i := uint64(nr &^ a.NrBase)
	if i >= uint64(len(a.names)) || a.names[i] == "" {
		return "", false
	}
	return a.names[i], true
}

// MaxNr is the highest syscall number the table knows (NrBase included).
// Numbers above it are newer than the table.
func (a *Arch) MaxNr() uint32 { return uint32(len(a.names)-1) | a.NrBase }

// Names returns every syscall name of the architecture, sorted.
func (a *Arch) Names() []string {
	out := make([]string, 0, len(a.names))
	for _, n := range a.names {
		if n != "" {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

func (a *Arch) String() string { return a.Name }

// FormatNr names a call for messages: "openat" or "x86_64 syscall 999".
func (a *Arch) FormatNr(nr uint32) string {
	if n, ok := a.SyscallName(nr); ok {
		return n
	}
	return fmt.Sprintf("%s syscall %d", a.Name, nr)
}
