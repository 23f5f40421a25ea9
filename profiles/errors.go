package profiles

import (
	"errors"
	"strconv"
	"strings"
)

// ErrInvalid is wrapped by every error about a malformed or inconsistent
// profile, whether it came from YAML, from OCI JSON or from code. The CLI
// maps it to exit status 2.
var ErrInvalid = errors.New("invalid profile")

// ValidationError locates one problem in a profile. Line and Col are 1-based
// and zero when the profile was not read from a file; Field is the path of
// the offending field, such as "syscalls[2].names[0]".
type ValidationError struct {
	File      string
	Line, Col int
	Field     string
	Msg       string
}

// Error renders "file:line:col: field: msg", leaving out what is unknown.
func (e *ValidationError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			b.WriteString(":" + strconv.Itoa(e.Line) + ":" + strconv.Itoa(e.Col))
		}
		b.WriteString(": ")
	} else if e.Line > 0 {
		b.WriteString(strconv.Itoa(e.Line) + ":" + strconv.Itoa(e.Col) + ": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns ErrInvalid, so errors.Is(err, ErrInvalid) holds.
func (e *ValidationError) Unwrap() error { return ErrInvalid }

// Is reports whether target is ErrInvalid or a ValidationError with the same
// location and message (zero fields of target match anything).
func (e *ValidationError) Is(target error) bool {
	if target == ErrInvalid {
		return true
	}
	t, ok := target.(*ValidationError)
	if !ok {
		return false
	}
	return (t.File == "" || t.File == e.File) && (t.Line == 0 || t.Line == e.Line) &&
		(t.Col == 0 || t.Col == e.Col) && (t.Field == "" || t.Field == e.Field) &&
		(t.Msg == "" || t.Msg == e.Msg)
}
