// Package compile turns a profiles.Profile into a seccomp classic-BPF
// program whose meaning is exactly profiles.Evaluate.
//
// # Layout
//
// The program first loads seccomp_data.arch and dispatches on the audit
// value of every ABI the profile covers; any other value gets the profile's
// ForeignArchAction. On AUDIT_ARCH_X86_64 the x32 bit of the syscall number
// decides the ABI, because x32 calls carry the x86-64 audit value: they get
// the x32 table's answers when the profile lists x32 and ForeignArchAction
// otherwise. i386 compat calls have an audit value of their own and are
// checked against the i386 table.
//
// Two layouts exist. The default one is optimised; Options.Unoptimized
// gives the plain one, which the tests compare it with.
//
// # Plain layout
//
// Each ABI section loads the syscall number and runs a balanced binary
// search (JGE on range starts) over ranges of numbers that share a verdict
// class: "always V", or "depends on the arguments: rule set k". Numbers above
// the table's highest syscall get UnknownErrno when it is set. On x86-64 the
// x32 bit is tested before the search. Conditions
// compile in their simplest form (a chain of JEQ for a set, AND+JEQ for a
// mask).
//
// # Optimised layout
//
// One search covers every number an audit value can carry: on x86-64 the
// native numbers, the x32 ones (bit 30) and everything above. When x32 is
// not listed, everything above the native table is one leaf that a single
// JSET on the x32 bit splits into UnknownErrno and ForeignArchAction. The
// search is a decision tree planned over the runs of equal class (plan.go):
// inner nodes are JGE splits, leaves may be chains of JEQ that pick single
// numbers out of a run of one class, and a hot single number may be tested
// first by JEQ in a small region, which then no longer has to tell it
// apart from its neighbours. The plan minimises the mean depth,
// weighted by the profile's Counts (calls that must run the filter weigh
// more, as the action cache answers the others), plus a small price per
// instruction, under a bound on the longest path: one level over the
// shallowest tree, and at least a balanced search over the table's numbers
// plus its RET. A leaf's argument checks add their own depth.
//
// Argument checks use small search trees for value sets (the same
// planner), one JSET for "mask == 0" and for a single required bit, and
// the high half of a 64-bit argument once per group of values.
//
// The code then goes through small passes, func(prog) (prog, bool), run
// until none changes anything (opt.go): jump threading (a jump to a JA, or
// to a test its own outcome decides, goes straight on; a JA to a RET
// becomes the RET), redundant loads (a load of the word A holds, a test
// what the path knows of its word decides, a load nothing reads), tail
// merging (identical code reached by jumps is shared, so one RET serves
// every section) and dead code.
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
// ErrTooLarge, naming the parts of the profile that take the most
// instructions.
//
// Output is deterministic: the same profile always gives the same bytes.
package compile
