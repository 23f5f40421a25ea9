// Package generalize turns traces into profiles: it collapses the calls a
// workload made into the smallest set of rules that allows them.
//
// Generalisation is pure and deterministic: the same traces and options
// give the same profile, byte for byte once saved. It never imports the
// recorders; it reads trace.Trace values, wherever they were recorded.
//
// Soundness is the invariant every test checks: each call in the input
// traces evaluates to allow under the learnt profile (profiles.Evaluate).
package generalize
