use std::collections::HashMap;
use std::sync::{Arc, LazyLock, OnceLock};

use regex::Regex;

use super::{Cx, RuleContext};
use crate::diagnostic::{did_you_mean_text, Severity};
use crate::document::anchors::percent_decode;
use crate::document::{AnchorMatch, AnchorStyle, Anchors, Link, LinkKind};
use crate::fix::{closest, replacement_fix, Applicability, Fix};
use crate::span::Span;

declare_rule! {
    /// ## What it does
    /// Checks relative Markdown links and images (inline and reference-style): the target file
    /// or directory must exist in the repository, and a `#anchor` must be an anchor of the
    /// target Markdown file as the page is rendered. `#anchor` alone refers to the runbook
    /// itself. External URLs are never fetched, and links leaving the repository are not
    /// checked.
    ///
    /// What is a file: a destination with a URI scheme (`https:`, `mailto:`, `tel:`,
    /// `slack:`, ...), `//host/...` and `<ops@example.com>` autolinks never are. A `?query` is
    /// dropped, `%20` escapes are decoded once, a link to an existing directory is valid, and a
    /// title (`[x](file.md "Title")`) or a reference definition (`[x][ref]`) changes nothing.
    /// `/path` links are resolved from the repository root, or, for a page of a documentation
    /// site, from the site's root (MkDocs: `docs_dir`; Docusaurus: the docs route, `static/`,
    /// `src/pages/`), where `/guide/setup` may name `guide/setup.md` or `guide/setup/index.md`;
    /// a `/path` outside both is left alone. `((https://...))`, a URL in extra parentheses,
    /// is reported as malformed; `ops@example.com` or `www.example.com` written as a path is
    /// reported with the fix.
    ///
    /// Which anchors a page has depends on what renders it:
    /// - **GitHub** (the default): github-slugger's algorithm, the one github.com uses: lower
    ///   case; punctuation, symbols, emoji and other numbers (`²`, `①`) dropped by Unicode
    ///   category; letters, combining marks (`U+FE0F` of `⚠️`), digits, `-` and `_` kept;
    ///   each space a `-`; repeats numbered `-1`, `-2` past existing slugs (`Setup`, `Setup`,
    ///   `Setup 1` → `setup`, `setup-1`, `setup-1-1`). The heading text is what GitHub shows:
    ///   image alt text, HTML tags and comments left out, `&#x20;` kept. GitHub shows
    ///   `## Title {#id}` with the braces, so `#id` is reported there.
    /// - **MkDocs / Zensical** (Markdown under the `docs_dir` of a `mkdocs.yml` or
    ///   `zensical.toml`): `{#id}` and `{: #id .class }` set the id; other headings get
    ///   `toc`'s slugify (accents folded to ASCII, `_1`, `_2` for repeats), or its Unicode
    ///   variant when the config names `slugify_unicode` or `pymdownx.slugs`.
    /// - **Docusaurus** (Markdown under the docs, blog and pages folders of a
    ///   `docusaurus.config.*`): github-slugger, and `{#id}` sets the id.
    ///
    /// `anchors = "github" | "mkdocs" | "docusaurus"` in the config decides for every file
    /// instead. In every style an HTML `id` or `name` on any element (quoted or not, in an HTML
    /// block or inline HTML, never in code or prose) is an anchor, and so are `#top` and
    /// GitHub's line links (`#L7`, `#L7-L9`, `#L3C24-L88C2`); a `user-content-` prefix is
    /// ignored.
    ///
    /// Case: GitHub writes heading anchors in lower case and browsers match ids exactly, so an
    /// anchor that matches only when case is ignored (`#Heading-Name`) is a warning, not an
    /// error: it works on some renderers and not others.
    ///
    /// Deliberate differences from markdownlint's MD051 (`link-fragments`):
    /// - `{#id}` heading attributes count only on MkDocs and Docusaurus pages, since
    ///   github.com shows them as text (MD051 accepts them everywhere).
    /// - A `name` counts on any element and beside an `id` (`<a id="a" name="b">` defines
    ///   both), since GitHub keeps `name` attributes and resolves fragments by them (MD051
    ///   reads `name` only on `<a>` without `id`).
    /// - `#ToP` is accepted like `#top`: browsers match `top` ignoring case.
    /// - A case-only mismatch is a warning, where MD051 reports an error.
    /// - A broken reference-style link is reported where it is used (each use), where MD051
    ///   reports its definition.
    ///
    /// ## Why is this bad?
    /// `See [Rollback Procedures](rollback.md)` is the link read in the worst moment of an
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
        let own_anchors: OnceLock<Arc<Anchors>> = OnceLock::new();
        // One did-you-mean per distinct broken anchor of a file, not per link to it.
        let mut suggestions = Suggestions::new();
        let mut fix_indexes: HashMap<String, FixIndex> = HashMap::new();
        let doc = cx.doc;
        for link in &doc.links {
            if link.kind == LinkKind::Email {
                continue;
            }
            let dest = link.dest.trim();
            if dest.is_empty() {
                continue;
            }
            match classify(dest) {
                Destination::External => {}
                Destination::Malformed(help) => {
                    cx.report(link.span, format!("malformed link target `{dest}`"))
                        .label("not a URL or a path")
                        .help(help);
                }
                Destination::Local { path, anchor } => {
                    let page = Page {
                        own_anchors: &own_anchors,
                        suggestions: &mut suggestions,
                        fix_indexes: &mut fix_indexes,
                    };
                    check_local(cx, link, &path, anchor, page)
                }
            }
        }
    }
}

