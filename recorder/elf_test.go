//go:build linux

package recorder

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

// i386Prog writes a minimal static x86-64 ELF program that makes one i386
// call through int 0x80, getpriority(grandchildWho, PRIO_USER) (i386
// number 96), then exits 0 through the native exit_group. It needs no
// compiler: the few instructions are spelt out.
func i386Prog(t *testing.T) string {
	t.Helper()
	code := []byte{
		0xbb, grandchildWho & 0xff, grandchildWho >> 8, 0, 0, // mov ebx, which (the marker)
		0xb9, prioUser, 0, 0, 0, // mov ecx, who
		0xb8, 96, 0, 0, 0, // mov eax, __NR_getpriority (i386)
		0xcd, 0x80, // int 0x80
		0xb8, 231, 0, 0, 0, // mov eax, __NR_exit_group (x86-64)
		0x31, 0xff, // xor edi, edi
		0x0f, 0x05, // syscall
	}
	const base, ehsize, phsize = 0x400000, 64, 56
	size := uint64(ehsize + phsize + len(code))
	le := binary.LittleEndian
	b := []byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	b = le.AppendUint16(b, 2)    // ET_EXEC
	b = le.AppendUint16(b, 0x3e) // EM_X86_64
	b = le.AppendUint32(b, 1)
	b = le.AppendUint64(b, base+ehsize+phsize) // entry
	b = le.AppendUint64(b, ehsize)             // phoff
	b = le.AppendUint64(b, 0)                  // shoff
	b = le.AppendUint32(b, 0)
	b = le.AppendUint16(b, ehsize)
	b = le.AppendUint16(b, phsize)
	b = le.AppendUint16(b, 1) // phnum
	b = le.AppendUint16(b, 0)
	b = le.AppendUint16(b, 0)
	b = le.AppendUint16(b, 0)
	b = le.AppendUint32(b, 1) // PT_LOAD
	b = le.AppendUint32(b, 5) // R+X
	b = le.AppendUint64(b, 0)
	b = le.AppendUint64(b, base)
	b = le.AppendUint64(b, base)
	b = le.AppendUint64(b, size)
	b = le.AppendUint64(b, size)
	b = le.AppendUint64(b, 0x1000)
	b = append(b, code...)
	p := filepath.Join(t.TempDir(), "int80")
	if err := os.WriteFile(p, b, 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}
