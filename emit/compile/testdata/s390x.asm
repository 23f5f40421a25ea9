    0  ld [4]                                   ; arch
    1  jeq #0x80000016, audit_s390x, L2         ; 0x80000016: s390x
L2:
    2  jeq #0xc0000015, audit_ppc64le, L3       ; 0xc0000015: ppc64le
L3:
    3  jeq #0xc00000f3, audit_riscv64, foreign.kill-process ; 0xc00000f3: riscv64
foreign.kill-process:
    4  ret #0x80000000                          ; kill-process
audit_s390x:
    5  ld [0]                                   ; nr
    6  jge #0x5a, L11, L7                       ; nr >= mmap
L7:
    7  jge #0x5, L9, L8                         ; nr >= open
L8:
    8  jge #0x3, s390x.allow, s390x.errno_EPERM ; nr >= read
L9:
    9  jge #0x13, L10, s390x.errno_EPERM        ; nr >= lseek
L10:
   10  jge #0x14, s390x.errno_EPERM, s390x.lseek ; nr >= getpid
L11:
   11  jge #0xf8, L13, L12                      ; nr >= exit_group
L12:
   12  jge #0x5b, s390x.errno_EPERM, s390x.mmap ; nr >= munmap
L13:
   13  jge #0xf9, L14, s390x.allow              ; nr >= epoll_create
L14:
   14  jge #0x1d8, s390x.errno_ENOSYS, s390x.errno_EPERM ; above the table
s390x.lseek:
   15  ld [24]                                  ; a1 high
   16  jgt #0x1, L21, L17                       ; a1 high > 0x1
L17:
   17  jeq #0x1, L18, s390x.errno_EPERM         ; a1 high == 0x1
L18:
   18  ld [28]                                  ; a1 low
   19  jge #0x5, L20, s390x.errno_EPERM         ; a1 low >= 0x5
L20:
   20  ld [24]                                  ; a1 high
L21:
   21  jgt #0x2, s390x.errno_EPERM, L22         ; a1 high > 0x2
L22:
   22  jeq #0x2, L23, L25                       ; a1 high == 0x2
L23:
   23  ld [28]                                  ; a1 low
   24  jgt #0x0, s390x.errno_EPERM, L25         ; a1 low > 0x0
L25:
   25  ld [36]                                  ; a2 low
   26  jeq #0x0, s390x.allow, L27               ; a2 == 0x0
L27:
   27  jeq #0x1, s390x.allow, s390x.errno_EPERM ; a2 == 0x1
s390x.mmap:
   28  ld [32]                                  ; a2 high
   29  jset #0xfffffffe, s390x.errno_EPERM, L30 ; a2 high & 0xfffffffe != 0
L30:
   30  ld [36]                                  ; a2 low
   31  jset #0xfffffffc, s390x.errno_EPERM, L32 ; a2 low & 0xfffffffc != 0
L32:
   32  ld [40]                                  ; a3 high
   33  and #0xff00                              ; a3 high & 0xff00
   34  jeq #0x1200, L35, s390x.errno_EPERM      ; a3 high & 0xff00 == 0x1200
L35:
   35  ld [44]                                  ; a3 low
   36  and #0xff                                ; a3 low & 0xff
   37  jeq #0x22, s390x.allow, s390x.errno_EPERM ; a3 low & 0xff == 0x22
s390x.allow:
   38  ret #0x7fff0000                          ; allow
s390x.errno_EPERM:
   39  ret #0x50001                             ; errno(EPERM)
s390x.errno_ENOSYS:
   40  ret #0x50026                             ; errno(ENOSYS)
audit_ppc64le:
   41  ld [0]                                   ; nr
   42  jge #0x5a, L47, L43                      ; nr >= mmap
L43:
   43  jge #0x5, L45, L44                       ; nr >= open
L44:
   44  jge #0x3, ppc64le.allow, ppc64le.errno_EPERM ; nr >= read
L45:
   45  jge #0x13, L46, ppc64le.errno_EPERM      ; nr >= lseek
L46:
   46  jge #0x14, ppc64le.errno_EPERM, ppc64le.lseek ; nr >= getpid
L47:
   47  jge #0xea, L49, L48                      ; nr >= exit_group
L48:
   48  jge #0x5b, ppc64le.errno_EPERM, ppc64le.mmap ; nr >= munmap
L49:
   49  jge #0xeb, L50, ppc64le.allow            ; nr >= lookup_dcookie
L50:
   50  jge #0x1d8, ppc64le.errno_ENOSYS, ppc64le.errno_EPERM ; above the table
ppc64le.lseek:
   51  ld [28]                                  ; a1 high
   52  jgt #0x1, L57, L53                       ; a1 high > 0x1
L53:
   53  jeq #0x1, L54, ppc64le.errno_EPERM       ; a1 high == 0x1
L54:
   54  ld [24]                                  ; a1 low
   55  jge #0x5, L56, ppc64le.errno_EPERM       ; a1 low >= 0x5
