//! `runbook-lint server` driven over stdio as an editor drives it: framed JSON-RPC messages
//! with `Content-Length` headers, every wait bounded so a hang fails the test instead of
//! stalling CI.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

#[path = "../support/lsp_client.rs"]
mod lsp_client;
use lsp_client::{file_uri, Client};

use crate::common::copy_dir;

/// The server of the binary under test, in `root`.
fn start(root: &Path) -> Client {
    Client::start(&assert_cmd::cargo::cargo_bin("runbook-lint"), root)
}

/// A copy of `fixtures/fix` (package.json scripts: test, test:e2e, lint, db:deploy).
fn project() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    // Canonical, so the file URIs match the paths the server resolves.
    let root = dir.path().canonicalize().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fix"),
        &root,
    );
    (dir, root)
}

fn initialize(client: &mut Client, root: &Path) -> Value {
    let id = client.request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": file_uri(root),
            "capabilities": {
                "general": { "positionEncodings": ["utf-16"] },
                "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } },
                "window": { "showDocument": { "support": true } },
            },
            "initializationOptions": { "debounceMs": 5 },
        }),
    );
    let response = client.response(id);
    client.notify("initialized", json!({}));
    response
}

fn codes(diagnostics: &[Value]) -> Vec<(u64, String)> {
    diagnostics
        .iter()
        .map(|d| {
            (
                d["range"]["start"]["line"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Applies LSP text edits (non-overlapping, single-line ranges here) to `text`.
fn apply_edits(text: &str, edits: &[Value]) -> String {
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let mut edits = edits.to_vec();
    edits.sort_by_key(|e| {
        std::cmp::Reverse((
            e["range"]["start"]["line"].as_u64().unwrap(),
            e["range"]["start"]["character"].as_u64().unwrap(),
        ))
    });
    for edit in edits {
        let line = edit["range"]["start"]["line"].as_u64().unwrap() as usize;
        assert_eq!(edit["range"]["end"]["line"], edit["range"]["start"]["line"]);
        let chars: Vec<char> = lines[line].chars().collect();
        let start = edit["range"]["start"]["character"].as_u64().unwrap() as usize;
        let end = edit["range"]["end"]["character"].as_u64().unwrap() as usize;
        let new: String = chars[..start].iter().collect::<String>()
            + edit["newText"].as_str().unwrap()
            + &chars[end..].iter().collect::<String>();
        lines[line] = new;
    }
    lines.join("\n")
}

#[test]
fn an_editor_session_from_open_to_exit() {
    let (_dir, root) = project();
    let mut client = start(&root);
    let init = initialize(&mut client, &root);
    let capabilities = &init["result"]["capabilities"];
    assert_eq!(capabilities["positionEncoding"], "utf-16");
    assert_eq!(capabilities["textDocumentSync"]["change"], 2, "incremental");
    assert_eq!(capabilities["hoverProvider"], true);
    assert_eq!(
        capabilities["executeCommandProvider"]["commands"][0],
        "runbook-lint.openManifest"
    );

    // The server asks to watch manifests; the client agrees.
    let registration = client.expect("client/registerCapability", |m| {
        m["method"] == "client/registerCapability"
    });
    let watchers = registration["params"]["registrations"][0]["registerOptions"]["watchers"]
        .as_array()
        .unwrap();
    assert!(watchers
        .iter()
        .any(|w| w["globPattern"].as_str().unwrap().contains("package.json")));
    let id = registration["id"].clone();
    client.send(json!({"jsonrpc": "2.0", "id": id, "result": null}));

    // Open a runbook whose unsaved text differs from the file on disk.
    let path = root.join("docs/runbook.md");
    let uri = file_uri(&path);
    let mut text =
        "# Deploy\n\n1. Run `pnpm tset` → then deploy\n2. Lint: `pnpm lint`\n".to_string();
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
    );
    let diagnostics = client.diagnostics(&uri, 1);
    assert_eq!(codes(&diagnostics), vec![(2, "missing-script".to_string())]);
    let first = &diagnostics[0];
    assert_eq!(first["range"]["start"]["character"], 13);
    assert_eq!(first["source"], "runbook-lint");
    assert!(first["message"]
        .as_str()
        .unwrap()
        .starts_with("script `tset` not found in package.json\nhelp: did you mean `test`"));
    assert!(first["codeDescription"]["href"]
        .as_str()
        .unwrap()
        .ends_with("/docs/rules/missing-script.md"));
    assert_eq!(
        first["relatedInformation"][0]["location"]["uri"],
        file_uri(&root.join("package.json"))
    );

    // An incremental change: `tset` becomes `build`, which package.json lacks too.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{
                "range": {"start": {"line": 2, "character": 13}, "end": {"line": 2, "character": 17}},
                "text": "build",
            }],
        }),
    );
    text = text.replace("tset", "build");
    let diagnostics = client.diagnostics(&uri, 2);
    assert_eq!(codes(&diagnostics), vec![(2, "missing-script".to_string())]);
    assert!(diagnostics[0]["message"]
        .as_str()
        .unwrap()
        .starts_with("script `build` not found"));
    // After the arrow (one UTF-16 unit, three bytes) columns still line up.
    assert_eq!(diagnostics[0]["range"]["end"]["character"], 18);

    // package.json gains `build` on disk; the watcher tells the server.
    let manifest = root.join("package.json");
    let updated = std::fs::read_to_string(&manifest).unwrap().replace(
        "\"lint\": \"eslint .\",",
        "\"lint\": \"eslint .\",\n    \"build\": \"tsc\",",
    );
    std::fs::write(&manifest, updated).unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&manifest), "type": 2}]}),
    );
    let diagnostics = client.diagnostics(&uri, 2);
    assert_eq!(
        codes(&diagnostics),
        vec![],
        "the renamed script resolves now"
    );

    // A typo again, then its code actions.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri, "version": 3},
            "contentChanges": [{"text": text.replace("build", "tset")}],
        }),
    );
    text = text.replace("build", "tset");
    let diagnostics = client.diagnostics(&uri, 3);
    assert_eq!(codes(&diagnostics), vec![(2, "missing-script".to_string())]);
    let range = diagnostics[0]["range"].clone();

    let id = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 15}}),
    );
    let hover = client.response(id);
    let shown = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        shown.starts_with("**missing-script** (error): script `tset` not found"),
        "{shown}"
    );
    assert!(shown.contains("#### What it does"), "{shown}");

    let id = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": range,
            "context": {"diagnostics": diagnostics},
        }),
    );
    let actions = client.response(id)["result"].as_array().unwrap().clone();
    let titles: Vec<&str> = actions
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        vec![
            "replace `tset` with `test`",
            "Disable missing-script for this line",
            "Open package.json (checked by missing-script)",
            "Apply 1 safe runbook-lint fixes",
        ]
    );
    assert_eq!(actions[0]["isPreferred"], true);
    assert_eq!(actions[3]["kind"], "source.fixAll.runbook-lint");
    let disable = actions[1]["edit"]["changes"][&uri][0].clone();
    assert_eq!(
        disable["newText"],
        "<!-- runbook-lint-disable-next-line missing-script -->\n"
    );

    // Apply the fix as an editor would: the edit, then a change notification.
    let edits = actions[0]["edit"]["changes"][&uri]
        .as_array()
        .unwrap()
        .clone();
    text = apply_edits(&text, &edits);
    assert!(text.contains("`pnpm test` → then deploy"), "{text}");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 4}, "contentChanges": [{"text": text}]}),
    );
    assert_eq!(codes(&client.diagnostics(&uri, 4)), vec![]);

    // Open the manifest that was checked: the server asks the editor to show it.
    let command = actions[2]["command"].clone();
    let id = client.request(
        "workspace/executeCommand",
        json!({"command": command["command"], "arguments": command["arguments"]}),
    );
    let show = client.expect("window/showDocument", |m| {
        m["method"] == "window/showDocument"
    });
    assert_eq!(show["params"]["uri"], file_uri(&manifest));
    client.send(json!({"jsonrpc": "2.0", "id": show["id"], "result": {"success": true}}));
    assert_eq!(client.response(id)["result"], Value::Null);

    // Closing clears the document's diagnostics.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    let cleared = client.expect("cleared diagnostics", |m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"].is_null()
    });
    assert_eq!(cleared["params"]["diagnostics"], json!([]));

    let id = client.request("shutdown", Value::Null);
    assert_eq!(client.response(id)["result"], Value::Null);
    client.notify("exit", Value::Null);
    assert_eq!(client.wait(), 0, "exit after shutdown is a clean exit");
}

