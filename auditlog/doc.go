// Package auditlog learns what a workload asked the kernel for from the
// kernel's audit records of seccomp decisions (type 1326, AUDIT_SECCOMP),
// as audit.log, journalctl -k or dmesg show them. A workload run elsewhere
// under a profile whose action is SCMP_ACT_LOG (or under any filter that
// logs) leaves one record per logged call; Read turns those records into a
// trace.Trace that generalize can learn from.
//
// Audit records carry the architecture (arch=, an AUDIT_ARCH value) and the
// raw syscall number (with the x32 bit, if any) but no arguments: every call
// has ArgMask 0, so a profile learnt from them can only allow syscalls by
// name. The auditd "SYSCALL=name" enrichment is checked against the tables
// when present. The package is pure: it parses text and never reads the
// kernel.
//
// Malformed seccomp records are reported with their line number and
// skipped; the rest of the input is still read. Lines that are not seccomp
// records are ignored.
package auditlog
