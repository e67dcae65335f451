package tc3

import (
	"errors"
	"strings"
	"testing"

	"imageconsole/models"
)

const goodSig = "2a8b1e0c6a2f3c1f1f0b7c9d3e4a5b6c7d8e9f00112233445566778899aabbcc"

func TestParse(t *testing.T) {
	tests := []struct {
		name     string
		header   string
		wantCode string // "" means success
		wantMsg  string // substring of the error message
	}{
		{"OK", "TC3-HMAC-SHA256 Credential=AKIDx/2024-01-02/cvm/tc3_request, SignedHeaders=content-type;host, Signature=" + goodSig, "", ""},
		{"OKLooseSpacing", "  TC3-HMAC-SHA256   Credential = AKIDx/2024-01-02/cvm/tc3_request ,SignedHeaders=content-type;host,\tSignature=" + strings.ToUpper(goodSig) + " ", "", ""},
		{"OKExtraSignedHeader", "TC3-HMAC-SHA256 Credential=AKIDx/2024-01-02/cvm/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=" + goodSig, "", ""},
		{"ErrEmpty", "", models.CodeAuthMissingAuthorization, "missing"},
		{"ErrBlank", "   ", models.CodeAuthMissingAuthorization, "missing"},
		{"ErrWrongAlgorithm", "TC3-HMAC-SHA1 Credential=AKIDx/2024-01-02/cvm/tc3_request, SignedHeaders=content-type;host, Signature=" + goodSig, models.CodeAuthInvalidAuthorization, "algorithm"},
		{"ErrAlgorithmOnly", "TC3-HMAC-SHA256", models.CodeAuthInvalidAuthorization, "Name=value"},
		{"ErrGarbage", "garbage", models.CodeAuthInvalidAuthorization, "algorithm"},
		{"ErrBasic", "Basic dXNlcjpwYXNz", models.CodeAuthInvalidAuthorization, "algorithm"},
		{"ErrMissingCredential", "TC3-HMAC-SHA256 SignedHeaders=content-type;host, Signature=" + goodSig, models.CodeAuthInvalidAuthorization, "missing Credential"},
		{"ErrMissingSignedHeaders", "TC3-HMAC-SHA256 Credential=AKIDx/2024-01-02/cvm/tc3_request, Signature=" + goodSig, models.CodeAuthInvalidAuthorization, "missing SignedHeaders"},
		{"ErrMissingSignature", "TC3-HMAC-SHA256 Credential=AKIDx/2024-01-02/cvm/tc3_request, SignedHeaders=content-type;host", models.CodeAuthInvalidAuthorization, "missing Signature"},
		{"ErrEmptySignature", "TC3-HMAC-SHA256 Credential=AKIDx/2024-01-02/cvm/tc3_request, SignedHeaders=content-type;host, Signature=", models.CodeAuthInvalidAuthorization, "missing Signature"},
		{"ErrDuplicateField", "TC3-HMAC-SHA256 Credential=AKIDx/2024-01-02/cvm/tc3_request, Credential=AKIDx/2024-01-02/cvm/tc3_request, SignedHeaders=content-type;host, Signature=" + goodSig, models.CodeAuthInvalidAuthorization, "more than once"},
		{"ErrUnknownField", "TC3-HMAC-SHA256 Credential=AKIDx/2024-01-02/cvm/tc3_request, SignedHeaders=content-type;host, Signature=" + goodSig + ", Nonce=1", models.CodeAuthInvalidAuthorization, "unknown field"},
		{"ErrTrailingComma", "TC3-HMAC-SHA256 Credential=AKIDx/2024-01-02/cvm/tc3_request, SignedHeaders=content-type;host, Signature=" + goodSig + ",", models.CodeAuthInvalidAuthorization, "malformed field"},
		{"ErrCredentialParts", "TC3-HMAC-SHA256 Credential=AKIDx/2024-01-02/cvm, SignedHeaders=content-type;host, Signature=" + goodSig, models.CodeAuthInvalidAuthorization, "Credential must be"},
		{"ErrEmptySecretID", "TC3-HMAC-SHA256 Credential=/2024-01-02/cvm/tc3_request, SignedHeaders=content-type;host, Signature=" + goodSig, models.CodeAuthInvalidAuthorization, "SecretId"},
		{"ErrBadDate", "TC3-HMAC-SHA256 Credential=AKIDx/2024-13-02/cvm/tc3_request, SignedHeaders=content-type;host, Signature=" + goodSig, models.CodeAuthInvalidAuthorization, "date"},
		{"ErrEmptyService", "TC3-HMAC-SHA256 Credential=AKIDx/2024-01-02//tc3_request, SignedHeaders=content-type;host, Signature=" + goodSig, models.CodeAuthInvalidAuthorization, "service"},
		{"ErrTerminator", "TC3-HMAC-SHA256 Credential=AKIDx/2024-01-02/cvm/aws4_request, SignedHeaders=content-type;host, Signature=" + goodSig, models.CodeAuthInvalidAuthorization, "tc3_request"},
		{"ErrSignedHeadersNoHost", "TC3-HMAC-SHA256 Credential=AKIDx/2024-01-02/cvm/tc3_request, SignedHeaders=content-type, Signature=" + goodSig, models.CodeAuthInvalidAuthorization, "content-type and host"},
		{"ErrSignedHeadersUpperCase", "TC3-HMAC-SHA256 Credential=AKIDx/2024-01-02/cvm/tc3_request, SignedHeaders=Content-Type;host, Signature=" + goodSig, models.CodeAuthInvalidAuthorization, "header name"},
		{"ErrSignedHeadersEmptyName", "TC3-HMAC-SHA256 Credential=AKIDx/2024-01-02/cvm/tc3_request, SignedHeaders=content-type;;host, Signature=" + goodSig, models.CodeAuthInvalidAuthorization, "header name"},
		{"ErrSignedHeadersDuplicate", "TC3-HMAC-SHA256 Credential=AKIDx/2024-01-02/cvm/tc3_request, SignedHeaders=content-type;host;host, Signature=" + goodSig, models.CodeAuthInvalidAuthorization, "more than once"},
		{"ErrShortSignature", "TC3-HMAC-SHA256 Credential=AKIDx/2024-01-02/cvm/tc3_request, SignedHeaders=content-type;host, Signature=abcd", models.CodeAuthInvalidAuthorization, "64 hexadecimal"},
		{"ErrNonHexSignature", "TC3-HMAC-SHA256 Credential=AKIDx/2024-01-02/cvm/tc3_request, SignedHeaders=content-type;host, Signature=" + strings.Repeat("z", 64), models.CodeAuthInvalidAuthorization, "64 hexadecimal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Parse(tt.header)
			if tt.wantCode == "" {
				if err != nil {
					t.Fatalf("Parse: got error %v, want nil", err)
				}
				if a.SecretID != "AKIDx" || a.Date != "2024-01-02" || a.Service != "cvm" || len(a.Signature) != 32 {
					t.Errorf("Parse: got %+v", a)
				}
				if a.SignedHeaders[0] != "content-type" || a.SignedHeaders[1] != "host" {
					t.Errorf("SignedHeaders: got %q", a.SignedHeaders)
				}
				return
			}
			var me *models.Error
			if !errors.As(err, &me) {
				t.Fatalf("Parse: got error %v, want a *models.Error", err)
			}
			if me.Code != tt.wantCode {
				t.Errorf("code: got %q, want %q", me.Code, tt.wantCode)
			}
			if !strings.Contains(me.Message, tt.wantMsg) {
				t.Errorf("message: got %q, want it to mention %q", me.Message, tt.wantMsg)
			}
		})
	}
}
