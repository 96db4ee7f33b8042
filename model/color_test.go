package model_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/apideck-samples/vault-session/model"
)

func TestNormalizeColorAccepts(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"#5D50CE", "#5d50ce"},
		{"#5d50ce", "#5d50ce"},
		{"5D50CE", "#5d50ce"},
		{"#fff", "#ffffff"},
		{"fff", "#ffffff"},
		{"#A1c", "#aa11cc"},
		{" #000 ", "#000000"},
		{"navy", "#000080"},
		{"RebeccaPurple", "#663399"},
		{"  White\t", "#ffffff"},
		{"grey", "#808080"},
		{"gray", "#808080"},
	} {
		got, err := model.NormalizeColor(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("NormalizeColor(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestNormalizeColorRefuses(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"#ff", "#12345", "#gggggg", "rgb(1,2,3)", "", "   ", "#ffff", "#1234567",
		"##fff", "# fff", "transparent", "navy blue", "0x5d50ce", "#fff;",
	} {
		got, err := model.NormalizeColor(in)
		if err == nil {
			t.Errorf("NormalizeColor(%q) = %q, want an error", in, got)
			continue
		}
		if got != "" {
			t.Errorf("NormalizeColor(%q) returned %q with its error", in, got)
		}
		msg := err.Error()
		if !strings.HasSuffix(msg, model.ColorHelp) {
			t.Errorf("NormalizeColor(%q) error %q does not say what is accepted", in, msg)
		}
		if strings.TrimSpace(in) != "" && !strings.Contains(msg, strconv.Quote(in)) {
			t.Errorf("NormalizeColor(%q) error %q does not quote the input", in, msg)
		}
	}
}

func TestRGB(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in      string
		r, g, b uint8
	}{
		{"#5D50CE", 0x5d, 0x50, 0xce},
		{"navy", 0, 0, 0x80},
		{"fff", 255, 255, 255},
		{"#a1c", 0xaa, 0x11, 0xcc},
		{"#000000", 0, 0, 0},
		{"RebeccaPurple", 0x66, 0x33, 0x99},
	} {
		r, g, b, err := model.RGB(tc.in)
		if err != nil || r != tc.r || g != tc.g || b != tc.b {
			t.Errorf("RGB(%q) = %d, %d, %d, %v; want %d, %d, %d", tc.in, r, g, b, err, tc.r, tc.g, tc.b)
		}
	}
	for _, in := range []string{"#ff", "", "#gggggg"} {
		if r, g, b, err := model.RGB(in); err == nil || r|g|b != 0 {
			t.Errorf("RGB(%q) = %d, %d, %d, %v; want 0, 0, 0 and an error", in, r, g, b, err)
		}
	}
}

var normalColor = regexp.MustCompile(`^#[0-9a-f]{6}$`)

func TestColorNames(t *testing.T) {
	t.Parallel()
	names := model.ColorNames()
	// CSS Color Module Level 4 names 148 colours (not counting
	// transparent and currentcolor, which are not colours one can pick).
	if len(names) != 148 {
		t.Errorf("ColorNames() has %d names, want CSS Color 4's 148", len(names))
	}
	for name, hex := range names {
		if name != strings.ToLower(name) || strings.TrimSpace(name) != name {
			t.Errorf("colour name %q is not lower case and trimmed", name)
		}
		if !normalColor.MatchString(hex) {
			t.Errorf("colour %q is %q, not #rrggbb", name, hex)
		}
		if got, err := model.NormalizeColor(strings.ToUpper(name)); err != nil || got != hex {
			t.Errorf("NormalizeColor(%q) = %q, %v; want %q", strings.ToUpper(name), got, err, hex)
		}
	}
}

func TestColorNamesIsACopy(t *testing.T) {
	t.Parallel()
	names := model.ColorNames()
	names["navy"] = "#ffffff"
	delete(names, "red")
	names["brand"] = "#5d50ce"

	if got, err := model.NormalizeColor("navy"); err != nil || got != "#000080" {
		t.Errorf("after changing the returned map, NormalizeColor(navy) = %q, %v", got, err)
	}
	if got, err := model.NormalizeColor("red"); err != nil || got != "#ff0000" {
		t.Errorf("after deleting from the returned map, NormalizeColor(red) = %q, %v", got, err)
	}
	if _, err := model.NormalizeColor("brand"); err == nil {
		t.Error("a name added to the returned map became a colour")
	}
	fresh := model.ColorNames()
	if fresh["navy"] != "#000080" || fresh["red"] != "#ff0000" || fresh["brand"] != "" {
		t.Error("ColorNames() returned the map changed by an earlier caller")
	}
}

var hexColor = regexp.MustCompile(`^#?([0-9a-f]{3}|[0-9a-f]{6})$`)

func FuzzNormalizeColor(f *testing.F) {
	for _, seed := range []string{
		"#5D50CE", "#fff", "fff", "navy", "RebeccaPurple", " #000 ",
		"#ff", "#12345", "#gggggg", "rgb(1,2,3)", "", "#ffff", "##fff", "\u212a", "#ＦＦＦ",
	} {
		f.Add(seed)
	}
	names := model.ColorNames()
	f.Fuzz(func(t *testing.T, text string) {
		got, err := model.NormalizeColor(text)

		s := strings.ToLower(strings.TrimSpace(text))
		_, isName := names[s]
		wantOK := isName || hexColor.MatchString(s)
		if err != nil {
			if wantOK {
				t.Fatalf("NormalizeColor(%q) refused a colour: %v", text, err)
			}
			if got != "" || !strings.HasSuffix(err.Error(), model.ColorHelp) {
				t.Fatalf("NormalizeColor(%q) = %q, %v; want \"\" and a message saying what is accepted", text, got, err)
			}
			return
		}
		if !wantOK {
			t.Fatalf("NormalizeColor(%q) = %q, but it is neither #rgb, #rrggbb nor a CSS name", text, got)
		}
		if !normalColor.MatchString(got) {
			t.Fatalf("NormalizeColor(%q) = %q, not lower-case #rrggbb", text, got)
		}
		if again, err := model.NormalizeColor(got); err != nil || again != got {
			t.Fatalf("NormalizeColor is not idempotent: %q -> %q -> %q, %v", text, got, again, err)
		}
		r, g, b, err := model.RGB(text)
		if err != nil {
			t.Fatalf("RGB(%q) failed where NormalizeColor gave %q: %v", text, got, err)
		}
		if want := strconv.FormatUint(uint64(r)<<16|uint64(g)<<8|uint64(b)|1<<24, 16)[1:]; "#"+want != got {
			t.Fatalf("RGB(%q) = %d, %d, %d; NormalizeColor gave %q", text, r, g, b, got)
		}
	})
}
