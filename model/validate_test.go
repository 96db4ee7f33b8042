package model_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/apideck-samples/vault-session/model"
)

func sessionLengthError(text string) string {
	_, err := model.ParseSessionLength(text)
	return err.Error()
}

func TestSessionValidateFields(t *testing.T) {
	t.Parallel()
	const (
		notEmail    = " is not an email address: use name@example.com"
		notAbsolute = " is not an absolute URL: use https://example.com/..."
		notHTTP     = " must start with https:// or http://"
		spaces      = "a URL cannot contain spaces"
		notColour   = " is not a colour: " + model.ColorHelp
	)
	type errs = model.ValidationErrors
	for _, tc := range []struct {
		name string
		s    model.Session
		want errs
	}{
		{"empty session", model.Session{}, nil},
		{"email valid", model.Session{ConsumerMetadata: model.ConsumerMetadata{Email: "a@b.co"}}, nil},
		{"email x", model.Session{ConsumerMetadata: model.ConsumerMetadata{Email: "x"}},
			errs{{"consumer_metadata.email", `"x"` + notEmail}}},
		{"email without dotted domain", model.Session{ConsumerMetadata: model.ConsumerMetadata{Email: "a@b"}},
			errs{{"consumer_metadata.email", `"a@b" has no full domain: use name@example.com`}}},
		{"email with a name", model.Session{ConsumerMetadata: model.ConsumerMetadata{Email: "A <a@b.co>"}},
			errs{{"consumer_metadata.email", `"A <a@b.co>"` + notEmail}}},
		{"email in brackets", model.Session{ConsumerMetadata: model.ConsumerMetadata{Email: "<a@b.co>"}},
			errs{{"consumer_metadata.email", `"<a@b.co>"` + notEmail}}},
		{"email domain starts with a dot", model.Session{ConsumerMetadata: model.ConsumerMetadata{Email: "a@.com"}},
			errs{{"consumer_metadata.email", `"a@.com"` + notEmail}}},
		{"image valid", model.Session{ConsumerMetadata: model.ConsumerMetadata{Image: "https://example.com/a.png"}}, nil},
		{"image relative", model.Session{ConsumerMetadata: model.ConsumerMetadata{Image: "/a.png"}},
			errs{{"consumer_metadata.image", `"/a.png"` + notAbsolute}}},
		{"names are free text", model.Session{ConsumerMetadata: model.ConsumerMetadata{AccountName: " <Acme> ", UserName: "Ann\tB"}}, nil},
		{"redirect valid http", model.Session{RedirectURI: "http://localhost:3000/done"}, nil},
		{"redirect without host", model.Session{RedirectURI: "https://"},
			errs{{"redirect_uri", `"https://"` + notAbsolute}}},
		{"redirect javascript", model.Session{RedirectURI: "javascript:alert(1)"},
			errs{{"redirect_uri", `"javascript:alert(1)"` + notAbsolute}}},
		{"logo relative", model.Session{Theme: model.Theme{Logo: "logo.png"}},
			errs{{"theme.logo", `"logo.png"` + notAbsolute}}},
		{"favicon ftp", model.Session{Theme: model.Theme{Favicon: "ftp://example.com/f.ico"}},
			errs{{"theme.favicon", `"ftp://example.com/f.ico"` + notHTTP}}},
		{"privacy without host", model.Session{Theme: model.Theme{PrivacyURL: "https://"}},
			errs{{"theme.privacy_url", `"https://"` + notAbsolute}}},
		{"terms with a space", model.Session{Theme: model.Theme{TermsURL: "https://example.com/our terms"}},
			errs{{"theme.terms_url", spaces}}},
		{"terms with a leading space", model.Session{Theme: model.Theme{TermsURL: " https://example.com/terms"}},
			errs{{"theme.terms_url", spaces}}},
		{"theme URLs valid", model.Session{Theme: model.Theme{
			Logo: "https://example.com/l.svg", Favicon: "https://example.com/f.ico",
			PrivacyURL: "https://example.com/privacy", TermsURL: "http://example.com/terms?v=2#top",
		}}, nil},
		{"colours valid", model.Session{Theme: model.Theme{
			PrimaryColor: "#5D50CE", SidepanelBackgroundColor: "fff", SidepanelTextColor: "navy",
		}}, nil},
		{"primary colour", model.Session{Theme: model.Theme{PrimaryColor: "#ff"}},
			errs{{"theme.primary_color", `"#ff"` + notColour}}},
		{"sidepanel background colour", model.Session{Theme: model.Theme{SidepanelBackgroundColor: "#gggggg"}},
			errs{{"theme.sidepanel_background_color", `"#gggggg"` + notColour}}},
		{"sidepanel text colour", model.Session{Theme: model.Theme{SidepanelTextColor: "rgb(1,2,3)"}},
			errs{{"theme.sidepanel_text_color", `"rgb(1,2,3)"` + notColour}}},
		{"vault name is free text", model.Session{Theme: model.Theme{VaultName: "Acme <3"}}, nil},
		{"unified APIs valid", model.Session{Settings: model.Settings{UnifiedAPIs: []string{"crm", "hris", "script"}}}, nil},
		{"unified API unknown and duplicate", model.Session{Settings: model.Settings{UnifiedAPIs: []string{"crm", "CRM", "crm", "hris"}}},
			errs{
				{"settings.unified_apis[1]", `"CRM" is not a unified API id (e.g. crm, hris, accounting)`},
				{"settings.unified_apis[2]", `"crm" is listed twice`},
			}},
		{"unified API unknown twice", model.Session{Settings: model.Settings{UnifiedAPIs: []string{"", ""}}},
			errs{
				{"settings.unified_apis[0]", `"" is not a unified API id (e.g. crm, hris, accounting)`},
				{"settings.unified_apis[1]", `"" is not a unified API id (e.g. crm, hris, accounting)`},
			}},
		{"no action allowed", model.Session{Settings: model.Settings{AllowActions: []string{}}}, nil},
		{"actions valid", model.Session{Settings: model.Settings{AllowActions: []string{"delete", "disconnect", "reauthorize", "disable"}}}, nil},
		{"action unknown and duplicate", model.Session{Settings: model.Settings{AllowActions: []string{"delete", "remove", "delete"}}},
			errs{
				{"settings.allow_actions[1]", `"remove" is not an action: use delete, disconnect, reauthorize or disable`},
				{"settings.allow_actions[2]", `"delete" is listed twice`},
			}},
		{"session length valid", model.Session{Settings: model.Settings{SessionLength: "1w"}}, nil},
		{"session length over a week", model.Session{Settings: model.Settings{SessionLength: "8d"}},
			errs{{"settings.session_length", sessionLengthError("8d")}}},
		{"session length blank", model.Session{Settings: model.Settings{SessionLength: " "}},
			errs{{"settings.session_length", sessionLengthError(" ")}}},
		{"booleans are always valid", model.Session{Settings: model.Settings{ShowLogs: model.Bool(false), SandboxMode: model.Bool(true)}}, nil},
		{"custom settings are free", model.Session{CustomConsumerSettings: json.RawMessage(`{"anything":[1,"x"]}`)}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.s.Validate()
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Validate() =\n%v\nwant\n%v", got, tc.want)
			}
		})
	}
}

