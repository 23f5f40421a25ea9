// Package testutil holds helpers shared by the project's tests.
package testutil

import (
	"errors"
	"os"
	"syscall"
	"testing"
)

// PrivilegedEnv, when set to 1 (CI sets it), turns every skip of a test that
// needs privileges or kernel features into a failure, so CI cannot pass by
// skipping.
const PrivilegedEnv = "PROFILE_TEST_PRIVILEGED"

// SkipIfNotPermitted skips the test when err says the kernel refused an
// operation for lack of privilege or support (EPERM, EACCES, ENOSYS,
// EOPNOTSUPP, EINVAL from a feature probe), unless PROFILE_TEST_PRIVILEGED=1,
// in which case it fails. Any other error fails the test. A nil err returns.
func SkipIfNotPermitted(tb testing.TB, err error) {
	tb.Helper()
	if err == nil {
		return
	}
	refused := errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.EACCES) ||
		errors.Is(err, syscall.ENOSYS) || errors.Is(err, syscall.EOPNOTSUPP) || errors.Is(err, errors.ErrUnsupported)
	if !refused {
		tb.Fatalf("unexpected error: %v", err)
	}
	Skip(tb, err.Error())
}

// Skip skips with a reason, or fails when PROFILE_TEST_PRIVILEGED=1.
func Skip(tb testing.TB, reason string) {
	tb.Helper()
	if os.Getenv(PrivilegedEnv) == "1" {
		tb.Fatalf("would skip, but %s=1: %s", PrivilegedEnv, reason)
	}
	tb.Skip(reason)
}

// NeedCommand skips (or fails under PROFILE_TEST_PRIVILEGED=1) when a program
// the test drives is not installed.
func NeedCommand(tb testing.TB, name string, lookPath func(string) (string, error)) string {
	tb.Helper()
	p, err := lookPath(name)
	if err != nil {
		Skip(tb, name+" not installed: "+err.Error())
	}
	return p
}

// UnrunnableFiles creates two files a command runner must refuse: plain, a
// script that lacks the execute bit, and garbage, an executable file the
// kernel cannot run (execve fails with ENOEXEC).
func UnrunnableFiles(tb testing.TB) (plain, garbage string) {
	tb.Helper()
	dir := tb.TempDir()
	plain, garbage = dir+"/plain", dir+"/garbage"
	if err := os.WriteFile(plain, []byte("#!/bin/sh\n"), 0o644); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(garbage, []byte{0, 1, 2, 3}, 0o755); err != nil {
		tb.Fatal(err)
	}
	return plain, garbage
}
