package recorder

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"golang.org/x/net/bpf"

	"github.com/profile-dev/profile/internal/shim"
	"github.com/profile-dev/profile/trace"
)

// Sentinels callers branch on.
var (
	// ErrCommandNotFound: the workload's program does not exist; a shell
	// would exit 127.
	ErrCommandNotFound = shim.ErrCommandNotFound
	// ErrNotExecutable: the program cannot be executed; a shell would exit
	// 126.
	ErrNotExecutable = shim.ErrNotExecutable
	// ErrNotSupported: the backend is not available here.
	ErrNotSupported = fmt.Errorf("backend not supported: %w", errors.ErrUnsupported)
)

// Backend names.
const (
	BackendAuto  = "auto"
	BackendTrace = "trace"
	BackendEBPF  = "ebpf"
)

// Options says what to record and how.
type Options struct {
	// Argv is the workload's command line; Argv[0] is looked up in PATH.
	Argv []string
	// PID, instead of Argv, attaches to a running process and its
	// descendants from now on (eBPF backend only).
	PID int
	// Cgroup, instead of Argv, attaches to every task in a cgroup v2
	// directory and below (eBPF backend only).
	Cgroup string
	// Duration ends an attached recording after this long; 0 records until
	// the process tree is gone (PID), a signal, or ctx ends.
	Duration time.Duration
	// Backend is "auto" (or empty), "trace" or "ebpf". Auto picks eBPF when
	// the kernel and privileges allow it, the trace backend otherwise, and
	// says which and why on Log.
	Backend string
	// Progress, if set, is called about once a second while recording with
	// the eBPF backend (for a status line).
	Progress func(Progress)
	// Stdin, Stdout and Stderr are the workload's streams; nil inherits
	// this process's. *os.File values are passed through, not copied.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Log receives progress messages (the CLI's -v); nil discards them.
	Log io.Writer

	// Filter, if set, replaces the trace backend's notify-everything
	// filter: the workload runs under this classic BPF program, and the
	// trace holds exactly the calls it answers SECCOMP_RET_USER_NOTIF,
	// each of which then runs unchanged (SECCOMP_USER_NOTIF_FLAG_CONTINUE).
	// Calls it allows never leave the kernel; its other verdicts take
	// effect as the kernel gives them. A profile compiled with
	// compile.NotifyNonAllow makes this a complain mode: the trace is what
	// the profile would have refused. The program may use at most 4096
	// instructions less a small prefix that notifies exec calls (the
	// supervisor needs them; it records one only if Filter notifies it
	// too). Trace backend only.
	Filter []bpf.RawInstruction
	// Executables records which executable made each call
	// (Result.Executables): /proc/PID/exe when the call is notified,
	// cached per task and forgotten at every exec. Trace backend only.
	Executables bool

	// ebpfMaxCalls and ebpfMaxProcs shrink the eBPF backend's kernel maps
	// (tests prove drop accounting with them); 0 keeps the defaults.
	ebpfMaxCalls, ebpfMaxProcs int

	// pollOnly serves notifications as kernels before 6.6 must be served
	// (poll, then receive), so tests cover that path on newer kernels too.
	pollOnly bool
}

// Progress is a running recording's state.
type Progress struct {
	Elapsed  time.Duration
	Calls    uint64 // calls seen so far
	Distinct int    // distinct calls so far
	Dropped  uint64 // calls or processes the kernel maps could not hold
}

// Result is a recording.
type Result struct {
	Trace *trace.Trace
	// ExitStatus is the workload's exit status as a shell reports it
	// (128+N for signal N), or -1 when unknown.
	ExitStatus int
	// Executables, with Options.Executables, says which executable made
	// each distinct call of the trace and how often, sorted by call, then
	// path.
	Executables []Executable
}

// Executable is one executable's share of a distinct call.
type Executable struct {
	Call trace.Key
	// Path is /proc/PID/exe of the calling task when the call was made, or
	// "?" when it could not be read (the task was gone, or is not
	// dumpable).
	Path  string
	Count uint64
}

// Record runs opts.Argv to completion and returns every call it made.
//
// A workload that starts and ends gives a Result and a nil error, whatever
// its exit status. A cancelled context kills the workload's tree and still
// gives a Result, with Trace.Complete false. An error means nothing was
// recorded; it wraps ErrCommandNotFound or ErrNotExecutable when the
// program could not be started.
func Record(ctx context.Context, opts Options) (*Result, error) {
	attached := opts.PID != 0 || opts.Cgroup != ""
	switch {
	case attached && len(opts.Argv) > 0:
		return nil, errors.New("record: a command, a pid or a cgroup, not several")
	case opts.PID != 0 && opts.Cgroup != "":
		return nil, errors.New("record: a pid or a cgroup, not both")
	case !attached && len(opts.Argv) == 0:
		return nil, errors.New("record: empty command")
	case opts.PID < 0:
		return nil, fmt.Errorf("record: bad pid %d", opts.PID)
	case attached && (opts.Filter != nil || opts.Executables):
		return nil, fmt.Errorf("record: %w: a filter of one's own and executables need a command (the %s backend)", ErrNotSupported, BackendTrace)
	}
	switch opts.Backend {
	case "", BackendAuto, BackendTrace, BackendEBPF:
	default:
		return nil, fmt.Errorf("record: unknown backend %q (want %s, %s or %s)", opts.Backend, BackendAuto, BackendTrace, BackendEBPF)
	}
	if attached {
		if opts.Backend == BackendTrace {
			return nil, fmt.Errorf("record: backend %s: %w: attaching to a pid or cgroup needs the %s backend", BackendTrace, ErrNotSupported, BackendEBPF)
		}
		return recordAttached(ctx, opts)
	}
	path, err := shim.Resolve(opts.Argv[0])
	if err != nil {
		return nil, fmt.Errorf("record: %w", err)
	}
	if opts.Filter != nil || opts.Executables {
		// Only the trace backend installs a filter or sees each caller.
		if opts.Backend == BackendEBPF {
			return nil, fmt.Errorf("record: backend %s: %w: a filter of one's own and executables need the %s backend", BackendEBPF, ErrNotSupported, BackendTrace)
		}
		return recordNotify(ctx, path, opts)
	}
	switch opts.Backend {
	case BackendEBPF:
		return recordEBPF(ctx, path, opts)
	case BackendTrace:
		return recordNotify(ctx, path, opts)
	}
	res, err := recordEBPF(ctx, path, opts)
	var un *unavailableError
	if errors.As(err, &un) {
		logf(opts.Log, "backend auto: eBPF is not available here (%v); using the unprivileged %s backend", un.err, BackendTrace)
		return recordNotify(ctx, path, opts)
	}
	return res, err
}

// unavailableError: the eBPF backend could not start (no privilege, no BTF,
// no cgroup2, ...), and nothing of the workload ran yet.
type unavailableError struct{ err error }

func (e *unavailableError) Error() string {
	return fmt.Sprintf("record: backend %s: %v", BackendEBPF, e.err)
}

func (e *unavailableError) Unwrap() []error { return []error{ErrNotSupported, e.err} }

func logf(w io.Writer, format string, args ...any) {
	if w != nil {
		fmt.Fprintf(w, "record: "+format+"\n", args...)
	}
}
