package profiles

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/profile-dev/profile/internal/systab"
)

// RiskLevel says how much a permission can hurt if the workload is
// compromised. Higher is worse.
type RiskLevel uint8

const (
	RiskNone RiskLevel = iota
	RiskLow
	RiskMedium
	RiskHigh
	RiskCritical
)

var riskNames = [...]string{RiskNone: "none", RiskLow: "low", RiskMedium: "medium", RiskHigh: "high", RiskCritical: "critical"}

func (l RiskLevel) String() string {
	if int(l) < len(riskNames) {
		return riskNames[l]
	}
	return "risk(" + strconv.Itoa(int(l)) + ")"
}

// MarshalText writes the level's name (for JSON reports).
func (l RiskLevel) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// Shape is the argument shape a risk entry is about.
type Shape uint8

const (
	// ShapeAny: the syscall at all, whatever its arguments.
	ShapeAny Shape = iota
	// ShapeBits: the argument may have any of the bits of Value set.
	ShapeBits
	// ShapeValue: the argument may equal Value.
	ShapeValue
)

// RiskEntry is one dangerous syscall or argument shape.
type RiskEntry struct {
	Syscall string
	// Arg is the kernel's name of the argument Shape is about; empty for
	// ShapeAny.
	Arg    string
	Shape  Shape
	Value  uint64
	Level  RiskLevel
	Reason string
}

// Describe renders the entry's subject: "ptrace", "mmap prot has 0x4".
func (e RiskEntry) Describe() string {
	switch e.Shape {
	case ShapeBits:
		return fmt.Sprintf("%s %s has %#x", e.Syscall, e.Arg, e.Value)
	case ShapeValue:
		return fmt.Sprintf("%s %s = %#x", e.Syscall, e.Arg, e.Value)
	}
	return e.Syscall
}

// Constants the table needs. They are the same on every architecture the
// tables cover, except TIOCSTI and TIOCLINUX, which are different on
// ppc64le (where the entries therefore do not fire).
const (
	protExec        = 0x4
	readImpliesExec = 0x0400000
	cloneNewNS      = 0x7e020080 // CLONE_NEW{TIME,NS,CGROUP,UTS,IPC,USER,PID,NET}
	tiocsti         = 0x5412
	tioclinux       = 0x541c
)

