package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/profile-dev/profile/auditlog"
	"github.com/profile-dev/profile/generalize"
	"github.com/profile-dev/profile/internal/atomicfile"
	"github.com/profile-dev/profile/profiles"
	"github.com/profile-dev/profile/trace"
)

func learnCmd(g *globals) *cobra.Command {
	var out, level, name string
	var audit bool
	cmd := &cobra.Command{
		Use:   "learn -o PROFILE.yaml [--audit] INPUT...",
		Short: "Learn one profile from one or more saved traces",
		Long: `Learn one profile from traces saved by profile record --trace. Traces from
several runs, shards or machines are merged first.

With --audit, the inputs are kernel audit logs instead (audit.log, journalctl -k
or dmesg output) holding seccomp records (type=1326 or type=SECCOMP), such as a
workload leaves when it runs under a filter with SCMP_ACT_LOG. Records carry no
arguments, so the syscalls they name are allowed with any arguments. Malformed
records are reported with their line number and skipped.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usageErr("learn: -o PROFILE.yaml is required")
			}
			if len(args) == 0 {
				return usageErr("learn: name at least one trace file")
			}
			lvl, err := generalize.ParseLevel(level)
			if err != nil {
				return usageErr("--level: %v", err)
			}
			read := readTraces
			if audit {
				read = func(paths []string) ([]*trace.Trace, error) { return readAuditLogs(g, paths) }
			}
			traces, err := read(args)
			if err != nil {
				return err
			}
			res, err := generalize.Generalize(traces, generalize.Options{Level: lvl, Name: name})
			if err != nil {
				return withCode(exitUsage, err)
			}
			for _, c := range res.Unnamed {
				g.logf("warning: %s is not in the syscall table; the profile answers it with ENOSYS", c)
			}
			if err := atomicfile.Write(out, 0o644, func(w io.Writer) error { return profiles.Save(w, res.Profile) }); err != nil {
				return withCode(exitFailure, err)
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "write the profile here (- for stdout)")
	cmd.Flags().StringVar(&level, "level", "balanced", "generalisation: strict, balanced or names")
	cmd.Flags().StringVar(&name, "name", "", "the profile's metadata name")
	cmd.Flags().BoolVar(&audit, "audit", false, "the inputs are kernel audit logs of seccomp records, not traces")
	return cmd
}

// readAuditLogs reads seccomp audit records, warning about each line it
// skips.
func readAuditLogs(g *globals, paths []string) ([]*trace.Trace, error) {
	var ts []*trace.Trace
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			return nil, withCode(exitUsage, fmt.Errorf("audit log: %w", err))
		}
		res, err := auditlog.Read(f, path)
		f.Close()
		if err != nil {
			return nil, withCode(exitUsage, err)
		}
		for _, e := range res.Skipped {
			fmt.Fprintf(g.stderr, "profile: warning: skipped %v\n", e)
		}
		if !res.Trace.Complete {
			fmt.Fprintf(g.stderr, "profile: warning: %s may be missing records: %s\n", path, strings.Join(res.Trace.Gaps, "; "))
		}
		ts = append(ts, res.Trace)
	}
	return ts, nil
}
