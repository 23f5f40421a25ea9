    0  ld [4]                                   ; arch
    1  jeq #0xc000003e, audit_x86_64+x32, L2    ; 0xc000003e: x86_64+x32
L2:
    2  jeq #0x40000003, audit_i386, foreign.trap ; 0x40000003: i386
foreign.trap:
    3  ret #0x30000                             ; trap
audit_x86_64+x32:
    4  ld [0]                                   ; nr
    5  jge #0xe7, L11, L6                       ; >= exit_group
L6:
    6  jge #0x10, i386.errno_EPERM, L7          ; >= ioctl
L7:
    7  jge #0x4, L9, L8                         ; >= stat
L8:
    8  jeq #0x2, i386.errno_EPERM, i386.allow   ; == open
L9:
    9  jeq #0x9, x86_64+x32.mmap, L10           ; == mmap
L10:
   10  jeq #0xf, i386.allow, i386.errno_EPERM   ; == rt_sigreturn
L11:
   11  jge #0x4000000a, L19, L12                ; >= x32 mprotect
L12:
   12  jge #0x40000000, L16, L13                ; >= x32 read
L13:
   13  jge #0x102, L44, L14                     ; >= mkdirat
L14:
   14  jeq #0x101, x86_64+x32.openat, L15       ; == openat
L15:
   15  jeq #0xe7, i386.allow, i386.errno_EPERM  ; == exit_group
L16:
   16  jge #0x40000009, x86_64+x32.mmap, L17    ; >= x32 mmap
L17:
   17  jge #0x40000002, L18, i386.allow         ; >= x32 open
L18:
   18  jeq #0x40000003, i386.allow, i386.errno_EPERM ; == x32 close
L19:
   19  jge #0x400000e7, L21, L20                ; >= x32 exit_group
L20:
   20  jeq #0x40000027, i386.allow, i386.errno_EPERM ; == x32 getpid
L21:
   21  jge #0x40000102, L24, L22                ; >= x32 mkdirat
L22:
   22  jeq #0x40000101, x86_64+x32.openat, L23  ; == x32 openat
L23:
   23  jeq #0x400000e7, i386.allow, i386.errno_EPERM ; == x32 exit_group
L24:
   24  jeq #0x400001b3, i386.errno_ENOSYS, i386.errno_EPERM ; == x32 clone3
x86_64+x32.mmap:
   25  ld [44]                                  ; a3 high
   26  jeq #0x0, i386.mmap, L27                 ; a3 high == 0x0
L27:
   27  jeq #0x1, i386.mmap, i386.errno_EPERM    ; a3 high == 0x1
x86_64+x32.openat:
   28  ld [32]                                  ; a2 low
   29  jset #0xfff7f7ff, i386.errno_EPERM, i386.allow ; a2 & 0xfff7f7ff != 0
audit_i386:
   30  ld [0]                                   ; nr
   31  jge #0x67, L39, L32                      ; >= syslog
L32:
   32  jge #0x40, L36, L33                      ; >= getppid
L33:
   33  jge #0x7, i386.errno_EPERM, L34          ; >= waitpid
L34:
   34  jge #0x3, L35, i386.errno_EPERM          ; >= read
L35:
   35  jeq #0x5, i386.errno_EPERM, i386.allow   ; == open
L36:
   36  jeq #0x5a, i386.mmap, L37                ; == mmap
L37:
   37  jeq #0x40, i386.allow, L38               ; == getppid
L38:
   38  jeq #0x66, i386.allow, i386.errno_EPERM  ; == socketcall
L39:
   39  jge #0xfd, L44, L40                      ; >= lookup_dcookie
L40:
   40  jge #0xc0, L42, L41                      ; >= mmap2
L41:
   41  jeq #0xad, i386.allow, i386.errno_EPERM  ; == rt_sigreturn
L42:
   42  jeq #0xc0, i386.allow, L43               ; == mmap2
L43:
   43  jeq #0xfc, i386.allow, i386.errno_EPERM  ; == exit_group
L44:
   44  jeq #0x1b3, i386.errno_ENOSYS, i386.errno_EPERM ; == clone3
i386.mmap:
   45  ld [40]                                  ; a3 low
   46  jeq #0x22, i386.allow, i386.errno_EPERM  ; == a3 0x22
i386.errno_EPERM:
   47  ret #0x50001                             ; errno(EPERM)
i386.allow:
   48  ret #0x7fff0000                          ; allow
i386.errno_ENOSYS:
   49  ret #0x50026                             ; errno(ENOSYS)