#[test]
fn malformed_requests_get_errors_and_the_server_carries_on() {
    let (_dir, root) = project();
    let mut client = start(&root);
    let error_code = |message: &Value| message["error"]["code"].as_i64();

    // Before `initialize`.
    let id = client.request("textDocument/hover", json!({}));
    assert_eq!(error_code(&client.response(id)), Some(-32002));
    initialize(&mut client, &root);

    // Bytes that are not JSON: a parse error with a null id.
    client.write_raw(b"Content-Length: 9\r\n\r\n{not json");
    let parse = client.expect("a parse error", |m| {
        m["id"].is_null() && m.get("error").is_some()
    });
    assert_eq!(error_code(&parse), Some(-32700));
    // JSON that is not a message, and a batch.
    client.send(json!({"jsonrpc": "2.0", "id": 41, "params": {}}));
    let invalid = client.response(41);
    assert_eq!(error_code(&invalid), Some(-32600));
    client.send(json!([{"jsonrpc": "2.0", "id": 42, "method": "shutdown"}]));
    let batch = client.expect("a batch error", |m| {
        m["id"].is_null() && m.get("error").is_some()
    });
    assert_eq!(error_code(&batch), Some(-32600));
    // No Content-Length at all.
    client.write_raw(b"Content-Type: application/json\r\n\r\n");
    let headerless = client.expect("a header error", |m| {
        m["id"].is_null() && m.get("error").is_some()
    });
    assert_eq!(error_code(&headerless), Some(-32700));
    // Unknown method, bad params, a bad URI, an unknown command.
    let id = client.request("textDocument/definitelyNot", json!({}));
    assert_eq!(error_code(&client.response(id)), Some(-32601));
    let id = client.request("textDocument/hover", json!({"textDocument": 5}));
    assert_eq!(error_code(&client.response(id)), Some(-32602));
    let id = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": "not a uri"}, "range": {}, "context": {}}),
    );
    assert_eq!(error_code(&client.response(id)), Some(-32602));
    let id = client.request("workspace/executeCommand", json!({"command": "rm -rf /"}));
    assert_eq!(error_code(&client.response(id)), Some(-32602));
    // A notification with bad params cannot be answered: it is logged, nothing crashes.
    client.notify("textDocument/didOpen", json!({"textDocument": {"uri": 7}}));
    client.expect("a log message", |m| m["method"] == "window/logMessage");
    // Positions past the end and documents nobody opened are not errors.
    let id = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///nowhere.md"}, "position": {"line": 99, "character": 99}}),
    );
    assert_eq!(client.response(id)["result"], Value::Null);

    // Still alive and well.
    let uri = file_uri(&root.join("docs/runbook.md"));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": "Run `pnpm tset`\n"}}),
    );
    assert_eq!(codes(&client.diagnostics(&uri, 1)).len(), 1);
    let id = client.request("shutdown", Value::Null);
    assert_eq!(client.response(id)["result"], Value::Null);
    // After shutdown, requests are refused.
    let id = client.request("textDocument/hover", json!({}));
    assert_eq!(error_code(&client.response(id)), Some(-32600));
    client.notify("exit", Value::Null);
    assert_eq!(client.wait(), 0);
}

