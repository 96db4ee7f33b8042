package theme

import "github.com/apideck-samples/vault-session/model"

// Integration is a sample integration the demo page offers under "+ Add":
// its service id (as in POST /vault/connections/{unified_api}/{service_id}),
// its name, and the colour of the icon the page draws for it (its initials,
// white on that colour: no logo is fetched from anywhere).
type Integration struct {
	ServiceID string `json:"service_id"`
	Name      string `json:"name"`
	Color     string `json:"color"`
	// AuthType is the spec's: an "oauth2" connector is authorized on its
	// sign-in screen, the others by the settings of FormFields.
	AuthType   string               `json:"auth_type"`
	FormFields []model.SettingField `json:"form_fields"`
}

// samplesPerAPI is how many integrations "+ Add" lists: enough to choose
// from, few enough to fit a phone's screen without scrolling.
const samplesPerAPI = 4

// SampleIntegrations returns the first few of the model's well-known
// connectors of a unified API (the ones the demo API names the same way),
// for the demo page's "+ Add" list; a fresh slice each call. An unknown
// API gets none.
func SampleIntegrations(unifiedAPI string) []Integration {
	connectors := model.WellKnownConnectors(unifiedAPI)
	if connectors == nil {
		return nil
	}
	samples := make([]Integration, 0, min(len(connectors), samplesPerAPI))
	for _, c := range connectors[:cap(samples)] {
		fields := c.SettingsFields()
		if fields == nil {
			fields = []model.SettingField{}
		}
		samples = append(samples, Integration{ServiceID: c.ID, Name: c.Name, Color: iconColor(c.ID), AuthType: c.AuthType, FormFields: fields})
	}
	return samples
}

// iconColor is the brand-like colour of a connector's icon, dark enough
// for white initials (4.5:1); one the table lacks gets a colour picked
// from its id, so the same connector always looks the same.
func iconColor(serviceID string) string {
	if c, ok := iconColors[serviceID]; ok {
		return c
	}
	var sum int
	for _, r := range serviceID {
		sum += int(r)
	}
	return fallbackIconColors[sum%len(fallbackIconColors)]
}

// fallbackIconColors are for connectors iconColors lacks.
var fallbackIconColors = []string{"#1f4d78", "#1a7340", "#7f54b3", "#b3261e", "#0a5aa8", "#3a3f45"}

// iconColors are the icons' colours, close to each brand's own.
var iconColors = map[string]string{
	"quickbooks":               "#2a7d1f",
	"xero":                     "#0b6b8f",
	"netsuite":                 "#1f4d78",
	"exact-online":             "#c4161c",
	"greenhouse":               "#1f6e4f",
	"lever":                    "#3a3f45",
	"workable":                 "#127a74",
	"google-calendar":          "#1a5fc2",
	"microsoft-outlook":        "#0a5aa8",
	"salesforce":               "#0b6fb8",
	"hubspot":                  "#c7431f",
	"pipedrive":                "#1a1a1a",
	"zoho-crm":                 "#b8232a",
	"microsoft-partner-center": "#0a5aa8",
	"pax8":                     "#1c3f6e",
	"zendesk":                  "#03363d",
	"freshdesk":                "#1d6b4f",
	"intercom":                 "#1f5fbf",
	"shopify":                  "#4b7a1f",
	"woocommerce":              "#7f54b3",
	"bigcommerce":              "#121118",
	"gmail":                    "#b3261e",
	"mailchimp":                "#241c15",
	"campaign-monitor":         "#5c4db1",
	"klaviyo":                  "#232426",
	"expensify":                "#03543c",
	"spendesk":                 "#3b2f9e",
	"google-drive":             "#1a7340",
	"dropbox":                  "#0050c8",
	"box":                      "#0061a8",
	"onedrive":                 "#0a5aa8",
	"typeform":                 "#262627",
	"jotform":                  "#0a1551",
	"bamboohr":                 "#3c7a1a",
	"personio":                 "#1a1a1a",
	"workday":                  "#0a5aa8",
	"hibob":                    "#c2185b",
	"jira":                     "#0a52cc",
	"github":                   "#24292f",
	"linear":                   "#4c51bf",
	"linkedin":                 "#0a66c2",
	"facebook":                 "#1565c0",
	"gusto":                    "#b3401f",
	"adp-workforce-now":        "#b3001b",
	"square":                   "#1a1a1a",
	"clover":                   "#1c7a3a",
	"toast":                    "#b33a1e",
	"coupa":                    "#0b4f8a",
	"procurify":                "#2f5a8f",
	"asana":                    "#b8324b",
	"trello":                   "#0a5fb0",
	"monday":                   "#4a3fb5",
	"google-tag-manager":       "#1a5fc2",
	"segment":                  "#2f6b5a",
	"twilio":                   "#c1121f",
	"messagebird":              "#1a5fc2",
	"google-sheets":            "#1a7340",
	"microsoft-excel":          "#1d6f42",
	"chartmogul":               "#1d4ed8",
	"baremetrics":              "#2c3e50",
	"slack":                    "#4a154b",
	"microsoft-teams":          "#4b53bc",
	"harvest":                  "#b8480f",
	"toggl":                    "#7b1fa2",
	"sendgrid":                 "#0a6aa1",
	"postmark":                 "#1a1a1a",
	"mailgun":                  "#b7263a",
	"apideck-vault":            "#4b3fb5",
	"snowflake":                "#0b6a9e",
	"bigquery":                 "#1a5fc2",
}
