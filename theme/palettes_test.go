package theme

import (
	"testing"

	"github.com/apideck-samples/vault-session/model"
)

func TestPalettesPassContrast(t *testing.T) {
	t.Parallel()
	ps := Palettes()
	if len(ps) < 4 {
		t.Fatalf("only %d palettes", len(ps))
	}
	seen := map[string]bool{}
	for _, p := range ps {
		if seen[p.Name] {
			t.Errorf("palette %q listed twice", p.Name)
		}
		seen[p.Name] = true
		for _, c := range []string{p.PrimaryColor, p.SidepanelBackgroundColor, p.SidepanelTextColor} {
			if norm, err := model.NormalizeColor(c); err != nil || norm != c {
				t.Errorf("%s: colour %q is not in normal form (%v)", p.Name, c, err)
			}
		}
		for _, check := range ContrastReport(p.Apply(model.Theme{})) {
			if !check.Passes {
				t.Errorf("%s: %s", p.Name, check.Warning())
			}
		}
	}
}

func TestPaletteDefaultsFirst(t *testing.T) {
	t.Parallel()
	p := Palettes()[0]
	if p.PrimaryColor != DefaultPrimaryColor || p.SidepanelBackgroundColor != DefaultSidepanelBackgroundColor || p.SidepanelTextColor != DefaultSidepanelTextColor {
		t.Errorf("first palette %+v is not Vault's default", p)
	}
}

func TestPaletteApplyKeepsTheRest(t *testing.T) {
	t.Parallel()
	in := model.Theme{Logo: "https://acme.example/l.png", VaultName: "Acme", PrimaryColor: "#ff0000", TermsURL: "https://acme.example/t"}
	p, ok := PaletteByName("  midnight ")
	if !ok {
		t.Fatal("PaletteByName(midnight) not found")
	}
	got := p.Apply(in)
	if got.Logo != in.Logo || got.VaultName != "Acme" || got.TermsURL != in.TermsURL {
		t.Errorf("Apply lost fields: %+v", got)
	}
	if got.PrimaryColor != p.PrimaryColor || got.SidepanelBackgroundColor != p.SidepanelBackgroundColor || got.SidepanelTextColor != p.SidepanelTextColor {
		t.Errorf("Apply did not set the colours: %+v", got)
	}
	if _, ok := PaletteByName("Neon"); ok {
		t.Error("PaletteByName found a palette that does not exist")
	}
	// The list is fresh: changing it does not change the next call.
	ps := Palettes()
	ps[0].Name = "changed"
	if Palettes()[0].Name == "changed" {
		t.Error("Palettes returned shared state")
	}
}