#[test]
fn exit_without_shutdown_is_status_1() {
    let (_dir, root) = project();
    let mut client = start(&root);
    initialize(&mut client, &root);
    client.notify("exit", Value::Null);
    assert_eq!(client.wait(), 1);
}

#[test]
fn the_config_applies_and_a_broken_one_is_reported() {
    let (_dir, root) = project();
    let config = root.join("runbook-lint.toml");
    std::fs::write(&config, "[rules]\nmissing-script = \"warning\"\n").unwrap();
    let mut client = start(&root);
    initialize(&mut client, &root);
    let uri = file_uri(&root.join("docs/runbook.md"));
    let text = "Run `pnpm tset`\n\n<!-- runbook-lint-disable-next-line missing-make-target -->\nRun `make deplyo`\n";
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
    );
    let diagnostics = client.diagnostics(&uri, 1);
    assert_eq!(
        codes(&diagnostics),
        vec![(0, "missing-script".to_string())],
        "the make target is suppressed"
    );
    assert_eq!(
        diagnostics[0]["severity"], 2,
        "the config makes it a warning"
    );

    // A broken config: the editor is told where, and linting goes on with the defaults.
    std::fs::write(&config, "[rules\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&config), "type": 2}]}),
    );
    let shown = client.expect("window/showMessage", |m| {
        m["method"] == "window/showMessage"
    });
    let message = shown["params"]["message"].as_str().unwrap();
    assert!(message.contains("runbook-lint.toml"), "{message}");
    let diagnostics = client.diagnostics(&uri, 1);
    assert_eq!(diagnostics[0]["severity"], 1, "default severity again");

    let id = client.request("shutdown", Value::Null);
    client.response(id);
    client.notify("exit", Value::Null);
    assert_eq!(client.wait(), 0);
}

#[test]
fn a_manifest_saved_in_the_editor_reloads_its_project() {
    let (_dir, root) = project();
    let mut client = start(&root);
    initialize(&mut client, &root);
    let uri = file_uri(&root.join("docs/runbook.md"));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": "Run `pnpm build`\n"}}),
    );
    assert_eq!(codes(&client.diagnostics(&uri, 1)).len(), 1);
    // The editor opens package.json too: it is not a runbook, nothing is linted.
    let manifest = root.join("package.json");
    let manifest_uri = file_uri(&manifest);
    let text = std::fs::read_to_string(&manifest).unwrap();
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": manifest_uri, "languageId": "json", "version": 1, "text": text}}),
    );
    std::fs::write(
        &manifest,
        text.replace("\"lint\":", "\"build\": \"tsc\",\n    \"lint\":"),
    )
    .unwrap();
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": manifest_uri}}),
    );
    assert_eq!(codes(&client.diagnostics(&uri, 1)), vec![]);
    let id = client.request("shutdown", Value::Null);
    client.response(id);
    assert!(
        !client
            .backlog
            .iter()
            .any(|m| m["params"]["uri"] == manifest_uri),
        "no diagnostics for package.json: {:#?}",
        client.backlog
    );
    client.notify("exit", Value::Null);
    assert_eq!(client.wait(), 0);
}
