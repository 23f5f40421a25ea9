package profiles

import (
	"errors"
	"math/bits"
	"strconv"
	"strings"
)

// literal is a number as a profile spells it: a magnitude and a sign. Its
// value depends on the width of the argument it is compared with: -100 is
// 0xffffff9c for an int and 0xffffffffffffff9c for a long.
type literal struct {
	mag uint64
	neg bool
}

var errLeadingZero = errors.New("ambiguous leading zero: write 0o... for octal or drop the zero")

// parseLiteral reads decimal, 0x hex, 0o octal or 0b binary, with an
// optional sign. A decimal with a leading zero is refused: YAML 1.1 reads it
// as octal, YAML 1.2 as decimal, and a profile must mean one thing.
func parseLiteral(s string) (literal, error) {
	var l literal
	t := s
	if strings.HasPrefix(t, "-") {
		l.neg, t = true, t[1:]
	} else if strings.HasPrefix(t, "+") {
		t = t[1:]
	}
	base := 10
	if len(t) > 2 && t[0] == '0' {
		switch t[1] {
		case 'x', 'X':
			base, t = 16, t[2:]
		case 'o', 'O':
			base, t = 8, t[2:]
		case 'b', 'B':
			base, t = 2, t[2:]
		}
	}
	if base == 10 && len(t) > 1 && t[0] == '0' {
		return l, errLeadingZero
	}
	if t == "" || strings.ContainsAny(t, "+-_") {
		return l, errors.New("not a number: " + strconv.Quote(s))
	}
	v, err := strconv.ParseUint(t, base, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
			return l, errors.New("number out of range: " + s)
		}
		return l, errors.New("not a number: " + strconv.Quote(s))
	}
	l.mag = v
	if l.neg && v == 0 {
		l.neg = false
	}
	return l, nil
}

// value returns the literal as a register value for an argument of the given
// width, or false when it does not fit (a negative below the signed minimum,
// or a positive above the unsigned maximum).
func (l literal) value(wide bool) (uint64, bool) {
	if wide {
		if l.neg {
			if l.mag > 1<<63 {
				return 0, false
			}
			return -l.mag, true
		}
		return l.mag, true
	}
	if l.neg {
		if l.mag > 1<<31 {
			return 0, false
		}
		return uint64(-uint32(l.mag)), true
	}
	return l.mag, l.mag <= 0xffffffff
}

// plain returns the literal as an unsigned number, for counts and errnos.
func (l literal) plain() (uint64, bool) { return l.mag, !l.neg }

// negativeSpan is how close to the top of an argument's width a value must
// be to be written as a negative decimal (AT_FDCWD is -100).
const negativeSpan = 1 << 16

// formatValue renders an in/eq/ne/range operand: decimal below 65536, a
// negative decimal near the top of the argument's width, hex otherwise.
func formatValue(v uint64, wide bool) string {
	top := uint64(0xffffffff)
	if wide {
		top = ^uint64(0)
	}
	switch {
	case v < negativeSpan:
		return strconv.FormatUint(v, 10)
	case v <= top && top-v < negativeSpan:
		return "-" + strconv.FormatUint(top-v+1, 10)
	}
	return formatHex(v)
}

func formatHex(v uint64) string { return "0x" + strconv.FormatUint(v, 16) }

// maskBits lists the set bits of a mask, lowest first.
func maskBits(m uint64) []uint64 {
	var out []uint64
	for m != 0 {
		b := uint64(1) << bits.TrailingZeros64(m)
		out = append(out, b)
		m &^= b
	}
	return out
}
