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

// ErrorHandler renders every unhandled error as a styled page in the
// reader's language. A 404 never says whether an ID exists in another
// account.
func ErrorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	l := lang(c)
	status := http.StatusInternalServerError
	vm := pages.ErrorPageVM{Title: l.T("shell.error.generic.title"), Message: l.T("shell.error.generic.message")}
	var he *echo.HTTPError
	switch {
	case errors.As(err, &he):
		status = he.Code
	case models.ErrorCode(err) != models.CodeInternal:
		status = statusOf(models.ErrorCode(err))
		vm.Message = models.ErrorText(err, l)
	}
	switch status {
	case http.StatusNotFound:
		vm.Title, vm.Message = l.T("shell.error.notFound.title"), l.T("shell.error.notFound.message")
	case http.StatusForbidden:
		vm.Title = l.T("shell.error.forbidden.title")
		if he != nil {
			vm.Message = l.T("shell.error.forbidden.message")
		}
	case http.StatusMethodNotAllowed:
		vm.Title, vm.Message = l.T("shell.error.forbidden.title"), l.T("shell.error.method.message")
	case http.StatusInternalServerError:
		c.Logger().Error(err)
	case http.StatusTooManyRequests:
		vm.Title = l.T("shell.error.tooMany.title")
	default:
		if status < 500 {
			vm.Title = l.T("shell.error.refused.title")
		}
	}
	if he != nil && status == http.StatusBadRequest {
		vm.Message = l.T("shell.error.badRequest.message")
	}
	if status == http.StatusRequestEntityTooLarge {
		vm.Title, vm.Message = l.T("shell.error.tooLarge.title"), l.T("shell.error.tooLarge.message")
	}
	vm.Status = status
	if err := Render(c, status, pages.ErrorPage(vm)); err != nil {
		c.Logger().Error(err)
	}
}
