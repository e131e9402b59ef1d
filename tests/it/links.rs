//! Links and placeholders end to end: a fixture repository holding every false alarm of
//! issue 14 (silent) beside true breaks (found), named non-Markdown files, markdownlint's
//! MD051 test file, and a folder of every CommonMark spec example and every markdownlint test
//! document (vendored in `tests/data/`, written to a temporary directory here).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::common::{run, run_in};
use serde::Deserialize;

/// One finding as the JSON report gives it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Found {
    path: String,
    line: u64,
    column: u64,
    severity: String,
    rule: String,
    message: String,
    help: String,
}

fn parse_report(stdout: &str) -> Vec<Found> {
    let json: serde_json::Value = serde_json::from_str(stdout).expect("JSON report");
    json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| Found {
            path: d["path"].as_str().unwrap().to_string(),
            line: d["line"].as_u64().unwrap(),
            column: d["column"].as_u64().unwrap(),
            severity: d["severity"].as_str().unwrap().to_string(),
            rule: d["rule"].as_str().unwrap().to_string(),
            message: d["message"].as_str().unwrap().to_string(),
            help: d["help"].as_str().unwrap_or("").to_string(),
        })
        .collect()
}

/// `(path, line, severity, message)` of the fixture's findings.
fn fixture_findings(args: &[&str]) -> (Vec<(String, u64, String, String)>, String) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let (stdout, stderr, _) = run(&all);
    let found = parse_report(&stdout)
        .into_iter()
        .map(|f| {
            let path = f.path.trim_start_matches("fixtures/links/").to_string();
            (path, f.line, f.severity, f.message)
        })
        .collect();
    (found, stderr)
}

#[test]
fn correct_links_and_placeholders_are_silent_and_true_breaks_are_found() {
    let (found, _) = fixture_findings(&["fixtures/links"]);
    let expected = [
        ("docs/runbook.md", 60, "error", "link target `missing.md` does not exist"),
        ("docs/runbook.md", 61, "error", "anchor `#nowhere` not found in `docs/contacts.md`"),
        ("docs/runbook.md", 62, "error", "anchor `#custom` is a `{#...}` heading attribute in `docs/contacts.md`, which GitHub shows as text"),
        ("docs/runbook.md", 63, "warning", "anchor `#Escalation` matches `#escalation` in this file only when case is ignored"),
        ("docs/runbook.md", 64, "error", "malformed link target `(https://github.com/org/dns/blob/main/notify.tf)`"),
        ("docs/runbook.md", 65, "error", "link target `ops@example.com` does not exist"),
        ("docs/runbook.md", 66, "warning", "unresolved placeholder `[Contact info and SLA]`"),
        // MkDocs page: attr_list ids and toc slugs (`uber-uns`, `notes_1`), not GitHub's.
        ("site/docs/index.md", 7, "error", "anchor `#nope` not found in `site/docs/setup.md`"),
        ("site/docs/index.md", 7, "error", "anchor `#über-uns` not found in this file"),
        // Docusaurus page: `{#id}` ids, `/docs/...` routes and `static/` files.
        ("web/docs/intro.md", 8, "error", "link target `/docs/gone` does not exist"),
        ("web/docs/intro.md", 8, "error", "anchor `#custom-heading-custom-heading` not found in this file"),
    ];
    let expected: Vec<(String, u64, String, String)> = expected
        .iter()
        .map(|(p, l, s, m)| (p.to_string(), *l, s.to_string(), m.to_string()))
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn each_break_says_how_to_fix_it() {
    let (stdout, _, _) = run(&["check", "--format", "json", "fixtures/links"]);
    let help: BTreeMap<u64, String> = parse_report(&stdout)
        .into_iter()
        .filter(|f| f.path.ends_with("docs/runbook.md"))
        .map(|f| (f.line, f.help))
        .collect();
    assert!(help[&62].contains("on GitHub the heading's anchor is `#heading-custom`"));
    assert!(help[&63].contains("write `#escalation`"));
    assert_eq!(
        help[&64],
        "the URL is wrapped in extra brackets or quotes: write `[text](https://github.com/org/dns/blob/main/notify.tf)`"
    );
    assert_eq!(
        help[&65],
        "it reads as an email address: write `mailto:ops@example.com` or `<ops@example.com>`"
    );
}

#[test]
fn human_report_of_the_breaks() {
    let (stdout, _, code) = run(&["check", "fixtures/links", "--color", "never"]);
    assert_eq!(code, 1, "errors exit 1");
    insta::assert_snapshot!("links_human", stdout);
}

#[test]
fn anchors_setting_overrides_the_site_config() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("docs")).unwrap();
    std::fs::write(root.join("mkdocs.yml"), "site_name: x\n").unwrap();
    std::fs::write(
        root.join("docs/index.md"),
        "# Über uns {#about}\n\n[about](#about), [github](#über-uns-about)\n",
    )
    .unwrap();
    let path = root.to_str().unwrap();
    let check = |config: Option<&str>| {
        if let Some(config) = config {
            std::fs::write(root.join("runbook-lint.toml"), config).unwrap();
        }
        let (stdout, _, _) = run_in(root, &["check", "--format", "json", "--root", path, path]);
        parse_report(&stdout)
            .into_iter()
            .map(|f| f.message)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        check(None),
        ["anchor `#über-uns-about` not found in this file"]
    );
    assert_eq!(
        check(Some("anchors = \"github\"\n")),
        ["anchor `#about` is a `{#...}` heading attribute in this file, which GitHub shows as text"]
    );
}

