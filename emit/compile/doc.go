// Package compile turns a profiles.Profile into a seccomp classic-BPF
// program whose meaning is exactly profiles.Evaluate.
//
// # Layout
//
// The program first loads seccomp_data.arch and dispatches on the audit
// value of every ABI the profile covers; any other value gets the profile's
// ForeignArchAction. On AUDIT_ARCH_X86_64 the x32 bit of the syscall number
// is tested before anything else, because x32 calls carry the x86-64 audit
// value: they go to the x32 section when the profile lists x32 and get
// ForeignArchAction otherwise. i386 compat calls have an audit value of their
// own and are checked against the i386 table.
//
// Each ABI section loads the syscall number and runs a balanced binary
// search (JGE on range starts) over ranges of numbers that share a verdict
// class: "always V", or "depends on the arguments: rule set k". Numbers above
// the table's highest syscall get UnknownErrno when it is set.
//
// Syscalls allowed with any arguments reach RET ALLOW through loads of nr and
// arch and constant jumps only, so the kernel's action cache
// (seccomp_cache_prepare, Linux 5.11 and later) proves them always allowed
// and skips the filter for them.
//
// Argument checks try a syscall's rules from the strictest verdict down; the
// first rule whose conditions all hold returns its verdict, and when none
// does the syscall's fallback (the strictest unconditional rule, else the
// default action) applies. That is Evaluate's "strictest matching rule wins"
// without having to evaluate every rule. 64-bit arguments are compared as two
// 32-bit halves; which half sits at the lower offset depends on the ABI's
// byte order (__AUDIT_ARCH_LE). Arguments the kernel truncates to 32 bits
// compare their low half only.
//
// # Limits
//
// Code is emitted with symbolic labels. Conditional jumps reach at most 255
// instructions forward; a longer one is routed through a trampoline placed
// right after the jump (a copy of the target when it is a RET, else a JA). A
// program above the kernel's BPF_MAXINSNS (4096) instructions is refused with
// ErrTooLarge. This package emits correct code without optimisation passes.
//
// Output is deterministic: the same profile always gives the same bytes.
package compile