/// What a link destination is.
enum Destination<'a> {
    /// A URL with a scheme or a `//host`: never a file.
    External,
    /// Neither a URL nor a path; the help says how to fix it.
    Malformed(String),
    /// A path in the repository (percent-decoded, `?query` dropped), maybe with an anchor.
    Local {
        path: String,
        anchor: Option<&'a str>,
    },
}

fn classify(dest: &str) -> Destination<'_> {
    if dest.starts_with("//") || has_scheme(dest) {
        return Destination::External;
    }
    // Only the path may not hold `://`: `go.html?to=https://x` and `#https://x` are fine.
    let path_part = dest.split(['?', '#']).next().unwrap_or(dest);
    if let Some(url) = path_part.find("://").map(|i| &dest[..i]) {
        // `((https://x))` leaves `(https://x)`; `see:https://x` and the like are typos.
        let inner = dest.trim_matches(|c| matches!(c, '(' | ')' | '[' | ']' | '<' | '>' | '"'));
        let help = if inner != dest && has_scheme(inner) {
            format!("the URL is wrapped in extra brackets or quotes: write `[text]({inner})`")
        } else {
            format!(
                "`{url}` is not a URL scheme; write the link as `https://...` or a relative path"
            )
        };
        return Destination::Malformed(help);
    }
    let (path, anchor) = match dest.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor)),
        None => (dest, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    Destination::Local {
        path: percent_decode(path),
        anchor,
    }
}

/// True for `scheme:` per RFC 3986 (a letter, then letters, digits, `+`, `-`, `.`): such a
/// destination is a URL for every browser, never a path.
fn has_scheme(dest: &str) -> bool {
    let Some((scheme, _)) = dest.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// GitHub's line links: `#L7`, `#L7-L9`, `#L3C24-L88C2` (a column only in a range).
static LINE_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^L\d+(?:C\d+)?-L\d+(?:C\d+)?$|^L\d+$").expect("line link regex"));

/// Extensions of files rendered as Markdown pages (their anchors are checked).
const PAGE_EXTENSIONS: &[&str] = &[".md", ".markdown", ".mdown", ".mkd", ".mdx"];

/// Did-you-mean text per `(target file, wanted anchor)`.
type Suggestions = HashMap<(String, String), Option<String>>;

/// What the links of one runbook share: its own anchors, the did-you-means made so far, and
/// each target's anchors indexed for fixes.
struct Page<'a> {
    own_anchors: &'a OnceLock<Arc<Anchors>>,
    suggestions: &'a mut Suggestions,
    fix_indexes: &'a mut HashMap<String, FixIndex>,
}

