package media

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // registers GIF with image.Decode and image.DecodeConfig
	"image/jpeg"
	"image/png"
	"io"

	"github.com/buckket/go-blurhash"
	"github.com/disintegration/imaging"
	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // registers WebP with image.Decode and image.DecodeConfig

	"github.com/commonplace-social/commonplace/internal/model"
)

// accepted are the formats image.DecodeConfig may report for an upload.
var accepted = map[string]bool{"jpeg": true, "png": true, "webp": true, "gif": true}

// Processed is an upload made safe: three re-encoded versions of the same
// picture, all of one content type, and what pages and the fediverse need
// to know about it.
type Processed struct {
	ContentType string // image/jpeg for opaque pictures, image/png for those with transparency
	Ext         string // ".jpg" or ".png", matching ContentType
	// Width and Height are the original's, after EXIF orientation.
	Width, Height int
	// DisplayWidth and DisplayHeight are the display version's.
	DisplayWidth, DisplayHeight int
	Blurhash                    string

	Original, Display, Thumb []byte
}

// ErrTooLarge and ErrUnsupported are the ways an upload is refused; the
// errors returned wrap one of them inside a *model.Error a person can read.
var (
	ErrTooLarge    = errors.New("image too large")
	ErrUnsupported = errors.New("unsupported image")
)

// refuse builds an error that is both a readable sentence (model.Error)
// and matchable with errors.Is against ErrTooLarge or ErrUnsupported.
func refuse(kind error, format string, args ...any) error {
	return fmt.Errorf("%w%w", model.Errorf(model.EInvalid, format, args...), quiet{kind})
}

// quiet wraps a sentinel so it joins an error chain without adding text.
type quiet struct{ err error }

func (q quiet) Error() string { return "" }
func (q quiet) Unwrap() error { return q.err }

// ReadLimited reads an upload, refusing it once it passes MaxBytes without
// reading the rest.
func ReadLimited(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read image: %w", err)
	}
	if len(data) > MaxBytes {
		return nil, refuse(ErrTooLarge, "the image is larger than %d MB; make it smaller and try again", MaxBytes>>20)
	}
	return data, nil
}

// CheckHeader reads only the header of an image and refuses it unless it is
// an accepted format within MaxSide and MaxPixels. It decodes no pixels.
func CheckHeader(data []byte) (image.Config, string, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return cfg, "", refuse(ErrUnsupported, "the file is not a JPEG, PNG, WebP or GIF image this server can read")
	}
	if !accepted[format] {
		return cfg, "", refuse(ErrUnsupported, "%s images are not accepted; use JPEG, PNG, WebP or GIF", format)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return cfg, "", refuse(ErrUnsupported, "the image says it has no pixels")
	}
	if cfg.Width > MaxSide || cfg.Height > MaxSide || int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return cfg, "", refuse(ErrTooLarge, "the image is %d × %d pixels; the limit is %d pixels a side and %d megapixels in all",
			cfg.Width, cfg.Height, MaxSide, MaxPixels/1_000_000)
	}
	return cfg, format, nil
}

// Process checks, decodes and re-encodes an upload of the given kind. Only
// pixels are carried over, so EXIF (with any GPS position), XMP, ICC and
// comments are all dropped; a JPEG's EXIF orientation is applied first so
// the picture still stands the right way up. An animated GIF keeps its
// first frame.
func Process(data []byte, kind string) (*Processed, error) {
	box, ok := sizes[kind]
	if !ok {
		return nil, fmt.Errorf("media: unknown kind %q", kind)
	}
	if len(data) > MaxBytes {
		return nil, refuse(ErrTooLarge, "the image is larger than %d MB; make it smaller and try again", MaxBytes>>20)
	}
	_, format, err := CheckHeader(data)
	if err != nil {
		return nil, err
	}
	var img image.Image
	if format == "jpeg" {
		img, err = imaging.Decode(bytes.NewReader(data), imaging.AutoOrientation(true))
	} else {
		img, _, err = image.Decode(bytes.NewReader(data))
	}
	if err != nil {
		return nil, refuse(ErrUnsupported, "the %s image is damaged and cannot be read", format)
	}

	p := &Processed{Width: img.Bounds().Dx(), Height: img.Bounds().Dy()}
	opaque := isOpaque(img)
	if opaque {
		p.ContentType, p.Ext = "image/jpeg", ".jpg"
	} else {
		p.ContentType, p.Ext = "image/png", ".png"
	}
	encode := func(m image.Image) ([]byte, error) {
		var buf bytes.Buffer
		var err error
		if opaque {
			err = jpeg.Encode(&buf, m, &jpeg.Options{Quality: 85})
		} else {
			err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, m)
		}
		return buf.Bytes(), err
	}

	display := fit(img, box.Display)
	thumb := fit(display, box.Thumb)
	p.DisplayWidth, p.DisplayHeight = display.Bounds().Dx(), display.Bounds().Dy()
	for _, v := range []struct {
		m   image.Image
		out *[]byte
	}{{img, &p.Original}, {display, &p.Display}, {thumb, &p.Thumb}} {
		if *v.out, err = encode(v.m); err != nil {
			return nil, fmt.Errorf("media: encode %s: %w", p.ContentType, err)
		}
	}
	// The thumbnail is small, so the hash costs little; 4 × 3 components
	// is what Mastodon uses.
	if p.Blurhash, err = blurhash.Encode(4, 3, thumb); err != nil {
		return nil, fmt.Errorf("media: blurhash: %w", err)
	}
	return p, nil
}

// DisplaySize is the size of the display version Process makes of a
// width × height picture of the given kind, for documents that link to it.
func DisplaySize(kind string, width, height int) (int, int) {
	box, ok := sizes[kind]
	if !ok {
		return width, height
	}
	return fitSize(width, height, box.Display)
}

// ThumbSize is the size of the thumbnail Process makes, likewise.
func ThumbSize(kind string, width, height int) (int, int) {
	box, ok := sizes[kind]
	if !ok {
		return width, height
	}
	w, h := fitSize(width, height, box.Display)
	return fitSize(w, h, box.Thumb)
}

// fitSize is the size fit scales a w × h image to.
func fitSize(w, h int, box size) (int, int) {
	if w <= box.W && h <= box.H {
		return w, h
	}
	// Scale by whichever side is the tighter fit, never below one pixel.
	nw, nh := box.W, h*box.W/w
	if nh > box.H {
		nw, nh = w*box.H/h, box.H
	}
	return max(nw, 1), max(nh, 1)
}

// fit scales img down to fit within box, keeping its aspect ratio; an image
// already small enough is returned as it is.
func fit(img image.Image, box size) image.Image {
	b := img.Bounds()
	nw, nh := fitSize(b.Dx(), b.Dy(), box)
	if nw == b.Dx() && nh == b.Dy() {
		return img
	}
	dst := image.NewRGBA(image.Rect(0, 0, nw, nh))
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return dst
}

// isOpaque reports whether every pixel is fully opaque, so the picture can
// go out as a JPEG; most decoded types answer this cheaply themselves.
func isOpaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a != 0xffff {
				return false
			}
		}
	}
	return true
}
