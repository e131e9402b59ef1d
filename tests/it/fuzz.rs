//! Stable-Rust fuzzing: proptest generators drive the document extractor (Markdown → model,
//! shell splitter included), the manifest parsers and the whole pipeline, asserting that
//! nothing panics and every span lands inside its text on a character boundary. Hostile
//! shapes get their own generators: long lines, multi-byte characters at every offset near the
//! places that cut text at a fixed width, and files with old Mac (CR-only) line endings. See
//! fuzz/README.md for why this is not cargo-fuzz and how to run it longer
//! (`PROPTEST_CASES=100000 cargo test --release --test fuzz`).

use std::path::Path;

use proptest::prelude::*;
use runbook_lint::command::shell;
use runbook_lint::document::{Document, ParseOptions};
use runbook_lint::engine::{self, CheckOptions};
use runbook_lint::facts::{yaml, ProjectFacts};
use runbook_lint::span::{LineIndex, Span};

/// Cases for the slow targets (each writes files and runs the engine): a tenth of
/// `PROPTEST_CASES`, at least 16.
fn slow_cases() -> u32 {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(256);
    (cases / 10).max(16)
}

/// Pieces that matter to Markdown and shell parsing, mixed with arbitrary text.
fn fragment() -> impl Strategy<Value = String> {
    let fixed = prop::sample::select(vec![
        "# ",
        "## Production deployment\n",
        "### Rollback\n",
        "\n",
        "\r\n",
        "\r",
        "```bash\n",
        "```\n",
        "~~~sh\n",
        "````\n",
        "    ",
        "\t",
        "- [ ] ",
        "- [x] ",
        "* ",
        "1. ",
        "> ",
        "`",
        "``",
        "pnpm run ",
        "npm run build",
        "pnpm --filter ",
        "yarn workspace a b",
        "cd ../",
        "cd apps/api && ",
        " && ",
        " || ",
        " | ",
        "; ",
        "\\\n",
        "'",
        "\"",
        "$(",
        ")",
        "${",
        "}",
        "<!-- ",
        " -->",
        "<!-- runbook-lint-disable-next-line -->\n",
        "<!-- runbook-lint env=production -->\n",
        "<<EOF\n",
        "<<-'SQL'\n",
        "EOF\n",
        "$ ",
        "> ",
        "| a | b |\n",
        "|---|---|\n",
        "| TBD | [Name] |\n",
        "[x](../../etc/passwd)",
        "[y]: /z\n",
        "![i](a.png)",
        "---\n",
        "+++\n",
        "title: x\n",
        "é",
        "😀",
        "\u{200b}",
        "\u{0}",
        "\u{feff}",
        "TBD",
        "TODO:",
        "FIXME",
        "[Contact info]",
        "prisma migrate dev",
        "rails db:reset",
        "sudo -E env A=1 ",
        "2>&1 ",
        "> out.log",
        "#",
        "*",
        "_",
        "[",
        "]",
        "<",
        ">",
        "&",
        "|",
        "\\",
        "=",
    ]);
    prop_oneof![
        3 => fixed.prop_map(str::to_string),
        1 => "[ -~]{0,12}",
        1 => "\\PC{0,6}",
    ]
}

fn markdown() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..60).prop_map(|parts| parts.concat())
}

/// A label the linter cuts text after (a review field: 60 bytes after it), or a prefix its
/// rules slice off (`-C`, `#L`, `sudo -`, `KEY=`), then ASCII padding of every length around
/// the cut and multi-byte characters there.
fn near_slice_sites() -> impl Strategy<Value = String> {
    let label = prop::sample::select(vec![
        "Last Reviewed: 2025-11-02 ",
        "**Next Review:** Jan 5, 2026 ",
        "| Last Updated | 2025-10 ",
        "- Target Date: 2026-03-01 ",
        "Run `make -C",
        "Run `sudo -",
        "See [x](#L",
        "See [x](other.md#",
        "```bash\nKEY=",
        "```bash\n$ pnpm ",
        "- Escalation: ",
        "Owner: ",
        "<!-- runbook-lint-disable-next-line ",
        "postgres://app:",
        "-----BEGIN PRIVATE KEY-----\n",
        "AKIA",
    ]);
    let multibyte = prop::sample::select(vec!["é", "→", "😀", "José", "\u{feff}", "ü\u{308}", "—"]);
    (
        prop::collection::vec((label, 0usize..72, multibyte, "\\PC{0,6}"), 1..6),
        markdown(),
    )
        .prop_map(|(pieces, rest)| {
            let mut text = String::from("# Runbook\n\n");
            for (label, pad, multibyte, tail) in pieces {
                text.push_str(&format!("{label}{}{multibyte}{tail}`\n\n", "x".repeat(pad)));
            }
            text.push_str(&rest);
            text
        })
}

