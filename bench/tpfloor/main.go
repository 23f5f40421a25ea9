// Command tpfloor runs a command with an empty eBPF program attached to the
// sys_enter raw tracepoint: the least any tracepoint-based recorder costs
// (the kernel's syscall slow path and one program call per system call,
// machine-wide), against which bench/backends.sh sets the eBPF recorder's
// own cost. Needs root.
//
//	tpfloor COMMAND [ARG...]
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/link"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: tpfloor COMMAND [ARG...]")
		os.Exit(2)
	}
	prog, err := ebpf.NewProgram(&ebpf.ProgramSpec{
		Type:         ebpf.RawTracepoint,
		Instructions: asm.Instructions{asm.Mov.Imm(asm.R0, 0), asm.Return()},
		License:      "GPL",
	})
	if err != nil {
		fail(fmt.Errorf("load: %w", err))
	}
	defer prog.Close()
	l, err := link.AttachRawTracepoint(link.RawTracepointOptions{Name: "sys_enter", Program: prog})
	if err != nil {
		fail(fmt.Errorf("attach: %w", err))
	}
	defer l.Close()
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		l.Close()
		os.Exit(exit.ExitCode())
	}
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "tpfloor:", err)
	os.Exit(2)
}