/// A target's anchors as the fixes look them up, built once per target: a scan (and a copy)
/// of every anchor per broken link made a page of thousands of headings and broken links
/// quadratic.
struct FixIndex {
    /// Every anchor, sorted.
    names: Vec<String>,
    /// ASCII-lower-cased anchor → the first anchor (in sorted order) with that spelling.
    folded: HashMap<String, String>,
}

impl FixIndex {
    fn new(anchors: &Anchors) -> Self {
        let names: Vec<String> = anchors.names().map(str::to_string).collect();
        let mut folded = HashMap::new();
        for name in &names {
            folded
                .entry(name.to_ascii_lowercase())
                .or_insert_with(|| name.clone());
        }
        FixIndex { names, folded }
    }
}

fn check_local(
    reporter: &mut Cx<'_, '_>,
    link: &Link,
    path: &str,
    anchor: Option<&str>,
    page: Page<'_>,
) {
    // What the rule sees, borrowed apart from the reporter the findings go to.
    let cx = reporter.file();
    if path.contains(['<', '>', '{', '}', '$', '*']) {
        return; // a placeholder or template
    }
    let what = if link.image { "image" } else { "link" };
    let target = if path.is_empty() {
        Some(cx.path.to_string())
    } else if let Some(rooted) = path.strip_prefix('/') {
        let top = rooted.split('/').next().unwrap_or("");
        if LOCAL_ROOTS.contains(&top) {
            reporter.report(link.span, format!("{what} target `{path}` is a file on the author's machine")).label("absolute local path").help("link to the file relative to this runbook instead");
            return;
        }
        if let Some(found) = site_route(cx, rooted) {
            Some(found)
        } else if cx.project.has_dir(top) || cx.project.has_file(top) {
            // GitHub resolves `/x` from the repository root; a docs site from its own root:
            // check it only when it points into a real top-level entry.
            crate::paths::join("", rooted)
        } else {
            return;
        }
    } else {
        crate::paths::join(cx.dir(), path)
    };
    let Some(mut target) = target else {
        return; // leaves the repository
    };
    if !path.is_empty() && !exists(cx, &target) {
        match page_route(cx, &target) {
            Some(page) => target = page,
            None => {
                let name = target.rsplit('/').next().unwrap_or(&target);
                reporter
                    .report(link.span, format!("{what} target `{path}` does not exist"))
                    .label("no such file")
                    .help(missing_target_help(cx, path, &target, what))
                    .fix(moved_fix(cx, link, name));
                return;
            }
        }
    }
    let Some(anchor) = anchor else {
        return;
    };
    let anchor = percent_decode(anchor);
    if anchor.is_empty()
        || !PAGE_EXTENSIONS
            .iter()
            .any(|e| target.to_ascii_lowercase().ends_with(e))
        || anchor.eq_ignore_ascii_case("top")
        || LINE_LINK.is_match(&anchor)
    {
        return;
    }
    let wanted = anchor.strip_prefix("user-content-").unwrap_or(&anchor);
    // This runbook's own anchors come from its model; another file's from the cache.
    let anchors = if target == cx.path {
        page.own_anchors
            .get_or_init(|| Arc::new(cx.doc.anchors(anchor_style(cx, cx.path))))
            .clone()
    } else {
        match cx
            .project
            .anchors
            .anchors(&target, anchor_style(cx, &target))
        {
            Some(set) => set,
            None => return,
        }
    };
    let file = if target == cx.path {
        "this file".to_string()
    } else {
        format!("`{target}`")
    };
    // Another file's anchors may carry one of its secrets (a heading slug): what is printed
    // of them is masked with that file's secrets. This file's are masked by the engine.
    let shown = |text: String| {
        if target == cx.path {
            text
        } else {
            cx.project.anchors.mask(&target, &text)
        }
    };
    // A fix that would write one of them into this runbook is not offered.
    let contained_fix = |fix: Option<Fix>| {
        fix.filter(|fix| {
            target == cx.path
                || fix
                    .edits
                    .iter()
                    .all(|e| cx.project.anchors.mask(&target, &e.replacement) == e.replacement)
        })
    };
    match anchors.find(wanted) {
        AnchorMatch::Found => {}
        AnchorMatch::CaseDiffers(exact) => {
            let message = shown(format!(
                "anchor `#{anchor}` matches `#{exact}` in {file} only when case is ignored"
            ));
            let help = shown(format!(
                "browsers match anchors exactly and GitHub writes heading anchors in lower case: write `#{exact}`"
            ));
            let fix = contained_fix(anchor_fix(
                cx,
                link,
                page.fix_indexes
                    .entry(target.clone())
                    .or_insert_with(|| FixIndex::new(&anchors)),
            ));
            reporter
                .report(link.span, message)
                .severity(Severity::Warning)
                .label("case differs")
                .help(help)
                .fix(fix)
                .checked(&target);
        }
        AnchorMatch::IgnoredAttribute(heading) => {
            let help = shown(format!(
                "on GitHub the heading's anchor is `#{heading}`; link to that, or put `<a id=\"{wanted}\"></a>` before the heading"
            ));
            reporter
                .report(
                    link.span,
                    format!("anchor `#{anchor}` is a `{{#...}}` heading attribute in {file}, which GitHub shows as text"),
                )
                .label("no such anchor on GitHub")
                .help(help);
        }
        AnchorMatch::Missing => {
            let hint = page
                .suggestions
                .entry((target.clone(), wanted.to_string()))
                .or_insert_with(|| did_you_mean_text(wanted, anchors.names()))
                .clone();
            let help = match hint {
                Some(hint) => shown(hint),
                None => format!("{file} has no heading with this anchor"),
            };
            reporter.report(link.span, format!("anchor `#{anchor}` not found in {file}")).label("no such heading").help(help).fix(contained_fix(anchor_fix(
                    cx,
                    link,
                    page.fix_indexes
                        .entry(target.clone())
                        .or_insert_with(|| FixIndex::new(&anchors)),
                ))).checked(&target);
        }
    }
}

