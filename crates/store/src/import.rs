//! The import pipeline: reader thread → normalizer thread (parallel within a batch) → this
//! thread, which writes each batch of articles with their index rows in one transaction.
//!
//! Memory is bounded by the batch size and the two bounded channels between the stages. An
//! import interrupted at any point leaves whole batches behind and no half-stored article;
//! running it again stores what is missing and counts the rest as duplicates.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use crossbeam_channel::{bounded, Receiver, Sender};
use rayon::prelude::*;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use broadsheet_ingest::{
    discover, normalize, read_file, Article, Diagnostic, FileInfo, Flow, Format, InputFile,
    LanguageOrigin, Locator, NormalizeOptions, RawRecord, ReadOptions, Recipe, RecordPos, Severity,
    Sink,
};
use broadsheet_lexis::BoilerplateSettings;

use crate::boilerplate::{encode_keys, line_keys, strip, BoilerplateSets};
use crate::derive::{derive_folded, write_new_derived, Derived, DERIVED_VERSION};
use crate::running::ImportLock;
use crate::{Store, StoreError, VERSION};

/// What to import and how: the paths, and the recipe that says how to read them (an empty
/// recipe means: detect every format, map common field names, infer dates).
#[derive(Debug, Clone, Default)]
pub struct ImportRequest {
    pub paths: Vec<PathBuf>,
    pub recipe: Recipe,
    /// A record larger than this is skipped with a diagnostic (default 64 MB).
    pub max_record_bytes: Option<usize>,
    /// How the project finds source boilerplate, which is brought up to date when the import
    /// has finished (the project's text settings; detection on by default).
    pub boilerplate: BoilerplateSettings,
    /// Sources renamed or merged by the project: an article whose record names a key is stored
    /// under its value (its identity still comes from the name the record gave, so importing
    /// the same records again finds them).
    pub source_names: std::collections::BTreeMap<String, String>,
}

impl ImportRequest {
    pub fn new(paths: Vec<PathBuf>, recipe: Recipe) -> Self {
        ImportRequest {
            paths,
            recipe,
            max_record_bytes: None,
            boilerplate: BoilerplateSettings::default(),
            source_names: Default::default(),
        }
    }

    fn read_options(&self) -> ReadOptions {
        let mut o = self.recipe.read_options();
        if let Some(m) = self.max_record_bytes {
            o.max_record_bytes = m;
        }
        o
    }

    fn normalize_options(&self) -> Result<NormalizeOptions, StoreError> {
        self.recipe
            .normalize_options()
            .map_err(|e| StoreError::Invalid(format!("recipe: {e}")))
    }

    /// Everything the import was asked to do, recorded with it.
    fn options_json(&self) -> String {
        serde_json::json!({
            "paths": self.paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
            "recipe": self.recipe,
            "max_record_bytes": self.read_options().max_record_bytes,
        })
        .to_string()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImportStatus {
    Completed,
    Cancelled,
}

/// One file's part of an import.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileReport {
    pub file: String,
    pub format: String,
    pub encoding: String,
    pub size: u64,
    pub hash: String,
    pub records: u64,
    pub stored: u64,
    pub duplicates: u64,
    pub skipped: u64,
    /// Stored articles by where their language came from: `field`, `detected`, `source` (too
    /// short or numeric to tell: their source's dominant language) or `unknown`.
    pub language_origins: BTreeMap<String, u64>,
    /// Set when the file could not be read to its end.
    pub error: Option<String>,
}

/// What an import did.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub import_id: i64,
    pub status: ImportStatus,
    pub files_seen: u64,
    pub records_read: u64,
    pub stored: u64,
    pub duplicates: u64,
    pub skipped: u64,
    pub bytes: u64,
    pub elapsed_ms: u64,
    pub files: Vec<FileReport>,
    /// Stored articles by where their language came from (see [`FileReport::language_origins`]).
    pub language_origins: BTreeMap<String, u64>,
    /// Diagnostics by code, all of them counted.
    pub diagnostic_counts: BTreeMap<String, u64>,
    /// The diagnostics themselves, up to [`DIAGNOSTICS_KEPT_PER_CODE`] of each code.
    pub diagnostics: Vec<Diagnostic>,
    /// The boilerplate lines of the sources this import stored articles for, as they stand
    /// after it (left out of search and counts).
    pub boilerplate: Vec<crate::BoilerplateLine>,
    /// Articles whose index and derived rows were recomputed because their source's
    /// boilerplate changed.
    pub boilerplate_rederived: u64,
}

/// How many diagnostics of one code an import keeps in full (all are counted).
pub const DIAGNOSTICS_KEPT_PER_CODE: u64 = 1000;

/// A view of an import under way.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ProgressSnapshot {
    pub bytes_done: u64,
    pub bytes_total: u64,
    pub files_done: u64,
    pub files_total: u64,
    pub records: u64,
    pub stored: u64,
    pub duplicates: u64,
    pub skipped: u64,
    pub current_file: String,
    /// What the import is doing: `reading`, then `boilerplate` while articles whose source
    /// boilerplate changed are re-indexed (`done` of `total` of them).
    pub phase: String,
    pub done: u64,
    pub total: u64,
}

