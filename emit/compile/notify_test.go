package compile

import (
	"testing"

	"github.com/profile-dev/profile/profiles"
)

// TestNotifyNonAllow checks that the complain-mode program permits exactly
// what Evaluate permits and notifies everything else, on every boundary
// input of every test profile, in both layouts.
func TestNotifyNonAllow(t *testing.T) {
	ps := testProfiles()
	notified := 0
	for _, name := range sortedNames(ps) {
		p := ps[name]
		for _, m := range modes {
			t.Run(name+"/"+m.name, func(t *testing.T) {
				prog, err := Compile(p, m.opts)
				if err != nil {
					t.Fatalf("Compile: %v", err)
				}
				n := NotifyNonAllow(prog)
				if n.Len() != prog.Len() {
					t.Fatalf("length %d, want %d", n.Len(), prog.Len())
				}
				raw, err := n.Raw()
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range boundaryCalls(p) {
					v := profiles.Evaluate(p, c.audit, c.nr, c.args)
					want := RetUserNotif
					switch v.Action {
					case profiles.ActAllow:
						want = RetAllow
					case profiles.ActLog:
						want = RetLog
					default:
						notified++
					}
					got, _, err := Execute(raw, c.audit, c.nr, c.args)
					if err != nil {
						t.Fatalf("%v: %v\n%s", c, err, n.Disassemble())
					}
					if got != want {
						t.Fatalf("%v: ret %#x, want %#x (Evaluate: %s)\n%s", c, got, want, v, n.Disassemble())
					}
				}
			})
		}
	}
	if notified == 0 {
		t.Error("no input was notified: the test proves nothing")
	}
}
