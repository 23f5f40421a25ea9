    0  ld [4]                                   ; arch
    1  jeq #0xc000003e, audit_x86_64, x86_64.kill-process ; 0xc000003e: x86_64
audit_x86_64:
    2  ld [0]                                   ; nr
    3  jge #0xca, L10, L4                       ; >= futex
L4:
    4  jge #0xb, L9, L5                         ; >= munmap
L5:
    5  jge #0x9, x86_64.mmap, L6                ; >= mmap
L6:
    6  jge #0x2, L7, x86_64.allow               ; >= open
L7:
    7  jeq #0x3, x86_64.allow, L8               ; == close
L8:
    8  jeq #0x5, x86_64.allow, x86_64.errno_EPERM ; == fstat
L9:
    9  jeq #0x10, x86_64.ioctl, x86_64.errno_EPERM ; == ioctl
L10:
   10  jge #0x102, L14, L11                     ; >= mkdirat
L11:
   11  jeq #0x101, x86_64.openat, L12           ; == openat
L12:
   12  jeq #0xca, x86_64.allow, L13             ; == futex
L13:
   13  jeq #0xe7, x86_64.allow, x86_64.errno_EPERM ; == exit_group
L14:
   14  jge #0x1b3, L15, x86_64.errno_EPERM      ; >= clone3
L15:
   15  jge #0x1b4, L16, x86_64.errno_ENOSYS     ; >= close_range
L16:
   16  jge #0x1d8, L17, x86_64.errno_EPERM      ; >= 0x1d8
L17:
   17  jset #0x40000000, x86_64.kill-process, x86_64.errno_ENOSYS ; x32 bit, above the table
x86_64.mmap:
   18  ld [36]                                  ; a2 high
   19  jset #0xffffffff, x86_64.errno_EPERM, L20 ; a2 high & 0xffffffff != 0
L20:
   20  ld [32]                                  ; a2 low
   21  jset #0xfffffffc, x86_64.errno_EPERM, x86_64.allow ; a2 low & 0xfffffffc != 0
x86_64.ioctl:
   22  ld [24]                                  ; a1 low
   23  jeq #0x5401, x86_64.allow, L24           ; == a1 0x5401
L24:
   24  jeq #0x5413, x86_64.allow, x86_64.errno_EPERM ; == a1 0x5413
x86_64.openat:
   25  ld [32]                                  ; a2 low
   26  jset #0xfff6f7ff, x86_64.errno_EPERM, x86_64.allow ; a2 & 0xfff6f7ff != 0
x86_64.allow:
   27  ret #0x7fff0000                          ; allow
x86_64.errno_EPERM:
   28  ret #0x50001                             ; errno(EPERM)
x86_64.errno_ENOSYS:
   29  ret #0x50026                             ; errno(ENOSYS)
x86_64.kill-process:
   30  ret #0x80000000                          ; kill-process
