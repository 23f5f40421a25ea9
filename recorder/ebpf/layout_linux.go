//go:build linux && amd64

package ebpf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// The raw sys_enter program reads the registers from the kernel's x86-64
// entry frame at fixed offsets and the task's thread_info.status at an
// offset user space supplies, so loading it needs no CO-RE relocation and
// the loader never parses the kernel's BTF (5 MB, ~40 ms with cilium/ebpf,
// most of a short recording's fixed cost). Both facts are read here from
// the kernel's BTF by one streaming pass that decodes only the three
// structs involved; if anything does not match, the CO-RE program is used.

// vmlinuxBTF is where the kernel exposes its BTF.
const vmlinuxBTF = "/sys/kernel/btf/vmlinux"

// entryRegs are the leading members of struct pt_regs in the order and at
// the offsets (8 bytes apart from 0) that struct entry_regs in the C
// program assumes.
var entryRegs = []string{"r15", "r14", "r13", "r12", "bp", "bx", "r11", "r10", "r9", "r8", "ax", "cx", "dx", "si", "di"}

// errLayout means the kernel's BTF does not confirm the raw program's
// assumptions.
var errLayout = errors.New("kernel layout not as the raw program assumes")

// kernelLayout is what the raw program needs from the running kernel.
type kernelLayout struct {
	// statusOffset is the byte offset of thread_info.status in
	// struct task_struct.
	statusOffset uint32
}

// readKernelLayout reads the layout from the kernel's BTF.
func readKernelLayout() (kernelLayout, error) {
	f, err := os.Open(vmlinuxBTF)
	if err != nil {
		return kernelLayout{}, fmt.Errorf("btf: %w", err)
	}
	defer f.Close()
	return scanLayout(f)
}

// BTF kinds with their trailing data (include/uapi/linux/btf.h).
const (
	btfKindInt       = 1
	btfKindArray     = 3
	btfKindStruct    = 4
	btfKindUnion     = 5
	btfKindEnum      = 6
	btfKindFuncProto = 13
	btfKindVar       = 14
	btfKindDatasec   = 15
	btfKindDeclTag   = 17
	btfKindEnum64    = 19
	btfKindMax       = 19
)

// trailing is the size of the data after a btf_type of a kind with vlen
// entries.
func trailing(kind, vlen int) int {
	switch kind {
	case btfKindInt, btfKindVar, btfKindDeclTag:
		return 4
	case btfKindArray:
		return 12
	case btfKindStruct, btfKindUnion, btfKindDatasec, btfKindEnum64:
		return 12 * vlen
	case btfKindEnum, btfKindFuncProto:
		return 8 * vlen
	}
	return 0
}

// member is one member of a struct: its name and bit offset.
type member struct {
	name   string
	bitOff uint32
}

// scanLayout decodes a raw BTF blob (header, types, strings) as it streams
// by, keeping only the members of task_struct, thread_info and pt_regs.
func scanLayout(r io.ReaderAt) (kernelLayout, error) {
	var hdr [24]byte
	if _, err := r.ReadAt(hdr[:], 0); err != nil {
		return kernelLayout{}, fmt.Errorf("btf: header: %w", err)
	}
	var bo binary.ByteOrder = binary.LittleEndian
	switch {
	case bo.Uint16(hdr[0:]) == 0xeb9f:
	case binary.BigEndian.Uint16(hdr[0:]) == 0xeb9f:
		bo = binary.BigEndian
	default:
		return kernelLayout{}, fmt.Errorf("btf: bad magic %#x", hdr[0:2])
	}
	hdrLen := int64(bo.Uint32(hdr[4:]))
	typeOff, typeLen := hdrLen+int64(bo.Uint32(hdr[8:])), int64(bo.Uint32(hdr[12:]))
	strOff, strLen := hdrLen+int64(bo.Uint32(hdr[16:])), int64(bo.Uint32(hdr[20:]))

	// The string offsets of the names we look for.
	want := map[string]bool{"task_struct": true, "thread_info": true, "status": true, "pt_regs": true}
	for _, n := range entryRegs {
		want[n] = true
	}
	names, err := scanStrings(io.NewSectionReader(r, strOff, strLen), want)
	if err != nil {
		return kernelLayout{}, err
	}
	if names["task_struct"] == 0 || names["thread_info"] == 0 || names["pt_regs"] == 0 {
		return kernelLayout{}, fmt.Errorf("btf: %w: task_struct, thread_info or pt_regs not named", errLayout)
	}
	byOff := map[uint32]string{}
	for n, off := range names {
		byOff[off] = n
	}

	structs := map[string][][]member{}
	w := newWindow(io.NewSectionReader(r, typeOff, typeLen))
	taskName, tiName, regsName := names["task_struct"], names["thread_info"], names["pt_regs"]
	for {
		t, err := w.next(12)
		if err == io.EOF {
			break
		} else if err != nil {
			return kernelLayout{}, fmt.Errorf("btf: types: %w", err)
		}
		nameOff, info := bo.Uint32(t[0:]), bo.Uint32(t[4:])
		kind, vlen, kflag := int(info>>24&0x1f), int(info&0xffff), info>>31 == 1
		if kind == 0 || kind > btfKindMax {
			return kernelLayout{}, fmt.Errorf("btf: unknown kind %d", kind)
		}
		if kind != btfKindStruct || (nameOff != taskName && nameOff != tiName && nameOff != regsName) {
			if err := w.skip(trailing(kind, vlen)); err != nil {
				return kernelLayout{}, fmt.Errorf("btf: types: %w", err)
			}
			continue
		}
		raw, err := w.next(12 * vlen)
		if err != nil {
			return kernelLayout{}, fmt.Errorf("btf: types: %w", err)
		}
		ms := make([]member, 0, vlen)
		for i := range vlen {
			m := raw[12*i:]
			off := bo.Uint32(m[8:])
			if kflag {
				off &= 0xffffff // the top byte is a bitfield's size
			}
			ms = append(ms, member{name: byOff[bo.Uint32(m[0:])], bitOff: off})
		}
		structs[byOff[nameOff]] = append(structs[byOff[nameOff]], ms)
	}
	return layoutOf(structs)
}

