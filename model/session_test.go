package model_test

import (
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/apideck-samples/vault-session/model"
)

// specProperties are the property lists of the Vault OpenAPI spec (10.34.0)
// for the request body of POST /vault/sessions and its nested objects.
// The API refuses any other key (additionalProperties: false), so these are
// the only names the model may ever send.
func specProperties() map[reflect.Type][]string {
	return map[reflect.Type][]string{
		reflect.TypeFor[model.Session](): {
			"consumer_metadata", "redirect_uri", "settings", "theme", "custom_consumer_settings",
		},
		reflect.TypeFor[model.ConsumerMetadata](): {
			"account_name", "user_name", "email", "image",
		},
		reflect.TypeFor[model.Settings](): {
			"unified_apis", "hide_resource_settings", "sandbox_mode", "isolation_mode", "session_length",
			"show_logs", "show_suggestions", "show_sidebar", "auto_redirect", "hide_guides", "allow_actions",
		},
		reflect.TypeFor[model.Theme](): {
			"favicon", "logo", "primary_color", "sidepanel_background_color", "sidepanel_text_color",
			"vault_name", "privacy_url", "terms_url",
		},
	}
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}

// Unknown keys are impossible to send: every field the encoder can write is
// named after a spec property, and every spec property has a field.
func TestSessionFieldsAreTheSpecProperties(t *testing.T) {
	t.Parallel()
	spec := specProperties()
	if n := len(spec[reflect.TypeFor[model.ConsumerMetadata]()]); n != 4 {
		t.Fatalf("copied ConsumerMetadata list has %d properties, the spec has 4", n)
	}
	if n := len(spec[reflect.TypeFor[model.Settings]()]); n != 11 {
		t.Fatalf("copied settings list has %d properties, the spec has 11", n)
	}
	if n := len(spec[reflect.TypeFor[model.Theme]()]); n != 8 {
		t.Fatalf("copied theme list has %d properties, the spec has 8", n)
	}
	for typ, props := range spec {
		var names []string
		for i := range typ.NumField() {
			f := typ.Field(i)
			if f.Anonymous {
				t.Errorf("%s.%s is embedded; its fields would be sent under their own names", typ.Name(), f.Name)
			}
			if !f.IsExported() {
				continue // never encoded
			}
			name := jsonName(f)
			if name == "" || name == "-" {
				t.Errorf("%s.%s has no JSON name, so it would be sent as %q or hidden", typ.Name(), f.Name, f.Name)
				continue
			}
			if !slices.Contains(props, name) {
				t.Errorf("%s.%s is sent as %q, which the spec does not name", typ.Name(), f.Name, name)
			}
			if slices.Contains(names, name) {
				t.Errorf("%s has two fields named %q", typ.Name(), name)
			}
			names = append(names, name)

			switch {
			case f.Type.Kind() == reflect.Struct:
				if _, ok := spec[f.Type]; !ok {
					t.Errorf("%s.%s is a %s, whose keys this test does not check", typ.Name(), f.Name, f.Type)
				}
			case f.Type.Kind() == reflect.Map || f.Type.Kind() == reflect.Interface:
				// Only the one object the spec leaves open may hold arbitrary keys.
				if name != "custom_consumer_settings" {
					t.Errorf("%s.%s (%s) can hold keys the spec does not name", typ.Name(), f.Name, f.Type)
				}
			}
		}
		for _, p := range props {
			if !slices.Contains(names, p) {
				t.Errorf("%s has no field for the spec's property %q", typ.Name(), p)
			}
		}
	}
}

// fillEveryField sets every exported field of the struct v points at to a
// non-zero value, recursing into nested structs.
func fillEveryField(v reflect.Value) {
	for i := range v.NumField() {
		f := v.Field(i)
		if !f.CanSet() {
			continue
		}
		switch f.Kind() {
		case reflect.String:
			f.SetString("x")
		case reflect.Pointer:
			f.Set(reflect.New(f.Type().Elem()))
		case reflect.Slice:
			if f.Type() == reflect.TypeFor[json.RawMessage]() {
				f.Set(reflect.ValueOf(json.RawMessage(`{"key":1}`)))
				continue
			}
			f.Set(reflect.MakeSlice(f.Type(), 1, 1))
		case reflect.Map:
			f.Set(reflect.MakeMap(f.Type()))
			f.SetMapIndex(reflect.ValueOf("key"), reflect.ValueOf(any(1)))
		case reflect.Struct:
			fillEveryField(f)
		}
	}
}

// The same check, as the encoder sees it: a session with every field set
// sends exactly the spec's properties at each level.
func TestFullSessionSendsExactlyTheSpecProperties(t *testing.T) {
	t.Parallel()
	var s model.Session
	fillEveryField(reflect.ValueOf(&s).Elem())
	body, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		t.Fatal(err)
	}
	spec := specProperties()
	checkKeys := func(what string, obj map[string]json.RawMessage, want []string) {
		got := slices.Sorted(maps.Keys(obj))
		want = slices.Sorted(slices.Values(want))
		if !slices.Equal(got, want) {
			t.Errorf("%s sends keys %v, the spec has %v", what, got, want)
		}
	}
	checkKeys("session", top, spec[reflect.TypeFor[model.Session]()])
	for key, typ := range map[string]reflect.Type{
		"consumer_metadata": reflect.TypeFor[model.ConsumerMetadata](),
		"settings":          reflect.TypeFor[model.Settings](),
		"theme":             reflect.TypeFor[model.Theme](),
	} {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(top[key], &obj); err != nil {
			t.Fatalf("%s: %v in %s", key, err, body)
		}
		checkKeys(key, obj, spec[typ])
	}
}
