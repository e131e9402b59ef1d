//! The layering of the crate, checked on its source: each top-level module may use only
//! modules of a lower layer, so the module graph has no cycle, and no rule parses argv.
//!
//! The layers are the data flow of the README's architecture section: command (shell) →
//! document (Markdown) → facts and config → rules → engine → report and CLI. A new module
//! gets a layer here; a use that points up a layer fails this test with the file and line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Each top-level module and its layer: a module may use modules of lower layers only.
const LAYERS: &[(&str, u8)] = &[
    ("text", 0),
    ("fsio", 0),
    ("date", 0),
    ("suggest", 0),
    ("span", 1),
    ("paths", 1),
    ("redact", 1),
    ("fix", 2),
    ("manifests", 2),
    ("robust", 2),
    ("diagnostic", 3),
    ("ruledocs", 4),
    ("command", 4),
    ("document", 5),
    ("facts", 6),
    ("config", 6),
    ("suppress", 6),
    ("findings", 7),
    ("discover", 7),
    ("init", 7),
    ("rules", 8),
    ("report", 8),
    ("changed", 8),
    ("baseline", 9),
    ("progress", 9),
    ("engine", 10),
    ("server", 11),
    ("cli", 12),
];

/// Modules of the command layer that split and peel command lines: only the command layer
/// itself and the document model (which hands it lines) may use them. Rules match on
/// invocations.
const PARSING: &[&str] = &["command::shell", "command::argv", "command::lines"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// `.rs` files under `dir`, test-only files (`tests.rs`) left out.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs")
            && path.file_name().is_some_and(|n| n != "tests.rs")
        {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`src/facts/node.rs` → `facts`).
fn module_of(path: &Path) -> String {
    let relative = path.strip_prefix(src()).unwrap();
    let first = relative.components().next().unwrap().as_os_str();
    first.to_string_lossy().trim_end_matches(".rs").to_string()
}

/// `(line number, line)` of the non-test code of a file: up to its first `#[cfg(test)]`
/// (test modules close each file), comments left out.
fn code_lines(text: &str) -> Vec<(usize, &str)> {
    text.lines()
        .enumerate()
        .take_while(|(_, line)| line.trim() != "#[cfg(test)]")
        .filter(|(_, line)| !line.trim_start().starts_with("//"))
        .map(|(i, line)| (i + 1, line))
        .collect()
}

/// The modules a line names: `crate::x::...` and each item of `crate::{x, y}`.
fn used_modules(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in line.match_indices("crate::") {
        let rest = &line[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = group.split('}').next().unwrap_or("");
            for item in inner.split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                found.push(name);
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            found.push(name);
        }
    }
    found.retain(|n| !n.is_empty());
    found
}

#[test]
fn modules_use_only_lower_layers() {
    let layers: BTreeMap<&str, u8> = LAYERS.iter().copied().collect();
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files.sort();
    let mut violations = Vec::new();
    for file in &files {
        let module = module_of(file);
        if module == "lib" || module == "main" {
            continue;
        }
        let Some(&own) = layers.get(module.as_str()) else {
            violations.push(format!(
                "{module}: give it a layer in tests/it/architecture.rs"
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        for (number, line) in code_lines(&text) {
            for used in used_modules(line) {
                if used == module {
                    continue;
                }
                match layers.get(used.as_str()) {
                    Some(&layer) if layer < own => {}
                    Some(&layer) => violations.push(format!(
                        "{}:{number}: `{module}` (layer {own}) uses `{used}` (layer {layer})",
                        file.display()
                    )),
                    None => violations.push(format!(
                        "{}:{number}: `{used}` has no layer",
                        file.display()
                    )),
                }
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn no_rule_parses_argv() {
    let mut files = Vec::new();
    rust_files(&src().join("rules"), &mut files);
    let mut violations = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for (number, line) in code_lines(&text) {
            for parsing in PARSING {
                if line.contains(parsing) {
                    violations.push(format!("{}:{number}: {parsing}", file.display()));
                }
            }
        }
    }
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn the_checker_sees_what_it_checks() {
    // The parser of this test finds both forms of use, so a passing run means something.
    assert_eq!(
        used_modules("use crate::{config::Settings, document};"),
        vec!["config", "document"]
    );
    assert_eq!(
        used_modules("let x = crate::rules::docs(); // crate::engine"),
        vec!["rules", "engine"]
    );
    assert_eq!(module_of(&src().join("facts/node.rs")), "facts");
    let text = "use crate::a;\n// crate::b\n#[cfg(test)]\nuse crate::c;\n";
    let lines: Vec<usize> = code_lines(text).iter().map(|(n, _)| *n).collect();
    assert_eq!(lines, vec![1]);
}
