package model

import (
	"reflect"
	"strings"
)

// OverlaySession lays the keys of a session file over base, field by field:
// the closed objects (consumer_metadata, settings, theme) key by key, every
// other value (lists, custom_consumer_settings) whole; a closed object
// given as null clears it. A key the file does not have keeps base's value.
// It is how a preset, a session file and the flags stack up, and how the
// wizard lays what is set over a preset.
//
// The file is read once, strictly (DecodeSession's errors), and the keys
// it gives are copied over from the typed result: a 1 MB file is not
// decoded again into maps and encoded back.
func OverlaySession(base Session, file []byte) (Session, error) {
	over, present, err := decodeSession(file)
	if err != nil {
		return Session{}, err
	}
	out := base
	outV, overV := reflect.ValueOf(&out).Elem(), reflect.ValueOf(over)
	for i := range outV.NumField() {
		name := jsonName(outV.Type().Field(i))
		if !present[name] {
			continue
		}
		field := outV.Field(i)
		if _, closed := sessionKeys[name]; !closed || present[name+"=null"] {
			field.Set(overV.Field(i))
			continue
		}
		for j := range field.NumField() {
			if present[name+"."+jsonName(field.Type().Field(j))] {
				field.Field(j).Set(overV.Field(i).Field(j))
			}
		}
	}
	return out, nil
}

// jsonName is the key a struct field is sent as.
func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}
