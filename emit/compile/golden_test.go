package compile

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGoldenDisassembly pins the disassembly of a few profiles, so changes
// to the layout show up in review.
func TestGoldenDisassembly(t *testing.T) {
	ps := testProfiles()
	for _, name := range []string{"basic", "matchers-wide", "multi-arch", "s390x", "actions"} {
		t.Run(name, func(t *testing.T) {
			prog, err := Compile(ps[name], Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := prog.Disassemble()
			path := filepath.Join("testdata", name+".asm")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("disassembly of %s differs from %s (run with -update if intended):\n%s", name, path, got)
			}
		})
	}
}
