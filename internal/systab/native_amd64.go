package systab

var nativeArch = X86_64
