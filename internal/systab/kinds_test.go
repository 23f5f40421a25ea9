package systab

import "testing"

func TestFamilies(t *testing.T) {
	for _, tc := range []struct {
		arch   *Arch
		family string
		name   string
		want   uint64
	}{
		{X86_64, "open", "O_CLOEXEC", 0x80000},
		{X86_64, "open", "O_DIRECTORY", 0x10000},
		{AArch64, "open", "O_DIRECTORY", 0x4000}, // differs by architecture
		{X32, "open", "O_DIRECTORY", 0x10000},    // x32 uses x86-64's values
		{X86_64, "prot", "PROT_EXEC", 4},
		{X86_64, "clone", "CLONE_NEWUSER", 0x10000000},
		{X86_64, "ioctl", "TCGETS", 0x5401},
		{PPC64LE, "ioctl", "TCGETS", 0x402c7413},
		{X86_64, "ioctl", "FIOCLEX", 0x5451},
		{X86_64, "futex", "FUTEX_WAIT_PRIVATE", 128},
		{X86_64, "arch_prctl", "ARCH_SET_FS", 0x1002},
		{X86_64, "signal", "SIGURG", 23},
		{X86_64, "af", "AF_INET6", 10},
		{X86_64, "at", "AT_EMPTY_PATH", 0x1000},
		{X86_64, "sighow", "SIG_SETMASK", 2},
	} {
		f, ok := FamilyByName(tc.arch, tc.family)
		if !ok {
			t.Fatalf("%s: no family %s", tc.arch, tc.family)
		}
		if v, ok := f.Value(tc.name); !ok || v != tc.want {
			t.Errorf("%s %s = %#x, %t; want %#x", tc.arch, tc.name, v, ok, tc.want)
		}
	}
	if f, _ := FamilyByName(AArch64, "arch_prctl"); len(f.Consts()) != 0 {
		t.Errorf("aarch64 has arch_prctl codes: %v", f.Consts())
	}
}

func TestSpell(t *testing.T) {
	for _, tc := range []struct {
		family string
		v      uint64
		want   string
		ok     bool
	}{
		{"open", 0, "O_RDONLY", true},
		{"open", 0x800, "O_NONBLOCK", true}, // canonical over O_NDELAY
		{"open", 0x80000 | 0x10000 | 0x800, "O_NONBLOCK|O_DIRECTORY|O_CLOEXEC", true},
		{"open", 1 << 40, "", false},
		{"open", 3, "O_WRONLY|O_RDWR", true}, // O_ACCMODE is a field, never a spelling
		{"prot", 5, "PROT_READ|PROT_EXEC", true},
		{"socktype", 0x80001, "SOCK_STREAM|SOCK_CLOEXEC", true},
		{"socktype", 0x80000, "SOCK_CLOEXEC", true},
		{"futex", 0x89, "FUTEX_WAIT_BITSET_PRIVATE", true},
		{"futex", 0x189, "FUTEX_WAIT_BITSET|FUTEX_PRIVATE_FLAG|FUTEX_CLOCK_REALTIME", true},
		{"af", 0x7777, "", false},
		{"signal", 17, "SIGCHLD", true},
		{"clone", 0x11, "", false}, // the exit signal has no clone name
	} {
		f, _ := FamilyByName(X86_64, tc.family)
		got, ok := f.Spell(tc.v)
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("%s %#x = %q, %t; want %q, %t", tc.family, tc.v, got, ok, tc.want, tc.ok)
		}
	}
}

func TestArgKinds(t *testing.T) {
	for _, tc := range []struct {
		arch    *Arch
		syscall string
		i       int
		want    ArgInfo
	}{
		{X86_64, "openat", 0, ArgInfo{Kind: KindFD}},
		{X86_64, "openat", 1, ArgInfo{Kind: KindPointer}},
		{X86_64, "openat", 2, ArgInfo{Kind: KindFlags, Family: "open"}},
		{X86_64, "openat", 4, ArgInfo{Kind: KindUnused}},
		{X86_64, "read", 2, ArgInfo{Kind: KindSize}},
		{X86_64, "mmap", 1, ArgInfo{Kind: KindSize}},
		{X86_64, "mmap", 2, ArgInfo{Kind: KindFlags, Family: "prot"}},
		{I386, "mmap", 2, ArgInfo{Kind: KindNumber}}, // old_mmap: a struct pointer in a0
		{I386, "mmap2", 2, ArgInfo{Kind: KindFlags, Family: "prot"}},
		{S390X, "clone", 0, ArgInfo{Kind: KindNumber}},
		{S390X, "clone", 1, ArgInfo{Kind: KindFlags, Family: "clone"}},
		{X86_64, "ioctl", 1, ArgInfo{Kind: KindEnum, Family: "ioctl"}},
		{X86_64, "ioctl", 2, ArgInfo{Kind: KindNumber}},
		{X86_64, "kill", 0, ArgInfo{Kind: KindPID}},
		{X86_64, "tgkill", 2, ArgInfo{Kind: KindSignal, Family: "signal"}},
		{X86_64, "setuid", 0, ArgInfo{Kind: KindID}},
		{X86_64, "futex", 2, ArgInfo{Kind: KindNumber}},
		{X86_64, "dup2", 1, ArgInfo{Kind: KindFD}},
		{X86_64, "unlinkat", 2, ArgInfo{Kind: KindFlags, Family: "at", Strict: true}},
		{X86_64, "rseq", 3, ArgInfo{Kind: KindNumber}}, // a signature, not a signal
	} {
		if got := ArgKindOf(tc.arch, tc.syscall, tc.i); got != tc.want {
			t.Errorf("%s %s a%d = %+v, want %+v", tc.arch, tc.syscall, tc.i, got, tc.want)
		}
	}
}

// TestArgKindsFamilies checks that every family the argument table names
// exists and has members on x86-64.
func TestArgKindsFamilies(t *testing.T) {
	for sc, args := range argKinds {
		for i, info := range args {
			if info.Family == "" {
				continue
			}
			f, ok := FamilyByName(X86_64, info.Family)
			if !ok || len(f.Consts()) == 0 {
				t.Errorf("%s a%d: family %q unknown or empty", sc, i, info.Family)
			}
			if info.Kind == KindFlags && !f.Flags && info.Family != "socktype" {
				t.Errorf("%s a%d: flags argument with enum family %q", sc, i, info.Family)
			}
		}
	}
}
