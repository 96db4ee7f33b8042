package theme

import (
	"testing"

	"github.com/apideck-samples/vault-session/model"
)

func TestEffective(t *testing.T) {
	t.Parallel()
	t.Run("empty theme gets Vault's defaults", func(t *testing.T) {
		got := Effective(model.Theme{})
		want := model.Theme{
			Favicon:                  "/favicon.ico",
			PrimaryColor:             "#5d50ce",
			SidepanelBackgroundColor: "#edf2f7",
			SidepanelTextColor:       "#1f2937",
			VaultName:                "Apideck",
		}
		if got != want {
			t.Errorf("Effective(empty) = %+v, want %+v", got, want)
		}
	})
	t.Run("given values are normalised and kept", func(t *testing.T) {
		in := model.Theme{
			Favicon: "https://acme.example/f.ico", Logo: "https://acme.example/logo.png",
			PrimaryColor: "NAVY", SidepanelBackgroundColor: "#ABC", SidepanelTextColor: " 112233 ",
			VaultName: "Acme", PrivacyURL: "https://acme.example/p", TermsURL: "https://acme.example/t",
		}
		got := Effective(in)
		want := in
		want.PrimaryColor, want.SidepanelBackgroundColor, want.SidepanelTextColor = "#000080", "#aabbcc", "#112233"
		if got != want {
			t.Errorf("Effective = %+v, want %+v", got, want)
		}
	})
	t.Run("unreadable colours and blank names fall back", func(t *testing.T) {
		got := Effective(model.Theme{PrimaryColor: "#5d", SidepanelTextColor: "darkish", VaultName: "  "})
		if got.PrimaryColor != DefaultPrimaryColor || got.SidepanelTextColor != DefaultSidepanelTextColor || got.VaultName != "Apideck" {
			t.Errorf("Effective = %+v", got)
		}
	})
}

func TestButtonColor(t *testing.T) {
	t.Parallel()
	if got := ButtonColor(model.Theme{}); got != "#775ad8" {
		t.Errorf("ButtonColor(no primary) = %s, want Vault's #775ad8", got)
	}
	if got := ButtonColor(model.Theme{PrimaryColor: "#F00"}); got != "#ff0000" {
		t.Errorf("ButtonColor(#F00) = %s", got)
	}
}
