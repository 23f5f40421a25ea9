package shim

import (
	"encoding/binary"
	"fmt"

	"golang.org/x/net/bpf"
)

// encodeProgram serialises a program for the run shim: 8 bytes per
// instruction, little-endian, as struct sock_filter lays it out.
func encodeProgram(prog []bpf.RawInstruction) []byte {
	b := make([]byte, 0, 8*len(prog))
	for _, ins := range prog {
		b = binary.LittleEndian.AppendUint16(b, ins.Op)
		b = append(b, ins.Jt, ins.Jf)
		b = binary.LittleEndian.AppendUint32(b, ins.K)
	}
	return b
}

func decodeProgram(b []byte) ([]bpf.RawInstruction, error) {
	if len(b) == 0 || len(b)%8 != 0 {
		return nil, fmt.Errorf("program: %d bytes is not a whole number of instructions", len(b))
	}
	prog := make([]bpf.RawInstruction, len(b)/8)
	for i := range prog {
		w := b[8*i:]
		prog[i] = bpf.RawInstruction{
			Op: binary.LittleEndian.Uint16(w), Jt: w[2], Jf: w[3], K: binary.LittleEndian.Uint32(w[4:]),
		}
	}
	return prog, nil
}
