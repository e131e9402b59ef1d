//! `runbook-lint server`: a language server over stdio.
//!
//! It lints the open Markdown documents from their unsaved text, as the batch run would
//! ([`crate::engine::Project::lint`]: same rules, config, suppressions, severities, masking),
//! debounced while the author types. Each project root's settings and facts are loaded once,
//! on a background thread so a large repository never stalls the editor, and reloaded when
//! a manifest, the config or another file changes (`workspace/didChangeWatchedFiles`, with
//! watchers registered when the client allows) and on save. Only open documents are linted;
//! other runbooks' headings are read lazily, when a link needs them.
//!
//! Beyond diagnostics (with `codeDescription` links to the rule's page): hover shows the
//! rule's documentation, and code actions apply a finding's fix, add a suppression comment,
//! open the manifest it was checked against, or apply every safe fix (`source.fixAll`).
//!
//! Synchronous by design (lsp-server's message types, crossbeam channels, no async
//! runtime): one main loop owns the state; only project loading runs elsewhere. A panic in a
//! handler is caught and answered with an `InternalError`, never a crash.

// `lsp_types::Uri` keys maps: it hashes and compares its text only; the interior mutability
// clippy sees is fluent-uri's parse cache.
#![allow(clippy::mutable_key_type)]

mod actions;
pub mod convert;
pub mod transport;

