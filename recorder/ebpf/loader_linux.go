//go:build linux && amd64

package ebpf

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"

	cebpf "github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
	"github.com/cilium/ebpf/features"
	"github.com/cilium/ebpf/link"
	"github.com/cilium/ebpf/rlimit"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/trace"
)

const nrSlots = 1024 // NR_SLOTS in the C program

// Recorder is a loaded and attached recording program.
type Recorder struct {
	objs  recorderObjects
	links []link.Link
	cfg   Config
	ncpu  int
	// raw says the raw sys_enter program runs (SysEnterRaw); why says why
	// the CO-RE one does otherwise.
	raw bool
	why string
}

// Program says which sys_enter program records, and why.
func (r *Recorder) Program() string {
	if r.raw {
		return "raw_tracepoint/sys_enter"
	}
	return "tp_btf/sys_enter (CO-RE: " + r.why + ")"
}

// arches maps the program's enum arch to the trace's ABIs.
var arches = [recorderArchARCH_COUNT]*systab.Arch{
	recorderArchARCH_NATIVE: systab.X86_64,
	recorderArchARCH_COMPAT: systab.I386,
	recorderArchARCH_X32:    systab.X32,
}

// Open loads the program for a target and attaches it: from its return on,
// every call of the selected tasks is counted. Close detaches it.
func Open(cfg Config, t Target) (*Recorder, error) {
	if cfg.MaxCalls <= 0 {
		cfg.MaxCalls = DefaultMaxCalls
	}
	if cfg.MaxProcs <= 0 {
		cfg.MaxProcs = DefaultMaxProcs
	}
	if (t.Cgroup == "") == (t.PID == 0) {
		return nil, errors.New("ebpf: want exactly one of a cgroup and a pid")
	}
	if err := checkKernel(); err != nil {
		return nil, err
	}
	r := &Recorder{cfg: cfg}
	// The raw program needs two facts from the kernel's BTF, read in one
	// streaming pass; the CO-RE one needs it parsed whole (the largest
	// fixed cost of a load), which the fork and exit hooks of process mode
	// need anyway.
	type scanned struct {
		layout kernelLayout
		err    error
	}
	var scan chan scanned
	switch {
	case cfg.ForceCORE:
		r.why = "asked for"
	case t.PID != 0:
		r.why = "process mode follows forks with typed hooks"
	default:
		// Read while the object is parsed.
		scan = make(chan scanned, 1)
		go func() {
			l, err := readKernelLayout()
			scan <- scanned{l, err}
		}()
	}
	types := btf.NewCache()
	if scan == nil {
		// Parsed on another goroutine while the maps are created; the
		// program load waits for it through the shared cache.
		go types.Kernel() // an error comes back again from the load
	}
	spec, err := loadRecorder()
	if err != nil {
		return nil, fmt.Errorf("ebpf: %w", err)
	}
	if err := configure(spec, cfg, t); err != nil {
		return nil, err
	}
	if scan != nil {
		if got := <-scan; got.err != nil {
			r.why = got.err.Error()
			go types.Kernel()
		} else {
			r.raw = true
			if err := spec.Variables[recorderVarStatusOffset].Set(got.layout.statusOffset); err != nil {
				return nil, fmt.Errorf("ebpf: set %s: %w", recorderVarStatusOffset, err)
			}
		}
	}
	// Before 5.11 maps are charged to RLIMIT_MEMLOCK.
	rlimit.RemoveMemlock()
	opts := &cebpf.CollectionOptions{Cache: types}
	err = r.load(spec, t, opts)
	if err != nil && r.raw {
		// A kernel that refuses the raw program (no probe reads, say)
		// may still take the CO-RE one.
		r.raw, r.why = false, fmt.Sprintf("the raw program did not load: %v", err)
		err = r.load(spec, t, opts)
	}
	var ve *cebpf.VerifierError
	if errors.As(err, &ve) {
		// A kernel that wants preallocated hashes in tracing programs
		// (PREEMPT_RT before 6.1) gets one, at the cost of its creation.
		spec.Maps[recorderMapCalls].Flags &^= features.BPF_F_NO_PREALLOC
		err = r.load(spec, t, opts)
	}
	if err != nil {
		return nil, loadError(err)
	}
	if r.ncpu, err = cebpf.PossibleCPU(); err != nil {
		r.Close()
		return nil, fmt.Errorf("ebpf: %w", err)
	}
	if t.PID != 0 {
		// Follow forks before seeding, so no child falls between the two.
		if err := r.attach(r.objs.SchedProcessFork, r.objs.SchedProcessExit); err != nil {
			return nil, err
		}
		if err := r.seed(t.PID); err != nil {
			r.Close()
			return nil, err
		}
	}
	if r.raw {
		l, err := link.AttachRawTracepoint(link.RawTracepointOptions{Name: "sys_enter", Program: r.objs.SysEnterRaw})
		if err != nil {
			r.Close()
			return nil, attachError(r.objs.SysEnterRaw, err)
		}
		r.links = append(r.links, l)
		return r, nil
	}
	if err := r.attach(r.objs.SysEnter); err != nil {
		return nil, err
	}
	return r, nil
}

