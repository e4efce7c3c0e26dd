package media

import (
	"bytes"
	"encoding/base64"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"runtime"
	"testing"

	"github.com/buckket/go-blurhash"

	"github.com/commonplace-social/commonplace/internal/model"
)

// A photo straight from a phone carries its GPS position in EXIF and often
// again in XMP; none of it may reach the files we serve, and its EXIF
// orientation must already be applied to the pixels.
func TestProcessStripsGPSAndAppliesOrientation(t *testing.T) {
	in := withAPP1(encodeJPEG(t, gradient(40, 20)), exifWithGPS(), xmpWithGPS())
	for _, marker := range [][]byte{[]byte("Exif\x00"), gpsLatitude, []byte("GPSLatitude")} {
		if !bytes.Contains(in, marker) {
			t.Fatalf("fixture lacks %q; the test would prove nothing", marker)
		}
	}

	p, err := Process(in, KindAttachment)
	if err != nil {
		t.Fatal(err)
	}
	if p.ContentType != "image/jpeg" || p.Ext != ".jpg" {
		t.Errorf("content type %s %s, want image/jpeg .jpg", p.ContentType, p.Ext)
	}
	// Orientation 6 turns a 40 × 20 landscape into a 20 × 40 portrait.
	if p.Width != 20 || p.Height != 40 {
		t.Errorf("size %d × %d, want 20 × 40 after EXIF orientation 6", p.Width, p.Height)
	}
	for name, out := range map[string][]byte{"original": p.Original, "display": p.Display, "thumb": p.Thumb} {
		for _, marker := range [][]byte{[]byte("Exif"), []byte("GPS"), gpsLatitude, []byte("ns.adobe.com"), {0xFF, 0xE1}} {
			if bytes.Contains(out, marker) {
				t.Errorf("%s still contains %q", name, marker)
			}
		}
		if _, err := jpeg.Decode(bytes.NewReader(out)); err != nil {
			t.Errorf("%s is not a readable JPEG: %v", name, err)
		}
	}
}

// A 50,000 × 50,000 PNG would need 10 GB to decode. It must be refused from
// its header alone: as too large (a decoder that read on would have hit the
// garbage IDAT and said "damaged" instead), and with next to no memory.
func TestProcessRefusesDecompressionBombFromHeader(t *testing.T) {
	bomb := pngHeaderOnly(50_000, 50_000)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Process(bomb, KindAttachment)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v, want ErrTooLarge", err)
	}
	if model.ErrorCode(err) != model.EInvalid {
		t.Errorf("error code %q, want %q so a person sees the sentence", model.ErrorCode(err), model.EInvalid)
	}
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 1<<20 {
		t.Errorf("refusing the bomb allocated %d bytes; it should read only the header", grown)
	}
}

// BenchmarkRefuseBomb measures how long refusing the 50,000² PNG takes and
// what it allocates (go test -run '^$' -bench RefuseBomb -benchmem).
func BenchmarkRefuseBomb(b *testing.B) {
	bomb := pngHeaderOnly(50_000, 50_000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Process(bomb, KindAttachment); !errors.Is(err, ErrTooLarge) {
			b.Fatal(err)
		}
	}
}

// BenchmarkProcessPhoto measures a typical 12-megapixel phone photo
// (4000 × 3000 JPEG) through decode, three encodes and the blurhash.
func BenchmarkProcessPhoto(b *testing.B) {
	photo := encodeJPEG(b, gradient(4000, 3000))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Process(photo, KindAttachment); err != nil {
			b.Fatal(err)
		}
	}
}

func TestProcessRefusesTooManyPixelsOnOneSide(t *testing.T) {
	if _, err := Process(pngHeaderOnly(MaxSide+1, 1), KindAttachment); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v, want ErrTooLarge for a side over %d", err, MaxSide)
	}
}

