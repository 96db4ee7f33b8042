package model

import "time"

// CredentialsRetention is how long Vault keeps a connection's credentials
// once its token refreshes start failing; then they are deleted and the
// customer must sign in again. The demo API deletes them then, and triage
// counts down to it.
const CredentialsRetention = 48 * time.Hour

// Connector is an integration Vault offers under a unified API: the
// service id used in /vault/connections/{unified_api}/{service_id}, its
// proper name, how it authorizes (the spec's AuthType) and its website.
type Connector struct {
	ID       string
	Name     string
	AuthType string
	Website  string
}

// WellKnownConnectors lists, for a unified API, the connectors a demo is
// likely to show or try, best known first; a fresh slice each call, nil
// for an API it does not know. The demo API names and offers these, and
// the demo page lists the first few under "+ Add": one list, so a
// connector added from the page is named the way the API names it.
func WellKnownConnectors(unifiedAPI string) []Connector {
	switch unifiedAPI {
	case "accounting":
		return []Connector{
			{"quickbooks", "QuickBooks", "oauth2", "https://quickbooks.intuit.com"},
			{"xero", "Xero", "oauth2", "https://www.xero.com"},
			{"netsuite", "NetSuite", "custom", "https://www.netsuite.com"},
			{"exact-online", "Exact Online", "oauth2", "https://www.exact.com"},
			{"sage-intacct", "Sage Intacct", "basic", "https://www.sageintacct.com"},
			{"freshbooks", "FreshBooks", "oauth2", "https://www.freshbooks.com"},
			{"myob", "MYOB", "oauth2", "https://www.myob.com"},
			{"zoho-books", "Zoho Books", "oauth2", "https://www.zoho.com/books"},
		}
	case "ats":
		return []Connector{
			{"greenhouse", "Greenhouse", "apiKey", "https://www.greenhouse.io"},
			{"lever", "Lever", "oauth2", "https://www.lever.co"},
			{"workable", "Workable", "apiKey", "https://www.workable.com"},
			{"recruitee", "Recruitee", "apiKey", "https://recruitee.com"},
		}
	case "calendar":
		return []Connector{
			{"google-calendar", "Google Calendar", "oauth2", ""},
			{"microsoft-outlook", "Outlook Calendar", "oauth2", ""},
		}
	case "crm":
		return []Connector{
			{"salesforce", "Salesforce", "oauth2", "https://www.salesforce.com"},
			{"hubspot", "HubSpot", "oauth2", "https://www.hubspot.com"},
			{"pipedrive", "Pipedrive", "oauth2", "https://www.pipedrive.com"},
			{"zoho-crm", "Zoho CRM", "oauth2", "https://www.zoho.com/crm"},
			{"microsoft-dynamics", "Microsoft Dynamics 365", "oauth2", "https://dynamics.microsoft.com"},
			{"close", "Close", "apiKey", "https://www.close.com"},
			{"copper", "Copper", "apiKey", "https://www.copper.com"},
			{"activecampaign", "ActiveCampaign", "apiKey", "https://www.activecampaign.com"},
			{"teamleader", "Teamleader", "oauth2", "https://www.teamleader.eu"},
		}
	case "csp":
		return []Connector{
			{"microsoft-partner-center", "Partner Center", "oauth2", ""},
			{"pax8", "Pax8", "oauth2", ""},
		}
	case "customer-support":
		return []Connector{
			{"zendesk", "Zendesk", "oauth2", "https://www.zendesk.com"},
			{"freshdesk", "Freshdesk", "basic", "https://www.freshdesk.com"},
			{"intercom", "Intercom", "oauth2", "https://www.intercom.com"},
		}
	case "ecommerce":
		return []Connector{
			{"shopify", "Shopify", "oauth2", "https://www.shopify.com"},
			{"woocommerce", "WooCommerce", "basic", "https://woocommerce.com"},
			{"bigcommerce", "BigCommerce", "apiKey", "https://www.bigcommerce.com"},
		}
	case "email":
		return []Connector{
			{"gmail", "Gmail", "oauth2", ""},
			{"microsoft-outlook", "Outlook", "oauth2", ""},
		}
	case "email-marketing":
		return []Connector{
			{"mailchimp", "Mailchimp", "oauth2", ""},
			{"campaign-monitor", "Campaign Monitor", "oauth2", ""},
			{"klaviyo", "Klaviyo", "oauth2", ""},
		}
	case "expense-management":
		return []Connector{
			{"expensify", "Expensify", "oauth2", ""},
			{"spendesk", "Spendesk", "oauth2", ""},
		}
	case "file-storage":
		return []Connector{
			{"google-drive", "Google Drive", "oauth2", "https://drive.google.com"},
			{"dropbox", "Dropbox", "oauth2", "https://www.dropbox.com"},
			{"box", "Box", "oauth2", "https://www.box.com"},
			{"onedrive", "OneDrive", "oauth2", "https://onedrive.live.com"},
			{"sharepoint", "SharePoint", "oauth2", "https://www.microsoft.com/microsoft-365/sharepoint"},
		}
	case "form":
		return []Connector{
			{"typeform", "Typeform", "oauth2", ""},
			{"jotform", "Jotform", "oauth2", ""},
		}
	case "hris":
		return []Connector{
			{"bamboohr", "BambooHR", "apiKey", "https://www.bamboohr.com"},
			{"personio", "Personio", "apiKey", "https://www.personio.com"},
			{"workday", "Workday", "basic", "https://www.workday.com"},
			{"hibob", "HiBob", "basic", "https://www.hibob.com"},
			{"sage-hr", "Sage HR", "apiKey", "https://sage.hr"},
			{"deel", "Deel", "oauth2", "https://www.deel.com"},
		}
	case "issue-tracking":
		return []Connector{
			{"jira", "Jira", "oauth2", "https://www.atlassian.com/software/jira"},
			{"github", "GitHub", "oauth2", "https://github.com"},
			{"linear", "Linear", "oauth2", "https://linear.app"},
			{"gitlab", "GitLab", "oauth2", "https://gitlab.com"},
		}
	case "lead":
		return []Connector{
			{"linkedin", "LinkedIn", "oauth2", ""},
			{"facebook", "Facebook Lead Ads", "oauth2", ""},
		}
	case "payroll":
		return []Connector{
			{"gusto", "Gusto", "oauth2", ""},
			{"adp-workforce-now", "ADP", "oauth2", ""},
		}
	case "pos":
		return []Connector{
			{"square", "Square", "oauth2", "https://squareup.com"},
			{"clover", "Clover", "oauth2", ""},
			{"toast", "Toast", "oauth2", ""},
		}
	case "procurement":
		return []Connector{
			{"coupa", "Coupa", "oauth2", ""},
			{"procurify", "Procurify", "oauth2", ""},
		}
	case "project-management":
		return []Connector{
			{"asana", "Asana", "oauth2", ""},
			{"trello", "Trello", "oauth2", ""},
			{"monday", "monday.com", "oauth2", ""},
		}
	case "script":
		return []Connector{
			{"google-tag-manager", "Google Tag Manager", "oauth2", ""},
			{"segment", "Segment", "oauth2", ""},
		}
	case "sms":
		return []Connector{
			{"twilio", "Twilio", "oauth2", ""},
			{"messagebird", "MessageBird", "oauth2", ""},
		}
	case "spreadsheet":
		return []Connector{
			{"google-sheets", "Google Sheets", "oauth2", ""},
			{"microsoft-excel", "Excel", "oauth2", ""},
		}
	case "subscription-analytics":
		return []Connector{
			{"chartmogul", "ChartMogul", "oauth2", ""},
			{"baremetrics", "Baremetrics", "oauth2", ""},
		}
	case "team-messaging":
		return []Connector{
			{"slack", "Slack", "oauth2", ""},
			{"microsoft-teams", "Microsoft Teams", "oauth2", ""},
		}
	case "time-registration":
		return []Connector{
			{"harvest", "Harvest", "oauth2", ""},
			{"toggl", "Toggl Track", "oauth2", ""},
		}
	case "transactional-email":
		return []Connector{
			{"sendgrid", "SendGrid", "oauth2", ""},
			{"postmark", "Postmark", "oauth2", ""},
			{"mailgun", "Mailgun", "oauth2", ""},
		}
	case "vault":
		return []Connector{
			{"apideck-vault", "Vault", "oauth2", ""},
		}
	case "data-warehouse":
		return []Connector{
			{"snowflake", "Snowflake", "oauth2", ""},
			{"bigquery", "BigQuery", "oauth2", ""},
		}
	}
	return nil
}

