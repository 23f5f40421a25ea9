    0  ld [4]                                   ; arch
    1  jeq #0xc000003e, audit_x86_64, ret.kill-process ; 0xc000003e: x86_64
audit_x86_64:
    2  ld [0]                                   ; nr
    3  jge #0xa7, L9, L4                        ; >= swapon
L4:
    4  jge #0xa5, L8, L5                        ; >= mount
L5:
    5  jeq #0x65, ret.kill-process, L6          ; == ptrace
L6:
    6  jeq #0x69, ret.errno_EPERM, L7           ; == setuid
L7:
    7  jeq #0x9d, x86_64.prctl, ret.allow       ; == prctl
L8:
    8  jeq #0xa6, ret.log, ret.trace_77         ; == umount2
L9:
    9  jge #0x101, L12, L10                     ; >= openat
L10:
   10  jeq #0xa9, ret.trap, L11                 ; == reboot
L11:
   11  jeq #0xf6, ret.kill-thread, ret.allow    ; == kexec_load
L12:
   12  jge #0x102, L13, x86_64.openat           ; >= mkdirat
L13:
   13  jge #0x1d8, L14, ret.allow               ; >= 0x1d8
L14:
   14  jset #0x40000000, ret.kill-process, ret.errno_ENOSYS ; x32 bit, above the table
x86_64.prctl:
   15  ld [16]                                  ; a0 low
   16  jeq #0x16, L17, L21                      ; a0 == 0x16
L17:
   17  ld [28]                                  ; a1 high
   18  jeq #0x0, L19, L21                       ; a1 high == 0x0
L19:
   19  ld [24]                                  ; a1 low
   20  jeq #0x2, ret.kill-process, L21          ; a1 low == 0x2
L21:
   21  ld [28]                                  ; a1 high
   22  jgt #0x0, L26, L23                       ; a1 high > 0x0
L23:
   23  ld [24]                                  ; a1 low
   24  jge #0x64, L25, L26                      ; a1 low >= 0x64
L25:
   25  jgt #0xc8, L26, ret.trap_0x30001         ; a1 low > 0xc8
L26:
   26  ld [16]                                  ; a0 low
   27  jeq #0x16, ret.errno_EACCES, L28         ; a0 == 0x16
L28:
   28  ld [28]                                  ; a1 high
   29  jeq #0x0, L30, L32                       ; a1 high == 0x0
L30:
   30  ld [24]                                  ; a1 low
   31  jeq #0x96, ret.errno_EINVAL, L32         ; a1 low == 0x96
L32:
   32  ld [16]                                  ; a0 low
   33  jeq #0x16, ret.log, L34                  ; == a0 0x16
L34:
   34  jeq #0x26, ret.log, ret.allow            ; == a0 0x26
x86_64.openat:
   35  ld [32]                                  ; a2 low
   36  and #0x3                                 ; a2 & 0x3
   37  jeq #0x3, ret.kill-process, ret.errno_ENOENT ; a2 & 0x3 == 0x3
ret.allow:
   38  ret #0x7fff0000                          ; allow
ret.kill-process:
   39  ret #0x80000000                          ; kill-process
ret.errno_EPERM:
   40  ret #0x50001                             ; errno(EPERM)
ret.trace_77:
   41  ret #0x7ff0004d                          ; trace(77)
ret.log:
   42  ret #0x7ffc0000                          ; log
ret.trap:
   43  ret #0x30003                             ; trap
ret.kill-thread:
   44  ret #0x0                                 ; kill-thread
ret.errno_ENOSYS:
   45  ret #0x50026                             ; errno(ENOSYS)
ret.trap_0x30001:
   46  ret #0x30001                             ; trap
ret.errno_EACCES:
   47  ret #0x5000d                             ; errno(EACCES)
ret.errno_EINVAL:
   48  ret #0x50016                             ; errno(EINVAL)
ret.errno_ENOENT:
   49  ret #0x50002                             ; errno(ENOENT)
