    0  ld [4]                                   ; arch
    1  jeq #0xc000003e, audit_x86_64, ret.kill-process ; 0xc000003e: x86_64
audit_x86_64:
    2  ld [0]                                   ; nr
    3  jge #0xb, L8, L4                         ; >= munmap
L4:
    4  jge #0x9, x86_64.mmap, L5                ; >= mmap
L5:
    5  jge #0x2, L6, ret.allow                  ; >= open
L6:
    6  jeq #0x3, ret.allow, L7                  ; == close
L7:
    7  jeq #0x5, ret.allow, ret.errno_EPERM     ; == fstat
L8:
    8  jge #0xe7, L11, L9                       ; >= exit_group
L9:
    9  jeq #0x10, x86_64.ioctl, L10             ; == ioctl
L10:
   10  jeq #0xca, ret.allow, ret.errno_EPERM    ; == futex
L11:
   11  jeq #0x101, x86_64.openat, L12           ; == openat
L12:
   12  jeq #0x1b3, ret.errno_ENOSYS, L13        ; == clone3
L13:
   13  jge #0xe8, L14, ret.allow                ; >= epoll_wait
L14:
   14  jge #0x1d8, L15, ret.errno_EPERM         ; >= 0x1d8
L15:
   15  jset #0x40000000, ret.kill-process, ret.errno_ENOSYS ; x32 bit, above the table
x86_64.mmap:
   16  ld [36]                                  ; a2 high
   17  jset #0xffffffff, ret.errno_EPERM, L18   ; a2 high & 0xffffffff != 0
L18:
   18  ld [32]                                  ; a2 low
   19  jset #0xfffffffc, ret.errno_EPERM, ret.allow ; a2 low & 0xfffffffc != 0
x86_64.ioctl:
   20  ld [24]                                  ; a1 low
   21  jeq #0x5401, ret.allow, L22              ; == a1 0x5401
L22:
   22  jeq #0x5413, ret.allow, ret.errno_EPERM  ; == a1 0x5413
x86_64.openat:
   23  ld [32]                                  ; a2 low
   24  jset #0xfff6f7ff, ret.errno_EPERM, ret.allow ; a2 & 0xfff6f7ff != 0
ret.allow:
   25  ret #0x7fff0000                          ; allow
ret.errno_EPERM:
   26  ret #0x50001                             ; errno(EPERM)
ret.errno_ENOSYS:
   27  ret #0x50026                             ; errno(ENOSYS)
ret.kill-process:
   28  ret #0x80000000                          ; kill-process
