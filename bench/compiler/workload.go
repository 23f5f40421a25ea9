package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/profile-dev/profile/internal/systab"
)

// Row is one aggregated workload entry: a syscall with its raw argument
// values, seen Count times.
type Row struct {
	Name  string
	Nr    uint32
	Args  [systab.MaxArgs]uint64
	Count uint64
}

// ParseWorkload reads workload-trace.tsv: "name a0..a5 count", '#'
// comments. Names arch does not know are an error: the trace was recorded
// there.
func ParseWorkload(r io.Reader, arch *systab.Arch) ([]Row, error) {
	var rows []Row
	sc := bufio.NewScanner(r)
	ln := 0
	for sc.Scan() {
		ln++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 2+systab.MaxArgs {
			return nil, fmt.Errorf("workload line %d: %d fields, want %d", ln, len(f), 2+systab.MaxArgs)
		}
		row := Row{Name: f[0]}
		nr, ok := arch.Nr(f[0])
		if !ok {
			return nil, fmt.Errorf("workload line %d: %s has no syscall %q", ln, arch, f[0])
		}
		row.Nr = nr
		for i := range row.Args {
			v, err := parseValue(f[1+i])
			if err != nil {
				return nil, fmt.Errorf("workload line %d: a%d: %w", ln, i, err)
			}
			row.Args[i] = v
		}
		c, err := strconv.ParseUint(f[1+systab.MaxArgs], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("workload line %d: count: %w", ln, err)
		}
		row.Count = c
		rows = append(rows, row)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("workload: %w", err)
	}
	return rows, nil
}

// Counts sums the rows per syscall name: the profile's count hints.
func Counts(rows []Row) map[string]uint64 {
	out := map[string]uint64{}
	for _, r := range rows {
		out[r.Name] += r.Count
	}
	return out
}
