package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// family describes how to pick one symbolic constant family out of x/sys's
// tables. Names are taken by prefix or exactly, minus exclusions (an
// exclusion ending in "*" is a prefix).
type family struct {
	name     string
	flags    bool     // a bit set (else an enum)
	prefixes []string // taken when the name starts with one
	names    []string // taken exactly
	exclude  []string
	prefer   []string // canonical spelling among names that share a value
	masks    []string // multi-bit fields (O_ACCMODE): known, never used to spell a value
	bitNames []string // enum families: the names that are flag bits and may be ORed onto a value
	min      uint64   // values below are dropped (ioctl requests are never small)
	signal   bool     // only syscall.Signal constants
}

// families is the knowledge base's list of constant families, in the order
// the generated table lists them. Families x/sys lacks come from the extra
// table (data/consts-extra.tsv).
var families = []family{
	{name: "open", flags: true, prefixes: []string{"O_"}, prefer: []string{"O_NONBLOCK", "O_SYNC"}, masks: []string{"O_ACCMODE"}},
	{name: "prot", flags: true, prefixes: []string{"PROT_"}},
	{name: "map", flags: true, prefixes: []string{"MAP_"}, exclude: []string{"MAP_HUGE_*"}, prefer: []string{"MAP_ANONYMOUS", "MAP_STACK"}, masks: []string{"MAP_TYPE", "MAP_SHARED_VALIDATE"}},
	{name: "clone", flags: true, prefixes: []string{"CLONE_"}, exclude: []string{"CLONE_ARGS_SIZE_*"}},
	{name: "socktype", prefixes: []string{"SOCK_"}, exclude: []string{"SOCK_BUF_LOCK_MASK", "SOCK_RCVBUF_LOCK", "SOCK_SNDBUF_LOCK", "SOCK_IOC_TYPE", "SOCK_TXREHASH_*"}, masks: []string{"SOCK_TYPE_MASK"}, bitNames: []string{"SOCK_CLOEXEC", "SOCK_NONBLOCK"}},
	{name: "af", prefixes: []string{"AF_"}, exclude: []string{"AF_MAX"}, prefer: []string{"AF_UNIX", "AF_NETLINK"}},
	{name: "ipproto", prefixes: []string{"IPPROTO_"}, exclude: []string{"IPPROTO_MAX"}, prefer: []string{"IPPROTO_IP", "IPPROTO_HOPOPTS"}},
	{name: "sol", prefixes: []string{"SOL_"}, prefer: []string{"SOL_SOCKET"}},
	{name: "so", prefixes: []string{"SO_"}, exclude: []string{"SO_EE_*", "SO_VM_*"}, prefer: []string{"SO_TIMESTAMP", "SO_TIMESTAMPNS", "SO_TIMESTAMPING", "SO_RCVTIMEO", "SO_SNDTIMEO", "SO_GET_FILTER", "SO_DETACH_FILTER"}},
	{name: "tcp", prefixes: []string{"TCP_"}, exclude: []string{"TCP_MD5SIG_*", "TCP_REPAIR_*", "TCP_AO_*", "TCP_CM_INQ", "TCP_ACCECN_*", "TCP_COOKIE_*", "TCP_V4_FLOW", "TCP_V6_FLOW"}, prefer: []string{"TCP_INQ"}},
	{name: "ipv6", prefixes: []string{"IPV6_"}, exclude: []string{"IPV6_PMTUDISC_*", "IPV6_PREFER_SRC_*", "IPV6_RTHDR_LOOSE", "IPV6_RTHDR_STRICT", "IPV6_RTHDR_TYPE_0"}, prefer: []string{"IPV6_ADD_MEMBERSHIP", "IPV6_DROP_MEMBERSHIP", "IPV6_RECVERR_RFC4884"}},
	{name: "ioctl", prefixes: []string{"TCGET", "TCSET", "TCSBRK", "TCXONC", "TCFLSH", "TIOC", "FIO", "SIOC", "BLK", "LOOP_", "TUN", "NS_GET_"}, exclude: []string{"TIOCM_*", "TIOCPKT_*", "TIOCSER_*", "TUN_*", "BLKTRACE*"}, prefer: []string{"FIONREAD", "TIOCOUTQ", "TCGETS", "TCSETS"}, min: 0x100},
	{name: "fcntl", prefixes: []string{"F_"}, exclude: []string{"F_OK", "F_LOCK", "F_TLOCK", "F_ULOCK", "F_TEST", "F_RDLCK", "F_WRLCK", "F_UNLCK", "F_EXLCK", "F_SHLCK", "F_SEAL_*", "F_OWNER_*", "F_RESERVED"}, prefer: []string{"F_GETLK", "F_SETLK", "F_SETLKW"}},
	{name: "prctl", prefixes: []string{"PR_"}, exclude: []string{"PR_CAP_AMBIENT_*", "PR_SET_MM_*", "PR_FP_*", "PR_SPEC_*", "PR_MTE_*", "PR_TAGGED_*", "PR_PAC_*", "PR_SME_*", "PR_SVE_*", "PR_MDWE_*", "PR_SCHED_CORE_*", "PR_TIMING_*", "PR_TSC_*", "PR_UNALIGN_*", "PR_ENDIAN_*", "PR_FPEMU_*", "PR_MCE_KILL_*", "PR_PPC_*", "PR_RISCV_*", "PR_SET_VMA_*", "PR_SHADOW_STACK_*", "PR_FUTEX_HASH_*", "PR_GET_MEM_*", "PR_SET_MEM_*", "PR_THP_*", "PR_PMLEN_*", "PR_LOCK_SHADOW_*", "PR_CFI_*", "PR_SET_PTRACER_ANY", "PR_SET_SPECULATION_CTRL_*", "PR_SET_NO_NEW_PRIVS_*", "PR_SET_CFI_*", "PR_GET_CFI_*", "PR_SET_INDIR_*", "PR_SYS_DISPATCH_*", "PR_TIMER_CREATE_RESTORE_IDS_*", "PR_RSEQ_SLICE_EXTENSION_*", "PR_RSEQ_SLICE_EXT_*"}, names: []string{"PR_MCE_KILL_GET"}, prefer: []string{"PR_MCE_KILL", "PR_MCE_KILL_GET", "PR_GET_SPECULATION_CTRL", "PR_SET_SPECULATION_CTRL"}},
	{name: "madv", prefixes: []string{"MADV_"}},
	{name: "futex", prefixes: []string{"FUTEX_"}, prefer: []string{"FUTEX_WAIT_PRIVATE"}, bitNames: []string{"FUTEX_PRIVATE_FLAG", "FUTEX_CLOCK_REALTIME"}},
	{name: "arch_prctl", prefixes: []string{"ARCH_"}},
	{name: "sighow", prefixes: []string{"SIG_"}},
	{name: "clock", prefixes: []string{"CLOCK_"}, exclude: []string{"CLOCK_SGI_CYCLE", "CLOCK_TXFROMRX", "CLOCK_TXINT", "CLOCK_EXT"}},
	{name: "idtype", names: []string{"P_ALL", "P_PID", "P_PGID", "P_PIDFD"}},
	{name: "wait", flags: true, names: []string{"WNOHANG", "WUNTRACED", "WSTOPPED", "WEXITED", "WCONTINUED", "WNOWAIT", "WALL", "WCLONE", "WNOTHREAD"}, prefer: []string{"WUNTRACED"}},
	{name: "at", flags: true, prefixes: []string{"AT_"}, exclude: []string{"AT_FDCWD", "AT_STATX_SYNC_AS_STAT", "AT_HANDLE_*", "AT_RENAME_*", "AT_EXECVE_*"}, prefer: []string{"AT_REMOVEDIR"}},
	{name: "mount", flags: true, prefixes: []string{"MS_"}, exclude: []string{"MS_ASYNC", "MS_INVALIDATE", "MS_SYNC", "MS_MGC_*", "MS_RMT_MASK", "MS_NOUSER", "MS_ACTIVE", "MS_BORN", "MS_KERNMOUNT", "MS_SUBMOUNT", "MS_NOREMOTELOCK", "MS_NOSEC"}, prefer: []string{"MS_RDONLY"}},
	{name: "msync", flags: true, names: []string{"MS_ASYNC", "MS_INVALIDATE", "MS_SYNC"}},
	{name: "personality", prefixes: []string{"PER_"}, bitNames: []string{"ADDR_NO_RANDOMIZE", "ADDR_COMPAT_LAYOUT", "ADDR_LIMIT_32BIT", "ADDR_LIMIT_3GB", "MMAP_PAGE_ZERO", "READ_IMPLIES_EXEC", "SHORT_INODE", "STICKY_TIMEOUTS", "UNAME26", "WHOLE_SECONDS", "FDPIC_FUNCPTRS"}, names: []string{"ADDR_NO_RANDOMIZE", "ADDR_COMPAT_LAYOUT", "ADDR_LIMIT_32BIT", "ADDR_LIMIT_3GB", "MMAP_PAGE_ZERO", "READ_IMPLIES_EXEC", "SHORT_INODE", "STICKY_TIMEOUTS", "UNAME26", "WHOLE_SECONDS", "FDPIC_FUNCPTRS"}},
	{name: "seccomp_op", names: []string{"SECCOMP_SET_MODE_STRICT", "SECCOMP_SET_MODE_FILTER", "SECCOMP_GET_ACTION_AVAIL", "SECCOMP_GET_NOTIF_SIZES"}},
	{name: "seccomp_flags", flags: true, prefixes: []string{"SECCOMP_FILTER_FLAG_"}},
	{name: "grnd", flags: true, prefixes: []string{"GRND_"}},
	{name: "epoll_create", flags: true, names: []string{"EPOLL_CLOEXEC"}},
	{name: "epoll_ctl", prefixes: []string{"EPOLL_CTL_"}},
	{name: "efd", flags: true, prefixes: []string{"EFD_"}},
	{name: "tfd", flags: true, prefixes: []string{"TFD_"}, exclude: []string{"TFD_IOC_SET_TICKS"}},
	{name: "mfd", flags: true, prefixes: []string{"MFD_"}, exclude: []string{"MFD_HUGE_*"}},
	{name: "rename", flags: true, prefixes: []string{"RENAME_"}},
	{name: "falloc", flags: true, prefixes: []string{"FALLOC_FL_"}, prefer: []string{"FALLOC_FL_KEEP_SIZE", "FALLOC_FL_ZERO_RANGE"}},
	{name: "signal", prefixes: []string{"SIG"}, signal: true, prefer: []string{"SIGABRT", "SIGCHLD", "SIGIO", "SIGSYS"}},
}

