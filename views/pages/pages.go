// Package pages holds one file per screen: the page component, its view
// model and the fragments htmx swaps on it.
package pages

import "strconv"

func itoa(n int) string { return strconv.Itoa(n) }

func i64toa(n int64) string { return strconv.FormatInt(n, 10) }

func boolString(b bool) string { return strconv.FormatBool(b) }

// barWidth maps a percentage to a Tailwind width class (no inline styles).
func barWidth(p int) string {
	switch {
	case p >= 100:
		return "w-full"
	case p >= 75:
		return "w-3/4"
	case p >= 50:
		return "w-1/2"
	case p >= 25:
		return "w-1/4"
	case p > 0:
		return "w-1/12"
	}
	return "w-0"
}
