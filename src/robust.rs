//! Defensive file reading and the worker pool: whatever people commit (binary files named
//! `.md`, Windows-1252 text, FIFOs, symlink loops, huge generated files), a run never hangs,
//! never panics and never loses the findings of the good files.

use std::path::Path;

/// Markdown files over this size are skipped with a warning.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// Stack of each worker thread. Parsing pathological nesting (10 000 block quotes) goes
/// deeper than rayon's 2 MB default; untouched stack pages cost nothing.
pub const WORKER_STACK_BYTES: usize = 64 * 1024 * 1024;

/// Bytes looked at to decide that a file is binary (like git: a NUL byte in the first 8 KB).
const BINARY_SNIFF_BYTES: usize = 8000;

/// The pool the engine lints in: `threads` workers (`None` or 0: one per core).
pub fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool, String> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .stack_size(WORKER_STACK_BYTES)
        .thread_name(|i| format!("runbook-lint-{i}"))
        .build()
        .map_err(|error| error.to_string())
}

/// A runbook's text.
#[derive(Debug, Clone)]
pub struct Text {
    /// The text; invalid UTF-8 sequences replaced with U+FFFD.
    pub text: String,
    /// True when the file was not valid UTF-8.
    pub lossy: bool,
}

/// The outcome of reading a runbook.
#[derive(Debug)]
pub enum Read {
    /// Lint this.
    Text(Text),
    /// Not a runbook: skipped with this note (a warning, not a failure).
    Skip(String),
    /// Could not be read: reported, exit 2.
    Fail(String),
}

/// Reads a Markdown file for linting through [`crate::fsio`]: a regular file that resolves
/// inside `root`, at most `max_bytes` of it.
pub fn read_runbook(path: &Path, root: &crate::fsio::Root, max_bytes: u64) -> Read {
    use crate::fsio::ReadError;
    match crate::fsio::read(path, Some(root), max_bytes) {
        Ok(bytes) => decode(bytes),
        // A symlink whose target is missing or loops back is not a runbook to fail on.
        Err(error @ ReadError::BrokenLink(_)) => Read::Skip(format!("skipped, {error}")),
        // Reading a FIFO or a device could block forever.
        Err(ReadError::NotRegular) => Read::Skip("skipped, not a regular file".to_string()),
        // A committed `docs/x.md -> /etc/passwd` is never read, so never printed.
        Err(ReadError::OutsideRoot) => Read::Skip(
            "skipped, resolves to a file outside the project root (not read)".to_string(),
        ),
        Err(ReadError::TooBig { len, limit }) => Read::Skip(too_big(len, limit)),
        Err(error) => Read::Fail(error.to_string()),
    }
}

/// Decides what bytes are: binary (skipped), UTF-8, or decoded lossily. A lone `\r` (old Mac
/// line endings) becomes `\n`: CommonMark counts it as a line ending, pulldown-cmark does not
/// open a fence after one, and every span and byte offset stays the same.
pub fn decode(mut bytes: Vec<u8>) -> Read {
    if bytes[..bytes.len().min(BINARY_SNIFF_BYTES)].contains(&0) {
        return Read::Skip("skipped, binary file (NUL bytes)".to_string());
    }
    for i in 0..bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            bytes[i] = b'\n';
        }
    }
    match String::from_utf8(bytes) {
        Ok(text) => Read::Text(Text { text, lossy: false }),
        Err(error) => Read::Text(Text {
            text: String::from_utf8_lossy(error.as_bytes()).into_owned(),
            lossy: true,
        }),
    }
}

thread_local! {
    /// True while this thread runs [`isolated`] work: its panics are reported, not printed.
    static ISOLATED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Where the last isolated panic on this thread happened.
    static PANIC_LOCATION: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Runs `work`, turning a panic into an error message: the panic's first line (masked, at
/// most 120 characters: it may quote the runbook) and where it happened. Requires unwinding
/// panics (never build with `panic = "abort"`).
pub fn isolated<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if ISOLATED.with(|flag| flag.get()) {
                let location = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()));
                PANIC_LOCATION.with(|slot| *slot.borrow_mut() = location);
            } else {
                default(info);
            }
        }));
    });
    let outer = ISOLATED.with(|flag| flag.replace(true));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
    ISOLATED.with(|flag| flag.set(outer));
    outcome.map_err(|payload| {
        let text = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".to_string());
        let first = text.lines().next().unwrap_or("");
        let mut shown: String = first.chars().take(120).collect();
        if shown.len() < first.len() {
            shown.push_str("...");
        }
        let shown = crate::redact::redact(&shown).into_owned();
        match PANIC_LOCATION.with(|slot| slot.borrow_mut().take()) {
            Some(location) => format!("{shown} (at {location})"),
            None => shown,
        }
    })
}

fn too_big(len: u64, max: u64) -> String {
    format!("skipped, {len} bytes is over the {max} byte limit (max-file-size)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(read: Read) -> String {
        match read {
            Read::Skip(note) => note,
            other => panic!("expected a skip, got {other:?}"),
        }
    }

    #[test]
    fn panics_become_masked_messages_and_the_thread_carries_on() {
        let key = "AKIAQ7XK2MZP4LNB8WRT";
        let error = isolated(|| -> usize { panic!("bad slice of `{key}` {}", "x".repeat(300)) })
            .unwrap_err();
        assert!(error.starts_with("bad slice of `****"), "{error}");
        assert!(!error.contains(key));
        assert!(
            error.contains("...") && error.contains("(at src/robust.rs:"),
            "{error}"
        );
        assert_eq!(isolated(|| 7), Ok(7));
    }

    #[test]
    fn binary_lossy_and_plain_text() {
        assert!(note(decode(b"\x89PNG\r\n\x1a\n\0\0\0".to_vec())).contains("binary"));
        match decode(b"caf\xe9 `pnpm x`".to_vec()) {
            Read::Text(text) => {
                assert!(text.lossy);
                assert_eq!(text.text, "caf\u{fffd} `pnpm x`");
            }
            other => panic!("{other:?}"),
        }
        match decode(Vec::new()) {
            Read::Text(text) => assert!(!text.lossy && text.text.is_empty()),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn cr_only_line_endings_become_newlines() {
        match decode(b"# A\r\rtext\r\n```\rx\r```\r".to_vec()) {
            Read::Text(text) => assert_eq!(text.text, "# A\n\ntext\r\n```\nx\n```\n"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn size_limit_and_non_regular_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = crate::fsio::Root::new(dir.path()).unwrap();
        let big = dir.path().join("big.md");
        std::fs::write(&big, "x".repeat(100)).unwrap();
        assert!(note(read_runbook(&big, &root, 99)).contains("over the 99 byte limit"));
        assert!(matches!(read_runbook(&big, &root, 100), Read::Text(_)));
        assert!(note(read_runbook(dir.path(), &root, 100)).contains("not a regular file"));
        assert!(matches!(
            read_runbook(&dir.path().join("missing.md"), &root, 100),
            Read::Fail(_)
        ));
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let root = crate::fsio::Root::new(dir.path()).unwrap();
        let link = dir.path().join("loop.md");
        std::os::unix::fs::symlink(&link, &link).unwrap();
        assert!(note(read_runbook(&link, &root, 100)).contains("symbolic link"));
    }
}
