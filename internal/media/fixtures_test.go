package media

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

// gradient is an opaque test picture with some detail for the scaler.
func gradient(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.Set(x, y, color.NRGBA{uint8(x * 255 / w), uint8(y * 255 / h), 128, 255})
		}
	}
	return m
}

func encodeJPEG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodePNG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withAPP1 inserts APP1 segments right after a JPEG's start-of-image marker,
// where cameras put EXIF and editors put XMP.
func withAPP1(jpg []byte, payloads ...[]byte) []byte {
	out := append([]byte{}, jpg[:2]...)
	for _, p := range payloads {
		out = append(out, 0xFF, 0xE1)
		out = binary.BigEndian.AppendUint16(out, uint16(len(p)+2))
		out = append(out, p...)
	}
	return append(out, jpg[2:]...)
}

// gpsLatitude is the position the fixture claims, as the three rationals
// EXIF stores (53° 48' 12.34"); the test looks for these bytes afterwards.
var gpsLatitude = func() []byte {
	var b []byte
	for _, r := range [][2]uint32{{53, 1}, {48, 1}, {1234, 100}} {
		b = binary.BigEndian.AppendUint32(b, r[0])
		b = binary.BigEndian.AppendUint32(b, r[1])
	}
	return b
}()

// exifWithGPS is a hand-assembled EXIF block (big-endian TIFF): IFD0 holds
// an Orientation of 6 (turn 90° clockwise to view) and a pointer to a GPS
// IFD holding latitude N 53° 48' 12.34".
func exifWithGPS() []byte {
	be := binary.BigEndian
	b := []byte("Exif\x00\x00")
	tiff := []byte{'M', 'M', 0, 42}
	tiff = be.AppendUint32(tiff, 8) // IFD0 starts right after the header
	entry := func(tag, typ uint16, count uint32, value []byte) {
		tiff = be.AppendUint16(tiff, tag)
		tiff = be.AppendUint16(tiff, typ)
		tiff = be.AppendUint32(tiff, count)
		tiff = append(tiff, value...)
	}
	// IFD0 at 8 (count, two entries, next-offset), the GPS IFD after it, then
	// the latitude's rationals.
	const gpsIFD, latData = 8 + 2 + 2*12 + 4, 8 + 2 + 2*12 + 4 + 2 + 2*12 + 4
	tiff = be.AppendUint16(tiff, 2)
	entry(0x0112, 3, 1, []byte{0, 6, 0, 0})           // Orientation = 6
	entry(0x8825, 4, 1, be.AppendUint32(nil, gpsIFD)) // GPSInfo IFD pointer
	tiff = be.AppendUint32(tiff, 0)
	tiff = be.AppendUint16(tiff, 2)
	entry(0x0001, 2, 2, []byte{'N', 0, 0, 0})          // GPSLatitudeRef
	entry(0x0002, 5, 3, be.AppendUint32(nil, latData)) // GPSLatitude
	tiff = be.AppendUint32(tiff, 0)
	tiff = append(tiff, gpsLatitude...)
	return append(b, tiff...)
}

// xmpWithGPS is an XMP packet of the kind photo editors add, with a position.
func xmpWithGPS() []byte {
	return []byte("http://ns.adobe.com/xap/1.0/\x00" +
		`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
		`<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="53,48.2057N"/></rdf:RDF></x:xmpmeta>`)
}

// pngHeaderOnly builds a PNG that declares width × height pixels: the
// signature, a valid IHDR chunk and an IDAT of garbage. DecodeConfig reads
// only the IHDR; a decoder that went further would fail on the IDAT (or run
// out of memory first), so refusing it as too large proves nothing decoded.
func pngHeaderOnly(width, height uint32) []byte {
	be := binary.BigEndian
	chunk := func(out []byte, typ string, data []byte) []byte {
		out = be.AppendUint32(out, uint32(len(data)))
		body := append([]byte(typ), data...)
		out = append(out, body...)
		return be.AppendUint32(out, crc32.ChecksumIEEE(body))
	}
	out := []byte("\x89PNG\r\n\x1a\n")
	ihdr := be.AppendUint32(nil, width)
	ihdr = be.AppendUint32(ihdr, height)
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // 8-bit RGBA, deflate, no filter, no interlace
	out = chunk(out, "IHDR", ihdr)
	out = chunk(out, "IDAT", []byte("not deflate data"))
	return chunk(out, "IEND", nil)
}

// Tiny WebP files (1 × 1 pixel, lossless and lossy), as the well-known
// feature-detection snippets spell them.
const (
	webpLossless = "UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA=="
	webpLossy    = "UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA"
)
