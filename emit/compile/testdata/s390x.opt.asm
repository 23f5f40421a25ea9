    0  ld [4]                                   ; arch
    1  jeq #0x80000016, audit_s390x, L2         ; 0x80000016: s390x
L2:
    2  jeq #0xc0000015, audit_ppc64le, L3       ; 0xc0000015: ppc64le
L3:
    3  jeq #0xc00000f3, audit_riscv64, foreign.kill-process ; 0xc00000f3: riscv64
foreign.kill-process:
    4  ret #0x80000000                          ; kill-process
audit_s390x:
    5  ld [0]                                   ; nr
    6  jge #0xf8, L10, L7                       ; >= exit_group
L7:
    7  jge #0x14, L9, L8                        ; >= getpid
L8:
    8  jge #0x13, s390x.lseek, L37              ; >= lseek
L9:
    9  jeq #0x5a, s390x.mmap, riscv64.errno_EPERM ; == mmap
L10:
   10  jge #0xf9, L48, riscv64.allow            ; >= epoll_create
s390x.lseek:
   11  ld [24]                                  ; a1 high
   12  jgt #0x1, L17, L13                       ; a1 high > 0x1
L13:
   13  jeq #0x1, L14, riscv64.errno_EPERM       ; a1 high == 0x1
L14:
   14  ld [28]                                  ; a1 low
   15  jge #0x5, L16, riscv64.errno_EPERM       ; a1 low >= 0x5
L16:
   16  ld [24]                                  ; a1 high
L17:
   17  jgt #0x2, riscv64.errno_EPERM, L18       ; a1 high > 0x2
L18:
   18  jeq #0x2, L19, L21                       ; a1 high == 0x2
L19:
   19  ld [28]                                  ; a1 low
   20  jgt #0x0, riscv64.errno_EPERM, L21       ; a1 low > 0x0
L21:
   21  ld [36]                                  ; a2 low
   22  jge #0x2, riscv64.errno_EPERM, riscv64.allow ; >= a2 0x2
s390x.mmap:
   23  ld [32]                                  ; a2 high
   24  jset #0xfffffffe, riscv64.errno_EPERM, L25 ; a2 high & 0xfffffffe != 0
L25:
   25  ld [36]                                  ; a2 low
   26  jset #0xfffffffc, riscv64.errno_EPERM, L27 ; a2 low & 0xfffffffc != 0
L27:
   27  ld [40]                                  ; a3 high
   28  and #0xff00                              ; a3 high & 0xff00
   29  jeq #0x1200, L30, riscv64.errno_EPERM    ; a3 high & 0xff00 == 0x1200
L30:
   30  ld [44]                                  ; a3 low
   31  and #0xff                                ; a3 low & 0xff
   32  jeq #0x22, riscv64.allow, riscv64.errno_EPERM ; a3 low & 0xff == 0x22
audit_ppc64le:
   33  ld [0]                                   ; nr
   34  jge #0xea, L40, L35                      ; >= exit_group
L35:
   35  jge #0x14, L39, L36                      ; >= getpid
L36:
   36  jge #0x13, riscv64.lseek, L37            ; >= lseek
L37:
   37  jge #0x5, riscv64.errno_EPERM, L38       ; >= open
L38:
   38  jge #0x3, riscv64.allow, riscv64.errno_EPERM ; >= read
L39:
   39  jeq #0x5a, riscv64.mmap, riscv64.errno_EPERM ; == mmap
L40:
   40  jge #0xeb, L48, riscv64.allow            ; >= lookup_dcookie
audit_riscv64:
   41  ld [0]                                   ; nr
   42  jge #0x41, L45, L43                      ; >= readv
L43:
   43  jge #0x3f, riscv64.allow, L44            ; >= read
L44:
   44  jeq #0x3e, riscv64.lseek, riscv64.errno_EPERM ; == lseek
L45:
   45  jge #0xde, L47, L46                      ; >= mmap
L46:
   46  jeq #0x5e, riscv64.allow, riscv64.errno_EPERM ; == exit_group
L47:
   47  jge #0xdf, L48, riscv64.mmap             ; >= fadvise64
L48:
   48  jge #0x1d8, riscv64.errno_ENOSYS, riscv64.errno_EPERM ; >= 0x1d8
riscv64.lseek:
   49  ld [28]                                  ; a1 high
   50  jgt #0x1, L55, L51                       ; a1 high > 0x1
L51:
   51  jeq #0x1, L52, riscv64.errno_EPERM       ; a1 high == 0x1
L52:
   52  ld [24]                                  ; a1 low
   53  jge #0x5, L54, riscv64.errno_EPERM       ; a1 low >= 0x5
L54:
   54  ld [28]                                  ; a1 high
L55:
   55  jgt #0x2, riscv64.errno_EPERM, L56       ; a1 high > 0x2
L56:
   56  jeq #0x2, L57, L59                       ; a1 high == 0x2
L57:
   57  ld [24]                                  ; a1 low
   58  jgt #0x0, riscv64.errno_EPERM, L59       ; a1 low > 0x0
L59:
   59  ld [32]                                  ; a2 low
   60  jge #0x2, riscv64.errno_EPERM, riscv64.allow ; >= a2 0x2
riscv64.mmap:
   61  ld [36]                                  ; a2 high
   62  jset #0xfffffffe, riscv64.errno_EPERM, L63 ; a2 high & 0xfffffffe != 0
L63:
   63  ld [32]                                  ; a2 low
   64  jset #0xfffffffc, riscv64.errno_EPERM, L65 ; a2 low & 0xfffffffc != 0
L65:
   65  ld [44]                                  ; a3 high
   66  and #0xff00                              ; a3 high & 0xff00
   67  jeq #0x1200, L68, riscv64.errno_EPERM    ; a3 high & 0xff00 == 0x1200
L68:
   68  ld [40]                                  ; a3 low
   69  and #0xff                                ; a3 low & 0xff
   70  jeq #0x22, riscv64.allow, riscv64.errno_EPERM ; a3 low & 0xff == 0x22
riscv64.allow:
   71  ret #0x7fff0000                          ; allow
riscv64.errno_EPERM:
   72  ret #0x50001                             ; errno(EPERM)
riscv64.errno_ENOSYS:
   73  ret #0x50026                             ; errno(ENOSYS)