func TestReadLimitedRefusesMoreThanTenMegabytes(t *testing.T) {
	if _, err := ReadLimited(bytes.NewReader(make([]byte, MaxBytes+1))); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v, want ErrTooLarge", err)
	}
	data, err := ReadLimited(bytes.NewReader(make([]byte, MaxBytes)))
	if err != nil || len(data) != MaxBytes {
		t.Fatalf("exactly %d bytes: got %d, %v", MaxBytes, len(data), err)
	}
}

func TestProcessRefusesWhatIsNotAnImage(t *testing.T) {
	for name, data := range map[string][]byte{
		"text":      []byte("hello, this is not a picture"),
		"bmp":       append([]byte("BM"), make([]byte, 60)...),
		"truncated": encodeJPEG(t, gradient(64, 64))[:200],
	} {
		if _, err := Process(data, KindAttachment); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: got %v, want ErrUnsupported", name, err)
		}
	}
}

// Pictures with transparency stay PNG (a JPEG would turn it black); opaque
// ones become JPEG whatever they came as. Display and thumbnail fit their
// boxes and keep the aspect ratio.
func TestProcessChoosesFormatAndSizes(t *testing.T) {
	clear := image.NewNRGBA(image.Rect(0, 0, 800, 400))
	clear.Set(10, 10, color.NRGBA{255, 0, 0, 255})
	p, err := Process(encodePNG(t, clear), KindAvatar)
	if err != nil {
		t.Fatal(err)
	}
	if p.ContentType != "image/png" || p.Ext != ".png" {
		t.Errorf("transparent PNG came out as %s", p.ContentType)
	}
	if p.Width != 800 || p.Height != 400 || p.DisplayWidth != 400 || p.DisplayHeight != 200 {
		t.Errorf("sizes %d×%d display %d×%d, want 800×400 display 400×200", p.Width, p.Height, p.DisplayWidth, p.DisplayHeight)
	}
	thumb, _, err := image.DecodeConfig(bytes.NewReader(p.Thumb))
	if err != nil || thumb.Width != 96 || thumb.Height != 48 {
		t.Errorf("thumbnail %d×%d (%v), want 96×48", thumb.Width, thumb.Height, err)
	}

	opaque, err := Process(encodePNG(t, gradient(300, 900)), KindAvatar)
	if err != nil {
		t.Fatal(err)
	}
	if opaque.ContentType != "image/jpeg" {
		t.Errorf("opaque PNG came out as %s, want image/jpeg", opaque.ContentType)
	}
	if opaque.DisplayWidth != 133 || opaque.DisplayHeight != 400 {
		t.Errorf("avatar display %d×%d, want 133×400", opaque.DisplayWidth, opaque.DisplayHeight)
	}
	if x, y, err := blurhash.Components(opaque.Blurhash); err != nil || x != 4 || y != 3 {
		t.Errorf("blurhash %q: %d×%d components, %v", opaque.Blurhash, x, y, err)
	}
}

func TestProcessReadsWebPAndGIF(t *testing.T) {
	for name, b64 := range map[string]string{"lossless": webpLossless, "lossy": webpLossy} {
		data, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			t.Fatal(err)
		}
		p, err := Process(data, KindAttachment)
		if err != nil {
			t.Errorf("webp %s: %v", name, err)
			continue
		}
		if p.Width != 1 || p.Height != 1 {
			t.Errorf("webp %s: %d×%d, want 1×1", name, p.Width, p.Height)
		}
	}

	pal := image.NewPaletted(image.Rect(0, 0, 8, 6), color.Palette{color.White, color.Black})
	pal.SetColorIndex(1, 1, 1)
	var buf bytes.Buffer
	if err := gif.Encode(&buf, pal, nil); err != nil {
		t.Fatal(err)
	}
	p, err := Process(buf.Bytes(), KindAttachment)
	if err != nil {
		t.Fatal(err)
	}
	if p.ContentType != "image/jpeg" || p.Width != 8 || p.Height != 6 {
		t.Errorf("gif: %s %d×%d, want image/jpeg 8×6", p.ContentType, p.Width, p.Height)
	}
}
