//go:build linux

package enforce

import (
	"context"

	"golang.org/x/net/bpf"

	"bufio"
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/profile-dev/profile/internal/shim"
)

const helperArg = "helper"

// TestMain dispatches the shim and the helper workloads and checks for
// leaked file descriptors.
func TestMain(m *testing.M) {
	shim.Main()
	if len(os.Args) > 2 && os.Args[1] == helperArg {
		os.Exit(runHelper(os.Args[2]))
	}
	if r, w, err := os.Pipe(); err == nil { // start the runtime's poller before counting
		r.Close()
		w.Close()
	}
	before := openFDs()
	code := m.Run()
	if after := openFDs(); code == 0 && after != before {
		fmt.Fprintf(os.Stderr, "file descriptors leaked: %d open before the tests, %d after\n", before, after)
		code = 1
	}
	os.Exit(code)
}

func openFDs() int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(ents)
}

func runHelper(mode string) int {
	switch mode {
	case "getppid":
		// What getppid and getpid return, errno names for failures.
		_, _, e1 := syscall.RawSyscall(syscall.SYS_GETPPID, 0, 0, 0)
		_, _, e2 := syscall.RawSyscall(syscall.SYS_GETPID, 0, 0, 0)
		fmt.Printf("getppid=%s getpid=%s\n", errnoName(e1), errnoName(e2))
		return 0
	case "run-status":
		// Run the status helper under an allow-all program, from here.
		prog, _ := bpf.Assemble([]bpf.Instruction{bpf.RetConstant{Val: retAllow}})
		status, err := Run(context.Background(), prog, []string{os.Args[0], helperArg, "status"}, Options{})
		if err != nil || status != 0 {
			fmt.Fprintln(os.Stderr, "helper:", status, err)
			return 1
		}
		return 0
	case "status":
		// The seccomp mode and no_new_privs the workload runs with.
		f, err := os.Open("/proc/self/status")
		if err != nil {
			return 1
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			k, v, _ := strings.Cut(sc.Text(), ":")
			if k == "Seccomp" || k == "NoNewPrivs" {
				fmt.Printf("%s=%s ", k, strings.TrimSpace(v))
			}
		}
		fmt.Println()
		return 0
	}
	return 2
}

func errnoName(e syscall.Errno) string {
	switch e {
	case 0:
		return "ok"
	case syscall.EPERM:
		return "EPERM"
	}
	return fmt.Sprintf("errno%d", int(e))
}