/// Receives progress; called from the importing thread after every batch.
pub trait ImportProgress: Sync {
    fn update(&self, p: &ProgressSnapshot);
}

impl ImportProgress for () {
    fn update(&self, _: &ProgressSnapshot) {}
}

const BATCH_RECORDS: usize = 1000;
const BATCH_BYTES: usize = 8 << 20;

/// How an import groups its work: records per batch between the stages, articles per
/// committed transaction. The constants above and below; tests make them small.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tuning {
    pub batch_records: usize,
    pub commit_articles: u64,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            batch_records: BATCH_RECORDS,
            commit_articles: COMMIT_ARTICLES,
        }
    }
}

enum Item {
    Record(Box<(RawRecord, Locator)>),
    Diag(Diagnostic),
}

enum RawMsg {
    FileStart(usize),
    Batch {
        default_source: Arc<str>,
        file: usize,
        items: Vec<Item>,
    },
    FileEnd(usize, Result<FileInfo, String>),
}

enum Normalized {
    Article(Box<(Article, Derived)>, Locator, Vec<Diagnostic>),
    Diag(Diagnostic),
}

enum Msg {
    FileStart(usize),
    Batch(usize, Vec<Normalized>),
    FileEnd(usize, Result<FileInfo, String>),
}

struct BatchSink<'a> {
    tx: &'a Sender<RawMsg>,
    batch_records: usize,
    items: Vec<Item>,
    bytes: usize,
    file: usize,
    default_source: Arc<str>,
    cancel: &'a AtomicBool,
    closed: bool,
}

impl BatchSink<'_> {
    fn flush(&mut self) {
        if self.items.is_empty() {
            return;
        }
        let items = std::mem::take(&mut self.items);
        self.bytes = 0;
        if self
            .tx
            .send(RawMsg::Batch {
                default_source: self.default_source.clone(),
                file: self.file,
                items,
            })
            .is_err()
        {
            self.closed = true;
        }
    }

    fn push(&mut self, item: Item, bytes: usize) -> Flow {
        self.items.push(item);
        self.bytes += bytes;
        if self.items.len() >= self.batch_records || self.bytes >= BATCH_BYTES {
            self.flush();
        }
        if self.closed || self.cancel.load(Ordering::Relaxed) {
            Flow::Stop
        } else {
            Flow::Continue
        }
    }
}

impl Sink for BatchSink<'_> {
    fn record(&mut self, record: RawRecord, at: Locator) -> Flow {
        let bytes = record.body.as_ref().map_or(0, String::len)
            + record.title.as_ref().map_or(0, String::len)
            + 256;
        self.push(Item::Record(Box::new((record, at))), bytes)
    }
    fn diagnostic(&mut self, d: Diagnostic) -> Flow {
        self.push(Item::Diag(d), 256)
    }
}

fn now() -> String {
    jiff::Timestamp::now()
        .round(jiff::Unit::Second)
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
        .to_string()
}

/// Per-import bookkeeping in the writer.
struct Tally {
    report: ImportReport,
    kept_per_code: BTreeMap<String, u64>,
    file_ids: Vec<Option<i64>>,
}

impl Tally {
    fn count_diag(&mut self, d: &Diagnostic) -> bool {
        *self
            .report
            .diagnostic_counts
            .entry(d.code.to_string())
            .or_default() += 1;
        let kept = self.kept_per_code.entry(d.code.to_string()).or_default();
        if *kept < DIAGNOSTICS_KEPT_PER_CODE {
            *kept += 1;
            true
        } else {
            false
        }
    }
}

/// Whether a reader's diagnostic stands for a record that was not stored.
fn is_skipped_record(d: &Diagnostic) -> bool {
    d.severity == Severity::Error && d.code != "skipped-file"
}