/// A runbook whose code block and paragraph are one long line: fragments repeated to 16 000
/// characters.
fn long_lines() -> impl Strategy<Value = String> {
    (prop::collection::vec(fragment(), 1..8), 100usize..1500).prop_map(|(parts, times)| {
        let unit = parts.concat().replace(['\n', '\r'], " ");
        let line: String = unit.repeat(times).chars().take(16_000).collect();
        format!("# Deploy\n\n```bash\n{line}\n```\n\n{line}\n")
    })
}

fn assert_span(text: &str, span: Span, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what} span {span:?} outside text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what} span {span:?} not on char boundaries"
    );
}

/// Every span of the model lies within the text, on char boundaries, with a valid position.
fn check_document(text: &str, doc: &Document) {
    let index = LineIndex::new(text);
    let mut spans: Vec<(Span, &str)> = Vec::new();
    spans.extend(doc.sections.iter().map(|s| (s.span, "section")));
    spans.extend(
        doc.checklist
            .iter()
            .flat_map(|c| [(c.span, "checklist"), (c.marker, "marker")]),
    );
    spans.extend(doc.code_blocks.iter().map(|c| (c.span, "code block")));
    spans.extend(doc.tables.iter().map(|t| (t.span, "table")));
    spans.extend(
        doc.tables
            .iter()
            .flat_map(|t| t.header.iter().chain(t.rows.iter().flatten()))
            .map(|c| (c.span, "cell")),
    );
    spans.extend(doc.links.iter().map(|l| (l.span, "link")));
    spans.extend(doc.inline_code.iter().map(|c| (c.span, "inline code")));
    spans.extend(doc.html_comments.iter().map(|c| (c.span, "comment")));
    spans.extend(doc.text_blocks.iter().map(|b| (b.span, "text block")));
    spans.extend(
        doc.text_blocks
            .iter()
            .flat_map(|b| b.code_spans.iter().map(|s| (*s, "code span"))),
    );
    spans.extend(doc.front_matter.iter().map(|s| (*s, "front matter")));
    for command in &doc.commands {
        spans.push((command.span, "command"));
        for word in command
            .words
            .iter()
            .chain(&command.assignments)
            .chain(&command.wrappers)
            .chain(&command.redirects)
        {
            spans.push((word.span, "word"));
        }
        assert!(command.section < doc.sections.len());
    }
    for code in &doc.code_blocks {
        for line in &code.lines {
            assert!(
                line.offset <= text.len(),
                "code line offset {}",
                line.offset
            );
            if line.exact {
                assert_eq!(&text[line.offset..line.offset + line.text.len()], line.text);
            }
        }
    }
    let lines = index.line_count();
    for (span, what) in spans {
        assert_span(text, span, what);
        let location = index.locate(text, span);
        assert!(
            location.line >= 1 && location.line <= lines,
            "{what}: {location:?}"
        );
        assert!(
            location.column >= 1 && location.end_line >= location.line,
            "{what}: {location:?}"
        );
    }
    for section in &doc.sections {
        assert!(section.parent.is_none_or(|p| p < doc.sections.len()));
    }
    // `Document::section_at` binary-searches the sections by start.
    assert!(
        doc.sections
            .windows(2)
            .all(|w| w[0].span.start <= w[1].span.start),
        "sections out of order"
    );
}

fn check_yaml_node(text: &str, node: &yaml::Node) {
    assert_span(text, node.span, "yaml node");
    match &node.value {
        yaml::Value::Seq(items) => items.iter().for_each(|i| check_yaml_node(text, i)),
        yaml::Value::Map(entries) => entries.iter().for_each(|(k, v)| {
            check_yaml_node(text, k);
            check_yaml_node(text, v);
        }),
        _ => {}
    }
}

