//go:build !libseccomp || !cgo

package main

import (
	"errors"

	"golang.org/x/net/bpf"
)

// libseccompVersion is "" without the libseccomp build tag: the benchmark
// then measures our compiler only.
func libseccompVersion() string { return "" }

func libseccompCompile(p *Policy, binaryTree bool) ([]bpf.RawInstruction, error) {
	return nil, errors.New("built without libseccomp (go run -tags libseccomp, CGO_ENABLED=1, libseccomp-dev)")
}
