// Package enforce runs a workload under a compiled seccomp program, or
// installs one in the calling process.
//
// Run re-executes this binary as a shim (see internal/shim): the shim reads
// the program from an inherited pipe (never the command line), sets
// no_new_privs unless CAP_SYS_ADMIN is in its effective set, installs the
// program and execs the workload with no syscall in between, so a program
// that denies everything but execve still lets the workload start. The
// workload's stdio is passed through, its exit status is returned as a shell
// reports it (128+N for signal N), and SIGINT, SIGTERM and SIGHUP sent to
// this process are relayed to it. A terminal's Ctrl-C reaches the workload
// directly too (it is in the foreground process group), so an interactive
// Ctrl-C arrives twice.
//
// The workload dies with the caller (PR_SET_PDEATHSIG, kept across the exec
// by no_new_privs). Its own children are not tracked: they keep the filter,
// and live on like the children of any exited process.
//
// The program is classic BPF as the kernel runs it; this package neither
// checks nor compiles it.
package enforce
