    0  ld [4]                                   ; arch
    1  jeq #0x80000016, audit_s390x, L2         ; 0x80000016: s390x
L2:
    2  jeq #0xc0000015, audit_ppc64le, L3       ; 0xc0000015: ppc64le
L3:
    3  jeq #0xc00000f3, audit_riscv64, ret.kill-process ; 0xc00000f3: riscv64
ret.kill-process:
    4  ret #0x80000000                          ; kill-process
audit_s390x:
    5  ld [0]                                   ; nr
    6  jge #0x5a, L9, L7                        ; >= mmap
L7:
    7  jge #0x5, L8, L36                        ; >= open
L8:
    8  jeq #0x13, s390x.lseek, ret.errno_EPERM  ; == lseek
L9:
    9  jge #0x5b, L10, s390x.mmap               ; >= munmap
L10:
   10  jeq #0xf8, ret.allow, L40                ; == exit_group
s390x.lseek:
   11  ld [24]                                  ; a1 high
   12  jgt #0x1, L17, L13                       ; a1 high > 0x1
L13:
   13  jeq #0x1, L14, ret.errno_EPERM           ; a1 high == 0x1
L14:
   14  ld [28]                                  ; a1 low
   15  jge #0x5, L16, ret.errno_EPERM           ; a1 low >= 0x5
L16:
   16  ld [24]                                  ; a1 high
L17:
   17  jgt #0x2, ret.errno_EPERM, L18           ; a1 high > 0x2
L18:
   18  jeq #0x2, L19, L21                       ; a1 high == 0x2
L19:
   19  ld [28]                                  ; a1 low
   20  jgt #0x0, ret.errno_EPERM, L21           ; a1 low > 0x0
L21:
   21  ld [36]                                  ; a2 low
   22  jge #0x2, ret.errno_EPERM, ret.allow     ; >= a2 0x2
s390x.mmap:
   23  ld [32]                                  ; a2 high
   24  jset #0xfffffffe, ret.errno_EPERM, L25   ; a2 high & 0xfffffffe != 0
L25:
   25  ld [36]                                  ; a2 low
   26  jset #0xfffffffc, ret.errno_EPERM, L27   ; a2 low & 0xfffffffc != 0
L27:
   27  ld [40]                                  ; a3 high
   28  and #0xff00                              ; a3 high & 0xff00
   29  jeq #0x1200, L30, ret.errno_EPERM        ; a3 high & 0xff00 == 0x1200
L30:
   30  ld [44]                                  ; a3 low
   31  and #0xff                                ; a3 low & 0xff
   32  jeq #0x22, ret.allow, ret.errno_EPERM    ; a3 low & 0xff == 0x22
audit_ppc64le:
   33  ld [0]                                   ; nr
   34  jge #0x5a, L38, L35                      ; >= mmap
L35:
   35  jge #0x5, L37, L36                       ; >= open
L36:
   36  jge #0x3, ret.allow, ret.errno_EPERM     ; >= read
L37:
   37  jeq #0x13, riscv64.lseek, ret.errno_EPERM ; == lseek
L38:
   38  jge #0x5b, L39, riscv64.mmap             ; >= munmap
L39:
   39  jeq #0xea, ret.allow, L40                ; == exit_group
L40:
   40  jge #0x1d8, ret.errno_ENOSYS, ret.errno_EPERM ; >= 0x1d8
audit_riscv64:
   41  ld [0]                                   ; nr
   42  jge #0x41, L45, L43                      ; >= readv
L43:
   43  jge #0x3f, ret.allow, L44                ; >= read
L44:
   44  jeq #0x3e, riscv64.lseek, ret.errno_EPERM ; == lseek
L45:
   45  jeq #0xde, riscv64.mmap, L46             ; == mmap
L46:
   46  jge #0x1d8, ret.errno_ENOSYS, L47        ; >= 0x1d8
L47:
   47  jeq #0x5e, ret.allow, ret.errno_EPERM    ; == exit_group
riscv64.lseek:
   48  ld [28]                                  ; a1 high
   49  jgt #0x1, L54, L50                       ; a1 high > 0x1
L50:
   50  jeq #0x1, L51, ret.errno_EPERM           ; a1 high == 0x1
L51:
   51  ld [24]                                  ; a1 low
   52  jge #0x5, L53, ret.errno_EPERM           ; a1 low >= 0x5
L53:
   53  ld [28]                                  ; a1 high
L54:
   54  jgt #0x2, ret.errno_EPERM, L55           ; a1 high > 0x2
L55:
   55  jeq #0x2, L56, L58                       ; a1 high == 0x2
L56:
   56  ld [24]                                  ; a1 low
   57  jgt #0x0, ret.errno_EPERM, L58           ; a1 low > 0x0
L58:
   58  ld [32]                                  ; a2 low
   59  jge #0x2, ret.errno_EPERM, ret.allow     ; >= a2 0x2
riscv64.mmap:
   60  ld [36]                                  ; a2 high
   61  jset #0xfffffffe, ret.errno_EPERM, L62   ; a2 high & 0xfffffffe != 0
L62:
   62  ld [32]                                  ; a2 low
   63  jset #0xfffffffc, ret.errno_EPERM, L64   ; a2 low & 0xfffffffc != 0
L64:
   64  ld [44]                                  ; a3 high
   65  and #0xff00                              ; a3 high & 0xff00
   66  jeq #0x1200, L67, ret.errno_EPERM        ; a3 high & 0xff00 == 0x1200
L67:
   67  ld [40]                                  ; a3 low
   68  and #0xff                                ; a3 low & 0xff
   69  jeq #0x22, ret.allow, ret.errno_EPERM    ; a3 low & 0xff == 0x22
ret.allow:
   70  ret #0x7fff0000                          ; allow
ret.errno_EPERM:
   71  ret #0x50001                             ; errno(EPERM)
ret.errno_ENOSYS:
   72  ret #0x50026                             ; errno(ENOSYS)