#[test]
fn named_non_markdown_files_are_not_linted_as_markdown() {
    let (found, stderr) = fixture_findings(&[
        "fixtures/links/Jenkinsfile",
        "fixtures/links/assets/diagram.png",
        "fixtures/links/RUNBOOK",
    ]);
    assert!(
        stderr.contains("warning: fixtures/links/assets/diagram.png: skipped, not a Markdown file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: fixtures/links/Jenkinsfile: skipped, not a Markdown file"),
        "{stderr}"
    );
    // The extension-less runbook reads as Markdown and is linted.
    assert_eq!(
        found,
        vec![(
            "RUNBOOK".to_string(),
            5,
            "warning".to_string(),
            "unresolved placeholder `TBD`".to_string()
        )]
    );
}

#[test]
fn a_named_compose_variant_lints_its_projects_runbooks() {
    let (walked, _) = fixture_findings(&["fixtures/links"]);
    // A Dockerfile (its `ENV`s) and any YAML (it may be a Kubernetes manifest) are manifests
    // too: named, they are not parsed as Markdown, they lint their project's runbooks.
    for manifest in [
        "fixtures/links/compose.prod.yml",
        "fixtures/links/Dockerfile",
        "fixtures/links/config.yml",
    ] {
        let (named, stderr) = fixture_findings(&[manifest]);
        assert!(!stderr.contains("skipped"), "{stderr}");
        assert_eq!(named, walked, "{manifest}");
    }
}

/// The vendored markdownlint test documents.
#[derive(Deserialize)]
struct VendoredFile {
    path: String,
    text: String,
}

fn markdownlint_files() -> Vec<VendoredFile> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/markdownlint/test-markdown.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Lints the files (relative path, text) in a fresh directory; returns the findings with
/// paths relative to it.
fn lint_folder(files: &[(String, String)]) -> Vec<Found> {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }
    let root = dir.path().to_str().unwrap();
    let (stdout, stderr, code) = run_in(
        dir.path(),
        &["check", "--format", "json", "--root", root, root],
    );
    assert!(code == 0 || code == 1, "exit {code}: {stderr}");
    parse_report(&stdout)
        .into_iter()
        .map(|mut f| {
            f.path = f
                .path
                .trim_start_matches(root)
                .trim_start_matches('/')
                .to_string();
            f
        })
        .collect()
}

