package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"imageconsole/views/pages"
)

// placeholder serves a section that a later release fills, so navigation
// never leads to a broken link; titleID and textID are catalogue IDs.
func (h *Handler) placeholder(titleID, nav, textID string) echo.HandlerFunc {
	return func(c echo.Context) error {
		title := t(c, titleID)
		return Render(c, http.StatusOK, pages.PlaceholderPage(pages.PlaceholderPageVM{Shell: shell(c, title, nav), Heading: title, Text: t(c, textID)}))
	}
}
