//go:build linux

package recorder

import (
	"context"

	"github.com/profile-dev/profile/internal/systab"

	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"sync"
	"syscall"
)

// helperArg makes the test binary a workload: helper MODE ARGS...
const helperArg = "helper"

// Distinctive arguments the helpers pass to getpriority(which, PRIO_USER),
// a call nothing else in the tests makes, so the trace can be searched for
// them. The marker is in which (an enum, so the eBPF recorder keeps it;
// the call fails with EINVAL), not in who (an id it does not keep).
const (
	prioUser      = 2
	threadWhoBase = 0x7e00
	grandchildWho = 0x5eed
	x32Who        = 0x3232
	helperThreads = 6

	x32Bit = 0x40000000
)

func runHelper(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "helper: no mode")
		return 2
	}
	switch args[0] {
	case "threads":
		return helperThreadsMode()
	case "tree":
		depth, _ := strconv.Atoi(args[1])
		return helperTree(depth)
	case "x32":
		// seccomp sees the raw number before the kernel decides whether it
		// has an x32 ABI at all, so this is recorded even where x32 calls
		// fail with ENOSYS.
		syscall.RawSyscall(x32Bit|syscall.SYS_GETPRIORITY, x32Who, prioUser, 0)
		return 0
	case "record":
		return helperRecord(args[1], args[2:])
	case "getpriority":
		// N distinct calls on whatever thread runs this.
		n, _ := strconv.Atoi(args[1])
		for i := range n {
			getpriority(uintptr(threadWhoBase+i), prioUser)
		}
		return 0
	case "getppid-loop":
		n, _ := strconv.Atoi(args[1])
		for range n {
			syscall.RawSyscall(syscall.SYS_GETPPID, 0, 0, 0)
		}
		return 0
	}
	fmt.Fprintln(os.Stderr, "helper: unknown mode", args[0])
	return 2
}

// onThread runs f on an OS thread of its own, alive at the same time as the
// others (the barrier), and reports the thread's id.
func onThreads(n int, f func(i int)) []int {
	tids := make([]int, n)
	var ready, done sync.WaitGroup
	ready.Add(n)
	done.Add(n)
	for i := range n {
		go func() {
			defer done.Done()
			runtime.LockOSThread() // never unlocked: the thread dies with the goroutine
			tids[i] = syscall.Gettid()
			ready.Done()
			ready.Wait()
			f(i)
		}()
	}
	done.Wait()
	return tids
}

func getpriority(which, who uintptr) {
	syscall.RawSyscall(syscall.SYS_GETPRIORITY, which, who, 0)
}

// helperThreadsMode: each of several concurrent threads makes its own call.
func helperThreadsMode() int {
	// The workers hold their threads at the same time (onThreads' barrier),
	// so their ids are distinct; one of them may be the main thread, which
	// the main goroutine need not be on, and that is fine.
	tids := onThreads(helperThreads, func(i int) { getpriority(uintptr(threadWhoBase+i), prioUser) })
	seen := map[int]bool{}
	for _, tid := range tids {
		if seen[tid] {
			fmt.Fprintln(os.Stderr, "helper: threads share an id", tids)
			return 3
		}
		seen[tid] = true
	}
	return 0
}

// helperTree: fork/exec depth levels down; the last level's second thread
// makes the distinctive call.
func helperTree(depth int) int {
	if depth > 0 {
		cmd := exec.Command("/proc/self/exe", helperArg, "tree", strconv.Itoa(depth-1))
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "helper:", err)
			return 4
		}
		return 0
	}
	runtime.LockOSThread()
	tids := onThreads(1, func(int) { getpriority(grandchildWho, prioUser) })
	if tids[0] == os.Getpid() {
		fmt.Fprintln(os.Stderr, "helper: the call ran on the main thread")
		return 3
	}
	return 0
}

// helperRecord records argv with a backend and prints "exit=N complete=B
// execve=N".
func helperRecord(backend string, argv []string) int {
	res, err := Record(context.Background(), Options{Argv: argv, Backend: backend})
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		return 5
	}
	nr, _ := systab.Native().Nr("execve")
	var execs uint64
	for _, c := range res.Trace.Calls {
		if c.Arch == systab.Native().Name && c.Nr == nr {
			execs += c.Count
		}
	}
	fmt.Printf("exit=%d complete=%v execve=%d\n", res.ExitStatus, res.Trace.Complete, execs)
	return 0
}
