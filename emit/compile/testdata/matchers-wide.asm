    0  ld [4]                                   ; arch
    1  jeq #0xc000003e, audit_x86_64, foreign.kill-process ; 0xc000003e: x86_64
foreign.kill-process:
    2  ret #0x80000000                          ; kill-process
audit_x86_64:
    3  ld [0]                                   ; nr
    4  jset #0x40000000, x86_64.kill-process, x86_64 ; x32 bit
x86_64.kill-process:
    5  ret #0x80000000                          ; kill-process
x86_64:
    6  jge #0x1c, L13, L7                       ; nr >= madvise
L7:
    7  jge #0xa, L10, L8                        ; nr >= mprotect
L8:
    8  jge #0x8, L9, x86_64.errno_EACCES        ; nr >= lseek
L9:
    9  jge #0x9, x86_64.mmap, x86_64.lseek      ; nr >= mmap
L10:
   10  jge #0x10, L12, L11                      ; nr >= ioctl
L11:
   11  jge #0xb, x86_64.errno_EACCES, x86_64.mprotect ; nr >= munmap
L12:
   12  jge #0x11, x86_64.errno_EACCES, x86_64.ioctl ; nr >= pread64
L13:
   13  jge #0x49, L16, L14                      ; nr >= flock
L14:
   14  jge #0x1d, L15, x86_64.madvise           ; nr >= shmget
L15:
   15  jge #0x48, x86_64.fcntl, x86_64.errno_EACCES ; nr >= fcntl
L16:
   16  jge #0x9e, L18, L17                      ; nr >= arch_prctl
L17:
   17  jge #0x9d, x86_64.prctl, x86_64.errno_EACCES ; nr >= prctl
L18:
   18  jge #0x1d8, x86_64.errno_ENOSYS, x86_64.errno_EACCES ; above the table
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
x86_64.lseek:
   33  ld [28]                                  ; a1 high
   34  jgt #0x1, L36, L35                       ; a1 high > 0x1
L35:
   35  jeq #0x1, L36, x86_64.errno_EACCES       ; a1 high == 0x1
L36:
   36  jgt #0x2, x86_64.errno_EACCES, x86_64.allow ; a1 high > 0x2
x86_64.mprotect:
   37  ja x86_64.errno_EACCES                   ; a0 in empty range
x86_64.ioctl:
   38  ld [36]                                  ; a2 high
   39  jeq #0x0, L40, x86_64.errno_EACCES       ; a2 high & 0xffffffff == 0x0
L40:
   40  ld [32]                                  ; a2 low
   41  jeq #0x0, L42, x86_64.errno_EACCES       ; a2 low & 0xffffffff == 0x0
L42:
   42  ja x86_64.allow
x86_64.madvise:
   43  ld [20]                                  ; a0 high
   44  jeq #0x0, L48, L45                       ; a0 high == 0x0
L45:
   45  jeq #0x1, L51, L46                       ; a0 high == 0x1
L46:
   46  jeq #0x7fff, L54, L47                    ; a0 high == 0x7fff
L47:
   47  jeq #0xffffffff, L56, x86_64.errno_EACCES ; a0 high == 0xffffffff
L48:
   48  ld [16]                                  ; a0 low
   49  jeq #0x0, L58, L50                       ; a0 low == 0x0
L50:
   50  jeq #0x1, L58, x86_64.errno_EACCES       ; a0 low == 0x1
L51:
   51  ld [16]                                  ; a0 low
   52  jeq #0x0, L58, L53                       ; a0 low == 0x0
L53:
   53  jeq #0x1, L58, x86_64.errno_EACCES       ; a0 low == 0x1
L54:
   54  ld [16]                                  ; a0 low
   55  jeq #0x1000, L58, x86_64.errno_EACCES    ; a0 low == 0x1000
L56:
   56  ld [16]                                  ; a0 low
   57  jeq #0xffffffff, L58, x86_64.errno_EACCES ; a0 low == 0xffffffff
L58:
   58  ld [28]                                  ; a1 high
   59  jeq #0x0, L60, L62                       ; a1 high == 0x0
L60:
   60  ld [24]                                  ; a1 low
   61  jeq #0x1000, x86_64.errno_EACCES, L62    ; a1 low == 0x1000
L62:
   62  ld [32]                                  ; a2 low
   63  jeq #0x4, x86_64.allow, x86_64.errno_EACCES ; a2 == 0x4
x86_64.fcntl:
   64  ld [36]                                  ; a2 high
   65  jgt #0x1, L67, L66                       ; a2 high > 0x1
L66:
   66  jeq #0x1, L67, x86_64.errno_EACCES       ; a2 high == 0x1
L67:
   67  jgt #0x1, x86_64.errno_EACCES, L68       ; a2 high > 0x1
L68:
   68  jeq #0x1, L69, x86_64.allow              ; a2 high == 0x1
L69:
   69  ld [32]                                  ; a2 low
   70  jgt #0x0, x86_64.errno_EACCES, x86_64.allow ; a2 low > 0x0
x86_64.prctl:
   71  ld [28]                                  ; a1 high
   72  jgt #0x1, L77, L73                       ; a1 high > 0x1
L73:
   73  jeq #0x1, L74, x86_64.errno_EACCES       ; a1 high == 0x1
L74:
   74  ld [24]                                  ; a1 low
   75  jge #0x80000000, L76, x86_64.errno_EACCES ; a1 low >= 0x80000000
L76:
   76  ld [28]                                  ; a1 high
L77:
   77  jgt #0x3, x86_64.errno_EACCES, L78       ; a1 high > 0x3
L78:
   78  jeq #0x3, L79, L81                       ; a1 high == 0x3
L79:
   79  ld [24]                                  ; a1 low
   80  jgt #0x5, x86_64.errno_EACCES, L81       ; a1 low > 0x5
L81:
   81  ld [36]                                  ; a2 high
   82  jgt #0x0, L86, L83                       ; a2 high > 0x0
L83:
   83  jeq #0x0, L84, x86_64.errno_EACCES       ; a2 high == 0x0
L84:
   84  ld [32]                                  ; a2 low
   85  jge #0x7, L86, x86_64.errno_EACCES       ; a2 low >= 0x7
L86:
   86  ld [44]                                  ; a3 high
   87  jgt #0x5, x86_64.errno_EACCES, x86_64.allow ; a3 high > 0x5
x86_64.errno_EACCES:
   88  ret #0x5000d                             ; errno(EACCES)
x86_64.errno_ENOSYS:
   89  ret #0x50026                             ; errno(ENOSYS)
x86_64.allow:
   90  ret #0x7fff0000                          ; allow
