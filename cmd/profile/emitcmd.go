package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/profile-dev/profile/emit"
	"github.com/profile-dev/profile/emit/compile"
	"github.com/profile-dev/profile/internal/atomicfile"
	"github.com/profile-dev/profile/profiles"
)

func emitCmd(g *globals) *cobra.Command {
	var format, runtime, out string
	var stats bool
	cmd := &cobra.Command{
		Use:   "emit --format yaml|oci|bpf|asm|c|crd [--runtime runc|crun|none] [--stats] [-o FILE] PROFILE",
		Short: "Write a profile as YAML, OCI seccomp JSON, raw BPF, BPF disassembly, a C header or a Kubernetes resource",
		Long: `Write a profile (our YAML or OCI JSON) in another format:
  yaml  the profile itself, canonical
  oci   OCI runtime-spec linux.seccomp JSON, for runc, crun, podman, Docker, Kubernetes
  bpf   the compiled filter: a struct sock_filter array in native byte order
  asm   the compiled filter's disassembly
  c     the compiled filter as a C header (struct sock_filter and struct
        sock_fprog) for programs that install it on themselves
  crd   the Security Profiles Operator's SeccompProfile resource
        (security-profiles-operator.x-k8s.io/v1beta1)
With --runtime, the OCI and CRD profiles also allow the syscalls that runtime
makes after it has loaded the filter.
With --stats, print what the compiled filter costs: its length, how many
syscalls the kernel's action cache answers without running it, the mean
instructions a call executes (weighted by the profile's counts, if it has
any) and the longest path. Without --format, only the statistics are
written (to -o); with it, they go to stderr.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageErr("emit: name exactly one profile")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if format == "" && !stats {
				return usageErr("--format: required (or --stats)")
			}
			var f emit.Format
			if format != "" {
				var err error
				if f, err = emit.ParseFormat(format); err != nil {
					return usageErr("--format: %v", err)
				}
			}
			switch runtime {
			case "", "none", "runc", "crun":
			default:
				return usageErr("--runtime %q: want runc, crun or none", runtime)
			}
			p, err := loadProfile(args[0])
			if err != nil {
				return err
			}
			opts := emit.Options{OCI: emit.OCIOptions{Runtime: runtime}}
			write := func(w io.Writer) error { return emit.Write(w, f, p, opts) }
			if format == "" {
				write = func(w io.Writer) error { return writeStats(w, p, opts.Compile) }
			}
			err = atomicfile.Write(out, 0o644, write)
			if err == nil && format != "" && stats {
				err = writeStats(cmd.ErrOrStderr(), p, opts.Compile)
			}
			if errors.Is(err, compile.ErrTooLarge) {
				return withCode(exitUsage, err)
			}
			if err != nil {
				return withCode(exitFailure, err)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "", "yaml, oci, bpf, asm, c or crd (required unless --stats)")
	cmd.Flags().StringVar(&runtime, "runtime", "none", "for oci and crd: also allow what runc or crun needs after loading the filter")
	cmd.Flags().BoolVar(&stats, "stats", false, "print the compiled filter's length, cacheable syscalls, mean and worst path")
	cmd.Flags().StringVarP(&out, "output", "o", "-", "write here (- for stdout)")
	return cmd
}

// writeStats compiles p and reports what its filter costs.
func writeStats(w io.Writer, p *profiles.Profile, opts compile.Options) error {
	prog, err := compile.Compile(p, opts)
	if err != nil {
		return err
	}
	s, err := prog.Stats(p)
	if err != nil {
		return err
	}
	weight := "every syscall a rule names once (the profile has no counts)"
	if s.Weighted {
		weight = "the profile's counts"
	}
	var abis []string
	for _, a := range p.Arches() {
		if a.NrBase == 0 {
			abis = append(abis, a.Name)
		}
	}
	_, err = fmt.Fprintf(w, `program length:      %d instructions (the kernel takes up to %d)
cacheable syscalls:  %d (%s): the kernel's action cache allows them without running the filter
mean instructions:   %.2f per call, weighted by %s, arguments zero
  with the cache:    %.2f (cached calls count as 0)
worst path:          %d instructions
`, s.Length, compile.MaxInstructions, s.Cacheable, strings.Join(abis, ", "), s.Mean, weight, s.MeanCached, s.Worst)
	if err != nil {
		return fmt.Errorf("stats: %w", err)
	}
	return nil
}
