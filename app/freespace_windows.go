package app

import "golang.org/x/sys/windows"

// freeSpace is what the volume holding dir lets this user write, in bytes;
// ok is false when Windows cannot say.
func freeSpace(dir string) (free uint64, ok bool) {
	name, err := windows.UTF16PtrFromString(dir)
	if err != nil {
		return 0, false
	}
	var available, total, totalFree uint64
	if err := windows.GetDiskFreeSpaceEx(name, &available, &total, &totalFree); err != nil {
		return 0, false
	}
	return available, true
}
