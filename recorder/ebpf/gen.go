package ebpf

// The object and its Go bindings are committed; `make generate` rebuilds
// them byte for byte with Debian 12's clang 14, llvm (llvm-strip) and
// libbpf-dev (bpf_helpers.h). -I points at the multiarch directory of
// linux-libc-dev for <asm/types.h>.
//go:generate go tool bpf2go -cc clang -cflags "-O2 -g -Wall -Werror -I/usr/include/x86_64-linux-gnu" -target amd64 -type call_key -type arch -type select_mode -type stat_index recorder bpf/recorder.bpf.c
