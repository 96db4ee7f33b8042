package model

import "strings"

// AndList joins items as a sentence lists them: "a", "a and b",
// "a, b and c"; "" for none.
func AndList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