func TestSessionLengthErrorNamesWhatIsAccepted(t *testing.T) {
	t.Parallel()
	errs := model.Session{Settings: model.Settings{SessionLength: "2w"}}.Validate()
	if msg := errs.For("settings.session_length"); !strings.Contains(msg, model.SessionLengthHelp) {
		t.Errorf("session length error %q does not say what is accepted", msg)
	}
}

func TestValidateKeepsFormOrder(t *testing.T) {
	t.Parallel()
	r := model.Request{
		AppID:      "",
		ConsumerID: " c ",
		Session: model.Session{
			ConsumerMetadata: model.ConsumerMetadata{Email: "x", Image: "x"},
			RedirectURI:      "x",
			Settings: model.Settings{
				UnifiedAPIs:   []string{"x"},
				SessionLength: "x",
				AllowActions:  []string{"x"},
			},
			Theme: model.Theme{
				// Set in the struct's order, which is not the form's.
				Favicon: "x", Logo: "x",
				PrimaryColor: "x", SidepanelBackgroundColor: "x", SidepanelTextColor: "x",
				PrivacyURL: "x", TermsURL: "x",
			},
		},
	}
	var paths []string
	for _, e := range r.Validate() {
		paths = append(paths, e.Path)
	}
	want := []string{
		"app_id", "consumer_id",
		"consumer_metadata.email", "consumer_metadata.image", "redirect_uri",
		"settings.unified_apis[0]", "settings.session_length", "settings.allow_actions[0]",
		"theme.primary_color", "theme.sidepanel_background_color", "theme.sidepanel_text_color",
		"theme.logo", "theme.favicon", "theme.privacy_url", "theme.terms_url",
	}
	if !reflect.DeepEqual(paths, want) {
		t.Errorf("error paths in order\n got %v\nwant %v", paths, want)
	}
}

