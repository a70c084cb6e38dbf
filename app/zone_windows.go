//go:build windows

package app

import (
	"time"

	"golang.org/x/sys/windows/registry"
)

// resolveSystemZone reads the zone's Windows name from the registry, where
// Settings > Time & language keeps it.
func resolveSystemZone() zoneResolution {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SYSTEM\CurrentControlSet\Control\TimeZoneInformation`, registry.QUERY_VALUE)
	if err != nil {
		return zoneResolution{Location: time.Local, Ignored: []string{"cannot read the time zone from the registry: " + err.Error()}}
	}
	defer k.Close()
	name, _, err := k.GetStringValue("TimeZoneKeyName")
	if err != nil {
		return zoneResolution{Location: time.Local, Ignored: []string{"cannot read TimeZoneKeyName from the registry: " + err.Error()}}
	}
	disabled, _, err := k.GetIntegerValue("DynamicDaylightTimeDisabled")
	return zoneFromWindowsKey(name, err == nil && disabled != 0)
}
