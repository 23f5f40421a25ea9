#!/usr/bin/env bash
# The eBPF recorder's in-kernel cost on the real-program workloads, from
# the kernel's own accounting rather than wall clocks (which move by ±5 %
# between runs on a shared VM). With kernel.bpf_stats_enabled, the kernel
# sums each program's run time; every workload runs under the recorder and
# under bench/tpfloor (an empty program on the same tracepoint), and the
# difference is the recorder's program body per call. The tracepoint path
# itself (the floor) is outside any program's run time: its per-call cost
# comes from the getppid loop, timed inside, with and without the empty
# program. Prints a markdown table; needs root.
#
#   bench/kernelcost.sh [REPS]    (default 3; medians)
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${1:-3}
export CGO_ENABLED=0
declare -A workloads
# shellcheck source=bench/workloads.sh
. bench/workloads.sh
build_tools

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# stats PROG_NAME_PATTERN CMD...: runs CMD (which runs the workload and
# then prints bpftool's line for the program) and prints "ns runs".
stats() {
	local pat=$1
	shift
	"$@" 2>/dev/null | grep -E "$pat" | grep -o 'run_time_ns [0-9]* run_cnt [0-9]*' | awk '{print $2, $4}' | tail -1
}

# The floor per call: 1 M getppid timed inside, natively and with the
# empty program, medians; before the accounting is switched on, as it
# costs a clock read or two per program run.
nat=() flo=()
for _ in $(seq 1 "$REPS"); do
	rm -f "$work/t.nat" "$work/t.flo"
	bin/timeit "$work/t.nat" bin/loop 1000000 >/dev/null
	bin/tpfloor bin/timeit "$work/t.flo" bin/loop 1000000 >/dev/null
	nat+=("$(cut -d' ' -f1 "$work/t.nat")") flo+=("$(cut -d' ' -f1 "$work/t.flo")")
done
n=$(printf '%s\n' "${nat[@]}" | median)
f=$(printf '%s\n' "${flo[@]}" | median)
floor=$(awk -v n="$n" -v f="$f" 'BEGIN {printf "%.0f", (f - n) / 1e6 * 1e9}')
echo "Tracepoint path (empty program vs none, 1 M getppid): ${floor} ns per call over $(awk -v n="$n" 'BEGIN {printf "%.0f", n * 1e3}') ns native."
echo

old=$(sysctl -n kernel.bpf_stats_enabled)
trap 'sysctl -q kernel.bpf_stats_enabled="$old"; rm -rf "$work"' EXIT
sysctl -q kernel.bpf_stats_enabled=1
echo "| workload | native | calls | program body per call | body, total | with the tracepoint path | share of native |"
echo "|---|---|---|---|---|---|---|"
for name in python git tar; do
	w=${workloads[$name]}
	printf '%s\n' "$w" >"$work/w.sh"
	body=() tot=() calls=() natt=()
	for _ in $(seq 1 "$REPS"); do
		rm -f "$work/t.n"
		bin/timeit "$work/t.n" /bin/bash "$work/w.sh" >/dev/null 2>&1
		natt+=("$(cut -d' ' -f1 "$work/t.n")")
		read -r rt rc < <(stats sys_enter_raw bin/profile record --backend ebpf --allow-incomplete -o "$work/p.yaml" -- /bin/bash -c "/bin/bash $work/w.sh >/dev/null 2>&1; bpftool prog show")
		read -r ft fc < <(stats 'raw_tracepoint +tag' bin/tpfloor /bin/bash -c "/bin/bash $work/w.sh >/dev/null 2>&1; bpftool prog show")
		# Per call: ours minus the empty program's (which is the
		# accounting's own overhead).
		b=$(awk -v rt="$rt" -v rc="$rc" -v ft="$ft" -v fc="$fc" 'BEGIN {printf "%.1f", rt / rc - ft / fc}')
		body+=("$b") calls+=("$rc")
		tot+=("$(awk -v b="$b" -v rc="$rc" 'BEGIN {printf "%.2f", b * rc / 1e6}')")
	done
	nb=$(printf '%s\n' "${natt[@]}" | median)
	bb=$(printf '%s\n' "${body[@]}" | median)
	cc=$(printf '%s\n' "${calls[@]}" | median)
	tt=$(printf '%s\n' "${tot[@]}" | median)
	all=$(awk -v t="$tt" -v c="$cc" -v f="$floor" 'BEGIN {printf "%.2f", t + c * f / 1e6}')
	printf '| %s | %.3f s | %s | %.0f ns | %s ms | %s ms | %s |\n' "$name" "$nb" "$cc" "$bb" "$tt" "$all" \
		"$(awk -v a="$all" -v n="$nb" 'BEGIN {printf "%.1f %%", a / 1e3 / n * 100}')"
done
