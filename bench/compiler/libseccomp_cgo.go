//go:build libseccomp && cgo

package main

/*
#cgo LDFLAGS: -lseccomp
#include <stdlib.h>
#include <seccomp.h>

static int set_optimize(scmp_filter_ctx ctx, int level) {
	return seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, level);
}
*/
import "C"

import (
	"encoding/binary"
	"fmt"
	"os"
	"sort"

	"golang.org/x/net/bpf"

	"github.com/profile-dev/profile/emit/compile"
)

// libseccompVersion is the linked library's version, or "" when the
// benchmark was built without it.
func libseccompVersion() string {
	v := C.seccomp_version()
	return fmt.Sprintf("%d.%d.%d", v.major, v.minor, v.micro)
}

var cmpOps = map[string]C.enum_scmp_compare{
	"!=": C.SCMP_CMP_NE, "<": C.SCMP_CMP_LT, "<=": C.SCMP_CMP_LE, "==": C.SCMP_CMP_EQ,
	">=": C.SCMP_CMP_GE, ">": C.SCMP_CMP_GT, "&==": C.SCMP_CMP_MASKED_EQ,
}

// libseccompCompile builds p with libseccomp for the native ABI, at its
// default layout or as a binary tree (SCMP_FLTATR_CTL_OPTIMIZE = 2), and
// returns the exported program.
func libseccompCompile(p *Policy, binaryTree bool) ([]bpf.RawInstruction, error) {
	def, err := p.Default.Verdict()
	if err != nil {
		return nil, err
	}
	defRet, err := compile.RetValue(def)
	if err != nil {
		return nil, err
	}
	ctx := C.seccomp_init(C.uint32_t(defRet))
	if ctx == nil {
		return nil, fmt.Errorf("libseccomp: seccomp_init failed")
	}
	defer C.seccomp_release(ctx)
	if binaryTree {
		if rc := C.set_optimize(ctx, 2); rc != 0 {
			return nil, fmt.Errorf("libseccomp: optimize level 2: %d", rc)
		}
	}
	names := make([]string, 0, len(p.Priority))
	for n := range p.Priority {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		for _, r := range p.Rules {
			if r.Syscall == n {
				C.seccomp_syscall_priority(ctx, C.int(r.Nr), C.uint8_t(p.Priority[n]))
				break
			}
		}
	}
	for _, r := range p.Rules {
		v, err := r.Action.Verdict()
		if err != nil {
			return nil, err
		}
		act, err := compile.RetValue(v)
		if err != nil {
			return nil, err
		}
		conds := make([]C.struct_scmp_arg_cmp, len(r.Conds))
		for i, c := range r.Conds {
			conds[i].arg = C.uint(c.Arg)
			conds[i].op = cmpOps[c.Op]
			if c.Op == "&==" {
				conds[i].datum_a, conds[i].datum_b = C.scmp_datum_t(c.Mask), C.scmp_datum_t(c.Value)
			} else {
				conds[i].datum_a = C.scmp_datum_t(c.Value)
			}
		}
		var ptr *C.struct_scmp_arg_cmp
		if len(conds) > 0 {
			ptr = &conds[0]
		}
		if rc := C.seccomp_rule_add_array(ctx, C.uint32_t(act), C.int(r.Nr), C.uint(len(conds)), ptr); rc != 0 {
			return nil, fmt.Errorf("libseccomp: rule %s: %d", r.Syscall, rc)
		}
	}
	f, err := os.CreateTemp("", "libseccomp-*.bpf")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	if rc := C.seccomp_export_bpf(ctx, C.int(f.Fd())); rc != 0 {
		return nil, fmt.Errorf("libseccomp: export: %d", rc)
	}
	b, err := os.ReadFile(f.Name())
	if err != nil {
		return nil, err
	}
	if len(b)%8 != 0 {
		return nil, fmt.Errorf("libseccomp: exported %d bytes", len(b))
	}
	prog := make([]bpf.RawInstruction, len(b)/8)
	for i := range prog {
		w := b[8*i:]
		prog[i] = bpf.RawInstruction{Op: binary.NativeEndian.Uint16(w), Jt: w[2], Jf: w[3], K: binary.NativeEndian.Uint32(w[4:])}
	}
	return prog, nil
}
