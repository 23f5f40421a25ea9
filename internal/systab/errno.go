package systab

import (
	"sort"
	"strconv"
	"sync"
)

// MaxErrno is the largest errno a seccomp filter can return (SECCOMP_RET_DATA
// holds 16 bits, but the kernel caps errno at MAX_ERRNO).
const MaxErrno = 4095

var (
	errnoNamesOnce sync.Once
	errnoNames     map[uint16]string
)

// ErrnoByName returns the value of an errno name such as "EPERM".
func ErrnoByName(name string) (uint16, bool) {
	v, ok := errnoByName[name]
	return v, ok
}

// ErrnoName returns the canonical name of an errno value, or its decimal form.
func ErrnoName(v uint16) string {
	errnoNamesOnce.Do(func() {
		errnoNames = make(map[uint16]string, len(errnoByName))
		names := make([]string, 0, len(errnoByName))
		for n := range errnoByName {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			if _, dup := errnoNames[errnoByName[n]]; !dup {
				errnoNames[errnoByName[n]] = n
			}
		}
	})
	if n, ok := errnoNames[v]; ok {
		return n
	}
	return strconv.Itoa(int(v))
}
