//! Text helpers that never cut inside a character. (The one way a value from a file or the
//! command line is quoted in an error message, masked, is [`crate::redact::shown`].)
//!
//! Byte offsets computed by arithmetic (`start + 60`, `i - 1`) can land inside a multi-byte
//! character, and `&text[..n]` then panics: a runbook line with `→ José` at byte 60 once
//! crashed a whole run. Offsets that do not come from a match or a search go through here.

/// The largest character boundary at or before `index` (clamped to the text).
pub fn floor_boundary(text: &str, index: usize) -> usize {
    let mut index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// The smallest character boundary at or after `index` (clamped to the text).
pub fn ceil_boundary(text: &str, index: usize) -> usize {
    let mut index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index += 1;
    }
    index
}

/// At most the first `max_bytes` bytes of `text`, cut before a character that would not fit.
pub fn prefix(text: &str, max_bytes: usize) -> &str {
    &text[..floor_boundary(text, max_bytes)]
}

/// `text` from byte `start` (moved forward to a character boundary) to its end.
pub fn suffix(text: &str, start: usize) -> &str {
    &text[ceil_boundary(text, start)..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_inside_multibyte_characters() {
        let text = "a→é";
        assert_eq!(floor_boundary(text, 2), 1);
        assert_eq!(ceil_boundary(text, 2), 4);
        assert_eq!(prefix(text, 3), "a");
        assert_eq!(prefix(text, 4), "a→");
        assert_eq!(prefix(text, 99), text);
        assert_eq!(suffix(text, 2), "é");
        assert_eq!(suffix(text, 99), "");
    }
}
