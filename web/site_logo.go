package web

import (
	"net/http"

	"github.com/commonplace-social/commonplace/internal/model"
)

// uploadLogo makes the form's logo file, if one was chosen, the site's
// logo, returning its path ("" when no file came). The earlier logo's files
// go once the rest of the form is saved (PruneLogos).
func (w *writing) uploadLogo(r *http.Request) (string, error) {
	f, _, err := uploadedFile(r, "logo_file")
	if err != nil || f == nil {
		return "", err
	}
	defer f.Close()
	if w.Media == nil {
		return "", model.Errorf(model.EInvalid, "this server has nowhere to keep pictures: start it with --data-dir (or S3 storage, see docs/media.md) to upload a logo")
	}
	return w.identity().site.SetLogo(r.Context(), w.Media, f)
}
