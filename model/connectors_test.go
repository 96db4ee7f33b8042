package model

import (
	"regexp"
	"strings"
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

// OAuth connectors sign in on their own screen; the others ask for an API
// key, or a user name and password for basic auth.
func TestConnectorSettingsFields(t *testing.T) {
	for _, tc := range []struct {
		c     Connector
		oauth bool
		ids   []string
	}{
		{Connector{AuthType: "oauth2"}, true, nil},
		{Connector{AuthType: "apiKey"}, false, []string{"api_key"}},
		{Connector{AuthType: "custom"}, false, []string{"api_key"}},
		{Connector{AuthType: "basic"}, false, []string{"username", "password"}},
		{Connector{AuthType: "none"}, false, nil},
	} {
		var ids []string
		for _, f := range tc.c.SettingsFields() {
			ids = append(ids, f.ID)
		}
		if tc.c.SignsInWithOAuth() != tc.oauth || strings.Join(ids, ",") != strings.Join(tc.ids, ",") {
			t.Errorf("%s: oauth %v, fields %v", tc.c.AuthType, tc.c.SignsInWithOAuth(), ids)
		}
	}
}
