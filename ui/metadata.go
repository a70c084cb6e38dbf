package ui

import "fyne.io/fyne/v2"

// Metadata is Fyne's application metadata, set in code: FyneApp.toml is read
// only by the fyne tool (and by a development build next to the file), so a
// plain `go build` would run without the fyneDo migration, log "This
// application has not been migrated to the fyne.Do threading model", and turn
// off the thread checks the console relies on.
func Metadata(version string, icon []byte) fyne.AppMetadata {
	md := fyne.AppMetadata{
		ID:         AppID,
		Name:       "Frontdesk",
		Version:    version,
		Build:      1,
		Release:    true,
		Custom:     map[string]string{},
		Migrations: map[string]bool{"fyneDo": true},
	}
	if len(icon) > 0 {
		md.Icon = fyne.NewStaticResource("icon.png", icon)
	}
	return md
}
