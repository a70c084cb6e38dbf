package app

import "golang.org/x/sys/windows"

// asfwAny is ASFW_ANY, (DWORD)-1: any process may take the foreground.
const asfwAny = 0xFFFFFFFF

var allowSetForegroundWindow = windows.NewLazySystemDLL("user32.dll").NewProc("AllowSetForegroundWindow")

// letTheRunningConsoleTakeTheForeground passes this start's right to take
// the foreground on: Windows lets only the process the operator just started
// (this one) bring a window to the front, and the running console would
// otherwise only flash its taskbar button. The right lasts until the next
// input, so nothing else can use it for long.
func letTheRunningConsoleTakeTheForeground() {
	_, _, _ = allowSetForegroundWindow.Call(asfwAny)
}
