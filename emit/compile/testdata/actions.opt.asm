    0  ld [4]                                   ; arch
    1  jeq #0xc000003e, audit_x86_64, x86_64.kill-process ; 0xc000003e: x86_64
audit_x86_64:
    2  ld [0]                                   ; nr
    3  jge #0xa7, L10, L4                       ; >= swapon
L4:
    4  jge #0x9d, L7, L5                        ; >= prctl
L5:
    5  jeq #0x65, x86_64.kill-process, L6       ; == ptrace
L6:
    6  jeq #0x69, x86_64.errno_EPERM, x86_64.allow ; == setuid
L7:
    7  jeq #0x9d, x86_64.prctl, L8              ; == prctl
L8:
    8  jeq #0xa5, x86_64.trace_77, L9           ; == mount
L9:
    9  jeq #0xa6, x86_64.log, x86_64.allow      ; == umount2
L10:
   10  jge #0x101, L13, L11                     ; >= openat
L11:
   11  jeq #0xa9, x86_64.trap, L12              ; == reboot
L12:
   12  jeq #0xf6, x86_64.kill-thread, x86_64.allow ; == kexec_load
L13:
   13  jge #0x102, L14, x86_64.openat           ; >= mkdirat
L14:
   14  jge #0x1d8, L15, x86_64.allow            ; >= 0x1d8
L15:
   15  jset #0x40000000, x86_64.kill-process, x86_64.errno_ENOSYS ; x32 bit, above the table
x86_64.prctl:
   16  ld [16]                                  ; a0 low
   17  jeq #0x16, L18, L22                      ; a0 == 0x16
L18:
   18  ld [28]                                  ; a1 high
   19  jeq #0x0, L20, L22                       ; a1 high == 0x0
L20:
   20  ld [24]                                  ; a1 low
   21  jeq #0x2, x86_64.kill-process, L22       ; a1 low == 0x2
L22:
   22  ld [28]                                  ; a1 high
   23  jgt #0x0, L30, L24                       ; a1 high > 0x0
L24:
   24  ld [24]                                  ; a1 low
   25  jge #0x64, L26, L30                      ; a1 low >= 0x64
L26:
   26  ld [28]                                  ; a1 high
   27  jgt #0x0, L30, L28                       ; a1 high > 0x0
L28:
   28  ld [24]                                  ; a1 low
   29  jgt #0xc8, L30, x86_64.trap              ; a1 low > 0xc8
L30:
   30  ld [16]                                  ; a0 low
   31  jeq #0x16, x86_64.errno_EACCES, L32      ; a0 == 0x16
L32:
   32  ld [28]                                  ; a1 high
   33  jeq #0x0, L34, L36                       ; a1 high == 0x0
L34:
   34  ld [24]                                  ; a1 low
   35  jeq #0x96, x86_64.errno_EINVAL, L36      ; a1 low == 0x96
L36:
   36  ld [16]                                  ; a0 low
   37  jeq #0x16, x86_64.log, L38               ; == a0 0x16
L38:
   38  jeq #0x26, x86_64.log, x86_64.allow      ; == a0 0x26
x86_64.openat:
   39  ld [32]                                  ; a2 low
   40  and #0x3                                 ; a2 & 0x3
   41  jeq #0x3, x86_64.kill-process, x86_64.errno_ENOENT ; a2 & 0x3 == 0x3
x86_64.allow:
   42  ret #0x7fff0000                          ; allow
x86_64.kill-process:
   43  ret #0x80000000                          ; kill-process
x86_64.errno_EPERM:
   44  ret #0x50001                             ; errno(EPERM)
x86_64.trace_77:
   45  ret #0x7ff0004d                          ; trace(77)
x86_64.log:
   46  ret #0x7ffc0000                          ; log
x86_64.trap:
   47  ret #0x30003                             ; trap
x86_64.kill-thread:
   48  ret #0x0                                 ; kill-thread
x86_64.errno_ENOSYS:
   49  ret #0x50026                             ; errno(ENOSYS)
x86_64.trap:
   50  ret #0x30001                             ; trap
x86_64.errno_EACCES:
   51  ret #0x5000d                             ; errno(EACCES)
x86_64.errno_EINVAL:
   52  ret #0x50016                             ; errno(EINVAL)
x86_64.errno_ENOENT:
   53  ret #0x50002                             ; errno(ENOENT)