var constLine = regexp.MustCompile(`^\s+([A-Z_][A-Z0-9_]*)\s*=\s*(syscall\.Signal\()?(-?0x[0-9a-f]+|-?[0-9]+)\)?\s*$`)

type constVal struct {
	value  uint64
	signal bool
}

// readConsts reads every numeric constant of one GOARCH from x/sys's
// zerrors and ztypes files, then the extra table's rows for it.
func readConsts(dir, goarch string, extra []extraRow) (map[string]constVal, error) {
	out := map[string]constVal{}
	for _, f := range []string{"zerrors_linux.go", "ztypes_linux.go", "zerrors_linux_" + goarch + ".go", "ztypes_linux_" + goarch + ".go"} {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			return nil, err
		}
		for _, l := range strings.Split(string(data), "\n") {
			m := constLine.FindStringSubmatch(l)
			if m == nil {
				continue
			}
			v, err := strconv.ParseInt(m[3], 0, 64)
			if err != nil {
				u, uerr := strconv.ParseUint(m[3], 0, 64)
				if uerr != nil {
					continue
				}
				v = int64(u)
			}
			out[m[1]] = constVal{value: uint64(v), signal: m[2] != ""}
		}
	}
	for _, r := range extra {
		if r.goarches == "*" || contains(strings.Split(r.goarches, ","), goarch) {
			out[r.name] = constVal{value: r.value}
		}
	}
	return out, nil
}

