package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"time"

	"golang.org/x/net/bpf"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/internal/unix"
)

// childEnv names the file holding the program a child installs and times.
const childEnv = "BENCH_COMPILER_CHILD"

// kernelCall is one call the child times, before and after installing the
// filter.
type kernelCall struct {
	what string
	nr   uintptr
	args [3]uintptr
}

var kernelCalls = []kernelCall{
	{"cached (getppid)", 110, [3]uintptr{}},
	// ioctl(-1, TCGETS): allowed with any argument in A and B (cached),
	// by its argument in C (the filter runs); the kernel then says EBADF.
	{"argument-checked (ioctl TCGETS)", 16, [3]uintptr{0xffffffff, 0x5401, 0}},
	{"unknown number (1000)", 1000, [3]uintptr{}},
}

const (
	kernelIters  = 2000
	kernelRounds = 150
)

// kernelFigures are ns per call over the same call without a filter.
type kernelFigures struct {
	overhead []float64 // per kernelCalls entry
	base     []float64 // the call without a filter
}

// oneRound times kernelIters calls, in ns per call.
func oneRound(c kernelCall) float64 {
	start := time.Now()
	for i := 0; i < kernelIters; i++ {
		syscall.RawSyscall(c.nr, c.args[0], c.args[1], c.args[2])
	}
	return float64(time.Since(start).Nanoseconds()) / kernelIters
}

// timer is a goroutine locked to its own thread, optionally under the
// filter (a filter installed without TSYNC binds that thread only), that
// times calls on request.
type timer struct {
	req chan kernelCall
	res chan float64
}

func startTimer(prog []bpf.RawInstruction) (*timer, error) {
	t := &timer{req: make(chan kernelCall), res: make(chan float64)}
	ready := make(chan error)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread keeps the filter
		if prog != nil {
			if err := unix.SetNoNewPrivs(); err != nil {
				ready <- err
				return
			}
			if _, err := unix.InstallFilter(prog, 0); err != nil {
				ready <- err
				return
			}
		}
		ready <- nil
		for c := range t.req {
			t.res <- oneRound(c)
		}
	}()
	return t, <-ready
}

func (t *timer) time(c kernelCall) float64 {
	t.req <- c
	return <-t.res
}

// kernelChild times each call on a thread without the filter and on one
// with it, alternating rounds so that drift in the machine's speed hits
// both alike, and prints the fastest round of each.
func kernelChild() int {
	if systab.Native() != systab.X86_64 {
		fmt.Println("skip: the calls are x86-64 numbers")
		return 0
	}
	data, err := os.ReadFile(os.Getenv(childEnv))
	if err != nil || len(data)%8 != 0 {
		fmt.Fprintln(os.Stderr, "child: program:", err)
		return 2
	}
	prog := make([]bpf.RawInstruction, len(data)/8)
	for i := range prog {
		w := data[8*i:]
		prog[i] = bpf.RawInstruction{Op: binary.NativeEndian.Uint16(w), Jt: w[2], Jf: w[3], K: binary.NativeEndian.Uint32(w[4:])}
	}
	base, err := startTimer(nil)
	if err != nil {
		fmt.Println("install-error", err)
		return 3
	}
	filt, err := startTimer(prog)
	if err != nil {
		fmt.Println("install-error", err)
		return 3
	}
	bestB := make([]float64, len(kernelCalls))
	bestF := make([]float64, len(kernelCalls))
	for r := 0; r < kernelRounds; r++ {
		for i, c := range kernelCalls {
			b, f := base.time(c), filt.time(c)
			if r == 0 || b < bestB[i] {
				bestB[i] = b
			}
			if r == 0 || f < bestF[i] {
				bestF[i] = f
			}
		}
	}
	var out strings.Builder
	for i := range kernelCalls {
		fmt.Fprintf(&out, "%.2f %.2f\n", bestB[i], bestF[i])
	}
	fmt.Print(out.String())
	return 0
}

// runKernelChild times one program in a child process.
func runKernelChild(prog []bpf.RawInstruction) (*kernelFigures, error) {
	f, err := os.CreateTemp("", "bench-prog-*.bpf")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name())
	for _, r := range prog {
		var b [8]byte
		binary.NativeEndian.PutUint16(b[:], r.Op)
		b[2], b[3] = r.Jt, r.Jf
		binary.NativeEndian.PutUint32(b[4:], r.K)
		f.Write(b[:])
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), childEnv+"="+f.Name(), "GOGC=off")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("child: %v: %s%s", err, stdout.String(), stderr.String())
	}
	if strings.HasPrefix(stdout.String(), "install-error") || strings.HasPrefix(stdout.String(), "skip") {
		return nil, fmt.Errorf("child: %s", strings.TrimSpace(stdout.String()))
	}
	kf := &kernelFigures{}
	for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		var base, with float64
		if _, err := fmt.Sscanf(line, "%f %f", &base, &with); err != nil {
			return nil, fmt.Errorf("child said %q", line)
		}
		kf.overhead = append(kf.overhead, with-base)
		kf.base = append(kf.base, base)
	}
	if len(kf.overhead) != len(kernelCalls) {
		return nil, fmt.Errorf("child said %q", stdout.String())
	}
	return kf, nil
}

// kernelTable times every program but the unoptimised ones and prints ns
// per call over no filter.
func kernelTable(w io.Writer, names []string, all [][]*entry) error {
	fmt.Fprintf(w, "Kernel cost: ns per call with the filter minus without it, on two threads of one child process (one under the filter), %d alternating rounds of %d calls, fastest round of each:\n\n", kernelRounds, kernelIters)
	fmt.Fprint(w, "| policy | compiler |")
	for _, c := range kernelCalls {
		fmt.Fprintf(w, " %s |", c.what)
	}
	fmt.Fprint(w, "\n|---|---|")
	for range kernelCalls {
		fmt.Fprint(w, "---|")
	}
	fmt.Fprintln(w)
	var base []float64
	for i, es := range all {
		for _, e := range es {
			if !e.inKernelTable {
				continue
			}
			kf, err := runKernelChild(e.prog)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "| %s | %s |", names[i], e.compiler)
			for _, v := range kf.overhead {
				fmt.Fprintf(w, " %.1f |", v)
			}
			fmt.Fprintln(w)
			base = kf.base
		}
	}
	fmt.Fprint(w, "\nThe calls without a filter took")
	for i, c := range kernelCalls {
		if i < len(base) {
			fmt.Fprintf(w, " %.0f ns (%s)", base[i], c.what)
		}
	}
	fmt.Fprintln(w, " in the last child.")
	return nil
}
