package mock

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/apideck-samples/vault-session/model"
)

// problem is one way a body breaks the spec, named by its JSON path in the
// form model.FieldError uses ("settings.unified_apis[2]").
type problem struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

// kind is a JSON type the spec asks for.
type kind int

const (
	kindString kind = iota
	kindBool
	kindObject     // a closed object: only the properties listed
	kindOpenObject // any JSON object (custom_consumer_settings)
	kindArray
)

func (k kind) String() string {
	switch k {
	case kindString:
		return "a string"
	case kindBool:
		return "true or false"
	case kindArray:
		return "an array"
	}
	return "an object"
}

// property is the spec's schema of one value, as far as the mock checks it.
type property struct {
	kind       kind
	properties map[string]property // kindObject
	items      *property           // kindArray
	// check returns why a string value is refused, or "".
	check func(string) string
}

// sessionSchema is the Session schema of spec 10.34.0. Session and settings
// are additionalProperties: false in the spec; consumer_metadata and theme
// are closed too, as model.DecodeSession treats them.
func sessionSchema() property {
	str := property{kind: kindString}
	boolean := property{kind: kindBool}
	object := func(props map[string]property) property {
		return property{kind: kindObject, properties: props}
	}
	unifiedAPI := property{kind: kindString, check: func(id string) string {
		if _, ok := model.UnifiedAPIName(id); !ok {
			return fmt.Sprintf("%q is not a unified API id", id)
		}
		return ""
	}}
	action := property{kind: kindString, check: func(id string) string {
		ids := make([]string, 0, 4)
		for _, a := range model.Actions() {
			ids = append(ids, a.ID)
		}
		if !slices.Contains(ids, id) {
			return fmt.Sprintf("%q is not one of %s", id, strings.Join(ids, ", "))
		}
		return ""
	}}
	sessionLength := property{kind: kindString, check: func(text string) string {
		if _, err := model.ParseSessionLength(text); err != nil {
			return err.Error()
		}
		return ""
	}}
	settings := map[string]property{
		"unified_apis":   {kind: kindArray, items: &unifiedAPI},
		"session_length": sessionLength,
		"allow_actions":  {kind: kindArray, items: &action},
	}
	for _, b := range model.BoolSettings() {
		settings[b.Key] = boolean
	}
	return object(map[string]property{
		"consumer_metadata": object(map[string]property{
			"account_name": str, "user_name": str, "email": str, "image": str,
		}),
		"redirect_uri": str,
		"settings":     object(settings),
		"theme": object(map[string]property{
			"favicon": str, "logo": str, "primary_color": str,
			"sidepanel_background_color": str, "sidepanel_text_color": str,
			"vault_name": str, "privacy_url": str, "terms_url": str,
		}),
		"custom_consumer_settings": {kind: kindOpenObject},
	})
}

// checkBody returns every problem of a syntactically valid JSON body.
func checkBody(schema property, body []byte) []problem {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return []problem{{"body", err.Error()}}
	}
	var out []problem
	check(schema, "", v, &out)
	return out
}

func check(p property, path string, v any, out *[]problem) {
	name := path
	if name == "" {
		name = "body"
	}
	if got := jsonType(v); !matches(p.kind, v) {
		*out = append(*out, problem{name, fmt.Sprintf("expected %s, got %s", p.kind, got)})
		return
	}
	switch p.kind {
	case kindString:
		if p.check != nil {
			if msg := p.check(v.(string)); msg != "" {
				*out = append(*out, problem{name, msg})
			}
		}
	case kindArray:
		for i, item := range v.([]any) {
			check(*p.items, fmt.Sprintf("%s[%d]", path, i), item, out)
		}
	case kindObject:
		obj := v.(map[string]any)
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			child := k
			if path != "" {
				child = path + "." + k
			}
			sub, ok := p.properties[k]
			if !ok {
				*out = append(*out, problem{child, "unknown property (the spec allows no other keys here)"})
				continue
			}
			check(sub, child, obj[k], out)
		}
	}
}

func matches(k kind, v any) bool {
	switch v.(type) {
	case string:
		return k == kindString
	case bool:
		return k == kindBool
	case map[string]any:
		return k == kindObject || k == kindOpenObject
	case []any:
		return k == kindArray
	}
	return false
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case []any:
		return "an array"
	}
	return "an object"
}
