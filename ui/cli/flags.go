package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/apideck-samples/vault-session/client"
	"github.com/apideck-samples/vault-session/model"
	"github.com/apideck-samples/vault-session/model/keptfile"
	"github.com/apideck-samples/vault-session/model/store"
	"github.com/spf13/pflag"
)

// sessionField is one command-line flag that sets one part of the session.
type sessionField struct {
	name  string
	arg   string // what the value looks like, for the usage text
	usage string
	set   func(s *model.Session, value string) error
	// isBool flags may be given bare (--sandbox) or with =true / =false.
	isBool bool
}

// sessionFields lists the session flags in the order the usage shows them.
// Booleans come from model.BoolSettings so a new setting gets its flag.
func sessionFields() []sessionField {
	text := func(name, usage string, field func(*model.Session) *string) sessionField {
		return sessionField{name: name, arg: "TEXT", usage: usage, set: func(s *model.Session, v string) error {
			*field(s) = v
			return nil
		}}
	}
	url := func(name, usage string, field func(*model.Session) *string) sessionField {
		f := text(name, usage, field)
		f.arg = "URL"
		return f
	}
	color := func(name, usage string, field func(*model.Session) *string) sessionField {
		f := text(name, usage, field)
		f.arg = "COLOR"
		return f
	}
	fields := []sessionField{
		text("account-name", "consumer card: account name", func(s *model.Session) *string { return &s.ConsumerMetadata.AccountName }),
		text("user-name", "consumer card: user name", func(s *model.Session) *string { return &s.ConsumerMetadata.UserName }),
		text("email", "consumer card: email address", func(s *model.Session) *string { return &s.ConsumerMetadata.Email }),
		url("image", "consumer card: avatar image", func(s *model.Session) *string { return &s.ConsumerMetadata.Image }),
		url("redirect-uri", "where Vault sends the user when done", func(s *model.Session) *string { return &s.RedirectURI }),
		{name: "unified-apis", arg: "LIST", usage: "unified APIs to list, comma-separated (e.g. crm,hris); empty = all",
			set: func(s *model.Session, v string) error {
				s.Settings.UnifiedAPIs = commaList(v)
				return nil
			}},
		text("session-length", "how long the session lives: 30m, 1h, 1d, 7d (default 1h)", func(s *model.Session) *string { return &s.Settings.SessionLength }),
		{name: "allow-actions", arg: "LIST", usage: "connection actions allowed, comma-separated (delete,disconnect,reauthorize,disable); \"none\" = none; absent = all",
			set: func(s *model.Session, v string) error {
				if strings.EqualFold(strings.TrimSpace(v), "none") {
					v = ""
				}
				s.Settings.AllowActions = commaList(v)
				if s.Settings.AllowActions == nil {
					s.Settings.AllowActions = []string{} // sent as [], not left out
				}
				return nil
			}},
	}
	for _, b := range model.BoolSettings() {
		key := b.Key
		fields = append(fields, sessionField{
			name:   boolFlagName(key),
			arg:    "BOOL",
			usage:  fmt.Sprintf("%s (Vault's default: %t)", b.Help, b.Default),
			isBool: true,
			set: func(s *model.Session, v string) error {
				on, err := strconv.ParseBool(v)
				if err != nil {
					return errors.New("use true or false")
				}
				*s.Settings.BoolField(key) = model.Bool(on)
				return nil
			},
		})
	}
	fields = append(fields,
		color("primary-color", "theme: primary colour (#rgb, #rrggbb or a CSS name)", func(s *model.Session) *string { return &s.Theme.PrimaryColor }),
		color("sidepanel-bg", "theme: side panel background colour", func(s *model.Session) *string { return &s.Theme.SidepanelBackgroundColor }),
		color("sidepanel-text", "theme: side panel text colour", func(s *model.Session) *string { return &s.Theme.SidepanelTextColor }),
		text("vault-name", "theme: name shown at the top of the side panel", func(s *model.Session) *string { return &s.Theme.VaultName }),
		url("logo", "theme: logo image", func(s *model.Session) *string { return &s.Theme.Logo }),
		url("favicon", "theme: favicon", func(s *model.Session) *string { return &s.Theme.Favicon }),
		url("privacy-url", "theme: privacy policy link", func(s *model.Session) *string { return &s.Theme.PrivacyURL }),
		url("terms-url", "theme: terms of service link", func(s *model.Session) *string { return &s.Theme.TermsURL }),
		sessionField{name: "custom-consumer-settings", arg: "JSON", usage: "custom_consumer_settings as a JSON object",
			set: func(s *model.Session, v string) error {
				m, err := model.ParseJSONObject(v)
				if err != nil {
					return err
				}
				s.CustomConsumerSettings = m
				return nil
			}},
	)
	return fields
}

