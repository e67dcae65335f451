package models

// Observer is told about events worth counting (metrics); nil means nobody
// listens. It must be safe for concurrent use and must not block.
type Observer interface {
	// Refused is called for every refused counted operation with its code.
	Refused(action, code string)
	// TaskRan is called after each attempt of a background task.
	TaskRan(kind string, err error)
}

// observe calls o if someone listens.
func (s *core) observe(f func(Observer)) {
	if s.Observer != nil {
		f(s.Observer)
	}
}
