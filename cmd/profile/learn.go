package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/profile-dev/profile/generalize"
	"github.com/profile-dev/profile/internal/atomicfile"
	"github.com/profile-dev/profile/profiles"
)

func learnCmd(g *globals) *cobra.Command {
	var out, level, name string
	cmd := &cobra.Command{
		Use:   "learn -o PROFILE.yaml TRACE.json...",
		Short: "Learn one profile from one or more saved traces",
		Long: `Learn one profile from traces saved by profile record --trace. Traces from
several runs, shards or machines are merged first.`,
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
			traces, err := readTraces(args)
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
	return cmd
}