// boolFlagName turns a settings key into its flag: sandbox_mode is
// --sandbox, show_logs is --show-logs.
func boolFlagName(key string) string {
	return strings.ReplaceAll(strings.TrimSuffix(key, "_mode"), "_", "-")
}

// commaList reads a flag's list, split at commas only: "crm, hris,," is
// [crm hris]; blank text gives nil. (The plain prompts' listAnswer splits
// at spaces too, and reads numbers.)
func commaList(v string) []string {
	var out []string
	for part := range strings.SplitSeq(v, ",") {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// sessionInput is what the command line says about the session: a file to
// start from and the flags to apply over it, in the order given.
type sessionInput struct {
	// preset is --preset: a preset's name or a path to one.
	preset string
	from   string
	edits  []func(*model.Session) error
	// base is where the layers start: empty, or the body of a history
	// entry for create --again.
	base model.Session
	// presetName is the name of the preset load used, for the history.
	presetName string
}

// register adds --preset, --from and a flag per session field, listed in
// the help under groupSession (sharedFlagHelp says so).
func (in *sessionInput) register(fs *pflag.FlagSet) {
	fs.StringVar(&in.preset, "preset", "", "start from a preset (see 'vault-session presets')")
	fs.StringVar(&in.from, "from", "", `start from a session JSON file ("-" for stdin)`)
	for _, f := range sessionFields() {
		fv := &sessionFlagValue{field: f, edits: &in.edits}
		flag := fs.VarPF(fv, f.name, "", f.usage)
		if f.isBool {
			flag.NoOptDefVal = "true"
		}
	}
}

// sharedFlagHelp is the help's group and value of the flags that many
// commands share, the session's and the credentials: worked out when help
// is drawn rather than annotated on every flag of every command at every
// start (about 200 flags; their annotations doubled the start-up work).
// An annotation (inGroup, setArg) still wins.
func sharedFlagHelp(f *pflag.Flag) (group, arg string, ok bool) {
	if v, isSession := f.Value.(*sessionFlagValue); isSession {
		if v.field.isBool {
			return groupSession, "[=false]", true
		}
		return groupSession, v.field.arg, true
	}
	switch f.Name {
	case "preset":
		return groupSession, "NAME|PATH", true
	case "from":
		return groupSession, "FILE", true
	case "api-key":
		return groupCredentials, "KEY", true
	case "app-id", "consumer-id":
		return groupCredentials, "ID", true
	case "base-url":
		return groupCredentials, "URL", true
	case "demo":
		return groupCredentials, "", true
	}
	return "", "", false
}

// sessionFlagValue checks a flag's value when it is parsed, so a mistake is
// reported as a usage error naming the flag, and queues the change.
type sessionFlagValue struct {
	field sessionField
	edits *[]func(*model.Session) error
	text  string
}

func (v *sessionFlagValue) String() string {
	if v == nil {
		return ""
	}
	return v.text
}

func (v *sessionFlagValue) Set(text string) error {
	// JSON would carry broken UTF-8 as U+FFFD: refuse rather than send
	// something else than was typed.
	if !utf8.ValidString(text) {
		return errors.New("not valid UTF-8 text")
	}
	// Check the value now against a scratch session: bad JSON or a bad
	// boolean is reported by the flag package with the flag's name.
	var scratch model.Session
	if err := v.field.set(&scratch, text); err != nil {
		return err
	}
	v.text = text
	field := v.field
	*v.edits = append(*v.edits, func(s *model.Session) error { return field.set(s, text) })
	return nil
}

// Type names the kind of value, as pflag asks.
func (v *sessionFlagValue) Type() string { return strings.ToLower(v.field.arg) }

// presetFinder looks a preset up by name or path (store.Store.FindPreset).
type presetFinder func(nameOrPath string) (store.Preset, error)

// load builds the session field by field: the preset first, then the
// --from file (read strictly) over it, then the flags over both. A signal
// (ctx) ends a read that waits, from a FIFO or a pipe nobody writes to,
// with errInterrupted.
func (in *sessionInput) load(ctx context.Context, stdin io.Reader, findPreset presetFinder) (model.Session, error) {
	s := in.base
	if in.preset != "" {
		p, err := loadPreset(in.preset, findPreset)
		if err != nil {
			return model.Session{}, err
		}
		s, in.presetName = p.Session, p.Name
	}
	if in.from != "" {
		data, name, err := readSessionFile(ctx, in.from, stdin)
		if err != nil {
			return model.Session{}, err
		}
		// Read strictly, once: OverlaySession reports the file's errors.
		if s, err = model.OverlaySession(s, data); err != nil {
			return model.Session{}, &usageError{msg: fmt.Sprintf("%s: %v", name, err)}
		}
	}
	for _, edit := range in.edits {
		if err := edit(&s); err != nil {
			return model.Session{}, &usageError{msg: err.Error()}
		}
	}
	return s, nil
}

// loadPreset finds --preset; an unknown name is a usage error that lists
// the known ones.
func loadPreset(nameOrPath string, findPreset presetFinder) (store.Preset, error) {
	if findPreset == nil {
		return store.Preset{}, &usageError{msg: "--preset: presets are not available (no home directory; set XDG_CONFIG_HOME)"}
	}
	p, err := findPreset(nameOrPath)
	if err != nil {
		return store.Preset{}, &usageError{msg: "--preset: " + keptfile.ErrorText(err)}
	}
	return p, nil
}

// maxSessionFile bounds what --from reads: the one limit on a session
// body, which a create also sends and the demo API also takes at most.
const maxSessionFile = model.MaxSessionBody

// readSessionFile reads the session file, or stdin for "-". Opening a FIFO
// and reading a pipe both block until someone writes, and neither can be
// interrupted in the system call, so the read runs on its own goroutine
// and a cancelled ctx stops the wait; the goroutine is abandoned to the
// process's exit.
func readSessionFile(ctx context.Context, path string, stdin io.Reader) (data []byte, name string, err error) {
	type read struct {
		data []byte
		err  error
	}
	name = path
	if path == "-" {
		name = "stdin"
	}
	done := make(chan read, 1)
	go func() {
		data, err := readLimited(path, name, stdin)
		done <- read{data, err}
	}()
	select {
	case <-ctx.Done():
		return nil, name, errInterrupted
	case r := <-done:
		if ctx.Err() != nil {
			// The signal came while reading: the user asked to stop,
			// whatever arrived.
			return nil, name, errInterrupted
		}
		return r.data, name, r.err
	}
}

func readLimited(path, name string, stdin io.Reader) ([]byte, error) {
	r := stdin
	size := 0
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, &usageError{msg: "cannot read the session file: " + keptfile.ErrorText(err)}
		}
		defer f.Close()
		r = f
		// A regular file says its size: one buffer of the right size
		// instead of one that doubles its way there.
		if info, err := f.Stat(); err == nil && info.Mode().IsRegular() {
			size = int(min(info.Size(), maxSessionFile)) + 1
		}
	}
	data, err := readAllSized(io.LimitReader(r, maxSessionFile+1), size+bytes.MinRead)
	if err != nil {
		return nil, &usageError{msg: fmt.Sprintf("cannot read %s: %s", name, keptfile.ErrorText(err))}
	}
	if len(data) > maxSessionFile {
		return nil, &usageError{msg: fmt.Sprintf("%s is over %d MiB, the most --from reads: not a session file", name, maxSessionFile>>20)}
	}
	return data, nil
}

