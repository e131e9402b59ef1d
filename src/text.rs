//! Text helpers that never cut inside a character, and the one way a value from a file or
//! the command line is quoted in an error message.
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

/// Most characters of a value an error message quotes.
const SHOWN_CHARS: usize = 60;

/// A value from a file or the command line as an error message shows it: secrets masked,
/// control characters escaped (no terminal escape sequences, one line), at most 60 characters.
/// A config that is really `/proc/self/environ` must not be printed by its own error.
pub fn shown(value: &str) -> String {
    let masked = crate::rules::redact(value);
    let mut out = String::new();
    for (count, c) in masked.chars().enumerate() {
        if count == SHOWN_CHARS {
            out.push_str("...");
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Most characters of an error message built around such values.
const SHOWN_MESSAGE_CHARS: usize = 300;

/// An error message that may quote a file's content (a TOML parser's "invalid type: string
/// ..."), as printed: secrets masked, control characters escaped, at most 300 characters.
pub fn shown_message(message: &str) -> String {
    let masked = crate::rules::redact(message);
    let mut out = String::new();
    for (count, c) in masked.chars().enumerate() {
        if count == SHOWN_MESSAGE_CHARS {
            out.push_str("...");
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
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

    #[test]
    fn shown_values_are_masked_escaped_and_short() {
        assert_eq!(shown("a\u{1b}[2Jb\n"), "a\\u{1b}[2Jb\\n");
        let long = "x".repeat(100);
        assert_eq!(shown(&long).chars().count(), 63);
        let key = "AKIAQ7XK2MZP4LNB8WRT";
        assert!(!shown(&format!("value {key}")).contains(key));
    }
}