/// Imports `req` into `store`. Progress goes to `progress`; setting `cancel` stops the import
/// after the batch being written, keeping everything already committed.
///
/// The database is checked whole before the first write ([`Store::verify`]). An import that
/// fails (a full disk, say) keeps its committed batches and ends `failed`; one whose process
/// ends without a word is found `interrupted` by the next open.
pub fn import(
    store: &mut Store,
    req: &ImportRequest,
    progress: &dyn ImportProgress,
    cancel: &AtomicBool,
) -> Result<ImportReport, StoreError> {
    let started = Instant::now();
    store.require_writable("an import")?;
    let (files, notes) = discover(&req.paths, req.recipe.format, &req.recipe.include)
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    let norm_opts = req.normalize_options()?;
    // Bounded memory whatever analyses ran on this connection before.
    store.set_cache_mb(IMPORT_CACHE_MB)?;
    store.set_mapped_bytes(0)?;
    store.verify()?;
    // A corpus another process is writing is "busy", named by its path.
    store
        .mark_interrupted_imports()
        .map_err(|e| store.name_busy(e))?;
    // Held from before the row says `running` until this function returns.
    let _lock = ImportLock::acquire(store.path());
    let import_id = begin_import(store, req).map_err(|e| store.name_busy(e))?;
    let r = run_import(
        store, req, import_id, files, notes, &norm_opts, progress, cancel, started,
    );
    match r {
        Ok(report) => Ok(report),
        Err(e) => {
            // Best effort: on a full disk even this may fail, and the next open marks the
            // import interrupted instead (the lock is gone by then).
            let _ = store.conn.execute(
                "UPDATE imports SET status = 'failed', finished_at = ?2 WHERE id = ?1 AND status = 'running'",
                params![import_id, now()],
            );
            let _ = store.conn.execute(
                "UPDATE import_files SET status = 'failed' WHERE import_id = ?1 AND status = 'reading'",
                [import_id],
            );
            Err(store.name_busy(e))
        }
    }
}

/// Prepares the corpus for new articles and writes the import's `running` row; its id.
fn begin_import(store: &mut Store, req: &ImportRequest) -> Result<i64, StoreError> {
    // New articles take ids above the largest stored one; derived rows left there by an
    // article since removed would collide with their plain inserts.
    store.conn.execute_batch(
        "DELETE FROM article_terms WHERE article_id > (SELECT coalesce(max(id), 0) FROM articles);
         DELETE FROM article_signatures WHERE article_id > (SELECT coalesce(max(id), 0) FROM articles);
         DELETE FROM article_places WHERE article_id > (SELECT coalesce(max(id), 0) FROM articles);
         DELETE FROM article_lines WHERE article_id > (SELECT coalesce(max(id), 0) FROM articles);",
    )?;
    // FTS5 keeps this much of the index in memory before it writes a segment (default 1 MB):
    // a segment per commit group instead of one per few hundred articles halves the index's
    // work, most of it merging small segments (docs/PERFORMANCE.md, "Issue 17, second round").
    // Stored in the index's configuration, so every later writer of this corpus has it too.
    store.conn.execute(
        "INSERT INTO articles_fts(articles_fts, rank) VALUES ('hashsize', ?1)",
        [FTS_HASH_BYTES],
    )?;
    // A fresh corpus gets derived data by the current derivation from its first article on.
    store.conn.execute_batch(&format!(
        "INSERT INTO meta(key, value) SELECT 'derived_version', '{DERIVED_VERSION}'
         WHERE NOT EXISTS (SELECT 1 FROM articles) AND NOT EXISTS (SELECT 1 FROM meta WHERE key = 'derived_version');
         INSERT INTO meta(key, value) SELECT 'derived_complete', '1'
         WHERE NOT EXISTS (SELECT 1 FROM articles) AND NOT EXISTS (SELECT 1 FROM meta WHERE key = 'derived_complete');"
    ))?;
    store.conn.execute(
        "INSERT INTO imports(started_at, status, options, broadsheet_version, pid) VALUES (?1, 'running', ?2, ?3, ?4)",
        params![now(), req.options_json(), VERSION, std::process::id()],
    )?;
    Ok(store.conn.last_insert_rowid())
}

