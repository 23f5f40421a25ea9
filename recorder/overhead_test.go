//go:build linux

package recorder

import (
	"context"
	"os/exec"
	"testing"
	"time"
)

// BenchmarkGetppidLoop measures the cost of recording in the worst case, a
// workload that does nothing but make system calls: 200k getppid natively
// and under Record, in the same run, reported as native-ms, recorded-ms and
// their ratio x.
func BenchmarkGetppidLoop(b *testing.B) {
	argv := []string{"/proc/self/exe", helperArg, "getppid-loop", "200000"}
	for b.Loop() {
		start := time.Now()
		if err := exec.Command(argv[0], argv[1:]...).Run(); err != nil {
			b.Fatal(err)
		}
		native := time.Since(start)
		start = time.Now()
		res, err := Record(context.Background(), Options{Argv: argv, Backend: BackendTrace})
		if err != nil || res.ExitStatus != 0 {
			b.Fatalf("Record: %v, %+v", err, res)
		}
		recorded := time.Since(start)
		b.ReportMetric(float64(native.Milliseconds()), "native-ms")
		b.ReportMetric(float64(recorded.Milliseconds()), "recorded-ms")
		b.ReportMetric(float64(recorded)/float64(native), "x")
	}
}
