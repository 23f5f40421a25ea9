//go:build linux

// Command demo is the small workload `make run` records: it counts the words
// of a file and prints the most frequent ones. With -extra it also asks the
// kernel for sysinfo(2), a syscall the recorded run never made, to show the
// learnt profile denying it.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"syscall"
)

func main() {
	extra := flag.Bool("extra", false, "also call sysinfo(2), which the recorded run never did")
	top := flag.Int("top", 5, "how many words to print")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: demo [-extra] [-top N] FILE")
		os.Exit(2)
	}
	counts, err := countWords(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
	printTop(counts, *top)
	if *extra {
		var info syscall.Sysinfo_t
		if err := syscall.Sysinfo(&info); err != nil {
			fmt.Fprintf(os.Stderr, "demo: sysinfo: %v (denied by the profile, as it should be)\n", err)
			os.Exit(1)
		}
		fmt.Printf("uptime: %ds\n", info.Uptime)
	}
}

func countWords(path string) (map[string]int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	counts := map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Split(bufio.ScanWords)
	for sc.Scan() {
		w := strings.ToLower(strings.Trim(sc.Text(), ".,;:!?\"'()"))
		if w != "" {
			counts[w]++
		}
	}
	return counts, sc.Err()
}

func printTop(counts map[string]int, n int) {
	words := make([]string, 0, len(counts))
	for w := range counts {
		words = append(words, w)
	}
	sort.Slice(words, func(i, j int) bool {
		if counts[words[i]] != counts[words[j]] {
			return counts[words[i]] > counts[words[j]]
		}
		return words[i] < words[j]
	})
	for i := 0; i < n && i < len(words); i++ {
		fmt.Printf("%5d %s\n", counts[words[i]], words[i])
	}
}
