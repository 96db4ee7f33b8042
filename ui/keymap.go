package ui

import (
	"strings"
	"unicode/utf8"

	"github.com/apideck-samples/vault-session/ui/textedit"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// KeyMap is every key the wizard answers, with its help text. Steps show
// the part that applies to them; f1 shows it all.
type KeyMap struct {
	Next      key.Binding
	NextField key.Binding
	PrevField key.Binding
	Back      key.Binding
	Help      key.Binding
	Quit      key.Binding
	// ToReview jumps to the review from any step (when the steps before it
	// are valid): the second customer needs no walk through every step.
	ToReview key.Binding

	// The resume offer at the start: enter resumes the draft under the
	// cursor, n starts fresh (as esc does), d discards it.
	Resume     key.Binding
	StartFresh key.Binding
	Discard    key.Binding
	// UsePreset takes the preset under the cursor in the preset picker.
	UsePreset key.Binding

	// ChangeKey unlocks the API key given by the environment or a flag,
	// to type another; pressed again, it keeps the given one.
	ChangeKey key.Binding

	// Completing the consumer ID from the history: → takes the suggestion
	// shown after the cursor, ctrl+n and ctrl+p show the next and previous.
	CompleteConsumer key.Binding
	NextConsumer     key.Binding
	PrevConsumer     key.Binding

	Toggle     key.Binding
	SelectAll  key.Binding
	SelectNone key.Binding
	Reset      key.Binding

	// Lists and rows of choices (the unified APIs and session steps).
	Up         key.Binding
	Down       key.Binding
	PrevChoice key.Binding
	NextChoice key.Binding
	// TypeLength starts typing a session length on the Session step's
	// length row ("1d", "36h"); JumpToRow goes to the next row whose
	// label starts with the letter.
	TypeLength  key.Binding
	JumpToRow   key.Binding
	FilterEdit  key.Binding
	ClearFilter key.Binding
	// StartFilter opens the filter, as in bubbles' list and gum; enter
	// leaves it keeping the rows it shows.
	StartFilter key.Binding
	FilterDone  key.Binding

	// The theme step.
	Palette     key.Binding
	FixContrast key.Binding
	Preview     key.Binding
	Undo        key.Binding
	Browser     key.Binding

	Create key.Binding
	// SavePreset saves the theme and settings under a name, on the Review.
	SavePreset key.Binding
	// JumpTo opens a step from the Review: its first key the first step,
	// and so on; the Review offers as many as it has steps.
	JumpTo key.Binding
	Cancel key.Binding
	Retry  key.Binding
	Fix    key.Binding
	Open   key.Binding
	Copy   key.Binding
	// CopyMessage copies a note for the customer: their name, the link and
	// until when it works.
	CopyMessage key.Binding
	Token       key.Binding
	// QR shows the URL as a QR code, for a phone to open (Session ready).
	QR      key.Binding
	Another key.Binding
	// Watch opens the consumer's connections, live; AllAPIs there shows
	// every unified API, PollNow asks at once.
	Watch     key.Binding
	AllAPIs   key.Binding
	PollNow   key.Binding
	QuitPlain key.Binding
	// ConsumerPanel opens the consumer's panel (connections, health,
	// requests, failing calls) from the Consumer step and Session ready;
	// PrepareFix there prepares the session that fixes them.
	ConsumerPanel key.Binding
	PrepareFix    key.Binding

	// Where enter or the arrows are taken (the custom settings editor, the
	// lists of the unified APIs and session steps), tab and shift+tab
	// move between steps.
	EditorNext key.Binding
	EditorPrev key.Binding
	FormatJSON key.Binding
	OpenEditor key.Binding
	// Enter goes on from the custom settings until the user edits the
	// text: typing or moving the cursor there (EditorStart names those
	// keys in the help) starts editing, enter is a new line from then on,
	// and EditorDone stops editing.
	EditorStart key.Binding
	EditorDone  key.Binding
	// Editor is the editor's own keys: moves, deletes, paste, undo.
	Editor textedit.KeyMap

	// Scrolling a long page such as the review. LineUp's help names all
	// six keys, so the short help line has room for the rest.
	LineUp   key.Binding
	LineDown key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding
}

// DefaultKeyMap returns the wizard's bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Next:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next")),
		NextField: key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab/↓", "next field")),
		PrevField: key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab/↑", "previous field")),
		Back:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		// Named by f1, which works on every step: "?" is text in a field,
		// and a footer saying "? help" on some steps and "f1 help" on
		// others read as two rules. "?" still opens it where nothing is typed.
		Help:     key.NewBinding(key.WithKeys("f1", "?"), key.WithHelp("f1", "help")),
		Quit:     key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		ToReview: key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "review")),

		Resume:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "resume")),
		StartFresh: key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "start fresh")),
		Discard:    key.NewBinding(key.WithKeys("d", "delete"), key.WithHelp("d", "discard")),
		UsePreset:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "use")),

		ChangeKey: key.NewBinding(key.WithKeys("ctrl+x"), key.WithHelp("ctrl+x", "type another key")),

		CompleteConsumer: key.NewBinding(key.WithKeys("right"), key.WithHelp("→", "take suggestion")),
		NextConsumer:     key.NewBinding(key.WithKeys("ctrl+n"), key.WithHelp("ctrl+n", "next consumer")),
		PrevConsumer:     key.NewBinding(key.WithKeys("ctrl+p"), key.WithHelp("ctrl+p", "previous consumer")),

		Toggle:     key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "toggle")),
		SelectAll:  key.NewBinding(key.WithKeys("ctrl+a"), key.WithHelp("ctrl+a", "select all")),
		SelectNone: key.NewBinding(key.WithKeys("ctrl+d"), key.WithHelp("ctrl+d", "select none")),
		Reset:      key.NewBinding(key.WithKeys("backspace", "delete"), key.WithHelp("del", "reset to default")),

		Up:          key.NewBinding(key.WithKeys("up"), key.WithHelp("↑/↓", "move")),
		Down:        key.NewBinding(key.WithKeys("down"), key.WithHelp("↓", "move down")),
		PrevChoice:  key.NewBinding(key.WithKeys("left"), key.WithHelp("←/→", "change")),
		NextChoice:  key.NewBinding(key.WithKeys("right"), key.WithHelp("→", "next choice")),
		TypeLength:  bindingOf(strings.Split("0123456789", ""), "type a length", true),
		JumpToRow:   bindingOf(strings.Split("abcdefghijklmnopqrstuvwxyz", ""), "jump to a row", true),
		FilterEdit:  key.NewBinding(key.WithKeys("backspace"), key.WithHelp("backspace", "edit")),
		ClearFilter: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		StartFilter: key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		FilterDone:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep these")),

		Palette:     key.NewBinding(key.WithKeys("ctrl+t"), key.WithHelp("ctrl+t", "palette")),
		FixContrast: key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "fix contrast")),
		Preview:     key.NewBinding(key.WithKeys("ctrl+p"), key.WithHelp("ctrl+p", "preview")),
		Undo:        key.NewBinding(key.WithKeys("ctrl+z"), key.WithHelp("ctrl+z", "undo")),
		Browser:     key.NewBinding(key.WithKeys("ctrl+b"), key.WithHelp("ctrl+b", "browser")),

		Create:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "create session")),
		SavePreset:  key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "save as preset")),
		JumpTo:      key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6", "7", "8", "9"), key.WithHelp("1-9", "edit step")),
		Cancel:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
		Retry:       key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "retry")),
		Fix:         key.NewBinding(key.WithKeys("enter", "f"), key.WithHelp("enter", "fix")),
		Open:        key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open in browser")),
		Copy:        key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "copy URL")),
		CopyMessage: key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "copy message")),
		Token:       key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "show token")),
		QR:          key.NewBinding(key.WithKeys("Q"), key.WithHelp("Q", "QR code")),
		Another:     key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next consumer")),
		Watch:       key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "watch")),
		AllAPIs:     key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "all APIs")),
		PollNow:     key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "poll now")),
		QuitPlain:   key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		// ctrl+l ("look up"): the Consumer step's fields take every
		// letter, and bubbles' text input leaves ctrl+l alone.
		ConsumerPanel: key.NewBinding(key.WithKeys("ctrl+l"), key.WithHelp("ctrl+l", "consumer panel")),
		PrepareFix:    key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "prepare the fix")),

		EditorNext: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next")),
		EditorPrev: key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "back")),
		FormatJSON: key.NewBinding(key.WithKeys("ctrl+e"), key.WithHelp("ctrl+e", "format")),
		OpenEditor: key.NewBinding(key.WithKeys("ctrl+o"), key.WithHelp("ctrl+o", "open $EDITOR")),
		EditorStart: key.NewBinding(key.WithKeys("up", "down", "left", "right", "home", "end"),
			key.WithHelp("type/↑↓←→", "edit")),
		EditorDone: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "done editing")),
		Editor:     editorKeyMap(),

		LineUp:   key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑↓ pgup/dn home/end", "scroll")),
		LineDown: key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓", "scroll down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("home"), key.WithHelp("home", "top")),
		Bottom:   key.NewBinding(key.WithKeys("end"), key.WithHelp("end", "bottom")),
	}
}

