// Package browser holds the console's browser tests: Go tests that drive
// Debian's Chromium through chromedp against the real server on loopback,
// through the flows people use (sign up, browse, launch, create, import,
// share, sync, limits, sign out), with an accessibility check (axe-core) on
// the main pages and screenshots of each in CONSOLE_SCREENSHOTS. The package
// has no code outside its tests.
package browser
