package recorder

import (
	"testing"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/trace"
)

func TestCaptureMask(t *testing.T) {
	for _, c := range []struct {
		arch *systab.Arch
		name string
		want trace.ArgMask
	}{
		{systab.X86_64, "read", 0},
		{systab.X86_64, "getppid", 0},
		{systab.X86_64, "futex", 1 << 1},
		// openat(dfd, filename*, flags, mode): flags and mode only.
		{systab.X86_64, "openat", 1<<2 | 1<<3},
		// mprotect(start, len, prot): not the address or the length,
		// which differ in every process.
		{systab.X86_64, "mprotect", 1 << 2},
		{systab.X86_64, "arch_prctl", 1 << 0},
		{systab.X86_64, "mmap", 1<<2 | 1<<3},
		{systab.X86_64, "getpriority", 1 << 0},
		{systab.X32, "getpriority", 1 << 0},
		{systab.I386, "socket", 1<<0 | 1<<1 | 1<<2},
	} {
		t.Run(c.arch.Name+"/"+c.name, func(t *testing.T) {
			nr, ok := c.arch.Nr(c.name)
			if !ok {
				t.Fatalf("no %s on %s", c.name, c.arch)
			}
			if got := CaptureMask(c.arch, nr); got != c.want {
				t.Errorf("CaptureMask = %06b, want %06b", got, c.want)
			}
		})
	}
	if got := CaptureMask(systab.X86_64, systab.X86_64.MaxNr()+10); got != trace.AllArgs {
		t.Errorf("unknown number: %06b, want all", got)
	}
}