use std::collections::HashMap;
use std::io::BufReader;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{select, Receiver, Sender};
use lsp_server::{ErrorCode, ExtractError, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{notification, request, Uri};
use serde_json::Value;

use crate::engine::{Finding, Project};
use convert::{Encoding, Lines};

/// Default quiet time after a change before the document is linted again.
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(15);

/// The command behind the "open the manifest" code action.
pub const OPEN_COMMAND: &str = "runbook-lint.openManifest";

/// What the main loop writes.
enum Outgoing {
    Message(Message),
    /// A response that lsp-server's types cannot hold (an error with a `null` id).
    Raw(Value),
    /// Everything before this is written: stop.
    Stop,
}

/// Runs the server on stdin and stdout until the client says `exit`. The exit status is 0
/// after `shutdown`, 1 otherwise (as the protocol asks).
pub fn run_stdio() -> ExitCode {
    let (out_tx, out_rx) = crossbeam_channel::unbounded::<Outgoing>();
    let (in_tx, in_rx) = crossbeam_channel::unbounded::<Message>();
    let writer = std::thread::Builder::new()
        .name("runbook-lint-lsp-writer".into())
        .spawn(move || {
            let stdout = std::io::stdout();
            let mut stdout = stdout.lock();
            for outgoing in out_rx {
                let written = match outgoing {
                    Outgoing::Message(message) => message.write(&mut stdout),
                    Outgoing::Raw(value) => transport::write_value(&mut stdout, &value),
                    Outgoing::Stop => break,
                };
                if written.is_err() {
                    break; // the client is gone
                }
            }
        });
    let errors = out_tx.clone();
    let stop = out_tx.clone();
    // Not joined: it may sit in a blocking read of stdin when the client says `exit`.
    let reader = std::thread::Builder::new()
        .name("runbook-lint-lsp-reader".into())
        .spawn(move || {
            let stdin = std::io::stdin();
            let mut input = BufReader::new(stdin.lock());
            while let Ok(Some(frame)) = transport::read_frame(&mut input) {
                let sent = match frame {
                    transport::Frame::Message(message) => in_tx.send(message).is_ok(),
                    transport::Frame::Invalid(response) => {
                        errors.send(Outgoing::Raw(response)).is_ok()
                    }
                };
                if !sent {
                    break;
                }
            }
        });
    let (Ok(writer), Ok(_reader)) = (writer, reader) else {
        eprintln!("error: cannot start the language server's threads");
        return ExitCode::from(2);
    };
    // The main loop parses and lints on a thread with the deep stack the batch workers get.
    let main = std::thread::Builder::new()
        .name("runbook-lint-lsp".into())
        .stack_size(crate::robust::WORKER_STACK_BYTES)
        .spawn(move || Server::new(out_tx).run(&in_rx));
    let clean = main.map(|m| m.join().unwrap_or(false)).unwrap_or(false);
    // The reader holds a sender too, blocked on stdin: the writer stops on this instead.
    let _ = stop.send(Outgoing::Stop);
    let _ = writer.join();
    if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// An open document.
struct Doc {
    uri: Uri,
    /// The file it is, for `file:` URIs.
    path: Option<PathBuf>,
    /// Its project root (`None`: not a file, linted without project facts).
    root: Option<PathBuf>,
    text: String,
    version: i32,
    /// The findings of `version`, once linted.
    linted: Option<(i32, Arc<Vec<Finding>>)>,
}

/// A project root's state.
#[derive(Default)]
struct Slot {
    project: Option<Arc<Project>>,
    loading: bool,
    /// Something changed while loading: load again when done.
    stale: bool,
}

/// A finished load: the project, or what went wrong.
struct Loaded {
    root: PathBuf,
    project: Option<Project>,
    /// A broken config (the project then runs with the default settings) or a bug.
    problem: Option<String>,
}

/// How a request failed.
type Failure = (ErrorCode, String);

struct Server {
    out: Sender<Outgoing>,
    encoding: Encoding,
    debounce: Duration,
    initialized: bool,
    shutdown: bool,
    show_document: bool,
    watch_dynamically: bool,
    documents: HashMap<Uri, Doc>,
    projects: HashMap<PathBuf, Slot>,
    /// Documents to lint, and when.
    pending: HashMap<Uri, Instant>,
    loads_tx: Sender<Loaded>,
    loads_rx: Receiver<Loaded>,
    /// For documents that are not files: no manifests, default settings.
    detached: Arc<Project>,
    next_id: i32,
}

impl Server {
    fn new(out: Sender<Outgoing>) -> Server {
        let (loads_tx, loads_rx) = crossbeam_channel::unbounded();
        Server {
            out,
            encoding: Encoding::Utf16,
            debounce: DEFAULT_DEBOUNCE,
            initialized: false,
            shutdown: false,
            show_document: false,
            watch_dynamically: false,
            documents: HashMap::new(),
            projects: HashMap::new(),
            pending: HashMap::new(),
            loads_tx,
            loads_rx,
            detached: Arc::new(Project::detached()),
            next_id: 0,
        }
    }

    /// The main loop; true when the client shut down cleanly.
    fn run(mut self, incoming: &Receiver<Message>) -> bool {
        loop {
            let wait = self
                .pending
                .values()
                .min()
                .map(|due| due.saturating_duration_since(Instant::now()))
                .unwrap_or(Duration::from_secs(3600));
            select! {
                recv(incoming) -> message => match message {
                    Ok(message) => {
                        if let Some(clean) = self.handle(message) {
                            return clean;
                        }
                    }
                    Err(_) => return false, // stdin closed without `exit`
                },
                recv(self.loads_rx) -> loaded => {
                    if let Ok(loaded) = loaded {
                        self.loaded(loaded);
                    }
                },
                default(wait) => {}
            }
            self.lint_due();
        }
    }

    fn send(&self, message: impl Into<Message>) {
        let _ = self.out.send(Outgoing::Message(message.into()));
    }

    fn notify(&self, method: &str, params: impl serde::Serialize) {
        self.send(Notification::new(method.to_string(), params));
    }

    fn request(&mut self, method: &str, params: impl serde::Serialize) {
        self.next_id += 1;
        let id = RequestId::from(format!("runbook-lint-{}", self.next_id));
        self.send(Request::new(id, method.to_string(), params));
    }

    fn log(&self, kind: lsp_types::MessageType, message: String) {
        self.notify(
            notification::LogMessage::METHOD,
            lsp_types::LogMessageParams { typ: kind, message },
        );
    }

    /// Handles one message; `Some(clean)` when the server must stop.
    fn handle(&mut self, message: Message) -> Option<bool> {
        match message {
            Message::Request(request) => {
                let id = request.id.clone();
                let response = if !self.initialized && request.method != request::Initialize::METHOD
                {
                    Err((
                        ErrorCode::ServerNotInitialized,
                        "the server is not initialized yet".into(),
                    ))
                } else if self.shutdown {
                    Err((
                        ErrorCode::InvalidRequest,
                        "the server is shutting down".into(),
                    ))
                } else {
                    let method = request.method.clone();
                    catch_unwind(AssertUnwindSafe(|| self.handle_request(request)))
                        .unwrap_or_else(|panic| {
                            Err((
                                ErrorCode::InternalError,
                                format!("internal error in {method}: {} (a bug in runbook-lint; please report it)", panic_message(&panic)),
                            ))
                        })
                };
                self.send(match response {
                    Ok(value) => Response::new_ok(id, value),
                    Err((code, message)) => Response::new_err(id, code as i32, message),
                });
                None
            }
            Message::Notification(notification) => {
                if notification.method == notification::Exit::METHOD {
                    return Some(self.shutdown);
                }
                if !self.initialized {
                    return None; // the protocol says: dropped
                }
                let method = notification.method.clone();
                let handled =
                    catch_unwind(AssertUnwindSafe(|| self.handle_notification(notification)));
                match handled {
                    Ok(Ok(())) => {}
                    Ok(Err((_, message))) => self.log(lsp_types::MessageType::ERROR, message),
                    Err(panic) => self.log(
                        lsp_types::MessageType::ERROR,
                        format!("internal error in {method}: {} (a bug in runbook-lint; please report it)", panic_message(&panic)),
                    ),
                }
                None
            }
            // Answers to our own requests (registrations, showDocument): nothing to do.
            Message::Response(_) => None,
        }
    }

    fn handle_request(&mut self, request: Request) -> Result<Value, Failure> {
        match request.method.as_str() {
            request::Initialize::METHOD => {
                if self.initialized {
                    return Err((ErrorCode::InvalidRequest, "already initialized".into()));
                }
                let params: lsp_types::InitializeParams = params(request)?;
                let result = self.initialize(params);
                Ok(result)
            }
            request::Shutdown::METHOD => {
                self.shutdown = true;
                Ok(Value::Null)
            }
            request::HoverRequest::METHOD => {
                let params: lsp_types::HoverParams = params(request)?;
                Ok(serde_json::to_value(self.hover(params)).unwrap_or(Value::Null))
            }
            request::CodeActionRequest::METHOD => {
                let params: lsp_types::CodeActionParams = params(request)?;
                Ok(serde_json::to_value(self.code_actions(params)).unwrap_or(Value::Null))
            }
            request::ExecuteCommand::METHOD => {
                let params: lsp_types::ExecuteCommandParams = params(request)?;
                self.execute(params)
            }
            other => Err((
                ErrorCode::MethodNotFound,
                format!("unknown method `{other}`"),
            )),
        }
    }

    fn handle_notification(&mut self, notification: Notification) -> Result<(), Failure> {
        match notification.method.as_str() {
            notification::Initialized::METHOD => self.register_watchers(),
            notification::DidOpenTextDocument::METHOD => {
                let params: lsp_types::DidOpenTextDocumentParams = note_params(notification)?;
                self.open(params.text_document);
            }
            notification::DidChangeTextDocument::METHOD => {
                let params: lsp_types::DidChangeTextDocumentParams = note_params(notification)?;
                self.change(params);
            }
            notification::DidSaveTextDocument::METHOD => {
                let params: lsp_types::DidSaveTextDocumentParams = note_params(notification)?;
                let uri = params.text_document.uri;
                match self.documents.get(&uri).and_then(|d| d.root.clone()) {
                    Some(root) => self.reload(&root),
                    // A manifest saved in the editor: every project that holds it.
                    None => {
                        let path = convert::uri_to_path(&uri);
                        let roots: Vec<PathBuf> = self
                            .projects
                            .keys()
                            .filter(|root| path.as_ref().is_some_and(|p| p.starts_with(root)))
                            .cloned()
                            .collect();
                        for root in roots {
                            self.reload(&root);
                        }
                    }
                }
            }
            notification::DidCloseTextDocument::METHOD => {
                let params: lsp_types::DidCloseTextDocumentParams = note_params(notification)?;
                let uri = params.text_document.uri;
                self.documents.remove(&uri);
                self.pending.remove(&uri);
                self.publish(uri, Vec::new(), None);
            }
            notification::DidChangeWatchedFiles::METHOD => {
                let params: lsp_types::DidChangeWatchedFilesParams = note_params(notification)?;
                self.files_changed(params);
            }
            // Cancellation, tracing, configuration: nothing to do.
            _ => {}
        }
        Ok(())
    }

    fn initialize(&mut self, params: lsp_types::InitializeParams) -> Value {
        let capabilities = &params.capabilities;
        self.encoding = Encoding::negotiate(
            capabilities
                .general
                .as_ref()
                .and_then(|g| g.position_encodings.as_deref()),
        );
        self.show_document = capabilities
            .window
            .as_ref()
            .and_then(|w| w.show_document.as_ref())
            .is_some_and(|s| s.support);
        self.watch_dynamically = capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        if let Some(ms) = params
            .initialization_options
            .as_ref()
            .and_then(|o| o.get("debounceMs"))
            .and_then(Value::as_u64)
        {
            self.debounce = Duration::from_millis(ms.min(10_000));
        }
        self.initialized = true;
        let capabilities = lsp_types::ServerCapabilities {
            position_encoding: Some(self.encoding.kind()),
            text_document_sync: Some(lsp_types::TextDocumentSyncCapability::Options(
                lsp_types::TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(lsp_types::TextDocumentSyncKind::INCREMENTAL),
                    save: Some(lsp_types::TextDocumentSyncSaveOptions::Supported(true)),
                    ..Default::default()
                },
            )),
            hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
            code_action_provider: Some(lsp_types::CodeActionProviderCapability::Options(
                lsp_types::CodeActionOptions {
                    code_action_kinds: Some(vec![
                        lsp_types::CodeActionKind::QUICKFIX,
                        actions::fix_all_kind(),
                    ]),
                    ..Default::default()
                },
            )),
            execute_command_provider: Some(lsp_types::ExecuteCommandOptions {
                commands: vec![OPEN_COMMAND.to_string()],
                ..Default::default()
            }),
            ..Default::default()
        };
        serde_json::json!({
            "capabilities": capabilities,
            "serverInfo": { "name": "runbook-lint", "version": env!("CARGO_PKG_VERSION") },
        })
    }

    /// Asks the client to tell us when manifests, the config or other files change.
    fn register_watchers(&mut self) {
        if !self.watch_dynamically {
            return;
        }
        // The manifest registry's names and variants: the same list discovery, the facts and
        // the pre-commit hook follow.
        let mut names: Vec<&str> = crate::manifests::watch_globs();
        names.extend(crate::config::CONFIG_FILES);
        let watch =
            |pattern: String, kind: Option<lsp_types::WatchKind>| lsp_types::FileSystemWatcher {
                glob_pattern: lsp_types::GlobPattern::String(pattern),
                kind,
            };
        let watchers = vec![
            watch(format!("**/{{{}}}", names.join(",")), None),
            watch("**/*.{md,markdown,mdown,mkd}".into(), None),
            // Files appearing and disappearing: `missing-file` and `broken-link` targets.
            watch(
                "**/*".into(),
                Some(lsp_types::WatchKind::Create | lsp_types::WatchKind::Delete),
            ),
        ];
        let options = lsp_types::DidChangeWatchedFilesRegistrationOptions { watchers };
        self.request(
            request::RegisterCapability::METHOD,
            lsp_types::RegistrationParams {
                registrations: vec![lsp_types::Registration {
                    id: "runbook-lint-watched-files".into(),
                    method: notification::DidChangeWatchedFiles::METHOD.into(),
                    register_options: serde_json::to_value(options).ok(),
                }],
            },
        );
    }

    fn open(&mut self, item: lsp_types::TextDocumentItem) {
        let path = convert::uri_to_path(&item.uri);
        // Some editors send every document they open; only Markdown is a runbook.
        let markdown = matches!(item.language_id.as_str(), "markdown" | "mdx")
            || path.as_deref().is_some_and(crate::discover::is_markdown);
        if !markdown {
            return;
        }
        let root = path.as_deref().map(root_of);
        if let Some(root) = &root {
            self.ensure_project(root);
        }
        let uri = item.uri.clone();
        self.documents.insert(
            item.uri.clone(),
            Doc {
                uri: item.uri,
                path,
                root,
                text: item.text,
                version: item.version,
                linted: None,
            },
        );
        // The open document first, right away.
        self.pending.insert(uri, Instant::now());
    }

    fn change(&mut self, params: lsp_types::DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let Some(doc) = self.documents.get_mut(&uri) else {
            return;
        };
        for change in params.content_changes {
            match change.range {
                Some(range) => {
                    let span = Lines::new(&doc.text, self.encoding).span(range);
                    doc.text.replace_range(span.range(), &change.text);
                }
                None => doc.text = change.text,
            }
        }
        doc.version = params.text_document.version;
        self.pending.insert(uri, Instant::now() + self.debounce);
    }

    fn files_changed(&mut self, params: lsp_types::DidChangeWatchedFilesParams) {
        let mut reload: Vec<PathBuf> = Vec::new();
        let mut reroot = false;
        for event in &params.changes {
            let Some(path) = convert::uri_to_path(&event.uri) else {
                continue;
            };
            if path
                .components()
                .any(|c| IGNORED_DIRS.contains(&c.as_os_str().to_string_lossy().as_ref()))
            {
                continue;
            }
            let name = path.file_name().map(|n| n.to_string_lossy().to_string());
            let is_config = name
                .as_deref()
                .is_some_and(|n| crate::config::CONFIG_FILES.contains(&n));
            if (is_config || crate::discover::is_manifest(&path))
                && event.typ != lsp_types::FileChangeType::CHANGED
            {
                reroot = true; // a new or removed manifest can move a project's root
            }
            for root in self.projects.keys() {
                if path.starts_with(root) && !reload.contains(root) {
                    reload.push(root.clone());
                }
            }
        }
        if reroot {
            let mut moved = Vec::new();
            for doc in self.documents.values_mut() {
                let root = doc.path.as_deref().map(root_of);
                if root != doc.root {
                    doc.root = root;
                    moved.push(doc.uri.clone());
                }
            }
            for uri in moved {
                if let Some(root) = self.documents[&uri].root.clone() {
                    self.ensure_project(&root);
                }
                self.pending.insert(uri, Instant::now());
            }
        }
        for root in reload {
            self.reload(&root);
        }
    }

    /// Starts loading `root` unless it is loaded or loading.
    fn ensure_project(&mut self, root: &Path) {
        if !self.projects.contains_key(root) {
            self.projects.insert(root.to_path_buf(), Slot::default());
            self.start_load(root);
        }
    }

    /// Loads `root` again (its open documents keep the old facts until then).
    fn reload(&mut self, root: &Path) {
        match self.projects.get_mut(root) {
            Some(slot) if slot.loading => slot.stale = true,
            Some(_) => self.start_load(root),
            None => self.ensure_project(root),
        }
    }

    fn start_load(&mut self, root: &Path) {
        if let Some(slot) = self.projects.get_mut(root) {
            slot.loading = true;
            slot.stale = false;
        }
        let root = root.to_path_buf();
        let done = self.loads_tx.clone();
        let spawned = std::thread::Builder::new()
            .name("runbook-lint-load".into())
            .stack_size(crate::robust::WORKER_STACK_BYTES)
            .spawn(move || {
                let loaded = catch_unwind(AssertUnwindSafe(|| Project::load(&root, None, None)));
                let loaded = match loaded {
                    Ok(Ok(project)) => Loaded {
                        project: Some(project),
                        problem: None,
                        root,
                    },
                    // A broken config: say so, and lint with the default settings meanwhile.
                    Ok(Err(error)) => Loaded {
                        project: Some(Project::load_default(&root)),
                        problem: Some(format!("runbook-lint: {error}")),
                        root,
                    },
                    Err(panic) => Loaded {
                        problem: Some(format!(
                            "runbook-lint: internal error while loading {}: {} (a bug in runbook-lint; please report it)",
                            root.display(),
                            panic_message(&panic)
                        )),
                        project: None,
                        root,
                    },
                };
                let _ = done.send(loaded);
            });
        if spawned.is_err() {
            self.log(
                lsp_types::MessageType::ERROR,
                "runbook-lint: cannot start a thread to load the project".into(),
            );
        }
    }

    fn loaded(&mut self, loaded: Loaded) {
        if let Some(problem) = loaded.problem {
            self.notify(
                notification::ShowMessage::METHOD,
                lsp_types::ShowMessageParams {
                    typ: lsp_types::MessageType::ERROR,
                    message: problem,
                },
            );
        }
        let Some(slot) = self.projects.get_mut(&loaded.root) else {
            return;
        };
        slot.loading = false;
        if let Some(project) = loaded.project {
            slot.project = Some(Arc::new(project));
        }
        if slot.stale {
            let root = loaded.root.clone();
            self.start_load(&root);
        }
        // Every open document of the project, against the new facts.
        let now = Instant::now();
        for doc in self.documents.values_mut() {
            if doc.root.as_ref() == Some(&loaded.root) {
                doc.linted = None;
                self.pending.insert(doc.uri.clone(), now);
            }
        }
    }

    /// The project a document is linted against; `None` while it loads.
    fn project_of(&self, doc: &Doc) -> Option<Arc<Project>> {
        match &doc.root {
            None => Some(self.detached.clone()),
            Some(root) => self.projects.get(root)?.project.clone(),
        }
    }

    /// Lints every document whose time has come (and whose project is ready).
    fn lint_due(&mut self) {
        let now = Instant::now();
        let due: Vec<Uri> = self
            .pending
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in due {
            let ready = self
                .documents
                .get(&uri)
                .is_none_or(|doc| self.project_of(doc).is_some());
            self.pending.remove(&uri);
            if !ready {
                // Queued again when its project arrives; left here it would spin the loop.
                continue;
            }
            if let Some(findings) = self.findings(&uri) {
                let version = self.documents.get(&uri).map(|d| d.version);
                let diagnostics = self.diagnostics(&uri, &findings);
                self.publish(uri, diagnostics, version);
            }
        }
    }

    /// The findings of a document's current text, linting it if needed.
    fn findings(&mut self, uri: &Uri) -> Option<Arc<Vec<Finding>>> {
        let doc = self.documents.get(uri)?;
        if let Some((version, findings)) = &doc.linted {
            if *version == doc.version {
                return Some(findings.clone());
            }
        }
        let project = self.project_of(doc)?;
        let relative = relative_path(doc);
        let limit = project
            .settings()
            .max_file_size
            .unwrap_or(crate::robust::DEFAULT_MAX_FILE_BYTES);
        let findings = if doc.text.len() as u64 > limit {
            Vec::new() // as the batch run: too large to lint
        } else {
            match catch_unwind(AssertUnwindSafe(|| project.lint(&doc.text, &relative))) {
                Ok(findings) => findings,
                Err(panic) => {
                    let message = format!(
                        "internal error while linting {}: {} (a bug in runbook-lint; please report it)",
                        uri.as_str(),
                        panic_message(&panic)
                    );
                    self.log(lsp_types::MessageType::ERROR, message);
                    Vec::new()
                }
            }
        };
        let findings = Arc::new(findings);
        let doc = self.documents.get_mut(uri)?;
        doc.linted = Some((doc.version, findings.clone()));
        Some(findings)
    }

    fn diagnostics(&self, uri: &Uri, findings: &[Finding]) -> Vec<lsp_types::Diagnostic> {
        let Some(doc) = self.documents.get(uri) else {
            return Vec::new();
        };
        let lines = Lines::new(&doc.text, self.encoding);
        findings
            .iter()
            .map(|f| actions::diagnostic(f, &lines, doc.root.as_deref()))
            .collect()
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        self.notify(
            notification::PublishDiagnostics::METHOD,
            lsp_types::PublishDiagnosticsParams {
                uri,
                diagnostics,
                version,
            },
        );
    }

    fn execute(&mut self, params: lsp_types::ExecuteCommandParams) -> Result<Value, Failure> {
        if params.command != OPEN_COMMAND {
            return Err((
                ErrorCode::InvalidParams,
                format!("unknown command `{}`", params.command),
            ));
        }
        let uri: Uri = params
            .arguments
            .first()
            .and_then(Value::as_str)
            .and_then(|u| u.parse().ok())
            .ok_or_else(|| {
                (
                    ErrorCode::InvalidParams,
                    format!("{OPEN_COMMAND} takes a file URI"),
                )
            })?;
        if self.show_document {
            self.request(
                request::ShowDocument::METHOD,
                lsp_types::ShowDocumentParams {
                    uri,
                    external: None,
                    take_focus: Some(true),
                    selection: None,
                },
            );
        } else {
            let shown = convert::uri_to_path(&uri)
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| uri.as_str().to_string());
            self.notify(
                notification::ShowMessage::METHOD,
                lsp_types::ShowMessageParams {
                    typ: lsp_types::MessageType::INFO,
                    message: format!("checked against {shown}"),
                },
            );
        }
        Ok(Value::Null)
    }
}

