// Package unix is the project's one door to the kernel: the only package
// that imports golang.org/x/sys/unix's raw syscalls and unsafe. It defines
// the kernel structs x/sys lacks, in one place, with size tests.
//
// Linux-only code lives in _linux.go files; elsewhere the functions return
// ErrNotSupported.
package unix
