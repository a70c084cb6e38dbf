package app

import (
	"os"
	"path/filepath"
	"runtime"
)

// Paths are where Frontdesk keeps its files. Tests build their own; the binary
// uses DefaultPaths.
type Paths struct {
	ConfigFile string // per-user config.toml
	PolicyFile string // admin policy overlay; read-only for the user
	LogDir     string
	StateDir   string // instance lock, caches without secrets
	// CacheDir holds what can be fetched again (colleagues' photos); the
	// OS's cache folder, which backup tools and cleaners know to skip.
	CacheDir string
}

// DefaultPaths follows each platform's conventions, so IT finds the log where
// they expect it. FRONTDESK_CONFIG names another config file.
func DefaultPaths(getenv func(string) string) Paths {
	home, _ := os.UserHomeDir()
	configDir, err := os.UserConfigDir()
	if err != nil {
		configDir = filepath.Join(home, ".config")
	}
	p := Paths{ConfigFile: filepath.Join(configDir, "Frontdesk", "config.toml")}
	switch runtime.GOOS {
	case "windows":
		local := getenv("LOCALAPPDATA")
		if local == "" {
			local = filepath.Join(home, "AppData", "Local")
		}
		programData := getenv("ProgramData")
		if programData == "" {
			programData = `C:\ProgramData`
		}
		p.PolicyFile = filepath.Join(programData, "Frontdesk", "policy.toml")
		p.LogDir = filepath.Join(local, "Frontdesk", "Logs")
		p.StateDir = filepath.Join(local, "Frontdesk")
		p.CacheDir = filepath.Join(local, "Frontdesk", "Cache")
	case "darwin":
		p.PolicyFile = "/Library/Application Support/Frontdesk/policy.toml"
		p.LogDir = filepath.Join(home, "Library", "Logs", "Frontdesk")
		p.StateDir = filepath.Join(home, "Library", "Application Support", "Frontdesk")
		p.CacheDir = filepath.Join(home, "Library", "Caches", "Frontdesk")
	default:
		state := getenv("XDG_STATE_HOME")
		if state == "" {
			state = filepath.Join(home, ".local", "state")
		}
		p.PolicyFile = "/etc/frontdesk/policy.toml"
		p.LogDir = filepath.Join(state, "frontdesk")
		p.StateDir = filepath.Join(state, "frontdesk")
		cache := getenv("XDG_CACHE_HOME")
		if cache == "" {
			cache = filepath.Join(home, ".cache")
		}
		p.CacheDir = filepath.Join(cache, "frontdesk")
	}
	if f := getenv("FRONTDESK_CONFIG"); f != "" {
		p.ConfigFile = f
	}
	return p
}
