package systab

import "fmt"

// MaxArgs is the number of argument registers seccomp_data carries.
const MaxArgs = 6

// Arg describes one syscall argument as the kernel declares it.
type Arg struct {
	// Name is the kernel's parameter name (filename, flags, ...).
	Name string
	// CType is the C type from the syscall's definition.
	CType string
	// Pointer is true for pointers into the caller's memory: seccomp sees
	// only the address, never what it points to.
	Pointer bool
	// Wide is true when the kernel reads all 64 bits of the register. A
	// narrow (int-typed) argument is truncated to its low 32 bits by the
	// kernel, so filters must compare only those.
	Wide bool
}

// Args returns what is known of a syscall's arguments on an architecture, in
// register order, or nil when the syscall takes none or is unknown. The
// tables describe x86-64; on a 32-bit ABI every argument is narrow, and
// syscalls that split a 64-bit value over two registers there are not
// described (their positions differ), so Args returns nil for names the
// table does not hold.
func Args(a *Arch, syscall string) []Arg {
	args := argTable[syscall]
	if args == nil || a.Bits == 64 {
		return args
	}
	narrow := make([]Arg, len(args))
	for i, arg := range args {
		arg.Wide = false
		narrow[i] = arg
	}
	return narrow
}

// ArgIndex resolves an argument by kernel name or index form ("a2") for a
// syscall. It returns an error naming the syscall's arguments when the name
// is unknown.
func ArgIndex(a *Arch, syscall, name string) (int, error) {
	var i int
	if _, err := fmt.Sscanf(name, "a%d", &i); err == nil && fmt.Sprintf("a%d", i) == name {
		if i < 0 || i >= MaxArgs {
			return 0, fmt.Errorf("argument %q: index above %d", name, MaxArgs-1)
		}
		return i, nil
	}
	args := Args(a, syscall)
	for i, arg := range args {
		if arg.Name == name {
			return i, nil
		}
	}
	names := make([]string, len(args))
	for i, arg := range args {
		names[i] = arg.Name
	}
	return 0, fmt.Errorf("argument %q: %s has no such argument (has %v, or a0..a5)", name, syscall, names)
}

// ArgWide reports whether argument i of a syscall is compared on 64 bits.
// Unknown arguments of a 64-bit ABI are wide: comparing more bits than the
// kernel reads can only deny more, never allow more.
func ArgWide(a *Arch, syscall string, i int) bool {
	if a.Bits == 32 {
		return false
	}
	args := Args(a, syscall)
	if i < len(args) {
		return args[i].Wide
	}
	return true
}