/// True when the repository has `target` as a file or directory, or ignores it (generated).
fn exists(cx: &RuleContext<'_>, target: &str) -> bool {
    cx.project.has_file(target)
        || cx.project.has_dir(target)
        || cx.project.ignored.is_ignored(target)
}

/// The help for a relative target that is not in the repository.
fn missing_target_help(cx: &RuleContext<'_>, path: &str, target: &str, what: &str) -> String {
    let name = target.rsplit('/').next().unwrap_or(target);
    let looks_like_email = name.contains('@') && !path.contains('/');
    let looks_like_web = path.starts_with("www.");
    let help = if looks_like_email {
        format!("it reads as an email address: write `mailto:{path}` or `<{path}>`")
    } else if looks_like_web {
        format!("it reads as a web address: write `https://{path}`")
    } else {
        // From the file-name index: a scan of every repository file per broken link was
        // quadratic.
        let moved: Vec<String> = cx
            .project
            .files_by_name()
            .get(name)
            .into_iter()
            .flatten()
            .take(3)
            .map(|m| format!("`{m}`"))
            .collect();
        let site = path
            .starts_with('/')
            .then(|| cx.project.sites.site_of(cx.path))
            .flatten();
        if let (Some(site), true) = (site, moved.is_empty()) {
            format!(
                "no page or file of the site (`{}`) and no repository file `{target}` matches it; fix the path or remove the {what}",
                site.config
            )
        } else if moved.is_empty() {
            format!("`{target}` is not in the repository; fix the path or remove the {what}")
        } else {
            format!("a file by that name exists at {}", moved.join(", "))
        }
    };
    help
}

