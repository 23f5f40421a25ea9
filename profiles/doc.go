// Package profiles is the seccomp profile model: which syscalls each
// architecture may make, under which argument conditions, and what happens
// to everything else.
//
// A Profile is loaded from and saved to YAML (apiVersion profile/v1) and
// imported from OCI seccomp JSON. Evaluate gives the reference meaning of a
// profile: every compiled filter, every learned profile and every diff is
// tested against it.
//
// # Semantics
//
// For a call (arch, nr, args):
//
//  1. If the call's ABI (the audit arch, and on x86-64 the x32 bit of nr) is
//     not in Architectures, the result is ForeignArchAction.
//  2. If nr is above the highest number the syscall table knows for that
//     ABI and UnknownErrno is set, the call fails with UnknownErrno: libc
//     falls back to older syscalls on ENOSYS. Other unknown numbers get
//     DefaultAction.
//  3. Otherwise every rule naming the syscall (and, if it lists
//     architectures, this one) whose argument conditions all hold matches.
//     Rules for the same syscall are alternatives. Of the matching rules the
//     most restrictive action wins, in the kernel's own precedence
//     (kill-process, kill-thread, trap, errno, trace, log, allow; the lower
//     errno among equals), so the order of rules never matters. No match
//     gives DefaultAction.
//
// Arguments the kernel declares as int (or any 32-bit type) are compared on
// their low 32 bits, as the kernel truncates them; on a 32-bit ABI every
// argument is. Other arguments compare on all 64 bits.
//
// # What seccomp cannot protect
//
// A filter sees the six argument registers, never memory: a path, a struct or
// a buffer behind a pointer cannot be checked, and even if it were read, the
// workload could change it between the check and the kernel's use (TOCTOU).
// Profiles therefore never constrain pointer arguments.
package profiles
