    0  ld [4]                                   ; arch
    1  jeq #0xc000003e, audit_x86_64, ret.kill-process ; 0xc000003e: x86_64
audit_x86_64:
    2  ld [0]                                   ; nr
    3  jge #0x11, L8, L4                        ; >= pread64
L4:
    4  jeq #0x8, x86_64.lseek, L5               ; == lseek
L5:
    5  jeq #0x9, x86_64.mmap, L6                ; == mmap
L6:
    6  jeq #0xa, ret.errno_EACCES, L7           ; == mprotect
L7:
    7  jeq #0x10, x86_64.ioctl, ret.errno_EACCES ; == ioctl
L8:
    8  jeq #0x1c, x86_64.madvise, L9            ; == madvise
L9:
    9  jeq #0x48, x86_64.fcntl, L10             ; == fcntl
L10:
   10  jge #0x1d8, L12, L11                     ; >= 0x1d8
L11:
   11  jeq #0x9d, x86_64.prctl, ret.errno_EACCES ; == prctl
L12:
   12  jset #0x40000000, ret.kill-process, ret.errno_ENOSYS ; x32 bit, above the table
x86_64.lseek:
   13  ld [28]                                  ; a1 high
   14  jgt #0x1, L16, L15                       ; a1 high > 0x1
L15:
   15  jeq #0x1, ret.allow, ret.errno_EACCES    ; a1 high == 0x1
L16:
   16  jgt #0x2, ret.errno_EACCES, ret.allow    ; a1 high > 0x2
x86_64.mmap:
   17  ld [36]                                  ; a2 high
   18  jset #0xfffffffe, ret.errno_EACCES, L19  ; a2 high & 0xfffffffe != 0
L19:
   19  ld [32]                                  ; a2 low
   20  jset #0xfffffffc, ret.errno_EACCES, L21  ; a2 low & 0xfffffffc != 0
L21:
   21  ld [44]                                  ; a3 high
   22  and #0xff00                              ; a3 high & 0xff00
   23  jeq #0x1200, L24, ret.errno_EACCES       ; a3 high & 0xff00 == 0x1200
L24:
   24  ld [40]                                  ; a3 low
   25  and #0xff                                ; a3 low & 0xff
   26  jeq #0x22, L27, ret.errno_EACCES         ; a3 low & 0xff == 0x22
L27:
   27  ld [52]                                  ; a4 high
   28  jeq #0xffffffff, L29, ret.errno_EACCES   ; a4 high == 0xffffffff
L29:
   29  ld [48]                                  ; a4 low
   30  jeq #0xffffffff, ret.allow, ret.errno_EACCES ; a4 low == 0xffffffff
x86_64.ioctl:
   31  ld [36]                                  ; a2 high
   32  jset #0xffffffff, ret.errno_EACCES, L33  ; a2 high & 0xffffffff != 0
L33:
   33  ld [32]                                  ; a2 low
   34  jset #0xffffffff, ret.errno_EACCES, ret.allow ; a2 low & 0xffffffff != 0
x86_64.madvise:
   35  ld [20]                                  ; a0 high
   36  jeq #0x0, L40, L37                       ; a0 high == 0x0
L37:
   37  jeq #0x1, L40, L38                       ; a0 high == 0x1
L38:
   38  jeq #0x7fff, L42, L39                    ; a0 high == 0x7fff
L39:
   39  jeq #0xffffffff, L44, ret.errno_EACCES   ; a0 high == 0xffffffff
L40:
   40  ld [16]                                  ; a0 low
   41  jge #0x2, ret.errno_EACCES, L46          ; >= a0 low 0x2
L42:
   42  ld [16]                                  ; a0 low
   43  jeq #0x1000, L46, ret.errno_EACCES       ; == a0 low 0x1000
L44:
   44  ld [16]                                  ; a0 low
   45  jeq #0xffffffff, L46, ret.errno_EACCES   ; == a0 low 0xffffffff
L46:
   46  ld [28]                                  ; a1 high
   47  jeq #0x0, L48, L50                       ; a1 high == 0x0
L48:
   48  ld [24]                                  ; a1 low
   49  jeq #0x1000, ret.errno_EACCES, L50       ; a1 low == 0x1000
L50:
   50  ld [32]                                  ; a2 low
   51  jeq #0x4, ret.allow, ret.errno_EACCES    ; a2 == 0x4
x86_64.fcntl:
   52  ld [36]                                  ; a2 high
   53  jgt #0x1, ret.errno_EACCES, L54          ; a2 high > 0x1
L54:
   54  jeq #0x1, L55, ret.errno_EACCES          ; a2 high == 0x1
L55:
   55  ld [32]                                  ; a2 low
   56  jgt #0x0, ret.errno_EACCES, ret.allow    ; a2 low > 0x0
x86_64.prctl:
   57  ld [28]                                  ; a1 high
   58  jgt #0x1, L63, L59                       ; a1 high > 0x1
L59:
   59  jeq #0x1, L60, ret.errno_EACCES          ; a1 high == 0x1
L60:
   60  ld [24]                                  ; a1 low
   61  jge #0x80000000, L62, ret.errno_EACCES   ; a1 low >= 0x80000000
L62:
   62  ld [28]                                  ; a1 high
L63:
   63  jgt #0x3, ret.errno_EACCES, L64          ; a1 high > 0x3
L64:
   64  jeq #0x3, L65, L67                       ; a1 high == 0x3
L65:
   65  ld [24]                                  ; a1 low
   66  jgt #0x5, ret.errno_EACCES, L67          ; a1 low > 0x5
L67:
   67  ld [36]                                  ; a2 high
   68  jgt #0x0, L71, L69                       ; a2 high > 0x0
L69:
   69  ld [32]                                  ; a2 low
   70  jge #0x7, L71, ret.errno_EACCES          ; a2 low >= 0x7
L71:
   71  ld [44]                                  ; a3 high
   72  jgt #0x5, ret.errno_EACCES, ret.allow    ; a3 high > 0x5
ret.errno_EACCES:
   73  ret #0x5000d                             ; errno(EACCES)
ret.kill-process:
   74  ret #0x80000000                          ; kill-process
ret.errno_ENOSYS:
   75  ret #0x50026                             ; errno(ENOSYS)
ret.allow:
   76  ret #0x7fff0000                          ; allow
