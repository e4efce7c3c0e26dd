package media

// Limits on what an upload may be. Dimensions are checked from the header
// alone, before any pixel is decoded, so a small file that claims to be a
// huge picture (a decompression bomb) costs almost nothing to refuse.
const (
	// MaxBytes is the largest file accepted, as the issue promises people.
	MaxBytes = 10 << 20
	// MaxSide bounds either dimension; panoramas up to this wide still pass.
	MaxSide = 16384
	// MaxPixels bounds width × height: 25 megapixels decode to at most
	// 100 MB of RGBA, which a small server can hold for one upload at a time.
	MaxPixels = 25_000_000
)

// Kinds of media, which decide the sizes made and who owns the record.
const (
	KindAvatar     = "avatar"     // an organisation's square profile picture
	KindHeader     = "header"     // the wide banner on an organisation's profile
	KindLogo       = "logo"       // the instance's own logo
	KindAttachment = "attachment" // an image on a post, with alt text
)

// size is the box a version is scaled down to fit (never up).
type size struct{ W, H int }

// sizes says, per kind, how large the display version and the thumbnail
// may be. Avatars and headers follow what Mastodon shows (400 px square,
// 1500 × 500 banner); post images get a screen-sized display version.
var sizes = map[string]struct{ Display, Thumb size }{
	KindAvatar:     {Display: size{400, 400}, Thumb: size{96, 96}},
	KindHeader:     {Display: size{1500, 500}, Thumb: size{600, 200}},
	KindLogo:       {Display: size{512, 512}, Thumb: size{96, 96}},
	KindAttachment: {Display: size{1600, 1600}, Thumb: size{480, 480}},
}

// ValidKind reports whether kind is one of the kinds above.
func ValidKind(kind string) bool {
	_, ok := sizes[kind]
	return ok
}