// readAllSized is io.ReadAll starting from a buffer of capacity size.
func readAllSized(r io.Reader, size int) ([]byte, error) {
	buf := make([]byte, 0, size)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// credentialInput is where the request's credentials and endpoint come from:
// flags first, then the environment.
type credentialInput struct {
	apiKey, appID, consumerID, baseURL string
	demo                               bool
	// apiKeyFrom names where apiKey came from once resolved: "--api-key"
	// or the variable's name.
	apiKeyFrom string
}

// register adds the credential flags, listed in the help under
// groupCredentials (sharedFlagHelp says so).
func (c *credentialInput) register(fs *pflag.FlagSet) {
	c.registerFlags(fs, true)
}

// registerWithoutConsumer adds the credential flags but --consumer-id,
// for a command whose consumers come from elsewhere (batch: each row's).
func (c *credentialInput) registerWithoutConsumer(fs *pflag.FlagSet) {
	c.registerFlags(fs, false)
}

func (c *credentialInput) registerFlags(fs *pflag.FlagSet, consumer bool) {
	fs.StringVar(&c.apiKey, "api-key", "", "Apideck API key (env "+envAPIKey+"); prefer the variable: command lines are visible to other users")
	fs.StringVar(&c.appID, "app-id", "", "Apideck application ID (env "+envAppID+")")
	if consumer {
		fs.StringVar(&c.consumerID, "consumer-id", "", "the customer's consumer ID (env "+envConsumerID+")")
	}
	fs.StringVar(&c.baseURL, "base-url", "", "API endpoint (env "+envBaseURL+"; default https://unify.apideck.com)")
	fs.BoolVar(&c.demo, "demo", false, "use the built-in demo API: no key needed, app and consumer ID default to "+demoAppID+" / "+demoConsumerID)
}

// Environment variables read for credentials and the endpoint.
const (
	envAPIKey     = "APIDECK_API_KEY"
	envAppID      = "APIDECK_APP_ID"
	envConsumerID = "APIDECK_CONSUMER_ID"
	envBaseURL    = "APIDECK_BASE_URL"
)

// Demo mode fills in the headers the demo API needs but does not check.
const (
	demoAppID      = "demo-app"
	demoConsumerID = "test-consumer"
)

// resolve fills every value not given as a flag from the environment. A flag
// given as empty (--api-key=) still wins, so a script can blank an inherited
// variable. --demo ignores an inherited APIDECK_BASE_URL but refuses an
// explicit --base-url: the two ask for different servers.
func (c credentialInput) resolve(fs *pflag.FlagSet, getenv func(string) string) (credentialInput, error) {
	given := fs.Changed
	if c.demo && given("base-url") {
		return c, &usageError{msg: "--demo and --base-url cannot be used together: --demo uses the built-in demo API"}
	}
	pick := func(flagName, value, env string) string {
		if given(flagName) {
			return value
		}
		return getenv(env)
	}
	out := c
	out.apiKey = pick("api-key", c.apiKey, envAPIKey)
	out.apiKeyFrom = envAPIKey
	if given("api-key") {
		out.apiKeyFrom = "--api-key"
	}
	out.appID = pick("app-id", c.appID, envAppID)
	out.consumerID = pick("consumer-id", c.consumerID, envConsumerID)
	if c.demo {
		return out.asDemo(), nil
	}
	out.baseURL = pick("base-url", c.baseURL, envBaseURL)
	if out.baseURL != "" {
		if msg := model.CheckURL(out.baseURL); msg != "" {
			// The message quotes the URL: say it again of the URL without
			// its user:password@, which is never shown.
			if msg = model.CheckURL(client.RedactURL(out.baseURL)); msg == "" {
				msg = "its user:password@ part is not valid in a URL"
			}
			return c, &usageError{msg: "base URL: " + msg}
		}
	}
	return out, nil
}

// checkUnifiedAPI refuses a unified API id the catalogue does not know,
// given to flag (--api, --until callable:API): the API would answer with
// no connection at all, and a watch would wait for one until its
// --timeout. A typo is answered with the id meant, as a flag's is.
func checkUnifiedAPI(flag, id string) error {
	if id == "" {
		return nil
	}
	if _, ok := model.UnifiedAPIName(id); ok {
		return nil
	}
	msg := fmt.Sprintf("%s: %q is not a unified API id", flag, id)
	best, bestDistance := "", 3
	for _, api := range model.UnifiedAPIs() {
		d := editDistance(strings.ToLower(id), api.ID)
		if strings.HasPrefix(api.ID, strings.ToLower(id)) && len(id) >= 3 {
			d = min(d, 1)
		}
		if d < bestDistance {
			best, bestDistance = api.ID, d
		}
	}
	if best != "" {
		return &usageError{msg: msg + "; did you mean " + best + "?"}
	}
	return &usageError{msg: msg + " (e.g. crm, hris, accounting; TAB completes them)"}
}
