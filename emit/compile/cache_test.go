package compile

import (
	"testing"

	"golang.org/x/net/bpf"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/profiles"
)

// Classic BPF opcodes the kernel's cache analysis recognises.
const (
	bpfLdWAbs = 0x20 // BPF_LD | BPF_W | BPF_ABS
	bpfRetK   = 0x06 // BPF_RET | BPF_K
	bpfJa     = 0x05 // BPF_JMP | BPF_JA
	bpfJeqK   = 0x15
	bpfJgtK   = 0x25
	bpfJgeK   = 0x35
	bpfJsetK  = 0x45
	bpfAndK   = 0x54 // BPF_ALU | BPF_AND | BPF_K
)

// constAllow emulates the kernel's seccomp_is_const_allow
// (kernel/seccomp.c): it runs the program for a known arch and nr with the
// arguments unknown, and answers true only when it reaches RET ALLOW through
// loads of nr or arch, constant jumps and AND with a constant. Anything else
// (an argument or instruction_pointer load, another instruction) makes the
// kernel give up and run the filter on every call.
func constAllow(prog []bpf.RawInstruction, audit, nr uint32) bool {
	var a uint32
	for pc := 0; pc < len(prog); pc++ {
		in := prog[pc]
		switch in.Op {
		case bpfLdWAbs:
			switch in.K {
			case offNr:
				a = nr
			case offArch:
				a = audit
			default:
				return false
			}
		case bpfRetK:
			return in.K == RetAllow
		case bpfJa:
			pc += int(in.K)
		case bpfJeqK, bpfJgtK, bpfJgeK, bpfJsetK:
			var res bool
			switch in.Op {
			case bpfJeqK:
				res = a == in.K
			case bpfJgtK:
				res = a > in.K
			case bpfJgeK:
				res = a >= in.K
			case bpfJsetK:
				res = a&in.K != 0
			}
			if res {
				pc += int(in.Jt)
			} else {
				pc += int(in.Jf)
			}
		case bpfAndK:
			a &= in.K
		default:
			return false
		}
	}
	return false // ran off the end
}

// allowedAnyArgs is the oracle: syscall name on arch is allowed whatever its
// arguments when an unconditional allow rule names it and no rule gives it
// anything else.
func allowedAnyArgs(p *profiles.Profile, arch *systab.Arch, name string) bool {
	any := false
	for i := range p.Syscalls {
		r := &p.Syscalls[i]
		if !namesSyscall(r, name) || !r.AppliesTo(arch.Name) {
			continue
		}
		if r.Action.Action != profiles.ActAllow {
			return false
		}
		if len(r.Args) == 0 {
			any = true
		}
	}
	return any
}

// TestActionCache checks that every syscall the profile allows with any
// arguments can be proven always-allowed by the kernel's action cache, on
// the native ABI and its compat ABI (the two the kernel caches), and that
// the analysis never claims a call the profile does not always allow.
func TestActionCache(t *testing.T) {
	ps := testProfiles()
	ps["default-allow"] = profile("default-allow", profiles.Allow, names("x86_64", "i386"),
		rule(errno("EPERM"), names("ptrace")),
		rule(errno("EPERM"), names("personality"), arg(0, ne(0))))
	for _, name := range sortedNames(ps) {
		p := ps[name]
		for _, m := range modes {
			t.Run(name+"/"+m.name, func(t *testing.T) { testActionCache(t, p, m.opts) })
		}
	}
}

func testActionCache(t *testing.T, p *profiles.Profile, opts Options) {
	prog, err := Compile(p, opts)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := prog.Raw()
	if err != nil {
		t.Fatal(err)
	}
	r := newRunner(t, prog)
	cached := 0
	for _, arch := range []*systab.Arch{systab.X86_64, systab.I386, systab.AArch64, systab.ARM} {
		for nr := uint32(0); nr <= arch.MaxNr()+2; nr++ {
			name, known := arch.SyscallName(nr)
			want := p.HasArch(arch.Name) && known && allowedAnyArgs(p, arch, name)
			if p.HasArch(arch.Name) && !known && p.DefaultAction.Action == profiles.ActAllow && (nr <= arch.MaxNr() || p.UnknownErrno == 0) {
				want = true
			}
			got := constAllow(raw, arch.Audit, nr)
			if got {
				cached++
			}
			if want && !got {
				t.Errorf("%s %s: allowed with any arguments but not provably so to the action cache\n%s", arch, arch.FormatNr(nr), prog.Disassemble())
				return
			}
			if got {
				// Soundness: the analysis must never claim a call the
				// filter could refuse for some arguments.
				for _, args := range argVectors(p, arch, nr) {
					c := call{audit: arch.Audit, nr: nr, args: args}
					if v := r.run(t, c); v != profiles.Allow {
						t.Fatalf("%s: cache says always allowed, filter says %s", c, v)
					}
				}
			}
		}
	}
	t.Logf("%d numbers cacheable", cached)
}
