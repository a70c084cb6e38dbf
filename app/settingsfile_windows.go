//go:build windows

package app

// openNonBlocking has no use on Windows, where no named pipe sits at a file's
// path: the mode check before the open is enough.
const openNonBlocking = 0
