package ui

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/apideck-samples/vault-session/model"
	tea "github.com/charmbracelet/bubbletea"
)

// modulePath is this module's: dump follows pointers into its own types.
const modulePath = "github.com/apideck-samples/vault-session"

// dump appends to b everything a value holds, deeply: what an Update can
// read. Functions and channels are named only; pointers and interfaces are
// followed into this module's types (each once) and into none other's, so
// a library's own memo (a lipgloss renderer's) is not taken for the
// wizard's state, while a library value held by the wizard (a text
// input, its width included) is.
func dump(b []byte, v any) []byte {
	seen := map[uintptr]bool{}
	fieldNames := map[reflect.Type][]string{}
	var walk func(v reflect.Value, depth int)
	walk = func(v reflect.Value, depth int) {
		if depth > 60 {
			b = append(b, "…"...)
			return
		}
		switch v.Kind() {
		case reflect.Invalid:
			b = append(b, "nil"...)
		case reflect.Func, reflect.Chan, reflect.UnsafePointer:
			b = append(b, v.Kind().String()...)
			b = strconv.AppendBool(append(b, "(nil="...), v.IsNil())
			b = append(b, ')')
		case reflect.Pointer:
			switch {
			case v.IsNil():
				b = append(b, "nil"...)
			case !strings.HasPrefix(v.Type().Elem().PkgPath(), modulePath):
				b = append(b, "&"+v.Type().Elem().String()...)
			case seen[v.Pointer()]:
				b = append(b, "&seen"...)
			default:
				seen[v.Pointer()] = true
				b = append(b, '&')
				walk(v.Elem(), depth+1)
			}
		case reflect.Interface:
			if v.IsNil() {
				b = append(b, "nil"...)
				return
			}
			b = append(b, v.Elem().Type().String()+":"...)
			walk(v.Elem(), depth+1)
		case reflect.Struct:
			names, ok := fieldNames[v.Type()]
			if !ok {
				for i := range v.NumField() {
					names = append(names, v.Type().Field(i).Name+":")
				}
				fieldNames[v.Type()] = names
			}
			b = append(b, '{')
			for i, name := range names {
				b = append(b, name...)
				walk(v.Field(i), depth+1)
				b = append(b, ' ')
			}
			b = append(b, '}')
		case reflect.Slice, reflect.Array:
			if v.Kind() == reflect.Slice && v.IsNil() {
				b = append(b, "nil"...)
				return
			}
			b = strconv.AppendInt(append(b, '['), int64(v.Len()), 10)
			b = append(b, ':')
			for i := range v.Len() {
				walk(v.Index(i), depth+1)
				b = append(b, ',')
			}
			b = append(b, ']')
		case reflect.Map:
			keys := v.MapKeys()
			slices.SortFunc(keys, func(a, c reflect.Value) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(c)) })
			b = append(b, "map["...)
			for _, k := range keys {
				walk(k, depth+1)
				b = append(b, '=')
				walk(v.MapIndex(k), depth+1)
				b = append(b, ',')
			}
			b = append(b, ']')
		case reflect.String:
			b = strconv.AppendQuote(b, v.String())
		case reflect.Bool:
			b = strconv.AppendBool(b, v.Bool())
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			b = strconv.AppendInt(b, v.Int(), 10)
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			b = strconv.AppendUint(b, v.Uint(), 10)
		case reflect.Float32, reflect.Float64:
			b = strconv.AppendFloat(b, v.Float(), 'g', -1, 64)
		case reflect.Complex64, reflect.Complex128:
			b = append(b, fmt.Sprint(v.Complex())...)
		}
	}
	walk(reflect.ValueOf(v), 0)
	return b
}

// viewChangesNothing draws the screen twice and fails if either drawing
// changed anything in the wizard.
//
// The dumps are written into two buffers the size of a wizard's dump and
// compared as they are: grown and turned into strings, each was copied a
// dozen times, which under -race cost more than walking the wizard.
func viewChangesNothing(t *testing.T, where string, h *harness) {
	t.Helper()
	before := dump(make([]byte, 0, 256<<10), h.w)
	after := make([]byte, 0, cap(before))
	first := h.view()
	if after = dump(after[:0], h.w); !bytes.Equal(after, before) {
		t.Fatalf("%s: View changed the wizard:\n%s", where, firstDifference(string(before), string(after)))
	}
	if second := h.view(); second != first {
		t.Fatalf("%s: two Views in a row differ:\n%s\n---\n%s", where, first, second)
	}
	if after = dump(after[:0], h.w); !bytes.Equal(after, before) {
		t.Fatalf("%s: a second View changed the wizard:\n%s", where, firstDifference(string(before), string(after)))
	}
}

// firstDifference shows where two dumps part.
func firstDifference(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-300)
	return fmt.Sprintf("before: …%s\nafter:  …%s", a[from:min(len(a), i+200)], b[from:min(len(b), i+200)])
}

// TestViewIsPure: View changes nothing in the wizard, on every step and
// every screen, before and after keys, at sizes that crop and scroll: an
// Update never sees what a frame drew.
func TestViewIsPure(t *testing.T) {
	keys := []string{"tab", "down", "down", " ", "right", "/", "c", "enter", "pgdown", "end", "ctrl+t", "ctrl+r", "ctrl+p", "esc", "home", "up"}
	t.Parallel()
	sizes := []tea.WindowSizeMsg{{Width: 140, Height: 45}, {Width: 60, Height: 14}}
	session := model.Session{Theme: model.Theme{SidepanelBackgroundColor: "#1f2937", SidepanelTextColor: "#1f2937"}}
	session.Settings.UnifiedAPIs = []string{"crm", "nonsense"}
	for step := range wizardSteps(DefaultKeyMap()) {
		for _, size := range sizes {
			h := newHarness(t, testState(model.Request{AppID: "app-1", ConsumerID: "acme", Session: session}, ""), nil)
			h.send(size)
			h.w.goTo(step)
			where := fmt.Sprintf("step %d (%s) at %dx%d", step+1, h.w.steps[step].title(), size.Width, size.Height)
			viewChangesNothing(t, where, h)
			for _, k := range keys {
				if h.w.current != step || h.w.screen != nil {
					break // the key left the step: the screens have their own turn
				}
				h.send(keyByName(k))
				viewChangesNothing(t, where+" after "+k, h)
			}
		}
	}
	for _, c := range screenCases() {
		for _, setup := range c.setups {
			h := c.open(t, DefaultKeyMap())
			for _, k := range setup {
				if k == "@small" {
					h.send(tea.WindowSizeMsg{Width: 60, Height: 14})
					continue
				}
				h.send(keyByName(k))
			}
			viewChangesNothing(t, fmt.Sprintf("%s screen after %v", c.name, setup), h)
		}
	}
}
