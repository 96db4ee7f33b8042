//go:build unix

package terminal

import (
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// jobControl reports whether stopping this process hands the terminal to
// a shell that can continue it: a shell with job control runs each job as
// a process group of its own in the shell's session. A process that leads
// its own session (script(1), or ssh running the program with no shell
// in between) has no such shell, and the kernel throws away a stop signal
// sent to it (its process group is orphaned): Ctrl+Z is left alone there,
// as before.
func jobControl() bool {
	sid, err := unix.Getsid(0)
	return err == nil && unix.Getpgrp() != sid && unix.Getppid() != 1
}

// watchContinued sends continued each time the process is continued
// (SIGCONT: fg after a stop), until stop is called. A stop the wizard
// does not make itself (kill -TSTP or -STOP, Ctrl+Z in $EDITOR, which
// stops the editor's whole job) leaves the shell to put its own mode on
// the terminal and draw over the frame; the wizard takes both back.
// SIGTSTP itself is left to stop the process as it stops any program:
// once the Go runtime catches it, it never stops the process again.
func (t *Terminal) watchContinued(send func(any)) (stop func()) {
	if t.remote != nil {
		return func() {}
	}
	return onSignal(syscall.SIGCONT, func() { send(continued{}) })
}

// stopJob stops the process's job, as the terminal's Ctrl+Z does in cooked
// mode, and returns once it is continued. Should the stop not come (it
// always does where jobControl holds), it returns after a second.
func (t *Terminal) stopJob() {
	cont := make(chan os.Signal, 1)
	signal.Notify(cont, syscall.SIGCONT)
	defer signal.Stop(cont)
	t.ownStop.Store(true) // the SIGCONT to come is this stop's
	_ = unix.Kill(0, unix.SIGTSTP)
	select {
	case <-cont:
	case <-time.After(time.Second):
	}
}
