#!/usr/bin/env bash
# Measures `profile record` against native and `strace -f`, side by side in
# one run, on a syscall-bound loop and on a git session. Prints a markdown
# table of median wall times over REPS runs and ratios to native.
#
#   bench/record-overhead.sh [REPS]      (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${1:-5}
export CGO_ENABLED=0
mkdir -p bin
go build -o bin/profile ./cmd/profile
go build -o bin/loop ./bench/loop
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

gitsession() {
	# A git session: init, 200 files in 20 commits, log, status, gc.
	local d=$1
	rm -rf "$d" && mkdir -p "$d" && cd "$d"
	git init -q . && git config user.name b && git config user.email b@example.com
	for c in $(seq 1 20); do
		for f in $(seq 1 10); do echo "$c $f" > "f$c-$f.txt"; done
		git add -A && git commit -qm "commit $c"
	done
	git log --oneline | wc -l >/dev/null
	git status --short >/dev/null
	git gc -q
}
export -f gitsession

# median of the wall seconds of REPS runs of "$@"
median() {
	local times=()
	for _ in $(seq 1 "$REPS"); do
		local s e
		s=$(date +%s.%N)
		"$@" >/dev/null 2>&1
		e=$(date +%s.%N)
		times+=("$(awk -v s="$s" -v e="$e" 'BEGIN {print e - s}')")
	done
	printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

div() { awk -v a="$1" -v b="$2" 'BEGIN {print a / b}'; }

declare -A workloads=(
	[loop]="bin/loop 2000000"
	[git]="bash -c 'gitsession $work/repo'"
)
have_strace=$(command -v strace || true)
printf '| workload | native s | profile record s | ratio | strace -f s | ratio |\n|---|---|---|---|---|---|\n'
for name in loop git; do
	w=${workloads[$name]}
	native=$(median bash -c "$w")
	rec=$(median bash -c "bin/profile record --allow-incomplete -o $work/p.yaml -- $w")
	if [ -n "$have_strace" ]; then
		st=$(median bash -c "strace -f -qq -o /dev/null $w")
		stratio=$(div "$st" "$native")
	else
		st=n/a stratio=0
	fi
	printf '| %s | %.3f | %.3f | %.2fx | %s | %.2fx |\n' "$name" "$native" "$rec" "$(div "$rec" "$native")" "$st" "$stratio"
done
