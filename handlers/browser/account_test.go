package browser_test

import "time"

// password is every test account's password.
const password = "password-123"

// signUp creates an account through the sign-up form, which signs it in and
// lands on the Images page; it returns the account ID.
func (p *tab) signUp(email, name string) string {
	p.t.Helper()
	p.open("/signup")
	p.fill("#email", email)
	p.fill("#name", name)
	p.fill("#password", password)
	p.clickAndLoad(sel("signup-submit"))
	p.waitVisible(sel("images-panel"))
	return p.e.accountID(email)
}

// signIn signs in through the form and lands on the Images page.
func (p *tab) signIn(email string) {
	p.t.Helper()
	p.open("/signin")
	p.fill("#email", email)
	p.fill("#password", password)
	p.clickAndLoad(sel("signin-submit"))
	p.waitVisible(sel("images-panel"))
}

// waitState waits until the element's data-state is the given state.
func (p *tab) waitState(css, state string, timeout time.Duration) {
	p.t.Helper()
	p.waitFor(css+" to become "+state, `document.querySelector(`+js(css)+`)?.dataset.state === `+js(state), timeout)
}

// shotProgress waits until the progress bar in status has moved (or the
// work is done) and, if the bar still shows, saves a screenshot of it.
func (p *tab) shotProgress(status, name string) {
	p.t.Helper()
	bar := status + " progress"
	p.waitFor("the progress bar to move", `(() => { const b = document.querySelector(`+js(bar)+`); return !b || b.value >= 20; })()`, 20*time.Second)
	if p.count(bar) == 0 {
		p.t.Logf("%s: the work was done before the page showed its progress", name)
		return
	}
	p.shot(name)
}
