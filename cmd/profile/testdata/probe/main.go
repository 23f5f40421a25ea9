// Command probe is a workload for the end-to-end tests. Modes:
//
//	probe                 print "ok"
//	probe unseen          call getpriority(2), which none of the recorded
//	                      workloads makes, and print its errno ("ok" on success)
//	probe threads N       run N OS threads that each read a file and print a sum
//	probe chain DEPTH     exec itself DEPTH levels deep (fork+exec each level); the
//	                      deepest process starts a thread that calls sched_getscheduler(2),
//	                      which no other process or thread of the tree makes
package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"sync"
	"syscall"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Println("ok")
		return
	}
	switch os.Args[1] {
	case "unseen":
		_, err := syscall.Getpriority(syscall.PRIO_PROCESS, 0)
		fmt.Println("getpriority:", errString(err))
	case "threads":
		n, _ := strconv.Atoi(os.Args[2])
		threads(n)
	case "chain":
		depth, _ := strconv.Atoi(os.Args[2])
		chain(depth)
	default:
		fmt.Fprintln(os.Stderr, "probe: unknown mode", os.Args[1])
		os.Exit(2)
	}
}

func errString(err error) string {
	if err == nil {
		return "ok"
	}
	return err.Error()
}

func threads(n int) {
	var wg sync.WaitGroup
	sums := make([]int, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread() // a distinct OS thread per worker
			data, err := os.ReadFile("/proc/self/status")
			if err != nil {
				panic(err)
			}
			sums[i] = len(data) / len(data)
		}()
	}
	wg.Wait()
	total := 0
	for _, s := range sums {
		total += s
	}
	fmt.Println("threads:", total)
}

func chain(depth int) {
	if depth > 0 {
		cmd := exec.Command("/proc/self/exe", "chain", strconv.Itoa(depth-1))
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "probe: chain:", err)
			os.Exit(1)
		}
		return
	}
	done := make(chan string)
	go func() {
		runtime.LockOSThread() // a new thread of the deepest process
		_, _, e := syscall.RawSyscall(syscall.SYS_SCHED_GETSCHEDULER, 0, 0, 0)
		if e != 0 {
			done <- e.Error()
			return
		}
		done <- "ok"
	}()
	fmt.Println("sched_getscheduler:", <-done)
}
