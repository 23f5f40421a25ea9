package profiles

import (
	"math/rand/v2"
	"testing"
)

// TestRuleMatches checks the per-rule step against Evaluate: a profile
// reduced to one rule with a verdict of its own answers that verdict exactly
// where RuleMatches says the rule matches.
func TestRuleMatches(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 11))
	marker := Verdict{Action: ActTrace, Data: 0xfffe}
	for range 200 {
		p := randomProfile(rng)
		for i := range p.Syscalls {
			r := &p.Syscalls[i]
			one := p.Clone()
			one.Syscalls = []Rule{*r}
			one.Syscalls[0].Action = marker
			for _, c := range sampleCalls(rng, 4, p) {
				got := RuleMatches(p, r, c.audit, c.nr, c.args)
				want := Evaluate(one, c.audit, c.nr, c.args) == marker
				if got != want {
					t.Fatalf("rule %v, call %#x/%d%v: RuleMatches %v, Evaluate says %v", r, c.audit, c.nr, c.args, got, want)
				}
			}
		}
	}
}