// RiskTable is the maintained list of dangerous syscalls and argument
// shapes, sorted by syscall, argument and value. Each reason is one line.
// A syscall absent from the table is not rated (RiskNone) but widening it
// still rates RiskLow.
var RiskTable = []RiskEntry{
	{Syscall: "acct", Level: RiskMedium, Reason: "switches process accounting, a host-wide setting"},
	{Syscall: "add_key", Level: RiskHigh, Reason: "kernel keyring: large attack surface, not namespaced"},
	{Syscall: "bpf", Level: RiskCritical, Reason: "loads programs into the kernel; a frequent privilege-escalation path"},
	{Syscall: "chroot", Level: RiskHigh, Reason: "changes the root directory; with other bugs, a container escape"},
	{Syscall: "clock_adjtime", Level: RiskMedium, Reason: "sets the host clock"},
	{Syscall: "clock_settime", Level: RiskMedium, Reason: "sets the host clock"},
	{Syscall: "clone", Arg: "clone_flags", Shape: ShapeBits, Value: cloneNewNS, Level: RiskHigh, Reason: "creates namespaces (user namespaces expose root-only kernel code)"},
	{Syscall: "clone3", Level: RiskMedium, Reason: "its flags live in memory, so namespace creation cannot be filtered"},
	{Syscall: "delete_module", Level: RiskCritical, Reason: "unloads kernel modules"},
	{Syscall: "finit_module", Level: RiskCritical, Reason: "loads kernel code"},
	{Syscall: "fsconfig", Level: RiskHigh, Reason: "configures a new mount (mount API)"},
	{Syscall: "fsmount", Level: RiskHigh, Reason: "creates a mount (mount API)"},
	{Syscall: "fsopen", Level: RiskHigh, Reason: "opens a filesystem context (mount API)"},
	{Syscall: "init_module", Level: RiskCritical, Reason: "loads kernel code"},
	{Syscall: "io_uring_enter", Level: RiskHigh, Reason: "io_uring runs syscalls the filter never sees"},
	{Syscall: "io_uring_register", Level: RiskHigh, Reason: "io_uring runs syscalls the filter never sees"},
	{Syscall: "io_uring_setup", Level: RiskHigh, Reason: "io_uring runs syscalls the filter never sees; large attack surface"},
	{Syscall: "ioctl", Arg: "cmd", Shape: ShapeValue, Value: tiocsti, Level: RiskCritical, Reason: "TIOCSTI pushes input into a terminal: commands run in the parent's shell"},
	{Syscall: "ioctl", Arg: "cmd", Shape: ShapeValue, Value: tioclinux, Level: RiskHigh, Reason: "TIOCLINUX can inject console input"},
	{Syscall: "kexec_file_load", Level: RiskCritical, Reason: "replaces the running kernel"},
	{Syscall: "kexec_load", Level: RiskCritical, Reason: "replaces the running kernel"},
	{Syscall: "keyctl", Level: RiskHigh, Reason: "kernel keyring: large attack surface, not namespaced"},
	{Syscall: "lookup_dcookie", Level: RiskMedium, Reason: "reveals kernel object identities"},
	{Syscall: "mmap", Arg: "prot", Shape: ShapeBits, Value: protExec, Level: RiskMedium, Reason: "PROT_EXEC maps executable memory: injected code can run"},
	{Syscall: "mount", Level: RiskHigh, Reason: "changes the mount table; a classic container escape"},
	{Syscall: "mount_setattr", Level: RiskHigh, Reason: "changes mount properties (mount API)"},
	{Syscall: "move_mount", Level: RiskHigh, Reason: "attaches a mount (mount API)"},
	{Syscall: "mprotect", Arg: "prot", Shape: ShapeBits, Value: protExec, Level: RiskMedium, Reason: "PROT_EXEC makes memory executable: breaks W^X"},
	{Syscall: "name_to_handle_at", Level: RiskMedium, Reason: "with open_by_handle_at, reaches files outside a chroot"},
	{Syscall: "open_by_handle_at", Level: RiskHigh, Reason: "opens files by handle, bypassing paths (the shocker escape)"},
	{Syscall: "open_tree", Level: RiskHigh, Reason: "clones a mount tree (mount API)"},
	{Syscall: "perf_event_open", Level: RiskHigh, Reason: "large attack surface; can observe other processes"},
	{Syscall: "personality", Level: RiskLow, Reason: "changes the execution domain"},
	{Syscall: "personality", Arg: "personality", Shape: ShapeBits, Value: readImpliesExec, Level: RiskHigh, Reason: "READ_IMPLIES_EXEC makes every readable mapping executable"},
	{Syscall: "pivot_root", Level: RiskHigh, Reason: "changes the root mount"},
	{Syscall: "pkey_mprotect", Arg: "prot", Shape: ShapeBits, Value: protExec, Level: RiskMedium, Reason: "PROT_EXEC makes memory executable: breaks W^X"},
	{Syscall: "process_vm_readv", Level: RiskHigh, Reason: "reads another process's memory"},
	{Syscall: "process_vm_writev", Level: RiskCritical, Reason: "writes another process's memory"},
	{Syscall: "ptrace", Level: RiskCritical, Reason: "controls other processes: read, write and run their code"},
	{Syscall: "quotactl", Level: RiskMedium, Reason: "manages disk quotas, a host-wide setting"},
	{Syscall: "reboot", Level: RiskHigh, Reason: "reboots the host or loads a kexec kernel"},
	{Syscall: "remap_file_pages", Arg: "prot", Shape: ShapeBits, Value: protExec, Level: RiskMedium, Reason: "PROT_EXEC maps executable memory"},
	{Syscall: "request_key", Level: RiskHigh, Reason: "kernel keyring: large attack surface, not namespaced"},
	{Syscall: "setns", Level: RiskHigh, Reason: "enters another namespace"},
	{Syscall: "settimeofday", Level: RiskMedium, Reason: "sets the host clock"},
	{Syscall: "swapoff", Level: RiskMedium, Reason: "changes host swap"},
	{Syscall: "swapon", Level: RiskMedium, Reason: "changes host swap"},
	{Syscall: "umount2", Level: RiskHigh, Reason: "changes the mount table; can uncover hidden paths"},
	{Syscall: "unshare", Arg: "unshare_flags", Shape: ShapeBits, Value: cloneNewNS, Level: RiskHigh, Reason: "creates namespaces (user namespaces expose root-only kernel code)"},
	{Syscall: "userfaultfd", Level: RiskHigh, Reason: "stalls kernel accesses at will: widens race windows for exploits"},
	{Syscall: "vhangup", Level: RiskLow, Reason: "hangs up the terminal"},
}