/// Everything after the `running` row: the files read, normalized and written, the status
/// set, the boilerplate brought up to date.
#[allow(clippy::too_many_arguments)]
fn run_import(
    store: &mut Store,
    req: &ImportRequest,
    import_id: i64,
    files: Vec<InputFile>,
    notes: Vec<Diagnostic>,
    norm_opts: &NormalizeOptions,
    progress: &dyn ImportProgress,
    cancel: &AtomicBool,
    started: Instant,
) -> Result<ImportReport, StoreError> {
    let read_opts = req.read_options();
    let bytes_total: u64 = files.iter().map(|f| f.size).sum();
    let mut tally = Tally {
        report: ImportReport {
            import_id,
            status: ImportStatus::Completed,
            files_seen: files.len() as u64,
            records_read: 0,
            stored: 0,
            duplicates: 0,
            skipped: 0,
            bytes: bytes_total,
            elapsed_ms: 0,
            files: files
                .iter()
                .map(|f| FileReport {
                    file: f.display.clone(),
                    size: f.size,
                    ..FileReport::default()
                })
                .collect(),
            language_origins: BTreeMap::new(),
            diagnostic_counts: BTreeMap::new(),
            diagnostics: Vec::new(),
            boilerplate: Vec::new(),
            boilerplate_rederived: 0,
        },
        kept_per_code: BTreeMap::new(),
        file_ids: vec![None; files.len()],
    };
    // Notes from discovery (skipped files) belong to no file row.
    {
        let tx = store.conn.transaction()?;
        for d in &notes {
            if tally.count_diag(d) {
                insert_diag(&tx, import_id, None, d)?;
                tally.report.diagnostics.push(d.clone());
            }
        }
        tx.commit()?;
    }
    let boilerplate = store.boilerplate_sets()?;
    let bytes_done = Arc::new(AtomicU64::new(0));
    let mut snapshot = ProgressSnapshot {
        bytes_total,
        files_total: files.len() as u64,
        phase: "reading".into(),
        ..ProgressSnapshot::default()
    };
    progress.update(&snapshot);

    let (raw_tx, raw_rx) = bounded::<RawMsg>(2);
    let (norm_tx, norm_rx) = bounded::<Msg>(2);

    std::thread::scope(|scope| {
        let files_ref = &files;
        let bytes_ref = &bytes_done;
        let read_ref = &read_opts;
        let format = req.recipe.format;
        let batch = store.tuning.batch_records;
        scope.spawn(move || {
            read_all(
                files_ref, format, read_ref, batch, bytes_ref, raw_tx, cancel,
            )
        });
        let sets = &boilerplate;
        let names = &req.source_names;
        scope.spawn(move || {
            let run = move || normalize_all(raw_rx, norm_tx, norm_opts, names, sets);
            match normalizer_pool() {
                Ok(pool) => pool.install(run),
                Err(_) => run(),
            }
        });
        // Dropping the receiver (by returning) unblocks the other stages if we stopped early.
        write_all(
            store,
            import_id,
            &files,
            norm_rx,
            &mut tally,
            &mut snapshot,
            &bytes_done,
            progress,
            cancel,
        )
    })?;
    let cancelled = cancel.load(Ordering::Relaxed);
    tally.report.status = if cancelled {
        ImportStatus::Cancelled
    } else {
        ImportStatus::Completed
    };
    tally.report.elapsed_ms = started.elapsed().as_millis() as u64;
    store.conn.execute(
        "UPDATE imports SET status = ?2, finished_at = ?3 WHERE id = ?1",
        params![
            import_id,
            if cancelled { "cancelled" } else { "completed" },
            now()
        ],
    )?;
    if cancelled {
        store.conn.execute(
            "UPDATE import_files SET status = 'cancelled' WHERE import_id = ?1 AND status = 'reading'",
            [import_id],
        )?;
    } else {
        update_boilerplate(
            store,
            req,
            import_id,
            &mut tally.report,
            &mut snapshot,
            progress,
            cancel,
        )?;
    }
    Ok(tally.report)
}

/// Brings the corpus's boilerplate up to date after an import, and reports the lines of the
/// sources it stored articles for.
fn update_boilerplate(
    store: &mut Store,
    req: &ImportRequest,
    import_id: i64,
    report: &mut ImportReport,
    snapshot: &mut ProgressSnapshot,
    progress: &dyn ImportProgress,
    cancel: &AtomicBool,
) -> Result<(), StoreError> {
    snapshot.phase = "boilerplate".into();
    let snap = std::cell::RefCell::new(snapshot.clone());
    let b = store.ensure_boilerplate(
        &req.boilerplate,
        &|done, total| {
            let mut s = snap.borrow_mut();
            (s.done, s.total) = (done, total);
            progress.update(&s);
        },
        cancel,
    )?;
    let touched: Vec<String> = {
        let mut st = store.conn.prepare(
            "SELECT DISTINCT s.name FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.import_id = ?1",
        )?;
        let rows = st.query_map([import_id], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    report.boilerplate = b
        .lines
        .into_iter()
        .filter(|l| touched.contains(&l.source))
        .collect();
    report.boilerplate_rederived = b.rederived;
    Ok(())
}

fn read_all(
    files: &[InputFile],
    format: Option<Format>,
    read: &ReadOptions,
    batch_records: usize,
    bytes_done: &Arc<AtomicU64>,
    tx: Sender<RawMsg>,
    cancel: &AtomicBool,
) {
    for (i, f) in files.iter().enumerate() {
        if cancel.load(Ordering::Relaxed) || tx.send(RawMsg::FileStart(i)).is_err() {
            return;
        }
        let mut sink = BatchSink {
            tx: &tx,
            batch_records,
            items: Vec::new(),
            bytes: 0,
            file: i,
            default_source: Arc::from(f.root_name.as_str()),
            cancel,
            closed: false,
        };
        // A reader is not supposed to panic on any input (the fuzz targets check that); should
        // one still do, that file fails with a diagnostic and the import goes on.
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            read_file(f, format, read, bytes_done, &mut sink)
        }))
        .unwrap_or_else(|p| {
            Err(broadsheet_ingest::readers::ReadError::Invalid(format!(
                "internal error while reading this file ({}); please report it",
                panic_message(&p)
            )))
        });
        sink.flush();
        if sink.closed
            || tx
                .send(RawMsg::FileEnd(i, r.map_err(|e| e.to_string())))
                .is_err()
        {
            return;
        }
    }
}

