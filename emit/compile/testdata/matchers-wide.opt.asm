    0  ld [4]                                   ; arch
    1  jeq #0xc000003e, audit_x86_64, x86_64.kill-process ; 0xc000003e: x86_64
audit_x86_64:
    2  ld [0]                                   ; nr
    3  jge #0x1d, L10, L4                       ; >= shmget
L4:
    4  jge #0xb, L8, L5                         ; >= munmap
L5:
    5  jge #0x9, L7, L6                         ; >= mmap
L6:
    6  jeq #0x8, x86_64.lseek, x86_64.errno_EACCES ; == lseek
L7:
    7  jeq #0xa, x86_64.errno_EACCES, x86_64.mmap ; == mprotect
L8:
    8  jeq #0x10, x86_64.ioctl, L9              ; == ioctl
L9:
    9  jeq #0x1c, x86_64.madvise, x86_64.errno_EACCES ; == madvise
L10:
   10  jge #0x9d, L12, L11                      ; >= prctl
L11:
   11  jeq #0x48, x86_64.fcntl, x86_64.errno_EACCES ; == fcntl
L12:
   12  jge #0x9e, L13, x86_64.prctl             ; >= arch_prctl
L13:
   13  jge #0x1d8, L14, x86_64.errno_EACCES     ; >= 0x1d8
L14:
   14  jset #0x40000000, x86_64.kill-process, x86_64.errno_ENOSYS ; x32 bit, above the table
x86_64.lseek:
   15  ld [28]                                  ; a1 high
   16  jgt #0x1, L18, L17                       ; a1 high > 0x1
L17:
   17  jeq #0x1, x86_64.allow, x86_64.errno_EACCES ; a1 high == 0x1
L18:
   18  jgt #0x2, x86_64.errno_EACCES, x86_64.allow ; a1 high > 0x2
x86_64.mmap:
   19  ld [36]                                  ; a2 high
   20  jset #0xfffffffe, x86_64.errno_EACCES, L21 ; a2 high & 0xfffffffe != 0
L21:
   21  ld [32]                                  ; a2 low
   22  jset #0xfffffffc, x86_64.errno_EACCES, L23 ; a2 low & 0xfffffffc != 0
L23:
   23  ld [44]                                  ; a3 high
   24  and #0xff00                              ; a3 high & 0xff00
   25  jeq #0x1200, L26, x86_64.errno_EACCES    ; a3 high & 0xff00 == 0x1200
L26:
   26  ld [40]                                  ; a3 low
   27  and #0xff                                ; a3 low & 0xff
   28  jeq #0x22, L29, x86_64.errno_EACCES      ; a3 low & 0xff == 0x22
L29:
   29  ld [52]                                  ; a4 high
   30  jeq #0xffffffff, L31, x86_64.errno_EACCES ; a4 high == 0xffffffff
L31:
   31  ld [48]                                  ; a4 low
   32  jeq #0xffffffff, x86_64.allow, x86_64.errno_EACCES ; a4 low == 0xffffffff
x86_64.ioctl:
   33  ld [36]                                  ; a2 high
   34  jset #0xffffffff, x86_64.errno_EACCES, L35 ; a2 high & 0xffffffff != 0
L35:
   35  ld [32]                                  ; a2 low
   36  jset #0xffffffff, x86_64.errno_EACCES, x86_64.allow ; a2 low & 0xffffffff != 0
x86_64.madvise:
   37  ld [20]                                  ; a0 high
   38  jeq #0x0, L42, L39                       ; a0 high == 0x0
L39:
   39  jeq #0x1, L42, L40                       ; a0 high == 0x1
L40:
   40  jeq #0x7fff, L44, L41                    ; a0 high == 0x7fff
L41:
   41  jeq #0xffffffff, L46, x86_64.errno_EACCES ; a0 high == 0xffffffff
L42:
   42  ld [16]                                  ; a0 low
   43  jge #0x2, x86_64.errno_EACCES, L48       ; >= a0 low 0x2
L44:
   44  ld [16]                                  ; a0 low
   45  jeq #0x1000, L48, x86_64.errno_EACCES    ; == a0 low 0x1000
L46:
   46  ld [16]                                  ; a0 low
   47  jeq #0xffffffff, L48, x86_64.errno_EACCES ; == a0 low 0xffffffff
L48:
   48  ld [28]                                  ; a1 high
   49  jeq #0x0, L50, L52                       ; a1 high == 0x0
L50:
   50  ld [24]                                  ; a1 low
   51  jeq #0x1000, x86_64.errno_EACCES, L52    ; a1 low == 0x1000
L52:
   52  ld [32]                                  ; a2 low
   53  jeq #0x4, x86_64.allow, x86_64.errno_EACCES ; a2 == 0x4
x86_64.fcntl:
   54  ld [36]                                  ; a2 high
   55  jgt #0x1, x86_64.errno_EACCES, L56       ; a2 high > 0x1
L56:
   56  jeq #0x1, L57, x86_64.errno_EACCES       ; a2 high == 0x1
L57:
   57  ld [32]                                  ; a2 low
   58  jgt #0x0, x86_64.errno_EACCES, x86_64.allow ; a2 low > 0x0
x86_64.prctl:
   59  ld [28]                                  ; a1 high
   60  jgt #0x1, L65, L61                       ; a1 high > 0x1
L61:
   61  jeq #0x1, L62, x86_64.errno_EACCES       ; a1 high == 0x1
L62:
   62  ld [24]                                  ; a1 low
   63  jge #0x80000000, L64, x86_64.errno_EACCES ; a1 low >= 0x80000000
L64:
   64  ld [28]                                  ; a1 high
L65:
   65  jgt #0x3, x86_64.errno_EACCES, L66       ; a1 high > 0x3
L66:
   66  jeq #0x3, L67, L69                       ; a1 high == 0x3
L67:
   67  ld [24]                                  ; a1 low
   68  jgt #0x5, x86_64.errno_EACCES, L69       ; a1 low > 0x5
L69:
   69  ld [36]                                  ; a2 high
   70  jgt #0x0, L73, L71                       ; a2 high > 0x0
L71:
   71  ld [32]                                  ; a2 low
   72  jge #0x7, L73, x86_64.errno_EACCES       ; a2 low >= 0x7
L73:
   73  ld [44]                                  ; a3 high
   74  jgt #0x5, x86_64.errno_EACCES, x86_64.allow ; a3 high > 0x5
x86_64.errno_EACCES:
   75  ret #0x5000d                             ; errno(EACCES)
x86_64.kill-process:
   76  ret #0x80000000                          ; kill-process
x86_64.errno_ENOSYS:
   77  ret #0x50026                             ; errno(ENOSYS)
x86_64.allow:
   78  ret #0x7fff0000                          ; allow
