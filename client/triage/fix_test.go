package triage

import (
	"slices"
	"testing"
	"time"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
)

func attention(conns ...client.Connection) []Attention {
	return NeedsAttention(conns, now, 0)
}

var (
	quickbooks = client.Connection{ServiceID: "quickbooks", Name: "QuickBooks", UnifiedAPI: "accounting", Health: "pending_refresh", CredentialsExpireAt: now.Add(18 * time.Hour)}
	xero       = client.Connection{ServiceID: "xero", Name: "Xero", UnifiedAPI: "accounting", Health: "needs_auth"}
	salesforce = client.Connection{ServiceID: "salesforce", Name: "Salesforce", UnifiedAPI: "crm", Health: "missing_settings"}
	workday    = client.Connection{ServiceID: "workday", Name: "Workday", UnifiedAPI: "hris", Health: "degraded"}
	docusign   = client.Connection{ServiceID: "docusign", UnifiedAPI: "crm", Health: "needs_consent"}
)

func TestPlanFix(t *testing.T) {
	fix, ok := PlanFix(attention(quickbooks, workday))
	if !ok || !slices.Equal(fix.UnifiedAPIs, []string{"accounting"}) || len(fix.Attention) != 1 {
		t.Fatalf("fix %+v ok %v", fix, ok)
	}
	if got := fix.Purpose(); got != "your QuickBooks connection needs you to sign in again" {
		t.Errorf("purpose %q", got)
	}
	if _, ok := PlanFix(attention(workday)); ok {
		t.Error("a degraded connector is not the customer's to fix")
	}

	fix, _ = PlanFix(attention(salesforce, quickbooks, xero, docusign))
	if !slices.Equal(fix.UnifiedAPIs, []string{"accounting", "crm"}) {
		t.Errorf("apis %v", fix.UnifiedAPIs)
	}
	want := "your QuickBooks and Xero connections need you to sign in again, your Salesforce connection needs its settings filled in and your docusign connection needs your consent"
	if got := fix.Purpose(); got != want {
		t.Errorf("purpose\n%q\nwant\n%q", got, want)
	}
}

func TestFixApply(t *testing.T) {
	fix, _ := PlanFix(attention(quickbooks))
	hank := model.ConsumerMetadata{AccountName: "Globex", UserName: "Hank Scorpio", Email: "hank@globex.example"}

	s := fix.Apply(model.Session{Settings: model.Settings{UnifiedAPIs: []string{"crm", "hris"}}}, hank)
	if !slices.Equal(s.Settings.UnifiedAPIs, []string{"accounting"}) || !slices.Equal(s.Settings.AllowActions, []string{"reauthorize"}) ||
		s.ConsumerMetadata != hank {
		t.Errorf("session %+v", s)
	}
	kept := model.Session{ConsumerMetadata: model.ConsumerMetadata{UserName: "Hank"}, Settings: model.Settings{AllowActions: []string{"disable"}}}
	s = fix.Apply(kept, hank)
	if !slices.Equal(s.Settings.AllowActions, []string{"disable", "reauthorize"}) || s.ConsumerMetadata.UserName != "Hank" || s.ConsumerMetadata.Email != "" {
		t.Errorf("what the session had is kept: %+v", s)
	}
	if !slices.Equal(kept.Settings.AllowActions, []string{"disable"}) {
		t.Error("Apply changed its argument's slice")
	}
	s = fix.Apply(model.Session{Settings: model.Settings{AllowActions: []string{"reauthorize", "delete"}}}, hank)
	if !slices.Equal(s.Settings.AllowActions, []string{"reauthorize", "delete"}) {
		t.Errorf("actions %v", s.Settings.AllowActions)
	}
	if errs := s.Validate(); len(errs) != 0 {
		t.Errorf("the fixing session is not valid: %v", errs)
	}
}
