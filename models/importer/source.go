package importer

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
)

// input is an opened source.
type input struct {
	body     io.ReadCloser
	expected int64  // announced size, -1 when unknown
	noun     string // "download" or "upload", for messages
}

func open(ctx context.Context, src Source, client *http.Client) (input, error) {
	switch {
	case src.URL != "" && src.Body != nil:
		return input{}, errors.New("importer: source has both a URL and a body")
	case src.Body != nil:
		expected := src.Size
		if expected <= 0 {
			expected = -1
		}
		return input{body: io.NopCloser(src.Body), expected: expected, noun: "upload"}, nil
	case src.URL == "":
		return input{}, fail(ErrBadURL, nil, "no URL was given; give an http:// or https:// link to the image file")
	}
	u, err := checkURL(src.URL)
	if err != nil {
		return input{}, err
	}
	if client == nil {
		client = NewClient(nil)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return input{}, fail(ErrBadURL, err, "the URL is not valid; give a full http:// or https:// link")
	}
	// Ask for the file as stored, so Content-Length is the size we receive.
	req.Header.Set("Accept-Encoding", "identity")
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return input{}, fmt.Errorf("import stopped: %w", ctx.Err())
		}
		return input{}, unreachable(u.Host, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		resp.Body.Close()
		return input{}, fail(ErrHTTPStatus, nil, "the server at %s answered %s%s",
			resp.Request.URL.Host, resp.Status, statusHint(resp.StatusCode))
	}
	return input{body: resp.Body, expected: resp.ContentLength, noun: "download"}, nil
}

// checkURL accepts only absolute http(s) URLs with a host. The URL itself is
// kept out of reasons: it may carry a token, as pre-signed links do.
func checkURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fail(ErrBadURL, err, "the URL is not valid; give a full http:// or https:// link")
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	case "":
		return nil, fail(ErrBadURL, nil, "the URL has no scheme; give a full link starting with http:// or https://")
	default:
		return nil, fail(ErrBadURL, nil, "%s:// links are not supported; give an http:// or https:// link", u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, fail(ErrBadURL, nil, "the URL has no host name; give a full http:// or https:// link")
	}
	return u, nil
}

// unreachable turns a failed request into advice on what to check.
func unreachable(host string, err error) error {
	var (
		dnsErr  *net.DNSError
		certErr *tls.CertificateVerificationError
		netErr  net.Error
	)
	switch {
	case errors.Is(err, ErrAddressNotAllowed):
		// Nothing about the refused address is told, not even whether it
		// answers: the reason must not become a probe of the host's network.
		return fail(ErrUnreachable, err, "the address of %s is not allowed: imports fetch only from public internet addresses", host)
	case errors.Is(err, errTooManyRedirects):
		return fail(ErrUnreachable, err, "the server at %s redirected more than %d times; give the final link to the file", host, MaxRedirects)
	case errors.As(err, &dnsErr):
		return fail(ErrUnreachable, err, "the host name %s could not be resolved; check the URL", dnsErr.Name)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fail(ErrUnreachable, err, "the server at %s refused the connection; check the URL and that the server is running", host)
	case errors.As(err, &certErr):
		return fail(ErrUnreachable, err, "the server at %s presented a TLS certificate that could not be verified", host)
	case errors.As(err, &netErr) && netErr.Timeout():
		return fail(ErrUnreachable, err, "the server at %s did not answer in time; try again later", host)
	}
	return fail(ErrUnreachable, err, "the server at %s could not be reached; check the URL", host)
}

// statusHint suggests a next step for the statuses users meet most.
func statusHint(code int) string {
	switch {
	case code == http.StatusNotFound || code == http.StatusGone:
		return "; check that the link points to the image file"
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return "; the link needs a login or has expired, so use a public or freshly signed link"
	case code >= 500:
		return "; the server has a problem, try again later"
	}
	return ""
}
