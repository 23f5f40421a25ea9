package compile

import (
	"flag"
	"path/filepath"
	"testing"

	"github.com/profile-dev/profile/internal/testutil"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGoldenDisassembly pins the disassembly of a few profiles, so changes
// to the layout show up in review.
func TestGoldenDisassembly(t *testing.T) {
	ps := testProfiles()
	golden := []struct {
		name, file string
		opts       Options
	}{}
	for _, name := range []string{"basic", "matchers-wide", "multi-arch", "s390x", "actions"} {
		golden = append(golden,
			struct {
				name, file string
				opts       Options
			}{name, name + ".asm", Options{Unoptimized: true}},
			struct {
				name, file string
				opts       Options
			}{name, name + ".opt.asm", Options{}})
	}
	for _, g := range golden {
		name := g.name
		t.Run(g.file, func(t *testing.T) {
			prog, err := Compile(ps[name], g.opts)
			if err != nil {
				t.Fatal(err)
			}
			got := prog.Disassemble()
			testutil.Golden(t, filepath.Join("testdata", g.file), []byte(got), *update)
		})
	}
}
