// Command loop is a syscall-bound benchmark workload: it calls getppid(2) N
// times (default 2,000,000) and prints how long that took.
package main

import (
	"fmt"
	"os"
	"strconv"
	"syscall"
	"time"
)

func main() {
	n := 2_000_000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	start := time.Now()
	for range n {
		syscall.RawSyscall(syscall.SYS_GETPPID, 0, 0, 0)
	}
	el := time.Since(start)
	fmt.Printf("%d getppid in %v (%.0f ns/call)\n", n, el, float64(el.Nanoseconds())/float64(n))
}
