package mock

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/apideck-samples/vault-session/model"
)

// DemoAppID is the application the demo API comes with: the consumers the
// README lists, at times counted back from the server's clock when it
// starts, and the requests they make. Consumers created by sessions join
// them.
const DemoAppID = "demo-app"

// The demo application's named consumers, which demos and tests rely on.
const (
	// GlobexID has Salesforce healthy and QuickBooks failing to refresh
	// for 30 hours: its credentials go in 18.
	GlobexID = "globex-17"
	// InitechID has HubSpot invalid, needing the customer to sign in.
	InitechID = "initech-3"
	// UmbrellaID has no connections.
	UmbrellaID = "umbrella-9"
)

// maxSeeded bounds WithSeededConsumers.
const maxSeeded = 200000

// WithSeededConsumers adds n generated consumers (cust-00001 ...) to the
// demo application, in a mix of states: most with one or two healthy
// connections, some with none, and some with each kind of trouble (token
// refreshes failing, needing a new sign-in, degraded, missing settings,
// revoked, needing consent). Consumer i is the same whatever n is.
func WithSeededConsumers(n int) Option {
	return func(s *Server) { s.seedExtra = min(max(n, 0), maxSeeded) }
}

// WithoutDemoApplication starts the demo API with no consumers at all.
func WithoutDemoApplication() Option {
	return func(s *Server) { s.noSeed = true }
}

// trafficCalls are the requests a consumer's software makes through each
// unified API: the logs' methods, paths and operations.
var trafficCalls = map[string][]trafficCall{
	"crm": {
		{method: "GET", path: "/crm/contacts", status: 200, opID: "contactsAll", opName: "List contacts"},
		{method: "GET", path: "/crm/companies", status: 200, opID: "companiesAll", opName: "List companies"},
		{method: "POST", path: "/crm/leads", status: 201, opID: "leadsAdd", opName: "Create lead"},
		{method: "PATCH", path: "/crm/contacts", status: 200, opID: "contactsUpdate", opName: "Update contact", resourceIDPath: true},
		{method: "GET", path: "/crm/opportunities", status: 200, opID: "opportunitiesAll", opName: "List opportunities"},
	},
	"accounting": {
		{method: "GET", path: "/accounting/invoices", status: 200, opID: "invoicesAll", opName: "List Invoices"},
		{method: "GET", path: "/accounting/customers", status: 200, opID: "customersAll", opName: "List Customers"},
		{method: "POST", path: "/accounting/invoices", status: 201, opID: "invoicesAdd", opName: "Create Invoice"},
		{method: "GET", path: "/accounting/payments", status: 200, opID: "paymentsAll", opName: "List Payments"},
	},
	"hris": {
		{method: "GET", path: "/hris/employees", status: 200, opID: "employeesAll", opName: "List Employees"},
		{method: "GET", path: "/hris/departments", status: 200, opID: "departmentsAll", opName: "List Departments"},
		{method: "GET", path: "/hris/time-off-requests", status: 200, opID: "timeOffRequestsAll", opName: "List Time Off Requests"},
	},
	"ats": {
		{method: "GET", path: "/ats/jobs", status: 200, opID: "jobsAll", opName: "List Jobs"},
		{method: "GET", path: "/ats/applicants", status: 200, opID: "applicantsAll", opName: "List applicants"},
		{method: "POST", path: "/ats/applicants", status: 201, opID: "applicantsAdd", opName: "Create applicant"},
	},
	"ecommerce": {
		{method: "GET", path: "/ecommerce/orders", status: 200, opID: "ordersAll", opName: "List Orders"},
		{method: "GET", path: "/ecommerce/products", status: 200, opID: "productsAll", opName: "List Products"},
		{method: "GET", path: "/ecommerce/customers", status: 200, opID: "customersAll", opName: "List Customers"},
	},
	"file-storage": {
		{method: "GET", path: "/file-storage/files", status: 200, opID: "filesAll", opName: "List Files"},
		{method: "GET", path: "/file-storage/folders", status: 200, opID: "foldersAll", opName: "List Folders"},
		{method: "POST", path: "/file-storage/upload-sessions", status: 201, opID: "uploadSessionsAdd", opName: "Start Upload Session"},
	},
}

// seededAPIs are the unified APIs generated consumers connect to: those
// with traffic calls, which are all among the Log schema's unified_api
// values.
var seededAPIs = []string{"crm", "accounting", "hris", "ats", "ecommerce", "file-storage"}

