package api

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"
	cvm "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/cvm/v20170312"

	"imageconsole/models"
)

// writeResult answers with an action's SDK response parameters inside the
// envelope {"Response": {..., "RequestId": id}} (wire.go).
func writeResult(c echo.Context, reqID, lang string, params any) error {
	b, err := encodeResponse(params, reqID)
	if err != nil {
		c.Logger().Errorf("api: encode %T (request %s): %v", params, reqID, err)
		return writeError(c, reqID, lang, err)
	}
	return c.JSONBlob(http.StatusOK, b)
}

// writeError answers with {"Response": {"Error": {Code, Message}, "RequestId": id}}.
func writeError(c echo.Context, reqID, lang string, err error) error {
	var body struct {
		Response struct {
			Error struct {
				Code    string `json:"Code"`
				Message string `json:"Message"`
			} `json:"Error"`
			RequestID string `json:"RequestId"`
		} `json:"Response"`
	}
	body.Response.Error.Code = models.ErrorCode(err)
	body.Response.Error.Message = message(err, lang)
	body.Response.RequestID = reqID
	b, _ := json.Marshal(body) // strings only: cannot fail
	return c.JSONBlob(http.StatusOK, b)
}

// SDKImage is an image as DescribeImages answers it. It is exported for
// cmd/bench, whose floor builds the same answer without the framework.
func SDKImage(img *models.Image) *cvm.Image { return sdkImage(img) }
