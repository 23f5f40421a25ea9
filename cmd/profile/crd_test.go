package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDiffAcrossFormats: a profile, its OCI JSON and its Security Profiles
// Operator resource import into the same model, so diff sees no widening
// between any two, and the CRD can be enforced by profile run.
func TestDiffAcrossFormats(t *testing.T) {
	dir := t.TempDir()
	profileCmd(t, dir, "record", "-o", "p.yaml", "--", probeBin).mustSucceed(t, "record")
	profileCmd(t, dir, "emit", "--format", "crd", "-o", "p.crd.yaml", "p.yaml").mustSucceed(t, "emit crd")
	profileCmd(t, dir, "emit", "--format", "oci", "-o", "p.json", "p.yaml").mustSucceed(t, "emit oci")
	crd, err := os.ReadFile(filepath.Join(dir, "p.crd.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(crd), "kind: SeccompProfile") || !strings.Contains(string(crd), "security-profiles-operator.x-k8s.io/v1beta1") {
		t.Fatalf("not an SPO resource:\n%s", crd)
	}
	for _, pair := range [][2]string{{"p.yaml", "p.crd.yaml"}, {"p.crd.yaml", "p.json"}, {"p.json", "p.crd.yaml"}} {
		r := profileCmd(t, dir, "diff", pair[0], pair[1])
		if r.code != 0 || !(strings.Contains(r.stdout, "NEW allows nothing OLD did not") || strings.Contains(r.stdout, "no change")) {
			t.Errorf("diff %s %s: exit %d\n%s%s", pair[0], pair[1], r.code, r.stdout, r.stderr)
		}
	}
	r := profileCmd(t, dir, "run", "--profile", "p.crd.yaml", "--", probeBin, "unseen").mustSucceed(t, "run under the CRD")
	if !strings.Contains(r.stdout, "getpriority: operation not permitted") {
		t.Errorf("under the CRD the unseen call printed %q", r.stdout)
	}
}
