//! Between the engine's byte spans and file paths and LSP's positions and URIs.
//!
//! LSP counts columns in UTF-16 code units unless the client agrees to UTF-8 or UTF-32
//! (`positionEncoding`, LSP 3.17); a runbook full of `→`, `é` and emoji makes the difference
//! visible, so every conversion goes through the negotiated [`Encoding`].

use std::path::{Path, PathBuf};

use lsp_types::{Position, Range, Uri};

use crate::span::{LineIndex, Span};

/// How columns are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Bytes.
    Utf8,
    /// UTF-16 code units (LSP's default).
    Utf16,
    /// Unicode scalar values.
    Utf32,
}

impl Encoding {
    /// The encoding's LSP name.
    pub fn kind(self) -> lsp_types::PositionEncodingKind {
        match self {
            Encoding::Utf8 => lsp_types::PositionEncodingKind::UTF8,
            Encoding::Utf16 => lsp_types::PositionEncodingKind::UTF16,
            Encoding::Utf32 => lsp_types::PositionEncodingKind::UTF32,
        }
    }

    /// The best the client offers: UTF-8 needs no conversion, else UTF-16 (always allowed).
    pub fn negotiate(offered: Option<&[lsp_types::PositionEncodingKind]>) -> Encoding {
        let offered = offered.unwrap_or_default();
        if offered.contains(&lsp_types::PositionEncodingKind::UTF8) {
            Encoding::Utf8
        } else if offered.contains(&lsp_types::PositionEncodingKind::UTF32)
            && !offered.contains(&lsp_types::PositionEncodingKind::UTF16)
        {
            Encoding::Utf32
        } else {
            Encoding::Utf16
        }
    }

    fn width(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf32 => 1,
        }
    }
}

/// A text with its line index, for converting positions.
pub struct Lines<'a> {
    text: &'a str,
    index: LineIndex,
    encoding: Encoding,
}

impl<'a> Lines<'a> {
    /// Indexes `text`.
    pub fn new(text: &'a str, encoding: Encoding) -> Self {
        Lines {
            text,
            index: LineIndex::new(text),
            encoding,
        }
    }

    /// The position of byte `offset` (clamped to the text and to a character boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let (line, _) = self.index.position(self.text, offset);
        let start = self.index.line_start(line).unwrap_or(0);
        let character: usize = self.text[start..offset]
            .chars()
            .map(|c| self.encoding.width(c))
            .sum();
        Position::new(to_u32(line - 1), to_u32(character))
    }

    /// The range of a byte span.
    pub fn range(&self, span: Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    /// The byte offset of `position`: past the end of a line is its end (before the line
    /// break), past the last line is the end of the text, inside a character is its start.
    pub fn offset(&self, position: Position) -> usize {
        let Some(start) = self.index.line_start(position.line as usize + 1) else {
            return self.text.len();
        };
        let rest = &self.text[start..];
        let line = rest.split('\n').next().unwrap_or("");
        let line = line.strip_suffix('\r').unwrap_or(line);
        let wanted = position.character as usize;
        let mut units = 0;
        for (at, c) in line.char_indices() {
            let next = units + self.encoding.width(c);
            if next > wanted {
                return start + at;
            }
            units = next;
        }
        start + line.len()
    }

    /// The byte span of `range`.
    pub fn span(&self, range: Range) -> Span {
        Span::new(self.offset(range.start), self.offset(range.end))
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The local path of a `file:` URI.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let text = uri.as_str();
    let rest = text
        .strip_prefix("file://")
        .or_else(|| text.strip_prefix("FILE://"))?;
    // `file://localhost/x` and `file:///x` name the same file; other hosts are not local.
    let path = if rest.starts_with('/') {
        rest
    } else {
        rest.strip_prefix("localhost")?
    };
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let decoded = percent_decode(path)?;
    // `/C:/Users/...` on Windows.
    #[cfg(windows)]
    let decoded = match decoded.strip_prefix('/') {
        Some(rest) if rest.as_bytes().get(1) == Some(&b':') => rest.to_string(),
        _ => decoded,
    };
    Some(PathBuf::from(decoded))
}

/// A `file:` URI for a local path.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !text.starts_with('/') {
        out.push('/');
    }
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            b':' if cfg!(windows) => out.push(':'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out.parse().ok()
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_round_trip_in_every_encoding() {
        let text = "a→b😀c\r\nsecond é\n";
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let lines = Lines::new(text, encoding);
            // (Between the CR and the LF of a line break is no position an editor has.)
            for (offset, _) in text
                .char_indices()
                .filter(|(i, _)| !text[..*i].ends_with('\r'))
            {
                let position = lines.position(offset);
                assert_eq!(lines.offset(position), offset, "{encoding:?} at {offset}");
            }
        }
        let c = text.find('c').unwrap();
        assert_eq!(
            Lines::new(text, Encoding::Utf16).position(c),
            Position::new(0, 5)
        );
        assert_eq!(
            Lines::new(text, Encoding::Utf32).position(c),
            Position::new(0, 4)
        );
        assert_eq!(
            Lines::new(text, Encoding::Utf8).position(c),
            Position::new(0, 9)
        );
    }

    #[test]
    fn out_of_range_positions_are_clamped() {
        let text = "ab\r\ncd";
        let lines = Lines::new(text, Encoding::Utf16);
        assert_eq!(lines.offset(Position::new(0, 99)), 2, "before the CR");
        assert_eq!(lines.offset(Position::new(9, 0)), text.len());
        // Inside a surrogate pair: the character's start.
        let emoji = Lines::new("😀x", Encoding::Utf16);
        assert_eq!(emoji.offset(Position::new(0, 1)), 0);
    }

    #[test]
    fn file_uris_and_paths() {
        let uri: Uri = "file:///tmp/run%20books/deploy.md".parse().unwrap();
        assert_eq!(
            uri_to_path(&uri),
            Some(PathBuf::from("/tmp/run books/deploy.md"))
        );
        let local: Uri = "file://localhost/tmp/a.md".parse().unwrap();
        assert_eq!(uri_to_path(&local), Some(PathBuf::from("/tmp/a.md")));
        let untitled: Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(uri_to_path(&untitled), None);
        #[cfg(unix)]
        assert_eq!(
            path_to_uri(Path::new("/tmp/run books/é.md"))
                .unwrap()
                .as_str(),
            "file:///tmp/run%20books/%C3%A9.md"
        );
    }
}
