    0  ld [4]                                   ; arch
    1  jeq #0xc000003e, audit_x86_64+x32, L2    ; 0xc000003e: x86_64+x32
L2:
    2  jeq #0x40000003, audit_i386, ret.trap    ; 0x40000003: i386
ret.trap:
    3  ret #0x30000                             ; trap
audit_x86_64+x32:
    4  ld [0]                                   ; nr
    5  jge #0xe7, L11, L6                       ; >= exit_group
L6:
    6  jge #0x10, ret.errno_EPERM, L7           ; >= ioctl
L7:
    7  jge #0x4, L9, L8                         ; >= stat
L8:
    8  jeq #0x2, ret.errno_EPERM, ret.allow     ; == open
L9:
    9  jeq #0x9, x86_64+x32.mmap, L10           ; == mmap
L10:
   10  jeq #0xf, ret.allow, ret.errno_EPERM     ; == rt_sigreturn
L11:
   11  jge #0x40000004, L17, L12                ; >= x32 stat
L12:
   12  jge #0x40000000, L16, L13                ; >= x32 read
L13:
   13  jeq #0x101, x86_64+x32.openat, L14       ; == openat
L14:
   14  jeq #0x1b3, ret.errno_ENOSYS, L15        ; == clone3
L15:
   15  jeq #0xe7, ret.allow, ret.errno_EPERM    ; == exit_group
L16:
   16  jeq #0x40000002, ret.errno_EPERM, ret.allow ; == x32 open
L17:
   17  jge #0x400000e7, L20, L18                ; >= x32 exit_group
L18:
   18  jeq #0x40000009, x86_64+x32.mmap, L19    ; == x32 mmap
L19:
   19  jeq #0x40000027, ret.allow, ret.errno_EPERM ; == x32 getpid
L20:
   20  jeq #0x40000101, x86_64+x32.openat, L21  ; == x32 openat
L21:
   21  jeq #0x400001b3, ret.errno_ENOSYS, L22   ; == x32 clone3
L22:
   22  jeq #0x400000e7, ret.allow, ret.errno_EPERM ; == x32 exit_group
x86_64+x32.mmap:
   23  ld [44]                                  ; a3 high
   24  jeq #0x0, i386.mmap, L25                 ; a3 high == 0x0
L25:
   25  jeq #0x1, i386.mmap, ret.errno_EPERM     ; a3 high == 0x1
x86_64+x32.openat:
   26  ld [32]                                  ; a2 low
   27  jset #0xfff7f7ff, ret.errno_EPERM, ret.allow ; a2 & 0xfff7f7ff != 0
audit_i386:
   28  ld [0]                                   ; nr
   29  jge #0x5a, L34, L30                      ; >= mmap
L30:
   30  jge #0x7, L33, L31                       ; >= waitpid
L31:
   31  jge #0x3, L32, ret.errno_EPERM           ; >= read
L32:
   32  jeq #0x5, ret.errno_EPERM, ret.allow     ; == open
L33:
   33  jeq #0x40, ret.allow, ret.errno_EPERM    ; == getppid
L34:
   34  jge #0xc1, L39, L35                      ; >= truncate64
L35:
   35  jeq #0x5a, i386.mmap, L36                ; == mmap
L36:
   36  jeq #0x66, ret.allow, L37                ; == socketcall
L37:
   37  jeq #0xad, ret.allow, L38                ; == rt_sigreturn
L38:
   38  jeq #0xc0, ret.allow, ret.errno_EPERM    ; == mmap2
L39:
   39  jeq #0x1b3, ret.errno_ENOSYS, L40        ; == clone3
L40:
   40  jeq #0xfc, ret.allow, ret.errno_EPERM    ; == exit_group
i386.mmap:
   41  ld [40]                                  ; a3 low
   42  jeq #0x22, ret.allow, ret.errno_EPERM    ; == a3 0x22
ret.errno_EPERM:
   43  ret #0x50001                             ; errno(EPERM)
ret.allow:
   44  ret #0x7fff0000                          ; allow
ret.errno_ENOSYS:
   45  ret #0x50026                             ; errno(ENOSYS)
