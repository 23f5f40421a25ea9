//go:build !linux

package recorder

import (
	"context"
	"fmt"
)

func recordNotify(ctx context.Context, path string, opts Options) (*Result, error) {
	return nil, fmt.Errorf("record: backend %s: %w", BackendTrace, ErrNotSupported)
}