fn yaml_text() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "packages:\n",
        "  - ",
        "'apps/*'",
        "\"packages/**\"",
        "\n",
        "\t",
        "- ",
        ": ",
        "key",
        "[",
        "]",
        "{",
        "}",
        ", ",
        "&a ",
        "*a",
        "!!str ",
        "|\n",
        ">-\n",
        "# c\n",
        "---\n",
        "...\n",
        "é",
        "😀",
        "\u{feff}",
        "? ",
        "null",
        "~",
        "\r\n",
        "  ",
        "%YAML 1.2\n",
    ]);
    prop::collection::vec(
        prop_oneof![4 => piece.prop_map(str::to_string), 1 => "\\PC{0,8}"],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

fn json_text() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"scripts\"",
        "\"workspaces\"",
        "\"packageManager\"",
        "\"pnpm@9\"",
        "\"name\"",
        "\"test\"",
        "\"pnpm run test && prisma migrate dev\"",
        "\"apps/*\"",
        "\"dependencies\"",
        "\"x\"",
        "1",
        "-0.5e9",
        "true",
        "null",
        " ",
        "\n",
        "\t",
        "\"\\u00e9\"",
        "\"\\ud800\"",
        "é",
        "😀",
        "\"",
        "\\",
        "//",
        "/*",
    ]);
    prop::collection::vec(
        prop_oneof![6 => piece.prop_map(str::to_string), 1 => "\\PC{0,6}"],
        0..50,
    )
    .prop_map(|parts| parts.concat())
}

/// Line-oriented manifests: Makefile, justfile, .env, Procfile, TOML.
fn line_text() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "build:",
        " deps",
        "\n",
        "\t",
        "\tpnpm run build\n",
        "web: ",
        "node server.js",
        "release: ",
        "KEY=",
        "value",
        "export ",
        "# c\n",
        "\"",
        "'",
        "=",
        "[",
        "]",
        "[tool.poetry.scripts]\n",
        "[env]\n",
        "[build]\n",
        "name = \"x\"\n",
        ".PHONY: ",
        "include ",
        "$(",
        ")",
        "${",
        "}",
        "\\\n",
        ":=",
        "?=",
        "é",
        "😀",
        "\r\n",
        "@",
        "-",
    ]);
    prop::collection::vec(
        prop_oneof![5 => piece.prop_map(str::to_string), 1 => "\\PC{0,6}"],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// `(rule, line, column, message)` of every finding of `text` linted as a runbook in a fresh
/// repository (with a package.json when `scripts`), after checking the run met no bug and
/// every report format renders it.
fn lint(text: &str, json: &str) -> Vec<(String, usize, usize, String)> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    write(dir.path(), "package.json", json);
    write(dir.path(), "docs/runbook.md", text);
    write(dir.path(), "docs/other.md", "# Other\n\n## Steps\n");
    let options = CheckOptions {
        base: dir.path().to_path_buf(),
        threads: Some(1),
        ..CheckOptions::default()
    };
    let result = engine::check(&options).expect("no config, so no fatal error");
    // A panic is caught per file: it must still never happen.
    assert!(result.errors.is_empty(), "{:?}", result.errors);
    let mut found = Vec::new();
    for file in &result.files {
        for finding in &file.findings {
            assert_span(&file.source, finding.span, &finding.rule);
            found.push((
                finding.rule.clone(),
                finding.location.line,
                finding.location.column,
                finding.message.clone(),
            ));
        }
    }
    use runbook_lint::report::{render, Format};
    for format in [
        Format::Human,
        Format::Json,
        Format::Concise,
        Format::Github,
        Format::Sarif,
        Format::Junit,
    ] {
        let options = runbook_lint::report::RenderOptions {
            rules: runbook_lint::rules::docs(),
            ..Default::default()
        };
        let _ = render(&result, format, &options);
    }
    found
}

const SCRIPTS: &str = r#"{"scripts":{"build":"tsc","db:migrate":"prisma migrate dev","test":"pnpm build && vitest"}}"#;

fn check_problems(facts: &ProjectFacts) {
    for problem in &facts.problems {
        assert_span(&problem.source, problem.span, "manifest problem");
        let location = problem.location();
        assert!(location.line >= 1 && location.column >= 1, "{location:?}");
        assert!(!problem.message.is_empty());
    }
}

