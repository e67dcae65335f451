package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"imageconsole/handlers/api/tc3"
)

var csrfMeta = regexp.MustCompile(`name="csrf-token" content="([^"]+)"`)

// signIn signs in through the form, as a browser does (GET /signin for the
// CSRF token and cookie, POST /signin, then the first page), and returns the
// Cookie header a browser would send from then on.
func signIn(base string) (string, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Get(base + "/signin")
	if err != nil {
		return "", err
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := csrfMeta.FindSubmatch(body)
	if m == nil {
		return "", fmt.Errorf("GET /signin: no csrf-token meta (status %d)", res.StatusCode)
	}
	form := url.Values{"email": {benchEmail}, "password": {benchPassword}, "_csrf": {string(m[1])}, "next": {"/images"}}
	res, err = c.PostForm(base+"/signin", form)
	if err != nil {
		return "", err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return "", fmt.Errorf("POST /signin: status %d", res.StatusCode)
	}
	// Sign-in rotates the CSRF cookie; the next page sets a new one, which a
	// browser then sends with every request.
	if res, err = c.Get(base + "/images"); err != nil {
		return "", err
	}
	res.Body.Close()
	u, _ := url.Parse(base)
	var parts []string
	for _, ck := range jar.Cookies(u) {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	if !strings.Contains(strings.Join(parts, ";"), "ic_session=") {
		return "", fmt.Errorf("POST /signin set no session cookie")
	}
	return strings.Join(parts, "; "), nil
}

// pageRequest is a signed-in GET of a console page; fragment adds the
// header htmx sends.
func pageRequest(base, path, cookie string, fragment bool) request {
	return func(int) (*http.Request, error) {
		req, err := http.NewRequest(http.MethodGet, base+path, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Cookie", cookie)
		if fragment {
			req.Header.Set("HX-Request", "true")
		}
		return req, nil
	}
}

// apiRequest is a signed POST of one API action, built the way the SDK
// builds it; body(i) gives the JSON parameters of the i-th request.
func apiRequest(base, action, secretID, secretKey string, body func(i int) []byte) request {
	host := strings.TrimPrefix(base, "http://")
	const ct = "application/json"
	return func(i int) (*http.Request, error) {
		b := body(i)
		req, err := http.NewRequest(http.MethodPost, base+"/", bytes.NewReader(b))
		if err != nil {
			return nil, err
		}
		ts := time.Now().Unix()
		req.Header.Set("Content-Type", ct)
		req.Header.Set("X-TC-Action", action)
		req.Header.Set("X-TC-Version", "2017-03-12")
		req.Header.Set("X-TC-Region", benchRegion)
		req.Header.Set("X-TC-Timestamp", strconv.FormatInt(ts, 10))
		req.Header.Set("X-TC-Language", "en-US")
		req.Header.Set("Authorization", tc3.Sign(secretID, secretKey, "cvm", host, ct, http.MethodPost, "", b, ts))
		return req, nil
	}
}

// apiOK accepts an API answer without an Error. It parses only answers
// that mention one, so checking costs the load generator little.
func apiOK(body []byte) error {
	if !bytes.Contains(body, []byte(`"Error"`)) {
		if !bytes.HasPrefix(body, []byte(`{"Response":`)) {
			return fmt.Errorf("not an API envelope: %.200s", body)
		}
		return nil
	}
	var env struct {
		Response struct {
			Error *struct{ Code, Message string }
		}
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return fmt.Errorf("not an API envelope: %v", err)
	}
	if e := env.Response.Error; e != nil {
		return fmt.Errorf("API error %s: %s", e.Code, e.Message)
	}
	return nil
}

// containsMarker accepts a body holding marker.
func containsMarker(marker string) check {
	m := []byte(marker)
	return func(body []byte) error {
		if !bytes.Contains(body, m) {
			return fmt.Errorf("the answer lacks %q: %.200s", marker, body)
		}
		return nil
	}
}
