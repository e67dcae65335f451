package i18n

import (
	"strconv"
	"time"

	"golang.org/x/text/language"
)

var matcher = language.NewMatcher([]language.Tag{language.English, language.SimplifiedChinese})

// Parse reads one language tag ("zh-CN", "zh", "en-US", …) as sent in
// X-TC-Language or stored in the language cookie.
func Parse(tag string) (Lang, bool) {
	switch tag {
	case string(ZH):
		return ZH, true
	case string(EN), "en-US":
		return EN, true
	}
	t, err := language.Parse(tag)
	if err != nil {
		return "", false
	}
	return match(t.String())
}

// FromAcceptLanguage picks the language of a first visit from the
// browser's Accept-Language header: the first of its preferences we speak,
// Default when it names none.
func FromAcceptLanguage(header string) Lang {
	if header == "" {
		return Default
	}
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil || len(tags) == 0 {
		return Default
	}
	_, idx, conf := matcher.Match(tags...)
	if conf == language.No {
		return Default
	}
	if idx == 1 {
		return ZH
	}
	return EN
}

func match(tag string) (Lang, bool) {
	t, err := language.Parse(tag)
	if err != nil {
		return "", false
	}
	_, idx, conf := matcher.Match(t)
	if conf == language.No {
		return "", false
	}
	if idx == 1 {
		return ZH, true
	}
	return EN, true
}

// Name is the language's name in itself, for the language switch.
func (l Lang) Name() string {
	if l == ZH {
		return "简体中文"
	}
	return "English"
}

// Time formats a moment for a page, in the reader's language and the
// server's time zone: "2026年11月30日 15:04" or "30 Nov 2026, 15:04".
func (l Lang) Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if l == ZH {
		return t.Format("2006年1月2日 15:04")
	}
	return t.Format("2 Jan 2006, 15:04")
}

// Date formats a day: "2026年11月30日" or "30 Nov 2026".
func (l Lang) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if l == ZH {
		return t.Format("2006年1月2日")
	}
	return t.Format("2 Jan 2006")
}

// Money formats an amount in yuan with the four decimals hourly prices
// need: "¥0.1200" in English, "0.1200元" in Chinese.
func (l Lang) Money(yuan float64) string {
	if l == ZH {
		return strconv.FormatFloat(yuan, 'f', 4, 64) + "元"
	}
	return "¥" + strconv.FormatFloat(yuan, 'f', 4, 64)
}

// Label is the reader's name of a code (a state, an action, a region…):
// the text of prefix+code, or the code itself when the catalogue has no
// such text (a value newer than the catalogue still shows).
func (l Lang) Label(prefix, code string) string {
	if code == "" || !Has(prefix+code) {
		return code
	}
	return l.T(prefix + code)
}
