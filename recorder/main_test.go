//go:build linux

package recorder

import (
	"fmt"
	"os"
	"runtime"
	"testing"

	"github.com/profile-dev/profile/internal/shim"
)

// Locked in init, the main goroutine keeps the main thread (the thread
// group's leader) for TestMain and the helpers, so a helper's other
// goroutines run on other threads: a call "from a second thread" never
// lands on the leader, whichever thread the scheduler would have picked.
func init() { runtime.LockOSThread() }

// TestMain dispatches the shim (the recorder re-executes this binary), the
// helper workloads (os.Args[1] == "helper"), and checks that the tests leak
// no file descriptor.
func TestMain(m *testing.M) {
	shim.Main()
	if len(os.Args) > 1 && os.Args[1] == helperArg {
		os.Exit(runHelper(os.Args[2:]))
	}
	// The runtime's network poller opens its fds (epoll, eventfd) on first
	// use and keeps them: start it before counting.
	if r, w, err := os.Pipe(); err == nil {
		r.Close()
		w.Close()
	}
	before := openFDs()
	code := m.Run()
	if after := openFDs(); code == 0 && after != before {
		fmt.Fprintf(os.Stderr, "file descriptors leaked: %d open before the tests, %d after\n", before, after)
		for _, l := range fdLinks() {
			fmt.Fprintln(os.Stderr, "  ", l)
		}
		code = 1
	}
	os.Exit(code)
}

func fdLinks() []string {
	ents, _ := os.ReadDir("/proc/self/fd")
	var out []string
	for _, e := range ents {
		l, _ := os.Readlink("/proc/self/fd/" + e.Name())
		out = append(out, e.Name()+" -> "+l)
	}
	return out
}

func openFDs() int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(ents)
}
