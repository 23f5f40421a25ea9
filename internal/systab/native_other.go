//go:build !amd64 && !arm64

package systab

// nativeArch is nil where the project has no native support yet.
var nativeArch *Arch
