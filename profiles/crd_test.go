package profiles

import (
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/profile-dev/profile/internal/systab"
)

const crdDocument = `apiVersion: security-profiles-operator.x-k8s.io/v1beta1
kind: SeccompProfile
metadata:
  name: web
  namespace: prod
spec:
  defaultAction: SCMP_ACT_ERRNO
  architectures: [SCMP_ARCH_X86_64]
  syscalls:
    - names: [read, write, exit_group]
      action: SCMP_ACT_ALLOW
    - names: [ioctl]
      action: SCMP_ACT_ALLOW
      args:
        - {index: 1, value: 21505, op: SCMP_CMP_EQ}
    - names: [clone3]
      action: SCMP_ACT_ERRNO
      errnoRet: 38
status:
  status: Installed
`

func TestParseCRD(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "web.yaml")
	if err := os.WriteFile(path, []byte(crdDocument), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if p.Metadata.Name != "web" {
		t.Errorf("name = %q", p.Metadata.Name)
	}
	nr := func(name string) uint32 {
		n, ok := systab.X86_64.Nr(name)
		if !ok {
			t.Fatalf("no %s", name)
		}
		return n
	}
	for _, tc := range []struct {
		name string
		args [6]uint64
		want Verdict
	}{
		{"read", [6]uint64{}, Allow},
		{"ioctl", [6]uint64{1, 21505}, Allow},
		{"ioctl", [6]uint64{1, 21506}, Errno(1)},
		{"clone3", [6]uint64{}, Errno(38)},
		{"openat", [6]uint64{}, Errno(1)},
	} {
		if got := Evaluate(p, systab.AuditArchX86_64, nr(tc.name), tc.args); got != tc.want {
			t.Errorf("%s%v = %v, want %v", tc.name, tc.args, got, tc.want)
		}
	}
}

// TestCRDMeansOCI checks the resource means what the same spec means as
// OCI JSON, on sampled calls.
func TestCRDMeansOCI(t *testing.T) {
	asOCI := `{"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86_64"], "syscalls": [
	  {"names": ["read", "write", "exit_group"], "action": "SCMP_ACT_ALLOW"},
	  {"names": ["ioctl"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 1, "value": 21505, "op": "SCMP_CMP_EQ"}]},
	  {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}]}`
	want, err := ParseOCI([]byte(asOCI), "web.json")
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseCRD([]byte(crdDocument), "web.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 3))
	for _, c := range sampleCalls(rng, 8, want, got) {
		if a, b := Evaluate(want, c.audit, c.nr, c.args), Evaluate(got, c.audit, c.nr, c.args); a != b {
			t.Fatalf("%#x/%d%v: OCI says %v, CRD says %v", c.audit, c.nr, c.args, a, b)
		}
	}
}

func TestParseCRDErrors(t *testing.T) {
	cases := []struct {
		name, edit, want string
	}{
		{"unknown-field", "  defaultAction: SCMP_ACT_ERRNO\n", "  defaultAction: SCMP_ACT_ERRNO\n  bogus: 1\n"},
		{"base-profile", "  defaultAction: SCMP_ACT_ERRNO\n", "  defaultAction: SCMP_ACT_ERRNO\n  baseProfileName: runc-v1.1.5\n"},
		{"listener", "  defaultAction: SCMP_ACT_ERRNO\n", "  defaultAction: SCMP_ACT_ERRNO\n  listenerPath: /run/l.sock\n"},
		{"bad-action", "SCMP_ACT_ERRNO\n  architectures", "SCMP_ACT_EXPLODE\n  architectures"},
		{"version", "v1beta1", "v1alpha1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := strings.Replace(crdDocument, tc.edit, tc.want, 1)
			if doc == crdDocument {
				t.Fatal("edit did not apply")
			}
			_, err := ParseCRD([]byte(doc), "web.yaml")
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), "web.yaml") {
				t.Errorf("err %q does not name the file", err)
			}
		})
	}
}
