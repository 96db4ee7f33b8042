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
	// Suspend stops the wizard as Ctrl+Z stops any program in a shell;
	// fg brings it back as it was. Steps that undo with the same key
	// (Theme, custom settings) keep it for that.
	Suspend key.Binding
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
		Next:      bind("next", "enter"),
		NextField: bindAs("tab/↓", "next field", "tab", "down"),
		PrevField: bindAs("shift+tab/↑", "previous field", "shift+tab", "up"),
		Back:      bind("back", "esc"),
		// Named by f1, which works on every step: "?" is text in a field,
		// and a footer saying "? help" on some steps and "f1 help" on
		// others read as two rules. "?" still opens it where nothing is typed.
		Help:     bind("help", "f1", "?"),
		Quit:     bind("quit", "ctrl+c"),
		Suspend:  bind("suspend (fg resumes)", "ctrl+z"),
		ToReview: bind("review", "ctrl+s"),

		Resume:     bind("resume", "enter"),
		StartFresh: bind("start fresh", "n"),
		Discard:    bind("discard", "d", "delete"),
		UsePreset:  bind("use", "enter"),

		ChangeKey: bind("type another key", "ctrl+x"),

		CompleteConsumer: bind("take suggestion", "right"),
		NextConsumer:     bind("next consumer", "ctrl+n"),
		PrevConsumer:     bind("previous consumer", "ctrl+p"),

		Toggle:     bind("toggle", " "),
		SelectAll:  bind("select all", "ctrl+a"),
		SelectNone: bind("select none", "ctrl+d"),
		Reset:      bindAs("del", "reset to default", "backspace", "delete"),

		Up:          bindAs("↑/↓", "move", "up"),
		Down:        bind("move down", "down"),
		PrevChoice:  bindAs("←/→", "change", "left"),
		NextChoice:  bind("next choice", "right"),
		TypeLength:  bindingOf(strings.Split("0123456789", ""), "type a length", true),
		JumpToRow:   bindingOf(strings.Split("abcdefghijklmnopqrstuvwxyz", ""), "jump to a row", true),
		FilterEdit:  bind("edit", "backspace"),
		ClearFilter: bind("clear filter", "esc"),
		StartFilter: bind("filter", "/"),
		FilterDone:  bind("keep these", "enter"),

		Palette:     bind("palette", "ctrl+t"),
		FixContrast: bind("fix contrast", "ctrl+r"),
		Preview:     bind("preview", "ctrl+p"),
		Undo:        bind("undo", "ctrl+z"),
		Browser:     bind("browser", "ctrl+b"),

		Create:      bind("create session", "enter"),
		SavePreset:  bind("save as preset", "s"),
		JumpTo:      bindingOf(strings.Split("123456789", ""), "edit step", true),
		Cancel:      bind("cancel", "esc"),
		Retry:       bind("retry", "r"),
		Fix:         bind("fix", "enter", "f"),
		Open:        bind("open in browser", "o"),
		Copy:        bind("copy URL", "c"),
		CopyMessage: bind("copy message", "m"),
		Token:       bind("show token", "t"),
		QR:          bind("QR code", "Q"),
		Another:     bind("next consumer", "n"),
		Watch:       bind("watch", "w"),
		AllAPIs:     bind("all APIs", "a"),
		PollNow:     bind("poll now", "r"),
		QuitPlain:   bind("quit", "q"),
		// ctrl+l ("look up"): the Consumer step's fields take every
		// letter, and bubbles' text input leaves ctrl+l alone.
		ConsumerPanel: bind("consumer panel", "ctrl+l"),
		PrepareFix:    bind("prepare the fix", "f"),

		EditorNext:  bind("next", "tab"),
		EditorPrev:  bind("back", "shift+tab"),
		FormatJSON:  bind("format", "ctrl+e"),
		OpenEditor:  bind("open $EDITOR", "ctrl+o"),
		EditorStart: bindAs("type/↑↓←→", "edit", "up", "down", "left", "right", "home", "end"),
		EditorDone:  bind("done editing", "esc"),
		Editor:      editorKeyMap(),

		LineUp:   bindAs("↑↓ pgup/dn home/end", "scroll", "up", "k"),
		LineDown: bind("scroll down", "down", "j"),
		PageUp:   bind("page up", "pgup"),
		PageDown: bind("page down", "pgdown"),
		Top:      bind("top", "home"),
		Bottom:   bind("bottom", "end"),
	}
}

// editorKeyMap is the keys of the custom settings editor, those of
// bubbles' textarea (which it replaced) and more: ctrl+←/→ by words,
// pgup/pgdn, ctrl+z/ctrl+y undo and redo. ctrl+e formats the JSON there,
// so only end goes to the end of a line.
func editorKeyMap() textedit.KeyMap {
	return textedit.KeyMap{
		CharacterForward:           bind("right", "right", "ctrl+f"),
		CharacterBackward:          bind("left", "left", "ctrl+b"),
		WordForward:                bindAs("alt+→", "word right", "alt+right", "ctrl+right", "alt+f"),
		WordBackward:               bindAs("alt+←", "word left", "alt+left", "ctrl+left", "alt+b"),
		LineNext:                   bind("line down", "down", "ctrl+n"),
		LinePrevious:               bind("line up", "up", "ctrl+p"),
		PageDown:                   bind("page down", "pgdown"),
		PageUp:                     bind("page up", "pgup"),
		LineStart:                  bind("line start", "home", "ctrl+a"),
		LineEnd:                    bind("line end", "end"),
		InputBegin:                 bind("start", "ctrl+home", "alt+<"),
		InputEnd:                   bind("end", "ctrl+end", "alt+>"),
		InsertNewline:              bind("new line", "enter"),
		DeleteCharacterBackward:    bind("delete left", "backspace", "ctrl+h"),
		DeleteCharacterForward:     bind("delete right", "delete", "ctrl+d"),
		DeleteWordBackward:         bind("delete word left", "ctrl+w", "alt+backspace"),
		DeleteWordForward:          bind("delete word right", "alt+d", "alt+delete"),
		DeleteAfterCursor:          bind("delete to line end", "ctrl+k"),
		DeleteBeforeCursor:         bind("delete to line start", "ctrl+u"),
		TransposeCharacterBackward: bind("swap characters", "ctrl+t"),
		UppercaseWordForward:       bind("upper case word", "alt+u"),
		LowercaseWordForward:       bind("lower case word", "alt+l"),
		CapitalizeWordForward:      bind("capitalise word", "alt+c"),
		Paste:                      bind("paste", "ctrl+v"),
		Undo:                       bind("undo", "ctrl+z"),
		Redo:                       bind("redo", "ctrl+y"),
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

// bind is a binding of keys that the help names by the first ("ctrl+t",
// "→"): a key rebound in DefaultKeyMap is named right wherever it shows.
func bind(desc string, keys ...string) key.Binding { return bindingOf(keys, desc, false) }

// bindAs is a binding of keys with a name of its own in the help: "tab/↓"
// for two keys, "del" for backspace.
func bindAs(name, desc string, keys ...string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(name, desc))
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
