package ui

import "testing"

// The fyneDo migration must be on in every build, not only one made by the
// fyne tool (which reads FyneApp.toml); the e2e window tests also check that
// the real binary never prints Fyne's "not been migrated" warning.
func TestMetadataSetsTheFyneDoMigration(t *testing.T) {
	md := Metadata("1.2.3", []byte{0x89, 'P', 'N', 'G'})
	if !md.Migrations["fyneDo"] {
		t.Error("fyneDo migration not set")
	}
	if md.ID != AppID || md.Name != "Frontdesk" || md.Version != "1.2.3" || md.Icon == nil {
		t.Errorf("metadata %+v", md)
	}
}
