package mock

import (
	"strings"
	"unicode"

	"github.com/apideck-samples/vault-session/model"
)

// service is a connector the demo offers under one unified API.
type service = model.Connector

// wellKnownServices lists, per unified API, the connectors the demo offers
// as "available" and names properly: the model's one list, which the demo
// page's "+ Add" also shows. Any other service id is still accepted (see
// lookupService); these are the ones a demo is likely to try.
func wellKnownServices() map[string][]service {
	known := map[string][]service{}
	for _, api := range model.ConnectorAPIs() {
		known[api] = model.WellKnownConnectors(api)
	}
	return known
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
