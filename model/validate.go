package model

import (
	"fmt"
	"net/mail"
	"net/url"
	"strings"
)

// FieldError is one problem with one field, named by its JSON path
// ("consumer_metadata.email", "settings.unified_apis[2]") or, for the two
// headers, "app_id" and "consumer_id".
type FieldError struct {
	Path    string
	Message string
}

func (e FieldError) Error() string { return e.Path + ": " + e.Message }

// ValidationErrors is every problem found in a request, in form order.
type ValidationErrors []FieldError

func (v ValidationErrors) Error() string {
	lines := make([]string, len(v))
	for i, e := range v {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// For returns the message for a path, or "" when that field is fine.
func (v ValidationErrors) For(path string) string {
	for _, e := range v {
		if e.Path == path {
			return e.Message
		}
	}
	return ""
}

// Under returns the errors whose path starts with prefix.
func (v ValidationErrors) Under(prefix string) ValidationErrors {
	var out ValidationErrors
	for _, e := range v {
		if strings.HasPrefix(e.Path, prefix) {
			out = append(out, e)
		}
	}
	return out
}

// Validate checks the headers and the body; nil means the request can be sent.
func (r Request) Validate() ValidationErrors {
	var errs ValidationErrors
	errs = append(errs, checkHeaderValue("app_id", "app ID", r.AppID)...)
	errs = append(errs, checkHeaderValue("consumer_id", "consumer ID", r.ConsumerID)...)
	errs = append(errs, r.Session.Validate()...)
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// Validate checks every field of the body against the spec and against what
// the hosted Vault page needs to work; nil means it is fine.
func (s Session) Validate() ValidationErrors {
	var errs ValidationErrors
	add := func(path, msg string) { errs = append(errs, FieldError{path, msg}) }

	m := s.ConsumerMetadata
	if m.Email != "" {
		if msg := checkEmail(m.Email); msg != "" {
			add("consumer_metadata.email", msg)
		}
	}
	checkURL := func(path, value string) {
		if value == "" {
			return
		}
		if msg := CheckURL(value); msg != "" {
			add(path, msg)
		}
	}
	checkURL("consumer_metadata.image", m.Image)
	checkURL("redirect_uri", s.RedirectURI)

	st := s.Settings
	seen := map[string]bool{}
	for i, id := range st.UnifiedAPIs {
		path := fmt.Sprintf("settings.unified_apis[%d]", i)
		if _, ok := UnifiedAPIName(id); !ok {
			add(path, fmt.Sprintf("%q is not a unified API id (e.g. crm, hris, accounting)", id))
		} else if seen[id] {
			add(path, fmt.Sprintf("%q is listed twice", id))
		}
		seen[id] = true
	}
	if st.SessionLength != "" {
		if _, err := ParseSessionLength(st.SessionLength); err != nil {
			add("settings.session_length", err.Error())
		}
	}
	seen = map[string]bool{}
	for i, id := range st.AllowActions {
		path := fmt.Sprintf("settings.allow_actions[%d]", i)
		if !isAction(id) {
			add(path, fmt.Sprintf("%q is not an action: use delete, disconnect, reauthorize or disable", id))
		} else if seen[id] {
			add(path, fmt.Sprintf("%q is listed twice", id))
		}
		seen[id] = true
	}

	// In the order a form shows them, so the first error is the first field.
	t := s.Theme
	for _, c := range []struct{ path, value string }{
		{"theme.primary_color", t.PrimaryColor},
		{"theme.sidepanel_background_color", t.SidepanelBackgroundColor},
		{"theme.sidepanel_text_color", t.SidepanelTextColor},
	} {
		if c.value == "" {
			continue
		}
		if _, err := NormalizeColor(c.value); err != nil {
			add(c.path, err.Error())
		}
	}
	checkURL("theme.logo", t.Logo)
	checkURL("theme.favicon", t.Favicon)
	checkURL("theme.privacy_url", t.PrivacyURL)
	checkURL("theme.terms_url", t.TermsURL)
	if len(errs) == 0 {
		return nil
	}
	return errs
}

// CheckURL returns why value is not an absolute http(s) URL, or "".
func CheckURL(value string) string {
	if strings.ContainsAny(value, " \t\r\n") {
		return "a URL cannot contain spaces"
	}
	u, err := url.Parse(value)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return fmt.Sprintf("%q is not an absolute URL: use https://example.com/...", value)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Sprintf("%q must start with https:// or http://", value)
	}
	return ""
}

// checkEmail accepts a bare address with a dotted domain: the consumer card
// shows it as typed, so "Name <a@b.c>" forms are refused too.
func checkEmail(value string) string {
	addr, err := mail.ParseAddress(value)
	if err != nil || addr.Address != value || addr.Name != "" {
		return fmt.Sprintf("%q is not an email address: use name@example.com", value)
	}
	domain := value[strings.LastIndexByte(value, '@')+1:]
	if !strings.Contains(domain, ".") || strings.HasSuffix(domain, ".") || strings.HasPrefix(domain, ".") {
		return fmt.Sprintf("%q has no full domain: use name@example.com", value)
	}
	return ""
}

func checkHeaderValue(path, title, value string) ValidationErrors {
	switch {
	case strings.TrimSpace(value) == "":
		return ValidationErrors{{path, title + " is required"}}
	case strings.ContainsFunc(value, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return ValidationErrors{{path, title + " cannot contain control characters"}}
	case strings.TrimSpace(value) != value:
		return ValidationErrors{{path, title + " has spaces around it"}}
	}
	return nil
}

// Normalized returns a copy of s in the form it should be sent: colours as
// "#rrggbb", the session length in its simplest unit ("1w" as "7d"), text
// fields trimmed. Values that do not validate are left as they are, so the
// user still sees what they typed next to the error.
func (s Session) Normalized() Session {
	out := s
	trim := func(p *string) { *p = strings.TrimSpace(*p) }
	m := &out.ConsumerMetadata
	for _, p := range []*string{&m.AccountName, &m.UserName, &m.Email, &m.Image, &out.RedirectURI} {
		trim(p)
	}
	t := &out.Theme
	for _, p := range []*string{&t.Favicon, &t.Logo, &t.VaultName, &t.PrivacyURL, &t.TermsURL} {
		trim(p)
	}
	for _, p := range []*string{&t.PrimaryColor, &t.SidepanelBackgroundColor, &t.SidepanelTextColor} {
		if p == nil || *p == "" {
			continue
		}
		if hex, err := NormalizeColor(*p); err == nil {
			*p = hex
		}
	}
	if l, err := ParseSessionLength(out.Settings.SessionLength); err == nil {
		out.Settings.SessionLength = l.String()
	}
	// Copy the slices so the caller's session is never changed through them.
	if s.Settings.UnifiedAPIs != nil {
		out.Settings.UnifiedAPIs = append([]string(nil), s.Settings.UnifiedAPIs...)
	}
	if s.Settings.AllowActions != nil {
		out.Settings.AllowActions = append([]string{}, s.Settings.AllowActions...)
	}
	// CustomConsumerSettings is shared: it is never changed in place.
	return out
}
