//! The paths git tracks, read from the repository's index file (`.git/index`) without running
//! git: a committed `.env.example` is part of the repository even when a `.env*` line of
//! `.gitignore` hides it from the walker.
//!
//! The index format (git's `Documentation/gitformat-index.txt`): a 12-byte header (`DIRC`,
//! version 2, 3 or 4, entry count), then one entry per path: 40 bytes of stat data, the object
//! id (20 bytes for SHA-1, 32 for SHA-256), 2 bytes of flags (version 3+: 2 more when the
//! extended bit is set), and the path. Versions 2 and 3 write the path NUL-terminated and pad
//! the entry to a multiple of 8 bytes; version 4 writes how many bytes of the previous path
//! to drop (a variable-length integer) and the rest NUL-terminated, with no padding. Nothing
//! after the entries (extensions, checksum) is needed. A file that does not read as an index
//! gives nothing, never an error: the walker's listing stands.

use std::path::{Path, PathBuf};

/// Largest index read (a repository of a few hundred thousand files).
const MAX_INDEX_BYTES: u64 = 128 * 1024 * 1024;

/// Stat data before the object id.
const STAT_BYTES: usize = 40;

/// The work tree's top directory holding `start` (the nearest ancestor with a `.git`), and
/// the index file of that repository (`.git/index`, or the one a `.git` file's `gitdir:`
/// names, as in worktrees and submodules).
pub fn find_index(start: &Path) -> Option<(PathBuf, PathBuf)> {
    let top = start.ancestors().find(|a| a.join(".git").exists())?;
    let dot_git = top.join(".git");
    if dot_git.is_dir() {
        return Some((top.to_path_buf(), dot_git.join("index")));
    }
    let text = crate::fsio::read_string(&dot_git, None, 4096).ok()?;
    let gitdir = text.lines().find_map(|l| l.strip_prefix("gitdir:"))?.trim();
    let gitdir = Path::new(gitdir);
    let gitdir = if gitdir.is_absolute() {
        gitdir.to_path_buf()
    } else {
        top.join(gitdir)
    };
    Some((top.to_path_buf(), gitdir.join("index")))
}

/// The paths tracked in the repository holding `start`, `/`-separated and relative to the
/// repository's top, with that top; `None` outside a repository or when its index cannot be
/// read (a new repository has none).
pub fn tracked(start: &Path) -> Option<(PathBuf, Vec<String>)> {
    let (top, index) = find_index(start)?;
    // The index may live outside the work tree (a worktree's is under the main repository's
    // `.git`): only a regular file is read, within the size limit, and nothing of it but
    // path names is used.
    let bytes = crate::fsio::read(&index, None, MAX_INDEX_BYTES).ok()?;
    Some((top, parse(&bytes)?))
}

/// The paths of an index file, or `None` when the bytes are not one.
pub fn parse(bytes: &[u8]) -> Option<Vec<String>> {
    if bytes.get(..4)? != b"DIRC" {
        return None;
    }
    let version = be32(bytes, 4)?;
    if !(2..=4).contains(&version) {
        return None;
    }
    let count = be32(bytes, 8)? as usize;
    // SHA-1 repositories are the rule; a SHA-256 one reads as garbage with 20, so try 32.
    parse_entries(bytes, version, count, 20).or_else(|| parse_entries(bytes, version, count, 32))
}

