//go:build !unix

package terminal

// Job control is a Unix shell's: elsewhere nothing stops the wizard.
func jobControl() bool { return false }

func (t *Terminal) watchContinued(func(any)) (stop func()) { return func() {} }

func (t *Terminal) stopJob() {}