/// Directories whose file events never matter (dependencies, VCS, build output).
const IGNORED_DIRS: &[&str] = &["node_modules", ".git", "target", ".venv", "__pycache__"];

/// The project root of a file, as the batch run finds it.
fn root_of(path: &Path) -> PathBuf {
    let dir = path.parent().unwrap_or(Path::new("/"));
    crate::discover::RootFinder::default().root_for(dir)
}

/// A document's path from its project root (`/`-separated), or its name.
fn relative_path(doc: &Doc) -> String {
    let Some(path) = &doc.path else {
        return doc
            .uri
            .as_str()
            .rsplit('/')
            .next()
            .unwrap_or("untitled.md")
            .to_string();
    };
    match doc
        .root
        .as_deref()
        .and_then(|root| path.strip_prefix(root).ok())
    {
        Some(relative) => relative.to_string_lossy().replace('\\', "/"),
        None => path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default(),
    }
}

fn params<P: serde::de::DeserializeOwned>(request: Request) -> Result<P, Failure> {
    let method = request.method.clone();
    request
        .extract(&method)
        .map(|(_, p)| p)
        .map_err(extract_failure)
}

fn note_params<P: serde::de::DeserializeOwned>(notification: Notification) -> Result<P, Failure> {
    let method = notification.method.clone();
    notification.extract(&method).map_err(extract_failure)
}

fn extract_failure<T: std::fmt::Debug>(error: ExtractError<T>) -> Failure {
    match error {
        ExtractError::JsonError { method, error } => (
            ErrorCode::InvalidParams,
            format!("invalid params for {method}: {error}"),
        ),
        ExtractError::MethodMismatch(other) => (
            ErrorCode::MethodNotFound,
            format!("unexpected message {other:?}"),
        ),
    }
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}
