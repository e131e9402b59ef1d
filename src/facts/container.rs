//! Container builds and dev containers: a Dockerfile's `ENV` and `ARG` lines, and a
//! `devcontainer.json`'s `containerEnv` and `remoteEnv` (JSON with comments, as VS Code
//! writes it). Dev container compose files are compose files, read by [`super::compose`].

use super::env::EnvFacts;
use super::{Catalog, ManifestReader};
use crate::command::shell::is_var_name;
use crate::manifests::Kind;
use crate::span::Span;

/// Reads the project's Dockerfiles and dev container files into `env`.
pub fn load(reader: &mut ManifestReader, catalog: &Catalog<'_>, env: &mut EnvFacts) {
    for (path, kind) in catalog.entries(&[Kind::Dockerfile, Kind::Devcontainer]) {
        let Some(text) = reader.read(path) else {
            continue;
        };
        env.add_manifest(path);
        if kind == Kind::Dockerfile {
            for (name, span, instruction) in dockerfile_env(&text) {
                env.declare(name, path, span, Some(instruction));
            }
            continue;
        }
        // An empty file declares nothing (a placeholder, or a file being written).
        if text.trim().is_empty() {
            continue;
        }
        let clean = strip_jsonc(&text);
        match serde_json::from_str::<serde_json::Value>(&clean) {
            Ok(json) => {
                for key in ["containerEnv", "remoteEnv"] {
                    let Some(map) = json.get(key).and_then(|m| m.as_object()) else {
                        continue;
                    };
                    for name in map.keys().filter(|n| is_var_name(n)) {
                        let at = quoted_key_offset(&text, name);
                        env.declare(name, path, Span::new(at, at + name.len()), Some(key));
                    }
                }
            }
            Err(error) => reader.problem(super::json_problem(path, &text, &error)),
        }
    }
}

/// Offset of `"name"` in `text` (inside the quotes), 0 when not found.
fn quoted_key_offset(text: &str, name: &str) -> usize {
    text.find(&format!("\"{name}\"")).map_or(0, |i| i + 1)
}

/// The variables of a Dockerfile's `ENV` (`ENV A=1 B=2`, legacy `ENV A 1`) and `ARG`
/// (`ARG A`, `ARG A=1 B`) instructions, continuation lines joined.
pub fn dockerfile_env(text: &str) -> Vec<(&str, Span, &'static str)> {
    /// The instruction a continued line belongs to (`None`: one that declares nothing).
    enum State {
        Start,
        Continues(Option<&'static str>),
    }
    let mut out = Vec::new();
    let mut state = State::Start;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.trim_end();
        let trimmed = body.trim_start();
        // Comment lines are skipped, inside a continued instruction too.
        if trimmed.starts_with('#') {
            continue;
        }
        let continues = trimmed.ends_with('\\');
        let lead = body.len() - trimmed.len();
        let (instruction, rest, rest_at, first) = match state {
            State::Continues(instruction) => (instruction, trimmed, start + lead, false),
            State::Start => {
                let word = trimmed.split(char::is_whitespace).next().unwrap_or("");
                let instruction = match word.to_ascii_uppercase().as_str() {
                    "ENV" => Some("ENV"),
                    "ARG" => Some("ARG"),
                    _ => None,
                };
                let rest = &trimmed[word.len()..];
                (instruction, rest, start + lead + word.len(), true)
            }
        };
        state = if continues {
            State::Continues(instruction)
        } else {
            State::Start
        };
        let Some(instruction) = instruction else {
            continue;
        };
        let words = split_words(rest);
        // `ENV NAME value with spaces`: only the first word is a name.
        let legacy =
            instruction == "ENV" && first && words.first().is_some_and(|(_, w)| !w.contains('='));
        for (index, (at, word)) in words.iter().enumerate() {
            if instruction == "ENV" && !legacy && !word.contains('=') {
                continue;
            }
            let name = word.split('=').next().unwrap_or("");
            if is_var_name(name) {
                let at = rest_at + at;
                out.push((name, Span::new(at, at + name.len()), instruction));
            }
            if legacy && index == 0 {
                break;
            }
        }
    }
    out
}

