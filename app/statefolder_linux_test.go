package app

import (
	"strings"
	"testing"

	"github.com/frontdesk-app/frontdesk/app/testfs"
)

// doctor proves the state and log folders by a real write and says how much
// room is left: a full disk or a read-only folder FAILs (before, an empty
// file created on a full disk read "writable").
func TestDoctorProvesFoldersByARealWrite(t *testing.T) {
	tests := []struct {
		name string
		full bool
		want string
	}{
		{"full disk", true, " is full (a test write failed"},
		{"read-only", false, " is not writable (a test write failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			useAuthTestKeyring(t)
			p := testPaths(t)
			writeDoctorConfig(t, p, "https://127.0.0.1:1/EWS/Exchange.asmx", "")
			testfs.UnwritableFolder(t, p.StateDir, tt.full)
			_, checks := runDoctor(t, p, nil)
			c := checks["state folder"]
			if c.Status != CheckFail || !strings.Contains(c.Detail, p.StateDir+tt.want) || !strings.Contains(c.Action, "rejected Exchange password") {
				t.Errorf("state folder: %s %q (%s)", c.Status, c.Detail, c.Action)
			}
			if tt.full && !strings.Contains(c.Detail, ", 0 KB free") {
				t.Errorf("state folder: %q does not say how much room is left", c.Detail)
			}
			if c := checks["log folder"]; c.Status != CheckOK || !strings.Contains(c.Detail, " writable, ") || !strings.Contains(c.Detail, " free") {
				t.Errorf("log folder: %s %q", c.Status, c.Detail)
			}
		})
	}
}

// On Linux the log folder is the state folder: on a full disk the log check
// FAILs too (an empty file can still be created there, which the check took
// for "writable" before it wrote real bytes).
func TestDoctorLogFolderOnAFullDisk(t *testing.T) {
	useAuthTestKeyring(t)
	p := testPaths(t)
	p.LogDir = p.StateDir
	writeDoctorConfig(t, p, "https://127.0.0.1:1/EWS/Exchange.asmx", "")
	testfs.UnwritableFolder(t, p.StateDir, true)
	_, checks := runDoctor(t, p, nil)
	c := checks["log folder"]
	if c.Status != CheckFail || !strings.Contains(c.Detail, p.StateDir+" is full") || !strings.Contains(c.Action, "it is also the state folder") {
		t.Errorf("log folder: %s %q (%s)", c.Status, c.Detail, c.Action)
	}
	if _, separate := checks["state folder"]; separate {
		t.Error("one folder checked twice")
	}
}
