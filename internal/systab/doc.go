// Package systab is the project's knowledge of the kernel's syscall ABI:
// syscall numbers per architecture, each architecture's AUDIT_ARCH value, the
// x32 rule, the arguments of every syscall (name, C type, width, pointer or
// scalar), and the seccomp constants the compiler and the recorder share.
//
// The tables in ztables.go are generated (go generate) from
// golang.org/x/sys/unix's zsysnum_linux_*.go files and from the argument
// descriptions Linux 6.18 publishes in its sys_enter tracepoint formats. They
// are never edited by hand.
//
// The package is pure: it does not touch the kernel, so every other package,
// including the deterministic ones, may import it.
package systab

//go:generate go run ./internal/gen -args data/syscall-args-linux-6.18-x86_64.tsv -o ztables.go