// load creates the maps and loads the programs the mode runs (each is
// relocated and verified): the fork and exit hooks serve process mode alone.
func (r *Recorder) load(spec *cebpf.CollectionSpec, t Target, opts *cebpf.CollectionOptions) error {
	if t.PID != 0 {
		var objs struct {
			SysEnter         *cebpf.Program `ebpf:"sys_enter"`
			SchedProcessFork *cebpf.Program `ebpf:"sched_process_fork"`
			SchedProcessExit *cebpf.Program `ebpf:"sched_process_exit"`
			recorderMaps
			recorderVariables
		}
		if err := spec.LoadAndAssign(&objs, opts); err != nil {
			return err
		}
		r.objs.SysEnter, r.objs.SchedProcessFork, r.objs.SchedProcessExit = objs.SysEnter, objs.SchedProcessFork, objs.SchedProcessExit
		r.objs.recorderMaps, r.objs.recorderVariables = objs.recorderMaps, objs.recorderVariables
		return nil
	}
	if r.raw {
		var objs struct {
			SysEnterRaw *cebpf.Program `ebpf:"sys_enter_raw"`
			recorderMaps
			recorderVariables
		}
		if err := spec.LoadAndAssign(&objs, opts); err != nil {
			return err
		}
		r.objs.SysEnterRaw, r.objs.recorderMaps, r.objs.recorderVariables = objs.SysEnterRaw, objs.recorderMaps, objs.recorderVariables
		return nil
	}
	var objs struct {
		SysEnter *cebpf.Program `ebpf:"sys_enter"`
		recorderMaps
		recorderVariables
	}
	if err := spec.LoadAndAssign(&objs, opts); err != nil {
		return err
	}
	r.objs.SysEnter, r.objs.recorderMaps, r.objs.recorderVariables = objs.SysEnter, objs.recorderMaps, objs.recorderVariables
	return nil
}

