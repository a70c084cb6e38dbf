//go:build !windows

package app

import "os"

// resolveSystemZone reads TZ, /etc/localtime and /etc/timezone.
func resolveSystemZone() zoneResolution {
	return resolveUnixZone(zoneFiles{lookupEnv: os.LookupEnv, readlink: os.Readlink, readFile: os.ReadFile})
}