proptest! {
    #[test]
    fn document_extractor(text in markdown()) {
        let doc = Document::parse(&text, &ParseOptions::default());
        check_document(&text, &doc);
    }

    #[test]
    fn shell_splitter(line in prop::collection::vec(fragment(), 0..20).prop_map(|p| p.concat())) {
        let split = shell::split(&line);
        for command in &split.commands {
            assert_span(&line, command.span, "command");
            for word in command.words.iter().chain(&command.assignments).chain(&command.redirects) {
                assert_span(&line, word.span, "word");
            }
        }
    }

    #[test]
    fn yaml_parser(text in yaml_text()) {
        match yaml::parse("pnpm-workspace.yaml", &text) {
            Ok(Some(node)) => check_yaml_node(&text, &node),
            Ok(None) => {}
            Err(problem) => {
                assert_span(&problem.source, problem.span, "yaml problem");
                assert!(problem.location().line >= 1);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(slow_cases()))]

    #[test]
    fn manifest_parsers(
        json in json_text(),
        member in json_text(),
        workspace in yaml_text(),
        other_yaml in yaml_text(),
        lines in line_text(),
        other_json in json_text(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "package.json", &json);
        write(dir.path(), "pnpm-workspace.yaml", &workspace);
        write(dir.path(), "apps/a/package.json", &member);
        // Every other manifest parser, fed the same kind of text.
        for yaml_file in ["render.yaml", "docker-compose.yml", "Taskfile.yml"] {
            write(dir.path(), yaml_file, &other_yaml);
        }
        for line_file in ["Makefile", "justfile", ".env.example", "Procfile", "pyproject.toml", "fly.toml"] {
            write(dir.path(), line_file, &lines);
        }
        for json_file in ["app.json", "vercel.json"] {
            write(dir.path(), json_file, &other_json);
        }
        let facts = ProjectFacts::load(dir.path());
        check_problems(&facts);
    }

    #[test]
    fn whole_pipeline(text in markdown(), json in json_text()) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        // Half the cases get a valid package.json, so the script rules have facts to use.
        let json = if text.len() % 2 == 0 {
            r#"{"scripts":{"build":"tsc","db:migrate":"prisma migrate dev","test":"pnpm build && vitest"}}"#.to_string()
        } else {
            json
        };
        write(dir.path(), "package.json", &json);
        write(dir.path(), "docs/runbook.md", &text);
        let options = CheckOptions {
            base: dir.path().to_path_buf(),
            threads: Some(1),
            ..CheckOptions::default()
        };
        let result = engine::check(&options).expect("no config, so no fatal error");
        // A panic is caught per file and reported: it must still never happen.
        assert!(result.errors.is_empty(), "{:?}", result.errors);
        for file in &result.files {
            for finding in &file.findings {
                assert_span(&file.source, finding.span, &finding.rule);
            }
        }
        // Both reporters must cope with every finding.
        let _ = runbook_lint::report::render(&result, runbook_lint::report::Format::Human, &Default::default());
        let _ = runbook_lint::report::render(&result, runbook_lint::report::Format::Json, &Default::default());
    }

    #[test]
    fn multibyte_text_near_every_slice_site(text in near_slice_sites()) {
        lint(&text, SCRIPTS);
    }

}

proptest! {
    // Two whole runs per case.
    #![proptest_config(ProptestConfig::with_cases(slow_cases() / 2))]

    #[test]
    fn cr_only_files_lint_like_lf_files(text in markdown()) {
        // The same document with `\n` line endings and with old Mac `\r` ones.
        let lf = text.replace("\r\n", "\n").replace('\r', "\n");
        let cr = lf.replace('\n', "\r");
        prop_assert_eq!(lint(&cr, SCRIPTS), lint(&lf, SCRIPTS));
    }
}

proptest! {
    // Each case is tens of kilobytes through every rule in a debug build: few cases keep the
    // harness's time in CI where it was (raise PROPTEST_CASES to run more).
    #![proptest_config(ProptestConfig::with_cases(slow_cases() / 3))]

    #[test]
    fn long_lines_keep_every_span_and_column_exact(text in long_lines()) {
        lint(&text, SCRIPTS);
        // Columns from the index's checkpoints equal a count from the line start.
        let index = LineIndex::new(&text);
        for offset in (0..text.len()).step_by(997).filter(|o| text.is_char_boundary(*o)) {
            let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let column = text[line_start..offset].chars().count() + 1;
            prop_assert_eq!(index.position(&text, offset).1, column);
        }
    }
}