fn normalize_all(
    rx: Receiver<RawMsg>,
    tx: Sender<Msg>,
    opts: &NormalizeOptions,
    names: &std::collections::BTreeMap<String, String>,
    boilerplate: &BoilerplateSets,
) {
    let gazetteer = broadsheet_geo::Gazetteer::builtin();
    let mut priors = SourcePriors::default();
    for msg in rx {
        let out = match msg {
            RawMsg::FileStart(i) => {
                priors.start_file();
                Msg::FileStart(i)
            }
            RawMsg::FileEnd(i, r) => Msg::FileEnd(i, r),
            RawMsg::Batch {
                default_source,
                file,
                items,
            } => {
                let mut normalized: Vec<Normalizing> = items
                    .into_par_iter()
                    .map(|item| match item {
                        Item::Diag(d) => Normalizing::Diag(d),
                        Item::Record(b) => {
                            let (r, at) = *b;
                            guarded(&at, || match normalize(r, &at, &default_source, opts) {
                                Ok((mut a, notes)) => {
                                    if let Some(name) = names.get(&a.source) {
                                        a.source.clone_from(name);
                                    }
                                    Normalizing::Article(Box::new(a), at.clone(), notes)
                                }
                                Err(d) => Normalizing::Diag(d),
                            })
                            .unwrap_or_else(Normalizing::Diag)
                        }
                    })
                    .collect();
                // Sequential and in record order, so the priors are the same on every run.
                priors.assign(&mut normalized);
                let normalized: Vec<Normalized> = normalized
                    .into_par_iter()
                    .map(|n| match n {
                        Normalizing::Diag(d) => Normalized::Diag(d),
                        Normalizing::Article(a, at, notes) => {
                            match guarded(&at, || derive_article(*a, boilerplate, &gazetteer)) {
                                Ok(ad) => Normalized::Article(Box::new(ad), at, notes),
                                Err(diag) => Normalized::Diag(diag),
                            }
                        }
                    })
                    .collect();
                Msg::Batch(file, normalized)
            }
        };
        if tx.send(out).is_err() {
            return;
        }
    }
}

/// The normalizer's threads, one per core as rayon's own pool, below the writer's scheduling
/// priority: the writer thread bounds the import, and with three busy threads on two cores an
/// equal share kept it waiting for a core (docs/PERFORMANCE.md, "Issue 17, second round").
fn normalizer_pool() -> Result<rayon::ThreadPool, rayon::ThreadPoolBuildError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(rayon::current_num_threads())
        .thread_name(|i| format!("normalize-{i}"))
        .start_handler(|_| yield_to_writer())
        .build()
}

/// Raises the calling thread's nice value by 10 where it belongs to a thread (Linux); elsewhere
/// does nothing. Only the normalizer's threads call it, and they end with the import.
fn yield_to_writer() {
    #[cfg(target_os = "linux")]
    // SAFETY: `nice` takes no pointers; on Linux it changes the calling thread only. Its
    // result (the new value, or -1) does not matter: the import runs the same either way.
    unsafe {
        libc::nice(10);
    }
}

/// The derived data of a normalized article, from its body without the boilerplate lines its
/// source has so far (the index row, too, is made from that body).
fn derive_article(
    mut a: Article,
    boilerplate: &BoilerplateSets,
    gazetteer: &broadsheet_geo::Gazetteer,
) -> (Article, Derived) {
    let lines = line_keys(&a.body);
    let effective = strip(&a.body, boilerplate.of_name(&a.source));
    if let std::borrow::Cow::Owned(e) = &effective {
        a.search_body = broadsheet_text::search_text(e);
    }
    let mut d = derive_folded(
        &a.title,
        &effective,
        [&a.search_title, &a.search_body],
        a.language.as_deref(),
        a.extra.get("dateline").and_then(|v| v.as_str()),
        gazetteer,
    );
    d.lines = lines;
    (a, d)
}

/// A normalized record whose language may still come from its source.
enum Normalizing {
    Article(Box<Article>, Locator, Vec<Diagnostic>),
    Diag(Diagnostic),
}

/// Runs `f`, turning a panic into a diagnostic that skips the record.
fn guarded<T>(at: &Locator, f: impl FnOnce() -> T) -> Result<T, Diagnostic> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|p| {
        Diagnostic::new(
            Severity::Error,
            "internal-error",
            at.clone(),
            format!(
                "internal error while normalizing this record ({}); skipped; please report it",
                panic_message(&p)
            ),
        )
    })
}

/// Detected languages counted per source, in this file and in the whole import, so that an
/// article whose text is too short or too numeric to tell takes its source's language.
#[derive(Default)]
struct SourcePriors {
    in_file: BTreeMap<String, BTreeMap<String, u64>>,
    in_import: BTreeMap<String, BTreeMap<String, u64>>,
}

/// A source lends its language only once this many of its articles were detected: one or two
/// messages of a mailing list say little about the next.
const MIN_PRIOR_ARTICLES: u64 = 3;