/// Where `part` of the destination (as written) sits in the source: inline links only,
/// since a reference link's destination is written elsewhere.
fn written_part(cx: &RuleContext<'_>, link: &Link, part: &str) -> Option<Span> {
    if link.kind != LinkKind::Inline || part.is_empty() {
        return None;
    }
    let text = cx.source.get(link.span.range())?;
    // The destination follows the link text: search from the end.
    let at = text.rfind(part)?;
    let start = link.span.start + at;
    Some(Span::new(start, start + part.len()))
}

/// The anchor as the page writes it: safe when the written anchor only breaks the slug
/// rules (`#Rollback%20Plan`, `#Step-1:-Deploy`), else the one did-you-mean.
fn anchor_fix(cx: &RuleContext<'_>, link: &Link, index: &FixIndex) -> Option<Fix> {
    let raw = link.dest.trim().split_once('#')?.1;
    let span = written_part(cx, link, &format!("#{raw}"))?;
    let span = Span::new(span.start + 1, span.end);
    let decoded = percent_decode(raw);
    let slugged = crate::document::anchors::github_slug(&decoded);
    // The first anchor (sorted) that is the slug or the anchor in another case.
    let exact = index
        .names
        .binary_search(&slugged)
        .ok()
        .map(|i| index.names[i].as_str());
    let folded = index
        .folded
        .get(&decoded.to_ascii_lowercase())
        .map(String::as_str);
    if let Some(anchor) = exact.into_iter().chain(folded).min() {
        return replacement_fix(cx.source, span, raw, anchor, Applicability::Safe);
    }
    let wanted = decoded.strip_prefix("user-content-").unwrap_or(&decoded);
    let (suggestion, applicability) = closest(wanted, &index.names)?;
    replacement_fix(cx.source, span, raw, suggestion, applicability)
}

/// The one file of the same name elsewhere, as a path from this runbook (unsafe: it may be
/// another file that happens to share the name).
fn moved_fix(cx: &RuleContext<'_>, link: &Link, name: &str) -> Option<Fix> {
    let mut moved = cx.project.files_by_name().get(name).into_iter().flatten();
    let (Some(target), None) = (moved.next(), moved.next()) else {
        return None;
    };
    let raw = link.dest.trim().split(['#', '?']).next()?;
    let span = written_part(cx, link, raw)?;
    let path = relative_path(cx.dir(), target);
    replacement_fix(cx.source, span, raw, &path, Applicability::Unsafe)
}

/// `to` (from the root) as a path relative to the directory `from` (from the root).
fn relative_path(from: &str, to: &str) -> String {
    let from: Vec<&str> = from.split('/').filter(|p| !p.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len().saturating_sub(1));
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    parts.extend(&to_parts[common..]);
    parts.join("/")
}

/// How the page at `path` writes its anchors: the config's `anchors`, else the site that
/// renders it, else GitHub.
fn anchor_style(cx: &RuleContext<'_>, path: &str) -> AnchorStyle {
    let site = cx
        .project
        .sites
        .site_of(path)
        .map(|s| s.kind.anchor_style());
    match (cx.settings.anchors, site) {
        // The site's config still says which slugify its `toc` uses.
        (Some(AnchorStyle::MkDocs { .. }), Some(style @ AnchorStyle::MkDocs { .. })) => style,
        (Some(style), _) => style,
        (None, Some(style)) => style,
        (None, None) => AnchorStyle::GitHub,
    }
}

/// A site-rooted link (`/guide/setup`, `/img/logo.png`) of a documentation page, resolved
/// from its site's routes; `None` when the runbook is no site's page or nothing matches.
fn site_route(cx: &RuleContext<'_>, rooted: &str) -> Option<String> {
    let site = cx.project.sites.site_of(cx.path)?;
    let rooted = rooted.trim_end_matches('/');
    site.routes.iter().find_map(|(prefix, dir)| {
        let rest = if prefix.is_empty() {
            rooted
        } else {
            let rest = rooted.strip_prefix(prefix.as_str())?;
            if !(rest.is_empty() || rest.starts_with('/')) {
                return None;
            }
            rest.trim_start_matches('/')
        };
        let candidate = crate::paths::join(dir, rest)?;
        if exists(cx, &candidate) {
            return Some(candidate);
        }
        let page = route_candidates(&candidate).find(|c| cx.project.has_file(c));
        page
    })
}