fn parse_entries(bytes: &[u8], version: u32, count: usize, hash: usize) -> Option<Vec<String>> {
    // Each entry takes at least 62 bytes: a count the file cannot hold is not an index.
    if count > bytes.len() / (STAT_BYTES + hash + 2) {
        return None;
    }
    let mut paths = Vec::with_capacity(count);
    let mut at = 12;
    let mut previous: Vec<u8> = Vec::new();
    for _ in 0..count {
        let entry = at;
        let mode = be32(bytes, entry + 24)?;
        let flags = u16::from_be_bytes(
            bytes
                .get(entry + STAT_BYTES + hash..entry + STAT_BYTES + hash + 2)?
                .try_into()
                .ok()?,
        );
        let mut name_at = entry + STAT_BYTES + hash + 2;
        if flags & 0x4000 != 0 {
            if version < 3 {
                return None;
            }
            name_at += 2;
        }
        let name_len = usize::from(flags & 0x0fff);
        let path = if version == 4 {
            let (drop, used) = varint(bytes.get(name_at..)?)?;
            let keep = previous.len().checked_sub(drop)?;
            let start = name_at + used;
            let end = start + bytes.get(start..)?.iter().position(|&b| b == 0)?;
            let mut path = previous[..keep].to_vec();
            path.extend_from_slice(&bytes[start..end]);
            at = end + 1;
            path
        } else {
            let end = name_at + bytes.get(name_at..)?.iter().position(|&b| b == 0)?;
            // A name of 0xfff bytes or more is stored whole; its length field is 0xfff.
            if name_len < 0x0fff && end - name_at != name_len {
                return None;
            }
            let path = bytes[name_at..end].to_vec();
            // Padded with NULs to a multiple of 8 bytes from the entry's start.
            let length = end - entry + 1;
            at = entry + length.div_ceil(8) * 8;
            path
        };
        // Stage 0 entries of files and links; a sparse index's directory entries (mode
        // 040000) and conflict stages are not files of the work tree.
        let stage = (flags >> 12) & 0x3;
        let file_mode = mode & 0o170000;
        if stage == 0 && (file_mode == 0o100000 || file_mode == 0o120000) {
            paths.push(String::from_utf8_lossy(&path).into_owned());
        } else if file_mode != 0o040000
            && file_mode != 0o100000
            && file_mode != 0o120000
            && file_mode != 0o160000
        {
            return None;
        }
        previous = path;
    }
    Some(paths)
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// Git's offset encoding (`varint.c`): 7 bits a byte, high bit set while more follow, each
/// continuation adding one before the shift. Returns the value and the bytes used.
fn varint(bytes: &[u8]) -> Option<(usize, usize)> {
    let mut used = 0;
    let mut byte = *bytes.first()?;
    let mut value = usize::from(byte & 0x7f);
    while byte & 0x80 != 0 {
        used += 1;
        byte = *bytes.get(used)?;
        value = value.checked_add(1)?.checked_mul(128)? | usize::from(byte & 0x7f);
    }
    Some((value, used + 1))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An index of `paths` (regular files, stage 0) in `version`, written as git writes it.
    pub(crate) fn index_bytes(version: u32, paths: &[&str]) -> Vec<u8> {
        let mut out = b"DIRC".to_vec();
        out.extend(version.to_be_bytes());
        out.extend((paths.len() as u32).to_be_bytes());
        let mut previous: &str = "";
        for path in paths {
            let entry = out.len();
            let mut stat = [0u8; STAT_BYTES];
            stat[24..28].copy_from_slice(&0o100644u32.to_be_bytes());
            out.extend(stat);
            out.extend([0xab; 20]);
            let extended = version == 3 && path.contains("ext");
            let mut flags = (path.len().min(0xfff)) as u16;
            if extended {
                flags |= 0x4000;
            }
            out.extend(flags.to_be_bytes());
            if extended {
                out.extend([0, 0]);
            }
            if version == 4 {
                let common = previous
                    .bytes()
                    .zip(path.bytes())
                    .take_while(|(a, b)| a == b)
                    .count();
                out.extend(encode_varint(previous.len() - common));
                out.extend(&path.as_bytes()[common..]);
                out.push(0);
            } else {
                out.extend(path.as_bytes());
                let length = out.len() - entry + 1;
                let padded = length.div_ceil(8) * 8;
                out.extend(std::iter::repeat_n(0, padded - (out.len() - entry)));
            }
            previous = path;
        }
        out.extend([0u8; 20]); // checksum: not read
        out
    }

    fn encode_varint(mut value: usize) -> Vec<u8> {
        let mut bytes = vec![(value & 0x7f) as u8];
        while value >= 0x80 {
            value = (value >> 7) - 1;
            bytes.push(0x80 | (value & 0x7f) as u8);
        }
        bytes.reverse();
        bytes
    }

    #[test]
    fn versions_two_three_and_four() {
        let paths = [
            ".env.example",
            "apps/api/.env.example",
            "apps/api/ext/long-name.env.sample",
            "apps/web/package.json",
        ];
        for version in [2, 3, 4] {
            let bytes = index_bytes(version, &paths);
            assert_eq!(parse(&bytes).unwrap(), paths, "version {version}");
        }
    }

    #[test]
    fn varints_round_trip() {
        for value in [0, 1, 127, 128, 255, 16_511, 16_512, 1_000_000] {
            assert_eq!(
                varint(&encode_varint(value)).unwrap(),
                (value, encode_varint(value).len())
            );
        }
    }

    #[test]
    fn other_bytes_are_not_an_index() {
        assert!(parse(b"").is_none());
        assert!(parse(b"DIRC\0\0\0\x05\0\0\0\0").is_none());
        assert!(parse(b"PACK\0\0\0\x02\0\0\0\0").is_none());
        // A count the file cannot hold, and entries cut short.
        assert!(parse(b"DIRC\0\0\0\x02\xff\xff\xff\xff").is_none());
        let bytes = index_bytes(2, &["a/b.txt", "c.txt"]);
        for cut in [20, 70, 90] {
            assert!(parse(&bytes[..cut]).is_none(), "{cut}");
        }
        assert_eq!(parse(&index_bytes(2, &[])).unwrap(), Vec::<String>::new());
    }

    #[test]
    fn worktree_git_files_name_their_index() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(repo.join("docs")).unwrap();
        std::fs::write(repo.join(".git"), "gitdir: ../main/.git/worktrees/repo\n").unwrap();
        let (top, index) = find_index(&repo.join("docs")).unwrap();
        assert_eq!(top, repo);
        assert_eq!(index, repo.join("../main/.git/worktrees/repo/index"));
        assert!(tracked(&repo).is_none(), "no index file there");
    }
}
