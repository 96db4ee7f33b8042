package mock

import (
	"strings"
	"unicode"
)

// service is a connector the demo offers under one unified API.
type service struct {
	ID       string
	Name     string
	AuthType string // the spec's AuthType: oauth2, apiKey, basic, ...
	Website  string
}

// wellKnownServices lists, per unified API, the connectors the demo offers
// as "available" and names properly. Any other service id is still accepted
// (see serviceName); these are the ones a demo is likely to try.
func wellKnownServices() map[string][]service {
	return map[string][]service{
		"crm": {
			{"salesforce", "Salesforce", "oauth2", "https://www.salesforce.com"},
			{"hubspot", "HubSpot", "oauth2", "https://www.hubspot.com"},
			{"pipedrive", "Pipedrive", "oauth2", "https://www.pipedrive.com"},
			{"zoho-crm", "Zoho CRM", "oauth2", "https://www.zoho.com/crm"},
			{"microsoft-dynamics", "Microsoft Dynamics 365", "oauth2", "https://dynamics.microsoft.com"},
			{"close", "Close", "apiKey", "https://www.close.com"},
			{"copper", "Copper", "apiKey", "https://www.copper.com"},
			{"activecampaign", "ActiveCampaign", "apiKey", "https://www.activecampaign.com"},
			{"teamleader", "Teamleader", "oauth2", "https://www.teamleader.eu"},
		},
		"hris": {
			{"bamboohr", "BambooHR", "apiKey", "https://www.bamboohr.com"},
			{"personio", "Personio", "apiKey", "https://www.personio.com"},
			{"hibob", "HiBob", "basic", "https://www.hibob.com"},
			{"workday", "Workday", "basic", "https://www.workday.com"},
			{"sage-hr", "Sage HR", "apiKey", "https://sage.hr"},
			{"deel", "Deel", "oauth2", "https://www.deel.com"},
		},
		"accounting": {
			{"xero", "Xero", "oauth2", "https://www.xero.com"},
			{"quickbooks", "QuickBooks", "oauth2", "https://quickbooks.intuit.com"},
			{"exact-online", "Exact Online", "oauth2", "https://www.exact.com"},
			{"netsuite", "NetSuite", "custom", "https://www.netsuite.com"},
			{"sage-intacct", "Sage Intacct", "basic", "https://www.sageintacct.com"},
			{"freshbooks", "FreshBooks", "oauth2", "https://www.freshbooks.com"},
			{"myob", "MYOB", "oauth2", "https://www.myob.com"},
			{"zoho-books", "Zoho Books", "oauth2", "https://www.zoho.com/books"},
		},
		"file-storage": {
			{"google-drive", "Google Drive", "oauth2", "https://drive.google.com"},
			{"dropbox", "Dropbox", "oauth2", "https://www.dropbox.com"},
			{"box", "Box", "oauth2", "https://www.box.com"},
			{"onedrive", "OneDrive", "oauth2", "https://onedrive.live.com"},
			{"sharepoint", "SharePoint", "oauth2", "https://www.microsoft.com/microsoft-365/sharepoint"},
		},
		"ats": {
			{"greenhouse", "Greenhouse", "apiKey", "https://www.greenhouse.io"},
			{"lever", "Lever", "oauth2", "https://www.lever.co"},
			{"workable", "Workable", "apiKey", "https://www.workable.com"},
			{"recruitee", "Recruitee", "apiKey", "https://recruitee.com"},
		},
		"ecommerce": {
			{"shopify", "Shopify", "oauth2", "https://www.shopify.com"},
			{"woocommerce", "WooCommerce", "basic", "https://woocommerce.com"},
			{"bigcommerce", "BigCommerce", "apiKey", "https://www.bigcommerce.com"},
		},
		"customer-support": {
			{"zendesk", "Zendesk", "oauth2", "https://www.zendesk.com"},
			{"freshdesk", "Freshdesk", "basic", "https://www.freshdesk.com"},
			{"intercom", "Intercom", "oauth2", "https://www.intercom.com"},
		},
		"issue-tracking": {
			{"jira", "Jira", "oauth2", "https://www.atlassian.com/software/jira"},
			{"github", "GitHub", "oauth2", "https://github.com"},
			{"gitlab", "GitLab", "oauth2", "https://gitlab.com"},
			{"linear", "Linear", "oauth2", "https://linear.app"},
		},
		"pos": {
			{"square", "Square", "oauth2", "https://squareup.com"},
		},
	}
}

// lookupService returns the well-known service, or one named from its id
// ("acme-books" → "Acme Books") for any other id.
func lookupService(known map[string][]service, unifiedAPI, serviceID string) service {
	for _, s := range known[unifiedAPI] {
		if s.ID == serviceID {
			return s
		}
	}
	// A connector the demo does not know may still exist under another
	// API (hubspot is CRM and Lead): keep its proper name.
	for _, list := range known {
		for _, s := range list {
			if s.ID == serviceID {
				return s
			}
		}
	}
	return service{ID: serviceID, Name: nameFromID(serviceID), AuthType: "oauth2"}
}

func nameFromID(id string) string {
	words := strings.FieldsFunc(id, func(r rune) bool { return r == '-' || r == '_' || r == '.' })
	for i, w := range words {
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}

// validServiceID says whether id looks like a connector id: lower-case
// letters, digits and - _ . , at most 64, starting with a letter or digit.
// It keeps the store's keys and the names made from them printable.
func validServiceID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for i, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		case (r == '-' || r == '_' || r == '.') && i > 0:
		default:
			return false
		}
	}
	return true
}
