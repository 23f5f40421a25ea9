// Command compiler benchmarks the BPF compiler against libseccomp on the
// policies and the workload of ../shared/data/bench: program length,
// workload-weighted mean instructions executed (with and without the
// kernel's action cache), worst path, and, with -kernel, the kernel's cost
// per call with each filter installed in a child process.
//
//	go run ./bench/compiler                      # ours only
//	CGO_ENABLED=1 go run -tags libseccomp ./bench/compiler -kernel
//
// The minijail figures, and libseccomp's as the data README measured them,
// are read from the README next to the data, not measured here.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"golang.org/x/net/bpf"

	"github.com/profile-dev/profile/emit/compile"
	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/profiles"
)

func main() {
	if os.Getenv(childEnv) != "" {
		os.Exit(kernelChild())
	}
	data := flag.String("data", "../shared/data/bench", "directory with A.policy, B.policy, C.policy and workload-trace.tsv")
	unknown := flag.Uint("unknown-errno", 38, "our profiles' unknownErrno (0: the default action, as libseccomp does)")
	kernel := flag.Bool("kernel", false, "also measure kernel ns per call, each filter installed in a child process")
	dump := flag.String("dump", "", "write each policy's profile (NAME.yaml) and our optimised program (NAME.asm) into this directory")
	flag.Parse()
	if err := run(os.Stdout, *data, uint16(*unknown), *kernel, *dump); err != nil {
		fmt.Fprintln(os.Stderr, "bench/compiler:", err)
		os.Exit(1)
	}
}

// entry is one compiler's program for one policy.
type entry struct {
	compiler string
	prog     []bpf.RawInstruction
	meaning  *profiles.Profile // what prog must answer on every workload row
	fig      Figures
	kernel   *kernelFigures
	// inKernelTable: measured in the kernel too (ours as shipped and
	// libseccomp's; the variants only in the instruction counts).
	inKernelTable bool
}

