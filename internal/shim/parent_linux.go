package shim

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/net/bpf"
)

// Stdio is the workload's standard streams; nil means this process's own.
// *os.File values are passed through as they are, never copied.
type Stdio struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
}

func (s Stdio) apply(cmd *exec.Cmd) {
	cmd.Stdin, cmd.Stdout, cmd.Stderr = s.Stdin, s.Stdout, s.Stderr
	if cmd.Stdin == nil {
		cmd.Stdin = os.Stdin
	}
	if cmd.Stdout == nil {
		cmd.Stdout = os.Stdout
	}
	if cmd.Stderr == nil {
		cmd.Stderr = os.Stderr
	}
}

// Reaper is a running record shim, seen from the recorder.
type Reaper struct {
	cmd  *exec.Cmd
	ctl  *net.UnixConn
	msgs chan message
	exit int
}

type message struct {
	kind byte
	text string
	fd   int
}

// StartRecord starts the record shim for a resolved path and its argv.
//
// With a nil filter the workload's every call is notified. Otherwise the
// shim installs filter behind a prefix that notifies every exec call
// (ExecCalls): the caller's filter decides which other calls are notified,
// and its other verdicts take effect as the kernel gives them. The filter
// may use at most 4096 instructions minus the prefix (ErrFilterTooLarge).
func StartRecord(path string, argv []string, stdio Stdio, filter []bpf.RawInstruction) (*Reaper, error) {
	var prog []byte
	if filter != nil {
		p, err := recordProgram(filter)
		if err != nil {
			return nil, err
		}
		prog = encodeProgram(p)
	}
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_SEQPACKET|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("control socket: %w", err)
	}
	theirs := os.NewFile(uintptr(fds[1]), "control")
	defer theirs.Close()
	ctl, err := controlConn(os.NewFile(uintptr(fds[0]), "control"))
	if err != nil {
		return nil, err
	}
	cmd := shimCommand(modeRecord, path, argv)
	stdio.apply(cmd)
	cmd.ExtraFiles = []*os.File{theirs}
	var progW *os.File
	if prog != nil {
		progR, w, err := os.Pipe()
		if err != nil {
			ctl.Close()
			return nil, fmt.Errorf("program pipe: %w", err)
		}
		defer progR.Close()
		progW = w
		cmd.ExtraFiles = append(cmd.ExtraFiles, progR)
		cmd.Env = append(cmd.Env, envFilter+"=1")
	}
	if err := cmd.Start(); err != nil {
		ctl.Close()
		if progW != nil {
			progW.Close()
		}
		return nil, fmt.Errorf("start record shim: %w", err)
	}
	if progW != nil {
		// Written while the shims run: a pipe may hold less than the
		// largest program when the user is over pipe-user-pages-soft. A
		// shim that dies early makes the write fail, and Listener says why.
		go func() {
			progW.Write(prog)
			progW.Close()
		}()
	}
	r := &Reaper{cmd: cmd, ctl: ctl, msgs: make(chan message, 4), exit: -1}
	go r.read()
	return r, nil
}

// Pid is the reaper's process id.
func (r *Reaper) Pid() int { return r.cmd.Process.Pid }

func (r *Reaper) read() {
	defer close(r.msgs)
	buf := make([]byte, 4096)
	oob := make([]byte, syscall.CmsgSpace(4))
	for {
		n, oobn, _, _, err := r.ctl.ReadMsgUnix(buf, oob)
		if err != nil || n == 0 {
			return
		}
		m := message{kind: buf[0], text: strings.TrimSpace(string(buf[1:n])), fd: -1}
		if oobn > 0 {
			m.fd = parseRights(oob[:oobn])
		}
		r.msgs <- m
	}
}

func parseRights(oob []byte) int {
	cms, err := syscall.ParseSocketControlMessage(oob)
	if err != nil || len(cms) == 0 {
		return -1
	}
	fds, err := syscall.ParseUnixRights(&cms[0])
	if err != nil || len(fds) == 0 {
		return -1
	}
	for _, fd := range fds[1:] {
		syscall.Close(fd)
	}
	syscall.CloseOnExec(fds[0])
	return fds[0]
}

