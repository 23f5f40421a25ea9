/* The few kernel types the recorder reads, declared with
 * preserve_access_index so every field access is a CO-RE relocation that
 * libbpf-compatible loaders (cilium/ebpf) resolve against the running
 * kernel's BTF. Only the fields used are listed; their offsets here do not
 * matter. A generated vmlinux.h would tie the committed object to one
 * kernel build and make `make generate` depend on the machine. */
#ifndef PROFILE_KERNEL_H
#define PROFILE_KERNEL_H

#include <linux/types.h>

#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)

/* arch/x86/include/asm/ptrace.h */
struct pt_regs {
	unsigned long bp;
	unsigned long bx;
	unsigned long r10;
	unsigned long r9;
	unsigned long r8;
	unsigned long cx;
	unsigned long dx;
	unsigned long si;
	unsigned long di;
};

/* arch/x86/include/asm/thread_info.h: status holds TS_COMPAT while a task
 * is in an i386 (int 0x80 / sysenter / 32-bit syscall) entry. */
struct thread_info {
	__u32 status;
};

typedef struct {
	int counter;
} atomic_t;

struct signal_struct {
	atomic_t live; /* threads not yet past do_exit's group_dead test */
};

struct task_struct {
	struct thread_info thread_info;
	int pid;
	int tgid;
	struct signal_struct *signal;
};

#pragma clang attribute pop

#endif