// editorKeyMap is the keys of the custom settings editor, those of
// bubbles' textarea (which it replaced) and more: ctrl+←/→ by words,
// pgup/pgdn, ctrl+z/ctrl+y undo and redo. ctrl+e formats the JSON there,
// so only end goes to the end of a line.
func editorKeyMap() textedit.KeyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return textedit.KeyMap{
		CharacterForward:           b("→", "right", "right", "ctrl+f"),
		CharacterBackward:          b("←", "left", "left", "ctrl+b"),
		WordForward:                b("alt+→", "word right", "alt+right", "ctrl+right", "alt+f"),
		WordBackward:               b("alt+←", "word left", "alt+left", "ctrl+left", "alt+b"),
		LineNext:                   b("↓", "line down", "down", "ctrl+n"),
		LinePrevious:               b("↑", "line up", "up", "ctrl+p"),
		PageDown:                   b("pgdn", "page down", "pgdown"),
		PageUp:                     b("pgup", "page up", "pgup"),
		LineStart:                  b("home", "line start", "home", "ctrl+a"),
		LineEnd:                    b("end", "line end", "end"),
		InputBegin:                 b("ctrl+home", "start", "ctrl+home", "alt+<"),
		InputEnd:                   b("ctrl+end", "end", "ctrl+end", "alt+>"),
		InsertNewline:              b("enter", "new line", "enter"),
		DeleteCharacterBackward:    b("backspace", "delete left", "backspace", "ctrl+h"),
		DeleteCharacterForward:     b("del", "delete right", "delete", "ctrl+d"),
		DeleteWordBackward:         b("ctrl+w", "delete word left", "ctrl+w", "alt+backspace"),
		DeleteWordForward:          b("alt+d", "delete word right", "alt+d", "alt+delete"),
		DeleteAfterCursor:          b("ctrl+k", "delete to line end", "ctrl+k"),
		DeleteBeforeCursor:         b("ctrl+u", "delete to line start", "ctrl+u"),
		TransposeCharacterBackward: b("ctrl+t", "swap characters", "ctrl+t"),
		UppercaseWordForward:       b("alt+u", "upper case word", "alt+u"),
		LowercaseWordForward:       b("alt+l", "lower case word", "alt+l"),
		CapitalizeWordForward:      b("alt+c", "capitalise word", "alt+c"),
		Paste:                      b("ctrl+v", "paste", "ctrl+v"),
		Undo:                       b("ctrl+z", "undo", "ctrl+z"),
		Redo:                       b("ctrl+y", "redo", "ctrl+y"),
	}
}

