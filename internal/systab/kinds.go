package systab

import (
	"strconv"
	"strings"
)

// ArgKind says what a syscall argument is, which decides whether and how a
// learnt profile may constrain it.
type ArgKind uint8

const (
	// KindNumber is a scalar whose value is data (a timeout, a futex value,
	// a prctl argument): it varies between runs and is never constrained.
	KindNumber ArgKind = iota
	// KindUnused is a register the syscall does not read.
	KindUnused
	// KindPointer is an address: what it points to can change after the
	// filter looked, so it is never constrained.
	KindPointer
	// KindFD is a file descriptor (AT_FDCWD included).
	KindFD
	// KindSize is a length, count, size or offset.
	KindSize
	// KindPID is a process, thread or process-group id.
	KindPID
	// KindID is a user or group id.
	KindID
	// KindMode is a file mode (permission bits).
	KindMode
	// KindSignal is a signal number.
	KindSignal
	// KindFlags is a bit set, named by Family when one is known.
	KindFlags
	// KindEnum is one of a set of values (a command, an address family, an
	// ioctl request), named by Family when one is known.
	KindEnum
)

var kindNames = [...]string{
	KindNumber: "number", KindUnused: "unused", KindPointer: "pointer", KindFD: "fd", KindSize: "size",
	KindPID: "pid", KindID: "id", KindMode: "mode", KindSignal: "signal", KindFlags: "flags", KindEnum: "enum",
}

