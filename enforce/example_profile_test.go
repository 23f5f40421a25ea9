//go:build linux

package enforce_test

import (
	"log"

	"github.com/profile-dev/profile/emit/compile"
	"github.com/profile-dev/profile/enforce"
	"github.com/profile-dev/profile/profiles"
)

// A program can confine itself with a learnt profile: load it, compile it
// and install the filter on every thread. Do it after start-up work the
// profile was not recorded for, and before handling untrusted input. (Not
// run as a test: it would confine the test binary.)
func Example_profile() {
	p, err := profiles.Load("myservice.yaml") // from `profile record` or `profile learn`
	if err != nil {
		log.Fatal(err)
	}
	prog, err := compile.Compile(p, compile.Options{})
	if err != nil {
		log.Fatal(err) // e.g. compile.ErrTooLarge, naming what made it large
	}
	raw, err := prog.Raw()
	if err != nil {
		log.Fatal(err)
	}
	if err := enforce.InstallSelf(raw); err != nil {
		log.Fatal(err)
	}
	// From here on, every thread of this process, and every process it
	// starts, runs under the profile.
}
