package main

import (
	"errors"
	"fmt"
	"io"
)

// Exit codes other than the workload's own status.
const (
	exitOK         = 0
	exitFailure    = 1   // the check the command performs found something
	exitUsage      = 2   // bad flags or bad input
	exitIncomplete = 3   // the recording may have missed calls
	exitNoExec     = 126 // the command exists but cannot run
	exitNotFound   = 127 // the command does not exist
)

// exitError carries an exit code to main. A nil err exits silently.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

func usageErr(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

func withCode(code int, err error) error { return &exitError{code: code, err: err} }

// exitStatus is the workload's own status, passed through silently.
func exitStatus(code int) error { return &exitError{code: code} }

// report prints err as one line and returns the exit code for it.
func report(stderr io.Writer, err error) int {
	if err == nil {
		return exitOK
	}
	code := exitUsage
	var ee *exitError
	if errors.As(err, &ee) {
		code = ee.code
		if ee.err == nil {
			return code
		}
	}
	fmt.Fprintf(stderr, "profile: %v\n", err)
	return code
}