func run(w io.Writer, dir string, unknownErrno uint16, kernel bool, dump string) error {
	arch := systab.X86_64
	wf, err := os.Open(filepath.Join(dir, "workload-trace.tsv"))
	if err != nil {
		return err
	}
	rows, err := ParseWorkload(wf, arch)
	wf.Close()
	if err != nil {
		return err
	}
	counts := Counts(rows)
	ref, _ := readReference(filepath.Join(dir, "..", "README.md"))
	ver := libseccompVersion()
	fmt.Fprintf(w, "Workload: %d distinct calls, %d in all. Our profiles: unknownErrno %d, counts from the workload.\n", len(rows), total(rows), unknownErrno)
	if ver == "" {
		fmt.Fprintln(w, "libseccomp: not built in (CGO_ENABLED=1 go run -tags libseccomp ./bench/compiler)")
	} else {
		fmt.Fprintf(w, "libseccomp: %s, linked and run in this process.\n", ver)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| policy | compiler | length | mean | mean, cached | worst | cacheable | modelled ns/call |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|")
	var all [][]*entry
	for _, name := range []string{"A", "B", "C"} {
		pf, err := os.Open(filepath.Join(dir, name+".policy"))
		if err != nil {
			return err
		}
		pol, err := ParsePolicy(pf, arch)
		pf.Close()
		if err != nil {
			return fmt.Errorf("%s.policy: %w", name, err)
		}
		prof, err := pol.Profile(arch, counts, unknownErrno)
		if err != nil {
			return fmt.Errorf("%s.policy: %w", name, err)
		}
		// The policy format has no ENOSYS answer for numbers above the
		// table: compiled with unknownErrno equal to the default action,
		// ours means exactly what the peers' programs mean.
		plain, err := pol.Profile(arch, counts, 0)
		if err != nil {
			return fmt.Errorf("%s.policy: %w", name, err)
		}
		var es []*entry
		for _, c := range []struct {
			name string
			opts compile.Options
			prof *profiles.Profile
		}{
			{"ours", compile.Options{}, prof},
			{"ours, unknownErrno = default (the policy's own meaning)", compile.Options{}, plain},
			{"ours, unoptimised", compile.Options{Unoptimized: true}, prof},
			// The trade between the worst path and the mean: the dispatch
			// allowed one and two levels deeper than its default bound.
			{"ours, 1 level deeper", compile.Options{DeeperBy: 1}, prof},
			{"ours, 2 levels deeper", compile.Options{DeeperBy: 2}, prof},
		} {
			prog, err := compile.Compile(c.prof, c.opts)
			if err != nil {
				return fmt.Errorf("%s: %s: %w", name, c.name, err)
			}
			raw, err := prog.Raw()
			if err != nil {
				return err
			}
			if dump != "" && c.name == "ours" {
				if err := dumpProgram(dump, name, prof, prog); err != nil {
					return err
				}
			}
			es = append(es, &entry{compiler: c.name, prog: raw, meaning: c.prof, inKernelTable: c.name == "ours"})
		}
		if ver != "" {
			for _, c := range []struct {
				name string
				tree bool
			}{{"libseccomp " + ver + ", default", false}, {"libseccomp " + ver + ", binary tree", true}} {
				raw, err := libseccompCompile(pol, c.tree)
				if err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
				es = append(es, &entry{compiler: c.name, prog: raw, meaning: plain, inKernelTable: true})
			}
		}
		for _, e := range es {
			// Every program must give Evaluate's verdict on every row of the
			// workload: the figures compare equal meanings.
			verdict := func(r Row) uint32 {
				k, _ := compile.RetValue(profiles.Evaluate(e.meaning, arch.Audit, r.Nr, r.Args))
				return k
			}
			e.fig, err = Measure(e.prog, arch.Audit, rows, verdict)
			if err != nil {
				return fmt.Errorf("%s, %s: %w", name, e.compiler, err)
			}
			f := e.fig
			fmt.Fprintf(w, "| %s | %s | %d | %.2f | %.2f | %d | %d | %.1f |\n", name, e.compiler, f.Length, f.Mean, f.MeanCached, f.Worst, f.Cacheable, f.Modelled)
		}
		for _, r := range ref {
			f, ok := r.figs[name]
			if !ok {
				continue
			}
			cached := "-"
			if f.MeanCached > 0 {
				cached = fmt.Sprintf("%.1f", f.MeanCached)
			}
			fmt.Fprintf(w, "| %s | %s (README) | %d | %.1f | %s | %d | - | - |\n", name, r.compiler, f.Length, f.Mean, cached, f.Worst)
		}
		all = append(all, es)
	}
	if kernel {
		fmt.Fprintln(w)
		return kernelTable(w, []string{"A", "B", "C"}, all)
	}
	return nil
}

func total(rows []Row) uint64 {
	var n uint64
	for _, r := range rows {
		n += r.Count
	}
	return n
}

// reference is one compiler's row of the data README's table.
type reference struct {
	compiler string
	figs     map[string]Figures
}

var refCell = regexp.MustCompile(`^\s*(\d+) / ([\d.]+) / (\d+)\s*$`)

// readReference reads the README's "| compiler | A | B | C | C, cached |"
// table.
func readReference(path string) ([]reference, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []reference
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cells := strings.Split(strings.Trim(strings.TrimSpace(sc.Text()), "|"), "|")
		if len(cells) != 5 {
			continue
		}
		r := reference{compiler: strings.TrimSpace(cells[0]), figs: map[string]Figures{}}
		for i, name := range []string{"A", "B", "C"} {
			m := refCell.FindStringSubmatch(cells[1+i])
			if m == nil {
				continue
			}
			var f Figures
			fmt.Sscan(m[1], &f.Length)
			fmt.Sscan(m[2], &f.Mean)
			fmt.Sscan(m[3], &f.Worst)
			if name == "C" {
				fmt.Sscan(strings.TrimSpace(cells[4]), &f.MeanCached)
			}
			r.figs[name] = f
		}
		if len(r.figs) == 3 {
			out = append(out, r)
		}
	}
	return out, sc.Err()
}

// dumpProgram writes a policy's profile and our program's disassembly, so
// a figure can be traced to the instructions behind it.
func dumpProgram(dir, name string, prof *profiles.Profile, prog *compile.Program) error {
	y, err := profiles.Marshal(prof)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, name+".yaml"), y, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, name+".asm"), []byte(prog.Disassemble()), 0o644)
}
