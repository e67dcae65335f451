package api

// SetTestAction registers an extra action, so tests can make one fail in
// ways no real action does (a panic).
func (a *API) SetTestAction(name string, run func() (any, error)) {
	a.actions[name] = action{run: func(*call) (any, error) { return run() }}
}