func configure(spec *cebpf.CollectionSpec, cfg Config, t Target) error {
	spec.Maps[recorderMapCalls].MaxEntries = uint32(cfg.MaxCalls)
	// Allocated as entries come, not all at creation: preallocating 65,536
	// per-CPU entries took ~50 ms on 2 CPUs (and grows with the CPUs), the
	// largest fixed cost of a recording. Only a distinct call's first
	// sighting allocates (from a per-CPU cache, 6.1+); a failed allocation
	// is counted as a drop like a full map, never lost silently.
	spec.Maps[recorderMapCalls].Flags |= features.BPF_F_NO_PREALLOC
	spec.Maps[recorderMapProcs].MaxEntries = uint32(cfg.MaxProcs)
	if t.PID == 0 {
		// The process set is unused outside process mode; a preallocated
		// hash costs its size at creation.
		spec.Maps[recorderMapProcs].MaxEntries = 1
	}
	execve, _ := systab.X86_64.Nr("execve")
	var capture [int(recorderArchARCH_COUNT) * nrSlots]uint8
	for ai, a := range arches {
		for slot := range nrSlots {
			m := trace.AllArgs
			if cfg.Capture != nil {
				m = cfg.Capture(a, uint32(slot)|a.NrBase)
			}
			capture[ai*nrSlots+slot] = uint8(m & trace.AllArgs)
		}
	}
	set := map[string]any{
		recorderVarCapture:  capture,
		recorderVarExecveNr: execve,
		recorderVarWaitExec: boolU32(t.WaitExec),
	}
	if t.Cgroup != "" {
		id, level, err := cgroupTarget(t.Cgroup)
		if err != nil {
			return err
		}
		set[recorderVarMode] = uint32(recorderSelectModeMODE_CGROUP)
		set[recorderVarTargetCgroup] = id
		set[recorderVarTargetLevel] = int32(level)
	} else {
		set[recorderVarMode] = uint32(recorderSelectModeMODE_TGID)
	}
	for _, name := range []string{recorderVarCapture, recorderVarExecveNr, recorderVarWaitExec, recorderVarMode, recorderVarTargetCgroup, recorderVarTargetLevel} {
		v, ok := set[name]
		if !ok {
			continue
		}
		if err := spec.Variables[name].Set(v); err != nil {
			return fmt.Errorf("ebpf: set %s: %w", name, err)
		}
	}
	return nil
}

func boolU32(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}

// checkKernel gives the reasons a load would fail with a clearer message
// than the verifier's.
func checkKernel() error {
	if _, err := os.Stat("/sys/kernel/btf/vmlinux"); err != nil {
		return fmt.Errorf("%w: the kernel exposes no BTF (/sys/kernel/btf/vmlinux; CONFIG_DEBUG_INFO_BTF)", ErrNotSupported)
	}
	if b, err := os.ReadFile("/sys/kernel/security/lockdown"); err == nil && strings.Contains(string(b), "[confidentiality]") {
		return fmt.Errorf("%w: the kernel is locked down (confidentiality)", ErrNotSupported)
	}
	return nil
}

func loadError(err error) error {
	if errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.EACCES) {
		return fmt.Errorf("ebpf: load: %w: %w", ErrPermission, err)
	}
	var ve *cebpf.VerifierError
	if errors.As(err, &ve) {
		return fmt.Errorf("ebpf: load: %w: %+v", ErrNotSupported, ve)
	}
	if errors.Is(err, cebpf.ErrNotSupported) || errors.Is(err, syscall.EINVAL) {
		return fmt.Errorf("ebpf: load: %w: %w", ErrNotSupported, err)
	}
	return fmt.Errorf("ebpf: load: %w", err)
}

func (r *Recorder) attach(progs ...*cebpf.Program) error {
	for _, p := range progs {
		l, err := link.AttachTracing(link.TracingOptions{Program: p})
		if err != nil {
			r.Close()
			return attachError(p, err)
		}
		r.links = append(r.links, l)
	}
	return nil
}

func attachError(p *cebpf.Program, err error) error {
	if errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.EACCES) {
		return fmt.Errorf("ebpf: attach %s: %w: %w", p, ErrPermission, err)
	}
	return fmt.Errorf("ebpf: attach %s: %w: %w", p, ErrNotSupported, err)
}

// seed puts pid and its descendants in the process set. A pass over /proc
// adds every descendant of a seeded process; passes repeat until one adds
// nothing. A process forked after its parent was seeded is added by the
// kernel; one forked before exists when the next pass starts.
func (r *Recorder) seed(pid int) error {
	seeded := map[int]bool{}
	add := func(p int) error {
		if err := r.objs.Procs.Put(uint32(p), uint8(1)); err != nil {
			return fmt.Errorf("ebpf: follow process %d: %w", p, err)
		}
		seeded[p] = true
		return nil
	}
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return fmt.Errorf("ebpf: process %d: %w", pid, err)
	}
	if err := add(pid); err != nil {
		return err
	}
	for {
		parents := procParents()
		added := 0
		// Walk down from the seeded set until a fixed point.
		for changed := true; changed; {
			changed = false
			for p, pp := range parents {
				if !seeded[p] && seeded[pp] {
					if err := add(p); err != nil {
						return err
					}
					changed = true
					added++
				}
			}
		}
		if added == 0 {
			return nil
		}
	}
}

