// Package pages holds one file per screen: the page component, its view
// model and the fragments htmx swaps on it.
package pages

import "strconv"

func itoa(n int) string { return strconv.Itoa(n) }

func i64toa(n int64) string { return strconv.FormatInt(n, 10) }

func boolString(b bool) string { return strconv.FormatBool(b) }
