package model

import (
	"regexp"
	"testing"
)

// TestWellKnownConnectors: every unified API of the catalogue has
// connectors to offer, each with a usable id and a name, none twice.
func TestWellKnownConnectors(t *testing.T) {
	t.Parallel()
	validID := regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
	listed := map[string]bool{}
	for _, api := range ConnectorAPIs() {
		listed[api] = true
	}
	for _, api := range UnifiedAPIs() {
		connectors := WellKnownConnectors(api.ID)
		if len(connectors) == 0 || !listed[api.ID] {
			t.Errorf("%s: no well-known connectors (or missing from ConnectorAPIs)", api.ID)
		}
		seen := map[string]bool{}
		for _, c := range connectors {
			if !validID.MatchString(c.ID) || c.Name == "" || c.AuthType == "" || seen[c.ID] {
				t.Errorf("%s: bad or repeated connector %+v", api.ID, c)
			}
			seen[c.ID] = true
		}
	}
	if WellKnownConnectors("no-such-api") != nil {
		t.Error("an unknown API has connectors")
	}
}
