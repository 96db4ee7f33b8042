package model

// UnifiedAPI is one entry of the spec's UnifiedApiId enum with the name Vault
// shows for it.
type UnifiedAPI struct {
	ID   string
	Name string
}

// UnifiedAPIs returns the whole catalogue in the spec's enum order
// (spec 10.34.0, 28 ids). A fresh slice each call: callers may sort or filter.
func UnifiedAPIs() []UnifiedAPI {
	return []UnifiedAPI{
		{"accounting", "Accounting"},
		{"ats", "ATS"},
		{"calendar", "Calendar"},
		{"crm", "CRM"},
		{"csp", "CSP"},
		{"customer-support", "Customer Support"},
		{"ecommerce", "Ecommerce"},
		{"email", "Email"},
		{"email-marketing", "Email Marketing"},
		{"expense-management", "Expense Management"},
		{"file-storage", "File Storage"},
		{"form", "Form"},
		{"hris", "HRIS"},
		{"lead", "Lead"},
		{"payroll", "Payroll"},
		{"pos", "POS"},
		{"procurement", "Procurement"},
		{"project-management", "Project Management"},
		{"script", "Third-party Scripts"},
		{"sms", "SMS"},
		{"spreadsheet", "Spreadsheet"},
		{"subscription-analytics", "Subscription Analytics"},
		{"team-messaging", "Team Messaging"},
		{"issue-tracking", "Issue Tracking"},
		{"time-registration", "Time Registration"},
		{"transactional-email", "Transactional Email"},
		{"vault", "Vault"},
		{"data-warehouse", "Data Warehouse"},
	}
}

// UnifiedAPIName returns the display name of a unified API id.
func UnifiedAPIName(id string) (string, bool) {
	for _, api := range UnifiedAPIs() {
		if api.ID == id {
			return api.Name, true
		}
	}
	return "", false
}

// Action is one of the connection actions that allow_actions can keep.
type Action struct {
	ID   string
	Help string
}

// Actions returns the spec's allow_actions enum, in the spec's order.
func Actions() []Action {
	return []Action{
		{"delete", "remove the connection and its settings"},
		{"disconnect", "revoke the connection's credentials"},
		{"reauthorize", "run the authorization flow again"},
		{"disable", "switch the connection off without removing it"},
	}
}

func isAction(id string) bool {
	for _, a := range Actions() {
		if a.ID == id {
			return true
		}
	}
	return false
}

// BoolSetting describes one boolean of settings: its JSON key, its title,
// the value Vault assumes when it is not sent, and what it does in Vault.
type BoolSetting struct {
	Key     string
	Title   string
	Default bool
	Help    string
}

// BoolSettings lists every boolean of settings in the spec's order.
func BoolSettings() []BoolSetting {
	return []BoolSetting{
		{"hide_resource_settings", "Hide resource settings", false, "hides the configurable resources of a connection"},
		{"sandbox_mode", "Sandbox mode", false, "shows a banner saying the user is in a test environment"},
		{"isolation_mode", "Isolation mode", false, "hides the navigation, showing only the connection settings"},
		{"show_logs", "Show logs", true, "shows the Logs page and its navigation item"},
		{"show_suggestions", "Show suggestions", false, "shows the Suggestions page and its navigation item"},
		{"show_sidebar", "Show sidebar", true, "shows the side panel; off removes it entirely"},
		{"auto_redirect", "Auto-redirect", false, "redirects to the redirect URI once a connection is ready"},
		{"hide_guides", "Hide guides", false, "hides the \"Connection Guide\" link"},
	}
}

// BoolField returns the address of the boolean named by its JSON key, so
// forms can read and set settings generically. It returns nil for an
// unknown key.
func (s *Settings) BoolField(key string) **bool {
	switch key {
	case "hide_resource_settings":
		return &s.HideResourceSettings
	case "sandbox_mode":
		return &s.SandboxMode
	case "isolation_mode":
		return &s.IsolationMode
	case "show_logs":
		return &s.ShowLogs
	case "show_suggestions":
		return &s.ShowSuggestions
	case "show_sidebar":
		return &s.ShowSidebar
	case "auto_redirect":
		return &s.AutoRedirect
	case "hide_guides":
		return &s.HideGuides
	}
	return nil
}

// Effective returns the value Vault will use for a boolean setting: the one
// sent, or the spec's default.
func (s Settings) Effective(key string) bool {
	p := s.BoolField(key)
	if p != nil && *p != nil {
		return **p
	}
	for _, b := range BoolSettings() {
		if b.Key == key {
			return b.Default
		}
	}
	return false
}
