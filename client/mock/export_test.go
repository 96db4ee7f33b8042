package mock

// WithKeptBytes lowers the bytes of request bodies the log keeps
// (maxRecordedBytes, 64 MiB), so a test fills the log with small bodies:
// the bound is the same code at any size.
func WithKeptBytes(n int) Option {
	return func(s *Server) { s.keptBytes = n }
}

// KeptBytes is the bound on the bodies the log keeps.
func (s *Server) KeptBytes() int { return s.keptBytes }
