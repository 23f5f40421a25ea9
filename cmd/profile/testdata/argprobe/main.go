// Command argprobe is a workload for the argument-level end-to-end tests: it
// maps memory, asks its terminal state and starts a child, and on request
// does one thing more that a profile learnt from its plain run must refuse.
//
// It makes raw syscalls through package syscall so the arguments are exactly
// the ones the test expects.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

const (
	tcgets     = 0x5401
	tiocgwinsz = 0x5413
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "child" {
		return
	}
	addr, _, e := syscall.Syscall6(syscall.SYS_MMAP, 0, 4096, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANONYMOUS, ^uintptr(0), 0)
	if e != 0 {
		fmt.Println("mmap:", e)
		os.Exit(1)
	}
	syscall.Syscall(syscall.SYS_MPROTECT, addr, 4096, syscall.PROT_READ)
	syscall.Syscall(syscall.SYS_IOCTL, 1, tcgets, addr) // ENOTTY on a pipe: still a call
	if err := exec.Command("/proc/self/exe", "child").Run(); err != nil {
		fmt.Println("child:", err)
		os.Exit(1)
	}
	mode := ""
	if len(os.Args) > 1 {
		mode = os.Args[1]
	}
	switch mode {
	case "":
		fmt.Println("ok")
	case "wx":
		_, _, e := syscall.Syscall(syscall.SYS_MPROTECT, addr, 4096, syscall.PROT_READ|syscall.PROT_EXEC)
		fmt.Println("mprotect-exec:", errString(e))
	case "userns":
		_, _, e := syscall.RawSyscall(syscall.SYS_UNSHARE, syscall.CLONE_NEWUSER, 0, 0)
		fmt.Println("unshare-newuser:", errString(e))
	case "clonens":
		cmd := exec.Command("/proc/self/exe", "child")
		cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWUSER | syscall.CLONE_NEWNS}
		err := cmd.Run()
		if err == nil {
			fmt.Println("clone-newns: ok")
		} else {
			fmt.Println("clone-newns:", err)
		}
	case "ioctl":
		_, _, e := syscall.Syscall(syscall.SYS_IOCTL, 1, tiocgwinsz, addr)
		fmt.Println("ioctl-winsz:", errString(e))
	default:
		fmt.Println("unknown mode", mode)
		os.Exit(2)
	}
}

func errString(e syscall.Errno) string {
	if e == 0 {
		return "ok"
	}
	return e.Error()
}
