// Package shim is the re-exec mechanism that puts a seccomp filter between a
// Go program and the workload it starts.
//
// A filter applies to the thread that installs it and to everything that
// thread execs and forks, so it has to be installed in the child, after fork
// and before exec. Go cannot run code between fork and exec, so the parent
// re-executes its own binary (/proc/self/exe) with the environment variable
// PROFILE_SHIM naming a mode; Main, called first thing in main() and in every
// TestMain, sees the marker, plays that part and never returns. Without the
// marker Main returns at once.
//
// Modes:
//
//   - record: the reaper. An unfiltered process that becomes the child
//     subreaper of the workload's tree, starts the record-exec shim, takes its
//     seccomp listener with pidfd_getfd and hands it to the recorder over a
//     socket, forwards the signals the recorder relays, reaps every
//     descendant and reports the main process's exit status. When the
//     recorder closes the socket, or dies, the reaper kills the whole tree.
//   - record-exec: sets no_new_privs, installs a filter that answers
//     SECCOMP_RET_USER_NOTIF for every call (none exempt) with a new listener,
//     and execs the workload. Its calls between the install and the execve are
//     its own; the recorder drops everything before that first execve. When
//     the recorder passes a filter of its own (StartRecord), the shim installs
//     that one instead, behind a prefix that notifies every exec call, so the
//     shim's execve still waits for the supervisor and marks the start.
//   - run: reads a classic BPF program from an inherited fd (never the
//     command line), sets no_new_privs unless CAP_SYS_ADMIN is effective,
//     installs the program and execs the workload with no syscall in between.
//   - cgroup-guard: waits on a pipe from the eBPF recorder; when the pipe
//     ends without the recorder saying it finished, the recorder died, and
//     the guard kills every process in the workload's cgroup and removes it.
//
// The command is resolved with Resolve before any shim starts, so "not
// found" (ErrCommandNotFound, exit 127) and "not executable"
// (ErrNotExecutable, exit 126) are reported before a filter exists.
package shim
