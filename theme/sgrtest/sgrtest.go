// Package sgrtest reads the Select Graphic Rendition sequences (ESC [ … m)
// of a screen, for tests that check what a screen draws with: under
// NO_COLOR, attributes and no colour. It is for tests only.
package sgrtest

import (
	"regexp"
	"strconv"
	"strings"
)

// sequence is one SGR sequence, its parameters captured (";" between
// them, ":" between a colour's sub-parameters).
var sequence = regexp.MustCompile(`\x1b\[([0-9;:]*)m`)

// Colours lists, quoted, the sequences in screen that set a colour: 30-37
// and 90-97 (text), 40-47 and 100-107 (background), 38 and 48 (256 and
// true colour). 39 and 49, the terminal's own colours, set none.
func Colours(screen string) []string {
	var found []string
	for _, m := range sequence.FindAllStringSubmatch(screen, -1) {
		for _, param := range strings.Split(m[1], ";") {
			head, _, _ := strings.Cut(param, ":")
			n, err := strconv.Atoi(head)
			if err != nil {
				continue
			}
			if n == 38 || n == 48 || (n >= 30 && n <= 37) || (n >= 40 && n <= 47) || (n >= 90 && n <= 97) || (n >= 100 && n <= 107) {
				found = append(found, strconv.Quote(m[0]))
				// The parameters after 38 and 48 are the colour's.
				break
			}
		}
	}
	return found
}
