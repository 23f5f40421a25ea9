package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/profile-dev/profile/explain"
	"github.com/profile-dev/profile/generalize"
	"github.com/profile-dev/profile/internal/atomicfile"
	"github.com/profile-dev/profile/profiles"
	"github.com/profile-dev/profile/recorder"
	"github.com/profile-dev/profile/trace"
)

func recordCmd(g *globals) *cobra.Command {
	var (
		out, traceOut, backend, level, name string
		mergeInto                           string
		allowIncomplete                     bool
		pid                                 int
		cgroup                              string
		duration                            time.Duration
	)
	cmd := &cobra.Command{
		Use:   "record [-o PROFILE.yaml | --merge-into APP.yaml] [--trace TRACE.json] [--backend auto|trace|ebpf] {-- CMD [ARG...] | --pid PID | --cgroup PATH} [--duration D]",
		Short: "Run a command, record every syscall of its process tree, and learn a profile",
		Long: `Run a command, record every syscall of its whole process tree with its
arguments, and learn a least-privilege profile from it.

The command's stdin, stdout and stderr pass through, and record exits with the
command's own status (128+N when a signal N killed it). Without -o or --trace,
the profile is written to profile.yaml. A recording that may have missed calls
is marked incomplete and record exits 3 unless --allow-incomplete.

With --pid or --cgroup, record attaches to what already runs instead (eBPF
backend, root): a process and its descendants from now on, or every task in a
cgroup v2 directory and below, until --duration passes, Ctrl-C, or (--pid)
the process tree is gone. Calls made before attaching are not in the profile.
On a terminal, a status line shows the elapsed time, calls seen, distinct
calls and drops.

--merge-into APP.yaml merges the learnt profile into APP.yaml (creating it)
under an exclusive lock (APP.yaml.lock), writing it atomically, so that many
recordings may run at once and add to one profile:

  go test -exec 'profile record --merge-into $PWD/app.yaml --' ./...

records each test binary (not the compiler) and exits with its status.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			attached := pid != 0 || cgroup != ""
			var argv []string
			switch {
			case pid != 0 && cgroup != "":
				return usageErr("record: --pid or --cgroup, not both")
			case pid < 0:
				return usageErr("record: --pid %d: want a process id", pid)
			case attached && len(args) > 0:
				return usageErr("record: a command after -- or --pid/--cgroup, not both")
			case !attached && duration != 0:
				return usageErr("record: --duration ends a --pid or --cgroup recording; a command ends by itself")
			case duration < 0:
				return usageErr("record: --duration %v: want a positive duration", duration)
			case !attached:
				var err error
				if argv, err = commandAfterDash(cmd, args); err != nil {
					return err
				}
			}
			switch backend {
			case recorder.BackendAuto, recorder.BackendTrace, recorder.BackendEBPF:
			default:
				return usageErr("--backend %q: want auto, trace or ebpf", backend)
			}
			lvl, err := generalize.ParseLevel(level)
			if err != nil {
				return usageErr("--level: %v", err)
			}
			if mergeInto != "" && out != "" {
				return usageErr("record: -o or --merge-into, not both")
			}
			if out == "" && traceOut == "" && mergeInto == "" {
				out = "profile.yaml"
			}
			for _, path := range []string{out, traceOut, mergeInto} {
				if err := atomicfile.CheckWritable(path); err != nil {
					return usageErr("output %s: %v", path, errors.Unwrap(err))
				}
			}
			if name == "" && cgroup != "" {
				name = filepath.Base(cgroup)
			}
			status := newStatusLine(g.stderr)
			res, err := recorder.Record(context.Background(), recorder.Options{
				Argv: argv, PID: pid, Cgroup: cgroup, Duration: duration,
				Backend: backend, Stdin: g.stdin, Stdout: g.stdout, Stderr: g.stderr, Log: g.log(),
				Progress: status.show,
			})
			status.clear()
			if err != nil {
				return recordError(err)
			}
			if attached && res.ExitStatus < 0 {
				res.ExitStatus = 0 // nothing of ours exited: the recording ended as asked
			}
			return finishRecording(g, res, recordOutputs{profile: out, trace: traceOut, mergeInto: mergeInto, level: lvl, name: name, allowIncomplete: allowIncomplete})
		},
	}
	f := cmd.Flags()
	f.StringVarP(&out, "output", "o", "", "write the learnt profile here (- for stdout)")
	f.StringVar(&mergeInto, "merge-into", "", "merge the learnt profile into this file (created if absent), under a lock: for parallel recordings")
	f.StringVar(&traceOut, "trace", "", "also save the raw trace (JSON) here, for profile learn")
	f.StringVar(&backend, "backend", "auto", "recorder: auto, trace (unprivileged) or ebpf")
	f.StringVar(&level, "level", "balanced", "generalisation: strict, balanced or names")
	f.StringVar(&name, "name", "", "the profile's metadata name (default: the command's base name)")
	f.BoolVar(&allowIncomplete, "allow-incomplete", false, "exit with the workload's status even if the recording may have missed calls")
	f.IntVar(&pid, "pid", 0, "attach to this running process and its descendants (eBPF backend)")
	f.StringVar(&cgroup, "cgroup", "", "attach to every task in this cgroup v2 directory and below (eBPF backend)")
	f.DurationVar(&duration, "duration", 0, "end a --pid or --cgroup recording after this long (default: Ctrl-C, or when the process tree is gone)")
	return cmd
}

// statusLine redraws one line on a terminal while a recording runs.
type statusLine struct {
	w     io.Writer
	shown bool
}

// newStatusLine returns a status line that draws only when w is a terminal.
func newStatusLine(w io.Writer) *statusLine {
	f, ok := w.(*os.File)
	if !ok {
		return &statusLine{}
	}
	if fi, err := f.Stat(); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return &statusLine{}
	}
	return &statusLine{w: w}
}

func (s *statusLine) show(p recorder.Progress) {
	if s.w == nil {
		return
	}
	s.shown = true
	fmt.Fprintf(s.w, "\r\033[Kprofile: recording %s: %d calls, %d distinct, %d dropped", p.Elapsed.Round(time.Second), p.Calls, p.Distinct, p.Dropped)
}

func (s *statusLine) clear() {
	if s.shown {
		fmt.Fprint(s.w, "\r\033[K")
	}
}

// recordError maps the recorder's errors to exit codes.
func recordError(err error) error {
	switch {
	case errors.Is(err, recorder.ErrCommandNotFound):
		return withCode(exitNotFound, err)
	case errors.Is(err, recorder.ErrNotExecutable):
		return withCode(exitNoExec, err)
	case errors.Is(err, recorder.ErrNotSupported):
		return withCode(exitUsage, err)
	}
	return withCode(exitFailure, err)
}

type recordOutputs struct {
	profile, trace  string
	mergeInto       string
	level           generalize.Level
	name            string
	allowIncomplete bool
}

// finishRecording writes what was recorded, summarises it, and chooses the
// exit code: the workload's status, or 3 for an incomplete recording.
func finishRecording(g *globals, res *recorder.Result, o recordOutputs) error {
	t := res.Trace
	if o.trace != "" {
		if err := atomicfile.Write(o.trace, 0o644, func(w io.Writer) error { return trace.Write(w, t) }); err != nil {
			return withCode(exitFailure, err)
		}
	}
	var learnt *generalize.Result
	if o.profile != "" || o.mergeInto != "" {
		name := o.name
		if name == "" && len(t.Provenance.Command) > 0 {
			name = baseName(t.Provenance.Command[0])
		}
		var err error
		learnt, err = generalize.Generalize([]*trace.Trace{t}, generalize.Options{Level: o.level, Name: name})
		if err != nil {
			return withCode(exitFailure, err)
		}
		if o.profile != "" {
			if err := atomicfile.Write(o.profile, 0o644, func(w io.Writer) error { return profiles.Save(w, learnt.Profile) }); err != nil {
				return withCode(exitFailure, err)
			}
		}
		if o.mergeInto != "" {
			if err := mergeIntoFile(o.mergeInto, learnt.Profile); err != nil {
				// The workload's own failure comes first.
				fmt.Fprintf(g.stderr, "profile: %v\n", err)
				return exitStatus(failureStatus(res.ExitStatus))
			}
		}
	}
	summarise(g.stderr, t, learnt, o)
	if !t.Complete {
		fmt.Fprintf(g.stderr, "profile: WARNING: the recording is INCOMPLETE and may have missed calls: %s\n", strings.Join(t.Gaps, "; "))
		if !o.allowIncomplete && res.ExitStatus == 0 {
			return withCode(exitIncomplete, errors.New("incomplete recording (use --allow-incomplete to accept it)"))
		}
	}
	return exitStatus(res.ExitStatus)
}

func summarise(w io.Writer, t *trace.Trace, learnt *generalize.Result, o recordOutputs) {
	var total uint64
	arches := map[string]bool{}
	for _, c := range t.Calls {
		total += c.Count
		arches[c.Arch] = true
	}
	as := make([]string, 0, len(arches))
	for a := range arches {
		as = append(as, a)
	}
	sort.Strings(as)
	fmt.Fprintf(w, "profile: recorded %d calls (%d distinct) on %s in %s, backend %s, exit status %d\n",
		total, len(t.Calls), strings.Join(as, ","), t.Provenance.End.Sub(t.Provenance.Start).Round(1e6), t.Provenance.Backend, t.Provenance.ExitStatus)
	if learnt != nil {
		n := 0
		for _, r := range learnt.Profile.Syscalls {
			n += len(r.Names)
		}
		dest := "wrote " + o.profile
		if o.mergeInto != "" {
			dest = "merged into " + o.mergeInto
		}
		fmt.Fprintf(w, "profile: learnt %d rules allowing %d syscall names at level %s; %s\n", len(learnt.Profile.Syscalls), n, o.level, dest)
		for _, c := range learnt.Unnamed {
			fmt.Fprintf(w, "profile: warning: %s is not in the syscall table; the profile answers it with ENOSYS\n", c)
		}
		explain.RiskyRules(w, learnt.Profile, "profile: ")
	}
	if o.trace != "" {
		fmt.Fprintf(w, "profile: wrote trace %s\n", o.trace)
	}
}

func baseName(path string) string {
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		return path[i+1:]
	}
	return path
}

// mergeIntoFile merges p into the profile at path, or creates it, holding
// an exclusive flock on path+".lock" from the read to the rename so that
// concurrent recordings (go test -exec, several packages at once) neither
// lose nor tear each other's rules. The lock file is never removed: a
// process that removed it could let a third one lock a new file while the
// second still holds the old.
func mergeIntoFile(path string, p *profiles.Profile) error {
	lock, err := os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("merge into %s: %w", path, err)
	}
	defer lock.Close() // releases the lock
	if err := flock(lock); err != nil {
		return fmt.Errorf("merge into %s: lock: %w", path, err)
	}
	ps := []*profiles.Profile{p}
	switch old, err := profiles.Load(path); {
	case err == nil:
		ps = append(ps, old)
	case !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("merge into %s: %w", path, err)
	}
	merged, err := profiles.Merge(ps...)
	if err != nil {
		return fmt.Errorf("merge into %s: %w", path, err)
	}
	return atomicfile.Write(path, 0o644, func(w io.Writer) error { return profiles.Save(w, merged) })
}

// failureStatus is the workload's status when it failed, else 1.
func failureStatus(status int) int {
	if status != 0 {
		return status
	}
	return exitFailure
}
