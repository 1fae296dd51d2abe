//! `jobzero lsp`: a Language Server over stdio. Diagnostics from every family that wants an
//! open file, published on open, change and save; hover explains a finding's rule; code
//! actions apply the safe fixes or insert a suppression marker.
//!
//! The main loop only records texts and answers requests from the last analysis: analysis
//! runs on a worker thread, which takes the newest text of each document (older ones waiting
//! in its queue are dropped unread) and publishes only if no newer text arrived meanwhile.

mod analysis;
mod convert;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{
    CodeActionOrCommand, CodeActionParams, CodeActionProviderCapability, Diagnostic,
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, Hover, HoverContents, HoverParams, HoverProviderCapability,
    InitializeParams, MarkupContent, MarkupKind, PositionEncodingKind, PublishDiagnosticsParams,
    ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Uri,
};

use analysis::{Analysis, Workspace};
use convert::{Encoding, Lines};

/// How long a change waits for the next keystroke before it is analysed, unless the client
/// sets `initializationOptions.debounceMs`.
const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(5);

/// An open document.
#[derive(Debug, Clone)]
struct Document {
    path: PathBuf,
    version: i32,
    text: String,
    /// The last published analysis and the text it was made of.
    analysed: Option<(String, Arc<Analysis>)>,
}

/// What the main loop and the worker share.
struct State {
    workspace: Arc<Workspace>,
    documents: HashMap<String, Document>,
    encoding: Encoding,
}

type Shared = Arc<Mutex<State>>;

fn lock(state: &Shared) -> MutexGuard<'_, State> {
    match state.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// Work for the analysis thread.
enum Job {
    /// Analyse this document's current text (after the debounce when `debounce`).
    Analyse { uri: String, debounce: bool },
    /// Stop.
    Stop,
}

/// Serves the protocol on stdin/stdout until the client says `exit`.
pub fn run() -> anyhow::Result<()> {
    let (connection, io_threads) = Connection::stdio();
    serve(connection)?;
    io_threads.join()?;
    Ok(())
}

/// Serves one client on `connection`.
pub fn serve(connection: Connection) -> anyhow::Result<()> {
    let (id, params) = connection.initialize_start()?;
    let params: InitializeParams = serde_json::from_value(params)?;
    let encoding = negotiate_encoding(&params);
    let capabilities = ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    };
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": ServerInfo { name: "jobzero".to_owned(), version: Some(env!("CARGO_PKG_VERSION").to_owned()) },
    });
    connection.initialize_finish(id, result)?;

    let debounce = params
        .initialization_options
        .as_ref()
        .and_then(|o| o.get("debounceMs"))
        .and_then(serde_json::Value::as_u64)
        .map_or(DEFAULT_DEBOUNCE, Duration::from_millis);
    let root = workspace_root(&params);
    let workspace = Workspace::open(root, crate::db_dir());
    if let Some(e) = &workspace.config_error {
        show_message(
            &connection,
            &format!("jobzero: configuration not used: {e}"),
        );
    }
    let state: Shared = Arc::new(Mutex::new(State {
        workspace: Arc::new(workspace),
        documents: HashMap::new(),
        encoding,
    }));
    let (jobs, queue) = crossbeam_channel::unbounded::<Job>();
    let worker = {
        let state = state.clone();
        let sender = connection.sender.clone();
        std::thread::Builder::new()
            .name("jobzero-lsp-analysis".to_owned())
            .spawn(move || analyse_loop(&state, &queue, &sender, debounce))?
    };

    for message in &connection.receiver {
        match message {
            Message::Request(req) => {
                if connection.handle_shutdown(&req)? {
                    break;
                }
                let response = answer(&state, req);
                connection.sender.send(Message::Response(response))?;
            }
            Message::Notification(n) => notified(&state, &jobs, &connection, n),
            Message::Response(_) => {}
        }
    }
    let _ = jobs.send(Job::Stop);
    let _ = worker.join();
    Ok(())
}

/// UTF-8 when the client offers it (no conversion needed), else the protocol's UTF-16.
fn negotiate_encoding(params: &InitializeParams) -> Encoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    match offered {
        Some(list) if list.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
        Some(list) if list.first() == Some(&PositionEncodingKind::UTF32) => Encoding::Utf32,
        _ => Encoding::Utf16,
    }
}

