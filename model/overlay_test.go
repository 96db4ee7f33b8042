package model_test

import (
	"encoding/json"
	"testing"

	"github.com/apideck-samples/vault-session/model"
)

func TestOverlaySessionFieldByField(t *testing.T) {
	base := model.Session{
		RedirectURI: "https://base.example",
		Settings:    model.Settings{UnifiedAPIs: []string{"crm", "hris"}, SandboxMode: model.Bool(true)},
		Theme:       model.Theme{VaultName: "Base", PrimaryColor: "#111111"},
	}
	top := []byte(`{"settings": {"sandbox_mode": false}, "theme": {"vault_name": "Top"}, "custom_consumer_settings": {"a": 1.50}}`)
	got, err := model.OverlaySession(base, top)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(got)
	want := `{"redirect_uri":"https://base.example","settings":{"unified_apis":["crm","hris"],"sandbox_mode":false},` +
		`"theme":{"primary_color":"#111111","vault_name":"Top"},"custom_consumer_settings":{"a":1.50}}`
	if string(out) != want {
		t.Errorf("got  %s\nwant %s", out, want)
	}
}
