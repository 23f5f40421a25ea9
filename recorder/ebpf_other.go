//go:build !linux

package recorder

import (
	"context"
	"fmt"
)

func recordEBPF(ctx context.Context, path string, opts Options) (*Result, error) {
	return nil, fmt.Errorf("record: backend %s: %w", BackendEBPF, ErrNotSupported)
}

func recordAttached(ctx context.Context, opts Options) (*Result, error) {
	return nil, fmt.Errorf("record: backend %s: %w", BackendEBPF, ErrNotSupported)
}
