//! Defensive file reading and the worker pool: whatever people commit (binary files named
//! `.md`, Windows-1252 text, FIFOs, symlink loops, huge generated files), a run never hangs,
//! never panics and never loses the findings of the good files.

use std::io::Read as _;
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
#[derive(Debug)]
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
    Fail(std::io::Error),
}

/// Reads a Markdown file for linting, at most `max_bytes` of it.
pub fn read_runbook(path: &Path, max_bytes: u64) -> Read {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(error) => {
            // A symlink whose target is missing or loops back is not a runbook to fail on.
            if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
                return Read::Skip(format!(
                    "skipped, broken or looping symbolic link ({error})"
                ));
            }
            return Read::Fail(error);
        }
    };
    if !meta.is_file() {
        // Reading a FIFO or a device could block forever.
        return Read::Skip("skipped, not a regular file".to_string());
    }
    if meta.len() > max_bytes {
        return Read::Skip(too_big(meta.len(), max_bytes));
    }
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(error) => return Read::Fail(error),
    };
    // The file may grow between metadata and read: never read past the limit.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    if let Err(error) = file
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
    {
        return Read::Fail(error);
    }
    if bytes.len() as u64 > max_bytes {
        return Read::Skip(too_big(bytes.len() as u64, max_bytes));
    }
    decode(bytes)
}

/// Decides what bytes are: binary (skipped), UTF-8, or decoded lossily.
pub fn decode(bytes: Vec<u8>) -> Read {
    if bytes[..bytes.len().min(BINARY_SNIFF_BYTES)].contains(&0) {
        return Read::Skip("skipped, binary file (NUL bytes)".to_string());
    }
    match String::from_utf8(bytes) {
        Ok(text) => Read::Text(Text { text, lossy: false }),
        Err(error) => Read::Text(Text {
            text: String::from_utf8_lossy(error.as_bytes()).into_owned(),
            lossy: true,
        }),
    }
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
    fn size_limit_and_non_regular_files() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.md");
        std::fs::write(&big, "x".repeat(100)).unwrap();
        assert!(note(read_runbook(&big, 99)).contains("over the 99 byte limit"));
        assert!(matches!(read_runbook(&big, 100), Read::Text(_)));
        assert!(note(read_runbook(dir.path(), 100)).contains("not a regular file"));
        assert!(matches!(
            read_runbook(&dir.path().join("missing.md"), 100),
            Read::Fail(_)
        ));
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("loop.md");
        std::os::unix::fs::symlink(&link, &link).unwrap();
        assert!(note(read_runbook(&link, 100)).contains("symbolic link"));
    }
}
