package auditlog

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/trace"
)

// Backend is the trace provenance backend of a trace read from audit logs.
const Backend = "audit"

// ErrNoRecords is returned when an input holds no usable seccomp record.
var ErrNoRecords = errors.New("no seccomp audit records")

// LineError is a seccomp record Read could not use. It was skipped.
type LineError struct {
	File string
	Line int
	Msg  string
}

func (e *LineError) Error() string {
	return e.File + ":" + strconv.Itoa(e.Line) + ": " + e.Msg
}

// Result is what Read found.
type Result struct {
	Trace *trace.Trace
	// Records is how many seccomp records were used.
	Records int
	// Skipped are the malformed seccomp records, in input order.
	Skipped []*LineError
}

// lossMarkers are kernel and auditd messages saying records were dropped:
// the trace is then incomplete.
var lossMarkers = []string{"callbacks suppressed", "rate limit exceeded", "backlog limit exceeded", "audit_lost=", "lost="}

// Read parses audit text (audit.log, journalctl -k or dmesg output) and
// returns the seccomp calls it records. name labels errors. Only an error
// reading r is returned as an error; bad records are in Result.Skipped.
func Read(r io.Reader, name string) (*Result, error) {
	res := &Result{}
	b := trace.NewBuilder()
	t := &trace.Trace{Version: trace.Version, Complete: true, Provenance: trace.Provenance{Backend: Backend, ExitStatus: -1}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	var first, last float64 = math.Inf(1), math.Inf(-1)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if !isSeccomp(text) {
			if lossLine(text) {
				t.Complete = false
				t.Gaps = appendOnce(t.Gaps, fmt.Sprintf("%s:%d: the kernel or auditd dropped records: %s", name, line, strings.TrimSpace(text)))
			}
			continue
		}
		rec, err := parseRecord(text)
		if err != nil {
			res.Skipped = append(res.Skipped, &LineError{File: name, Line: line, Msg: err.Error()})
			continue
		}
		b.Add(trace.Key{Arch: rec.arch.Name, Nr: rec.nr}, 1)
		res.Records++
		if rec.time > 0 {
			first, last = math.Min(first, rec.time), math.Max(last, rec.time)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if res.Records == 0 {
		return nil, fmt.Errorf("%s: %w", name, ErrNoRecords)
	}
	if !math.IsInf(first, 0) {
		t.Provenance.Start, t.Provenance.End = unixTime(first), unixTime(last)
	}
	t.Calls = b.Calls()
	res.Trace = t
	return res, nil
}

func appendOnce(ss []string, s string) []string {
	for _, x := range ss {
		if x == s {
			return ss
		}
	}
	return append(ss, s)
}

func unixTime(f float64) time.Time {
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(math.Round(frac*1e3))*1e6).UTC()
}

// isSeccomp recognises a seccomp record in any of the three formats.
func isSeccomp(line string) bool {
	return strings.Contains(line, "type=1326 ") || strings.Contains(line, "type=SECCOMP ")
}

func lossLine(line string) bool {
	if !strings.Contains(line, "audit") {
		return false
	}
	for _, m := range lossMarkers {
		if strings.Contains(line, m) && !strings.Contains(line, m+"0 ") && !strings.HasSuffix(line, m+"0") {
			return true
		}
	}
	return false
}

type record struct {
	arch *systab.Arch
	nr   uint32
	time float64
}

// parseRecord reads the fields of one seccomp record.
func parseRecord(line string) (record, error) {
	var rec record
	f := fields(line)
	archHex, ok := f["arch"]
	if !ok {
		return rec, errors.New("seccomp record without arch=")
	}
	audit, err := strconv.ParseUint(archHex, 16, 32)
	if err != nil {
		return rec, fmt.Errorf("arch=%s: not a hexadecimal AUDIT_ARCH value", archHex)
	}
	nrText, ok := f["syscall"]
	if !ok {
		return rec, errors.New("seccomp record without syscall=")
	}
	nr, err := strconv.ParseUint(nrText, 10, 32)
	if err != nil {
		return rec, fmt.Errorf("syscall=%s: not a syscall number", nrText)
	}
	arch, ok := systab.ArchOf(uint32(audit), uint32(nr))
	if !ok {
		return rec, fmt.Errorf("arch=%s: unknown architecture", archHex)
	}
	if want, ok := f["SYSCALL"]; ok {
		if got, known := arch.SyscallName(uint32(nr)); known && got != want {
			return rec, fmt.Errorf("SYSCALL=%s, but %s syscall %d is %s", want, arch.Name, nr, got)
		}
	}
	rec.arch, rec.nr = arch, uint32(nr)
	rec.time = stamp(line)
	return rec, nil
}

// fields splits the key=value pairs of a record; quoted values may hold
// spaces. The last occurrence of a key wins, which matters for audit.log
// lines whose enrichment repeats a field in upper case (a separate key).
func fields(line string) map[string]string {
	out := map[string]string{}
	for i := 0; i < len(line); {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t' || line[i] == '\x1d') {
			i++
		}
		start := i
		for i < len(line) && line[i] != '=' && line[i] != ' ' && line[i] != '\x1d' {
			i++
		}
		if i >= len(line) || line[i] != '=' {
			continue
		}
		key := line[start:i]
		i++
		var val string
		if i < len(line) && (line[i] == '"' || line[i] == '\'') {
			q := line[i]
			end := strings.IndexByte(line[i+1:], q)
			if end < 0 {
				val, i = line[i+1:], len(line)
			} else {
				val, i = line[i+1:i+1+end], i+2+end
			}
		} else {
			vs := i
			for i < len(line) && line[i] != ' ' && line[i] != '\x1d' {
				i++
			}
			val = line[vs:i]
		}
		out[key] = val
	}
	return out
}

// stamp reads the seconds of "audit(1700000000.123:456)", or 0.
func stamp(line string) float64 {
	i := strings.Index(line, "audit(")
	if i < 0 {
		return 0
	}
	rest := line[i+len("audit("):]
	j := strings.IndexByte(rest, ':')
	if j < 0 {
		return 0
	}
	v, err := strconv.ParseFloat(rest[:j], 64)
	if err != nil {
		return 0
	}
	return v
}
