package main

import (
	"errors"
	"io"

	"github.com/spf13/cobra"

	"github.com/profile-dev/profile/emit"
	"github.com/profile-dev/profile/emit/compile"
	"github.com/profile-dev/profile/internal/atomicfile"
)

func emitCmd(g *globals) *cobra.Command {
	var format, runtime, out string
	cmd := &cobra.Command{
		Use:   "emit --format yaml|oci|bpf|asm [--runtime runc|crun|none] [-o FILE] PROFILE",
		Short: "Write a profile as YAML, OCI seccomp JSON, raw BPF or BPF disassembly",
		Long: `Write a profile (our YAML or OCI JSON) in another format:
  yaml  the profile itself, canonical
  oci   OCI runtime-spec linux.seccomp JSON, for runc, crun, podman, Docker, Kubernetes
  bpf   the compiled filter: a struct sock_filter array in native byte order
  asm   the compiled filter's disassembly
With --runtime, the OCI profile also allows the syscalls that runtime makes
after it has loaded the filter.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageErr("emit: name exactly one profile")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := emit.ParseFormat(format)
			if err != nil {
				return usageErr("--format: %v", err)
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
			err = atomicfile.Write(out, 0o644, func(w io.Writer) error { return emit.Write(w, f, p, opts) })
			if errors.Is(err, compile.ErrTooLarge) {
				return withCode(exitUsage, err)
			}
			if err != nil {
				return withCode(exitFailure, err)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "", "yaml, oci, bpf or asm (required)")
	cmd.Flags().StringVar(&runtime, "runtime", "none", "for oci: also allow what runc or crun needs after loading the filter")
	cmd.Flags().StringVarP(&out, "output", "o", "-", "write here (- for stdout)")
	return cmd
}