// seedConnection is a connection the seed puts on a consumer.
type seedConnection struct {
	unifiedAPI, serviceID string
	serviceName           string        // for failure messages
	age                   time.Duration // since it was added
	// trouble, when set, began that long ago and lasts.
	trouble     time.Duration
	state       string // while in trouble
	health      string
	disabled    bool
	every       time.Duration // between requests
	phase       time.Duration // of the first request after the connection was added
	failStatus  int           // of requests while in trouble; 0: they succeed
	failMessage string
	failFor     time.Duration // 0: as long as the trouble lasts
}

// seed fills the demo application at now.
func (s *Server) seed(now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seedConsumer(now, GlobexID, model.ConsumerMetadata{AccountName: "Globex", UserName: "Hank Scorpio", Email: "hank@globex.example"},
		120*24*time.Hour,
		seedConnection{unifiedAPI: "crm", serviceID: "salesforce", age: 90 * 24 * time.Hour, every: 2 * time.Hour, phase: 17 * time.Minute},
		seedConnection{unifiedAPI: "accounting", serviceID: "quickbooks", age: 75 * 24 * time.Hour,
			trouble: 30 * time.Hour, state: StateCallable, health: HealthRefresh, every: 4 * time.Hour, phase: 37 * time.Minute,
			failStatus: 401, failMessage: "Token refresh failed: QuickBooks answered invalid_grant (the refresh token was revoked or has expired)"},
	)
	s.seedConsumer(now, InitechID, model.ConsumerMetadata{AccountName: "Initech", UserName: "Bill Lumbergh", Email: "bill@initech.example"},
		200*24*time.Hour,
		seedConnection{unifiedAPI: "crm", serviceID: "hubspot", age: 180 * 24 * time.Hour,
			trouble: 5 * 24 * time.Hour, state: StateInvalid, health: HealthNeedsAuth, every: 6 * time.Hour, phase: 71 * time.Minute,
			failStatus: 401, failMessage: "Connection is not authorized: HubSpot needs the customer to sign in again"},
	)
	s.seedConsumer(now, UmbrellaID, model.ConsumerMetadata{AccountName: "Umbrella Corp", UserName: "Albert Wesker", Email: "albert@umbrella.example"},
		3*24*time.Hour)
	for i := 1; i <= s.seedExtra; i++ {
		id, meta, age, conns := generatedConsumer(i)
		s.seedConsumer(now, id, meta, age, conns...)
	}
	s.seeded = len(s.consumers)
}

// seedConsumer adds a consumer of the demo application, created age ago.
func (s *Server) seedConsumer(now time.Time, id string, meta model.ConsumerMetadata, age time.Duration, conns ...seedConnection) {
	rec := s.consumerLocked(ownerKey{DemoAppID, id}, now.Add(-age))
	rec.metadata = meta
	for _, sc := range conns {
		start := now.Add(-sc.age)
		c := &storedConnection{
			unifiedAPI: sc.unifiedAPI,
			service:    lookupService(s.services, sc.unifiedAPI, sc.serviceID),
			start:      start,
			steps:      []ConnectionStep{{State: StateCallable, Health: HealthOK}},
			enabled:    true,
		}
		traffic := &trafficSchedule{
			consumerID: id, unifiedAPI: sc.unifiedAPI, service: c.service,
			calls: trafficCalls[sc.unifiedAPI], from: start.Add(sc.phase), every: sc.every,
		}
		if sc.health != "" {
			since := now.Add(-sc.trouble)
			c.steps = append(c.steps, ConnectionStep{After: since.Sub(start), State: sc.state, Health: sc.health, Disabled: sc.disabled})
			if sc.failStatus != 0 {
				traffic.failing = &trafficFailure{from: since, status: sc.failStatus, message: sc.failMessage}
				if sc.failFor > 0 {
					traffic.failing.until = since.Add(sc.failFor)
				}
			}
		}
		rec.connections[connectionID(sc.unifiedAPI, sc.serviceID)] = c
		if len(traffic.calls) > 0 && traffic.every > 0 {
			rec.traffic = append(rec.traffic, traffic)
		}
		if start.After(rec.modified) {
			rec.modified = start
		}
	}
}

