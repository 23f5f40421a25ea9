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
    7  jge #0x5, L8, L37                        ; >= open
L8:
    8  jeq #0x13, s390x.lseek, ret.errno_EPERM  ; == lseek
L9:
    9  jge #0x5b, L10, s390x.mmap               ; >= munmap
L10:
   10  jge #0x1d8, ret.errno_ENOSYS, L11        ; >= 0x1d8
L11:
   11  jeq #0xf8, ret.allow, ret.errno_EPERM    ; == exit_group
s390x.lseek:
   12  ld [24]                                  ; a1 high
   13  jgt #0x1, L18, L14                       ; a1 high > 0x1
L14:
   14  jeq #0x1, L15, ret.errno_EPERM           ; a1 high == 0x1
L15:
   15  ld [28]                                  ; a1 low
   16  jge #0x5, L17, ret.errno_EPERM           ; a1 low >= 0x5
L17:
   17  ld [24]                                  ; a1 high
L18:
   18  jgt #0x2, ret.errno_EPERM, L19           ; a1 high > 0x2
L19:
   19  jeq #0x2, L20, L22                       ; a1 high == 0x2
L20:
   20  ld [28]                                  ; a1 low
   21  jgt #0x0, ret.errno_EPERM, L22           ; a1 low > 0x0
L22:
   22  ld [36]                                  ; a2 low
   23  jge #0x2, ret.errno_EPERM, ret.allow     ; >= a2 0x2
s390x.mmap:
   24  ld [32]                                  ; a2 high
   25  jset #0xfffffffe, ret.errno_EPERM, L26   ; a2 high & 0xfffffffe != 0
L26:
   26  ld [36]                                  ; a2 low
   27  jset #0xfffffffc, ret.errno_EPERM, L28   ; a2 low & 0xfffffffc != 0
L28:
   28  ld [40]                                  ; a3 high
   29  and #0xff00                              ; a3 high & 0xff00
   30  jeq #0x1200, L31, ret.errno_EPERM        ; a3 high & 0xff00 == 0x1200
L31:
   31  ld [44]                                  ; a3 low
   32  and #0xff                                ; a3 low & 0xff
   33  jeq #0x22, ret.allow, ret.errno_EPERM    ; a3 low & 0xff == 0x22
audit_ppc64le:
   34  ld [0]                                   ; nr
   35  jge #0x5a, L39, L36                      ; >= mmap
L36:
   36  jge #0x5, L38, L37                       ; >= open
L37:
   37  jge #0x3, ret.allow, ret.errno_EPERM     ; >= read
L38:
   38  jeq #0x13, riscv64.lseek, ret.errno_EPERM ; == lseek
L39:
   39  jge #0x5b, L40, riscv64.mmap             ; >= munmap
L40:
   40  jge #0x1d8, ret.errno_ENOSYS, L41        ; >= 0x1d8
L41:
   41  jeq #0xea, ret.allow, ret.errno_EPERM    ; == exit_group
audit_riscv64:
   42  ld [0]                                   ; nr
   43  jge #0x41, L46, L44                      ; >= readv
L44:
   44  jge #0x3f, ret.allow, L45                ; >= read
L45:
   45  jeq #0x3e, riscv64.lseek, ret.errno_EPERM ; == lseek
L46:
   46  jge #0xde, L48, L47                      ; >= mmap
L47:
   47  jeq #0x5e, ret.allow, ret.errno_EPERM    ; == exit_group
L48:
   48  jge #0xdf, L49, riscv64.mmap             ; >= fadvise64
L49:
   49  jge #0x1d8, ret.errno_ENOSYS, ret.errno_EPERM ; >= 0x1d8
riscv64.lseek:
   50  ld [28]                                  ; a1 high
   51  jgt #0x1, L56, L52                       ; a1 high > 0x1
L52:
   52  jeq #0x1, L53, ret.errno_EPERM           ; a1 high == 0x1
L53:
   53  ld [24]                                  ; a1 low
   54  jge #0x5, L55, ret.errno_EPERM           ; a1 low >= 0x5
L55:
   55  ld [28]                                  ; a1 high
L56:
   56  jgt #0x2, ret.errno_EPERM, L57           ; a1 high > 0x2
L57:
   57  jeq #0x2, L58, L60                       ; a1 high == 0x2
L58:
   58  ld [24]                                  ; a1 low
   59  jgt #0x0, ret.errno_EPERM, L60           ; a1 low > 0x0
L60:
   60  ld [32]                                  ; a2 low
   61  jge #0x2, ret.errno_EPERM, ret.allow     ; >= a2 0x2
riscv64.mmap:
   62  ld [36]                                  ; a2 high
   63  jset #0xfffffffe, ret.errno_EPERM, L64   ; a2 high & 0xfffffffe != 0
L64:
   64  ld [32]                                  ; a2 low
   65  jset #0xfffffffc, ret.errno_EPERM, L66   ; a2 low & 0xfffffffc != 0
L66:
   66  ld [44]                                  ; a3 high
   67  and #0xff00                              ; a3 high & 0xff00
   68  jeq #0x1200, L69, ret.errno_EPERM        ; a3 high & 0xff00 == 0x1200
L69:
   69  ld [40]                                  ; a3 low
   70  and #0xff                                ; a3 low & 0xff
   71  jeq #0x22, ret.allow, ret.errno_EPERM    ; a3 low & 0xff == 0x22
ret.allow:
   72  ret #0x7fff0000                          ; allow
ret.errno_EPERM:
   73  ret #0x50001                             ; errno(EPERM)
ret.errno_ENOSYS:
   74  ret #0x50026                             ; errno(ENOSYS)
