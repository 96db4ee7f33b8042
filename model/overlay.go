package model

import "encoding/json"

// OverlaySession lays the keys of a session file over base, field by field:
// the closed objects (consumer_metadata, settings, theme) key by key, every
// other value (lists, custom_consumer_settings) whole. A key the file does
// not have keeps base's value. It is how a preset, a session file and
// the flags stack up, and how the wizard lays what is set over a preset.
func OverlaySession(base Session, file []byte) (Session, error) {
	baseJSON, err := json.Marshal(base)
	if err != nil {
		return Session{}, err
	}
	var merged, top map[string]json.RawMessage
	if err := json.Unmarshal(baseJSON, &merged); err != nil {
		return Session{}, err
	}
	if err := json.Unmarshal(file, &top); err != nil {
		return Session{}, err
	}
	for k, v := range top {
		if k == "consumer_metadata" || k == "settings" || k == "theme" {
			var inner, over map[string]json.RawMessage
			if len(merged[k]) > 0 {
				_ = json.Unmarshal(merged[k], &inner)
			}
			if err := json.Unmarshal(v, &over); err == nil && over != nil {
				if inner == nil {
					inner = map[string]json.RawMessage{}
				}
				for ik, iv := range over {
					inner[ik] = iv
				}
				if v, err = json.Marshal(inner); err != nil {
					return Session{}, err
				}
			}
		}
		merged[k] = v
	}
	out, err := json.Marshal(merged)
	if err != nil {
		return Session{}, err
	}
	return DecodeSession(out)
}
