package web

import (
	"context"
	"crypto/hmac"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/commonplace-social/commonplace/internal/media"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/posts"
)

// formImage is one of the compose form's image slots: a picture already
// processed and stored (Original is "" when the slot holds none) and its
// alt text as typed. Slots keep their place, so a problem with image 2
// stays by image 2.
//
// A picture's files are stored as soon as the form is sent, so a preview,
// a refused form and a saved draft keep it without a second upload; the
// page carries it back in a signed field (keptToken), and a draft keeps it
// in its stored fields. Files of a picture never published are harmless:
// their names are their content.
type formImage struct {
	Original, Display, Thumb string
	ContentType, Blurhash    string
	Width, Height            int
	Alt                      string
}

func imageOf(m *model.Media) formImage {
	return formImage{Original: m.OriginalKey, Display: m.DisplayKey, Thumb: m.ThumbKey, ContentType: m.ContentType,
		Blurhash: m.Blurhash, Width: m.Width, Height: m.Height}
}

// media is the picture as the post use case saves it.
func (f formImage) media() *model.Media {
	return &model.Media{Kind: media.KindAttachment, Alt: strings.TrimSpace(f.Alt), ContentType: f.ContentType,
		Width: f.Width, Height: f.Height, Blurhash: f.Blurhash, OriginalKey: f.Original, DisplayKey: f.Display, ThumbKey: f.Thumb}
}

// formMedia is the form's pictures, in slot order, for a posts.Draft.
func formMedia(imgs []formImage) []*model.Media {
	var out []*model.Media
	for _, f := range imgs {
		if f.Original != "" {
			out = append(out, f.media())
		}
	}
	return out
}

// keptToken signs a stored picture's record, so the page can carry it back
// without the server trusting whatever keys a form names.
func (s *Server) keptToken(ctx context.Context, f formImage) (string, error) {
	key, err := s.draftKey(ctx)
	if err != nil {
		return "", err
	}
	f.Alt = ""
	raw, err := json.Marshal(f)
	if err != nil {
		return "", err
	}
	msg := base64.RawURLEncoding.EncodeToString(raw)
	return msg + "." + draftMAC(key, "image."+msg), nil
}

