package emit

import (
	"fmt"
	"io"
	"strings"

	"github.com/profile-dev/profile/emit/compile"
	"github.com/profile-dev/profile/profiles"
)

// Format is an output format.
type Format string

// The formats Write knows.
const (
	FormatYAML Format = "yaml" // the profile itself, profile/v1
	FormatOCI  Format = "oci"  // OCI runtime-spec linux.seccomp JSON
	FormatBPF  Format = "bpf"  // raw struct sock_filter array, native byte order
	FormatASM  Format = "asm"  // readable disassembly of the compiled filter
	FormatC    Format = "c"    // C header: struct sock_filter array and struct sock_fprog
	FormatCRD  Format = "crd"  // Security Profiles Operator SeccompProfile custom resource
)

// Formats lists every format, in the order help text shows them.
var Formats = []Format{FormatYAML, FormatOCI, FormatBPF, FormatASM, FormatC, FormatCRD}

// ParseFormat reads a format name.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats {
		if string(f) == s {
			return f, nil
		}
	}
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return "", fmt.Errorf("format %q: want one of %s", s, strings.Join(names, ", "))
}

// Options tune the emitters.
type Options struct {
	// OCI applies to FormatOCI and FormatCRD.
	OCI OCIOptions
	// Compile applies to FormatBPF, FormatASM and FormatC.
	Compile compile.Options
}

// Write emits p in format f.
func Write(w io.Writer, f Format, p *profiles.Profile, opts Options) error {
	switch f {
	case FormatYAML:
		return profiles.Save(w, p)
	case FormatOCI:
		return WriteOCI(w, p, opts.OCI)
	case FormatCRD:
		return WriteCRD(w, p, opts)
	case FormatC:
		return WriteC(w, p, opts)
	case FormatBPF, FormatASM:
		prog, err := compile.Compile(p, opts.Compile)
		if err != nil {
			return err
		}
		if f == FormatASM {
			_, err = io.WriteString(w, prog.Disassemble())
			return err
		}
		b, err := prog.Bytes()
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	}
	return fmt.Errorf("emit: unknown format %q", f)
}