// procParents maps every live process to its parent.
func procParents() map[int]int {
	out := map[int]int{}
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return out
	}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) < 2 {
			continue
		}
		if ppid, err := strconv.Atoi(f[1]); err == nil {
			out[pid] = ppid
		}
	}
	return out
}

// Close detaches the program and frees its maps.
func (r *Recorder) Close() error {
	var errs []error
	for _, l := range r.links {
		errs = append(errs, l.Close())
	}
	r.links = nil
	errs = append(errs, r.objs.Close())
	return errors.Join(errs...)
}

// Detach stops counting; the maps stay readable until Close.
func (r *Recorder) Detach() error {
	var errs []error
	for _, l := range r.links {
		errs = append(errs, l.Close())
	}
	r.links = nil
	return errors.Join(errs...)
}

func sum(v []uint64) uint64 {
	var n uint64
	for _, x := range v {
		n += x
	}
	return n
}

// Counters reads the kernel's counters alone.
func (r *Recorder) Counters() (Stats, error) {
	var s Stats
	for i, dst := range []*uint64{
		recorderStatIndexSTAT_CALLS: &s.Calls, recorderStatIndexSTAT_CALL_DROPS: &s.CallDrops,
		recorderStatIndexSTAT_PROC_DROPS: &s.ProcDrops, recorderStatIndexSTAT_BEFORE_START: &s.BeforeStart,
		recorderStatIndexSTAT_READ_FAILS: &s.ReadFails,
	} {
		var v []uint64
		if err := r.objs.Stats.Lookup(uint32(i), &v); err != nil {
			return s, fmt.Errorf("ebpf: stats: %w", err)
		}
		*dst = sum(v)
	}
	return s, nil
}

// Stats reads the kernel's counters and the number of distinct calls so
// far (cheap enough for a status line once a second).
func (r *Recorder) Stats() (Stats, int, error) {
	s, err := r.Counters()
	if err != nil {
		return s, 0, err
	}
	calls, _, err := r.Calls()
	return s, len(calls), err
}

// Tracked is the number of processes in the process set (process mode).
func (r *Recorder) Tracked() (int, error) {
	var k uint32
	var v uint8
	n := 0
	it := r.objs.Procs.Iterate()
	for it.Next(&k, &v) {
		n++
	}
	if err := it.Err(); err != nil {
		return 0, fmt.Errorf("ebpf: processes: %w", err)
	}
	return n, nil
}

// Calls reads what was counted, as trace calls (sorted), and the gaps: why
// the recording may be incomplete.
func (r *Recorder) Calls() ([]trace.Call, []string, error) {
	b := trace.NewBuilder()
	var withArgs [int(recorderArchARCH_COUNT) * nrSlots]uint64
	err := r.readCalls(func(k recorderCallKey, v []uint64) {
		if int(k.Arch) >= len(arches) {
			return
		}
		a := arches[k.Arch]
		n := sum(v)
		b.Add(trace.Key{Arch: a.Name, Nr: k.Nr, Args: k.Args, ArgMask: trace.ArgMask(k.Argmask)}, n)
		if slot := k.Nr &^ a.NrBase; slot < nrSlots {
			withArgs[int(k.Arch)*nrSlots+int(slot)] += n
		}
	})
	if err != nil {
		return nil, nil, fmt.Errorf("ebpf: read calls: %w", err)
	}
	counts, err := r.readCounts()
	if err != nil {
		return nil, nil, fmt.Errorf("ebpf: read counts: %w", err)
	}
	var missing uint64
	for idx, n := range counts {
		if n == 0 {
			continue
		}
		ai, slot := idx/nrSlots, uint32(idx)%nrSlots
		a := arches[ai]
		if n > withArgs[idx] {
			// Calls counted without arguments: either none were to be
			// captured, or the call map was full.
			b.Add(trace.Key{Arch: a.Name, Nr: slot | a.NrBase}, n-withArgs[idx])
			if r.captures(a, slot) {
				missing += n - withArgs[idx]
			}
		}
	}
	var gaps []string
	var s []uint64
	if err := r.objs.Stats.Lookup(uint32(recorderStatIndexSTAT_CALL_DROPS), &s); err == nil && sum(s) > 0 {
		gaps = append(gaps, fmt.Sprintf("the kernel's call map (%d entries) was full: the arguments of %d calls were not recorded (%d of them recorded without arguments)", r.cfg.MaxCalls, sum(s), missing))
	}
	if err := r.objs.Stats.Lookup(uint32(recorderStatIndexSTAT_READ_FAILS), &s); err == nil && sum(s) > 0 {
		gaps = append(gaps, fmt.Sprintf("the kernel could not read the task or the registers of %d calls: those calls (when the task could not be read) or their arguments are not recorded", sum(s)))
	}
	if err := r.objs.Stats.Lookup(uint32(recorderStatIndexSTAT_PROC_DROPS), &s); err == nil && sum(s) > 0 {
		gaps = append(gaps, fmt.Sprintf("the kernel's process set (%d entries) was full: %d new processes were not followed", r.cfg.MaxProcs, sum(s)))
	}
	return b.Calls(), gaps, nil
}

