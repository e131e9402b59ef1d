//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it.
//!
//! The driver carries every rule's metadata (descriptions, help from the rule's docs, default
//! level, a link to its docs page); each result carries a region and `partialFingerprints`
//! from [`super::fingerprint`] (`primaryLocationLineHash`, the key code scanning matches alerts
//! by, and the same value under our own versioned key), so an alert survives lines moving.
//! Artifact URIs are relative to the repository's top (`%SRCROOT%`, whose absolute URI is in
//! `originalUriBaseIds`) whichever directory the run started in, as code scanning needs them.
//! The run's `invocations` say whether it succeeded, with a notification for every file that
//! was skipped or could not be read and every config that could not be loaded.
//! Only messages are printed, never source text: a finding may sit on a line holding a secret.

use serde::Serialize;
use serde_json::{json, Value};

use crate::diagnostic::Severity;
use crate::findings::CheckResult;
use crate::ruledocs::{self, RuleDoc};

/// The schema URI written into the log.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Key of our entry in `partialFingerprints` (beside `primaryLocationLineHash`).
pub const FINGERPRINT_KEY: &str = "runbookLint/v2";

/// The package's `repository` from Cargo.toml, if set.
fn repository() -> &'static str {
    option_env!("CARGO_PKG_REPOSITORY").unwrap_or("")
}

/// Where `docs/rules/RULE.md` is browsable in `repository` (none: no link).
fn help_uri(repository: &str, id: &str) -> Option<String> {
    ruledocs::url_in(repository, id)
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A rule's descriptor; `page`: it has a page under docs/rules (a built-in rule), linked as
/// `helpUri`. A team's pack rule is tagged `pack`.
fn rule_descriptor(doc: &RuleDoc, page: bool) -> Value {
    let mut rule = json!({
        "id": doc.id,
        "name": pascal_case(&doc.id),
        "shortDescription": { "text": doc.summary },
        "fullDescription": { "text": doc.what_it_does() },
        "help": { "text": doc.docs, "markdown": doc.docs },
        "defaultConfiguration": {
            "level": level(doc.default_severity),
            "enabled": doc.on_by_default,
        },
        "properties": { "tags": if page { json!(["runbook"]) } else { json!(["runbook", "pack"]) } },
    });
    if let Some(uri) = help_uri(repository(), &doc.id).filter(|_| page) {
        rule["helpUri"] = Value::String(uri);
    }
    rule
}

/// `missing-script` → `MissingScript`, SARIF's convention for `name`.
fn pascal_case(id: &str) -> String {
    id.split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// A relative path as a URI reference: `/`-separated, reserved characters percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::new();
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// An absolute path as a `file:` URI (`file:///C:/x` on Windows).
fn file_uri(path: &std::path::Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let text = if text.starts_with('/') {
        text
    } else {
        format!("/{text}")
    };
    // A drive letter's colon stays as it is.
    format!("file://{}", uri(&text).replacen("%3A", ":", 1))
}

/// Where a finding's file is: relative to the source root when under it, else absolute.
fn artifact(path: &str, options: &super::RenderOptions) -> ArtifactLocation {
    let absolute = crate::paths::normalize(&options.base.join(path));
    match absolute.strip_prefix(&options.source_root) {
        Ok(relative) => ArtifactLocation {
            uri: uri(&relative.to_string_lossy().replace('\\', "/")),
            uri_base_id: Some(SOURCE_ROOT),
        },
        Err(_) => ArtifactLocation {
            uri: file_uri(&absolute),
            uri_base_id: None,
        },
    }
}

/// The base id of artifact URIs: the repository's top.
const SOURCE_ROOT: &str = "%SRCROOT%";

// The results as typed structs borrowing from the findings: a `serde_json::Value` tree took
// 12 KB per result (1 GB for 80 000). Fields are in alphabetical order, as the sorted maps of
// a `Value` print them, so the log is byte-for-byte what it was.

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [Run<'a>; 1],
    version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    column_kind: &'static str,
    invocations: [Value; 1],
    original_uri_base_ids: Value,
    results: Results<'a>,
    tool: Value,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    fixes: Option<[Value; 1]>,
    level: &'static str,
    locations: [Location; 1],
    message: Text,
    partial_fingerprints: Fingerprints,
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    end_column: usize,
    end_line: usize,
    start_column: usize,
    start_line: usize,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "primaryLocationLineHash")]
    line_hash: String,
    #[serde(rename = "runbookLint/v2")]
    print: String,
}

/// A SARIF `fix`: one artifact change (fixes only touch the runbook) with a replacement per
/// edit; regions in the run's `unicodeCodePoints` columns. SARIF has no applicability, so
/// it rides in the property bag.
fn sarif_fix(
    artifact: &ArtifactLocation,
    fix: &crate::fix::Fix,
    locations: &[crate::span::Location],
) -> Value {
    let replacements: Vec<Value> = fix
        .edits
        .iter()
        .zip(locations)
        .map(|(edit, at)| {
            json!({
                "deletedRegion": {
                    "startLine": at.line,
                    "startColumn": at.column,
                    "endLine": at.end_line,
                    "endColumn": at.end_column,
                },
                "insertedContent": { "text": edit.replacement },
            })
        })
        .collect();
    json!({
        "description": { "text": fix.description },
        "artifactChanges": [{
            "artifactLocation": artifact,
            "replacements": replacements,
        }],
        "properties": { "applicability": fix.applicability.name() },
    })
}

