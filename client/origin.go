package client

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

// The API key goes to the base URL's origin and nowhere else. Go's own
// redirect policy drops Authorization only when the host name changes, so a
// 307 or 308 to another port, or from https to plain http on the same host,
// would carry the key along. followRedirect refuses those.

// origin is scheme://host:port with the scheme's default port written out,
// so https://h and https://h:443 are one origin and http://h:443 another.
func origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		switch scheme {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return scheme + "://" + strings.ToLower(u.Hostname()) + ":" + port
}

// followRedirect is the redirect policy of every request: a redirect to
// another origin is an error (a *RedirectError), and only redirects that
// keep the POST (307, 308) are followed: a 301/302/303 would turn it into a
// GET that cannot create anything, so that answer is returned as it is and
// reported.
func followRedirect(req *http.Request, via []*http.Request) error {
	if origin(req.URL) != origin(via[0].URL) {
		return &RedirectError{Location: RedactURL(req.URL.String())}
	}
	if len(via) >= 5 || req.Method != via[0].Method {
		return http.ErrUseLastResponse
	}
	return nil
}

// withRedirectPolicy returns hc with followRedirect as its redirect policy,
// sharing its transport (and so its connections). The policy is put on
// every request, including through WithHTTPClient, because it is what
// keeps the key with the API.
func withRedirectPolicy(hc *http.Client) *http.Client {
	c := *hc
	c.CheckRedirect = followRedirect
	return &c
}

// newTransport is http.DefaultTransport's setup with proxy as the proxy
// and a proxy's refusal of CONNECT reported as a *ProxyError, so it is not
// mistaken for an answer of the API.
func newTransport(proxy func(*http.Request) (*url.URL, error)) http.RoundTripper {
	base, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return http.DefaultTransport
	}
	t := base.Clone()
	t.Proxy = proxy
	t.OnProxyConnectResponse = func(_ context.Context, proxyURL *url.URL, connect *http.Request, resp *http.Response) error {
		if resp.StatusCode == http.StatusOK {
			return nil
		}
		return &ProxyError{
			Proxy:      RedactURL(proxyURL.String()),
			Target:     connect.Host,
			StatusCode: resp.StatusCode,
			Status:     resp.Status,
		}
	}
	return t
}

// RedactURL returns raw with any user:password@ replaced by "***@", so a
// URL can be shown without the credentials it carries.
//
// When Go parses raw as a URL with a host, the user info it finds (up to
// the last @ of the authority) is what goes. Anything else (text that does
// not parse, or parses without a host: "u:pw@://", "https://u:pa/ss@h")
// cannot say where its user info ends, and error messages show exactly
// such text: there everything before the last @ goes, only a leading
// "scheme://" kept.
func RedactURL(raw string) string {
	if !strings.Contains(raw, "@") {
		return raw
	}
	start := schemeEnd(raw)
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		end := len(raw)
		if j := strings.IndexAny(raw[start:], "/?#"); j >= 0 {
			end = start + j
		}
		if at := strings.LastIndexByte(raw[start:end], '@'); at >= 0 {
			return raw[:start] + "***" + raw[start+at:]
		}
		return raw
	}
	at := strings.LastIndexByte(raw[start:], '@')
	return raw[:start] + "***" + raw[start+at:]
}

// schemeEnd is where the authority of raw would start: after a leading
// "scheme://" (a scheme as RFC 3986 spells it) or "//", else 0.
func schemeEnd(raw string) int {
	if strings.HasPrefix(raw, "//") {
		return 2
	}
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && strings.HasPrefix(raw[i:], "://"):
			return i + 3
		default:
			return 0
		}
	}
	return 0
}

// Host is the base URL's host (and port), to name the API in messages,
// logs and journals: never its user info, path or query, which could carry
// a credential. "" when the base URL has none.
func (c *Client) Host() string {
	u, err := url.Parse(c.baseURL)
	if err != nil {
		return ""
	}
	return u.Host
}

// APIName names where requests go, for people: "Apideck" when the base URL
// is Apideck's, otherwise its host (and port), credentials left out.
func (c *Client) APIName() string {
	u, err := url.Parse(c.baseURL)
	if err != nil || u.Host == "" {
		return RedactURL(c.baseURL)
	}
	host := strings.ToLower(u.Hostname())
	if host == "apideck.com" || strings.HasSuffix(host, ".apideck.com") {
		return "Apideck"
	}
	return u.Host
}
