package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/profile-dev/profile/internal/testutil"
)

// TestRoundTrip records real programs, learns a profile, and runs the same
// programs under it: they must behave exactly as before, and a syscall the
// recording never saw must be denied.
func TestRoundTrip(t *testing.T) {
	python := testutil.NeedCommand(t, "python3", exec.LookPath)
	git := testutil.NeedCommand(t, "git", exec.LookPath)
	cases := []struct {
		name     string
		workload string // a shell command line
		want     string // a line the workload prints
		// inTrace is a syscall that must be in the profile: one only a
		// far corner of the process tree makes.
		inProfile string
	}{
		{name: "shell-pipeline", workload: "ls / | sort | head -n 3", want: "bin"},
		{name: "python", workload: python + ` -c 'import hashlib, json, os; print("sum", hashlib.sha256(json.dumps(sorted(os.listdir("/"))).encode()).hexdigest()[:8])'`, want: "sum "},
		{name: "git", workload: "rm -rf repo && " + git + " init -q repo && cd repo && " + git + " -c user.name=t -c user.email=t@example.com commit -q --allow-empty -m first && " + git + " log --format=%s", want: "first"},
		{name: "go-threads", workload: probeBin + " threads 8", want: "threads: 8"},
		{name: "grandchild-thread", workload: probeBin + " chain 3", want: "sched_getscheduler: ok", inProfile: "sched_getscheduler"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			// The probe runs last so the profile also covers a Go program's
			// start-up; under the profile it then asks for getpriority, which
			// nothing in the recording did.
			recorded := tc.workload + " && " + probeBin
			rec := profileCmd(t, dir, "record", "-o", "p.yaml", "--trace", "t.json", "--", "sh", "-c", recorded).mustSucceed(t, "record")
			if !strings.Contains(rec.stdout, tc.want) {
				t.Fatalf("recorded run printed %q, want %q", rec.stdout, tc.want)
			}
			profile, err := os.ReadFile(filepath.Join(dir, "p.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			if tc.inProfile != "" && !strings.Contains(string(profile), tc.inProfile) {
				t.Errorf("profile lacks %s:\n%s", tc.inProfile, profile)
			}
			if strings.Contains(string(profile), "getpriority") {
				t.Fatalf("profile already allows getpriority; the denial check below would prove nothing:\n%s", profile)
			}

			run := profileCmd(t, dir, "run", "--profile", "p.yaml", "--", "sh", "-c", recorded).mustSucceed(t, "run under the profile")
			if run.stdout != rec.stdout {
				t.Errorf("under the profile the workload printed\n%s\nrecorded run printed\n%s", run.stdout, rec.stdout)
			}

			denied := profileCmd(t, dir, "run", "--profile", "p.yaml", "--", "sh", "-c", tc.workload+" && "+probeBin+" unseen").mustSucceed(t, "run with an unseen syscall")
			if !strings.Contains(denied.stdout, "getpriority: operation not permitted") {
				t.Errorf("unseen getpriority: output %q, want EPERM", denied.stdout)
			}
		})
	}
}

// TestRunKill checks --default-action kill: an unseen syscall kills the
// process with SIGSYS, and run passes the signal on as 128+31.
func TestRunKill(t *testing.T) {
	dir := t.TempDir()
	profileCmd(t, dir, "record", "-o", "p.yaml", "--", probeBin).mustSucceed(t, "record")
	profileCmd(t, dir, "run", "--profile", "p.yaml", "--default-action", "kill", "--", probeBin).mustSucceed(t, "run the recorded workload")
	r := profileCmd(t, dir, "run", "--profile", "p.yaml", "--default-action", "kill", "--", probeBin, "unseen")
	if r.code != 128+31 {
		t.Errorf("exit %d, want 159 (SIGSYS)\n%s", r.code, r.stderr)
	}
}

// TestRecordAsNobody records as an ordinary user: the trace backend needs no
// privilege.
func TestRecordAsNobody(t *testing.T) {
	if os.Getuid() != 0 {
		// Already unprivileged: the other tests prove the point.
		t.Skip("not root; every other test records without privileges")
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", profileBin, "record", "-o", "p.yaml", "--", probeBin, "chain", "1")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("record as nobody: %v\n%s", err, out)
	}
	profile, err := os.ReadFile(filepath.Join(dir, "p.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(profile), "sched_getscheduler") {
		t.Errorf("profile recorded as nobody lacks sched_getscheduler:\n%s", profile)
	}
}