/// Whitespace-separated words with their offsets, quoted runs kept together.
fn split_words(text: &str) -> Vec<(usize, &str)> {
    let mut words = Vec::new();
    let mut start = None;
    let mut quote = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => {
                quote = Some(c);
                start.get_or_insert(i);
            }
            (None, '\\') => {}
            (None, c) if c.is_whitespace() => {
                if let Some(s) = start.take() {
                    words.push((s, &text[s..i]));
                }
            }
            (None, _) => {
                start.get_or_insert(i);
            }
        }
    }
    if let Some(s) = start {
        words.push((s, text[s..].trim_end_matches('\\').trim_end()));
    }
    words
}

/// JSON with comments (`//`, `/* */`) and trailing commas made plain JSON, byte length and
/// line breaks kept so parse errors point at the original text.
pub fn strip_jsonc(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut i = 0;
    let mut in_string = false;
    // Index of the last comma outside strings and comments not yet followed by a value.
    let mut pending_comma: Option<usize> = None;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            if b == b'\\' {
                i += 2;
                continue;
            }
            if b == b'"' {
                in_string = false;
            }
            i += 1;
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                pending_comma = None;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    out[i] = b' ';
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = text[i + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |e| i + 2 + e + 2);
                for (j, byte) in out.iter_mut().enumerate().take(end).skip(i) {
                    if bytes[j] != b'\n' {
                        *byte = b' ';
                    }
                }
                i = end;
                continue;
            }
            b',' => pending_comma = Some(i),
            b'}' | b']' => {
                if let Some(comma) = pending_comma.take() {
                    out[comma] = b' ';
                }
            }
            b if b.is_ascii_whitespace() => {}
            _ => pending_comma = None,
        }
        i += 1;
    }
    // Only ASCII bytes were replaced, by ASCII spaces: still UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn dockerfile_env_and_arg() {
        let text = "FROM node:20\nARG BUILD_SHA\narg NPM_TOKEN=x\nENV NODE_ENV=production \\\n    API_URL=\"https://x y\" \\\n    WORKERS=4\nENV LEGACY_NAME some value\n# ENV COMMENTED=1\nRUN echo A=1\n";
        let found: Vec<(&str, &str)> = dockerfile_env(text)
            .into_iter()
            .map(|(n, span, i)| {
                assert_eq!(&text[span.range()], n);
                (n, i)
            })
            .collect();
        assert_eq!(
            found,
            vec![
                ("BUILD_SHA", "ARG"),
                ("NPM_TOKEN", "ARG"),
                ("NODE_ENV", "ENV"),
                ("API_URL", "ENV"),
                ("WORKERS", "ENV"),
                ("LEGACY_NAME", "ENV"),
            ]
        );
    }

    #[test]
    fn jsonc_becomes_json() {
        let text = "{\n  // comment with \"quote\"\n  \"containerEnv\": {\"A_B\": \"x // not a comment\",},\n  /* block */ \"remoteEnv\": {\"C_D\": \"y\"},\n}\n";
        let clean = strip_jsonc(text);
        assert_eq!(clean.len(), text.len());
        let json: serde_json::Value = serde_json::from_str(&clean).unwrap();
        assert_eq!(json["containerEnv"]["A_B"], "x // not a comment");
    }

    #[test]
    fn devcontainer_env() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".devcontainer")).unwrap();
        std::fs::write(
            dir.path().join(".devcontainer/devcontainer.json"),
            "{\n  // VS Code\n  \"containerEnv\": {\"DEV_DATABASE_URL\": \"x\"},\n  \"remoteEnv\": {\"EDITOR_THEME\": \"y\"},\n}\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("Dockerfile"), "FROM x\nENV APP_HOME=/app\n").unwrap();
        let files: BTreeSet<String> = [".devcontainer/devcontainer.json", "Dockerfile"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut reader = ManifestReader::new(dir.path());
        let mut env = EnvFacts::default();
        load(&mut reader, &Catalog::new(&files), &mut env);
        assert!(reader.problems.is_empty(), "{:?}", reader.problems);
        for name in ["DEV_DATABASE_URL", "EDITOR_THEME", "APP_HOME"] {
            assert!(env.is_declared(name), "{name}");
        }
    }
}
