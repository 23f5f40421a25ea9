#!/usr/bin/env bash
# Compares the recorders side by side in one run, as ratios to native:
# native, profile record --backend ebpf, --backend trace, strace -f, and a
# bpftrace one-liner counting the workload's syscalls by number in the
# kernel. Prints two markdown tables of medians over REPS interleaved runs:
# the workload's own time (bench/timeit inside each tool) and the
# end-to-end wall time.
# Needs root for ebpf and bpftrace (their columns read n/a otherwise).
#
#   bench/backends.sh [REPS]      (default 3)
#
# BENCH_WORKLOADS and BENCH_TOOLS (space-separated) pick a subset, e.g.
# BENCH_WORKLOADS="python git tar" BENCH_TOOLS=ebpf bench/backends.sh 9.
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${1:-3}
export CGO_ENABLED=0
declare -A workloads
# shellcheck source=bench/workloads.sh
. bench/workloads.sh
build_tools

# One run of a tool on a workload: appends the end-to-end wall time to
# $work/outer.KEY and, through bin/timeit running inside the tool, the
# workload's own time to $work/inner.KEY (a failed run appends "fail").
one() {
	local key=$1 s e
	shift
	s=$(date +%s.%N)
	if ! "$@" >/dev/null 2>&1; then
		echo fail >>"$work/outer.$key"
		echo fail >>"$work/inner.$key"
		return
	fi
	e=$(date +%s.%N)
	awk -v s="$s" -v e="$e" 'BEGIN {print e - s}' >>"$work/outer.$key"
}

median() { # file -> median, or "fail", or "n/a" when missing
	[ -s "$1" ] || { echo n/a; return; }
	if grep -q fail "$1"; then echo fail; return; fi
	# Column 1 is wall time (timeit adds CPU time as column 2).
	cut -d' ' -f1 "$1" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

cell() { # seconds native -> "1.23 s (4.5x)"
	case $1 in fail|n/a) echo "$1" ;; *) awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f s (%.2fx)", a, a / b}' ;; esac
}

read -ra names <<<"${BENCH_WORKLOADS:-getppid-2M pipe threads-4x500k fork-exec-500 python git tar}"
workloads+=(
	[getppid-2M]="bin/loop 2000000"
	[pipe]="dd if=$work/data bs=512 status=none | dd of=/dev/null bs=512 status=none"
	[threads-4x500k]="bin/threads 4 500000"
	[fork-exec-500]="i=0; while [ \$i -lt 500 ]; do /bin/true; i=\$((i+1)); done"
)
have() { command -v "$1" >/dev/null; }
# bpftrace's raw_syscalls tracepoint lives in tracefs.
mountpoint -q /sys/kernel/tracing 2>/dev/null || mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true

read -ra tools <<<"native ${BENCH_TOOLS:-floor ebpf trace strace bpftrace}"
for name in "${names[@]}"; do
	w=${workloads[$name]}
	printf '%s\n' "$w" >"$work/w.sh"
	# Interleaved: each repetition runs every tool once, so a slow
	# minute on this shared machine hits every column alike.
	# The order rotates between repetitions, so no tool always runs
	# right after another's start-up.
	for rep in $(seq 1 "$REPS"); do
		for t in $(seq 0 $((${#tools[@]} - 1))); do
			tool=${tools[$(((t + rep) % ${#tools[@]}))]}
			key=$name.$tool
			timed=(bin/timeit "$work/inner.$key" /bin/bash "$work/w.sh")
			case $tool in
			native) one "$key" "${timed[@]}" ;;
			floor) one "$key" bin/tpfloor "${timed[@]}" ;;
			ebpf | trace) one "$key" bin/profile record --backend "$tool" --allow-incomplete -o "$work/p.yaml" -- "${timed[@]}" ;;
			strace) have strace && one "$key" strace -f -qq -o /dev/null "${timed[@]}" ;;
			bpftrace)
				# -c runs the command (split on spaces); the filter follows
				# it and three levels of children (timeit, bash, and what
				# bash starts; pid == cpid alone would miss them).
				have bpftrace && one "$key" bpftrace -q -c "${timed[*]}" -e 'tracepoint:raw_syscalls:sys_enter /pid == cpid || curtask->real_parent->tgid == cpid || curtask->real_parent->real_parent->tgid == cpid || curtask->real_parent->real_parent->real_parent->tgid == cpid/ { @[args->id] = count(); } END { clear(@); }'
				;;
			esac
		done
	done
done

table() { # inner|outer
	local -A title=([floor]="empty sys_enter program" [ebpf]="eBPF recorder" [trace]="trace recorder" [strace]="strace -f" [bpftrace]=bpftrace)
	printf '| workload | native |'
	for tool in "${tools[@]:1}"; do printf ' %s |' "${title[$tool]}"; done
	printf '\n|---|---|'
	for _ in "${tools[@]:1}"; do printf -- '---|'; done
	echo
	for name in "${names[@]}"; do
		native=$(median "$work/$1.$name.native")
		printf '| %s | %.2f s |' "$name" "$native"
		for tool in "${tools[@]:1}"; do
			printf ' %s |' "$(cell "$(median "$work/$1.$name.$tool")" "$native")"
		done
		echo
	done
}
echo "Workload time (measured by bench/timeit inside each tool; what the workload itself is slowed by), medians of $REPS:"
echo
table inner
echo
echo "End to end (wall time of the whole command: the tool's start-up, the workload, writing the profile):"
echo
table outer
