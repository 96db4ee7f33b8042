package store

import "path/filepath"

// resolveDirs returns the config and state homes. The XDG variables win on
// every OS when set to an absolute path (the XDG spec says to ignore a
// relative one). Otherwise each OS's usual place: ~/.config and
// ~/.local/state on Linux and the BSDs, ~/Library/Application Support on
// macOS, %AppData% and %LocalAppData% on Windows, as os.UserConfigDir
// would say; every variable is read through getenv so tests choose them.
func resolveDirs(goos string, getenv func(string) string) (config, state string, err error) {
	config = absolute(getenv("XDG_CONFIG_HOME"))
	state = absolute(getenv("XDG_STATE_HOME"))
	if config != "" && state != "" {
		return config, state, nil
	}
	home := getenv("HOME")
	var osConfig, osState string
	switch goos {
	case "windows":
		osConfig, osState = getenv("AppData"), getenv("LocalAppData")
		if osState == "" {
			osState = osConfig
		}
	case "darwin", "ios":
		if home != "" {
			osConfig = filepath.Join(home, "Library", "Application Support")
			osState = osConfig
		}
	case "plan9":
		if home = getenv("home"); home != "" {
			osConfig, osState = filepath.Join(home, "lib"), filepath.Join(home, "lib")
		}
	default:
		if home != "" {
			osConfig, osState = filepath.Join(home, ".config"), filepath.Join(home, ".local", "state")
		}
	}
	// Nothing is read from the process's own environment behind getenv's
	// back (os.UserConfigDir would): a caller that passes no HOME gets an
	// error, never the real home, so a test cannot write into it.
	if (config == "" && osConfig == "") || (state == "" && osState == "") {
		return "", "", errNoHome
	}
	if config == "" {
		config = osConfig
	}
	if state == "" {
		state = osState
	}
	return config, state, nil
}

func absolute(dir string) string {
	if dir == "" || !filepath.IsAbs(dir) {
		return ""
	}
	return filepath.Clean(dir)
}
