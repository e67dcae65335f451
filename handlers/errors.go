package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/views/pages"
)

// statusOf maps an error code to the console's HTTP status.
func statusOf(code string) int {
	switch code {
	case models.CodeInvalidImageIDNotFound, models.CodeInvalidImageIDMalformed, models.CodeInstanceNotFound,
		models.CodeInstanceMalformed, models.CodeResourceNotFound, models.CodeAccountNotFound,
		models.CodeForbiddenRole, models.CodeListingNotFound:
		// A provider or operator page is not found for other roles: the
		// console does not reveal what it would do for them.
		return http.StatusNotFound
	case models.CodeInternal:
		return http.StatusInternalServerError
	case models.CodeNotBelongToAccount, models.CodeSharedImageModify:
		return http.StatusForbidden
	case models.CodeImageQuota, models.CodeDailyOps, models.CodeInstancesQuota, models.CodeOverQuota:
		return http.StatusConflict
	case models.CodeTooManySignIns, models.CodeHashBusy:
		return http.StatusTooManyRequests
	}
	return http.StatusBadRequest
}

// ErrorHandler renders every unhandled error as a styled page. A 404 never
// says whether an ID exists in another account.
func ErrorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status := http.StatusInternalServerError
	vm := pages.ErrorPageVM{Title: "Something went wrong", Message: "The error was logged. Try again in a moment."}
	var he *echo.HTTPError
	switch {
	case errors.As(err, &he):
		status = he.Code
	case models.ErrorCode(err) != models.CodeInternal:
		status = statusOf(models.ErrorCode(err))
		vm.Message = models.ErrorMessage(err)
	}
	switch status {
	case http.StatusNotFound:
		vm.Title, vm.Message = "Not found", "There is nothing here, or it is not yours to see."
	case http.StatusForbidden:
		vm.Title = "Not allowed"
		if he != nil {
			vm.Message = "This request was refused. Reload the page and try again."
		}
	case http.StatusMethodNotAllowed:
		vm.Title, vm.Message = "Not allowed", "This address does not accept that kind of request."
	case http.StatusInternalServerError:
		c.Logger().Error(err)
	default:
		if status < 500 {
			vm.Title = "Request refused"
		}
	}
	if he != nil && status == http.StatusBadRequest {
		vm.Message = "The request could not be understood."
	}
	if status == http.StatusRequestEntityTooLarge {
		vm.Title, vm.Message = "Too large", "The request is larger than the console accepts."
	}
	vm.Status = status
	if err := Render(c, status, pages.ErrorPage(vm)); err != nil {
		c.Logger().Error(err)
	}
}
