package emit

import (
	"fmt"
	"io"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/profile-dev/profile/profiles"
)

// The Security Profiles Operator's SeccompProfile custom resource. Its spec
// mirrors OCI seccomp (defaultAction, architectures, syscalls with names,
// action, errnoRet and args), so it is written from the OCI export, with
// the OCI export's losses. The operator has no field for the default
// action's errno: the runtime then answers EPERM, so a profile whose default
// is another errno is refused with ErrNotRepresentable. Its errnoRet drops
// a zero, so a trace verdict without a message reaches the tracer as EPERM
// (runc's default data for SCMP_ACT_TRACE).

// CRD identifies the custom resource.
const (
	CRDAPIVersion = "security-profiles-operator.x-k8s.io/v1beta1"
	CRDKind       = "SeccompProfile"
)

type crdResource struct {
	APIVersion string      `yaml:"apiVersion"`
	Kind       string      `yaml:"kind"`
	Metadata   crdMetadata `yaml:"metadata"`
	Spec       crdSpec     `yaml:"spec"`
}

type crdMetadata struct {
	Name        string            `yaml:"name"`
	Annotations map[string]string `yaml:"annotations,omitempty"`
}

type crdSpec struct {
	DefaultAction string       `yaml:"defaultAction"`
	Architectures []string     `yaml:"architectures,omitempty"`
	Syscalls      []crdSyscall `yaml:"syscalls,omitempty"`
}

type crdSyscall struct {
	Names    []string `yaml:"names"`
	Action   string   `yaml:"action"`
	ErrnoRet uint     `yaml:"errnoRet,omitempty"`
	Args     []crdArg `yaml:"args,omitempty"`
}

type crdArg struct {
	Index    uint   `yaml:"index"`
	Value    uint64 `yaml:"value,omitempty"`
	ValueTwo uint64 `yaml:"valueTwo,omitempty"`
	Op       string `yaml:"op"`
}

const eperm = 1

// WriteCRD writes p as a SeccompProfile custom resource in YAML. opts.OCI
// applies (the runtime allowances).
func WriteCRD(w io.Writer, p *profiles.Profile, opts Options) error {
	s, err := OCI(p, opts.OCI)
	if err != nil {
		return fmt.Errorf("crd: %w", err)
	}
	if s.DefaultErrnoRet != nil && *s.DefaultErrnoRet != eperm {
		return fmt.Errorf("crd: default errno %d: %w (the operator's spec has no defaultErrnoRet; the runtime answers EPERM)", *s.DefaultErrnoRet, ErrNotRepresentable)
	}
	res := crdResource{
		APIVersion: CRDAPIVersion,
		Kind:       CRDKind,
		Metadata:   crdMetadata{Name: crdName(p.Metadata.Name)},
		Spec:       crdSpec{DefaultAction: string(s.DefaultAction)},
	}
	if p.Metadata.Recorded != nil && len(p.Metadata.Recorded.Command) > 0 {
		res.Metadata.Annotations = map[string]string{"profile.dev/recorded-command": strings.Join(p.Metadata.Recorded.Command, " ")}
	}
	for _, a := range s.Architectures {
		res.Spec.Architectures = append(res.Spec.Architectures, string(a))
	}
	for _, sc := range s.Syscalls {
		e := crdSyscall{Names: sc.Names, Action: string(sc.Action)}
		if sc.ErrnoRet != nil {
			e.ErrnoRet = *sc.ErrnoRet
		}
		for _, a := range sc.Args {
			e.Args = append(e.Args, crdArg{Index: a.Index, Value: a.Value, ValueTwo: a.ValueTwo, Op: string(a.Op)})
		}
		res.Spec.Syscalls = append(res.Spec.Syscalls, e)
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(res); err != nil {
		return fmt.Errorf("crd: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("crd: %w", err)
	}
	return nil
}

var notDNS = regexp.MustCompile(`[^a-z0-9.-]+`)

// crdName makes a Kubernetes object name (an RFC 1123 subdomain) of a
// profile name: lower case, other characters as '-', at most 253.
func crdName(name string) string {
	n := notDNS.ReplaceAllString(strings.ToLower(name), "-")
	n = strings.Trim(n, "-.")
	if len(n) > 253 {
		n = strings.Trim(n[:253], "-.")
	}
	if n == "" {
		return "profile"
	}
	return n
}
