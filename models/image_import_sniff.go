package models

import (
	"errors"

	"imageconsole/models/imagefmt"
)

// checkUpload refuses an uploaded file that cannot become an image: not a
// disk image format we know, a damaged header, or an ISO without Force. It
// runs on the staged file before the import is recorded, so a wrong file
// costs nothing: no daily operation (R2), no custom-image slot (R1), no row
// and, once the caller removes it, no staged file. A URL import can only be
// checked once the import task has downloaded the file (it then ends in
// IMPORTFAILED with the reason).
func checkUpload(sn *imagefmt.Sniffer, force bool) error {
	info, err := sn.Detect()
	switch {
	case errors.Is(err, imagefmt.ErrUnsupported) || errors.Is(err, imagefmt.ErrMalformed):
		return FieldE("file", CodeInvalidParameterValue, "import.err.fileFormat", "Formats", imagefmt.FormatList())
	case err != nil:
		return err
	case info.Format == imagefmt.ISO && !force:
		return FieldE("file", CodeISOForce, "import.err.fileISO")
	}
	return nil
}
