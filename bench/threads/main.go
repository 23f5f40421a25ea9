// Command threads is a threaded syscall-bound benchmark workload: T OS
// threads (default 4) each call getppid(2) N times (default 500,000).
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"syscall"
)

func main() {
	threads, n := 4, 500_000
	if len(os.Args) > 1 {
		threads, _ = strconv.Atoi(os.Args[1])
	}
	if len(os.Args) > 2 {
		n, _ = strconv.Atoi(os.Args[2])
	}
	var wg sync.WaitGroup
	for range threads {
		wg.Go(func() {
			runtime.LockOSThread()
			for range n {
				syscall.RawSyscall(syscall.SYS_GETPPID, 0, 0, 0)
			}
		})
	}
	wg.Wait()
	fmt.Printf("%d threads x %d getppid\n", threads, n)
}
