package theme

// Integration is a sample integration the demo page offers under "+ Add":
// its service id (as in POST /vault/connections/{unified_api}/{service_id}),
// its name, and the colour of the icon the page draws for it (its initials,
// white on that colour: no logo is fetched from anywhere).
type Integration struct {
	ServiceID string `json:"service_id"`
	Name      string `json:"name"`
	Color     string `json:"color"`
}

// SampleIntegrations returns a few well-known integrations of a unified
// API, for the demo page's "+ Add" list; a fresh slice each call. An
// unknown API gets none.
func SampleIntegrations(unifiedAPI string) []Integration {
	switch unifiedAPI {
	case "accounting":
		return []Integration{{"quickbooks", "QuickBooks", "#2a7d1f"}, {"xero", "Xero", "#0b6b8f"}, {"netsuite", "NetSuite", "#1f4d78"}, {"exact-online", "Exact Online", "#c4161c"}}
	case "ats":
		return []Integration{{"greenhouse", "Greenhouse", "#1f6e4f"}, {"lever", "Lever", "#3a3f45"}, {"workable", "Workable", "#127a74"}}
	case "calendar":
		return []Integration{{"google-calendar", "Google Calendar", "#1a5fc2"}, {"microsoft-outlook", "Outlook Calendar", "#0a5aa8"}}
	case "crm":
		return []Integration{{"salesforce", "Salesforce", "#0b6fb8"}, {"hubspot", "HubSpot", "#c7431f"}, {"pipedrive", "Pipedrive", "#1a1a1a"}, {"zoho-crm", "Zoho CRM", "#b8232a"}}
	case "csp":
		return []Integration{{"microsoft-partner-center", "Partner Center", "#0a5aa8"}, {"pax8", "Pax8", "#1c3f6e"}}
	case "customer-support":
		return []Integration{{"zendesk", "Zendesk", "#03363d"}, {"freshdesk", "Freshdesk", "#1d6b4f"}, {"intercom", "Intercom", "#1f5fbf"}}
	case "ecommerce":
		return []Integration{{"shopify", "Shopify", "#4b7a1f"}, {"woocommerce", "WooCommerce", "#7f54b3"}, {"bigcommerce", "BigCommerce", "#121118"}}
	case "email":
		return []Integration{{"gmail", "Gmail", "#b3261e"}, {"microsoft-outlook", "Outlook", "#0a5aa8"}}
	case "email-marketing":
		return []Integration{{"mailchimp", "Mailchimp", "#241c15"}, {"campaign-monitor", "Campaign Monitor", "#5c4db1"}, {"klaviyo", "Klaviyo", "#232426"}}
	case "expense-management":
		return []Integration{{"expensify", "Expensify", "#03543c"}, {"spendesk", "Spendesk", "#3b2f9e"}}
	case "file-storage":
		return []Integration{{"google-drive", "Google Drive", "#1a7340"}, {"dropbox", "Dropbox", "#0050c8"}, {"box", "Box", "#0061a8"}, {"onedrive", "OneDrive", "#0a5aa8"}}
	case "form":
		return []Integration{{"typeform", "Typeform", "#262627"}, {"jotform", "Jotform", "#0a1551"}}
	case "hris":
		return []Integration{{"bamboohr", "BambooHR", "#3c7a1a"}, {"personio", "Personio", "#1a1a1a"}, {"workday", "Workday", "#0a5aa8"}, {"hibob", "HiBob", "#c2185b"}}
	case "issue-tracking":
		return []Integration{{"jira", "Jira", "#0a52cc"}, {"github", "GitHub", "#24292f"}, {"linear", "Linear", "#4c51bf"}}
	case "lead":
		return []Integration{{"linkedin", "LinkedIn", "#0a66c2"}, {"facebook", "Facebook Lead Ads", "#1565c0"}}
	case "payroll":
		return []Integration{{"gusto", "Gusto", "#b3401f"}, {"adp-workforce-now", "ADP", "#b3001b"}}
	case "pos":
		return []Integration{{"square", "Square", "#1a1a1a"}, {"clover", "Clover", "#1c7a3a"}, {"toast", "Toast", "#b33a1e"}}
	case "procurement":
		return []Integration{{"coupa", "Coupa", "#0b4f8a"}, {"procurify", "Procurify", "#2f5a8f"}}
	case "project-management":
		return []Integration{{"asana", "Asana", "#b8324b"}, {"trello", "Trello", "#0a5fb0"}, {"monday", "monday.com", "#4a3fb5"}}
	case "script":
		return []Integration{{"google-tag-manager", "Google Tag Manager", "#1a5fc2"}, {"segment", "Segment", "#2f6b5a"}}
	case "sms":
		return []Integration{{"twilio", "Twilio", "#c1121f"}, {"messagebird", "MessageBird", "#1a5fc2"}}
	case "spreadsheet":
		return []Integration{{"google-sheets", "Google Sheets", "#1a7340"}, {"microsoft-excel", "Excel", "#1d6f42"}}
	case "subscription-analytics":
		return []Integration{{"chartmogul", "ChartMogul", "#1d4ed8"}, {"baremetrics", "Baremetrics", "#2c3e50"}}
	case "team-messaging":
		return []Integration{{"slack", "Slack", "#4a154b"}, {"microsoft-teams", "Microsoft Teams", "#4b53bc"}}
	case "time-registration":
		return []Integration{{"harvest", "Harvest", "#b8480f"}, {"toggl", "Toggl Track", "#7b1fa2"}}
	case "transactional-email":
		return []Integration{{"sendgrid", "SendGrid", "#0a6aa1"}, {"postmark", "Postmark", "#1a1a1a"}, {"mailgun", "Mailgun", "#b7263a"}}
	case "vault":
		return []Integration{{"apideck-vault", "Vault", "#4b3fb5"}}
	case "data-warehouse":
		return []Integration{{"snowflake", "Snowflake", "#0b6a9e"}, {"bigquery", "BigQuery", "#1a5fc2"}}
	}
	return nil
}
