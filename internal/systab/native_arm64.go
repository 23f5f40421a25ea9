package systab

var nativeArch = AArch64
