package vocab

import "strings"

// Readers for the post and event terms MarshalPost writes, tolerant of the
// shapes other servers use for the same ideas.

// SourceMarkdown returns the Markdown the content was rendered from, or ""
// when the sender gave no source or a source in another format (Mastodon's
// plain text, an HTML source) that must not be rendered as Markdown.
func (o *Object) SourceMarkdown() string {
	if o.Source == nil || !strings.EqualFold(o.Source.MediaType, "text/markdown") {
		return ""
	}
	return o.Source.Content
}

// kindOf reads our kind term. "kind" is a plain word another vocabulary could
// use too, so only our four values are kept.
func kindOf(m map[string]any) string {
	k := str(m, "kind")
	if kindTypes[k] == "" {
		return ""
	}
	return k
}

// sourceOf reads source: {content, mediaType} as AS2 and Misskey write it, or
// a bare string as some servers send.
func sourceOf(v any) *Source {
	switch t := v.(type) {
	case string:
		if s := clean(t); s != "" {
			return &Source{Content: s}
		}
	case map[string]any:
		s := &Source{Content: langStr(t, "content"), MediaType: str(t, "mediaType")}
		if s.Content != "" {
			return s
		}
	}
	return nil
}

// onlineURLOf reads the event's online address: a VirtualLocation in
// location (FEP-8a8e, Gancio), else Mobilizon's Link attachment named
// "Website".
func onlineURLOf(m map[string]any) string {
	for _, l := range maps(m["location"]) {
		if typeName(l) == "VirtualLocation" {
			if u := cleanURL(link(l["url"])); u != "" {
				return u
			}
		}
	}
	for _, a := range maps(m["attachment"]) {
		if typeName(a) == "Link" && strings.EqualFold(str(a, "name"), onlineLinkName) {
			if u := cleanURL(link(a)); u != "" {
				return u
			}
		}
	}
	return ""
}

// bookingURLOf reads externalParticipationUrl unless joinMode names another
// way to join (Mobilizon sends the key, null or not, with every joinMode), in
// which case the URL is not where people book.
func bookingURLOf(m map[string]any) string {
	if mode := str(m, "joinMode"); mode != "" && mode != "external" {
		return ""
	}
	return cleanURL(strings.TrimSpace(str(m, "externalParticipationUrl")))
}
