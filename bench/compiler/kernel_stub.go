package main

import (
	"fmt"
	"io"
)

const childEnv = "BENCH_COMPILER_CHILD"

type kernelFigures struct{}

func kernelChild() int { return 2 }

func kernelTable(w io.Writer, names []string, all [][]*entry) error {
	return fmt.Errorf("kernel timing: not written yet")
}
