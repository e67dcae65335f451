package api

// SetTestAction registers an extra action, so tests can make one fail in
// ways no real action does (a panic).
func (a *API) SetTestAction(name string, run func() (any, error)) {
	a.actions[name] = action{run: func(*call) (any, error) { return run() }}
}

// SetTestProductAction registers an extra action of another product than
// cvm that answers an empty result, to test routing by the scope's service.
func (a *API) SetTestProductAction(name, product string) {
	a.actions[name] = action{run: func(*call) (any, error) { return struct{}{}, nil }}.of(product)
}
