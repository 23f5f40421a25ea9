package main

import (
	"fmt"

	"golang.org/x/net/bpf"

	"github.com/profile-dev/profile/emit/compile"
)

// Figures are one compiler's result on one policy.
type Figures struct {
	Length     int
	Mean       float64 // workload-weighted instructions executed per call
	MeanCached float64 // the same, calls the kernel's action cache answers counting 0
	Worst      int     // longest path through the program
	Cacheable  int     // native syscall numbers the action cache answers
	// Modelled is ns per call over no filter by the data README's cost
	// model: a call the action cache answers costs 11 ns, one that runs the
	// filter 26 ns plus 0.15 ns per instruction executed.
	Modelled float64
}

// The data README's kernel cost model.
const (
	cachedNs  = 11.0
	filterNs  = 26.0
	perInsnNs = 0.15
)

// Measure runs prog on every workload row through the counting interpreter
// and returns its figures; verdict, if not nil, must agree with the
// program on every row.
func Measure(prog []bpf.RawInstruction, audit uint32, rows []Row, verdict func(Row) uint32) (Figures, error) {
	f := Figures{Length: len(prog), Worst: compile.WorstPath(prog)}
	var total, sum, sumCached, ns float64
	for _, r := range rows {
		ret, steps, err := compile.Execute(prog, audit, r.Nr, r.Args)
		if err != nil {
			return Figures{}, err
		}
		if verdict != nil {
			if want := verdict(r); want != ret {
				return Figures{}, fmt.Errorf("%s%#x: program returns %#x, want %#x", r.Name, r.Args, ret, want)
			}
		}
		w := float64(r.Count)
		total += w
		sum += w * float64(steps)
		if compile.ActionCacheAllows(prog, audit, r.Nr) {
			ns += w * cachedNs
		} else {
			sumCached += w * float64(steps)
			ns += w * (filterNs + perInsnNs*float64(steps))
		}
	}
	for nr := uint32(0); nr < 512; nr++ {
		if compile.ActionCacheAllows(prog, audit, nr) {
			f.Cacheable++
		}
	}
	if total > 0 {
		f.Mean, f.MeanCached, f.Modelled = sum/total, sumCached/total, ns/total
	}
	return f, nil
}