func (s *Server) openKept(ctx context.Context, token string) (formImage, bool) {
	msg, mac, ok := strings.Cut(token, ".")
	key, err := s.draftKey(ctx)
	if !ok || err != nil || !hmac.Equal([]byte(mac), []byte(draftMAC(key, "image."+msg))) {
		return formImage{}, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(msg)
	var f formImage
	if err != nil || json.Unmarshal(raw, &f) != nil || !media.ValidKey(f.Original) || !media.ValidKey(f.Display) || !media.ValidKey(f.Thumb) {
		return formImage{}, false
	}
	return f, true
}

// altReason is why the form insists on alt text.
const altReason = "people who use screen readers, and anyone on a slow connection whose images do not load, rely on it"

// readImages processes the form's image slots: a new file is checked and
// stored, a picture kept from an earlier sending is carried on, a ticked
// "remove" empties its slot. Every problem is returned at once, by the
// field it belongs to; a picture whose alt text is missing is still kept,
// so only the text needs adding.
func (w *writing) readImages(r *http.Request) ([]formImage, posts.Problems) {
	var imgs []formImage
	var ps posts.Problems
	for i := 1; i <= posts.MaxImages; i++ {
		n := strconv.Itoa(i)
		slot := formImage{Alt: r.PostFormValue("alt" + n)}
		remove := r.PostFormValue("remove"+n) == "1"
		file, _, err := uploadedFile(r, "image"+n)
		if err != nil {
			ps = append(ps, posts.Problem{Field: "image" + n, Message: fmt.Sprintf("Image %d could not be read; choose it again", i)})
			continue
		}
		switch {
		case remove:
			slot.Alt = ""
		case file != nil && w.Media == nil:
			ps = append(ps, posts.Problem{Field: "image" + n, Message: "this server has nowhere to keep pictures, so images cannot be attached"})
		case file != nil:
			// The alt text is checked below, with the other fields; a
			// stand-in lets the picture be stored meanwhile.
			m, err := w.Media.Prepare(r.Context(), media.Owner{}, media.KindAttachment, file, "image")
			if err != nil {
				ps = append(ps, posts.Problem{Field: "image" + n, Message: fmt.Sprintf("Image %d: %s", i, model.ErrorMessage(err))})
				break
			}
			kept := imageOf(m)
			kept.Alt = slot.Alt
			slot = kept
		case r.PostFormValue("kept"+n) != "":
			kept, ok := w.openKept(r.Context(), r.PostFormValue("kept"+n))
			if !ok {
				ps = append(ps, posts.Problem{Field: "image" + n, Message: fmt.Sprintf("Image %d could not be kept; choose it again", i)})
				break
			}
			kept.Alt = slot.Alt
			slot = kept
		}
		if file != nil {
			file.Close()
		}
		alt := strings.TrimSpace(slot.Alt)
		switch {
		case slot.Original != "" && alt == "":
			ps = append(ps, posts.Problem{Field: "alt" + n, Message: fmt.Sprintf("Describe image %d in its alt text: %s", i, altReason)})
		case slot.Original == "" && alt != "" && !ps.Has("image"+n):
			ps = append(ps, posts.Problem{Field: "image" + n, Message: fmt.Sprintf("Image %d has alt text but no picture; choose the picture it describes, or clear the text", i)})
		case utf8.RuneCountInString(alt) > media.MaxAlt:
			ps = append(ps, posts.Problem{Field: "alt" + n, Message: fmt.Sprintf("The alt text of image %d is %d characters long; keep it to %d", i, utf8.RuneCountInString(alt), media.MaxAlt)})
		}
		imgs = append(imgs, slot)
	}
	return imgs, ps
}

// imageSlot is one image slot as the form shows it.
type imageSlot struct {
	N                int
	Image            formImage
	Src, Kept        string // the kept picture's thumbnail and signed record
	ImageErr, AltErr string
}

// imageSlots lays out the form's slots, with what each holds.
func (s *Server) imageSlots(ctx context.Context, v composeView) ([]imageSlot, error) {
	out := make([]imageSlot, posts.MaxImages)
	for i := range out {
		n := strconv.Itoa(i + 1)
		sl := imageSlot{N: i + 1, ImageErr: v.Errs["image"+n], AltErr: v.Errs["alt"+n]}
		if i < len(v.Form.Images) {
			sl.Image = v.Form.Images[i]
		}
		if sl.Image.Original != "" {
			tok, err := s.keptToken(ctx, sl.Image)
			if err != nil {
				return nil, err
			}
			sl.Kept, sl.Src = tok, media.Path(sl.Image.Thumb)
		}
		out[i] = sl
	}
	return out, nil
}

// previewImages are the form's pictures as the post page shows them.
func (s *Server) previewImages(imgs []formImage) []imageView {
	var out []imageView
	for _, m := range formMedia(imgs) {
		out = append(out, s.imageViewOf(m))
	}
	return out
}

// composeImages fills in the image slots of a new post's form; an edit
// keeps the pictures the post was published with.
func (w *writing) composeImages(ctx context.Context, v *composeView) error {
	v.Uploads = w.Media != nil
	if v.Action != "/compose" {
		return nil
	}
	var err error
	v.Slots, err = w.imageSlots(ctx, *v)
	return err
}

// scheduledImages refuses pictures on a scheduled post: the scheduled
// queue keeps the text only, and a picture silently dropped would be worse.
func scheduledImages(d posts.Draft, at time.Time) posts.Problems {
	if len(d.Images) == 0 || at.IsZero() {
		return nil
	}
	return posts.Problems{{Field: "publish_at", Message: "a post with images cannot be scheduled yet: publish it now, or schedule it without images"}}
}