#[allow(deprecated, reason = "root_uri is what older clients send")]
fn workspace_root(params: &InitializeParams) -> Option<PathBuf> {
    let uri = params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .map(|f| f.uri.clone())
        .or_else(|| params.root_uri.clone())?;
    let path = path_of(uri.as_str())?;
    Some(std::fs::canonicalize(&path).unwrap_or(path))
}

/// The file a `file:` URI names.
pub fn path_of(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // `file://host/path` names a path on another host: not one this server can read.
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    if !path.starts_with('/') {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    // Windows drive letters arrive as `/C:/...`.
    let decoded = match decoded.as_bytes() {
        [b'/', d, b':', ..] if d.is_ascii_alphabetic() && cfg!(windows) => decoded[1..].to_owned(),
        _ => decoded.into_owned(),
    };
    Some(PathBuf::from(decoded))
}

fn show_message(connection: &Connection, text: &str) {
    let params = lsp_types::ShowMessageParams {
        typ: lsp_types::MessageType::WARNING,
        message: text.to_owned(),
    };
    let _ = connection
        .sender
        .send(Message::Notification(Notification::new(
            lsp_types::notification::ShowMessage::METHOD.to_owned(),
            params,
        )));
}

fn notified(
    state: &Shared,
    jobs: &crossbeam_channel::Sender<Job>,
    connection: &Connection,
    n: Notification,
) {
    use lsp_types::notification::{
        DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    };
    let analyse = |uri: String, debounce: bool| {
        let _ = jobs.send(Job::Analyse { uri, debounce });
    };
    match n.method.as_str() {
        DidOpenTextDocument::METHOD => {
            let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) else {
                return;
            };
            let uri = p.text_document.uri.as_str().to_owned();
            let Some(path) = path_of(&uri) else { return };
            let path = std::fs::canonicalize(&path).unwrap_or(path);
            lock(state).documents.insert(
                uri.clone(),
                Document {
                    path,
                    version: p.text_document.version,
                    text: p.text_document.text,
                    analysed: None,
                },
            );
            analyse(uri, false);
        }
        DidChangeTextDocument::METHOD => {
            let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params) else {
                return;
            };
            let uri = p.text_document.uri.as_str().to_owned();
            // Full sync: the last change holds the whole text.
            let Some(change) = p.content_changes.into_iter().last() else {
                return;
            };
            let neighbours = {
                let mut s = lock(state);
                let Some(doc) = s.documents.get_mut(&uri) else {
                    return;
                };
                doc.version = p.text_document.version;
                doc.text = change.text;
                let path = doc.path.clone();
                module_neighbours(&s, &uri, &path)
            };
            analyse(uri, true);
            for other in neighbours {
                analyse(other, true);
            }
        }
        DidSaveTextDocument::METHOD => {
            let Ok(p) = serde_json::from_value::<DidSaveTextDocumentParams>(n.params) else {
                return;
            };
            let uri = p.text_document.uri.as_str().to_owned();
            let saved_config =
                path_of(&uri).is_some_and(|p| p.file_name().is_some_and(|n| n == "jobzero.toml"));
            if saved_config {
                let mut s = lock(state);
                let root = s.workspace.root.clone();
                s.workspace = Arc::new(Workspace::open(root, crate::db_dir()));
                if let Some(e) = &s.workspace.config_error {
                    show_message(connection, &format!("jobzero: configuration not used: {e}"));
                }
                let all: Vec<String> = s.documents.keys().cloned().collect();
                drop(s);
                for uri in all {
                    analyse(uri, false);
                }
                return;
            }
            if let Some(text) = p.text {
                if let Some(doc) = lock(state).documents.get_mut(&uri) {
                    doc.text = text;
                }
            }
            analyse(uri, false);
        }
        DidCloseTextDocument::METHOD => {
            let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params) else {
                return;
            };
            let uri = p.text_document.uri;
            lock(state).documents.remove(uri.as_str());
            publish(&connection.sender, &uri, None, Vec::new());
        }
        _ => {}
    }
}

