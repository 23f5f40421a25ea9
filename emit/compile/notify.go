package compile

import "golang.org/x/net/bpf"

// RetUserNotif is SECCOMP_RET_USER_NOTIF: the kernel hands the call to the
// filter's listener, a supervisor process, and waits for its answer.
const RetUserNotif uint32 = 0x7fc00000

// NotifyNonAllow returns a copy of a compiled program in which every RET
// that refuses the call (errno, kill, trap, trace) returns RetUserNotif
// instead. RET_ALLOW and RET_LOG, which let the call run, are kept.
//
// This is the complain mode of profile check: the calls the profile
// permits stay in the kernel (still proven by its action cache where they
// were), and only the calls it would refuse reach a supervisor, which can
// let them continue and report them. Only RET constants change, never a
// jump or a load, so the program permits exactly what the original does.
func NotifyNonAllow(p *Program) *Program {
	out := &Program{
		Instructions: append([]bpf.Instruction(nil), p.Instructions...),
		comments:     append([]string(nil), p.comments...),
		labels:       p.labels,
		targets:      p.targets,
	}
	for i, ins := range out.Instructions {
		r, ok := ins.(bpf.RetConstant)
		if !ok || r.Val == RetAllow || r.Val == RetLog {
			continue
		}
		out.Instructions[i] = bpf.RetConstant{Val: RetUserNotif}
		if i < len(out.comments) {
			out.comments[i] = "user-notif (was " + out.comments[i] + ")"
		}
	}
	return out
}
