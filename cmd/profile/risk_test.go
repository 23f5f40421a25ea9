package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/profile-dev/profile/internal/testutil"
)

const riskyProfile = `apiVersion: profile/v1
kind: SeccompProfile
defaultAction: errno
architectures: [x86_64]
syscalls:
  - names: [read, write]
  - names: [mmap]
    args:
      prot: {bits: [PROT_READ, PROT_WRITE]}
  - names: [ptrace]
  - names: [unshare]
    args:
      unshare_flags: {bits: [CLONE_NEWUSER]}
  - names: [mount]
    action: errno
`

// TestExplainRisk: explain lists the rules that permit something high or
// critical, with the reasons, and says so when there are none.
func TestExplainRisk(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("risky.yaml", riskyProfile)
	r := profileCmd(t, dir, "explain", "risky.yaml").mustSucceed(t, "explain")
	section := r.stdout[strings.Index(r.stdout, "risky rules"):]
	for _, want := range []string{
		"rule 3 (ptrace): critical: ptrace: controls other processes",
		"rule 4 (unshare): high: unshare unshare_flags has 0x7e020080: creates namespaces",
	} {
		if !strings.Contains(section, want) {
			t.Errorf("risky rules lack %q:\n%s", want, section)
		}
	}
	// read and write are harmless, mmap without PROT_EXEC is medium at
	// most, and a rule that denies mount permits nothing.
	for _, not := range []string{"(read", "(mmap", "(mount"} {
		if strings.Contains(section, not) {
			t.Errorf("risky rules name %s:\n%s", not, section)
		}
	}
	write("safe.yaml", strings.SplitAfter(riskyProfile, "PROT_WRITE]}\n")[0])
	r = profileCmd(t, dir, "explain", "safe.yaml").mustSucceed(t, "explain")
	if !strings.Contains(r.stdout, "risky rules: none at high or critical risk") {
		t.Errorf("explain of a harmless profile:\n%s", r.stdout)
	}
}

// TestRecordRisk: record's summary names a risky rule it learnt.
func TestRecordRisk(t *testing.T) {
	unshare := testutil.NeedCommand(t, "unshare", exec.LookPath)
	dir := t.TempDir()
	// Whether the kernel lets us create the namespace does not matter:
	// the call was made, so the profile allows it.
	r := profileCmd(t, dir, "record", "-o", "p.yaml", "--", unshare, "--user", "true")
	if r.code < 0 {
		t.Fatalf("record: %v", r.stderr)
	}
	if !strings.Contains(r.stderr, "profile: risky rules (high or critical risk):") || !strings.Contains(r.stderr, "(unshare): high: unshare unshare_flags has") {
		t.Errorf("record's summary does not name the risky unshare rule:\n%s", r.stderr)
	}
}
