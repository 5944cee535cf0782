package engine

// Counters returns the number of the last event emitted and the ID the
// next intent gets: state that no query shows, but that the events and
// intents of later steps do, so a step that fails must leave it as it was.
func (s *State) Counters() (seq uint64, next IntentID) { return s.seq, s.next }

// Insured returns what the fund has paid toward bankruptcies under Drift's
// insurance cap: state no query shows, which a failed step must leave as
// it was.
func (s *State) Insured() string { return s.insured.String() }

// UndoLen returns the length of the undo log: what the last step that may
// roll back overwrote, which the next such step drops (State.begin).
func (s *State) UndoLen() int { return len(s.undo) }