// ConnectorAPIs lists the unified APIs WellKnownConnectors knows, in the
// order it lists them.
func ConnectorAPIs() []string {
	return []string{"accounting", "ats", "calendar", "crm", "csp", "customer-support", "ecommerce", "email", "email-marketing", "expense-management", "file-storage", "form", "hris", "issue-tracking", "lead", "payroll", "pos", "procurement", "project-management", "script", "sms", "spreadsheet", "subscription-analytics", "team-messaging", "time-registration", "transactional-email", "vault", "data-warehouse"}
}

// SettingField is one setting a connector that does not sign in with
// OAuth asks the customer for before it is authorized: part of the spec's
// FormField.
type SettingField struct {
	ID    string `json:"id"`
	Label string `json:"label"`
	// Type is "text", or "password" for a secret the page masks.
	Type string `json:"type"`
}

// SignsInWithOAuth reports whether the customer authorizes the connector
// on its own sign-in and consent screen (the connection's authorize_url);
// the others are authorized by the settings SettingsFields lists.
func (c Connector) SignsInWithOAuth() bool { return c.AuthType == "oauth2" }

// SettingsFields are the settings the customer gives to authorize the
// connector: an API key, or a user name and password for basic auth;
// none for OAuth connectors and those that need no authorization.
func (c Connector) SettingsFields() []SettingField {
	switch c.AuthType {
	case "oauth2", "none":
		return nil
	case "basic":
		return []SettingField{{"username", "User name", "text"}, {"password", "Password", "password"}}
	}
	return []SettingField{{"api_key", "API key", "password"}}
}
