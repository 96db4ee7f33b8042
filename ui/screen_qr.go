package ui

import (
	"fmt"
	"strings"

	"github.com/apideck-samples/vault-session/model/termtext"
	"github.com/apideck-samples/vault-session/ui/qrtext"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"
)

// qrView shows the session URL as a QR code (Q on Session ready), so a
// prospect on a call or at a stand opens the Vault page on a phone. The
// code is drawn once, when the screen opens: black on white where the
// terminal has colour, block characters alone for its background where it
// has none (NO_COLOR).
type qrView struct {
	result *resultView
	code   qrtext.Code
	err    error
}

func newQRView(r *resultView) *qrView {
	code, err := qrtext.Encode(r.res.URL, qrtext.DefaultMaxRows)
	return &qrView{result: r, code: code, err: err}
}

func (q *qrView) title() string    { return "QR code" }
func (q *qrView) afterSteps() bool { return true }

// back returns to Session ready.
func (q *qrView) back(w *wizard) tea.Cmd {
	w.screen = q.result
	return nil
}

// update: the key that opened the screen closes it too.
func (q *qrView) update(msg tea.Msg, w *wizard) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, w.st.keys.QR) {
		return q.back(w)
	}
	return nil
}

func (q *qrView) bindings(st *state) []key.Binding {
	return []key.Binding{st.keys.Back, st.keys.Quit}
}

// qrCaption is what the screen says under the code.
const qrCaption = "Scan with a phone's camera to open the session."

// view draws the code, centred, with a line under it; when the code does
// not fit the terminal, it says what size it needs instead of a code no
// phone could read.
func (q *qrView) view(st *state, width int) (string, int) {
	s := st.styles
	if q.err != nil {
		return s.Error.Render(truncateLines(termtext.Text("No QR code: "+q.err.Error()), width)) + "\n", 0
	}
	if q.code.Modules() > width || q.code.Rows()+2 > st.bodyHeight {
		msg := fmt.Sprintf("The QR code of this URL needs %d columns by %d lines, and the terminal gives it %d by %d: make the terminal larger (or the font smaller); %s goes back to the URL.",
			q.code.Modules(), q.code.Rows()+2, width, st.bodyHeight, st.keys.Back.Help().Key)
		return wrapText(s.Warning, msg, width) + "\n", 0
	}
	pad := strings.Repeat(" ", (width-q.code.Modules())/2)
	lines := strings.Split(q.code.Text(st.profile != termenv.Ascii, st.darkBackground), "\n")
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(pad + l + "\n")
	}
	b.WriteString("\n" + s.Hint.Render(truncateLines(qrCaption, width)) + "\n")
	return b.String(), 0
}

// runAccessible prints the code between the plain prompts' lines, drawn
// for the terminal's background (they have no colour), and says whether
// it could: a URL no QR code holds is said instead.
func (q *qrView) runAccessible(a *lineAsker, st *state) bool {
	if q.err != nil {
		a.say("No QR code: %s", termtext.Line(q.err.Error()))
		return false
	}
	a.say("%s", q.code.Text(false, st.darkBackground))
	a.say("%s (%d lines above)", qrCaption, q.code.Rows())
	return true
}
