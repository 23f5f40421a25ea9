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
    6  jge #0xa6, L14, L7                       ; nr >= umount2
L7:
    7  jge #0x6a, L11, L8                       ; nr >= setgid
L8:
    8  jge #0x66, L10, L9                       ; nr >= getuid
L9:
    9  jge #0x65, x86_64.kill-process, x86_64.allow ; nr >= ptrace
L10:
   10  jge #0x69, x86_64.errno_EPERM, x86_64.allow ; nr >= setuid
L11:
   11  jge #0x9e, L13, L12                      ; nr >= arch_prctl
L12:
   12  jge #0x9d, x86_64.prctl, x86_64.allow    ; nr >= prctl
L13:
   13  jge #0xa5, x86_64.trace_77, x86_64.allow ; nr >= mount
L14:
   14  jge #0xf6, L18, L15                      ; nr >= kexec_load
L15:
   15  jge #0xa9, L17, L16                      ; nr >= reboot
L16:
   16  jge #0xa7, x86_64.allow, x86_64.log      ; nr >= swapon
L17:
   17  jge #0xaa, x86_64.allow, x86_64.trap     ; nr >= sethostname
L18:
   18  jge #0x101, L20, L19                     ; nr >= openat
L19:
   19  jge #0xf7, x86_64.allow, x86_64.kill-thread ; nr >= waitid
L20:
   20  jge #0x102, L21, x86_64.openat           ; nr >= mkdirat
L21:
   21  jge #0x1d8, x86_64.errno_ENOSYS, x86_64.allow ; above the table
x86_64.prctl:
   22  ld [16]                                  ; a0 low
   23  jeq #0x16, L24, L28                      ; a0 == 0x16
L24:
   24  ld [28]                                  ; a1 high
   25  jeq #0x0, L26, L28                       ; a1 high == 0x0
L26:
   26  ld [24]                                  ; a1 low
   27  jeq #0x2, x86_64.kill-process, L28       ; a1 low == 0x2
L28:
   28  ld [28]                                  ; a1 high
   29  jgt #0x0, L34, L30                       ; a1 high > 0x0
L30:
   30  jeq #0x0, L31, L38                       ; a1 high == 0x0
L31:
   31  ld [24]                                  ; a1 low
   32  jge #0x64, L33, L38                      ; a1 low >= 0x64
L33:
   33  ld [28]                                  ; a1 high
L34:
   34  jgt #0x0, L38, L35                       ; a1 high > 0x0
L35:
   35  jeq #0x0, L36, x86_64.trap               ; a1 high == 0x0
L36:
   36  ld [24]                                  ; a1 low
   37  jgt #0xc8, L38, x86_64.trap              ; a1 low > 0xc8
L38:
   38  ld [16]                                  ; a0 low
   39  jeq #0x16, x86_64.errno_EACCES, L40      ; a0 == 0x16
L40:
   40  ld [28]                                  ; a1 high
   41  jeq #0x0, L42, L44                       ; a1 high == 0x0
L42:
   42  ld [24]                                  ; a1 low
   43  jeq #0x96, x86_64.errno_EINVAL, L44      ; a1 low == 0x96
L44:
   44  ld [16]                                  ; a0 low
   45  jeq #0x16, x86_64.log, L46               ; a0 == 0x16
L46:
   46  jeq #0x26, x86_64.log, x86_64.allow      ; a0 == 0x26
x86_64.openat:
   47  ld [32]                                  ; a2 low
   48  and #0x3                                 ; a2 & 0x3
   49  jeq #0x3, x86_64.kill-process, x86_64.errno_ENOENT ; a2 & 0x3 == 0x3
x86_64.kill-process:
   50  ret #0x80000000                          ; kill-process
x86_64.allow:
   51  ret #0x7fff0000                          ; allow
x86_64.errno_EPERM:
   52  ret #0x50001                             ; errno(EPERM)
x86_64.trace_77:
   53  ret #0x7ff0004d                          ; trace(77)
x86_64.log:
   54  ret #0x7ffc0000                          ; log
x86_64.trap:
   55  ret #0x30003                             ; trap
x86_64.kill-thread:
   56  ret #0x0                                 ; kill-thread
x86_64.errno_ENOSYS:
   57  ret #0x50026                             ; errno(ENOSYS)
x86_64.trap:
   58  ret #0x30001                             ; trap
x86_64.errno_EACCES:
   59  ret #0x5000d                             ; errno(EACCES)
x86_64.errno_EINVAL:
   60  ret #0x50016                             ; errno(EINVAL)
x86_64.errno_ENOENT:
   61  ret #0x50002                             ; errno(ENOENT)
