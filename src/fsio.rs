//! Every file the tool opens, it opens here: runbooks, manifests, linked Markdown, ignore files,
//! the config, rule packs and baselines are read by [`read`]; reports, baselines and the starter
//! config are written by [`write_atomic`] and [`create_new`].
//!
//! runbook-lint runs in CI on content anyone can propose, so a read never trusts the path:
//! only regular files are opened (a FIFO would block forever, `/dev/zero` never ends), a
//! project file must resolve inside the canonical project root (a committed
//! `package.json -> /proc/self/environ` is refused, not printed), and no read goes past its
//! byte limit, whatever the file's size claims or however it grows meanwhile.
//!
//! `clippy.toml` forbids the std and `ignore` functions that open files everywhere else, so
//! this stays the only way in (`cargo clippy` fails on a new `std::fs::read_to_string`).
#![allow(clippy::disallowed_methods)] // the one module allowed to open files

use std::io::{self, Read as _, Write as _};
use std::path::{Path, PathBuf};

/// Limit for manifests, ignore files, the config and rule packs: no real one comes close.
pub const MAX_PROJECT_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// Limit for a baseline file (one entry is a few hundred bytes: a million findings fit).
pub const MAX_BASELINE_BYTES: u64 = 512 * 1024 * 1024;

/// A directory that project files must stay inside, canonicalised once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Root {
    canonical: PathBuf,
}

impl Root {
    /// The root at `path` (which must exist).
    pub fn new(path: &Path) -> io::Result<Root> {
        Ok(Root {
            canonical: path.canonicalize()?,
        })
    }

    /// The canonical path.
    pub fn path(&self) -> &Path {
        &self.canonical
    }
}

/// The root a file named on the command line (`--config`, `--baseline`) must stay inside:
/// the directory the user runs in (`base`) when the path, as written, lies inside it (a
/// committed `ci/baseline.json -> /proc/self/environ` must not lead out), and none when the
/// user named a path outside it themselves (`--config /etc/runbook-lint.toml`).
pub fn user_path_root(base: &Path, path: &Path) -> Option<Root> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    };
    let mut normal = PathBuf::new();
    for component in absolute.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    if normal.starts_with(base) {
        Root::new(base).ok()
    } else {
        None
    }
}

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// It could not be found, opened or read.
    Io(io::Error),
    /// A symbolic link whose target is missing or loops back.
    BrokenLink(io::Error),
    /// A directory, FIFO, socket or device.
    NotRegular,
    /// It resolves (through a symbolic link or `..`) to a file outside the project root.
    OutsideRoot,
    /// Larger than the limit.
    TooBig {
        /// Its size, or the bytes read before stopping.
        len: u64,
        /// The limit.
        limit: u64,
    },
    /// Not valid UTF-8 (from [`read_string`] only).
    NotUtf8 {
        /// Bytes before the first invalid sequence.
        valid_up_to: usize,
    },
}

impl ReadError {
    /// True for `NotFound`.
    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::Io(e) if e.kind() == io::ErrorKind::NotFound)
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(error) => f.write_str(&io_message(error)),
            ReadError::BrokenLink(error) => {
                write!(f, "broken or looping symbolic link ({error})")
            }
            ReadError::NotRegular => f.write_str("not a regular file"),
            ReadError::OutsideRoot => f.write_str("resolves to a file outside the project root"),
            ReadError::TooBig { len, limit } => {
                write!(f, "{len} bytes is over the {limit} byte limit")
            }
            ReadError::NotUtf8 { valid_up_to } => {
                write!(f, "not valid UTF-8 (byte {})", valid_up_to + 1)
            }
        }
    }
}

/// An I/O error in the words the reports use.
pub fn io_message(error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => error.to_string(),
    }
}

/// Reads at most `limit` bytes of the regular file at `path`; with a `root`, only when the
/// file resolves inside it.
pub fn read(path: &Path, root: Option<&Root>, limit: u64) -> Result<Vec<u8>, ReadError> {
    let (file, len) = open_regular(path, root)?;
    if len > limit {
        return Err(ReadError::TooBig { len, limit });
    }
    // Never past the limit, even if the file grows meanwhile; the capacity is the size seen,
    // never the limit.
    let mut bytes = Vec::with_capacity(len.min(limit) as usize);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooBig {
            len: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// The first `limit` bytes at most of the regular file at `path` (the whole file when it is
/// shorter), with the same checks as [`read`]: for sniffing what a file is before reading it
/// all (a YAML file that may be a Kubernetes manifest).
pub fn read_prefix(path: &Path, root: Option<&Root>, limit: u64) -> Result<Vec<u8>, ReadError> {
    let (file, len) = open_regular(path, root)?;
    let mut bytes = Vec::with_capacity(len.min(limit) as usize);
    file.take(limit)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    Ok(bytes)
}

/// Opens the regular file at `path` (inside `root` when given) and says its size, checking
/// what it is before opening it (opening a FIFO blocks, opening some devices has effects)
/// and again through the open handle.
fn open_regular(path: &Path, root: Option<&Root>) -> Result<(std::fs::File, u64), ReadError> {
    let own = std::fs::symlink_metadata(path).map_err(ReadError::Io)?;
    // Metadata through the link: a regular file, and its size, before anything is opened.
    let meta = if own.file_type().is_symlink() {
        std::fs::metadata(path).map_err(ReadError::BrokenLink)?
    } else {
        own
    };
    // The path that is opened: the resolved one when containment was checked, so what was
    // checked is what is read.
    let target: PathBuf = match root {
        Some(root) => {
            let real = path.canonicalize().map_err(ReadError::Io)?;
            if !real.starts_with(root.path()) {
                return Err(ReadError::OutsideRoot);
            }
            real
        }
        None => path.to_path_buf(),
    };
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    let file = open_for_reading(&target).map_err(ReadError::Io)?;
    // The file may have been swapped for a FIFO since the check: ask the open handle.
    if !file.metadata().map_err(ReadError::Io)?.is_file() {
        return Err(ReadError::NotRegular);
    }
    Ok((file, meta.len()))
}

/// [`read`], as UTF-8 text.
pub fn read_string(path: &Path, root: Option<&Root>, limit: u64) -> Result<String, ReadError> {
    let bytes = read(path, root, limit)?;
    String::from_utf8(bytes).map_err(|error| ReadError::NotUtf8 {
        valid_up_to: error.utf8_error().valid_up_to(),
    })
}

/// Opens without blocking on a FIFO and without acquiring a controlling terminal.
fn open_for_reading(path: &Path) -> io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    options.open(path)
}

/// Writes `bytes` to `path` all or nothing: to a temporary file in the same directory, then
/// renamed over `path`. A full disk leaves the old file, never a truncated one; two concurrent
/// runs each leave a whole report; a symbolic link at `path` is replaced, not written through.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // What a plain create would give (0666 less the umask), or the replaced file's mode.
        let mode = std::fs::symlink_metadata(path)
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.permissions().mode() & 0o7777)
            .unwrap_or(0o666);
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    let mut file = builder.tempfile_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|error| error.error)?;
    Ok(())
}

