# The project's entry points. `make run` and `make test` are the README's two
# set-up commands on a fresh Debian machine with Go.

GO      ?= go
BIN     := bin
OUT     := out
PROFILE := $(BIN)/profile
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
export CGO_ENABLED := 0

.PHONY: all build run test test-short bench generate check-generate lint clean

all: build

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(PROFILE) ./cmd/profile
	$(GO) build -trimpath -o $(BIN)/demo ./examples/demo

# The demo: record a small program, summarise, emit every format into out/,
# run it again under the profile, then show a syscall it never made denied.
run: build
	@mkdir -p $(OUT)
	@echo "== record: $(PROFILE) record -o $(OUT)/demo.yaml --trace $(OUT)/demo.trace.json -- $(BIN)/demo examples/demo/words.txt"
	$(PROFILE) record -o $(OUT)/demo.yaml --trace $(OUT)/demo.trace.json -- $(BIN)/demo examples/demo/words.txt
	@echo "== the learnt profile ($(OUT)/demo.yaml):"
	@cat $(OUT)/demo.yaml
	@for f in oci bpf asm; do $(PROFILE) emit --format $$f -o $(OUT)/demo.$$f $(OUT)/demo.yaml || exit 1; done
	$(PROFILE) emit --format oci --runtime runc -o $(OUT)/demo.runc.json $(OUT)/demo.yaml
	@echo "== emitted:"; ls -l $(OUT)
	@echo "== run under the profile (succeeds):"
	$(PROFILE) run --profile $(OUT)/demo.yaml -- $(BIN)/demo examples/demo/words.txt
	@echo "== run under the profile, with one syscall the recording never saw (sysinfo), which gets EPERM:"
	@$(PROFILE) run --profile $(OUT)/demo.yaml -- $(BIN)/demo -extra examples/demo/words.txt 2>&1 | tee $(OUT)/denied.txt; \
	  grep -q 'sysinfo: operation not permitted' $(OUT)/denied.txt && echo "== sysinfo was denied with EPERM: the profile allows what the demo did, and nothing else."

# Tests run with the race detector; privileged tests run for real as root and
# skip elsewhere (PROFILE_TEST_PRIVILEGED=1 turns such a skip into a failure).
# CGO is needed by -race only.
test: lint check-generate
	CGO_ENABLED=1 $(GO) test -race -count=1 -timeout 12m ./...
	$(GO) test -count=1 -run '^$$' -fuzz FuzzParse -fuzztime 15s ./profiles
	$(GO) test -count=1 -run '^$$' -fuzz FuzzCompile -fuzztime 20s ./emit/compile
	$(GO) test -count=1 -run '^$$' -fuzz FuzzScanLayout -fuzztime 10s ./recorder/ebpf

test-short:
	$(GO) test -count=1 -short ./...

bench:
	$(GO) test -run '^$$' -bench . -benchtime 1x ./...
	@# The BPF compiler against libseccomp (when libseccomp-dev is installed) on ../shared/data/bench.
	@if [ -d ../shared/data/bench ]; then tags=""; [ -e /usr/include/seccomp.h ] && tags="-tags libseccomp"; CGO_ENABLED=1 $(GO) run $$tags ./bench/compiler -data ../shared/data/bench -kernel; else echo "bench/compiler: no ../shared/data/bench, skipped"; fi
	bench/backends.sh
	bench/kernelcost.sh

# The eBPF recorder's object is built by bpf2go (go tool bpf2go) with Debian 12's
# clang 14, llvm (llvm-strip) and libbpf-dev; .ci/run installs them.
generate:
	$(GO) generate ./...

# Regenerating must not change the tree: generated files are committed.
check-generate:
	@$(GO) generate ./... && git diff --exit-code -- $$(grep -l '^// Code generated .* DO NOT EDIT\.$$' $$(git ls-files '*.go')) $$(git ls-files '*.o') || (echo "generated files are stale: run make generate and commit" >&2; exit 1)

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); echo "gofmt: the files above need formatting" >&2; exit 1)
	$(GO) vet ./...
	@# One door to the kernel: only internal/unix imports x/sys/unix or unsafe.
	@bad=$$($(GO) list -f '{{.ImportPath}} {{join .Imports " "}}' ./... | grep -v '^github.com/profile-dev/profile/internal/unix ' | grep -E ' (golang.org/x/sys/unix|unsafe)( |$$)' | cut -d' ' -f1); \
	  test -z "$$bad" || (echo "only internal/unix may import x/sys/unix or unsafe; also: $$bad" >&2; exit 1)
	GOOS=darwin $(GO) build ./...
	GOARCH=arm64 $(GO) build ./...

clean:
	rm -rf $(BIN) $(OUT)
