package terminal

import "bytes"

// replyKind is which question a terminal reply answers.
type replyKind int

const (
	// backgroundReply answers OSC 11 ("what is your background colour?"):
	// ESC ] 11 ; rgb:RRRR/GGGG/BBBB, ended by BEL or ESC \.
	backgroundReply replyKind = iota + 1
	// attributesReply answers DA1, primary device attributes:
	// ESC [ ? 62 ; 22 c. Every terminal answers it, and answers in order,
	// so once it is in, no colour answer is coming.
	attributesReply
)

// reply is one answer the terminal sent on the keyboard's stream.
type reply struct {
	kind replyKind
	// payload is what an OSC 11 reply says after "11;" (rgb:1e1e/1e1e/1e1e).
	payload string
}

// maxReply bounds how much of an unfinished reply is held back waiting
// for the rest: real replies are a few dozen bytes.
const maxReply = 256

// replyScanner takes the terminal's replies out of what is read from the
// keyboard, so they never reach the wizard as keys: a colour answer that
// came after the wait would otherwise be typed into a field as
// "]11;rgb:1e1e/...". Everything else is passed on unchanged.
type replyScanner struct {
	held []byte // the start of a reply, cut off at the end of the last read
}

var (
	oscBackground = []byte("\x1b]11;")
	csiPrivate    = []byte("\x1b[?")
)

// scan returns the keys in p (after what was held from the last read) and
// the replies it took out.
func (s *replyScanner) scan(p []byte) (keys []byte, replies []reply) {
	data := p
	if len(s.held) > 0 {
		data = append(s.held, p...)
		s.held = nil
	}
	keys = make([]byte, 0, len(data))
	for i := 0; i < len(data); {
		if data[i] != 0x1b {
			keys = append(keys, data[i])
			i++
			continue
		}
		rest := data[i:]
		r, n, complete := parseReply(rest)
		switch {
		case n > 0:
			replies = append(replies, r)
			i += n
		case !complete && len(rest) < maxReply:
			// The start of a reply, the rest still to come.
			s.held = append([]byte(nil), rest...)
			return keys, replies
		default:
			keys = append(keys, data[i])
			i++
		}
	}
	return keys, replies
}

// parseReply reads a reply at the start of b. n is its length, or 0 when b
// does not start with one; complete is false when b is the start of a
// reply that goes on past b's end.
func parseReply(b []byte) (r reply, n int, complete bool) {
	switch {
	case bytes.HasPrefix(b, oscBackground):
		for i := len(oscBackground); i < len(b); i++ {
			switch {
			case b[i] == 0x07: // BEL
				return reply{backgroundReply, string(b[len(oscBackground):i])}, i + 1, true
			case b[i] == 0x1b && i+1 < len(b) && b[i+1] == '\\': // ST
				return reply{backgroundReply, string(b[len(oscBackground):i])}, i + 2, true
			case b[i] == 0x1b && i+1 == len(b):
				return reply{}, 0, false
			case b[i] < 0x20:
				return reply{}, 0, true // not a reply after all
			}
		}
		return reply{}, 0, false
	case bytes.HasPrefix(b, csiPrivate):
		for i := len(csiPrivate); i < len(b); i++ {
			switch c := b[i]; {
			case c >= '0' && c <= '9' || c == ';':
			case c == 'c':
				return reply{kind: attributesReply}, i + 1, true
			default:
				return reply{}, 0, true // another report: a key parser's business
			}
		}
		return reply{}, 0, false
	}
	// Not a reply, or too little of one to tell ("\x1b]1" could be keys):
	// only what says it is a reply ("\x1b]11;", "\x1b[?") is held back,
	// so an Esc or Alt+] pressed alone reaches the wizard at once.
	return reply{}, 0, true
}