// Names the generated consumers are made of.
var (
	seedCompanies = []string{"Acme", "Hooli", "Initrode", "Vandelay Industries", "Soylent", "Stark Industries", "Wayne Enterprises",
		"Cyberdyne", "Wonka", "Tyrell", "Massive Dynamic", "Pied Piper", "Dunder Mifflin", "Oceanic", "Gringotts", "Monarch",
		"Nakatomi", "Prestige Worldwide", "Sterling Cooper", "Aperture", "Black Mesa", "Bluth Company", "Krusty Krab", "Duff"}
	seedSuffixes   = []string{"", " Ltd", " GmbH", " BV", " Inc", " Labs", " Group", " & Co"}
	seedFirstNames = []string{"Ada", "Grace", "Alan", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Frances", "Edsger",
		"Radia", "Tim", "Katherine", "John", "Hedy", "Guido", "Sophie", "Rob", "Annie", "Niklaus"}
	seedLastNames = []string{"Lovelace", "Hopper", "Turing", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie", "Allen",
		"Dijkstra", "Perlman", "Berners-Lee", "Johnson", "McCarthy", "Lamarr", "van Rossum", "Wilson", "Pike", "Easley", "Wirth"}
)

// generatedConsumer is seeded consumer i (from 1): the same every time.
func generatedConsumer(i int) (string, model.ConsumerMetadata, time.Duration, []seedConnection) {
	rng := rand.New(rand.NewPCG(19, uint64(i)))
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	first, last := pick(seedFirstNames), pick(seedLastNames)
	company := pick(seedCompanies) + pick(seedSuffixes)
	id := fmt.Sprintf("cust-%05d", i)
	meta := model.ConsumerMetadata{
		AccountName: company,
		UserName:    first + " " + last,
		Email:       fmt.Sprintf("%s.%d@customer.example", strings.ToLower(first), i),
	}
	hours := func(lo, hi int) time.Duration { return time.Duration(lo+rng.IntN(hi-lo+1)) * time.Hour }
	age := hours(24, 400*24)
	connection := func() seedConnection {
		api := seededAPIs[rng.IntN(len(seededAPIs))]
		connectors := model.WellKnownConnectors(api)
		svc := connectors[rng.IntN(min(len(connectors), 4))]
		connAge := min(age, hours(12, 300*24))
		return seedConnection{unifiedAPI: api, serviceID: svc.ID, serviceName: svc.Name, age: connAge,
			every: hours(3, 24), phase: time.Duration(rng.IntN(180)) * time.Minute}
	}
	trouble := func(c seedConnection, lo, hi int, state, health string, status int, message string) seedConnection {
		c.trouble = min(hours(lo, hi), c.age-time.Minute)
		c.state, c.health, c.failStatus = state, health, status
		c.failMessage = fmt.Sprintf(message, c.serviceName)
		return c
	}
	var conns []seedConnection
	switch roll := rng.IntN(100); {
	case roll < 10: // none yet
	case roll < 60:
		conns = append(conns, connection())
	case roll < 75:
		conns = append(conns, connection(), connection())
	case roll < 83:
		conns = append(conns, trouble(connection(), 1, 47, StateCallable, HealthRefresh, 401, "Token refresh failed: %s answered invalid_grant"))
	case roll < 88:
		conns = append(conns, trouble(connection(), 1, 240, StateAdded, HealthNeedsAuth, 401, "Connection is not authorized: %s needs the customer to sign in"))
	case roll < 92:
		c := trouble(connection(), 1, 6, StateCallable, HealthDegraded, 502, "%s could not be reached (ETIMEDOUT)")
		c.failFor = time.Hour
		conns = append(conns, c, connection())
	case roll < 95:
		conns = append(conns, trouble(connection(), 24, 720, StateInvalid, HealthMissing, 400, "Connection settings are incomplete: %s needs them filled in"))
	case roll < 97:
		c := trouble(connection(), 24, 720, StateAuthorized, HealthRevoked, 401, "Access was revoked in %s")
		c.disabled = true
		conns = append(conns, c)
	case roll < 99:
		conns = append(conns, trouble(connection(), 2, 200, StateAuthorized, HealthNeedConsent, 403, "The customer has not consented to the data %s would share"))
	default:
		c := connection()
		c.trouble, c.state, c.health = min(hours(1, 48), c.age-time.Minute), StateAuthorized, HealthPendingConf
		conns = append(conns, c)
	}
	// Two connections to one connector under one API are one connection.
	if len(conns) == 2 && conns[0].unifiedAPI == conns[1].unifiedAPI && conns[0].serviceID == conns[1].serviceID {
		conns = conns[:1]
	}
	return id, meta, age, conns
}
