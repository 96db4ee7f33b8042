package ui

// phase says which screen stands in front of the steps, for the tests'
// checks and messages: a number, as the wizard's phases were.
type phase int

const (
	phaseEditing phase = iota // one of the steps
	phaseCreating
	phaseFailed
	phaseResult
	phaseWatching
	phaseResume
	phasePreset
	phaseSavingPreset
	phaseConsumerPanel
	phaseQR
)

func (w *wizard) phase() phase {
	switch w.screen.(type) {
	case nil:
		return phaseEditing
	case *creatingScreen:
		return phaseCreating
	case *failureView:
		return phaseFailed
	case *resultView:
		return phaseResult
	case *watchView:
		return phaseWatching
	case *resumeView:
		return phaseResume
	case *presetPicker:
		return phasePreset
	case *savePresetScreen:
		return phaseSavingPreset
	case *consumerPanel:
		return phaseConsumerPanel
	case *qrView:
		return phaseQR
	}
	panic("a screen the tests do not know")
}

// screenOf is the screen in front as its type, or nil.
func screenOf[S screen](w *wizard) S {
	s, _ := w.screen.(S)
	return s
}
