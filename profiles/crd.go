package profiles

import (
	"bytes"
	"fmt"

	specs "github.com/opencontainers/runtime-spec/specs-go"
	"go.yaml.in/yaml/v3"
)

// CRDAPIGroup is the API group of the Security Profiles Operator, whose
// SeccompProfile custom resource (v1beta1) carries an OCI-like spec.
const CRDAPIGroup = "security-profiles-operator.x-k8s.io"

// crdDoc is the part of a SeccompProfile resource that says what it allows.
type crdDoc struct {
	APIVersion string    `yaml:"apiVersion"`
	Kind       string    `yaml:"kind"`
	Metadata   yaml.Node `yaml:"metadata"`
	Spec       struct {
		DefaultAction    specs.LinuxSeccompAction `yaml:"defaultAction"`
		Architectures    []specs.Arch             `yaml:"architectures"`
		Syscalls         []crdSyscall             `yaml:"syscalls"`
		Flags            []string                 `yaml:"flags"`
		Disabled         bool                     `yaml:"disabled"`
		BaseProfileName  string                   `yaml:"baseProfileName"`
		ListenerPath     string                   `yaml:"listenerPath"`
		ListenerMetadata string                   `yaml:"listenerMetadata"`
	} `yaml:"spec"`
	Status yaml.Node `yaml:"status"`
}

type crdSyscall struct {
	Names    []string                 `yaml:"names"`
	Action   specs.LinuxSeccompAction `yaml:"action"`
	ErrnoRet *uint                    `yaml:"errnoRet"`
	Args     []struct {
		Index    uint                       `yaml:"index"`
		Value    uint64                     `yaml:"value"`
		ValueTwo uint64                     `yaml:"valueTwo"`
		Op       specs.LinuxSeccompOperator `yaml:"op"`
	} `yaml:"args"`
}

// isCRD sniffs a Security Profiles Operator resource.
func isCRD(data []byte) bool {
	var probe struct {
		APIVersion string `yaml:"apiVersion"`
	}
	if yaml.Unmarshal(data, &probe) != nil {
		return false
	}
	return bytes.HasPrefix([]byte(probe.APIVersion), []byte(CRDAPIGroup+"/"))
}

// ParseCRD reads a Security Profiles Operator SeccompProfile resource
// (security-profiles-operator.x-k8s.io/v1beta1) and converts its spec as
// FromOCI does, with runc's meaning. A spec that inherits from a base
// profile or hands calls to a listener cannot be read on its own and is
// refused.
func ParseCRD(data []byte, filename string) (*Profile, error) {
	var doc crdDoc
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, yamlError(data, filename, err)
	}
	if doc.APIVersion != CRDAPIGroup+"/v1beta1" || doc.Kind != "SeccompProfile" {
		return nil, &ValidationError{File: filename, Line: 1, Col: 1, Field: "apiVersion",
			Msg: fmt.Sprintf("%s %s: only %s/v1beta1 SeccompProfile is understood", doc.APIVersion, doc.Kind, CRDAPIGroup)}
	}
	spec := doc.Spec
	switch {
	case spec.BaseProfileName != "":
		return nil, &ValidationError{File: filename, Field: "spec.baseProfileName", Msg: "a profile that inherits from " + spec.BaseProfileName + " cannot be read on its own; merge the base into it first"}
	case spec.ListenerPath != "" || spec.ListenerMetadata != "":
		return nil, &ValidationError{File: filename, Field: "spec.listenerPath", Msg: "seccomp notify listeners are not supported"}
	}
	s := &specs.LinuxSeccomp{DefaultAction: spec.DefaultAction, Architectures: spec.Architectures}
	for _, sc := range spec.Syscalls {
		ls := specs.LinuxSyscall{Names: sc.Names, Action: sc.Action, ErrnoRet: sc.ErrnoRet}
		for _, a := range sc.Args {
			ls.Args = append(ls.Args, specs.LinuxSeccompArg{Index: a.Index, Value: a.Value, ValueTwo: a.ValueTwo, Op: a.Op})
		}
		s.Syscalls = append(s.Syscalls, ls)
	}
	p, err := FromOCI(s, filename)
	if err != nil {
		return nil, err
	}
	var meta struct {
		Name string `yaml:"name"`
	}
	if doc.Metadata.Decode(&meta) == nil {
		p.Metadata.Name = meta.Name
	}
	return p, nil
}
