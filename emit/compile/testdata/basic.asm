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
    6  jge #0x11, L15, L7                       ; nr >= pread64
L7:
    7  jge #0x5, L11, L8                        ; nr >= fstat
L8:
    8  jge #0x3, L10, L9                        ; nr >= close
L9:
    9  jge #0x2, x86_64.errno_EPERM, x86_64.allow ; nr >= open
L10:
   10  jge #0x4, x86_64.errno_EPERM, x86_64.allow ; nr >= stat
L11:
   11  jge #0x9, L13, L12                       ; nr >= mmap
L12:
   12  jge #0x6, x86_64.errno_EPERM, x86_64.allow ; nr >= lstat
L13:
   13  jge #0xb, L14, x86_64.mmap               ; nr >= munmap
L14:
   14  jge #0x10, x86_64.ioctl, x86_64.errno_EPERM ; nr >= ioctl
L15:
   15  jge #0x101, L20, L16                     ; nr >= openat
L16:
   16  jge #0xcb, L18, L17                      ; nr >= sched_setaffinity
L17:
   17  jge #0xca, x86_64.allow, x86_64.errno_EPERM ; nr >= futex
L18:
   18  jge #0xe7, L19, x86_64.errno_EPERM       ; nr >= exit_group
L19:
   19  jge #0xe8, x86_64.errno_EPERM, x86_64.allow ; nr >= epoll_wait
L20:
   20  jge #0x1b3, L22, L21                     ; nr >= clone3
L21:
   21  jge #0x102, x86_64.errno_EPERM, x86_64.openat ; nr >= mkdirat
L22:
   22  jge #0x1b4, L23, x86_64.errno_ENOSYS     ; nr >= close_range
L23:
   23  jge #0x1d8, x86_64.errno_ENOSYS, x86_64.errno_EPERM ; above the table
x86_64.mmap:
   24  ld [36]                                  ; a2 high
   25  jset #0xffffffff, x86_64.errno_EPERM, L26 ; a2 high & 0xffffffff != 0
L26:
   26  ld [32]                                  ; a2 low
   27  jset #0xfffffffc, x86_64.errno_EPERM, x86_64.allow ; a2 low & 0xfffffffc != 0
x86_64.ioctl:
   28  ld [24]                                  ; a1 low
   29  jeq #0x5401, x86_64.allow, L30           ; a1 == 0x5401
L30:
   30  jeq #0x5413, x86_64.allow, x86_64.errno_EPERM ; a1 == 0x5413
x86_64.openat:
   31  ld [32]                                  ; a2 low
   32  jset #0xfff6f7ff, x86_64.errno_EPERM, x86_64.allow ; a2 & 0xfff6f7ff != 0
x86_64.errno_EPERM:
   33  ret #0x50001                             ; errno(EPERM)
x86_64.allow:
   34  ret #0x7fff0000                          ; allow
x86_64.errno_ENOSYS:
   35  ret #0x50026                             ; errno(ENOSYS)
