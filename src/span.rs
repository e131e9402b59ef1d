//! Byte spans and the line index that turns them into 1-based line/column pairs.
//!
//! Everything the extractor produces carries a byte [`Span`] into the original file. Lines and
//! columns are worked out only when a finding is reported, from one [`LineIndex`] per file.
//! Columns count Unicode scalar values (characters), not bytes, so a finding after `é` or `→`
//! lands where an editor puts it; a tab counts as one character, as editors and GitHub do.

use serde::Serialize;

/// A half-open byte range `[start, end)` into a file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`, swapped if given the wrong way round.
    pub fn new(start: usize, end: usize) -> Self {
        if end < start {
            Span {
                start: end,
                end: start,
            }
        } else {
            Span { start, end }
        }
    }

    /// Number of bytes covered.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True for a zero-width span.
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }

    /// True when `other` lies entirely inside `self`.
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// True when the two spans share at least one byte.
    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The range as a `std::ops::Range`, for slicing.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

impl From<std::ops::Range<usize>> for Span {
    fn from(range: std::ops::Range<usize>) -> Self {
        Span::new(range.start, range.end)
    }
}

/// A resolved position: 1-based lines and 1-based character columns, end inclusive of the
/// last character's column + 1 (the column just after the span), as editors expect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    /// Line of the first character.
    pub line: usize,
    /// Column of the first character.
    pub column: usize,
    /// Line of the position just after the span.
    pub end_line: usize,
    /// Column of the position just after the span.
    pub end_column: usize,
}

/// Start offsets of every line of one file, and character counts every
/// [`CHECKPOINT_BYTES`]: a column far along a long line is counted from the nearest checkpoint,
/// not from the line's start (a 1 MB line with 80 000 findings was quadratic).
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    /// `(byte offset, characters before it)`, one per [`CHECKPOINT_BYTES`] of text, each
    /// offset a character boundary at or before the multiple.
    checkpoints: Vec<(usize, usize)>,
}

/// Distance between character-count checkpoints.
const CHECKPOINT_BYTES: usize = 4096;

impl LineIndex {
    /// Indexes `text`. A line ends at `\n`; a preceding `\r` belongs to the line's end, so CRLF
    /// files get the same columns as LF files.
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        let mut checkpoints = Vec::with_capacity(text.len() / CHECKPOINT_BYTES + 1);
        let (mut at, mut chars) = (0, 0);
        checkpoints.push((0, 0));
        while at + CHECKPOINT_BYTES < text.len() {
            let next = crate::text::floor_boundary(text, at + CHECKPOINT_BYTES);
            chars += text[at..next].chars().count();
            checkpoints.push((next, chars));
            at = next;
        }
        LineIndex {
            line_starts,
            checkpoints,
        }
    }

    /// Characters in `text[..offset]` (`offset` a character boundary).
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let (at, chars) =
            self.checkpoints[(offset / CHECKPOINT_BYTES).min(self.checkpoints.len() - 1)];
        chars + text[at..offset].chars().count()
    }

    /// 1-based line number and 1-based character column of `offset` in `text`.
    /// Offsets past the end or inside a multi-byte character are clamped, never a panic.
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = match self.line_starts.binary_search(&offset) {
            Ok(exact) => exact,
            Err(next) => next - 1,
        };
        let line_start = self.line_starts[line];
        let column = if offset - line_start <= CHECKPOINT_BYTES {
            text[line_start..offset].chars().count()
        } else {
            self.chars_before(text, offset) - self.chars_before(text, line_start)
        };
        (line + 1, column + 1)
    }

    /// Resolves a span to a [`Location`].
    pub fn locate(&self, text: &str, span: Span) -> Location {
        let (line, column) = self.position(text, span.start);
        let (end_line, end_column) = self.position(text, span.end.max(span.start));
        Location {
            line,
            column,
            end_line,
            end_column,
        }
    }

    /// Byte offset where 1-based `line` starts, if the file has that line.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        line.checked_sub(1)
            .and_then(|i| self.line_starts.get(i).copied())
    }

    /// Byte offset of 1-based `line` and character `column`, clamped to the text.
    pub fn offset(&self, text: &str, line: usize, column: usize) -> usize {
        let Some(start) = self.line_start(line) else {
            return text.len();
        };
        let rest = &text[start..];
        let line_len = rest.find('\n').unwrap_or(rest.len());
        rest[..line_len]
            .char_indices()
            .nth(column.saturating_sub(1))
            .map(|(i, _)| start + i)
            .unwrap_or(start + line_len)
    }

    /// Number of lines (a trailing newline opens one more, empty line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "héllo → wörld\nnext";
        let index = LineIndex::new(text);
        let offset = text.find("wörld").unwrap();
        assert_eq!(index.position(text, offset), (1, 9));
        assert_eq!(index.position(text, text.find("next").unwrap()), (2, 1));
    }

    #[test]
    fn crlf_lines_match_lf_lines() {
        let lf = "a\nbc\nd";
        let crlf = "a\r\nbc\r\nd";
        let (i1, i2) = (LineIndex::new(lf), LineIndex::new(crlf));
        assert_eq!(i1.position(lf, lf.find('d').unwrap()), (3, 1));
        assert_eq!(i2.position(crlf, crlf.find('d').unwrap()), (3, 1));
        assert_eq!(i2.position(crlf, crlf.find('c').unwrap()), (2, 2));
    }

    #[test]
    fn columns_far_along_long_multibyte_lines() {
        let text = format!("x\n{}", "aé→".repeat(5000));
        let index = LineIndex::new(&text);
        for (column, (offset, _)) in text[2..].char_indices().enumerate().step_by(997) {
            assert_eq!(index.position(&text, offset + 2), (2, column + 1));
        }
        assert_eq!(index.position(&text, text.len()), (2, 15001));
    }

    #[test]
    fn tabs_count_as_one_column() {
        let text = "\tx";
        assert_eq!(LineIndex::new(text).position(text, 1), (1, 2));
    }

    #[test]
    fn out_of_range_and_mid_character_offsets_are_clamped() {
        let text = "é";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 1), (1, 1));
        assert_eq!(index.position(text, 99), (1, 2));
        assert_eq!(LineIndex::new("").position("", 0), (1, 1));
    }

    #[test]
    fn offset_round_trips_position() {
        let text = "ab\ncdé f";
        let index = LineIndex::new(text);
        let at = index.offset(text, 2, 4);
        assert_eq!(&text[at..], " f");
        assert_eq!(index.position(text, at), (2, 4));
    }
}
