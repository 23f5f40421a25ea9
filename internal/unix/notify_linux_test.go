package unix

import (
	"testing"
	"unsafe"
)

// The structs must match both the sizes the ioctl numbers encode and the
// sizes the running kernel reports.
func TestNotifSizes(t *testing.T) {
	k, err := GetNotifSizes()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name         string
		got, ioc, kn uintptr
	}{
		{"seccomp_notif", unsafe.Sizeof(SeccompNotif{}), ioctlSize(ioctlNotifRecv), uintptr(k.Notif)},
		{"seccomp_notif_resp", unsafe.Sizeof(SeccompNotifResp{}), ioctlSize(ioctlNotifSend), uintptr(k.NotifResp)},
		{"seccomp_data", unsafe.Sizeof(SeccompData{}), 64, uintptr(k.Data)},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.got != c.ioc || c.got != c.kn {
				t.Errorf("size %d, ioctl number says %d, kernel says %d", c.got, c.ioc, c.kn)
			}
		})
	}
	if got := ioctlSize(ioctlNotifIDValid); got != 8 {
		t.Errorf("SECCOMP_IOCTL_NOTIF_ID_VALID carries %d bytes, want 8", got)
	}
}