// Listener waits for the workload's seccomp listener. The caller owns the
// fd. An error means the workload never started under the filter; the
// caller should still Wait.
func (r *Reaper) Listener() (int, error) {
	for m := range r.msgs {
		switch m.kind {
		case msgListener:
			if m.fd < 0 {
				return -1, fmt.Errorf("%w: listener message without an fd", ErrShim)
			}
			return m.fd, nil
		case msgError:
			code, text, _ := strings.Cut(m.text, " ")
			c, _ := strconv.Atoi(code)
			return -1, exitError(c, text)
		case msgExit:
			r.exit, _ = strconv.Atoi(m.text)
			return -1, fmt.Errorf("%w: the workload exited with status %d before recording began", ErrShim, r.exit)
		}
	}
	return -1, fmt.Errorf("%w: the record shim exited before the workload started", ErrShim)
}

// Signal relays a signal to the workload's main process.
func (r *Reaper) Signal(sig syscall.Signal) error {
	_, err := r.ctl.Write([]byte(fmt.Sprintf("%c %d", msgKill, sig)))
	return err
}

// KillTree has the reaper SIGKILL the whole workload tree.
func (r *Reaper) KillTree() error { return r.ctl.CloseWrite() }

// Wait waits for the reaper, which ends when every process in the tree has
// been reaped, and returns the main process's exit status (-1 when it was
// never reported). An error wrapping ErrShim, ErrNotExecutable or
// ErrCommandNotFound means the exec shim's execve failed after its filter
// was installed (a file the kernel cannot run, say).
func (r *Reaper) Wait() (int, error) {
	var shimErr error
	for m := range r.msgs {
		switch m.kind {
		case msgExit:
			r.exit, _ = strconv.Atoi(m.text)
		case msgError:
			code, text, _ := strings.Cut(m.text, " ")
			c, _ := strconv.Atoi(code)
			shimErr = exitError(c, text)
		}
		if m.fd >= 0 {
			syscall.Close(m.fd)
		}
	}
	err := r.cmd.Wait()
	r.ctl.Close()
	if err != nil {
		err = fmt.Errorf("record shim: %w", err)
	}
	return r.exit, errors.Join(shimErr, err)
}

// Run is a run shim about to install a program and exec a workload.
type Run struct {
	// Cmd is the shim's command; set Stdio before Start, Wait after it.
	Cmd  *exec.Cmd
	prog []byte
}

// NewRun prepares the run shim for a resolved path, its argv and a program.
func NewRun(path string, argv []string, prog []bpf.RawInstruction, stdio Stdio) *Run {
	cmd := shimCommand(modeRun, path, argv)
	stdio.apply(cmd)
	// The workload dies with us. It survives exec under no_new_privs, which
	// keeps a setuid exec from clearing it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	return &Run{Cmd: cmd, prog: encodeProgram(prog)}
}

// Start starts the shim and returns once the workload has been exec'd under
// the program, or with the shim's error (after reaping it).
func (r *Run) Start() error {
	progR, progW, err := os.Pipe()
	if err != nil {
		return fmt.Errorf("program pipe: %w", err)
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		progR.Close()
		progW.Close()
		return fmt.Errorf("error pipe: %w", err)
	}
	r.Cmd.ExtraFiles = []*os.File{progR, errW}
	err = r.Cmd.Start()
	progR.Close()
	errW.Close()
	if err != nil {
		progW.Close()
		errR.Close()
		return fmt.Errorf("start run shim: %w", err)
	}
	// At most 4096 instructions (32 KiB) fit in a pipe's buffer; a shim
	// that died early shows up on the error pipe, not here.
	progW.Write(r.prog)
	progW.Close()
	text, _ := io.ReadAll(errR)
	errR.Close()
	if len(text) == 0 {
		return nil // the error pipe closed on exec
	}
	werr := r.Cmd.Wait()
	code := -1
	var ee *exec.ExitError
	if errors.As(werr, &ee) {
		code = ee.ExitCode()
	}
	return exitError(code, string(text))
}
