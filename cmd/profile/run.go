package main

import (
	"context"
	"errors"
	"strings"

	"github.com/spf13/cobra"

	"github.com/profile-dev/profile/emit/compile"
	"github.com/profile-dev/profile/enforce"
	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/profiles"
)

func runCmd(g *globals) *cobra.Command {
	var profilePath, defaultAction string
	cmd := &cobra.Command{
		Use:   "run --profile PROFILE [--default-action errno|kill|log] -- CMD [ARG...]",
		Short: "Run a command under a profile",
		Long: `Compile a profile (our YAML or OCI JSON), install it in a child process
(with no_new_privs unless the caller has CAP_SYS_ADMIN) and exec the command.
Exits with the command's status (128+N when a signal N killed it).

--default-action overrides what the profile does with calls it does not
allow: errno (EPERM), kill (the process dies of SIGSYS) or log (allowed and
logged by the kernel's audit, for a trial run).`,
		RunE: func(cmd *cobra.Command, args []string) error {
			argv, err := commandAfterDash(cmd, args)
			if err != nil {
				return err
			}
			if profilePath == "" {
				return usageErr("run: --profile is required")
			}
			p, err := loadProfile(profilePath)
			if err != nil {
				return err
			}
			if err := coversNative("run", p); err != nil {
				return err
			}
			if defaultAction != "" {
				v, err := parseDefaultAction(defaultAction)
				if err != nil {
					return usageErr("--default-action: %v", err)
				}
				p.DefaultAction = v
			}
			prog, err := compile.Compile(p, compile.Options{})
			if err != nil {
				return withCode(exitUsage, err)
			}
			raw, err := prog.Raw()
			if err != nil {
				return withCode(exitFailure, err)
			}
			g.logf("compiled %s: %d instructions", profilePath, prog.Len())
			status, err := enforce.Run(context.Background(), raw, argv, enforce.Options{Stdin: g.stdin, Stdout: g.stdout, Stderr: g.stderr})
			switch {
			case errors.Is(err, enforce.ErrCommandNotFound):
				return withCode(exitNotFound, err)
			case errors.Is(err, enforce.ErrNotExecutable):
				return withCode(exitNoExec, err)
			case err != nil:
				return withCode(exitFailure, err)
			}
			return exitStatus(status)
		},
	}
	cmd.Flags().StringVarP(&profilePath, "profile", "p", "", "the profile to enforce (required)")
	cmd.Flags().StringVar(&defaultAction, "default-action", "", "override the default action: errno, kill or log")
	return cmd
}

func parseDefaultAction(s string) (profiles.Verdict, error) {
	switch s {
	case "errno":
		return profiles.Errno(1), nil
	case "kill":
		return profiles.KillProcess, nil
	case "log":
		return profiles.Verdict{Action: profiles.ActLog}, nil
	}
	return profiles.Verdict{}, errors.New("want errno, kill or log")
}

// coversNative refuses a profile that does not list this machine's ABI:
// under it every call, the exec first, would meet the foreign-architecture
// action.
func coversNative(cmd string, p *profiles.Profile) error {
	native := systab.Native()
	if native == nil || p.HasArch(native.Name) {
		return nil
	}
	return usageErr("%s: the profile covers %s, not %s (this machine's ABI): every call would be denied", cmd, strings.Join(p.Architectures, ", "), native.Name)
}
