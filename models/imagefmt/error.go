package imagefmt

import "imageconsole/models/i18n"

// Error is a detection failure: Kind is ErrUnsupported or ErrMalformed (so
// errors.Is matches it), ID the catalogue message saying what is wrong and
// what to do, filled with the key/value pairs Args. The importer keeps ID and
// Args, so the reason a user reads is in the user's language.
type Error struct {
	Kind error
	ID   string
	Args []any
}

// Error is the English text, for logs.
func (e *Error) Error() string { return i18n.EN.T(e.ID, e.Args...) }

// Unwrap returns the kind.
func (e *Error) Unwrap() error { return e.Kind }

func fail(kind error, id string, kv ...any) error {
	return &Error{Kind: kind, ID: id, Args: kv}
}
