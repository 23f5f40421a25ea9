package shim

import (
	"os"
	"slices"
	"testing"
)

func TestDescendants(t *testing.T) {
	// A pid that has no children gives none; this process's parent has us.
	if d := descendants(os.Getpid()); len(d) != 0 {
		t.Errorf("descendants of the test process: %v", d)
	}
	if d := descendants(os.Getppid()); !slices.Contains(d, os.Getpid()) {
		t.Errorf("descendants of our parent %v lack us (%d)", d, os.Getpid())
	}
}
