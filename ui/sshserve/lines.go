package sshserve

import (
	"bytes"
	"io"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// lineDiscipline is what a terminal's cooked mode does, done on the server
// for the plain prompts. Over SSH the person's terminal is raw: nothing
// shows what they type, nor lets them rub it out, unless the server does.
// It echoes what is typed, erases with Backspace, Ctrl+U and Ctrl+W, ends a
// line at Enter, takes Ctrl+D on an empty line as the end of input and
// Ctrl+C as an interrupt, and drops the escape sequences of arrow and
// function keys, which a line has no use for.
type lineDiscipline struct {
	in        io.Reader
	echo      io.Writer
	interrupt func()

	edit  lineEditor
	ready []byte // whole lines, each ending in \n, not yet read
	eof   bool
	buf   [1024]byte
}

func newLineDiscipline(in io.Reader, echo io.Writer, interrupt func()) *lineDiscipline {
	return &lineDiscipline{in: in, echo: echo, interrupt: interrupt}
}

// Read returns whole lines as they are ended.
func (l *lineDiscipline) Read(p []byte) (int, error) {
	for len(l.ready) == 0 {
		if l.eof {
			return 0, io.EOF
		}
		n, err := l.in.Read(l.buf[:])
		if n > 0 {
			out := l.edit.feed(l.buf[:n])
			if len(out.echo) > 0 {
				_, _ = l.echo.Write(out.echo)
			}
			l.ready = append(l.ready, out.lines...)
			if out.interrupted && l.interrupt != nil {
				l.interrupt()
			}
			l.eof = l.eof || out.eof
		}
		if err != nil && len(l.ready) == 0 {
			return 0, err
		}
	}
	n := copy(p, l.ready)
	l.ready = l.ready[n:]
	return n, nil
}

// maxLine bounds a line being typed; what comes past it is dropped.
const maxLine = 64 << 10

// lineEditor is the editing itself, with no I/O: bytes in, what to echo
// and the lines ended out.
type lineEditor struct {
	line []byte
	// esc is the escape sequence being dropped: 0 none, 1 after ESC, 2 in
	// a CSI sequence (ESC [), 3 after ESC O, 4 in an OSC or other string.
	esc     int
	afterCR bool // a \n right after a \r ends no second line
}

type edited struct {
	echo        []byte
	lines       []byte
	interrupted bool
	eof         bool
}

func (e *lineEditor) feed(b []byte) (out edited) {
	for _, c := range b {
		afterCR := e.afterCR
		e.afterCR = false
		switch e.esc {
		case 1:
			switch c {
			case '[':
				e.esc = 2
			case 'O':
				e.esc = 3
			case ']', 'P', '_', '^', 'X':
				e.esc = 4
			default:
				e.esc = 0 // Alt+key: dropped with its ESC
			}
			continue
		case 2:
			if c >= 0x40 && c <= 0x7e {
				e.esc = 0
			}
			continue
		case 3:
			e.esc = 0
			continue
		case 4:
			if c == 0x07 || c == 0x1b {
				e.esc = 0 // BEL, or the ESC of ESC \ (its \ is then typed as a key: rare enough)
			}
			continue
		}
		switch {
		case c == 0x1b:
			e.esc = 1
		case c == '\r' || c == '\n':
			if c == '\n' && afterCR {
				continue
			}
			e.afterCR = c == '\r'
			out.lines = append(append(out.lines, e.line...), '\n')
			out.echo = append(out.echo, '\r', '\n')
			e.line = e.line[:0]
		case c == 0x7f || c == 0x08: // Backspace
			out.echo = append(out.echo, e.rubOut(1)...)
		case c == 0x15: // Ctrl+U
			out.echo = append(out.echo, e.rubOut(len(e.line))...)
		case c == 0x17: // Ctrl+W: the word before the cursor, and the spaces after it
			out.echo = append(out.echo, e.rubOut(e.wordRunes())...)
		case c == 0x03: // Ctrl+C
			out.interrupted = true
			out.echo = append(out.echo, "^C\r\n"...)
			e.line = e.line[:0]
		case c == 0x04: // Ctrl+D
			if len(e.line) == 0 {
				out.eof = true
				return out
			}
		case c < 0x20 && c != '\t':
			// Other control keys mean nothing in a line.
		case len(e.line) >= maxLine:
			out.echo = append(out.echo, 0x07)
		default:
			e.line = append(e.line, c)
			out.echo = append(out.echo, c)
		}
	}
	return out
}

// rubOut removes n runes from the end of the line and returns what erases
// them on the screen: a backspace, a space and a backspace for each cell.
func (e *lineEditor) rubOut(n int) []byte {
	var echo []byte
	for ; n > 0 && len(e.line) > 0; n-- {
		r, size := utf8.DecodeLastRune(e.line)
		if r == utf8.RuneError && size <= 1 {
			size = 1
		}
		e.line = e.line[:len(e.line)-size]
		cells := ansi.StringWidth(string(r))
		if r == '\t' {
			cells = 1
		}
		for range cells {
			echo = append(echo, "\b \b"...)
		}
	}
	return echo
}

// wordRunes counts the runes Ctrl+W removes: trailing spaces, then the
// word before them.
func (e *lineEditor) wordRunes() int {
	s := e.line
	n := 0
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s, n = s[:len(s)-1], n+1
	}
	word := s[bytes.LastIndexAny(s, " \t")+1:]
	return n + utf8.RuneCount(word)
}
