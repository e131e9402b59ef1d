use super::Cx;
use crate::diagnostic::did_you_mean_text;

declare_rule! {
    /// ## What it does
    /// Checks relative Markdown links and images (inline and reference-style): the target file
    /// or directory must exist in the repository, and a `#anchor` must match a heading of the
    /// target Markdown file (GitHub's slugs, with `-1`, `-2` suffixes for repeated headings) or
    /// an HTML `id`/`name` in it. `#anchor` alone refers to the runbook itself. External URLs
    /// are never fetched, and links leaving the repository are not checked.
    ///
    /// ## Why is this bad?
    /// "See [Rollback Procedures](rollback.md)" is the link read in the worst moment of an
    /// incident. When the file moved or the heading was renamed, the reader lands on a 404 or
    /// at the top of a long page.
    ///
    /// ## Example
    /// ```markdown
    /// If the deploy fails, follow [rollback](./rollback.md#undo-migrations).
    /// ```
    ///
    /// Use instead (the file and heading that exist):
    /// ```markdown
    /// If the deploy fails, follow [rollback](./runbooks/rollback.md#undoing-a-migration).
    /// ```
    pub struct BrokenLink {
        id: "broken-link",
        severity: Error,
        summary: "a relative link points to a missing file or heading",
    }
}

impl BrokenLink {
    fn run(&self, cx: &mut Cx<'_, '_>) {
        if cx.project.files.is_empty() {
            return;
        }
        // Computed on the first in-page anchor link, then shared by the others.
        let own_anchors = std::cell::OnceCell::new();
        for link in &cx.doc.links {
            let dest = link.dest.trim();
            if dest.is_empty() || is_external(dest) {
                continue;
            }
            let (path, anchor) = match dest.split_once('#') {
                Some((p, a)) => (p, Some(a)),
                None => (dest, None),
            };
            let path = path.split('?').next().unwrap_or(path);
            let path = percent_decode(path);
            if path.contains(['<', '>', '{', '}', '$', '*']) {
                continue; // a placeholder or template
            }
            let what = if link.image { "image" } else { "link" };
            let target = if path.is_empty() {
                Some(cx.path.to_string())
            } else if let Some(rooted) = path.strip_prefix('/') {
                let top = rooted.split('/').next().unwrap_or("");
                if LOCAL_ROOTS.contains(&top) {
                    cx.report(
                        link.span,
                        format!("{what} target `{path}` is a file on the author's machine"),
                    )
                    .label("absolute local path")
                    .help("link to the file relative to this runbook instead");
                    continue;
                }
                // GitHub resolves `/x` from the repository root, but a docs site resolves it
                // from the site root: check it only when it points into a real top-level entry.
                if !cx.project.has_dir(top) && !cx.project.has_file(top) {
                    continue;
                }
                crate::paths::join("", rooted)
            } else {
                crate::paths::join(cx.dir(), &path)
            };
            let Some(target) = target else {
                continue; // leaves the repository
            };
            if !path.is_empty()
                && !cx.project.has_file(&target)
                && !cx.project.has_dir(&target)
                && !cx.project.ignored.is_ignored(&target)
            {
                let name = target.rsplit('/').next().unwrap_or(&target);
                let candidates = cx
                    .project
                    .files
                    .iter()
                    .filter(|f| f.rsplit('/').next() == Some(name));
                let moved: Vec<&String> = candidates.take(3).collect();
                let help = if moved.is_empty() {
                    format!(
                        "`{target}` is not in the repository; fix the path or remove the {what}"
                    )
                } else {
                    format!(
                        "a file by that name exists at {}",
                        moved
                            .iter()
                            .map(|m| format!("`{m}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                cx.report(link.span, format!("{what} target `{path}` does not exist"))
                    .label("no such file")
                    .help(help);
                continue;
            }
            let Some(anchor) = anchor else {
                continue;
            };
            let anchor = percent_decode(anchor);
            let is_markdown = crate::manifests::is_markdown(&target);
            if anchor.is_empty()
                || !is_markdown
                || anchor.starts_with("L") && anchor[1..].starts_with(|c: char| c.is_ascii_digit())
            {
                continue;
            }
            // This runbook's own anchors come from its model; another file's from the cache.
            let anchors = if target == cx.path {
                own_anchors
                    .get_or_init(|| std::sync::Arc::new(cx.doc.link_anchors(cx.source)))
                    .clone()
            } else {
                match cx.project.anchors.anchors(&target) {
                    Some(set) => set,
                    None => continue,
                }
            };
            let wanted = anchor.to_lowercase();
            let wanted = wanted.strip_prefix("user-content-").unwrap_or(&wanted);
            if anchors.iter().any(|a| a.to_lowercase() == wanted) {
                continue;
            }
            let file = if target == cx.path {
                "this file".to_string()
            } else {
                format!("`{target}`")
            };
            let help = match did_you_mean_text(wanted, anchors.iter().map(String::as_str)) {
                Some(hint) => hint,
                None => format!("{file} has no heading with this anchor"),
            };
            cx.report(link.span, format!("anchor `#{anchor}` not found in {file}"))
                .label("no such heading")
                .help(help);
        }
    }
}

/// First components of absolute paths that only exist on someone's computer.
const LOCAL_ROOTS: &[&str] = &["Users", "home", "root", "mnt", "private", "tmp", "var"];

/// True for a URL with a scheme (`https:`, `mailto:`) or a protocol-relative `//host`.
fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    match dest.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && !scheme.contains(['/', '#', '.'])
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-')
        }
        None => false,
    }
}

/// `%20` and other percent escapes decoded (invalid escapes kept as written).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && bytes[i + 1].is_ascii_hexdigit()
            && bytes[i + 2].is_ascii_hexdigit()
        {
            let hex = |b: u8| (b as char).to_digit(16).unwrap_or(0) as u8;
            out.push(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::check;

    #[test]
    fn decodes_and_detects_schemes() {
        assert_eq!(percent_decode("My%20File.md"), "My File.md");
        assert_eq!(percent_decode("100%"), "100%");
        assert!(is_external("https://x") && is_external("mailto:a@b") && !is_external("./a.md"));
    }

    #[test]
    fn reports_missing_files_and_own_anchors() {
        let facts = crate::facts::ProjectFacts {
            files: [
                "docs/runbook.md".to_string(),
                "docs/rollback.md".to_string(),
            ]
            .into(),
            dirs: ["docs".to_string()].into(),
            ..Default::default()
        };
        let md = "# Deploy\n\n## Steps\n\nSee [r](rollback.md), [gone](old.md), [s](#steps), [x](#nope), [web](https://x/y.md), [up](../README.md),\n[site](/guide/intro), [mine](/Users/me/repo/docs/rollback.md), [root](/docs/gone.md).\n";
        let found = check(&BrokenLink, md, &facts);
        assert_eq!(
            found,
            vec![
                (5, "link target `old.md` does not exist".to_string()),
                (5, "anchor `#nope` not found in this file".to_string()),
                (5, "link target `../README.md` does not exist".to_string()),
                (
                    6,
                    "link target `/Users/me/repo/docs/rollback.md` is a file on the author's machine"
                        .to_string()
                ),
                (6, "link target `/docs/gone.md` does not exist".to_string()),
            ]
        );
    }
}