// relabel is b with another description in the help: the same keys, so a
// key rebound in DefaultKeyMap is rebound wherever it is shown.
func relabel(b key.Binding, desc string) key.Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}

// either is one entry of the help line for several bindings, named by
// the first key of each: "ctrl+a/d all/none". It answers all their keys.
func either(desc string, bs ...key.Binding) key.Binding {
	var keys, names []string
	for _, b := range bs {
		keys = append(keys, b.Keys()...)
		if len(b.Keys()) == 0 {
			continue
		}
		name := keyName(b.Keys()[0])
		// "ctrl+a/ctrl+d" reads as "ctrl+a/d".
		if len(names) > 0 {
			mod, _, ok := strings.Cut(names[0], "+")
			if rest, same := strings.CutPrefix(name, mod+"+"); ok && same && utf8.RuneCountInString(rest) == 1 {
				name = rest
			}
		}
		names = append(names, name)
	}
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(strings.Join(names, "/"), desc))
}

// keyName is how the help line writes a key.
func keyName(k string) string {
	switch k {
	case "up":
		return "↑"
	case "down":
		return "↓"
	case "left":
		return "←"
	case "right":
		return "→"
	case " ":
		return "space"
	case "delete":
		return "del"
	case "pgdown":
		return "pgdn"
	}
	return k
}