L56:
   56  ld [28]                                  ; a1 high
L57:
   57  jgt #0x2, ppc64le.errno_EPERM, L58       ; a1 high > 0x2
L58:
   58  jeq #0x2, L59, L61                       ; a1 high == 0x2
L59:
   59  ld [24]                                  ; a1 low
   60  jgt #0x0, ppc64le.errno_EPERM, L61       ; a1 low > 0x0
L61:
   61  ld [32]                                  ; a2 low
   62  jeq #0x0, ppc64le.allow, L63             ; a2 == 0x0
L63:
   63  jeq #0x1, ppc64le.allow, ppc64le.errno_EPERM ; a2 == 0x1
ppc64le.mmap:
   64  ld [36]                                  ; a2 high
   65  jset #0xfffffffe, ppc64le.errno_EPERM, L66 ; a2 high & 0xfffffffe != 0
L66:
   66  ld [32]                                  ; a2 low
   67  jset #0xfffffffc, ppc64le.errno_EPERM, L68 ; a2 low & 0xfffffffc != 0
L68:
   68  ld [44]                                  ; a3 high
   69  and #0xff00                              ; a3 high & 0xff00
   70  jeq #0x1200, L71, ppc64le.errno_EPERM    ; a3 high & 0xff00 == 0x1200
L71:
   71  ld [40]                                  ; a3 low
   72  and #0xff                                ; a3 low & 0xff
   73  jeq #0x22, ppc64le.allow, ppc64le.errno_EPERM ; a3 low & 0xff == 0x22
ppc64le.allow:
   74  ret #0x7fff0000                          ; allow
ppc64le.errno_EPERM:
   75  ret #0x50001                             ; errno(EPERM)
ppc64le.errno_ENOSYS:
   76  ret #0x50026                             ; errno(ENOSYS)
audit_riscv64:
   77  ld [0]                                   ; nr
   78  jge #0x5e, L82, L79                      ; nr >= exit_group
L79:
   79  jge #0x3f, L81, L80                      ; nr >= read
L80:
   80  jge #0x3e, riscv64.lseek, riscv64.errno_EPERM ; nr >= lseek
L81:
   81  jge #0x41, riscv64.errno_EPERM, riscv64.allow ; nr >= readv
L82:
   82  jge #0xde, L84, L83                      ; nr >= mmap
L83:
   83  jge #0x5f, riscv64.errno_EPERM, riscv64.allow ; nr >= waitid
L84:
   84  jge #0xdf, L85, riscv64.mmap             ; nr >= fadvise64
L85:
   85  jge #0x1d8, riscv64.errno_ENOSYS, riscv64.errno_EPERM ; above the table
riscv64.lseek:
   86  ld [28]                                  ; a1 high
   87  jgt #0x1, L92, L88                       ; a1 high > 0x1
L88:
   88  jeq #0x1, L89, riscv64.errno_EPERM       ; a1 high == 0x1
L89:
   89  ld [24]                                  ; a1 low
   90  jge #0x5, L91, riscv64.errno_EPERM       ; a1 low >= 0x5
L91:
   91  ld [28]                                  ; a1 high
L92:
   92  jgt #0x2, riscv64.errno_EPERM, L93       ; a1 high > 0x2
L93:
   93  jeq #0x2, L94, L96                       ; a1 high == 0x2
L94:
   94  ld [24]                                  ; a1 low
   95  jgt #0x0, riscv64.errno_EPERM, L96       ; a1 low > 0x0
L96:
   96  ld [32]                                  ; a2 low
   97  jeq #0x0, riscv64.allow, L98             ; a2 == 0x0
L98:
   98  jeq #0x1, riscv64.allow, riscv64.errno_EPERM ; a2 == 0x1
riscv64.mmap:
   99  ld [36]                                  ; a2 high
  100  jset #0xfffffffe, riscv64.errno_EPERM, L101 ; a2 high & 0xfffffffe != 0
L101:
  101  ld [32]                                  ; a2 low
  102  jset #0xfffffffc, riscv64.errno_EPERM, L103 ; a2 low & 0xfffffffc != 0
L103:
  103  ld [44]                                  ; a3 high
  104  and #0xff00                              ; a3 high & 0xff00
  105  jeq #0x1200, L106, riscv64.errno_EPERM   ; a3 high & 0xff00 == 0x1200
L106:
  106  ld [40]                                  ; a3 low
  107  and #0xff                                ; a3 low & 0xff
  108  jeq #0x22, riscv64.allow, riscv64.errno_EPERM ; a3 low & 0xff == 0x22
riscv64.errno_EPERM:
  109  ret #0x50001                             ; errno(EPERM)
riscv64.allow:
  110  ret #0x7fff0000                          ; allow
riscv64.errno_ENOSYS:
  111  ret #0x50026                             ; errno(ENOSYS)
