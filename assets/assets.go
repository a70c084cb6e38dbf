// Package assets holds the resources bundled into the binary.
package assets

import (
	"embed"
	_ "embed"
)

// Icon is the application icon (PNG), used for the window and the installers.
//
//go:embed icon.png
var Icon []byte

// Translations are the operator strings in every language but English (the
// source language: English strings are the keys), one go-i18n JSON file per
// language, for fyne.io/fyne/v2/lang.
//
//go:embed translations/*.json
var Translations embed.FS

// Licences holds the licence and notice texts of every module linked into
// the binary (written by scripts/licences.sh), shown in Help > About.
//
//go:embed licences.txt
var Licences string
