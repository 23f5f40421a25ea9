package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/profile-dev/profile/internal/systab"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func versionCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, the Go toolchain and the architectures the tables know",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			v := version
			if info, ok := debug.ReadBuildInfo(); ok && v == "dev" && info.Main.Version != "" && info.Main.Version != "(devel)" {
				v = info.Main.Version
			}
			names := make([]string, len(systab.Arches))
			for i, a := range systab.Arches {
				names[i] = a.Name
			}
			fmt.Fprintf(g.stdout, "profile %s (%s, %s/%s)\narchitectures: %s\n", v, runtime.Version(), runtime.GOOS, runtime.GOARCH, strings.Join(names, " "))
			return nil
		},
	}
}
