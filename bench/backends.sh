#!/usr/bin/env bash
# Compares the recorders side by side in one run, as ratios to native:
# native, profile record --backend ebpf, --backend trace, strace -f, and a
# bpftrace one-liner counting the workload's syscalls by number in the
# kernel. Prints a markdown table of median wall times over REPS runs.
# Needs root for ebpf and bpftrace (their columns read n/a otherwise).
#
#   bench/backends.sh [REPS]      (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${1:-3}
export CGO_ENABLED=0
mkdir -p bin
go build -o bin/profile ./cmd/profile
go build -o bin/loop ./bench/loop
go build -o bin/threads ./bench/threads
declare -A workloads
# shellcheck source=bench/workloads.sh
. bench/workloads.sh

median() {
	local times=()
	for _ in $(seq 1 "$REPS"); do
		local s e
		s=$(date +%s.%N)
		if ! "$@" >/dev/null 2>&1; then echo fail; return; fi
		e=$(date +%s.%N)
		times+=("$(awk -v s="$s" -v e="$e" 'BEGIN {print e - s}')")
	done
	printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

cell() { # seconds native -> "1.23 s (4.5x)"
	case $1 in fail|n/a) echo "$1" ;; *) awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f s (%.2fx)", a, a / b}' ;; esac
}

names=(getppid-2M pipe threads-4x500k fork-exec-500 python git tar)
workloads+=(
	[getppid-2M]="bin/loop 2000000"
	[pipe]="dd if=$work/data bs=512 status=none | dd of=/dev/null bs=512 status=none"
	[threads-4x500k]="bin/threads 4 500000"
	[fork-exec-500]="i=0; while [ \$i -lt 500 ]; do /bin/true; i=\$((i+1)); done"
)
have() { command -v "$1" >/dev/null; }
# bpftrace's raw_syscalls tracepoint lives in tracefs.
mountpoint -q /sys/kernel/tracing 2>/dev/null || mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true

echo "| workload | native | eBPF recorder | trace recorder | strace -f | bpftrace |"
echo "|---|---|---|---|---|---|"
for name in "${names[@]}"; do
	w=${workloads[$name]}
	native=$(median bash -c "$w")
	ebpf=$(median bin/profile record --backend ebpf --allow-incomplete -o "$work/p.yaml" -- bash -c "$w")
	tr=$(median bin/profile record --backend trace --allow-incomplete -o "$work/p.yaml" -- bash -c "$w")
	st=n/a; have strace && st=$(median strace -f -qq -o /dev/null bash -c "$w")
	bpft=n/a
	if have bpftrace; then
		# -c runs the command; the filter follows it and two levels of
		# children (pid == cpid alone would miss them).
		printf '%s\n' "$w" > "$work/w.sh" # bpftrace -c splits its command on spaces
		bpft=$(median bpftrace -q -c "/bin/bash $work/w.sh" -e 'tracepoint:raw_syscalls:sys_enter /pid == cpid || curtask->real_parent->tgid == cpid || curtask->real_parent->real_parent->tgid == cpid/ { @[args->id] = count(); } END { clear(@); }')
	fi
	printf '| %s | %.2f s | %s | %s | %s | %s |\n' "$name" "$native" "$(cell "$ebpf" "$native")" "$(cell "$tr" "$native")" "$(cell "$st" "$native")" "$(cell "$bpft" "$native")"
done
