//! What secret-setting commands share: `NAME=value` words and `--flag value` options. Each
//! platform's own command line is in its file (`fly.rs`, `heroku.rs`, `railway.rs`, ...).

use crate::command::invocation::{EnvStore, StoredVar};
use crate::command::shell::{is_var_name, Word};

/// The `NAME=value` words among `words` (flags skipped), stored in `store`.
pub(super) fn assignments(words: &[Word], store: &EnvStore) -> Vec<StoredVar> {
    words
        .iter()
        .filter(|w| !w.text.starts_with('-'))
        .filter_map(|w| assignment(w, &w.text, store))
        .collect()
}

/// `NAME=value` in `text` (the word's text, or part of it after a flag) as a stored variable.
pub(super) fn assignment(word: &Word, text: &str, store: &EnvStore) -> Option<StoredVar> {
    let (name, value) = text.split_once('=')?;
    is_var_name(name).then(|| StoredVar {
        name: name.to_string(),
        value: Some(value.to_string()),
        word: word.clone(),
        store: store.clone(),
    })
}

/// A variable named by a whole word, its value given elsewhere (or read from stdin).
pub(super) fn named(
    word: &Word,
    name: &str,
    value: Option<&str>,
    store: &EnvStore,
) -> Option<StoredVar> {
    is_var_name(name).then(|| StoredVar {
        name: name.to_string(),
        value: value.map(String::from),
        word: word.clone(),
        store: store.clone(),
    })
}

/// The value of the first of `flags` among `words`: `--name value` or `--name=value`.
pub(super) fn flag_value<'a>(words: &'a [Word], flags: &[&str]) -> Option<(&'a Word, &'a str)> {
    for (i, word) in words.iter().enumerate() {
        for flag in flags {
            if word.text == *flag {
                return words.get(i + 1).map(|w| (w, w.text.as_str()));
            }
            if let Some(value) = word
                .text
                .strip_prefix(flag)
                .and_then(|r| r.strip_prefix('='))
            {
                return Some((word, value));
            }
        }
    }
    None
}

/// The positional words (flags and the values of `valued` flags left out).
pub(super) fn positionals<'a>(words: &'a [Word], valued: &[&str]) -> Vec<&'a Word> {
    let mut out = Vec::new();
    let mut skip = false;
    for word in words {
        if skip {
            skip = false;
            continue;
        }
        if word.text.starts_with('-') {
            skip = valued.contains(&word.text.as_str());
            continue;
        }
        out.push(word);
    }
    out
}