/// markdownlint's MD051 test file: every line it marks `{MD051}` is reported here too, and
/// every line it leaves alone is silent, except the differences `explain broken-link`
/// documents as deliberate.
#[test]
fn markdownlint_link_fragment_cases_agree_except_documented_choices() {
    let vendored = markdownlint_files();
    for (name, deliberate) in [
        (
            "test/link-fragments.md",
            vec![
                // `name` beside an `id`, and on any element, is an anchor here.
                (226, "name"),
                (230, "name"),
                (232, "name"),
                // `{#id}` is heading text on GitHub: links to it are reported.
                (258, "{#id}"),
                (262, "{#id}"),
                (266, "{#id}"),
                (268, "{#id}"),
                // Reported at the link that uses the definition, not at the definition.
                (239, "position"),
                (241, "position"),
                (252, "position"),
                (254, "position"),
                // `#ToP` is `#top` to browsers.
                (339, "top"),
            ],
        ),
        ("test/link-fragments-default-case.md", vec![]),
    ] {
        let file = vendored.iter().find(|f| f.path == name).unwrap();
        let expected: BTreeSet<u64> = file
            .text
            .lines()
            .enumerate()
            .filter(|(_, l)| l.contains("{MD051}"))
            .map(|(i, _)| i as u64 + 1)
            .collect();
        let found: BTreeSet<u64> = lint_folder(&[("page.md".to_string(), file.text.clone())])
            .into_iter()
            .filter(|f| f.rule == "broken-link")
            .map(|f| f.line)
            .collect();
        let differences: BTreeSet<u64> = expected.symmetric_difference(&found).copied().collect();
        let documented: BTreeSet<u64> = deliberate.iter().map(|(line, _)| *line).collect();
        assert_eq!(
            differences, documented,
            "{name}: markdownlint {expected:?}, here {found:?}"
        );
    }
    // Each kind of deliberate difference is written down where users read it.
    let (docs, _, _) = run(&["explain", "broken-link"]);
    for topic in [
        "MD051",
        "`name` counts on any element",
        "`#ToP`",
        "`{#id}` heading",
        "reported where it is used",
    ] {
        assert!(docs.contains(topic), "explain broken-link lacks {topic}");
    }
}

