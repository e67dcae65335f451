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
	noun     string // "download" or "upload": the last part of message IDs (see id)
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
		return input{}, fail(ErrBadURL, nil, "err.importer.noURL")
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
		return input{}, fail(ErrBadURL, err, "err.importer.badURL")
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
		return input{}, fail(ErrHTTPStatus, nil, statusHint(resp.StatusCode),
			"Host", resp.Request.URL.Host, "Status", resp.Status)
	}
	return input{body: resp.Body, expected: resp.ContentLength, noun: "download"}, nil
}

// id is the message base+"."+noun: base names the failure, the suffix
// whether it happened to a download or an upload.
func (in input) id(base string) string { return base + "." + in.noun }

// checkURL accepts only absolute http(s) URLs with a host. The URL itself is
// kept out of reasons: it may carry a token, as pre-signed links do.
func checkURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, fail(ErrBadURL, err, "err.importer.badURL")
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	case "":
		return nil, fail(ErrBadURL, nil, "err.importer.noScheme")
	default:
		return nil, fail(ErrBadURL, nil, "err.importer.scheme", "Scheme", u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, fail(ErrBadURL, nil, "err.importer.noHost")
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
		return fail(ErrUnreachable, err, "err.importer.addressNotAllowed", "Host", host)
	case errors.Is(err, errTooManyRedirects):
		return fail(ErrUnreachable, err, "err.importer.redirects", "Host", host, "Max", MaxRedirects)
	case errors.As(err, &dnsErr):
		return fail(ErrUnreachable, err, "err.importer.dns", "Host", dnsErr.Name)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fail(ErrUnreachable, err, "err.importer.refused", "Host", host)
	case errors.As(err, &certErr):
		return fail(ErrUnreachable, err, "err.importer.tls", "Host", host)
	case errors.As(err, &netErr) && netErr.Timeout():
		return fail(ErrUnreachable, err, "err.importer.timeout", "Host", host)
	}
	return fail(ErrUnreachable, err, "err.importer.unreachable", "Host", host)
}

// statusHint names the message for a refused download: it suggests a next
// step for the statuses users meet most.
func statusHint(code int) string {
	switch {
	case code == http.StatusNotFound || code == http.StatusGone:
		return "err.importer.status.notFound"
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return "err.importer.status.denied"
	case code >= 500:
		return "err.importer.status.serverError"
	}
	return "err.importer.status"
}
