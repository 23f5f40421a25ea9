package main

import (
	"github.com/spf13/cobra"

	"github.com/profile-dev/profile/explain"
	"github.com/profile-dev/profile/trace"
)

func explainCmd(g *globals) *cobra.Command {
	var traces []string
	cmd := &cobra.Command{
		Use:   "explain PROFILE [--trace TRACE.json]...",
		Short: "Say why each rule of a profile exists and what it constrains",
		Long: `Say, for every rule of a profile, why it exists: observed (how many calls,
from which recorded command, with which argument values when --trace gives the
recording) or inferred (from which sibling rule or for which reason), and which
arguments it constrains.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := loadProfile(args[0])
			if err != nil {
				return err
			}
			ts, err := readTraces(traces)
			if err != nil {
				return err
			}
			var t *trace.Trace
			if len(ts) > 0 {
				t = trace.Merge(ts...)
			}
			explain.Write(g.stdout, p, t)
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&traces, "trace", nil, "the recording(s) the profile was learnt from")
	return cmd
}
