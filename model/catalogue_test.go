package model_test

import (
	"encoding/json"
	"reflect"
	"strconv"
	"testing"

	"github.com/apideck-samples/vault-session/model"
)

// specUnifiedAPIs is the UnifiedApiId enum of the Vault OpenAPI spec
// (10.34.0) in its order, with the names the Vault UI shows.
func specUnifiedAPIs() []model.UnifiedAPI {
	return []model.UnifiedAPI{
		{ID: "accounting", Name: "Accounting"},
		{ID: "ats", Name: "ATS"},
		{ID: "calendar", Name: "Calendar"},
		{ID: "crm", Name: "CRM"},
		{ID: "csp", Name: "CSP"},
		{ID: "customer-support", Name: "Customer Support"},
		{ID: "ecommerce", Name: "Ecommerce"},
		{ID: "email", Name: "Email"},
		{ID: "email-marketing", Name: "Email Marketing"},
		{ID: "expense-management", Name: "Expense Management"},
		{ID: "file-storage", Name: "File Storage"},
		{ID: "form", Name: "Form"},
		{ID: "hris", Name: "HRIS"},
		{ID: "lead", Name: "Lead"},
		{ID: "payroll", Name: "Payroll"},
		{ID: "pos", Name: "POS"},
		{ID: "procurement", Name: "Procurement"},
		{ID: "project-management", Name: "Project Management"},
		{ID: "script", Name: "Third-party Scripts"},
		{ID: "sms", Name: "SMS"},
		{ID: "spreadsheet", Name: "Spreadsheet"},
		{ID: "subscription-analytics", Name: "Subscription Analytics"},
		{ID: "team-messaging", Name: "Team Messaging"},
		{ID: "issue-tracking", Name: "Issue Tracking"},
		{ID: "time-registration", Name: "Time Registration"},
		{ID: "transactional-email", Name: "Transactional Email"},
		{ID: "vault", Name: "Vault"},
		{ID: "data-warehouse", Name: "Data Warehouse"},
	}
}

func TestUnifiedAPIsMatchTheSpec(t *testing.T) {
	t.Parallel()
	want := specUnifiedAPIs()
	if len(want) != 28 {
		t.Fatalf("the copied enum has %d ids, the spec has 28", len(want))
	}
	got := model.UnifiedAPIs()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("UnifiedAPIs() differs from the spec's enum:\n got %v\nwant %v", got, want)
	}
	got[0] = model.UnifiedAPI{ID: "changed", Name: "Changed"}
	if model.UnifiedAPIs()[0].ID != "accounting" {
		t.Error("UnifiedAPIs() returns a shared slice")
	}
}

func TestUnifiedAPIName(t *testing.T) {
	t.Parallel()
	for _, api := range specUnifiedAPIs() {
		if name, ok := model.UnifiedAPIName(api.ID); !ok || name != api.Name {
			t.Errorf("UnifiedAPIName(%q) = %q, %v; want %q", api.ID, name, ok, api.Name)
		}
	}
	for _, id := range []string{"", "CRM", " crm", "crm ", "unknown", "Third-party Scripts"} {
		if name, ok := model.UnifiedAPIName(id); ok || name != "" {
			t.Errorf("UnifiedAPIName(%q) = %q, %v; want \"\", false", id, name, ok)
		}
	}
}

func TestActionsMatchTheSpec(t *testing.T) {
	t.Parallel()
	actions := model.Actions()
	var ids []string
	for _, a := range actions {
		ids = append(ids, a.ID)
		if a.Help == "" {
			t.Errorf("action %q has no help text", a.ID)
		}
	}
	if want := []string{"delete", "disconnect", "reauthorize", "disable"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("Actions() ids = %v, want the spec's %v", ids, want)
	}
	actions[0].ID = "changed"
	if model.Actions()[0].ID != "delete" {
		t.Error("Actions() returns a shared slice")
	}
}