type extraRow struct {
	family, name, goarches string
	value                  uint64
}

// readExtra reads the hand-written table of constants x/sys lacks:
// family, name, value, and the GOARCHes it holds for (* for all).
func readExtra(path string) ([]extraRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var rows []extraRow
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		t := sc.Text()
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		cols := strings.Split(t, "\t")
		if len(cols) != 4 {
			return nil, fmt.Errorf("%s:%d: want 4 columns, have %d", path, line, len(cols))
		}
		v, err := strconv.ParseUint(cols[2], 0, 64)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: value %q: %w", path, line, cols[2], err)
		}
		rows = append(rows, extraRow{family: cols[0], name: cols[1], value: v, goarches: cols[3]})
	}
	return rows, sc.Err()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (f *family) takes(name string, c constVal, extra map[string]string) bool {
	if fam, ok := extra[name]; ok {
		return fam == f.name
	}
	if f.signal != c.signal || c.value < f.min {
		return false
	}
	for _, e := range f.exclude {
		if e == name || strings.HasSuffix(e, "*") && strings.HasPrefix(name, strings.TrimSuffix(e, "*")) {
			return false
		}
	}
	if contains(f.names, name) {
		return true
	}
	for _, p := range f.prefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

type member struct {
	name  string
	value uint64
}

// sortMembers orders by value, the canonical name of a value first: a
// preferred name, else the alphabetically first.
func (f *family) sortMembers(ms []member) {
	rank := func(n string) int {
		for i, p := range f.prefer {
			if p == n {
				return i
			}
		}
		return len(f.prefer)
	}
	sort.Slice(ms, func(i, j int) bool {
		a, b := ms[i], ms[j]
		if a.value != b.value {
			return a.value < b.value
		}
		if ra, rb := rank(a.name), rank(b.name); ra != rb {
			return ra < rb
		}
		return a.name < b.name
	})
}

// writeConsts emits the constant families: one table of the values every
// architecture shares, and per architecture the values that differ.
func writeConsts(buf *bytes.Buffer, dir, extraPath string) error {
	extra, err := readExtra(extraPath)
	if err != nil {
		return err
	}
	extraFam := map[string]string{}
	for _, r := range extra {
		extraFam[r.name] = r.family
	}
	perArch := map[string]map[string]map[string]uint64{} // arch -> family -> name -> value
	for _, s := range sources {
		cs, err := readConsts(dir, s.goarch, extra)
		if err != nil {
			return err
		}
		perArch[s.arch] = map[string]map[string]uint64{}
		for _, f := range families {
			m := map[string]uint64{}
			for n, c := range cs {
				if f.takes(n, c, extraFam) {
					m[n] = c.value
				}
			}
			perArch[s.arch][f.name] = m
		}
	}
	buf.WriteString("// familyDefs lists the constant families in knowledge-base order.\n")
	buf.WriteString("var familyDefs = []familyDef{\n")
	for _, f := range families {
		fmt.Fprintf(buf, "\t{Name: %q, Flags: %t, Masks: %#v, BitNames: %#v},\n", f.name, f.flags, f.masks, f.bitNames)
	}
	buf.WriteString("}\n\n")
	buf.WriteString("// commonConsts holds the family members whose value is the same on every architecture.\n")
	buf.WriteString("var commonConsts = map[string][]Const{\n")
	for _, f := range families {
		var ms []member
		for n, v := range perArch[sources[0].arch][f.name] {
			if sameEverywhere(perArch, f.name, n, v) {
				ms = append(ms, member{n, v})
			}
		}
		writeMembers(buf, &f, ms)
	}
	buf.WriteString("}\n\n")
	buf.WriteString("// archConsts holds, per architecture, the family members whose value differs between architectures.\n")
	buf.WriteString("var archConsts = map[string]map[string][]Const{\n")
	for _, s := range sources {
		fmt.Fprintf(buf, "\t%q: {\n", s.arch)
		for _, f := range families {
			var ms []member
			for n, v := range perArch[s.arch][f.name] {
				if !sameEverywhere(perArch, f.name, n, v) {
					ms = append(ms, member{n, v})
				}
			}
			writeMembers(buf, &f, ms)
		}
		buf.WriteString("\t},\n")
	}
	buf.WriteString("}\n")
	return nil
}

func sameEverywhere(perArch map[string]map[string]map[string]uint64, fam, name string, v uint64) bool {
	for _, s := range sources {
		w, ok := perArch[s.arch][fam][name]
		if !ok || w != v {
			return false
		}
	}
	return true
}

func writeMembers(buf *bytes.Buffer, f *family, ms []member) {
	if len(ms) == 0 {
		return
	}
	f.sortMembers(ms)
	fmt.Fprintf(buf, "\t%q: {", f.name)
	for _, m := range ms {
		fmt.Fprintf(buf, "{%q, %#x}, ", m.name, m.value)
	}
	buf.WriteString("},\n")
}
