package profiles

import (
	"strings"
	"testing"
)

const symHead = "apiVersion: profile/v1\nkind: SeccompProfile\ndefaultAction: errno\ndefaultErrno: EPERM\n"

// TestSymbolicRoundTrip loads profiles written with names and checks the
// values they mean and that saving gives the same bytes.
func TestSymbolicRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		check      func(*Profile) bool
	}{
		{"open flags", symHead + "architectures: [x86_64]\nsyscalls:\n  - names: [openat]\n    args:\n      flags: {bits: [O_WRONLY, O_NONBLOCK, O_CLOEXEC]}\n",
			func(p *Profile) bool { return p.Syscalls[0].Args[0].Match.Mask == 0x80801 }},
		{"ioctl set", symHead + "architectures: [x86_64]\nsyscalls:\n  - names: [ioctl]\n    args:\n      cmd: {in: [TCGETS, TIOCGWINSZ]}\n",
			func(p *Profile) bool {
				m := p.Syscalls[0].Args[0].Match
				return len(m.Values) == 2 && m.Values[0] == 0x5401
			}},
		{"combination", symHead + "architectures: [x86_64]\nsyscalls:\n  - names: [socket]\n    args:\n      family: {in: [AF_UNIX, AF_INET6]}\n      type: {in: [SOCK_STREAM|SOCK_CLOEXEC]}\n",
			func(p *Profile) bool { return p.Syscalls[0].Args[1].Match.Values[0] == 0x80001 }},
		{"numbers where no name", symHead + "architectures: [x86_64]\nsyscalls:\n  - names: [mmap]\n    args:\n      prot: {bits: [PROT_READ, 0x8]}\n      flags: {bits: [MAP_PRIVATE, MAP_ANONYMOUS]}\n",
			func(p *Profile) bool { return p.Syscalls[0].Args[0].Match.Mask == 9 }},
		{"same value on both arches", symHead + "architectures: [aarch64, x86_64]\nsyscalls:\n  - names: [mprotect]\n    args:\n      prot: {bits: [PROT_READ, PROT_WRITE]}\n",
			func(p *Profile) bool { return p.Syscalls[0].Args[0].Match.Mask == 3 }},
		{"differs: per arch rules", symHead + "architectures: [aarch64, x86_64]\nsyscalls:\n  - names: [openat]\n    arches: [aarch64]\n    args:\n      flags: {bits: [O_DIRECTORY]}\n  - names: [openat]\n    arches: [x86_64]\n    args:\n      flags: {bits: [O_DIRECTORY]}\n",
			func(p *Profile) bool {
				return p.Syscalls[0].Args[0].Match.Mask == 0x4000 && p.Syscalls[1].Args[0].Match.Mask == 0x10000
			}},
		{"signal", symHead + "architectures: [x86_64]\nsyscalls:\n  - names: [kill]\n    args:\n      sig: {in: [SIGTERM, SIGURG]}\n",
			func(p *Profile) bool { return p.Syscalls[0].Args[0].Match.Values[1] == 23 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Parse([]byte(tc.yaml), "p.yaml")
			if err != nil {
				t.Fatal(err)
			}
			if !tc.check(p) {
				t.Errorf("wrong values: %v", p.Syscalls)
			}
			out, err := Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			p2, err := Parse(out, "again.yaml")
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			again, _ := Marshal(p2)
			if string(again) != string(out) {
				t.Errorf("not a fixed point:\n%s\n%s", out, again)
			}
			if strings.Contains(tc.yaml, "PROT_READ, 0x8") && !strings.Contains(string(out), "prot: {bits: [PROT_READ, 0x8]}") {
				t.Errorf("unnamed bit not kept as a number:\n%s", out)
			}
		})
	}
}

// TestSymbolicOutput checks that saving writes names where they exist.
func TestSymbolicOutput(t *testing.T) {
	p := &Profile{DefaultAction: Errno(1), ForeignArchAction: KillProcess, Architectures: []string{"x86_64"}, Syscalls: []Rule{
		{Names: []string{"socket"}, Args: []ArgCond{{Index: 1, Match: Matcher{Op: OpIn, Values: []uint64{0x80001, 0x80002}}}}},
		{Names: []string{"clone"}, Args: []ArgCond{{Index: 0, Match: Matcher{Op: OpBits, Mask: 0x1200011}}}},
		{Names: []string{"futex"}, Args: []ArgCond{{Index: 1, Match: Matcher{Op: OpIn, Values: []uint64{0x80, 0x81, 0x7777}}}}},
	}}
	out, err := Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"type: {in: [SOCK_STREAM|SOCK_CLOEXEC, SOCK_DGRAM|SOCK_CLOEXEC]}",
		"clone_flags: {bits: [CLONE_CHILD_CLEARTID, CLONE_CHILD_SETTID, 0x1, 0x10]}",
		"op: {in: [FUTEX_WAIT_PRIVATE, FUTEX_WAKE_PRIVATE, 30583]}",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestSymbolicErrors(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"unknown name", symHead + "architectures: [x86_64]\nsyscalls:\n  - names: [openat]\n    args:\n      flags: {bits: [O_CLOEXC]}\n", "unknown name O_CLOEXC"},
		{"wrong family", symHead + "architectures: [x86_64]\nsyscalls:\n  - names: [openat]\n    args:\n      flags: {bits: [PROT_EXEC]}\n", "unknown name PROT_EXEC"},
		{"differs between arches", symHead + "architectures: [aarch64, x86_64]\nsyscalls:\n  - names: [openat]\n    args:\n      flags: {bits: [O_DIRECTORY]}\n", "differs between the rule's architectures"},
		{"no names for pointer", symHead + "architectures: [x86_64]\nsyscalls:\n  - names: [read]\n    args:\n      count: {eq: PAGE}\n", "not a number"},
		{"arch-only name", symHead + "architectures: [aarch64]\nsyscalls:\n  - names: [ioctl]\n    args:\n      cmd: {in: [FIOCLEX, BOGUS]}\n", "unknown name BOGUS"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.yaml), "p.yaml")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
			if err != nil && !strings.Contains(err.Error(), "p.yaml:") {
				t.Errorf("err %v has no position", err)
			}
		})
	}
}
