// Package pages holds one file per screen: the page component, its view
// model and the fragments htmx swaps on it.
package pages

import (
	"strconv"

	"imageconsole/views/components"
)

func itoa(n int) string { return strconv.Itoa(n) }

func i64toa(n int64) string { return strconv.FormatInt(n, 10) }

func boolString(b bool) string { return strconv.FormatBool(b) }

// hasError reports whether a form came back with an error on a field, so
// its dialog opens at once.
func hasError(fields []components.FieldVM) bool {
	for _, f := range fields {
		if f.Error != "" {
			return true
		}
	}
	return false
}
