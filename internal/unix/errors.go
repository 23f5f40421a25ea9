package unix

import "errors"

// ErrNotSupported is returned on platforms without the feature.
var ErrNotSupported = errors.New("not supported on this platform")