/// A source's language is the one most of its detected articles have, if more than half of at
/// least [`MIN_PRIOR_ARTICLES`] do.
fn dominant(counts: Option<&BTreeMap<String, u64>>) -> Option<&str> {
    let counts = counts?;
    let total: u64 = counts.values().sum();
    let (lang, n) = counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))?;
    (total >= MIN_PRIOR_ARTICLES && 2 * n > total).then_some(lang.as_str())
}

impl SourcePriors {
    fn start_file(&mut self) {
        self.in_file.clear();
    }

    /// Counts the batch's detected languages, then gives each article without a language the
    /// dominant one of its source in this file so far (this batch included), else in the
    /// import so far, if the article's letters are in that language's script (an English
    /// message never takes a Kyrgyz list's language).
    fn assign(&mut self, batch: &mut [Normalizing]) {
        for n in batch.iter() {
            if let Normalizing::Article(a, _, _) = n {
                if let (Some(l), Some(LanguageOrigin::Detected)) = (&a.language, a.language_origin)
                {
                    for map in [&mut self.in_file, &mut self.in_import] {
                        *map.entry(a.source.clone())
                            .or_default()
                            .entry(l.clone())
                            .or_default() += 1;
                    }
                }
            }
        }
        for n in batch.iter_mut() {
            let Normalizing::Article(a, _, _) = n else {
                continue;
            };
            if a.language.is_some() {
                continue;
            }
            let prior = dominant(self.in_file.get(&a.source))
                .or_else(|| dominant(self.in_import.get(&a.source)));
            let sample = format!("{}\n{}", a.title, a.body);
            if let Some(l) = prior.filter(|l| broadsheet_text::lang::fits_script(l, &sample)) {
                a.language = Some(l.to_string());
                a.language_origin = Some(LanguageOrigin::Source);
            }
        }
    }
}

/// The message of a caught panic.
fn panic_message(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".into())
}

fn insert_diag(
    conn: &rusqlite::Connection,
    import_id: i64,
    file_id: Option<i64>,
    d: &Diagnostic,
) -> Result<(), StoreError> {
    let record = match d.locator.pos {
        RecordPos::File => None,
        ref p => Some(p.to_string()),
    };
    conn.prepare_cached(
        "INSERT INTO diagnostics(import_id, file_id, file, record, severity, code, message) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        import_id,
        file_id,
        d.locator.file,
        record,
        d.severity.to_string(),
        d.code,
        d.message
    ])?;
    Ok(())
}

/// SQLite's page cache during an import, in megabytes.
const IMPORT_CACHE_MB: u32 = 64;

/// The full-text index's in-memory pending data before it writes a segment; a commit group
/// ([`COMMIT_ARTICLES`], [`COMMIT_BYTES`]) writes one anyway.
const FTS_HASH_BYTES: i64 = 64 << 20;

/// A transaction is committed once it holds this many articles or this many bytes of text: few
/// large transactions let the full-text index flush large segments and merge less, while an
/// interrupted import still loses at most one transaction of whole batches.
const COMMIT_ARTICLES: u64 = 10_000;
const COMMIT_BYTES: u64 = 48 << 20;

#[allow(clippy::too_many_arguments)]
fn write_all(
    store: &mut Store,
    import_id: i64,
    files: &[InputFile],
    rx: Receiver<Msg>,
    tally: &mut Tally,
    snapshot: &mut ProgressSnapshot,
    bytes_done: &AtomicU64,
    progress: &dyn ImportProgress,
    cancel: &AtomicBool,
) -> Result<(), StoreError> {
    let mut open = false;
    let (mut pending_articles, mut pending_bytes) = (0u64, 0u64);
    for msg in rx {
        if !open {
            store.conn.execute_batch("BEGIN IMMEDIATE")?;
            open = true;
        }
        let r = write_msg(store, import_id, files, msg, tally, snapshot).and_then(|(n, b)| {
            pending_articles += n;
            pending_bytes += b;
            let stop = cancel.load(Ordering::Relaxed);
            if stop
                || pending_articles >= store.tuning.commit_articles
                || pending_bytes >= COMMIT_BYTES
            {
                commit_group(store, pending_articles > 0)?;
                open = false;
                (pending_articles, pending_bytes) = (0, 0);
            }
            Ok(())
        });
        if let Err(e) = r {
            if open {
                let _ = store.conn.execute_batch("ROLLBACK");
            }
            // Sources and terms inserted in the failed transaction are gone again.
            store.source_ids.clear();
            store.dictionary.reset();
            return Err(e);
        }
        snapshot.bytes_done = bytes_done.load(Ordering::Relaxed);
        snapshot.records = tally.report.records_read;
        snapshot.stored = tally.report.stored;
        snapshot.duplicates = tally.report.duplicates;
        snapshot.skipped = tally.report.skipped;
        progress.update(snapshot);
        if cancel.load(Ordering::Relaxed) {
            break;
        }
    }
    if open {
        if let Err(e) = commit_group(store, pending_articles > 0) {
            let _ = store.conn.execute_batch("ROLLBACK");
            store.source_ids.clear();
            store.dictionary.reset();
            return Err(e);
        }
    }
    Ok(())
}