/// Open documents read with `path` by a family that reads a whole module: the other
/// Terraform files of its directory, the other workflows of `.github/workflows`.
fn module_neighbours(state: &State, uri: &str, path: &Path) -> Vec<String> {
    let is_module_file = |p: &Path| {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        let in_workflows = p.parent().is_some_and(|d| d.ends_with(".github/workflows"));
        name.ends_with(".tf")
            || name.ends_with(".tfvars")
            || (in_workflows && (name.ends_with(".yml") || name.ends_with(".yaml")))
    };
    if !is_module_file(path) {
        return Vec::new();
    }
    let mut out: Vec<String> = state
        .documents
        .iter()
        .filter(|(u, d)| {
            u.as_str() != uri && d.path.parent() == path.parent() && is_module_file(&d.path)
        })
        .map(|(u, _)| u.clone())
        .collect();
    out.sort();
    out
}

fn analyse_loop(
    state: &Shared,
    queue: &crossbeam_channel::Receiver<Job>,
    sender: &crossbeam_channel::Sender<Message>,
    debounce: Duration,
) {
    loop {
        let Ok(first) = queue.recv() else { return };
        // The newest request of each document; a change waits for the next keystroke.
        let mut batch = Batch::default();
        if !batch.take(first, debounce) {
            return;
        }
        loop {
            let next = match batch.deadline {
                Some(d) if batch.pending.values().all(|wait| *wait) => {
                    match queue.recv_timeout(d.saturating_duration_since(Instant::now())) {
                        Ok(job) => Some(job),
                        Err(crossbeam_channel::RecvTimeoutError::Timeout) => None,
                        Err(crossbeam_channel::RecvTimeoutError::Disconnected) => return,
                    }
                }
                _ => queue.try_recv().ok(),
            };
            let Some(job) = next else { break };
            if !batch.take(job, debounce) {
                return;
            }
        }
        for uri in batch.pending.into_keys() {
            analyse_one(state, sender, &uri);
        }
    }
}

/// Documents waiting for analysis: whether each may still wait for the debounce, and when
/// the debounce of the last change ends.
#[derive(Default)]
struct Batch {
    pending: BTreeMap<String, bool>,
    deadline: Option<Instant>,
}

impl Batch {
    /// Adds a job; false for `Stop`.
    fn take(&mut self, job: Job, debounce: Duration) -> bool {
        match job {
            Job::Stop => false,
            Job::Analyse {
                uri,
                debounce: wait,
            } => {
                if wait {
                    self.deadline = Some(Instant::now() + debounce);
                }
                let entry = self.pending.entry(uri).or_insert(wait);
                *entry &= wait;
                true
            }
        }
    }
}

fn analyse_one(state: &Shared, sender: &crossbeam_channel::Sender<Message>, uri: &str) {
    // The analysis runs unlocked: requests keep being answered meanwhile.
    let (workspace, path, version, text, open) = {
        let s = lock(state);
        let Some(doc) = s.documents.get(uri) else {
            return;
        };
        let open: BTreeMap<PathBuf, Vec<u8>> = s
            .documents
            .values()
            .map(|d| (d.path.clone(), d.text.as_bytes().to_vec()))
            .collect();
        (
            s.workspace.clone(),
            doc.path.clone(),
            doc.version,
            doc.text.clone(),
            open,
        )
    };
    let result = workspace.analyse(&path, &text, &open);
    let analysis = match result {
        Ok(a) => a,
        Err(e) => Analysis {
            errors: vec![jobzero_core::ScanError::new(
                path.display().to_string(),
                None,
                format!("jobzero could not analyse this file: {e}"),
            )],
            ..Analysis::default()
        },
    };
    let mut s = lock(state);
    let encoding = s.encoding;
    let diagnostics = {
        let lines = Lines::new(&text, encoding);
        let mut d: Vec<Diagnostic> = analysis
            .findings
            .iter()
            .map(|f| convert::diagnostic(&lines, &s.workspace.registry, f))
            .collect();
        d.extend(
            analysis
                .errors
                .iter()
                .map(|e| convert::error_diagnostic(&lines, e)),
        );
        d
    };
    let Some(doc) = s.documents.get_mut(uri) else {
        return;
    };
    // A newer text arrived while this one was analysed: its own analysis will publish.
    if doc.version != version || doc.text != text {
        return;
    }
    doc.analysed = Some((text, Arc::new(analysis)));
    drop(s);
    if let Ok(parsed) = uri.parse::<Uri>() {
        publish(sender, &parsed, Some(version), diagnostics);
    }
}

