// Package emit writes a profile in the formats its consumers load: the
// profile's own YAML, OCI seccomp JSON (runc, crun, podman, Docker,
// Kubernetes), the Security Profiles Operator's SeccompProfile resource,
// the compiled classic-BPF filter as raw bytes, as readable disassembly and
// as a C header.
//
// Every emitter is deterministic: the same profile gives the same bytes.
// The compiler itself lives in emit/compile.
package emit