/// Creates `path` with `bytes`; fails when anything (a dangling symbolic link included) is
/// already there.
pub fn create_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(bytes)
}

/// An anonymous temporary file, gone when dropped (on Unix it never has a name others could
/// open): a report too large to hold in memory is spooled there before it is written out.
pub fn spool() -> std::io::Result<std::fs::File> {
    tempfile::tempfile()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_regular_files() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        std::fs::write(&file, "x".repeat(100)).unwrap();
        assert_eq!(read(&file, None, 100).unwrap().len(), 100);
        assert!(matches!(
            read(&file, None, 99),
            Err(ReadError::TooBig {
                len: 100,
                limit: 99
            })
        ));
        assert!(matches!(
            read(dir.path(), None, 100),
            Err(ReadError::NotRegular)
        ));
        let missing = read(&dir.path().join("none"), None, 1).unwrap_err();
        assert!(missing.is_not_found());
        assert_eq!(missing.to_string(), "no such file or directory");
    }

    #[test]
    fn prefixes_stop_at_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.yaml");
        std::fs::write(&file, "x".repeat(100)).unwrap();
        let root = Root::new(dir.path()).unwrap();
        assert_eq!(read_prefix(&file, Some(&root), 10).unwrap().len(), 10);
        assert_eq!(read_prefix(&file, Some(&root), 1000).unwrap().len(), 100);
        assert!(matches!(
            read_prefix(dir.path(), None, 10),
            Err(ReadError::NotRegular)
        ));
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_outside_the_root_and_devices_are_refused() {
        let outer = tempfile::tempdir().unwrap();
        std::fs::write(outer.path().join("secret"), "MARKER").unwrap();
        let root_dir = outer.path().join("repo");
        std::fs::create_dir(&root_dir).unwrap();
        std::fs::write(root_dir.join("inside"), "ok").unwrap();
        let root = Root::new(&root_dir).unwrap();
        std::os::unix::fs::symlink(outer.path().join("secret"), root_dir.join("out")).unwrap();
        std::os::unix::fs::symlink("inside", root_dir.join("in")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", root_dir.join("zero")).unwrap();
        assert!(matches!(
            read(&root_dir.join("out"), Some(&root), 100),
            Err(ReadError::OutsideRoot)
        ));
        assert!(matches!(
            read(&root_dir.join("../secret"), Some(&root), 100),
            Err(ReadError::OutsideRoot)
        ));
        assert_eq!(read(&root_dir.join("in"), Some(&root), 100).unwrap(), b"ok");
        // Not contained: the link is followed, but still only to a regular file.
        assert_eq!(read(&root_dir.join("out"), None, 100).unwrap(), b"MARKER");
        assert!(matches!(
            read(&root_dir.join("zero"), None, 100),
            Err(ReadError::NotRegular)
        ));
        assert!(matches!(
            read(Path::new("/dev/zero"), None, 100),
            Err(ReadError::NotRegular)
        ));
    }

    #[test]
    fn command_line_paths_are_contained_when_written_inside_the_directory() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path();
        assert!(user_path_root(base, Path::new("ci/baseline.json")).is_some());
        assert!(user_path_root(base, &base.join("x.toml")).is_some());
        assert!(user_path_root(base, Path::new("../elsewhere.toml")).is_none());
        assert!(user_path_root(base, Path::new("/etc/runbook-lint.toml")).is_none());
    }

    #[test]
    fn atomic_writes_replace_whole_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.sarif");
        write_atomic(&path, b"first").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        // Nothing left behind but the report.
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
        assert!(write_atomic(dir.path(), b"x").is_err(), "a directory");
        assert!(create_new(&path, b"x").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn writes_never_go_through_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "keep").unwrap();
        let link = dir.path().join("out.json");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        write_atomic(&link, b"report").unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"keep");
        assert_eq!(std::fs::read(&link).unwrap(), b"report");
        let dangling = dir.path().join("runbook-lint.toml");
        std::os::unix::fs::symlink(dir.path().join("elsewhere"), &dangling).unwrap();
        assert!(create_new(&dangling, b"x").is_err());
        assert!(!dir.path().join("elsewhere").exists());
    }
}
