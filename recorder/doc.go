// Package recorder runs a workload and records every system call it makes,
// as a trace.Trace: each distinct (arch, nr, args[6]) with a count.
//
// # The trace backend
//
// The "trace" backend works as an ordinary user. A re-exec shim (see
// internal/shim) sets no_new_privs and installs a seccomp filter that
// answers SECCOMP_RET_USER_NOTIF for every call of every thread of every
// process the workload starts (filters are inherited across fork, clone and
// execve, and apply to i386 int 0x80 calls too). The recorder takes the
// filter's listener with pidfd_getfd and runs a supervisor loop on one
// locked OS thread: receive a notification, count it, answer
// SECCOMP_USER_NOTIF_FLAG_CONTINUE so the call runs unchanged. With
// SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (Linux 6.6) the round trip stays on one
// CPU, and the loop blocks in the receive itself (which, since the same
// release, returns when the last task holding the filter is gone) instead of
// polling first; older kernels work without either, more slowly, and the
// log says so.
//
// Cost: one round trip to the recorder per call. A loop of 200k getppid
// (the worst case: nothing but calls) took 0.23 s natively and 3.5 s
// recorded on a busy 2-CPU VM with Linux 6.18 (strace -f: 11.5 s); a
// typical workload, which spends most of its time outside the kernel, is
// slowed far less.
//
// The calls the shim makes between installing the filter and its execve are
// its own, not the workload's: everything before that first execve is
// dropped, and the execve itself is recorded.
//
// # A filter of the caller's
//
// Options.Filter replaces the notify-everything filter with the caller's
// program: the trace then holds exactly the calls that program answers
// SECCOMP_RET_USER_NOTIF, and the calls it allows never leave the kernel.
// profile check installs a profile compiled with every refusing verdict
// turned into a notification (compile.NotifyNonAllow): a complain mode
// whose trace is what the profile would have refused, at the cost of a
// round trip for those calls only. The shim puts a prefix before the
// program that notifies every execve and execveat (internal/shim
// ExecCalls): the shim's own execve must wait for the supervisor, and exec
// calls tell the supervisor that a task changed its executable. An exec
// call is recorded only if the caller's program, run here on the same
// seccomp_data (compile.Execute), notifies it too.
//
// Options.Executables names the executable behind each call: the
// supervisor reads /proc/PID/exe of the calling task when its first call is
// notified, caches it per task, and forgets the cache at every exec call.
//
// # Lifetime
//
// The recording ends when no task holds the filter any more (the listener
// reports POLLHUP). Descendants that outlive the main process are waited
// for, as strace -f does: a daemon the workload leaves behind keeps the
// recording open until it exits. The reaper shim is the subreaper of the
// tree, so orphans are collected even when PID 1 does not reap.
//
// SIGINT, SIGTERM and SIGHUP sent to the recorder are relayed to the
// workload's main process (a terminal's Ctrl-C, which the workload already
// received as a member of the foreground process group, is not sent twice),
// and the trace is marked incomplete. Cancelling the context kills the whole
// tree; Record still returns what was seen, marked incomplete. If the
// recorder process dies, the reaper kills the tree; if the reaper dies, the
// main process dies with it (PR_SET_PDEATHSIG, which survives the exec
// because no_new_privs stops setuid programs from changing credentials), and
// any other survivor can no longer make a system call (with no supervisor,
// the filter fails every call with ENOSYS).
//
// Because of no_new_privs, setuid and file-capability programs run without
// their privileges while recorded, as under strace.
//
// # The ebpf backend
//
// The "ebpf" backend (package recorder/ebpf; root, or CAP_BPF and
// CAP_PERFMON) counts calls in the kernel instead, with no round trip: a
// command is started straight into a fresh cgroup v2 that the program
// selects; Options.PID and Options.Cgroup attach to a running process tree
// or cgroup instead. CaptureMask says which arguments it keeps. If the
// recorder is killed outright, the command's main process dies with it
// (PDEATHSIG) but its descendants are left in the cgroup. "auto" (the
// default) uses it when it loads, and the trace backend otherwise.
package recorder