func TestBoolSettingsMatchTheSpec(t *testing.T) {
	t.Parallel()
	// Key, title and default of every boolean in the spec's settings, in order.
	want := []struct {
		key, title string
		def        bool
	}{
		{"hide_resource_settings", "Hide resource settings", false},
		{"sandbox_mode", "Sandbox mode", false},
		{"isolation_mode", "Isolation mode", false},
		{"show_logs", "Show logs", true},
		{"show_suggestions", "Show suggestions", false},
		{"show_sidebar", "Show sidebar", true},
		{"auto_redirect", "Auto-redirect", false},
		{"hide_guides", "Hide guides", false},
	}
	got := model.BoolSettings()
	if len(got) != len(want) {
		t.Fatalf("BoolSettings() has %d settings, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Key != w.key || g.Title != w.title || g.Default != w.def {
			t.Errorf("BoolSettings()[%d] = %q %q default %v; want %q %q default %v",
				i, g.Key, g.Title, g.Default, w.key, w.title, w.def)
		}
		if g.Help == "" {
			t.Errorf("BoolSettings()[%d] (%s) has no help text", i, g.Key)
		}
	}
}

// Every *bool field of Settings is listed, and nothing else is.
func TestBoolSettingsCoverEveryBooleanField(t *testing.T) {
	t.Parallel()
	var fields []string
	st := reflect.TypeFor[model.Settings]()
	for i := range st.NumField() {
		f := st.Field(i)
		if f.Type == reflect.TypeFor[*bool]() {
			fields = append(fields, jsonName(f))
		}
	}
	var keys []string
	for _, b := range model.BoolSettings() {
		keys = append(keys, b.Key)
	}
	if !reflect.DeepEqual(keys, fields) {
		t.Errorf("BoolSettings() keys %v, but Settings' booleans are %v", keys, fields)
	}
}

func TestBoolFieldAddressesTheNamedField(t *testing.T) {
	t.Parallel()
	for _, b := range model.BoolSettings() {
		for _, v := range []bool{true, false} {
			var s model.Settings
			p := s.BoolField(b.Key)
			if p == nil {
				t.Fatalf("BoolField(%q) = nil", b.Key)
			}
			*p = model.Bool(v)
			body, err := json.Marshal(s)
			if err != nil {
				t.Fatal(err)
			}
			want := `{"` + b.Key + `":` + strconv.FormatBool(v) + `}`
			if string(body) != want {
				t.Errorf("after setting BoolField(%q) to %v, settings marshal to %s, want %s", b.Key, v, body, want)
			}
		}
	}
	var s model.Settings
	for _, key := range []string{"", "session_length", "unified_apis", "Show_Logs", "show-logs", "hide_consumer_card"} {
		if p := s.BoolField(key); p != nil {
			t.Errorf("BoolField(%q) = %p, want nil", key, p)
		}
	}
}

func TestEffective(t *testing.T) {
	t.Parallel()
	for _, b := range model.BoolSettings() {
		if got := (model.Settings{}).Effective(b.Key); got != b.Default {
			t.Errorf("unset %s: Effective = %v, want the default %v", b.Key, got, b.Default)
		}
		for _, v := range []bool{true, false} {
			var s model.Settings
			*s.BoolField(b.Key) = model.Bool(v)
			if got := s.Effective(b.Key); got != v {
				t.Errorf("%s sent as %v: Effective = %v", b.Key, v, got)
			}
		}
	}
	all := model.Settings{}
	for _, b := range model.BoolSettings() {
		*all.BoolField(b.Key) = model.Bool(true)
	}
	if all.Effective("no_such_setting") {
		t.Error("Effective of an unknown key is true, want false")
	}
	// The spec's defaults, spelled out.
	var s model.Settings
	if !s.Effective("show_logs") || !s.Effective("show_sidebar") || s.Effective("sandbox_mode") || s.Effective("auto_redirect") {
		t.Error("Effective does not use the spec defaults (show_logs and show_sidebar true, the rest false)")
	}
}

func TestBool(t *testing.T) {
	t.Parallel()
	a, b := model.Bool(true), model.Bool(true)
	if a == nil || !*a || *model.Bool(false) {
		t.Fatal("Bool does not point at its argument")
	}
	if a == b {
		t.Error("Bool returns the same pointer twice; setting one would change the other")
	}
}