/// On a documentation site, `setup` or `setup/` names the page `setup.md` or
/// `setup/index.md`: the target a relative link means there.
fn page_route(cx: &RuleContext<'_>, target: &str) -> Option<String> {
    cx.project.sites.site_of(cx.path)?;
    route_candidates(target).find(|c| cx.project.has_file(c))
}

fn route_candidates(target: &str) -> impl Iterator<Item = String> + '_ {
    let name = target.rsplit('/').next().unwrap_or(target);
    let extensionless = !name.contains('.');
    ["md", "mdx"]
        .into_iter()
        .filter(move |_| extensionless)
        .map(move |e| format!("{target}.{e}"))
        .chain(
            ["index.md", "index.mdx", "README.md"]
                .into_iter()
                .map(move |page| format!("{target}/{page}")),
        )
}

/// First components of absolute paths that only exist on someone's computer.
const LOCAL_ROOTS: &[&str] = &["Users", "home", "root", "mnt", "private", "tmp", "var"];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::check;

    #[test]
    fn relative_paths_between_directories() {
        assert_eq!(
            relative_path("docs", "docs/ops/rollback.md"),
            "ops/rollback.md"
        );
        assert_eq!(relative_path("docs/a", "docs/b/x.md"), "../b/x.md");
        assert_eq!(relative_path("", "runbooks/x.md"), "runbooks/x.md");
        assert_eq!(relative_path("docs", "README.md"), "../README.md");
    }

    #[test]
    fn decodes_once_and_detects_schemes() {
        assert_eq!(percent_decode("My%20File.md"), "My File.md");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("a%2520b"), "a%20b");
        for url in [
            "https://x",
            "mailto:a@b",
            "MAILTO:a@b",
            "tel:+1-555-0100",
            "slack://channel?id=1",
            "vscode-insiders://file",
            "urn:isbn:0451450523",
            "web+app.x:y",
        ] {
            assert!(has_scheme(url), "{url}");
        }
        for path in ["./a.md", "a.md", "../x:y", "1x:y", ":x", "a/b:c"] {
            assert!(!has_scheme(path), "{path}");
        }
    }

    #[test]
    fn line_links_need_line_numbers() {
        for valid in [
            "L7",
            "L30-L31",
            "L3C24-L88",
            "L304-L314C98",
            "L200C4-L3244C2",
        ] {
            assert!(LINE_LINK.is_match(valid), "{valid}");
        }
        for invalid in [
            "l7", "L", "L7extra", "L30C", "L30C12", "L30C11-", "C30", "L30L12",
        ] {
            assert!(!LINE_LINK.is_match(invalid), "{invalid}");
        }
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

    #[test]
    fn urls_emails_and_malformed_links() {
        let facts = crate::facts::ProjectFacts {
            files: ["docs/runbook.md".to_string(), "docs/go.html".to_string()].into(),
            dirs: ["docs".to_string()].into(),
            ..Default::default()
        };
        let md = "[go](go.html?to=https://example.com)\n- Primary: <sre-oncall@example.com>\n- [mail](mailto:ops@example.com?subject=Page#x), [call](tel:+15550100), [chat](slack://channel?team=T1), <https://example.com/a.md>\n- [tf]((https://github.com/org/dns/blob/main/notify.tf))\n- [ops](ops@example.com), [site](www.example.com)\n";
        let found = check(&BrokenLink, md, &facts);
        assert_eq!(
            found,
            vec![
                (
                    4,
                    "malformed link target `(https://github.com/org/dns/blob/main/notify.tf)`"
                        .to_string()
                ),
                (
                    5,
                    "link target `ops@example.com` does not exist".to_string()
                ),
                (
                    5,
                    "link target `www.example.com` does not exist".to_string()
                ),
            ]
        );
    }
}