fn publish(
    sender: &crossbeam_channel::Sender<Message>,
    uri: &Uri,
    version: Option<i32>,
    diagnostics: Vec<Diagnostic>,
) {
    let params = PublishDiagnosticsParams {
        uri: uri.clone(),
        diagnostics,
        version,
    };
    let _ = sender.send(Message::Notification(Notification::new(
        lsp_types::notification::PublishDiagnostics::METHOD.to_owned(),
        params,
    )));
}

fn answer(state: &Shared, req: Request) -> Response {
    use lsp_types::request::{CodeActionRequest, HoverRequest};
    let id: RequestId = req.id.clone();
    let result = match req.method.as_str() {
        HoverRequest::METHOD => serde_json::from_value::<HoverParams>(req.params)
            .map(|p| serde_json::to_value(hover(state, &p)).unwrap_or_default()),
        CodeActionRequest::METHOD => serde_json::from_value::<CodeActionParams>(req.params)
            .map(|p| serde_json::to_value(code_actions(state, &p)).unwrap_or_default()),
        _ => {
            return Response::new_err(
                id,
                lsp_server::ErrorCode::MethodNotFound as i32,
                format!("jobzero does not handle {}", req.method),
            );
        }
    };
    match result {
        Ok(value) => Response::new_ok(id, value),
        Err(e) => Response::new_err(
            id,
            lsp_server::ErrorCode::InvalidParams as i32,
            e.to_string(),
        ),
    }
}

fn hover(state: &Shared, p: &HoverParams) -> Option<Hover> {
    let s = lock(state);
    let uri = p.text_document_position_params.text_document.uri.as_str();
    let doc = s.documents.get(uri)?;
    let (text, analysis) = doc.analysed.as_ref()?;
    let lines = Lines::new(text, s.encoding);
    let at = p.text_document_position_params.position;
    let parts: Vec<String> = analysis
        .findings
        .iter()
        .filter(|f| {
            let r = lines.range_of(f);
            r.start <= at && at <= r.end
        })
        .map(|f| convert::hover_text(&s.workspace.registry, f))
        .collect();
    (!parts.is_empty()).then(|| Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: parts.join("\n\n---\n\n"),
        }),
        range: None,
    })
}

fn code_actions(state: &Shared, p: &CodeActionParams) -> Vec<CodeActionOrCommand> {
    let s = lock(state);
    let uri = &p.text_document.uri;
    let Some(doc) = s.documents.get(uri.as_str()) else {
        return Vec::new();
    };
    let Some((text, analysis)) = doc.analysed.as_ref() else {
        return Vec::new();
    };
    let lines = Lines::new(text, s.encoding);
    let display = s.workspace.display(&doc.path);
    let mut out = Vec::new();
    let mut rules_here = Vec::new();
    for f in &analysis.findings {
        let range = lines.range_of(f);
        if !convert::overlaps_lines(&range, &p.range) {
            continue;
        }
        rules_here.push(f.rule.as_str());
        let diagnostic = convert::diagnostic(&lines, &s.workspace.registry, f);
        if let Some(a) = convert::suppress_action(uri, &lines, &display, f, &diagnostic) {
            out.push(a);
        }
    }
    for fix in &analysis.fixes {
        let touches = fix.edits.iter().any(|e| {
            let r = lsp_types::Range::new(lines.at_byte(e.start), lines.at_byte(e.end));
            convert::overlaps_lines(&r, &p.range)
        });
        if touches || rules_here.contains(&fix.rule) {
            out.insert(0, convert::fix_action(uri, &lines, fix));
        }
    }
    out.into_iter()
        .map(CodeActionOrCommand::CodeAction)
        .collect()
}
