package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"imageconsole/handlers"
	"imageconsole/handlers/api"
	"imageconsole/handlers/api/tc3"
	"imageconsole/models"
)

// captured is a signed request as it went over the wire, to be sent again.
type captured struct {
	host   string // replicas behind one load balancer share it
	header http.Header
	body   []byte
}

// capture signs a POST like the SDK does: over the host, content type, body
// and timestamp, not the action.
func (e *env) capture(u user, action string, body []byte) captured {
	ts := time.Now().Unix()
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("X-TC-Action", action)
	h.Set("X-TC-Version", api.Version)
	h.Set("X-TC-Region", gz)
	h.Set("X-TC-Timestamp", strconv.FormatInt(ts, 10))
	h.Set("Authorization", tc3.Sign(u.secretID, u.secretKey, "cvm", e.endpoint, "application/json", http.MethodPost, "", body, ts))
	return captured{host: e.endpoint, header: h, body: body}
}

// send sends a captured request from a local address (127.0.0.x), as
// action, and returns the API error code ("" for success).
func (e *env) send(t *testing.T, c captured, action, from string) string {
	t.Helper()
	client := &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{
		LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}).DialContext}}
	req, err := http.NewRequest(http.MethodPost, "http://"+e.endpoint+"/", bytes.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	req.Host = c.host
	req.Header = c.header.Clone()
	req.Header.Set("X-TC-Action", action)
	res, err := client.Do(req)
	if err != nil {
		t.Skipf("cannot send from %s on this machine: %v", from, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var out raw
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("answer is not JSON: %v: %.300s", err, b)
	}
	return out.code()
}

// TestAPI_Replay: a captured request re-sent from another address, as it
// was or re-aimed at another action, is refused, on this server or on
// another replica of the same database; the address that sent it may send
// the same bytes again (the SDK signs no nonce, so that is what an honest
// client does when it repeats itself within a second).
func TestAPI_Replay(t *testing.T) {
	e := newEnv(t)
	u := e.user(t, "replay@example.com")
	c := e.client(t, u, opts{region: gz})
	img := e.createImage(t, c, e.run(t, c, e.commonImage(t, "Ubuntu", models.ArchX86), 1)[0], "precious")
	ids := []byte(`{"ImageIds":["` + img + `"]}`)

	describe := e.capture(u, "DescribeImages", ids)
	if code := e.send(t, describe, "DescribeImages", "127.0.0.1"); code != "" {
		t.Fatalf("the original request: %s", code)
	}
	// Another request in the same second has its own signature.
	if code := e.send(t, e.capture(u, "DescribeImages", []byte(`{"Limit":5}`)), "DescribeImages", "127.0.0.1"); code != "" {
		t.Fatalf("a second request in the same second: %s", code)
	}
	// Another replica, on the same database, with nothing in its memory.
	other := newEnvOn(t, e.store)
	for _, tt := range []struct {
		name, action string
		env          *env
	}{
		{"ErrReplayed", "DescribeImages", e},
		{"ErrReAimed", "DeleteImages", e},
		{"ErrReAimedOnOtherReplica", "DeleteImages", other},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if code := tt.env.send(t, describe, tt.action, "127.0.0.2"); code != models.CodeAuthSignatureFailure {
				t.Errorf("code = %q, want %s", code, models.CodeAuthSignatureFailure)
			}
			var n int64
			e.store.DB().Model(&models.Image{}).Where("id = ? AND state = ?", img, models.StateNormal).Count(&n)
			if n != 1 {
				t.Fatal("the image was deleted")
			}
		})
	}
	if code := e.send(t, describe, "DescribeImages", "127.0.0.1"); code != "" {
		t.Errorf("the same client repeating its request: %s", code)
	}
}

// newEnvOn is another server on the database of s, with a store of its own
// (and so an empty signature cache), as another replica would be.
func newEnvOn(t *testing.T, s *models.Store) *env {
	t.Helper()
	replica := models.NewStore(s.Database())
	if err := replica.SetSecretKeyCipher(bytes.Repeat([]byte{1}, 32)); err != nil {
		t.Fatal(err)
	}
	e := &env{store: replica, api: api.New(replica)}
	e.handler = handlers.New(replica, handlers.Config{SessionKeys: [][]byte{bytes.Repeat([]byte{2}, 32)}}).NewEcho(e.api)
	srv := httptest.NewServer(e.handler)
	t.Cleanup(srv.Close)
	e.endpoint = strings.TrimPrefix(srv.URL, "http://")
	return e
}
