package generalize

import (
	"sort"

	"github.com/profile-dev/profile/internal/systab"
)

// harmlessBits are flag bits the balanced level adds to every learnt mask of
// their family: they change how a call behaves for the caller alone (close on
// exec, non-blocking, no controlling tty, refuse a symlink or a non-directory)
// and grant nothing, while whether a run sets them often depends on state
// (rm -rf opens with O_NOCTTY|O_NOFOLLOW only when the tree exists).
var harmlessBits = map[string][]string{
	"open":         {"O_CLOEXEC", "O_NONBLOCK", "O_NOCTTY", "O_NOFOLLOW", "O_DIRECTORY", "O_LARGEFILE"},
	"socktype":     {"SOCK_CLOEXEC", "SOCK_NONBLOCK"},
	"efd":          {"EFD_CLOEXEC", "EFD_NONBLOCK"},
	"tfd":          {"TFD_CLOEXEC", "TFD_NONBLOCK"},
	"mfd":          {"MFD_CLOEXEC"},
	"epoll_create": {"EPOLL_CLOEXEC"},
}

// valueGroups are enum values the balanced level treats as one capability:
// seeing one allows the group. Which member a run uses depends on timing or
// state, not on what the workload may do (a futex wake happens only when a
// thread waits; F_DUPFD_CLOEXEC or F_DUPFD is the same duplication).
var valueGroups = map[string][][]string{
	"fcntl": {
		{"F_DUPFD", "F_DUPFD_CLOEXEC", "F_GETFD", "F_SETFD", "F_GETFL", "F_SETFL"},
		{"F_GETLK", "F_SETLK", "F_SETLKW", "F_OFD_GETLK", "F_OFD_SETLK", "F_OFD_SETLKW"},
	},
	"futex": {
		{"FUTEX_WAIT", "FUTEX_WAKE", "FUTEX_WAIT_BITSET", "FUTEX_WAKE_BITSET",
			"FUTEX_WAIT_PRIVATE", "FUTEX_WAKE_PRIVATE", "FUTEX_WAIT_BITSET_PRIVATE", "FUTEX_WAKE_BITSET_PRIVATE"},
		{"FUTEX_REQUEUE", "FUTEX_CMP_REQUEUE", "FUTEX_WAKE_OP", "FUTEX_REQUEUE_PRIVATE", "FUTEX_CMP_REQUEUE_PRIVATE", "FUTEX_WAKE_OP_PRIVATE"},
		{"FUTEX_LOCK_PI", "FUTEX_UNLOCK_PI", "FUTEX_TRYLOCK_PI", "FUTEX_LOCK_PI2",
			"FUTEX_LOCK_PI_PRIVATE", "FUTEX_UNLOCK_PI_PRIVATE", "FUTEX_TRYLOCK_PI_PRIVATE", "FUTEX_LOCK_PI2_PRIVATE"},
	},
	"sighow": {{"SIG_BLOCK", "SIG_UNBLOCK", "SIG_SETMASK"}},
	"madv": {{"MADV_NORMAL", "MADV_RANDOM", "MADV_SEQUENTIAL", "MADV_WILLNEED", "MADV_DONTNEED", "MADV_FREE",
		"MADV_COLD", "MADV_PAGEOUT", "MADV_HUGEPAGE", "MADV_NOHUGEPAGE", "MADV_COLLAPSE"}},
	"clock": {{"CLOCK_REALTIME", "CLOCK_MONOTONIC", "CLOCK_PROCESS_CPUTIME_ID", "CLOCK_THREAD_CPUTIME_ID",
		"CLOCK_MONOTONIC_RAW", "CLOCK_REALTIME_COARSE", "CLOCK_MONOTONIC_COARSE", "CLOCK_BOOTTIME"}},
	"epoll_ctl": {{"EPOLL_CTL_ADD", "EPOLL_CTL_DEL", "EPOLL_CTL_MOD"}},
}

// widen adds, at the balanced level, the harmless bits of a flag family to
// the observed values and completes the value groups an enum touched.
func widen(arch *systab.Arch, info systab.ArgInfo, values []uint64) []uint64 {
	f, ok := systab.FamilyByName(arch, info.Family)
	if !ok {
		return values
	}
	seen := map[uint64]bool{}
	for _, v := range values {
		seen[v] = true
	}
	if info.Kind == systab.KindFlags {
		var extra uint64
		for _, n := range harmlessBits[info.Family] {
			if v, ok := f.Value(n); ok {
				extra |= v
			}
		}
		if extra != 0 {
			values = append(values, extra) // a mask is the OR of the values
		}
		return values
	}
	for _, g := range valueGroups[info.Family] {
		touched := false
		for _, n := range g {
			if v, ok := f.Value(n); ok && seen[v] {
				touched = true
			}
		}
		if !touched {
			continue
		}
		for _, n := range g {
			if v, ok := f.Value(n); ok && !seen[v] {
				seen[v] = true
				values = append(values, v)
			}
		}
	}
	sort.Slice(values, func(i, j int) bool { return values[i] < values[j] })
	return values
}
