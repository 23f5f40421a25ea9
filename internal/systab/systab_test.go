package systab

import (
	"testing"
)

func TestNumbers(t *testing.T) {
	cases := []struct {
		arch *Arch
		name string
		nr   uint32
	}{
		{X86_64, "read", 0},
		{X86_64, "openat", 257},
		{X86_64, "rseq_slice_yield", 471},
		{I386, "openat", 295},
		{I386, "socketcall", 102},
		{I386, "_llseek", 140},
		{AArch64, "openat", 56},
		{ARM, "openat", 322},
		{RISCV64, "openat", 56},
		{PPC64LE, "openat", 286},
		{S390X, "openat", 288},
		{X32, "read", 0 | X32SyscallBit},
		{X32, "openat", 257 | X32SyscallBit},
	}
	for _, tc := range cases {
		t.Run(tc.arch.Name+"/"+tc.name, func(t *testing.T) {
			nr, ok := tc.arch.Nr(tc.name)
			if !ok || nr != tc.nr {
				t.Errorf("Nr(%q) = %d, %v; want %d", tc.name, nr, ok, tc.nr)
			}
			name, ok := tc.arch.SyscallName(tc.nr)
			if !ok || name != tc.name {
				t.Errorf("SyscallName(%d) = %q, %v; want %q", tc.nr, name, ok, tc.name)
			}
		})
	}
}

func TestX32(t *testing.T) {
	// 64-bit-only entry points are not x32 syscalls under their x86-64 numbers.
	for _, name := range []string{"ioctl", "execve", "readv", "rt_sigaction"} {
		if _, ok := X32.Nr(name); ok {
			t.Errorf("x32 has %s at its x86-64 number", name)
		}
	}
	if _, ok := X86_64.SyscallName(0 | X32SyscallBit); ok {
		t.Error("x86_64 names a number with the x32 bit")
	}
	if _, ok := X32.SyscallName(0); ok {
		t.Error("x32 names a number without the x32 bit")
	}
	for _, tc := range []struct {
		audit, nr uint32
		want      *Arch
	}{
		{AuditArchX86_64, 1, X86_64},
		{AuditArchX86_64, 1 | X32SyscallBit, X32},
		{AuditArchI386, 1, I386},
		{AuditArchAArch64, 1, AArch64},
	} {
		got, ok := ArchOf(tc.audit, tc.nr)
		if !ok || got != tc.want {
			t.Errorf("ArchOf(%#x, %#x) = %v, want %v", tc.audit, tc.nr, got, tc.want)
		}
	}
	if _, ok := ArchOf(0x1234, 0); ok {
		t.Error("ArchOf accepted an unknown audit value")
	}
}

func TestArchByName(t *testing.T) {
	for _, a := range Arches {
		if got, ok := ArchByName(a.Name); !ok || got != a {
			t.Errorf("ArchByName(%q) = %v", a.Name, got)
		}
		if got, ok := ArchByName(a.OCI); !ok || got != a {
			t.Errorf("ArchByName(%q) = %v", a.OCI, got)
		}
		if a.MaxNr()&^a.NrBase < 400 {
			t.Errorf("%s: MaxNr %d looks truncated", a, a.MaxNr())
		}
	}
	if _, ok := ArchByName("x86_65"); ok {
		t.Error("ArchByName accepted x86_65")
	}
}

func TestArgs(t *testing.T) {
	cases := []struct {
		arch          *Arch
		syscall, name string
		index         int
		wide, pointer bool
	}{
		{X86_64, "openat", "dfd", 0, false, false},
		{X86_64, "openat", "filename", 1, true, true},
		{X86_64, "openat", "flags", 2, false, false},
		{X86_64, "mmap", "len", 1, true, false},
		{X86_64, "mmap", "prot", 2, true, false}, // unsigned long in the kernel
		{X86_64, "ioctl", "cmd", 1, false, false},
		{X86_64, "clone", "clone_flags", 0, true, false},
		{I386, "openat", "flags", 2, false, false},
		{I386, "mmap", "len", 1, false, false}, // 32-bit ABI: everything narrow
	}
	for _, tc := range cases {
		t.Run(tc.arch.Name+"/"+tc.syscall+"/"+tc.name, func(t *testing.T) {
			i, err := ArgIndex(tc.arch, tc.syscall, tc.name)
			if err != nil || i != tc.index {
				t.Fatalf("ArgIndex = %d, %v; want %d", i, err, tc.index)
			}
			arg := Args(tc.arch, tc.syscall)[i]
			if arg.Wide != tc.wide || arg.Pointer != tc.pointer {
				t.Errorf("%+v: want wide %v pointer %v", arg, tc.wide, tc.pointer)
			}
			if ArgWide(tc.arch, tc.syscall, i) != tc.wide {
				t.Errorf("ArgWide disagrees with Args")
			}
		})
	}
	if i, err := ArgIndex(X86_64, "openat", "a3"); err != nil || i != 3 {
		t.Errorf("ArgIndex(a3) = %d, %v", i, err)
	}
	for _, bad := range []string{"a6", "nosuch"} {
		if _, err := ArgIndex(X86_64, "openat", bad); err == nil {
			t.Errorf("ArgIndex(%q) accepted", bad)
		}
	}
	// An argument the table does not describe is compared on 64 bits: more
	// bits can only deny more.
	if !ArgWide(X86_64, "getpid", 0) {
		t.Error("an unknown argument on a 64-bit ABI is narrow")
	}
}

func TestErrno(t *testing.T) {
	for name, v := range map[string]uint16{"EPERM": 1, "ENOSYS": 38, "EAGAIN": 11} {
		if got, ok := ErrnoByName(name); !ok || got != v {
			t.Errorf("ErrnoByName(%s) = %d", name, got)
		}
		if got := ErrnoName(v); got != name {
			t.Errorf("ErrnoName(%d) = %s, want %s", v, got, name)
		}
	}
	if got := ErrnoName(4000); got != "4000" {
		t.Errorf("ErrnoName(4000) = %s", got)
	}
}
