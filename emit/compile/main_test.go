package compile

import (
	"os"
	"testing"
)

// childEnv, when set, makes the test binary act as the child of a
// real-kernel test: it installs the named case's filter on itself and
// reports what each probe syscall returned. Filters are never installed in
// the test process itself.
const childEnv = "PROFILE_COMPILE_TEST_CHILD"

func TestMain(m *testing.M) {
	if name := os.Getenv(childEnv); name != "" {
		os.Exit(runChild(name))
	}
	os.Exit(m.Run())
}
