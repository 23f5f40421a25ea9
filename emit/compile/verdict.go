package compile

import (
	"fmt"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/profiles"
)

// SECCOMP_RET_* action values (linux/seccomp.h). The low 16 bits
// (SECCOMP_RET_DATA) carry the errno, the trace message or the trap's
// si_errno.
const (
	RetKillProcess uint32 = 0x80000000
	RetKillThread  uint32 = 0x00000000
	RetTrap        uint32 = 0x00030000
	RetErrno       uint32 = 0x00050000
	RetTrace       uint32 = 0x7ff00000
	RetLog         uint32 = 0x7ffc0000
	RetAllow       uint32 = 0x7fff0000
	RetDataMask    uint32 = 0x0000ffff
)

// normalize drops data an action does not carry, so that verdicts which
// behave the same compile (and compare) the same. RET_ALLOW in particular
// must be exactly 0x7fff0000: the kernel's action cache compares k with it.
func normalize(v profiles.Verdict) profiles.Verdict {
	switch v.Action {
	case profiles.ActErrno, profiles.ActTrace, profiles.ActTrap:
		return v
	}
	return profiles.Verdict{Action: v.Action}
}

// RetValue is the SECCOMP_RET_* value of a verdict.
func RetValue(v profiles.Verdict) (uint32, error) {
	v = normalize(v)
	d := uint32(v.Data)
	switch v.Action {
	case profiles.ActAllow:
		return RetAllow, nil
	case profiles.ActLog:
		return RetLog, nil
	case profiles.ActTrace:
		return RetTrace | d, nil
	case profiles.ActErrno:
		if v.Data > systab.MaxErrno {
			return 0, fmt.Errorf("verdict %s: errno above %d", v, systab.MaxErrno)
		}
		return RetErrno | d, nil
	case profiles.ActTrap:
		return RetTrap | d, nil
	case profiles.ActKillThread:
		return RetKillThread, nil
	case profiles.ActKillProcess:
		return RetKillProcess, nil
	}
	return 0, fmt.Errorf("verdict %s: unknown action", v)
}

// VerdictOf decodes a SECCOMP_RET_* value, the inverse of RetValue.
func VerdictOf(ret uint32) (profiles.Verdict, bool) {
	d := uint16(ret & RetDataMask)
	switch ret &^ RetDataMask {
	case RetAllow:
		return profiles.Allow, true
	case RetLog:
		return profiles.Verdict{Action: profiles.ActLog}, true
	case RetTrace:
		return profiles.Verdict{Action: profiles.ActTrace, Data: d}, true
	case RetErrno:
		return profiles.Errno(d), true
	case RetTrap:
		return profiles.Verdict{Action: profiles.ActTrap, Data: d}, true
	case RetKillThread:
		return profiles.Verdict{Action: profiles.ActKillThread}, true
	case RetKillProcess:
		return profiles.KillProcess, true
	}
	return profiles.Verdict{}, false
}
