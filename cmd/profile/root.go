package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/profile-dev/profile/profiles"
	"github.com/profile-dev/profile/trace"
)

// globals are the flags every subcommand shares.
type globals struct {
	verbose bool
	stdin   io.Reader
	stdout  io.Writer
	stderr  io.Writer
}

// logf prints a -v message.
func (g *globals) logf(format string, args ...any) {
	if g.verbose {
		fmt.Fprintf(g.stderr, "profile: "+format+"\n", args...)
	}
}

// log returns the -v writer, or nil when -v is off.
func (g *globals) log() io.Writer {
	if g.verbose {
		return g.stderr
	}
	return nil
}

func execute(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	g := &globals{stdin: stdin, stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:           "profile",
		Short:         "Learn least-privilege seccomp profiles from what a workload does",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().BoolVarP(&g.verbose, "verbose", "v", false, "say what is happening and why")
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageErr("%v", err) })
	root.AddCommand(recordCmd(g), learnCmd(g), emitCmd(g), runCmd(g), versionCmd(g), explainCmd(g))
	root.AddCommand(diffCmd(g), mergeCmd(g), checkCmd(g))
	return report(stderr, root.Execute())
}

// commandAfterDash returns the words after "--", which every command that
// runs a workload requires, so a flag meant for us is never passed on.
func commandAfterDash(cmd *cobra.Command, args []string) ([]string, error) {
	dash := cmd.ArgsLenAtDash()
	if dash < 0 {
		return nil, usageErr("%s: put the command after --, as in: profile %s -- CMD [ARG...]", cmd.Name(), cmd.Name())
	}
	if dash > 0 {
		return nil, usageErr("%s: unexpected argument %q before --", cmd.Name(), args[0])
	}
	if len(args) == 0 {
		return nil, usageErr("%s: no command after --", cmd.Name())
	}
	return args, nil
}

// loadProfile reads a profile in any format we import; its errors are input
// errors (exit 2).
func loadProfile(path string) (*profiles.Profile, error) {
	p, err := profiles.Load(path)
	if err != nil {
		return nil, withCode(exitUsage, err)
	}
	return p, nil
}

// readTraces loads trace files; their errors are input errors.
func readTraces(paths []string) ([]*trace.Trace, error) {
	var ts []*trace.Trace
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			return nil, withCode(exitUsage, fmt.Errorf("trace: %w", err))
		}
		t, err := trace.Read(f, path)
		f.Close()
		if err != nil {
			return nil, withCode(exitUsage, err)
		}
		ts = append(ts, t)
	}
	return ts, nil
}