/// A spec example's expected HTML: the destinations of its links and images, decoded.
fn html_destinations(html: &str) -> BTreeSet<String> {
    let attr = regex::Regex::new(r#"(?:href|src)="([^"]*)""#).unwrap();
    attr.captures_iter(html)
        .map(|c| decode(&html_unescape(&c[1])))
        .collect()
}

/// Texts of the links in a spec example's expected HTML.
fn html_link_texts(html: &str) -> BTreeSet<String> {
    let link = regex::Regex::new(r#"<a href="[^"]*"(?: title="[^"]*")?>([^<]*)</a>"#).unwrap();
    link.captures_iter(html)
        .map(|c| html_unescape(&c[1]))
        .collect()
}

fn html_unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(byte) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The destination a broken-link message names.
fn reported_target(message: &str) -> String {
    message.split('`').nth(1).unwrap_or("").to_string()
}

#[derive(Deserialize)]
struct SpecExample {
    example: u32,
    markdown: String,
    html: String,
}

/// Every CommonMark spec example and every markdownlint test document in one folder: no
/// broken-link on an email or a URL, every broken-link names a relative destination that
/// CommonMark's expected HTML also links (so a reference that resolves is judged by what it
/// resolves to), and no placeholder finding on a link a definition resolves.
#[test]
fn commonmark_spec_and_markdownlint_documents_raise_no_false_link_or_placeholder_alarm() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/commonmark/spec-examples.json"
    );
    let examples: Vec<SpecExample> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(examples.len(), 655);
    let vendored = markdownlint_files();
    assert_eq!(vendored.len(), 389);
    let mut files: Vec<(String, String)> = examples
        .iter()
        .map(|e| {
            (
                format!("spec/example-{:03}.md", e.example),
                e.markdown.clone(),
            )
        })
        .collect();
    files.extend(vendored.iter().map(|f| {
        (
            format!("markdownlint/{}", f.path.trim_start_matches("test/")),
            f.text.clone(),
        )
    }));
    let sources: BTreeMap<&str, &str> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let html: BTreeMap<String, &str> = examples
        .iter()
        .map(|e| (format!("spec/example-{:03}.md", e.example), e.html.as_str()))
        .collect();
    let found = lint_folder(&files);
    let scheme = regex::Regex::new(r"^[A-Za-z][A-Za-z0-9+.-]*:").unwrap();
    let definition = regex::Regex::new(r"(?m)^ {0,3}\[([^\]]+)\]:\s*\S").unwrap();
    let normalize = |l: &str| {
        l.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let mut checked = (0, 0);
    for f in &found {
        let source = sources[f.path.as_str()];
        match f.rule.as_str() {
            "broken-link" => {
                checked.0 += 1;
                let target = reported_target(&f.message);
                assert!(
                    !scheme.is_match(&target) && !target.starts_with("//"),
                    "{}:{}: a URL reported as a file: {}",
                    f.path,
                    f.line,
                    f.message
                );
                let line = source.lines().nth(f.line as usize - 1).unwrap_or("");
                // `<target>` outside a `(<dest>)` is an autolink.
                let autolink = line
                    .match_indices(&format!("<{target}>"))
                    .any(|(at, _)| !line[..at].trim_end().ends_with('('));
                assert!(
                    !autolink,
                    "{}:{}: an autolink reported: {}",
                    f.path, f.line, f.message
                );
                if let Some(html) = html.get(&f.path) {
                    let destinations = html_destinations(html);
                    let wanted = target.trim_start_matches('#');
                    assert!(
                        destinations
                            .iter()
                            .any(|d| decode(d) == decode(&target) || d.ends_with(&format!("#{wanted}"))),
                        "{}:{}: `{target}` is no link destination of CommonMark's HTML {destinations:?}",
                        f.path,
                        f.line
                    );
                }
            }
            "unresolved-placeholder" | "placeholder-contact" => {
                checked.1 += 1;
                let text = reported_target(&f.message);
                let Some(label) = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) else {
                    continue; // a TBD-like word, not a bracket
                };
                if let Some(html) = html.get(&f.path) {
                    assert!(
                        !html_link_texts(html).contains(label),
                        "{}:{}: `[{label}]` is a link in CommonMark's HTML",
                        f.path,
                        f.line
                    );
                }
                let defined: BTreeSet<String> = definition
                    .captures_iter(source)
                    .map(|c| normalize(&c[1]))
                    .collect();
                assert!(
                    !defined.contains(&normalize(label)),
                    "{}:{}: `[{label}]` has a definition",
                    f.path,
                    f.line
                );
            }
            _ => {}
        }
    }
    // The folder does exercise both rules (the numbers are in the test output with
    // `--nocapture`).
    println!(
        "broken-link findings checked: {}, placeholder findings checked: {}",
        checked.0, checked.1
    );
    assert!(checked.0 > 0 && checked.1 > 0, "{checked:?}");
}

#[test]
fn the_vendored_data_names_its_origin_and_license() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/README.md"))
            .unwrap();
    for needle in [
        "Flet/github-slugger",
        "3461c4350868329c8530904d170358bca1d31448",
        "commonmark/commonmark-spec",
        "31c0ca2d294ea60ab4438004da410e2e590a46f2",
        "CC-BY-SA 4.0",
        "DavidAnson/markdownlint",
        "0213a0274dfeaac589af389f6c9bc9e821655810",
        "ISC",
        "MIT",
    ] {
        assert!(
            readme.contains(needle),
            "tests/data/README.md lacks {needle}"
        );
    }
}