func TestRequestValidateHeaders(t *testing.T) {
	t.Parallel()
	valid := model.Session{RedirectURI: "https://example.com"}
	type errs = model.ValidationErrors
	for _, tc := range []struct {
		name              string
		appID, consumerID string
		want              errs
	}{
		{"both set", "app-1", "consumer@example.com", nil},
		{"both missing", "", "", errs{{"app_id", "app ID is required"}, {"consumer_id", "consumer ID is required"}}},
		{"blank", " \t", "c", errs{{"app_id", "app ID is required"}}},
		{"newline inside", "app\n1", "c", errs{{"app_id", "app ID cannot contain control characters"}}},
		{"trailing newline", "a", "c\n", errs{{"consumer_id", "consumer ID cannot contain control characters"}}},
		{"NUL", "a\x00", "c", errs{{"app_id", "app ID cannot contain control characters"}}},
		{"DEL", "a", "c\x7f", errs{{"consumer_id", "consumer ID cannot contain control characters"}}},
		{"tab inside", "a\tb", "c", errs{{"app_id", "app ID cannot contain control characters"}}},
		{"leading space", " a", "c", errs{{"app_id", "app ID has spaces around it"}}},
		{"trailing space", "a", "c ", errs{{"consumer_id", "consumer ID has spaces around it"}}},
		{"space inside is kept", "my app", "consumer 1", nil},
		{"non-ASCII is fine", "appé", "consumer-ü", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := model.Request{AppID: tc.appID, ConsumerID: tc.consumerID, Session: valid}.Validate()
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Validate() =\n%v\nwant\n%v", got, tc.want)
			}
		})
	}
}

func TestRequestValidateIncludesTheBody(t *testing.T) {
	t.Parallel()
	r := model.Request{AppID: "a", ConsumerID: "c", Session: model.Session{RedirectURI: "nope"}}
	got := r.Validate()
	want := r.Session.Validate()
	if len(want) != 1 || !reflect.DeepEqual(got, want) {
		t.Errorf("Request.Validate() = %v, want the body's errors %v", got, want)
	}
}

func TestCheckURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"https://example.com", ""},
		{"http://localhost:8080/x?y=1#z", ""},
		{"HTTPS://EXAMPLE.COM/A", ""},
		{"https://res.cloudinary.com/apideck/icons/intercom", ""},
		{"/logo.png", `"/logo.png" is not an absolute URL: use https://example.com/...`},
		{"//example.com/x", `"//example.com/x" is not an absolute URL: use https://example.com/...`},
		{"example.com", `"example.com" is not an absolute URL: use https://example.com/...`},
		{"https://", `"https://" is not an absolute URL: use https://example.com/...`},
		{"mailto:a@b.co", `"mailto:a@b.co" is not an absolute URL: use https://example.com/...`},
		{"http://[::1", `"http://[::1" is not an absolute URL: use https://example.com/...`},
		{"ftp://example.com/f", `"ftp://example.com/f" must start with https:// or http://`},
		{"file://host/etc/passwd", `"file://host/etc/passwd" must start with https:// or http://`},
		{"https://example.com/a b", "a URL cannot contain spaces"},
		{"https://example.com/\tb", "a URL cannot contain spaces"},
		{"https://example.com\n", "a URL cannot contain spaces"},
	} {
		if got := model.CheckURL(tc.in); got != tc.want {
			t.Errorf("CheckURL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestValidationErrorsHelpers(t *testing.T) {
	t.Parallel()
	v := model.ValidationErrors{
		{"consumer_metadata.email", "bad email"},
		{"settings.unified_apis[0]", "bad api"},
		{"settings.session_length", "bad length"},
		{"settings.unified_apis[0]", "second message for the same path"},
		{"theme.logo", "bad logo"},
	}
	if got, want := v.Error(), "consumer_metadata.email: bad email\n"+
		"settings.unified_apis[0]: bad api\n"+
		"settings.session_length: bad length\n"+
		"settings.unified_apis[0]: second message for the same path\n"+
		"theme.logo: bad logo"; got != want {
		t.Errorf("Error() =\n%s\nwant\n%s", got, want)
	}
	if got := v[0].Error(); got != "consumer_metadata.email: bad email" {
		t.Errorf("FieldError.Error() = %q", got)
	}

	for path, want := range map[string]string{
		"settings.unified_apis[0]": "bad api", // the first one
		"theme.logo":               "bad logo",
		"theme.favicon":            "",
		"settings":                 "", // a prefix is not a path
		"":                         "",
	} {
		if got := v.For(path); got != want {
			t.Errorf("For(%q) = %q, want %q", path, got, want)
		}
	}

	under := v.Under("settings.")
	if want := (model.ValidationErrors{v[1], v[2], v[3]}); !reflect.DeepEqual(under, want) {
		t.Errorf("Under(settings.) = %v, want %v", under, want)
	}
	if got := v.Under("settings.unified_apis"); len(got) != 2 {
		t.Errorf("Under(settings.unified_apis) = %v, want both unified_apis errors", got)
	}
	if got := v.Under("redirect_uri"); got != nil {
		t.Errorf("Under(redirect_uri) = %v, want nil", got)
	}
	if got := v.Under(""); !reflect.DeepEqual(got, v) {
		t.Errorf("Under(\"\") = %v, want everything", got)
	}

	var err error = v
	if !strings.Contains(err.Error(), "theme.logo: bad logo") {
		t.Error("ValidationErrors does not work as an error")
	}
	if got := (model.ValidationErrors(nil)).Error(); got != "" {
		t.Errorf("empty ValidationErrors.Error() = %q", got)
	}
}

func TestNormalized(t *testing.T) {
	t.Parallel()
	in := model.Session{
		ConsumerMetadata: model.ConsumerMetadata{
			AccountName: "  Acme Corp ", UserName: "\tAnn Lee\n", Email: " ann@acme.co ", Image: " https://acme.co/ann.png ",
		},
		RedirectURI: " https://app.acme.co/done ",
		Settings: model.Settings{
			UnifiedAPIs:   []string{"crm", "hris"},
			SessionLength: "1w",
			ShowLogs:      model.Bool(false),
			AllowActions:  []string{"delete"},
		},
		Theme: model.Theme{
			Favicon: " https://acme.co/f.ico", Logo: "https://acme.co/l.svg ",
			PrimaryColor: "#5D50CE", SidepanelBackgroundColor: " FFF ", SidepanelTextColor: "Navy",
			VaultName: " Acme ", PrivacyURL: " https://acme.co/privacy ", TermsURL: " https://acme.co/terms ",
		},
		CustomConsumerSettings: json.RawMessage(`{"plan":" pro "}`),
	}
	want := model.Session{
		ConsumerMetadata: model.ConsumerMetadata{
			AccountName: "Acme Corp", UserName: "Ann Lee", Email: "ann@acme.co", Image: "https://acme.co/ann.png",
		},
		RedirectURI: "https://app.acme.co/done",
		Settings: model.Settings{
			UnifiedAPIs:   []string{"crm", "hris"},
			SessionLength: "7d",
			ShowLogs:      model.Bool(false),
			AllowActions:  []string{"delete"},
		},
		Theme: model.Theme{
			Favicon: "https://acme.co/f.ico", Logo: "https://acme.co/l.svg",
			PrimaryColor: "#5d50ce", SidepanelBackgroundColor: "#ffffff", SidepanelTextColor: "#000080",
			VaultName: "Acme", PrivacyURL: "https://acme.co/privacy", TermsURL: "https://acme.co/terms",
		},
		// Custom settings are the integrator's own data: left as they are.
		CustomConsumerSettings: json.RawMessage(`{"plan":" pro "}`),
	}
	before := cloneSession(in)
	got := in.Normalized()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Normalized() =\n%+v\nwant\n%+v", got, want)
	}
	if !reflect.DeepEqual(in, before) {
		t.Errorf("Normalized changed its input:\n%+v\nwas\n%+v", in, before)
	}
	if errs := got.Validate(); errs != nil {
		t.Errorf("the normalized session does not validate: %v", errs)
	}

	got.Settings.UnifiedAPIs[0] = "changed"
	got.Settings.AllowActions[0] = "changed"
	if in.Settings.UnifiedAPIs[0] != "crm" || in.Settings.AllowActions[0] != "delete" {
		t.Error("the normalized session shares its slices with the input")
	}
	got.Settings.UnifiedAPIs = append(got.Settings.UnifiedAPIs, "more")
	if len(in.Settings.UnifiedAPIs) != 2 {
		t.Error("appending to the normalized slice changed the input")
	}
}

func TestNormalizedLeavesInvalidValuesAsTyped(t *testing.T) {
	t.Parallel()
	in := model.Session{
		Settings: model.Settings{SessionLength: " 8d "},
		Theme:    model.Theme{PrimaryColor: " #ff ", SidepanelTextColor: "rgb(1,2,3)"},
	}
	got := in.Normalized()
	if got.Settings.SessionLength != " 8d " {
		t.Errorf("invalid session length became %q", got.Settings.SessionLength)
	}
	if got.Theme.PrimaryColor != " #ff " || got.Theme.SidepanelTextColor != "rgb(1,2,3)" {
		t.Errorf("invalid colours became %q and %q", got.Theme.PrimaryColor, got.Theme.SidepanelTextColor)
	}
	if got.Theme.SidepanelBackgroundColor != "" {
		t.Errorf("an unset colour became %q", got.Theme.SidepanelBackgroundColor)
	}
	// The errors still name what was typed.
	if msg := got.Validate().For("theme.primary_color"); !strings.Contains(msg, `" #ff "`) {
		t.Errorf("primary colour error %q does not quote what was typed", msg)
	}
}

func TestNormalizedKeepsNilAndEmptyApart(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		actions []string
		apis    []string
	}{
		{"nil", nil, nil},
		{"empty", []string{}, []string{}},
	} {
		got := model.Session{Settings: model.Settings{AllowActions: tc.actions, UnifiedAPIs: tc.apis}}.Normalized()
		if (got.Settings.AllowActions == nil) != (tc.actions == nil) || len(got.Settings.AllowActions) != 0 {
			t.Errorf("%s allow_actions became %#v", tc.name, got.Settings.AllowActions)
		}
		if len(got.Settings.UnifiedAPIs) != 0 {
			t.Errorf("%s unified_apis became %#v", tc.name, got.Settings.UnifiedAPIs)
		}
	}
	if got := (model.Session{}).Normalized(); !reflect.DeepEqual(got, model.Session{}) {
		t.Errorf("the empty session normalizes to %+v", got)
	}
}

// cloneSession copies the parts of s that Normalized could reach through.
func cloneSession(s model.Session) model.Session {
	out := s
	out.Settings.UnifiedAPIs = slices.Clone(s.Settings.UnifiedAPIs)
	out.Settings.AllowActions = slices.Clone(s.Settings.AllowActions)
	for _, b := range model.BoolSettings() {
		if p := *s.Settings.BoolField(b.Key); p != nil {
			*out.Settings.BoolField(b.Key) = model.Bool(*p)
		}
	}
	out.CustomConsumerSettings = slices.Clone(s.CustomConsumerSettings)
	return out
}
