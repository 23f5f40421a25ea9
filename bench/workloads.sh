# Sourced by bench/backends.sh, bench/kernelcost.sh and bench/startup.sh:
# the real-program workloads they measure, and the scratch directory they
# work in ($work, removed on exit). Defines gitsession, build_tools and the
# python, git and tar entries of the associative array "workloads"
# (declared by the caller).

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -c 20000000 /dev/urandom > "$work/data"
mkdir -p "$work/tree" "$work/out" && for i in $(seq 1 300); do head -c 4096 /dev/urandom > "$work/tree/f$i"; done

# build_tools builds the profile binary and the benchmark helpers into bin/.
build_tools() {
	mkdir -p bin
	go build -o bin/profile ./cmd/profile
	local t
	for t in loop threads timeit tpfloor; do
		go build -o "bin/$t" "./bench/$t"
	done
}

gitsession() {
	local d=$1
	rm -rf "$d" && mkdir -p "$d" && cd "$d"
	git init -q . && git config user.name b && git config user.email b@example.com
	for c in $(seq 1 10); do
		for f in $(seq 1 10); do echo "$c $f" > "f$c-$f.txt"; done
		git add -A && git commit -qm "commit $c"
	done
	git log --oneline | wc -l >/dev/null
	git gc -q
}
export -f gitsession

workloads[python]="python3 -c 'import json, hashlib, os; [hashlib.sha256(json.dumps(sorted(os.listdir(\"/usr/lib\"))).encode()).hexdigest() for _ in range(2000)]'"
workloads[git]="gitsession $work/repo"
workloads[tar]="tar -C $work -cf - tree data | tar -C $work/out -xf -"
