//go:build linux && amd64

package ebpf

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"

	"github.com/profile-dev/profile/internal/atomicfile"
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

// readKernelLayout reads the layout from the kernel's BTF: where the last
// scan's hint says, else by a scan, whose hint is then kept.
func readKernelLayout() (kernelLayout, error) {
	f, err := os.Open(vmlinuxBTF)
	if err != nil {
		return kernelLayout{}, fmt.Errorf("btf: %w", err)
	}
	defer f.Close()
	if h, ok := loadHint(); ok {
		if l, err := checkHint(f, h); err == nil {
			return l, nil
		}
	}
	l, h, err := scanLayout(f)
	if err != nil {
		return kernelLayout{}, err
	}
	saveHint(h)
	return l, nil
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
func scanLayout(r io.ReaderAt) (kernelLayout, layoutHint, error) {
	h, err := readHeader(r)
	if err != nil {
		return kernelLayout{}, layoutHint{}, err
	}
	bo, typeOff, typeLen, strOff, strLen := h.bo, h.typeOff, h.typeLen, h.strOff, h.strLen

	// The string offsets of the names we look for.
	want := map[string]bool{"task_struct": true, "thread_info": true, "status": true, "pt_regs": true}
	for _, n := range entryRegs {
		want[n] = true
	}
	names, err := scanStrings(io.NewSectionReader(r, strOff, strLen), want)
	if err != nil {
		return kernelLayout{}, layoutHint{}, err
	}
	if names["task_struct"] == 0 || names["thread_info"] == 0 || names["pt_regs"] == 0 {
		return kernelLayout{}, layoutHint{}, fmt.Errorf("btf: %w: task_struct, thread_info or pt_regs not named", errLayout)
	}
	byOff := map[uint32]string{}
	for n, off := range names {
		byOff[off] = n
	}

	structs := map[string][]foundStruct{}
	w := newWindow(io.NewSectionReader(r, typeOff, typeLen))
	taskName, tiName, regsName := names["task_struct"], names["thread_info"], names["pt_regs"]
	for {
		at := int64(w.off + w.pos)
		t, err := w.next(12)
		if err == io.EOF {
			break
		} else if err != nil {
			return kernelLayout{}, layoutHint{}, fmt.Errorf("btf: types: %w", err)
		}
		nameOff, info := bo.Uint32(t[0:]), bo.Uint32(t[4:])
		kind, vlen, kflag := int(info>>24&0x1f), int(info&0xffff), info>>31 == 1
		if kind == 0 || kind > btfKindMax {
			return kernelLayout{}, layoutHint{}, fmt.Errorf("btf: unknown kind %d", kind)
		}
		if kind != btfKindStruct || (nameOff != taskName && nameOff != tiName && nameOff != regsName) {
			if err := w.skip(trailing(kind, vlen)); err != nil {
				return kernelLayout{}, layoutHint{}, fmt.Errorf("btf: types: %w", err)
			}
			continue
		}
		raw, err := w.next(12 * vlen)
		if err != nil {
			return kernelLayout{}, layoutHint{}, fmt.Errorf("btf: types: %w", err)
		}
		ms := make([]member, 0, vlen)
		for i := range vlen {
			ms = append(ms, decodeMember(bo, raw[12*i:], kflag, byOff))
		}
		structs[byOff[nameOff]] = append(structs[byOff[nameOff]], foundStruct{at: at, members: ms})
	}
	l, err := layoutOf(structs)
	if err != nil {
		return kernelLayout{}, layoutHint{}, err
	}
	return l, hintOf(h, structs), nil
}

// decodeMember decodes one btf_member, naming it from byOff.
func decodeMember(bo binary.ByteOrder, m []byte, kflag bool, byOff map[uint32]string) member {
	off := bo.Uint32(m[8:])
	if kflag {
		off &= 0xffffff // the top byte is a bitfield's size
	}
	return member{name: byOff[bo.Uint32(m[0:])], bitOff: off}
}

// foundStruct is a struct met by the scan: where its record starts in the
// type section, and its members.
type foundStruct struct {
	at      int64
	members []member
}

// btfHeader is a BTF blob's header, decoded.
type btfHeader struct {
	raw                              [24]byte
	bo                               binary.ByteOrder
	typeOff, typeLen, strOff, strLen int64
}

func readHeader(r io.ReaderAt) (btfHeader, error) {
	var h btfHeader
	if _, err := r.ReadAt(h.raw[:], 0); err != nil {
		return h, fmt.Errorf("btf: header: %w", err)
	}
	h.bo = binary.LittleEndian
	switch {
	case h.bo.Uint16(h.raw[0:]) == 0xeb9f:
	case binary.BigEndian.Uint16(h.raw[0:]) == 0xeb9f:
		h.bo = binary.BigEndian
	default:
		return h, fmt.Errorf("btf: bad magic %#x", h.raw[0:2])
	}
	hdrLen := int64(h.bo.Uint32(h.raw[4:]))
	h.typeOff, h.typeLen = hdrLen+int64(h.bo.Uint32(h.raw[8:])), int64(h.bo.Uint32(h.raw[12:]))
	h.strOff, h.strLen = hdrLen+int64(h.bo.Uint32(h.raw[16:])), int64(h.bo.Uint32(h.raw[20:]))
	return h, nil
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
func layoutOf(structs map[string][]foundStruct) (kernelLayout, error) {
	offset := func(sname, mname string) (uint32, error) {
		found, have := uint32(0), false
		for _, fs := range structs[sname] {
			for _, m := range fs.members {
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

// A layoutHint says where a scan found the three structs, so the next
// recording can read just those records (a few small reads instead of the
// whole 5 MB, which took 3-7 ms of a recording's start-up). It is kept in
// the user's cache directory and is never trusted: every use re-reads the
// records it points at and checks their kinds and names against the BTF
// itself, so a stale or edited hint costs a full scan, never a wrong
// offset.
type layoutHint struct {
	// Header is the BTF header the hint was made from.
	Header [24]byte
	// Task, ThreadInfo and Regs are the records' offsets in the type
	// section; TaskMember and StatusMember the indexes of
	// task_struct.thread_info and thread_info.status, RegsMember that of
	// pt_regs.r15 (the entry frame's registers follow it in order).
	Task, ThreadInfo, Regs               int64
	TaskMember, StatusMember, RegsMember int
}

// hintOf makes a hint from a scan that found each struct once.
func hintOf(h btfHeader, structs map[string][]foundStruct) layoutHint {
	index := func(fs foundStruct, name string) int {
		for i, m := range fs.members {
			if m.name == name {
				return i
			}
		}
		return -1
	}
	if len(structs["task_struct"]) != 1 || len(structs["thread_info"]) != 1 || len(structs["pt_regs"]) != 1 {
		return layoutHint{}
	}
	task, ti, regs := structs["task_struct"][0], structs["thread_info"][0], structs["pt_regs"][0]
	return layoutHint{
		Header: h.raw, Task: task.at, ThreadInfo: ti.at, Regs: regs.at,
		TaskMember: index(task, "thread_info"), StatusMember: index(ti, "status"), RegsMember: index(regs, entryRegs[0]),
	}
}

// checkHint reads the records a hint points at and computes the layout
// from them, or fails if they are not what the hint says.
func checkHint(r io.ReaderAt, hint layoutHint) (kernelLayout, error) {
	h, err := readHeader(r)
	if err != nil {
		return kernelLayout{}, err
	}
	if h.raw != hint.Header {
		return kernelLayout{}, errors.New("btf: hint: another BTF")
	}
	name := func(off uint32) (string, error) {
		var b [maxName + 1]byte
		n, err := r.ReadAt(b[:], h.strOff+int64(off))
		if n == 0 && err != nil {
			return "", err
		}
		s, _, ok := bytes.Cut(b[:n], []byte{0})
		if !ok {
			return "", errors.New("btf: hint: name too long")
		}
		return string(s), nil
	}
	// read returns the members [first, first+count) of the struct whose
	// record is at, after checking that it is a struct called want.
	read := func(at int64, want string, first, count int) ([]member, error) {
		var t [12]byte
		if at < 0 || at+12 > h.typeLen {
			return nil, errors.New("btf: hint: out of range")
		}
		if _, err := r.ReadAt(t[:], h.typeOff+at); err != nil {
			return nil, err
		}
		info := h.bo.Uint32(t[4:])
		kind, vlen, kflag := int(info>>24&0x1f), int(info&0xffff), info>>31 == 1
		if got, err := name(h.bo.Uint32(t[0:])); err != nil || kind != btfKindStruct || got != want {
			return nil, fmt.Errorf("btf: hint: no struct %s at %d", want, at)
		}
		if first < 0 || first+count > vlen {
			return nil, errors.New("btf: hint: no such member")
		}
		raw := make([]byte, 12*count)
		if _, err := r.ReadAt(raw, h.typeOff+at+12+int64(12*first)); err != nil {
			return nil, err
		}
		ms := make([]member, count)
		for i := range ms {
			m := decodeMember(h.bo, raw[12*i:], kflag, nil)
			if m.name, err = name(h.bo.Uint32(raw[12*i:])); err != nil {
				return nil, err
			}
			ms[i] = m
		}
		return ms, nil
	}
	task, err := read(hint.Task, "task_struct", hint.TaskMember, 1)
	if err != nil {
		return kernelLayout{}, err
	}
	ti, err := read(hint.ThreadInfo, "thread_info", hint.StatusMember, 1)
	if err != nil {
		return kernelLayout{}, err
	}
	regs, err := read(hint.Regs, "pt_regs", hint.RegsMember, len(entryRegs))
	if err != nil {
		return kernelLayout{}, err
	}
	return layoutOf(map[string][]foundStruct{
		"task_struct": {{at: hint.Task, members: task}},
		"thread_info": {{at: hint.ThreadInfo, members: ti}},
		"pt_regs":     {{at: hint.Regs, members: regs}},
	})
}

// hintPath is where the hint is kept: the user's cache directory.
func hintPath() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "profile", "kernel-layout.json"), nil
}

func loadHint() (layoutHint, bool) {
	var h layoutHint
	p, err := hintPath()
	if err != nil {
		return h, false
	}
	data, err := os.ReadFile(p)
	if err != nil || json.Unmarshal(data, &h) != nil {
		return h, false
	}
	return h, true
}

// saveHint writes the hint where the next recording finds it; failing to
// is no error (a read-only home costs the scan each time).
func saveHint(h layoutHint) {
	if h.Task == 0 && h.ThreadInfo == 0 && h.Regs == 0 {
		return
	}
	p, err := hintPath()
	if err != nil || !ownedByUs(filepath.Dir(p)) {
		return
	}
	data, err := json.Marshal(h)
	if err != nil {
		return
	}
	if os.MkdirAll(filepath.Dir(p), 0o755) != nil {
		return
	}
	atomicfile.Write(p, 0o644, func(w io.Writer) error { _, err := w.Write(data); return err })
}

// ownedByUs reports whether the nearest existing ancestor of dir (dir
// included) belongs to the effective user: under sudo, HOME may still be
// the invoking user's, and a root-owned cache there would be in their way.
func ownedByUs(dir string) bool {
	for {
		fi, err := os.Stat(dir)
		if err == nil {
			st, ok := fi.Sys().(*syscall.Stat_t)
			return ok && int(st.Uid) == os.Geteuid()
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return false
		}
		dir = parent
	}
}
