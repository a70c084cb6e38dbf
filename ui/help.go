package ui

import (
	"context"
	"net/url"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// settingsShortcut is Ctrl+, (Cmd+, on macOS), where desktop apps keep Settings.
var settingsShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyComma, Modifier: fyne.KeyModifierShortcutDefault}

// menu is the window's main menu: File (Settings) and Help.
func (m *mainWindow) menu() *fyne.MainMenu {
	settings := fyne.NewMenuItem(lang.L("Settings…"), m.openSettings)
	settings.Shortcut = settingsShortcut
	signIn := fyne.NewMenuItem(lang.L("Sign in to Microsoft 365…"), m.signIn.Show)
	file := fyne.NewMenu(lang.L("File"), settings, signIn)
	if m.actions.SearchDirectory != nil && m.actions.AddColleagues != nil {
		// Later additions too, not only over a list of one.
		file.Items = append(file.Items, fyne.NewMenuItem(lang.L("Add colleagues…"), m.openColleaguePicker))
	}
	if m.opts.Console.Messages != nil {
		messages := fyne.NewMenuItem(lang.L("Messages taken…"), m.showMessages)
		messages.Shortcut = shortcutMessageLog
		file.Items = append(file.Items, fyne.NewMenuItemSeparator(), messages)
	}
	help := fyne.NewMenu(lang.L("Help"),
		fyne.NewMenuItem(lang.L("Keyboard shortcuts"), m.showShortcuts),
		fyne.NewMenuItem(lang.L("Open log folder"), m.openLogFolder),
		fyne.NewMenuItem(lang.L("Copy diagnostics"), m.copyDiagnostics),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem(lang.L("About Frontdesk"), m.showAbout),
	)
	return fyne.NewMainMenu(file, help)
}

func (m *mainWindow) addShortcuts() {
	m.win.Canvas().AddShortcut(settingsShortcut, func(fyne.Shortcut) { m.openSettings() })
}

// shortcutRows are the keys the console answers to, as the operator presses them.
func shortcutRows() [][2]string {
	return append(consoleShortcutRows(), [2]string{"Ctrl+,", lang.L("Settings")})
}

func (m *mainWindow) showShortcuts() {
	rows := container.NewGridWithColumns(2)
	for _, r := range shortcutRows() {
		rows.Add(widget.NewLabelWithStyle(r[0], fyne.TextAlignLeading, fyne.TextStyle{Monospace: true}))
		rows.Add(widget.NewLabel(r[1]))
	}
	m.showModal("shortcuts", lang.L("Keyboard shortcuts"), lang.L("Close"), rows, fyne.Size{}, nil)
}

// openLogFolder opens the log folder in the operator's file manager.
func (m *mainWindow) openLogFolder() {
	dir := m.actions.LogFolder
	if dir == "" {
		return
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	u := &url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}
	// Fyne's OpenURL waits for the handler to start on Windows (rundll32):
	// never on the Fyne goroutine.
	go func() {
		if err := fyne.CurrentApp().OpenURL(u); err != nil {
			fyne.Do(func() {
				m.showInformation(lang.L("Open log folder"), lang.X("help.log_folder", "The log folder is {{.Folder}}", map[string]any{"Folder": abs}))
			})
		}
	}()
}

// copyDiagnostics puts the diagnostics on the clipboard and says where the file is.
func (m *mainWindow) copyDiagnostics() {
	if m.actions.Diagnostics == nil {
		return
	}
	m.async(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		text, path, err := m.actions.Diagnostics(ctx)
		fyne.Do(func() {
			if text != "" {
				fyne.CurrentApp().Clipboard().SetContent(text)
			}
			if err != nil {
				m.showInformation(lang.L("Copy diagnostics"), lang.X("help.diagnostics_copied_only",
					"The diagnostics are on the clipboard, but the file could not be written: {{.Error}}", map[string]any{"Error": err.Error()}))
				return
			}
			m.showInformation(lang.L("Copy diagnostics"), lang.X("help.diagnostics_copied",
				"The diagnostics are on the clipboard and in {{.Path}}. Secrets are left out.", map[string]any{"Path": path}))
		})
	})
}

func (m *mainWindow) showAbout() {
	a := m.actions.About
	info := widget.NewForm(
		widget.NewFormItem(lang.L("Version"), widget.NewLabel(a.Version)),
		widget.NewFormItem(lang.L("Commit"), widget.NewLabel(a.Commit)),
		widget.NewFormItem(lang.L("Built"), widget.NewLabel(a.BuildDate)),
	)
	licences := widget.NewMultiLineEntry()
	licences.SetText(a.Licences)
	licences.Wrapping = fyne.TextWrapOff
	licences.SetMinRowsVisible(8)
	licences.Disable()
	content := container.NewVBox(
		wrapped(lang.L("Frontdesk shows colleagues' calendars at a glance.")),
		info,
		widget.NewLabelWithStyle(lang.L("Licence notices of the components"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		licences,
	)
	m.showModal("about", lang.L("About Frontdesk"), lang.L("Close"), content, fyne.NewSize(560, 480), nil)
}

// showInformation is a sentence in a dialog with Close, which has the keyboard.
func (m *mainWindow) showInformation(title, text string) {
	m.showModal("information", title, lang.L("Close"), wrapped(text), fyne.Size{}, nil)
}
