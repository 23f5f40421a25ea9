// Command timeit runs a command and appends how long it ran and the CPU
// time it and its descendants used, in seconds, to a file: the workload's
// own time, measured from inside whatever
// recorder runs it, so a recorder's start-up and write-out stay out of it.
// bench/backends.sh reports it next to the end-to-end wall time.
//
//	timeit FILE COMMAND [ARG...]
//
// The command's exit status is timeit's.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"time"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: timeit FILE COMMAND [ARG...]")
		os.Exit(2)
	}
	cmd := exec.Command(os.Args[2], os.Args[3:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	start := time.Now()
	err := cmd.Run()
	elapsed := time.Since(start)
	f, ferr := os.OpenFile(os.Args[1], os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if ferr == nil {
		var cpu time.Duration
		if cmd.ProcessState != nil {
			cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		}
		_, ferr = fmt.Fprintf(f, "%.6f %.6f\n", elapsed.Seconds(), cpu.Seconds())
		ferr = errors.Join(ferr, f.Close())
	}
	if ferr != nil {
		fmt.Fprintln(os.Stderr, "timeit:", ferr)
		os.Exit(2)
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		os.Exit(exit.ExitCode())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "timeit:", err)
		os.Exit(2)
	}
}
