// Command profile records what a workload asks the kernel for, learns a
// least-privilege seccomp profile from it, emits the profile for the tools
// that enforce it, and runs commands under it.
//
// This package is the command line only: flags, subcommands and exit codes.
package main

import (
	"os"

	"github.com/profile-dev/profile/internal/shim"
)

func main() {
	// A re-executed copy of this binary may be the shim that installs a
	// filter and execs the workload; then Main never returns.
	shim.Main()
	os.Exit(execute(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
