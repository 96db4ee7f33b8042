package terminal

// relay calls f with each value from ch, on a goroutine of its own, until
// ch is closed or stop is called: the one loop behind following the
// window's size (SIGWINCH, or an SSH client's window changes) and the
// wizard's continuing (SIGCONT).
func relay[T any](ch <-chan T, f func(T)) (stop func()) {
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case v, ok := <-ch:
				if !ok {
					return
				}
				f(v)
			}
		}
	}()
	return func() { close(done) }
}
