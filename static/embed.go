// Package static embeds the built CSS, the vendored htmx and the console's
// small script, so the binary serves them without files beside it.
package static

import "embed"

// FS holds css/ and js/.
//
//go:embed css js
var FS embed.FS