/// The run's invocation: whether it succeeded (no file or config failed), and a notification
/// for each problem that is not a finding.
fn invocation(result: &CheckResult) -> Value {
    let notification =
        |level: &str, text: String| json!({ "level": level, "message": { "text": text } });
    let mut execution = Vec::new();
    let mut configuration = Vec::new();
    for error in &result.errors {
        match error {
            crate::findings::ToolError::Config(_) => {
                configuration.push(notification("error", error.to_string()))
            }
            _ => execution.push(notification("error", error.to_string())),
        }
    }
    for warning in &result.warnings {
        execution.push(notification("warning", warning.clone()));
    }
    let mut invocation = json!({ "executionSuccessful": result.errors.is_empty() });
    if !execution.is_empty() {
        invocation["toolExecutionNotifications"] = Value::Array(execution);
    }
    if !configuration.is_empty() {
        invocation["toolConfigurationNotifications"] = Value::Array(configuration);
    }
    invocation
}

/// The SARIF log as pretty JSON with a trailing newline.
pub fn render(result: &CheckResult, options: &super::RenderOptions) -> String {
    let mut out = Vec::new();
    write(result, options, None, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("SARIF is UTF-8")
}

/// The results, made one at a time as they are written rather than collected first.
struct Results<'a> {
    result: &'a CheckResult,
    /// Each file's fingerprints, when they were computed while its text was at hand.
    prints: Option<&'a [Vec<String>]>,
    options: &'a super::RenderOptions,
    rule_indexes: std::collections::HashMap<&'a str, usize>,
}

impl Serialize for Results<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.result.files.iter().enumerate().flat_map(|(i, file)| {
            let prints = match self.prints {
                Some(prints) => prints[i].clone(),
                None => super::fingerprint::fingerprints(file),
            };
            let artifact = artifact(&file.path, self.options);
            file.findings.iter().zip(prints).map(move |(f, print)| {
                let mut text = f.message.clone();
                if let Some(help) = &f.help {
                    text.push_str("\nhelp: ");
                    text.push_str(help);
                }
                SarifResult {
                    fixes: f
                        .fix
                        .as_ref()
                        .map(|fix| [sarif_fix(&artifact, fix, &f.fix_locations)]),
                    level: level(f.severity),
                    locations: [Location {
                        physical_location: PhysicalLocation {
                            artifact_location: artifact.clone(),
                            region: Region {
                                end_column: f.location.end_column,
                                end_line: f.location.end_line,
                                start_column: f.location.column,
                                start_line: f.location.line,
                            },
                        },
                    }],
                    message: Text { text },
                    partial_fingerprints: Fingerprints {
                        line_hash: print.clone(),
                        print,
                    },
                    rule_id: &f.rule,
                    rule_index: self.rule_indexes.get(f.rule.as_str()).copied(),
                }
            })
        }))
    }
}

/// Writes [`render`]'s log to `sink` as it is serialised. `prints`: each file's
/// [`super::fingerprint::fingerprints`], computed while its text was at hand (the text may
/// be gone); `None` computes them from the files' texts.
pub fn write(
    result: &CheckResult,
    options: &super::RenderOptions,
    prints: Option<&[Vec<String>]>,
    sink: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    // Built-in rules, then the projects' pack rules (one descriptor per id).
    let mut docs: Vec<(&RuleDoc, bool)> = options.rules.iter().map(|d| (d, true)).collect();
    for doc in &result.pack_rules {
        if !docs.iter().any(|(known, _)| known.id == doc.id) {
            docs.push((doc, false));
        }
    }
    let rule_indexes: std::collections::HashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, &(d, _))| (d.id.as_str(), i))
        .collect();
    let mut driver = json!({
        "name": "runbook-lint",
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "rules": docs
            .iter()
            .map(|(doc, page)| rule_descriptor(doc, *page))
            .collect::<Vec<_>>(),
    });
    if !repository().is_empty() {
        driver["informationUri"] = json!(repository());
    }
    let log = Log {
        schema: SCHEMA,
        runs: [Run {
            column_kind: "unicodeCodePoints",
            invocations: [invocation(result)],
            original_uri_base_ids: json!({ SOURCE_ROOT: {
                "uri": format!("{}/", file_uri(&options.source_root).trim_end_matches('/')),
                "description": { "text": "the top of the repository (else the directory runbook-lint ran in)" },
            } }),
            results: Results {
                result,
                prints,
                options,
                rule_indexes,
            },
            tool: json!({ "driver": driver }),
        }],
        version: "2.1.0",
    };
    serde_json::to_writer_pretty(&mut *sink, &log)?;
    sink.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_uris() {
        assert_eq!(pascal_case("missing-script"), "MissingScript");
        assert_eq!(uri("docs/run book#1.md"), "docs/run%20book%231.md");
        assert_eq!(
            file_uri(std::path::Path::new("/abs/a b.md")),
            "file:///abs/a%20b.md"
        );
        assert_eq!(level(Severity::Info), "note");
        assert_eq!(help_uri("", "missing-script"), None);
        assert_eq!(
            help_uri(
                "https://example.invalid/org/runbook-lint/",
                "missing-script"
            )
            .as_deref(),
            Some("https://example.invalid/org/runbook-lint/blob/main/docs/rules/missing-script.md")
        );
    }
}
