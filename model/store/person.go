package store

import "path/filepath"

// ForPerson is the store of one person of the SSH team server
// (vault-session serve): their own drafts and history, in a folder of
// their own under people/ in the state folder, so one person's draft is
// never offered to another. Presets stay the team's: the same folders as
// s, shared by everyone who connects. name is the person as the server
// knows them (an authorized key's comment, or its fingerprint); any
// character can be in it (see fileSlug).
func (s *Store) ForPerson(name string) *Store {
	p := *s
	p.stateDir = filepath.Join(s.stateDir, "people", fileSlug(name))
	return &p
}

// HostKeyPath is where the SSH team server keeps its host key when no
// --host-key is given: in the state folder, next to what it remembers.
func (s *Store) HostKeyPath() string { return filepath.Join(s.stateDir, "ssh_host_ed25519_key") }

// AuditPath is the SSH team server's audit log when no --audit is given.
func (s *Store) AuditPath() string { return filepath.Join(s.stateDir, "audit.jsonl") }