/// Commits the open transaction, marking near-duplicate clusters stale first when it stored
/// articles (once per transaction rather than once per article) and advancing the metadata
/// generation.
fn commit_group(store: &Store, stored: bool) -> Result<(), StoreError> {
    if stored {
        store.conn.execute_batch(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('clusters_dirty', '1')",
        )?;
    }
    // Sources, terms and term vectors may have been written even when no article was.
    crate::corpus::bump_generation(&store.conn)?;
    store.conn.execute_batch("COMMIT")?;
    Ok(())
}

/// Writes one message of the normalizer inside the open transaction; returns the articles
/// stored and their bytes of text.
fn write_msg(
    store: &mut Store,
    import_id: i64,
    files: &[InputFile],
    msg: Msg,
    tally: &mut Tally,
    snapshot: &mut ProgressSnapshot,
) -> Result<(u64, u64), StoreError> {
    match msg {
        Msg::FileStart(i) => {
            let f = &files[i];
            store.conn.execute(
                "INSERT INTO import_files(import_id, path, display, size, status) VALUES (?1, ?2, ?3, ?4, 'reading')",
                params![import_id, f.path.display().to_string(), f.display, f.size as i64],
            )?;
            tally.file_ids[i] = Some(store.conn.last_insert_rowid());
            snapshot.current_file = f.display.clone();
            Ok((0, 0))
        }
        Msg::Batch(i, items) => write_batch(store, import_id, files, i, items, tally),
        Msg::FileEnd(i, r) => {
            let file_id = tally.file_ids[i];
            let fr = &mut tally.report.files[i];
            match r {
                Ok(info) => {
                    fr.format = info.format;
                    fr.encoding = info.encoding;
                    fr.hash = info.hash;
                }
                Err(msg) => fr.error = Some(msg),
            }
            let status = if fr.error.is_some() { "failed" } else { "done" };
            store.conn.execute(
                "UPDATE import_files SET hash = ?2, format = ?3, encoding = ?4, status = ?5 WHERE id = ?1",
                params![file_id, fr.hash, fr.format, fr.encoding, status],
            )?;
            if let Some(msg) = fr.error.clone() {
                let d = Diagnostic::new(
                    Severity::Error,
                    "unreadable",
                    Locator {
                        file: files[i].display.clone(),
                        pos: RecordPos::File,
                    },
                    msg,
                );
                if tally.count_diag(&d) {
                    insert_diag(&store.conn, import_id, file_id, &d)?;
                    tally.report.diagnostics.push(d);
                }
            }
            snapshot.files_done += 1;
            Ok((0, 0))
        }
    }
}

