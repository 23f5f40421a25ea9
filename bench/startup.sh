#!/usr/bin/env bash
# Splits the eBPF recorder's overhead on short real programs into its fixed
# part (start-up and shutdown, measured on /bin/true) and its per-call part.
# Every workload runs natively and under each given profile binary (e.g. a
# build before and after a change), interleaved, REPS times; prints median
# wall times, ratios to native, the calls recorded, and the overhead per
# call once the fixed part is taken away. Needs root.
#
#   bench/startup.sh [REPS] [PROFILE_BIN...]   (default 7, bin/profile)
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${1:-7}
shift || true
export CGO_ENABLED=0
if [ $# -eq 0 ]; then
	mkdir -p bin && go build -o bin/profile ./cmd/profile
	set -- bin/profile
fi
bins=("$@")
declare -A workloads
# shellcheck source=bench/workloads.sh
. bench/workloads.sh

names=(true python git tar)
workloads[true]="/bin/true"

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A t calls
for name in "${names[@]}"; do
	w=${workloads[$name]}
	for _ in $(seq 1 "$REPS"); do
		s=$(now); bash -c "$w" >/dev/null 2>&1; e=$(now)
		t[$name,native]+="$(awk -v s="$s" -v e="$e" 'BEGIN {print e - s}') "
		for i in "${!bins[@]}"; do
			s=$(now)
			"${bins[$i]}" record --backend ebpf --allow-incomplete -o "$work/p.yaml" --trace "$work/t.json" -- bash -c "$w" >/dev/null 2>&1
			e=$(now)
			t[$name,$i]+="$(awk -v s="$s" -v e="$e" 'BEGIN {print e - s}') "
		done
	done
	calls[$name]=$(python3 -c 'import json,sys; print(sum(c.get("count", 1) for c in json.load(open(sys.argv[1]))["calls"]))' "$work/t.json" 2>/dev/null || echo "?")
done

printf '| workload | calls | native |'
for b in "${bins[@]}"; do printf ' %s |' "$b"; done
printf ' per call (last) |\n|---|---|---|'
for _ in "${bins[@]}"; do printf -- '---|'; done
printf -- '---|\n'
last=$((${#bins[@]} - 1))
fixed=$(awk -v a="$(tr ' ' '\n' <<<"${t[true,$last]}" | grep . | median)" -v b="$(tr ' ' '\n' <<<"${t[true,native]}" | grep . | median)" 'BEGIN {print a - b}')
for name in "${names[@]}"; do
	n=$(tr ' ' '\n' <<<"${t[$name,native]}" | grep . | median)
	printf '| %s | %s | %.3f s |' "$name" "${calls[$name]}" "$n"
	for i in "${!bins[@]}"; do
		m=$(tr ' ' '\n' <<<"${t[$name,$i]}" | grep . | median)
		printf ' %.3f s (%.2fx) |' "$m" "$(awk -v a="$m" -v b="$n" 'BEGIN {print a / b}')"
	done
	m=$(tr ' ' '\n' <<<"${t[$name,$last]}" | grep . | median)
	awk -v m="$m" -v n="$n" -v f="$fixed" -v c="${calls[$name]}" 'BEGIN { if (c + 0 > 0) printf " %.0f ns |\n", (m - n - f) / c * 1e9; else print " ? |" }'
done
echo "fixed part (last binary, /bin/true minus native): $(awk -v f="$fixed" 'BEGIN {printf "%.3f s", f}')"
