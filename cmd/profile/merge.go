package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/profile-dev/profile/generalize"
	"github.com/profile-dev/profile/internal/atomicfile"
	"github.com/profile-dev/profile/profiles"
	"github.com/profile-dev/profile/trace"
)

func mergeCmd(g *globals) *cobra.Command {
	var out, level, name string
	var exact bool
	cmd := &cobra.Command{
		Use:   "merge -o OUT [--exact] INPUT...",
		Short: "Merge profiles, or traces, into one profile that allows what any of them allows",
		Long: `Merge profiles (our YAML or OCI JSON) into one that allows exactly what any
input allows, argument conditions included: value sets are unioned, and bit
masks of otherwise equal rules are OR-ed as the balanced generaliser does
(--exact keeps them as alternatives instead). The inputs must agree on the
default, unknown-syscall and foreign-architecture actions. Any order and
grouping of the same inputs gives the same profile.

If every input is a trace (profile record --trace), the traces are merged and
a profile is learnt from them (--level). Profiles and traces cannot be mixed.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usageErr("merge: -o OUT is required")
			}
			if len(args) == 0 {
				return usageErr("merge: name at least one input")
			}
			traces, err := countTraces(args)
			if err != nil {
				return err
			}
			var p *profiles.Profile
			switch traces {
			case len(args):
				p, err = learnFromTraces(args, level, name)
			case 0:
				p, err = mergeProfiles(args, exact, name)
			default:
				return usageErr("merge: %d of %d inputs are traces and the rest profiles: merge traces or profiles, not both (learn the traces first)", traces, len(args))
			}
			if err != nil {
				return err
			}
			if err := atomicfile.Write(out, 0o644, func(w io.Writer) error { return profiles.Save(w, p) }); err != nil {
				return withCode(exitFailure, err)
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "write the merged profile here (- for stdout)")
	cmd.Flags().BoolVar(&exact, "exact", false, "never widen: keep differing bit masks as alternatives")
	cmd.Flags().StringVar(&level, "level", "balanced", "for traces: strict, balanced or names")
	cmd.Flags().StringVar(&name, "name", "", "the merged profile's metadata name")
	return cmd
}

// isTrace sniffs a saved trace: a JSON object with "version" and "calls".
func isTrace(data []byte) bool {
	t := bytes.TrimSpace(data)
	if len(t) == 0 || t[0] != '{' {
		return false
	}
	var probe map[string]json.RawMessage
	if json.Unmarshal(t, &probe) != nil {
		return false
	}
	_, calls := probe["calls"]
	_, version := probe["version"]
	return calls && version
}

func countTraces(paths []string) (int, error) {
	n := 0
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			return 0, withCode(exitUsage, fmt.Errorf("merge: %w", err))
		}
		if isTrace(data) {
			n++
		}
	}
	return n, nil
}

func learnFromTraces(paths []string, level, name string) (*profiles.Profile, error) {
	lvl, err := generalize.ParseLevel(level)
	if err != nil {
		return nil, usageErr("--level: %v", err)
	}
	ts, err := readTraces(paths)
	if err != nil {
		return nil, err
	}
	res, err := generalize.Generalize([]*trace.Trace{trace.Merge(ts...)}, generalize.Options{Level: lvl, Name: name})
	if err != nil {
		return nil, withCode(exitUsage, err)
	}
	return res.Profile, nil
}

func mergeProfiles(paths []string, exact bool, name string) (*profiles.Profile, error) {
	var ps []*profiles.Profile
	for _, path := range paths {
		p, err := loadProfile(path)
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	mode := profiles.MergeBalanced
	if exact {
		mode = profiles.MergeExact
	}
	p, err := profiles.MergeWith(mode, ps...)
	if err != nil {
		return nil, withCode(exitUsage, fmt.Errorf("merge %v: %w", paths, err))
	}
	if name != "" {
		p.Metadata.Name = name
	}
	return p, nil
}