// window reads a section in large pieces and hands out records that may
// straddle them, without a read or an allocation per record.
type window struct {
	r        io.Reader
	buf      []byte
	pos, end int
	off      int // offset in the section of buf[0]
	eof      bool
}

func newWindow(r io.Reader) *window { return &window{r: r, buf: make([]byte, 1<<16)} }

// fill makes at least n bytes available from pos, unless the input ends.
func (w *window) fill(n int) error {
	if n > len(w.buf) {
		w.buf = append(w.buf[:w.end], make([]byte, max(n, 2*len(w.buf))-w.end)...)
	}
	if w.end-w.pos >= n {
		return nil
	}
	w.end = copy(w.buf, w.buf[w.pos:w.end])
	w.off += w.pos
	w.pos = 0
	for w.end < n && !w.eof {
		k, err := w.r.Read(w.buf[w.end:])
		w.end += k
		if err == io.EOF {
			w.eof = true
		} else if err != nil {
			return err
		}
	}
	if w.end < n {
		if w.end == 0 {
			return io.EOF
		}
		return io.ErrUnexpectedEOF
	}
	return nil
}

// next returns the next n bytes, valid until the next call.
func (w *window) next(n int) ([]byte, error) {
	if err := w.fill(n); err != nil {
		return nil, err
	}
	b := w.buf[w.pos : w.pos+n]
	w.pos += n
	return b, nil
}

// skip passes over n bytes.
func (w *window) skip(n int) error {
	for n > 0 {
		if w.pos == w.end {
			if err := w.fill(1); err != nil {
				if err == io.EOF {
					return io.ErrUnexpectedEOF
				}
				return err
			}
		}
		k := min(n, w.end-w.pos)
		w.pos += k
		n -= k
	}
	return nil
}

// scanStrings finds the offsets of the wanted names in a string section.
func scanStrings(r io.Reader, want map[string]bool) (map[string]uint32, error) {
	got := map[string]uint32{}
	w := newWindow(r)
	long := false // inside a string too long to be one of ours
	for need := 1; ; {
		if err := w.fill(need); err == io.EOF || (err == io.ErrUnexpectedEOF && w.eof) {
			return got, nil // an unterminated tail names nothing
		} else if err != nil {
			return nil, fmt.Errorf("btf: strings: %w", err)
		}
		chunk := w.buf[w.pos:w.end]
		i := bytes.IndexByte(chunk, 0)
		switch {
		case i < 0 && (long || len(chunk) > maxName):
			long = true
			w.pos = w.end
			need = 1
			continue
		case i < 0:
			need = len(chunk) + 1 // the string goes on past the window
			continue
		}
		need = 1
		if name := chunk[:i]; !long && len(name) <= maxName && want[string(name)] {
			if _, dup := got[string(name)]; !dup {
				got[string(name)] = uint32(w.off + w.pos)
			}
		}
		long = false
		w.pos += i + 1
	}
}

// maxName is longer than any name scanStrings looks for.
const maxName = 16

// layoutOf checks the structs found and computes the layout. Each name
// must be one struct (or several that agree).
func layoutOf(structs map[string][][]member) (kernelLayout, error) {
	offset := func(sname, mname string) (uint32, error) {
		found, have := uint32(0), false
		for _, ms := range structs[sname] {
			for _, m := range ms {
				if m.name != mname {
					continue
				}
				if have && m.bitOff != found {
					return 0, fmt.Errorf("btf: %w: struct %s defined twice with %s at different offsets", errLayout, sname, mname)
				}
				found, have = m.bitOff, true
			}
		}
		if !have {
			return 0, fmt.Errorf("btf: %w: no %s.%s", errLayout, sname, mname)
		}
		if found%8 != 0 {
			return 0, fmt.Errorf("btf: %w: %s.%s is a bitfield", errLayout, sname, mname)
		}
		return found / 8, nil
	}
	ti, err := offset("task_struct", "thread_info")
	if err != nil {
		return kernelLayout{}, err
	}
	st, err := offset("thread_info", "status")
	if err != nil {
		return kernelLayout{}, err
	}
	for i, reg := range entryRegs {
		off, err := offset("pt_regs", reg)
		if err != nil {
			return kernelLayout{}, err
		}
		if off != uint32(8*i) {
			return kernelLayout{}, fmt.Errorf("btf: %w: pt_regs.%s at %d, want %d", errLayout, reg, off, 8*i)
		}
	}
	return kernelLayout{statusOffset: ti + st}, nil
}
