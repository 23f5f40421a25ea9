// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/* The eBPF recorder: counts every system call of the selected tasks in
 * kernel maps, so the workload never waits for user space.
 *
 * Selection: a task is recorded when its cgroup v2 (or an ancestor at
 * target_level) is target_cgroup (MODE_CGROUP), or when its thread group is
 * in the procs set, which sched_process_fork fills and sched_process_exit
 * empties (MODE_TGID).
 *
 * Aggregation: counts[arch][nr] counts every call; for the (arch, nr) whose
 * capture mask is not zero, calls also counts each distinct
 * (arch, nr, captured args). Anything that cannot be stored is counted in
 * stats, never dropped silently. */
#include "kernel.h"
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define MAX_ARGS 6
#define NR_SLOTS 1024 /* syscall numbers per arch held in counts */
#define X32_SYSCALL_BIT 0x40000000u
#define TS_COMPAT 0x0002u /* arch/x86/include/asm/thread_info.h */

/* Which ABI a call entered through. */
enum arch {
	ARCH_NATIVE = 0, /* x86_64 */
	ARCH_COMPAT = 1, /* i386: int 0x80, sysenter, 32-bit syscall */
	ARCH_X32 = 2,    /* x86_64 entry with __X32_SYSCALL_BIT in the number */
	ARCH_COUNT = 3,
};

/* How tasks are selected. */
enum select_mode {
	MODE_CGROUP = 0,
	MODE_TGID = 1,
};

/* Indexes into stats. */
enum stat_index {
	STAT_CALLS = 0,        /* calls of selected tasks, after the start */
	STAT_CALL_DROPS = 1,   /* captured calls the calls map had no room for */
	STAT_PROC_DROPS = 2,   /* forked processes the procs set had no room for */
	STAT_BEFORE_START = 3, /* calls before the workload's first execve */
	STAT_READ_FAILS = 4,   /* calls whose task or registers could not be read */
	STAT_COUNT = 5,
};

/* One distinct call: arguments outside argmask are zero. */
struct call_key {
	__u32 nr; /* as seccomp sees it: the x32 bit included */
	__u8 arch; /* enum arch */
	__u8 argmask;
	__u16 pad;
	__u64 args[MAX_ARGS];
};

/* Keep the enums in BTF, so bpf2go generates their Go constants. */
const enum arch *unused_arch __attribute__((unused));
const enum select_mode *unused_mode __attribute__((unused));
const enum stat_index *unused_stat __attribute__((unused));

/* Set by user space before loading. */
const volatile __u32 mode = MODE_CGROUP;
const volatile __u64 target_cgroup = 0;
const volatile __s32 target_level = 0;
const volatile __u32 wait_exec = 0; /* drop calls until the first native execve */
const volatile __u32 execve_nr = 0;
const volatile __u8 capture[ARCH_COUNT * NR_SLOTS]; /* argmask per (arch, nr) */

/* Set once the first execve was seen (wait_exec). */
__u32 started = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ARCH_COUNT * NR_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 65536); /* user space may resize */
	__type(key, struct call_key);
	__type(value, __u64);
} calls SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, STAT_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384); /* user space may resize */
	__type(key, __u32);
	__type(value, __u8);
} procs SEC(".maps");

static __always_inline void stat_add(__u32 i)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &i);
	if (v)
		*v += 1;
}

static __always_inline int selected(void)
{
	if (mode == MODE_CGROUP)
		return bpf_get_current_ancestor_cgroup_id(target_level) == target_cgroup;
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	return bpf_map_lookup_elem(&procs, &tgid) != NULL;
}

static __always_inline void count_args(struct call_key *k)
{
	__u64 *v = bpf_map_lookup_elem(&calls, k);
	if (v) {
		*v += 1;
		return;
	}
	__u64 one = 1;
	long err = bpf_map_update_elem(&calls, k, &one, BPF_NOEXIST);
	if (err == 0)
		return;
	/* Another CPU inserted it first: count on this CPU's slot. */
	v = bpf_map_lookup_elem(&calls, k);
	if (v) {
		*v += 1;
		return;
	}
	stat_add(STAT_CALL_DROPS);
}

/* The six argument registers of a call, as seccomp_data carries them. */
struct call_regs {
	__u64 a[MAX_ARGS];
};

/* abi_of says which ABI a call entered through: TS_COMPAT is what the
 * kernel's in_ia32_syscall() tests; x32 calls carry the x32 bit. */
static __always_inline __u32 abi_of(__u32 status, __u32 nr)
{
	if (status & TS_COMPAT)
		return ARCH_COMPAT;
	if (nr & X32_SYSCALL_BIT)
		return ARCH_X32;
	return ARCH_NATIVE;
}

/* record counts one call of a selected task in counts and sets the key's
 * number, arch and capture mask; a zero mask means nothing more to do (the
 * arguments are not kept, or the call came before the start). */
