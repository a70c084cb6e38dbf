// Package assets holds the resources bundled into the binary.
package assets

import _ "embed"

// Icon is the application icon (PNG), used for the window and the installers.
//
//go:embed icon.png
var Icon []byte
