    0  ld [4]                                   ; arch
    1  jeq #0xc000003e, audit_x86_64+x32, L2    ; 0xc000003e: x86_64+x32
L2:
    2  jeq #0x40000003, audit_i386, foreign.trap ; 0x40000003: i386
foreign.trap:
    3  ret #0x30000                             ; trap
audit_x86_64+x32:
    4  ld [0]                                   ; nr
    5  jset #0x40000000, x32, x86_64            ; x32 bit
x86_64:
    6  jge #0x10, L13, L7                       ; nr >= ioctl
L7:
    7  jge #0x4, L10, L8                        ; nr >= stat
L8:
    8  jge #0x2, L9, x86_64.allow               ; nr >= open
L9:
    9  jge #0x3, x86_64.allow, x86_64.errno_EPERM ; nr >= close
L10:
   10  jge #0xa, L12, L11                       ; nr >= mprotect
L11:
   11  jge #0x9, x86_64.mmap, x86_64.errno_EPERM ; nr >= mmap
L12:
   12  jge #0xf, x86_64.allow, x86_64.errno_EPERM ; nr >= rt_sigreturn
L13:
   13  jge #0x101, L16, L14                     ; nr >= openat
L14:
   14  jge #0xe7, L15, x86_64.errno_EPERM       ; nr >= exit_group
L15:
   15  jge #0xe8, x86_64.errno_EPERM, x86_64.allow ; nr >= epoll_wait
L16:
   16  jge #0x1b3, L18, L17                     ; nr >= clone3
L17:
   17  jge #0x102, x86_64.errno_EPERM, x86_64.openat ; nr >= mkdirat
L18:
   18  jge #0x1b4, x86_64.errno_EPERM, x86_64.errno_ENOSYS ; nr >= close_range
x86_64.mmap:
   19  ld [44]                                  ; a3 high
   20  jeq #0x0, L22, L21                       ; a3 high == 0x0
L21:
   21  jeq #0x1, L24, x86_64.errno_EPERM        ; a3 high == 0x1
L22:
   22  ld [40]                                  ; a3 low
   23  jeq #0x22, x86_64.allow, x86_64.errno_EPERM ; a3 low == 0x22
L24:
   24  ld [40]                                  ; a3 low
   25  jeq #0x22, x86_64.allow, x86_64.errno_EPERM ; a3 low == 0x22
x86_64.openat:
   26  ld [32]                                  ; a2 low
   27  jset #0xfff7f7ff, x86_64.errno_EPERM, x86_64.allow ; a2 & 0xfff7f7ff != 0
x86_64.allow:
   28  ret #0x7fff0000                          ; allow
x86_64.errno_EPERM:
   29  ret #0x50001                             ; errno(EPERM)
x86_64.errno_ENOSYS:
   30  ret #0x50026                             ; errno(ENOSYS)
x32:
   31  jge #0x40000028, L38, L32                ; nr >= sendfile
L32:
   32  jge #0x40000004, L35, L33                ; nr >= stat
L33:
   33  jge #0x40000002, L34, x32.allow          ; nr >= open
L34:
   34  jge #0x40000003, x32.allow, x32.errno_EPERM ; nr >= close
L35:
   35  jge #0x4000000a, L37, L36                ; nr >= mprotect
L36:
   36  jge #0x40000009, x32.mmap, x32.errno_EPERM ; nr >= mmap
L37:
   37  jge #0x40000027, x32.allow, x32.errno_EPERM ; nr >= getpid
L38:
   38  jge #0x40000101, L41, L39                ; nr >= openat
L39:
   39  jge #0x400000e7, L40, x32.errno_EPERM    ; nr >= exit_group
L40:
   40  jge #0x400000e8, x32.errno_EPERM, x32.allow ; nr >= epoll_wait
L41:
   41  jge #0x400001b3, L43, L42                ; nr >= clone3
L42:
   42  jge #0x40000102, x32.errno_EPERM, x32.openat ; nr >= mkdirat
L43:
   43  jge #0x400001b4, x32.errno_EPERM, x32.errno_ENOSYS ; nr >= close_range
x32.mmap:
   44  ld [44]                                  ; a3 high
   45  jeq #0x0, L47, L46                       ; a3 high == 0x0
L46:
   46  jeq #0x1, L49, x32.errno_EPERM           ; a3 high == 0x1
L47:
   47  ld [40]                                  ; a3 low
   48  jeq #0x22, x32.allow, x32.errno_EPERM    ; a3 low == 0x22
L49:
   49  ld [40]                                  ; a3 low
   50  jeq #0x22, x32.allow, x32.errno_EPERM    ; a3 low == 0x22
x32.openat:
   51  ld [32]                                  ; a2 low
   52  jset #0xfff7f7ff, x32.errno_EPERM, x32.allow ; a2 & 0xfff7f7ff != 0
x32.allow:
   53  ret #0x7fff0000                          ; allow
x32.errno_EPERM:
   54  ret #0x50001                             ; errno(EPERM)
x32.errno_ENOSYS:
   55  ret #0x50026                             ; errno(ENOSYS)
audit_i386:
   56  ld [0]                                   ; nr
   57  jge #0x66, L66, L58                      ; nr >= socketcall
L58:
   58  jge #0x7, L62, L59                       ; nr >= waitpid
L59:
   59  jge #0x5, L61, L60                       ; nr >= open
L60:
   60  jge #0x3, i386.allow, i386.errno_EPERM   ; nr >= read
L61:
   61  jge #0x6, i386.allow, i386.errno_EPERM   ; nr >= close
L62:
   62  jge #0x41, L64, L63                      ; nr >= getpgrp
L63:
   63  jge #0x40, i386.allow, i386.errno_EPERM  ; nr >= getppid
L64:
   64  jge #0x5a, L65, i386.errno_EPERM         ; nr >= mmap
L65:
   65  jge #0x5b, i386.errno_EPERM, i386.mmap   ; nr >= munmap
L66:
   66  jge #0xc1, L71, L67                      ; nr >= truncate64
L67:
   67  jge #0xad, L69, L68                      ; nr >= rt_sigreturn
L68:
   68  jge #0x67, i386.errno_EPERM, i386.allow  ; nr >= syslog
L69:
   69  jge #0xae, L70, i386.allow               ; nr >= rt_sigaction
L70:
   70  jge #0xc0, i386.allow, i386.errno_EPERM  ; nr >= mmap2
L71:
   71  jge #0xfd, L73, L72                      ; nr >= lookup_dcookie
L72:
   72  jge #0xfc, i386.allow, i386.errno_EPERM  ; nr >= exit_group
L73:
   73  jge #0x1b3, L74, i386.errno_EPERM        ; nr >= clone3
L74:
   74  jge #0x1b4, i386.errno_EPERM, i386.errno_ENOSYS ; nr >= close_range
i386.mmap:
   75  ld [40]                                  ; a3 low
   76  jeq #0x22, i386.allow, i386.errno_EPERM  ; a3 == 0x22
i386.allow:
   77  ret #0x7fff0000                          ; allow
i386.errno_EPERM:
   78  ret #0x50001                             ; errno(EPERM)
i386.errno_ENOSYS:
   79  ret #0x50026                             ; errno(ENOSYS)