static __always_inline void record(__u32 nr, __u32 arch, struct call_key *k)
{
	if (wait_exec && !started) {
		if (arch != ARCH_NATIVE || nr != execve_nr) {
			stat_add(STAT_BEFORE_START);
			k->argmask = 0;
			return;
		}
		started = 1;
	}
	stat_add(STAT_CALLS);

	__u32 slot = arch == ARCH_X32 ? nr & ~X32_SYSCALL_BIT : nr;
	__u8 mask = 0x3f; /* numbers beyond the table: keep everything */
	if (slot < NR_SLOTS) {
		__u32 idx = arch * NR_SLOTS + slot;
		__u64 *c = bpf_map_lookup_elem(&counts, &idx);
		if (c)
			*c += 1;
		if (idx >= ARCH_COUNT * NR_SLOTS) /* for the verifier */
			mask = 0;
		else
			mask = capture[idx];
	}
	k->nr = nr;
	k->arch = arch;
	k->argmask = mask;
}

/* fill_regs puts the argument registers in seccomp_data's order: i386
 * calls pass them in bx, cx, dx, si, di, bp (32 bits), the others in di,
 * si, dx, r10, r8, r9. */
static __always_inline void fill_regs(struct call_regs *r, __u32 arch, __u64 bx, __u64 cx, __u64 dx, __u64 si,
				      __u64 di, __u64 bp, __u64 r10, __u64 r8, __u64 r9)
{
	if (arch == ARCH_COMPAT) {
		r->a[0] = (__u32)bx;
		r->a[1] = (__u32)cx;
		r->a[2] = (__u32)dx;
		r->a[3] = (__u32)si;
		r->a[4] = (__u32)di;
		r->a[5] = (__u32)bp;
	} else {
		r->a[0] = di;
		r->a[1] = si;
		r->a[2] = dx;
		r->a[3] = r10;
		r->a[4] = r8;
		r->a[5] = r9;
	}
}

static __always_inline void count_call(struct call_key *k, const struct call_regs *r)
{
#pragma unroll
	for (int i = 0; i < MAX_ARGS; i++)
		k->args[i] = (k->argmask & (1 << i)) ? r->a[i] : 0;
	count_args(k);
}

/* With kernel BTF: typed access to the task and the registers, relocated
 * by CO-RE. Used when the layouts below cannot be confirmed. */
SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter, struct pt_regs *regs, long id)
{
	if (!selected())
		return 0;
	__u32 nr = (__u32)id;
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 arch = abi_of(task->thread_info.status, nr);
	struct call_key k = {};
	record(nr, arch, &k);
	if (!k.argmask)
		return 0;
	struct call_regs r;
	fill_regs(&r, arch, regs->bx, regs->cx, regs->dx, regs->si, regs->di, regs->bp, regs->r10, regs->r8, regs->r9);
	count_call(&k, &r);
	return 0;
}

/* Without CO-RE: the kernel's x86-64 entry frame (arch/x86/include/asm/
 * ptrace.h), which user space confirms against the kernel's BTF before it
 * loads this program, and the offset of thread_info.status in task_struct,
 * which it reads from there. No kernel BTF is parsed by the loader, which
 * is most of the fixed cost of a recording. */
struct entry_regs {
	__u64 r15, r14, r13, r12, bp, bx, r11, r10, r9, r8, ax, cx, dx, si, di;
};

const volatile __u32 status_offset = 0;

SEC("raw_tracepoint/sys_enter")
int sys_enter_raw(struct bpf_raw_tracepoint_args *ctx)
{
	if (!selected())
		return 0;
	__u32 nr = (__u32)ctx->args[1];
	__u32 status = 0;
	if (bpf_probe_read_kernel(&status, sizeof(status), (void *)bpf_get_current_task() + status_offset)) {
		/* The ABI is unknown: counted as lost, never guessed. */
		stat_add(STAT_READ_FAILS);
		return 0;
	}
	__u32 arch = abi_of(status, nr);
	struct call_key k = {};
	record(nr, arch, &k);
	if (!k.argmask)
		return 0;
	struct entry_regs e;
	if (bpf_probe_read_kernel(&e, sizeof(e), (void *)ctx->args[0])) {
		/* Counted by number already; its arguments are lost. */
		stat_add(STAT_READ_FAILS);
		return 0;
	}
	struct call_regs r;
	fill_regs(&r, arch, e.bx, e.cx, e.dx, e.si, e.di, e.bp, e.r10, e.r8, e.r9);
	count_call(&k, &r);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(sched_process_fork, struct task_struct *parent, struct task_struct *child)
{
	if (mode != MODE_TGID)
		return 0;
	__u32 ptgid = parent->tgid, ctgid = child->tgid;
	if (ptgid == ctgid || !bpf_map_lookup_elem(&procs, &ptgid))
		return 0; /* a new thread, or not ours */
	__u8 one = 1;
	if (bpf_map_update_elem(&procs, &ctgid, &one, BPF_ANY))
		stat_add(STAT_PROC_DROPS);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(sched_process_exit, struct task_struct *task)
{
	if (mode != MODE_TGID)
		return 0;
	/* Only the last thread's exit ends the process; do_exit decrements
	 * live before this tracepoint. */
	if (task->signal->live.counter != 0)
		return 0;
	__u32 tgid = task->tgid;
	bpf_map_delete_elem(&procs, &tgid);
	return 0;
}