fn write_batch(
    store: &mut Store,
    import_id: i64,
    files: &[InputFile],
    file: usize,
    items: Vec<Normalized>,
    tally: &mut Tally,
) -> Result<(u64, u64), StoreError> {
    let file_id = tally.file_ids[file];
    {
        store.dictionary.load(&store.conn)?;
        let mut stored = 0u64;
        let mut stored_bytes = 0u64;
        let mut dups = 0u64;
        let mut skipped = 0u64;
        for item in items {
            match item {
                Normalized::Diag(d) => {
                    if is_skipped_record(&d) {
                        skipped += 1;
                    }
                    if tally.count_diag(&d) {
                        insert_diag(&store.conn, import_id, file_id, &d)?;
                        tally.report.diagnostics.push(d);
                    }
                }
                Normalized::Article(ad, at, notes) => {
                    let (a, derived) = &*ad;
                    let source_id = store.source_id(&a.source)?;
                    let record = record_column(&files[file].display, &at);
                    let extra = serde_json::to_string(&a.extra).unwrap_or_else(|_| "{}".into());
                    let inserted = store
                        .conn
                        .prepare_cached(
                            "INSERT INTO articles(source_id, identity, url, external_id, title, byline, section, language,
                                language_confidence, language_origin, published_at, date_precision, date_origin, date_raw,
                                body, content_hash, chars, import_id, file_id, record, extra, country)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)
                             ON CONFLICT(identity) DO NOTHING",
                        )?
                        .execute(params![
                            source_id,
                            &a.identity[..],
                            a.url,
                            a.external_id,
                            a.title,
                            a.byline,
                            a.section,
                            a.language,
                            a.language_confidence,
                            a.language_origin.map(LanguageOrigin::as_str),
                            a.date.map(|d| d.timestamp),
                            a.precision().as_str(),
                            a.date_origin.as_str(),
                            a.date_raw,
                            a.body,
                            &a.content_hash[..],
                            a.body.chars().count() as i64,
                            import_id,
                            file_id,
                            record,
                            extra,
                            derived.country,
                        ])?;
                    if inserted == 1 {
                        let id = store.conn.last_insert_rowid();
                        store
                            .conn
                            .prepare_cached(
                                "INSERT INTO articles_fts(rowid, title, body) VALUES (?1, ?2, ?3)",
                            )?
                            .execute(params![id, a.search_title, a.search_body])?;
                        write_new_derived(&store.conn, &mut store.dictionary, id, derived)?;
                        store
                            .conn
                            .prepare_cached(
                                "INSERT INTO article_lines(source_id, article_id, hashes) VALUES (?1, ?2, ?3)",
                            )?
                            .execute(params![source_id, id, encode_keys(&derived.lines)])?;
                        stored += 1;
                        stored_bytes += (a.title.len() + a.body.len()) as u64;
                        let origin = a.language_origin.map_or("unknown", LanguageOrigin::as_str);
                        for counts in [
                            &mut tally.report.files[file].language_origins,
                            &mut tally.report.language_origins,
                        ] {
                            *counts.entry(origin.to_string()).or_default() += 1;
                        }
                        for n in notes {
                            if tally.count_diag(&n) {
                                insert_diag(&store.conn, import_id, file_id, &n)?;
                                tally.report.diagnostics.push(n);
                            }
                        }
                    } else {
                        dups += 1;
                        let d = duplicate_diag(store, a, at)?;
                        if tally.count_diag(&d) {
                            insert_diag(&store.conn, import_id, file_id, &d)?;
                            tally.report.diagnostics.push(d);
                        }
                    }
                }
            }
        }
        let fr = &mut tally.report.files[file];
        fr.stored += stored;
        fr.duplicates += dups;
        fr.skipped += skipped;
        fr.records += stored + dups + skipped;
        store.conn.execute(
            "UPDATE import_files SET records = ?2, stored = ?3, duplicates = ?4, skipped = ?5 WHERE id = ?1",
            params![file_id, fr.records as i64, fr.stored as i64, fr.duplicates as i64, fr.skipped as i64],
        )?;
        let r = &mut tally.report;
        r.stored += stored;
        r.duplicates += dups;
        r.skipped += skipped;
        r.records_read += stored + dups + skipped;
        store.conn.execute(
            "UPDATE imports SET files_seen = ?2, records_read = ?3, stored = ?4, duplicates = ?5, skipped = ?6,
                 bytes = ?7, diagnostic_counts = ?8 WHERE id = ?1",
            params![
                import_id,
                r.files_seen as i64,
                r.records_read as i64,
                r.stored as i64,
                r.duplicates as i64,
                r.skipped as i64,
                r.bytes as i64,
                serde_json::to_string(&r.diagnostic_counts).unwrap_or_default()
            ],
        )?;
        Ok((stored, stored_bytes))
    }
}

/// What `articles.record` holds for a record found at `at` in the imported file shown as
/// `file`: its position (`line 3`, `record 7`; nothing for a whole-file article), and for a
/// member of an archive the member's path before it (`!/dir/a.jsonl, line 3`,
/// `!/b.txt, whole file`), since `articles.file_id` names only the archive. The position never
/// holds ", ", so the last ", " separates it from a member path that may.
fn record_column(file: &str, at: &Locator) -> Option<String> {
    match at.file.strip_prefix(file).filter(|m| m.starts_with('!')) {
        Some(member) => Some(format!("{member}, {}", at.pos)),
        None => match at.pos {
            RecordPos::File => None,
            ref p => Some(p.to_string()),
        },
    }
}

/// The file and position an article came from, from its import file's display path and its
/// `articles.record` (see [`record_column`]): `("prov.zip!/a.jsonl", "line 1")`.
pub(crate) fn provenance(
    file: Option<String>,
    record: Option<String>,
) -> (Option<String>, Option<String>) {
    match record
        .as_deref()
        .filter(|r| r.starts_with('!'))
        .and_then(|r| r.rsplit_once(", "))
    {
        Some((member, pos)) => (
            file.map(|f| f + member),
            (pos != "whole file").then(|| pos.to_string()),
        ),
        None => (file, record),
    }
}

/// The diagnostic for a record that repeats a stored article: which article, and where that
/// one came from.
fn duplicate_diag(store: &Store, a: &Article, at: Locator) -> Result<Diagnostic, StoreError> {
    let existing: Option<(i64, Option<String>, Option<String>)> = store
        .conn
        .prepare_cached(
            "SELECT a.id, f.display, a.record FROM articles a LEFT JOIN import_files f ON f.id = a.file_id WHERE a.identity = ?1",
        )?
        .query_row([&a.identity[..]], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let what = if a.url.is_some() {
        "the same source and URL"
    } else if a.external_id.is_some() {
        "the same source and id"
    } else {
        "the same source, title, text and date"
    };
    let msg = match existing {
        Some((id, file, record)) => {
            let (file, record) = provenance(file, record);
            format!(
                "duplicate of article #{id} ({what}), stored from {}{}",
                file.unwrap_or_else(|| "an earlier import".into()),
                record.map(|r| format!(", {r}")).unwrap_or_default()
            )
        }
        None => format!("duplicate of an article already stored ({what})"),
    };
    Ok(Diagnostic::new(Severity::Info, "duplicate", at, msg))
}
