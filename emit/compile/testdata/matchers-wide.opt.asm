    0  ld [4]                                   ; arch
    1  jeq #0xc000003e, audit_x86_64, ret.kill-process ; 0xc000003e: x86_64
audit_x86_64:
    2  ld [0]                                   ; nr
    3  jge #0xb, L7, L4                         ; >= munmap
L4:
    4  jge #0x9, L6, L5                         ; >= mmap
L5:
    5  jeq #0x8, x86_64.lseek, ret.errno_EACCES ; == lseek
L6:
    6  jeq #0xa, ret.errno_EACCES, x86_64.mmap  ; == mprotect
L7:
    7  jge #0x48, L10, L8                       ; >= fcntl
L8:
    8  jeq #0x10, x86_64.ioctl, L9              ; == ioctl
L9:
    9  jeq #0x1c, x86_64.madvise, ret.errno_EACCES ; == madvise
L10:
   10  jeq #0x9d, x86_64.prctl, L11             ; == prctl
L11:
   11  jge #0x49, L12, x86_64.fcntl             ; >= flock
L12:
   12  jge #0x1d8, L13, ret.errno_EACCES        ; >= 0x1d8
L13:
   13  jset #0x40000000, ret.kill-process, ret.errno_ENOSYS ; x32 bit, above the table
x86_64.lseek:
   14  ld [28]                                  ; a1 high
   15  jgt #0x1, L17, L16                       ; a1 high > 0x1
L16:
   16  jeq #0x1, ret.allow, ret.errno_EACCES    ; a1 high == 0x1
L17:
   17  jgt #0x2, ret.errno_EACCES, ret.allow    ; a1 high > 0x2
x86_64.mmap:
   18  ld [36]                                  ; a2 high
   19  jset #0xfffffffe, ret.errno_EACCES, L20  ; a2 high & 0xfffffffe != 0
L20:
   20  ld [32]                                  ; a2 low
   21  jset #0xfffffffc, ret.errno_EACCES, L22  ; a2 low & 0xfffffffc != 0
L22:
   22  ld [44]                                  ; a3 high
   23  and #0xff00                              ; a3 high & 0xff00
   24  jeq #0x1200, L25, ret.errno_EACCES       ; a3 high & 0xff00 == 0x1200
L25:
   25  ld [40]                                  ; a3 low
   26  and #0xff                                ; a3 low & 0xff
   27  jeq #0x22, L28, ret.errno_EACCES         ; a3 low & 0xff == 0x22
L28:
   28  ld [52]                                  ; a4 high
   29  jeq #0xffffffff, L30, ret.errno_EACCES   ; a4 high == 0xffffffff
L30:
   30  ld [48]                                  ; a4 low
   31  jeq #0xffffffff, ret.allow, ret.errno_EACCES ; a4 low == 0xffffffff
x86_64.ioctl:
   32  ld [36]                                  ; a2 high
   33  jset #0xffffffff, ret.errno_EACCES, L34  ; a2 high & 0xffffffff != 0
L34:
   34  ld [32]                                  ; a2 low
   35  jset #0xffffffff, ret.errno_EACCES, ret.allow ; a2 low & 0xffffffff != 0
x86_64.madvise:
   36  ld [20]                                  ; a0 high
   37  jeq #0x0, L41, L38                       ; a0 high == 0x0
L38:
   38  jeq #0x1, L41, L39                       ; a0 high == 0x1
L39:
   39  jeq #0x7fff, L43, L40                    ; a0 high == 0x7fff
L40:
   40  jeq #0xffffffff, L45, ret.errno_EACCES   ; a0 high == 0xffffffff
L41:
   41  ld [16]                                  ; a0 low
   42  jge #0x2, ret.errno_EACCES, L47          ; >= a0 low 0x2
L43:
   43  ld [16]                                  ; a0 low
   44  jeq #0x1000, L47, ret.errno_EACCES       ; == a0 low 0x1000
L45:
   45  ld [16]                                  ; a0 low
   46  jeq #0xffffffff, L47, ret.errno_EACCES   ; == a0 low 0xffffffff
L47:
   47  ld [28]                                  ; a1 high
   48  jeq #0x0, L49, L51                       ; a1 high == 0x0
L49:
   49  ld [24]                                  ; a1 low
   50  jeq #0x1000, ret.errno_EACCES, L51       ; a1 low == 0x1000
L51:
   51  ld [32]                                  ; a2 low
   52  jeq #0x4, ret.allow, ret.errno_EACCES    ; a2 == 0x4
x86_64.prctl:
   53  ld [28]                                  ; a1 high
   54  jgt #0x1, L59, L55                       ; a1 high > 0x1
L55:
   55  jeq #0x1, L56, ret.errno_EACCES          ; a1 high == 0x1
L56:
   56  ld [24]                                  ; a1 low
   57  jge #0x80000000, L58, ret.errno_EACCES   ; a1 low >= 0x80000000
L58:
   58  ld [28]                                  ; a1 high
L59:
   59  jgt #0x3, ret.errno_EACCES, L60          ; a1 high > 0x3
L60:
   60  jeq #0x3, L61, L63                       ; a1 high == 0x3
L61:
   61  ld [24]                                  ; a1 low
   62  jgt #0x5, ret.errno_EACCES, L63          ; a1 low > 0x5
L63:
   63  ld [36]                                  ; a2 high
   64  jgt #0x0, L67, L65                       ; a2 high > 0x0
L65:
   65  ld [32]                                  ; a2 low
   66  jge #0x7, L67, ret.errno_EACCES          ; a2 low >= 0x7
L67:
   67  ld [44]                                  ; a3 high
   68  jgt #0x5, ret.errno_EACCES, ret.allow    ; a3 high > 0x5
x86_64.fcntl:
   69  ld [36]                                  ; a2 high
   70  jgt #0x1, ret.errno_EACCES, L71          ; a2 high > 0x1
L71:
   71  jeq #0x1, L72, ret.errno_EACCES          ; a2 high == 0x1
L72:
   72  ld [32]                                  ; a2 low
   73  jgt #0x0, ret.errno_EACCES, ret.allow    ; a2 low > 0x0
ret.errno_EACCES:
   74  ret #0x5000d                             ; errno(EACCES)
ret.kill-process:
   75  ret #0x80000000                          ; kill-process
ret.errno_ENOSYS:
   76  ret #0x50026                             ; errno(ENOSYS)
ret.allow:
   77  ret #0x7fff0000                          ; allow
