package model_test

import (
	"encoding/json"
	"testing"

	"github.com/apideck-samples/vault-session/model"
)

func TestOverlaySessionFieldByField(t *testing.T) {
	t.Parallel()
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

func TestOverlaySessionNullClearsAClosedObject(t *testing.T) {
	t.Parallel()
	base := model.Session{Theme: model.Theme{VaultName: "Base"}, Settings: model.Settings{ShowLogs: model.Bool(true)},
		CustomConsumerSettings: json.RawMessage(`{"a":1}`)}
	got, err := model.OverlaySession(base, []byte(`{"theme": null, "settings": {"show_logs": null}, "custom_consumer_settings": null}`))
	if err != nil {
		t.Fatal(err)
	}
	if got.Theme != (model.Theme{}) || got.Settings.ShowLogs != nil || got.CustomConsumerSettings != nil {
		t.Errorf("got %+v", got)
	}
	if _, err := model.OverlaySession(base, []byte(`{"theme": {"vault_name": 1}}`)); err == nil {
		t.Error("a wrong type was laid over")
	}
	// An empty object changes nothing.
	got, err = model.OverlaySession(base, []byte(`{"theme": {}}`))
	if err != nil || got.Theme.VaultName != "Base" {
		t.Errorf("theme {} gave %+v, %v", got.Theme, err)
	}
}

// FuzzOverlaySession: laid over an empty session, a file gives exactly what
// DecodeSession gives, and fails exactly when it does.
func FuzzOverlaySession(f *testing.F) {
	for _, seed := range []string{
		`{}`, `{"theme":null}`, `{"settings":{"show_logs":null,"unified_apis":["crm"]}}`,
		`{"custom_consumer_settings":{"a":[1,{"b":2}]},"theme":{"vault_name":"x"}}`, `{"theme":{"vault_name":1}}`,
		`{"redirect_uri":"https://a.co","redirect_uri":"https://b.co"}`, `[]`, `{"consumer_metadata":{}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		want, wantErr := model.DecodeSession(data)
		got, err := model.OverlaySession(model.Session{}, data)
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("%q: overlay error %v, decode error %v", data, err, wantErr)
		}
		if err != nil {
			return
		}
		a, _ := json.Marshal(got)
		b, _ := json.Marshal(want)
		if string(a) != string(b) {
			t.Fatalf("%q: overlay %s, decode %s", data, a, b)
		}
	})
}