// riskFor returns the table entries of a syscall.
func riskFor(name string) []RiskEntry {
	i := sort.Search(len(RiskTable), func(i int) bool { return RiskTable[i].Syscall >= name })
	var out []RiskEntry
	for ; i < len(RiskTable) && RiskTable[i].Syscall == name; i++ {
		out = append(out, RiskTable[i])
	}
	return out
}

// Risk is a rating with the reasons behind it.
type Risk struct {
	Level   RiskLevel `json:"level"`
	Reasons []string  `json:"reasons,omitempty"`
}

func (r Risk) String() string {
	if len(r.Reasons) == 0 {
		return r.Level.String()
	}
	return r.Level.String() + ": " + strings.Join(r.Reasons, "; ")
}

func (r *Risk) add(l RiskLevel, reason string) {
	if l > r.Level {
		r.Level = l
	}
	for _, x := range r.Reasons {
		if x == reason {
			return
		}
	}
	r.Reasons = append(r.Reasons, reason)
}

// RateRule rates what a rule permits: the worst table entry any syscall it
// names reaches on any architecture it covers. Rules with a denying action
// rate RiskNone.
func RateRule(p *Profile, r *Rule) Risk {
	var risk Risk
	if !permits(r.Action) {
		return risk
	}
	for _, arch := range p.scope(r) {
		for _, name := range r.Names {
			args, ok := normalArgs(arch, name, r.Args)
			if !ok {
				continue
			}
			rs := siteRules{{Args: args, Action: r.Action}}
			for _, e := range riskFor(name) {
				if rs.permitsShape(arch, name, e, false) {
					risk.add(e.Level, e.Describe()+": "+e.Reason)
				}
			}
		}
	}
	return risk
}

// permits reports whether a verdict lets the syscall run: allow, and log,
// which runs it after logging.
func permits(v Verdict) bool { return v.Action == ActAllow || v.Action == ActLog }

// permitsShape reports whether some permitting rule may let a call of the
// entry's shape through (or the default permits everything). Denying rules
// are ignored, so the answer errs towards "permits".
func (rs siteRules) permitsShape(arch *systab.Arch, name string, e RiskEntry, defPermits bool) bool {
	if defPermits {
		return true
	}
	idx := -1
	if e.Shape != ShapeAny {
		i, err := systab.ArgIndex(arch, name, e.Arg)
		if err != nil {
			return false
		}
		idx = i
	}
	wide := idx >= 0 && systab.ArgWide(arch, name, idx)
	for _, r := range rs {
		if !permits(r.Action) {
			continue
		}
		ok := true
		for _, c := range r.Args {
			if c.Index == idx && !mayHaveShape(c.Match, e, wide) {
				ok = false
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// mayHaveShape reports whether a matcher accepts some value of the shape.
// It errs towards yes for large ranges.
func mayHaveShape(m Matcher, e RiskEntry, wide bool) bool {
	if e.Shape == ShapeValue {
		return m.Match(e.Value, wide)
	}
	x := e.Value
	switch m.Op {
	case OpIn:
		for _, v := range m.Values {
			if v&x != 0 {
				return true
			}
		}
		return false
	case OpEq:
		return m.Value&x != 0
	case OpBits:
		return m.Mask&x != 0
	case OpMasked:
		return (m.Value&m.Mask|^m.Mask)&x != 0
	case OpRange:
		if m.Hi-m.Lo > 1<<12 {
			return true
		}
		for v := m.Lo; ; v++ {
			if v&x != 0 {
				return true
			}
			if v == m.Hi {
				return false
			}
		}
	}
	return true
}
