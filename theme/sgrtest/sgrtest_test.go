package sgrtest

import (
	"slices"
	"testing"
)

func TestColours(t *testing.T) {
	t.Parallel()
	for screen, want := range map[string][]string{
		"plain":                                      nil,
		"\x1b[1mbold\x1b[0m \x1b[3;4;7mx\x1b[m":      nil,
		"\x1b[39;49mthe terminal's own\x1b[0m":       nil,
		"\x1b[0;1m\x1b[2;5;8;9;22;23;24;27m":         nil,
		"\x1b[31mred":                                {`"\x1b[31m"`},
		"\x1b[1;38;5;147mx\x1b[48;2;1;2;3m":          {`"\x1b[1;38;5;147m"`, `"\x1b[48;2;1;2;3m"`},
		"\x1b[38:2::1:2:3m":                          {`"\x1b[38:2::1:2:3m"`},
		"\x1b[97m\x1b[103m\x1b[47m\x1b[37m\x1b[107m": {`"\x1b[97m"`, `"\x1b[103m"`, `"\x1b[47m"`, `"\x1b[37m"`, `"\x1b[107m"`},
		"\x1b[30m\x1b[40m\x1b[90m\x1b[100m":          {`"\x1b[30m"`, `"\x1b[40m"`, `"\x1b[90m"`, `"\x1b[100m"`},
		"\x1b]8;;https://x\x07link\x1b]8;;\x07":      nil,
	} {
		if got := Colours(screen); !slices.Equal(got, want) {
			t.Errorf("%q: %q, want %q", screen, got, want)
		}
	}
}