// readCounts sums counts[arch][nr] over the CPUs. One batch lookup reads the
// whole array (one system call instead of two per slot, which took ~15 ms);
// kernels without batch operations on arrays (before 5.6) are read slot by
// slot.
func (r *Recorder) readCounts() ([]uint64, error) {
	const n = int(recorderArchARCH_COUNT) * nrSlots
	out := make([]uint64, n)
	keys := make([]uint32, n)
	vals := make([]uint64, n*r.ncpu)
	var cursor cebpf.MapBatchCursor
	got, err := r.objs.Counts.BatchLookup(&cursor, keys, vals, nil)
	if err == nil || errors.Is(err, cebpf.ErrKeyNotExist) {
		if got == n {
			for i := range got {
				out[keys[i]] = sum(vals[i*r.ncpu : (i+1)*r.ncpu])
			}
			return out, nil
		}
	}
	return r.iterateCounts()
}

func (r *Recorder) iterateCounts() ([]uint64, error) {
	out := make([]uint64, int(recorderArchARCH_COUNT)*nrSlots)
	var idx uint32
	var v []uint64
	it := r.objs.Counts.Iterate()
	for it.Next(&idx, &v) {
		if int(idx) < len(out) {
			out[idx] = sum(v)
		}
	}
	return out, it.Err()
}

// callBatch is how many call-map entries one batch lookup reads.
const callBatch = 256

// readCalls calls f for every entry of the call map, with its per-CPU
// counts. It reads in batches, so the cost follows the entries used, in few
// system calls; f sees nothing until the whole map was read, so a kernel
// that refuses a batch (before 5.6, or ENOSPC: a hash bucket larger than a
// batch) is read again entry by entry without counting anything twice.
func (r *Recorder) readCalls(f func(recorderCallKey, []uint64)) error {
	var allKeys []recorderCallKey
	var allVals []uint64
	keys := make([]recorderCallKey, callBatch)
	vals := make([]uint64, callBatch*r.ncpu)
	var cursor cebpf.MapBatchCursor
	for {
		got, err := r.objs.Calls.BatchLookup(&cursor, keys, vals, nil)
		done := errors.Is(err, cebpf.ErrKeyNotExist)
		if err != nil && !done {
			return r.iterateCalls(f)
		}
		allKeys = append(allKeys, keys[:got]...)
		allVals = append(allVals, vals[:got*r.ncpu]...)
		if done {
			break
		}
	}
	for i, k := range allKeys {
		f(k, allVals[i*r.ncpu:(i+1)*r.ncpu])
	}
	return nil
}

func (r *Recorder) iterateCalls(f func(recorderCallKey, []uint64)) error {
	var k recorderCallKey
	var v []uint64
	it := r.objs.Calls.Iterate()
	for it.Next(&k, &v) {
		f(k, v)
	}
	return it.Err()
}

func (r *Recorder) captures(a *systab.Arch, slot uint32) bool {
	return r.cfg.Capture == nil || r.cfg.Capture(a, slot|a.NrBase) != 0
}
