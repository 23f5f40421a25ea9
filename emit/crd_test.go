package emit

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"go.yaml.in/yaml/v3"

	"github.com/profile-dev/profile/internal/testutil"
	"github.com/profile-dev/profile/profiles"
)

// TestCRDGolden writes each testdata/oci/*.yaml as a SeccompProfile
// resource, compares with testdata/crd/<name>.yaml, and checks that the
// resource's spec, read back as OCI seccomp, means what the profile means.
func TestCRDGolden(t *testing.T) {
	inputs, err := filepath.Glob("testdata/oci/*.yaml")
	if err != nil || len(inputs) == 0 {
		t.Fatalf("no inputs: %v", err)
	}
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".yaml")
		t.Run(name, func(t *testing.T) {
			p, err := profiles.Load(in)
			if err != nil {
				t.Fatal(err)
			}
			opts := Options{}
			if _, ok := runtimeSyscalls[name]; ok {
				opts.OCI.Runtime = name
			}
			var b bytes.Buffer
			if err := Write(&b, FormatCRD, p, opts); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "crd", name+".yaml")
			want := testutil.Golden(t, golden, b.Bytes(), *updateOCI)
			var res crdResource
			if err := yaml.Unmarshal(want, &res); err != nil {
				t.Fatal(err)
			}
			if res.APIVersion != CRDAPIVersion || res.Kind != CRDKind || res.Metadata.Name == "" {
				t.Fatalf("header %s %s %q", res.APIVersion, res.Kind, res.Metadata.Name)
			}
			back, err := profiles.ParseOCI(specJSON(t, res.Spec), golden)
			if err != nil {
				t.Fatalf("spec does not import as OCI: %v", err)
			}
			if opts.OCI.Runtime == "" {
				compareOnBoundaries(t, zeroTraceAsEPERM(p), back, rand.New(rand.NewPCG(3, 4)))
			}
		})
	}
}

// specJSON rebuilds OCI seccomp JSON from a resource's spec, field by
// field, as the operator does when it writes the profile to the node.
func specJSON(t *testing.T, s crdSpec) []byte {
	t.Helper()
	out := specs.LinuxSeccomp{DefaultAction: specs.LinuxSeccompAction(s.DefaultAction)}
	for _, a := range s.Architectures {
		out.Architectures = append(out.Architectures, specs.Arch(a))
	}
	for _, sc := range s.Syscalls {
		e := specs.LinuxSyscall{Names: sc.Names, Action: specs.LinuxSeccompAction(sc.Action)}
		if sc.ErrnoRet != 0 {
			v := sc.ErrnoRet
			e.ErrnoRet = &v
		}
		for _, a := range sc.Args {
			e.Args = append(e.Args, specs.LinuxSeccompArg{Index: a.Index, Value: a.Value, ValueTwo: a.ValueTwo, Op: specs.LinuxSeccompOperator(a.Op)})
		}
		out.Syscalls = append(out.Syscalls, e)
	}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// zeroTraceAsEPERM is the documented loss: the resource cannot carry an
// errnoRet of 0, so a trace verdict without a message reaches the tracer
// as EPERM (1), runc's default.
func zeroTraceAsEPERM(p *profiles.Profile) *profiles.Profile {
	q := p.Clone()
	for i := range q.Syscalls {
		if v := &q.Syscalls[i].Action; v.Action == profiles.ActTrace && v.Data == 0 {
			v.Data = 1
		}
	}
	return q
}

func TestCRDRefuses(t *testing.T) {
	p, err := profiles.Load("testdata/oci/basic.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p.DefaultAction = profiles.Errno(13)
	err = WriteCRD(&bytes.Buffer{}, p, Options{})
	if !errors.Is(err, ErrNotRepresentable) {
		t.Fatalf("default errno EACCES: %v, want ErrNotRepresentable", err)
	}
}

func TestCRDName(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"myservice", "myservice"},
		{"My_Service v2", "my-service-v2"},
		{"--", "profile"},
		{"", "profile"},
		{"a.b", "a.b"},
	} {
		if got := crdName(tt.in); got != tt.want {
			t.Errorf("crdName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
