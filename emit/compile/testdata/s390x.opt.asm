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
    6  jge #0x5, L7, L34                        ; >= open
L7:
    7  jeq #0x13, s390x.lseek, L8               ; == lseek
L8:
    8  jeq #0x5a, s390x.mmap, L9                ; == mmap
L9:
    9  jeq #0xf8, ret.allow, L44                ; == exit_group
s390x.lseek:
   10  ld [24]                                  ; a1 high
   11  jgt #0x1, L16, L12                       ; a1 high > 0x1
L12:
   12  jeq #0x1, L13, ret.errno_EPERM           ; a1 high == 0x1
L13:
   13  ld [28]                                  ; a1 low
   14  jge #0x5, L15, ret.errno_EPERM           ; a1 low >= 0x5
L15:
   15  ld [24]                                  ; a1 high
L16:
   16  jgt #0x2, ret.errno_EPERM, L17           ; a1 high > 0x2
L17:
   17  jeq #0x2, L18, L20                       ; a1 high == 0x2
L18:
   18  ld [28]                                  ; a1 low
   19  jgt #0x0, ret.errno_EPERM, L20           ; a1 low > 0x0
L20:
   20  ld [36]                                  ; a2 low
   21  jge #0x2, ret.errno_EPERM, ret.allow     ; >= a2 0x2
s390x.mmap:
   22  ld [32]                                  ; a2 high
   23  jset #0xfffffffe, ret.errno_EPERM, L24   ; a2 high & 0xfffffffe != 0
L24:
   24  ld [36]                                  ; a2 low
   25  jset #0xfffffffc, ret.errno_EPERM, L26   ; a2 low & 0xfffffffc != 0
L26:
   26  ld [40]                                  ; a3 high
   27  and #0xff00                              ; a3 high & 0xff00
   28  jeq #0x1200, L29, ret.errno_EPERM        ; a3 high & 0xff00 == 0x1200
L29:
   29  ld [44]                                  ; a3 low
   30  and #0xff                                ; a3 low & 0xff
   31  jeq #0x22, ret.allow, ret.errno_EPERM    ; a3 low & 0xff == 0x22
audit_ppc64le:
   32  ld [0]                                   ; nr
   33  jge #0x5, L35, L34                       ; >= open
L34:
   34  jge #0x3, ret.allow, ret.errno_EPERM     ; >= read
L35:
   35  jeq #0x13, riscv64.lseek, L36            ; == lseek
L36:
   36  jeq #0x5a, riscv64.mmap, L37             ; == mmap
L37:
   37  jeq #0xea, ret.allow, L44                ; == exit_group
audit_riscv64:
   38  ld [0]                                   ; nr
   39  jge #0x41, L42, L40                      ; >= readv
L40:
   40  jge #0x3f, ret.allow, L41                ; >= read
L41:
   41  jeq #0x3e, riscv64.lseek, ret.errno_EPERM ; == lseek
L42:
   42  jeq #0xde, riscv64.mmap, L43             ; == mmap
L43:
   43  jeq #0x5e, ret.allow, L44                ; == exit_group
L44:
   44  jge #0x1d8, ret.errno_ENOSYS, ret.errno_EPERM ; >= 0x1d8
riscv64.lseek:
   45  ld [28]                                  ; a1 high
   46  jgt #0x1, L51, L47                       ; a1 high > 0x1
L47:
   47  jeq #0x1, L48, ret.errno_EPERM           ; a1 high == 0x1
L48:
   48  ld [24]                                  ; a1 low
   49  jge #0x5, L50, ret.errno_EPERM           ; a1 low >= 0x5
L50:
   50  ld [28]                                  ; a1 high
L51:
   51  jgt #0x2, ret.errno_EPERM, L52           ; a1 high > 0x2
L52:
   52  jeq #0x2, L53, L55                       ; a1 high == 0x2
L53:
   53  ld [24]                                  ; a1 low
   54  jgt #0x0, ret.errno_EPERM, L55           ; a1 low > 0x0
L55:
   55  ld [32]                                  ; a2 low
   56  jge #0x2, ret.errno_EPERM, ret.allow     ; >= a2 0x2
riscv64.mmap:
   57  ld [36]                                  ; a2 high
   58  jset #0xfffffffe, ret.errno_EPERM, L59   ; a2 high & 0xfffffffe != 0
L59:
   59  ld [32]                                  ; a2 low
   60  jset #0xfffffffc, ret.errno_EPERM, L61   ; a2 low & 0xfffffffc != 0
L61:
   61  ld [44]                                  ; a3 high
   62  and #0xff00                              ; a3 high & 0xff00
   63  jeq #0x1200, L64, ret.errno_EPERM        ; a3 high & 0xff00 == 0x1200
L64:
   64  ld [40]                                  ; a3 low
   65  and #0xff                                ; a3 low & 0xff
   66  jeq #0x22, ret.allow, ret.errno_EPERM    ; a3 low & 0xff == 0x22
ret.allow:
   67  ret #0x7fff0000                          ; allow
ret.errno_EPERM:
   68  ret #0x50001                             ; errno(EPERM)
ret.errno_ENOSYS:
   69  ret #0x50026                             ; errno(ENOSYS)
