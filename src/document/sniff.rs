//! Is an extension-less file Markdown? A file named on the command line without a Markdown
//! extension (`RUNBOOK`, `Dockerfile`, `CODEOWNERS`) is linted only when its text reads as
//! Markdown, since any text parses as Markdown and a Dockerfile's `# comment` is a heading.

use std::sync::LazyLock;

use regex::{Regex, RegexSet};

/// Lines only Markdown writes.
static MARKDOWN_LINES: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSet::new([
        r"^ {0,3}#{1,6}[ \t]+[A-Za-z0-9*_`\[]", // ATX heading (checked against comments below)
        r"^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+\S", // list item
        r"^ {0,3}(?:```|~~~)",                  // fence
        r"\[[^\]\n]+\]\([^)\s]+\)",             // inline link
        r"^ {0,3}>",                            // block quote
        r"^ {0,3}\|.*\|\s*$",                   // table row
        r"^ {0,3}(?:=+|-+)\s*$",                // setext underline
        r"\*\*[^*\n]+\*\*",                     // strong emphasis
    ])
    .expect("markdown line patterns")
});

/// Lines no Markdown prose writes: Dockerfile instructions, shell assignments, JSON braces,
/// statement ends, CODEOWNERS rules.
static CODE_LINES: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSet::new([
        r"^(?:FROM|RUN|COPY|ADD|ENV|ARG|CMD|ENTRYPOINT|WORKDIR|EXPOSE|USER|LABEL|VOLUME|HEALTHCHECK|SHELL|ONBUILD|STOPSIGNAL)\s",
        r"^(?:export\s+)?[A-Za-z_][A-Za-z0-9_]*=",
        r"^\s*[{}\[\]],?\s*$",
        r"[;{]\s*$",
        r"^[\w./*-]+\s+@[\w-]",
    ])
    .expect("code line patterns")
});

/// Lines of configuration that prose may also write (`Owner: platform`): counted only when
/// nothing Markdown is on the line.
static CONFIG_LINES: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSet::new([
        r#"^\s*[A-Za-z0-9_."'-]+:(?:\s|$)"#,
        r"^\s*\[[\w.\s-]+\]\s*$",
        r"^\s*[A-Za-z0-9_.-]+\s*=\s*\S",
    ])
    .expect("config line patterns")
});

/// A `#` comment of a script or config rather than a heading: `# syntax=docker/...`,
/// `# -*- mode -*-`, `#!`.
static COMMENT_DIRECTIVE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^#(?:!|\s*(?:syntax|escape|-\*-))").expect("directive regex"));

/// True when `text` reads as Markdown: no shebang, and more lines that only Markdown writes
/// than lines of code or configuration (plain prose with neither counts as Markdown).
pub fn looks_like_markdown(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.starts_with("#!") {
        return false;
    }
    let (mut markdown, mut code) = (0usize, 0usize);
    for line in text.lines().take(400) {
        if COMMENT_DIRECTIVE.is_match(line) {
            code += 1;
            continue;
        }
        if CODE_LINES.is_match(line) {
            code += 1;
        } else if MARKDOWN_LINES.is_match(line) {
            markdown += 1;
        } else if CONFIG_LINES.is_match(line) {
            code += 1;
        }
    }
    code == 0 || markdown > code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_and_prose_read_as_markdown() {
        assert!(looks_like_markdown(
            "# Deploy\n\n1. Run `make deploy`.\n2. Check [the dashboard](https://x).\n"
        ));
        assert!(looks_like_markdown(
            "Restart the worker, then page the on-call.\n"
        ));
        assert!(looks_like_markdown(
            "Runbook\n=======\n\nOwner: platform\n\n- [ ] step one\n- [ ] step two\n"
        ));
    }

    #[test]
    fn scripts_and_configs_do_not() {
        for text in [
            "#!/bin/sh\n# TODO: remove\necho hi\n",
            "# syntax=docker/dockerfile:1\n# TODO pin\nFROM node:20\nRUN npm ci\n",
            "FROM python:3.12\n# Install\nRUN pip install -r requirements.txt\nCMD [\"app\"]\n",
            "services:\n  api:\n    image: x # TODO\n    ports:\n      - \"80:80\"\n",
            "DATABASE_URL=postgres://x\n# TBD\nREDIS_URL=\n",
            "{\n  \"name\": \"x\",\n  \"todo\": \"[TBD]\"\n}\n",
            "[tool.x]\nkey = \"TODO\"\n",
            "# Owners\n* @org/platform\ndocs/ @org/docs\n",
        ] {
            assert!(!looks_like_markdown(text), "{text}");
        }
    }
}