func (k ArgKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// ArgInfo is what the knowledge base knows of one argument.
type ArgInfo struct {
	Kind ArgKind
	// Family names the constant family of a flags, enum or signal argument,
	// or is empty when the values have no names here.
	Family string
	// Strict is true for arguments worth learning only at the strict level:
	// their values follow the workload's data or state (which signals get
	// handlers, lookup flags, message flags) and grant no capability.
	Strict bool
}

// Learnable says whether values of this argument can appear in a learnt
// profile's argument conditions at some level: flags, enums and signals,
// and modes and ids at the strict level. Everything else (pointers,
// descriptors, sizes, pids, plain numbers) is the workload's data, so a
// recorder need not keep it.
func (a ArgInfo) Learnable() bool {
	switch a.Kind {
	case KindFlags, KindEnum, KindSignal, KindMode, KindID:
		return true
	}
	return false
}

// LearnableArgs is the bit set (bit i for argument i) of a syscall's
// learnable arguments on an architecture; known is false for a number the
// table lacks, of whose arguments nothing is known.
func LearnableArgs(a *Arch, nr uint32) (mask uint8, known bool) {
	name, ok := a.SyscallName(nr)
	if !ok {
		return 0, false
	}
	for i := range MaxArgs {
		if ArgKindOf(a, name, i).Learnable() {
			mask |= 1 << i
		}
	}
	return mask, true
}

func strictOnly(a ArgInfo) ArgInfo { a.Strict = true; return a }

func flags(f string) ArgInfo { return ArgInfo{Kind: KindFlags, Family: f} }
func enum(f string) ArgInfo  { return ArgInfo{Kind: KindEnum, Family: f} }

var (
	mode   = ArgInfo{Kind: KindMode}
	signal = ArgInfo{Kind: KindSignal, Family: "signal"}
	pid    = ArgInfo{Kind: KindPID}
)

// argKinds holds, per syscall, the arguments whose kind the names and C types
// of the argument table do not tell: flags and enums with their families,
// modes and signals. Positions are those of the generic 64-bit layout;
// layoutDiffers lists where an ABI departs from it.
var argKinds = map[string]map[int]ArgInfo{
	"open":               {1: flags("open"), 2: mode},
	"openat":             {2: flags("open"), 3: mode},
	"creat":              {1: mode},
	"mkdir":              {1: mode},
	"mkdirat":            {2: mode},
	"mknod":              {1: mode},
	"mknodat":            {2: mode},
	"chmod":              {1: mode},
	"fchmod":             {1: mode},
	"fchmodat":           {2: mode},
	"fchmodat2":          {2: mode, 3: strictOnly(flags("at"))},
	"umask":              {0: mode},
	"access":             {1: strictOnly(flags(""))},
	"faccessat":          {2: strictOnly(flags(""))},
	"faccessat2":         {2: strictOnly(flags("")), 3: strictOnly(flags("at"))},
	"mmap":               {2: flags("prot"), 3: flags("map")},
	"mmap2":              {2: flags("prot"), 3: flags("map")},
	"mprotect":           {2: flags("prot")},
	"pkey_mprotect":      {2: flags("prot")},
	"mremap":             {3: flags("")},
	"msync":              {2: flags("msync")},
	"madvise":            {2: enum("madv")},
	"process_madvise":    {3: enum("madv")},
	"clone":              {0: flags("clone")},
	"unshare":            {0: flags("clone")},
	"setns":              {1: flags("clone")},
	"socket":             {0: enum("af"), 1: enum("socktype"), 2: enum("")},
	"socketpair":         {0: enum("af"), 1: enum("socktype"), 2: enum("")},
	"accept4":            {3: flags("socktype")},
	"setsockopt":         {1: enum("sol"), 2: enum("")},
	"getsockopt":         {1: enum("sol"), 2: enum("")},
	"shutdown":           {1: strictOnly(enum(""))},
	"sendto":             {3: strictOnly(flags(""))},
	"recvfrom":           {3: strictOnly(flags(""))},
	"sendmsg":            {2: strictOnly(flags(""))},
	"recvmsg":            {2: strictOnly(flags(""))},
	"sendmmsg":           {3: strictOnly(flags(""))},
	"recvmmsg":           {3: strictOnly(flags(""))},
	"ioctl":              {1: enum("ioctl")},
	"fcntl":              {1: enum("fcntl")},
	"fcntl64":            {1: enum("fcntl")},
	"flock":              {1: strictOnly(enum(""))},
	"lseek":              {2: strictOnly(enum(""))},
	"prctl":              {0: enum("prctl")},
	"arch_prctl":         {0: enum("arch_prctl")},
	"futex":              {1: enum("futex")},
	"futex_time64":       {1: enum("futex")},
	"rt_sigprocmask":     {0: enum("sighow")},
	"sigprocmask":        {0: enum("sighow")},
	"rt_sigaction":       {0: strictOnly(signal)},
	"sigaction":          {0: strictOnly(signal)},
	"kill":               {0: pid, 1: signal},
	"tkill":              {1: signal},
	"tgkill":             {2: signal},
	"rt_sigqueueinfo":    {1: signal},
	"rt_tgsigqueueinfo":  {2: signal},
	"pidfd_send_signal":  {1: signal, 3: flags("")},
	"clock_gettime":      {0: enum("clock")},
	"clock_gettime64":    {0: enum("clock")},
	"clock_getres":       {0: enum("clock")},
	"clock_settime":      {0: enum("clock")},
	"clock_nanosleep":    {0: enum("clock"), 1: strictOnly(flags(""))},
	"timer_create":       {0: enum("clock")},
	"timerfd_create":     {0: enum("clock"), 1: flags("tfd")},
	"timerfd_settime":    {1: flags("tfd")},
	"waitid":             {0: enum("idtype"), 3: flags("wait")},
	"wait4":              {2: flags("wait")},
	"newfstatat":         {3: strictOnly(flags("at"))},
	"fstatat64":          {3: strictOnly(flags("at"))},
	"statx":              {2: strictOnly(flags("at"))},
	"fchownat":           {4: strictOnly(flags("at"))},
	"linkat":             {4: strictOnly(flags("at"))},
	"unlinkat":           {2: strictOnly(flags("at"))},
	"utimensat":          {3: strictOnly(flags("at"))},
	"execveat":           {4: flags("at")},
	"renameat2":          {4: flags("rename")},
	"mount":              {3: flags("mount")},
	"umount2":            {1: flags("")},
	"personality":        {0: enum("personality")},
	"seccomp":            {0: enum("seccomp_op"), 1: flags("seccomp_flags")},
	"getrandom":          {2: flags("grnd")},
	"epoll_create1":      {0: flags("epoll_create")},
	"epoll_ctl":          {1: enum("epoll_ctl")},
	"eventfd2":           {1: flags("efd")},
	"memfd_create":       {1: flags("mfd")},
	"fallocate":          {1: flags("falloc")},
	"pipe2":              {1: flags("open")},
	"dup3":               {2: flags("open")},
	"inotify_init1":      {0: flags("open")},
	"signalfd4":          {3: flags("open")},
	"getpriority":        {0: strictOnly(enum(""))},
	"setpriority":        {0: enum("")},
	"getrlimit":          {0: strictOnly(enum(""))},
	"setrlimit":          {0: strictOnly(enum(""))},
	"prlimit64":          {0: pid, 1: strictOnly(enum(""))},
	"sched_setscheduler": {1: enum("")},
	"membarrier":         {0: enum(""), 1: flags("")},
	"ptrace":             {0: enum("")},
	"bpf":                {0: enum("")},
	"keyctl":             {0: enum("")},
	"socketcall":         {0: enum("")},
	"rseq":               {2: flags(""), 3: {Kind: KindNumber}},
}

// layoutDiffers lists, per ABI, syscalls whose arguments do not sit where
// the generic layout puts them: i386's and s390x's mmap take a pointer to a
// struct (old_mmap), s390x's clone takes the stack first. Their arguments are
// described by layoutOverrides, or not at all.
var layoutDiffers = map[string]map[string]bool{
	"i386":  {"mmap": true, "select": true},
	"arm":   {"select": true},
	"s390x": {"mmap": true, "clone": true},
}

var layoutOverrides = map[string]map[string]map[int]ArgInfo{
	"s390x": {"clone": {1: flags("clone")}},
}

// ArgKindOf returns what argument i of a syscall is on an architecture.
func ArgKindOf(a *Arch, syscall string, i int) ArgInfo {
	if i < 0 || i >= MaxArgs {
		return ArgInfo{Kind: KindUnused}
	}
	if layoutDiffers[a.Name][syscall] {
		if info, ok := layoutOverrides[a.Name][syscall][i]; ok {
			return info
		}
		return ArgInfo{Kind: KindNumber}
	}
	if info, ok := argKinds[syscall][i]; ok {
		return info
	}
	args := argTable[syscall]
	if args == nil {
		return ArgInfo{Kind: KindNumber}
	}
	if i >= len(args) {
		return ArgInfo{Kind: KindUnused}
	}
	return kindFromName(args[i])
}

// kindFromName reads an argument's kind from its kernel name and C type, for
// the arguments argKinds does not list.
func kindFromName(arg Arg) ArgInfo {
	if arg.Pointer {
		return ArgInfo{Kind: KindPointer}
	}
	n := arg.Name
	switch {
	case n == "fd" || strings.HasSuffix(n, "fd") || strings.HasPrefix(n, "fd_") || n == "fildes":
		return ArgInfo{Kind: KindFD}
	case n == "pid" || n == "tgid" || n == "tid" || n == "upid" || n == "pgid" || strings.HasSuffix(n, "pid"):
		return ArgInfo{Kind: KindPID}
	case strings.HasSuffix(n, "uid") || strings.HasSuffix(n, "gid") || n == "user" || n == "group":
		return ArgInfo{Kind: KindID}
	case n == "sig":
		return signal
	case n == "mode" && arg.CType == "umode_t":
		return mode
	}
	for _, s := range []string{"len", "size", "count", "cnt", "nr", "num", "offset", "pos", "off", "nbytes"} {
		if strings.Contains(n, s) {
			return ArgInfo{Kind: KindSize}
		}
	}
	return ArgInfo{Kind: KindNumber}
}