// typable reports whether a key types a character into a text field
// ("?", "1"), rather than being a key no text has (f1, ctrl+s).
func typable(k string) bool { return utf8.RuneCountInString(k) == 1 }

// untypable is b with only its keys that type nothing, for where a field
// takes text: "?" is typed there, f1 still opens the help.
func untypable(b key.Binding) key.Binding {
	var keys []string
	for _, k := range b.Keys() {
		if !typable(k) {
			keys = append(keys, k)
		}
	}
	return bindingOf(keys, b.Help().Desc, false)
}

// firstKeys is b narrowed to its first n keys, named "1-6": the Review's
// jump keys for as many steps as it has.
func firstKeys(b key.Binding, n int) key.Binding {
	return bindingOf(b.Keys()[:min(n, len(b.Keys()))], b.Help().Desc, true)
}

// bindingOf is a binding of keys, named by the first ("f1") or, as a
// range, by the first and the last ("1-6"); disabled without keys.
func bindingOf(keys []string, desc string, asRange bool) key.Binding {
	if len(keys) == 0 {
		return key.NewBinding(key.WithDisabled())
	}
	name := keyName(keys[0])
	if asRange && len(keys) > 1 {
		name += "-" + keyName(keys[len(keys)-1])
	}
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(name, desc))
}

// keyPress is the message Bubble Tea delivers for b's first key: the
// plain prompts drive a screen with the keys the screen answers.
func keyPress(b key.Binding) tea.KeyMsg {
	name := ""
	if len(b.Keys()) > 0 {
		name = b.Keys()[0]
	}
	return keyMsgNamed(name)
}

// keyMsgNamed is the message Bubble Tea delivers for the key a binding
// names ("ctrl+t", "shift+tab", "?", "alt+s").
func keyMsgNamed(name string) tea.KeyMsg {
	if rest, ok := strings.CutPrefix(name, "alt+"); ok && rest != "" {
		k := keyMsgNamed(rest)
		k.Alt = true
		return k
	}
	for kt := tea.KeyType(-128); kt < 128; kt++ {
		if kt != tea.KeyRunes && kt.String() == name {
			if kt == tea.KeySpace {
				return tea.KeyMsg{Type: kt, Runes: []rune{' '}}
			}
			return tea.KeyMsg{Type: kt}
		}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(name)}
}
