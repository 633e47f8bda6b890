//! The request and response types that cross between the app's UI and its Rust side. Each
//! derives `ts_rs::TS`; `crate::bindings` writes them to `ui/src/lib/bindings/`, and a test
//! fails when the committed TypeScript files are stale. Integers are plain JSON numbers.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the UI needs to know about the running app.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AppInfo {
    pub version: String,
    /// True when the native dialogs are pre-answered for end-to-end tests.
    pub test_mode: bool,
}

/// The open project.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ProjectInfo {
    pub name: String,
    pub dir: String,
    pub articles: u64,
    pub sources: u64,
    pub imports: u64,
}

/// A project the user opened before, most recent first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RecentProject {
    pub name: String,
    pub dir: String,
    /// When it was last opened (RFC 3339, UTC).
    pub opened_at: String,
    /// False when the folder is no longer a project (moved or deleted).
    #[serde(default)]
    pub available: bool,
}

/// A built-in recipe.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RecipeInfo {
    pub name: String,
    pub description: String,
    pub toml: String,
}

/// How a collection is to be read: a recipe, then the overrides the user set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum RecipeChoice {
    /// Detect every format, map common field names.
    #[default]
    Auto,
    /// A built-in recipe by name.
    Builtin { name: String },
    /// A recipe file (chosen in a native dialog).
    File { path: String },
}

/// One mapping override: an article field read from a column, key or dotted JSON path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MapOverride {
    /// title, body, date, source, url, id, author, section or language.
    pub field: String,
    /// A column header, JSON key, dotted path or 1-based column number.
    pub column: String,
}

/// The import options the user chose: paths (from native dialogs), a recipe and overrides.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportOptions {
    pub paths: Vec<String>,
    pub recipe: RecipeChoice,
    pub format: Option<String>,
    pub source: Option<String>,
    pub language: Option<String>,
    pub map: Vec<MapOverride>,
    pub no_header: bool,
    pub delimiter: Option<String>,
    /// JSON: the dotted path of the list of records in each document (`response.docs`; `.`
    /// for the document itself); none to let the reader find it.
    #[serde(default)]
    pub records: Option<String>,
    /// Text files: where the title comes from: `auto`, `first-line`, `filename` or `none`.
    #[serde(default)]
    pub title: Option<String>,
    /// Keep the HTML of fields that hold it in `extra` (`body_html` …) beside the text they
    /// are reduced to.
    #[serde(default)]
    pub keep_html: bool,
}

/// Asks for a preview of the first records of the chosen files.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct PreviewRequest {
    pub options: ImportOptions,
    /// How many records to show in all (default 5).
    pub records: Option<u32>,
    /// How many files to read at most (default 5).
    pub files: Option<u32>,
}

/// Where a field's value comes from in a preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FieldMapping {
    pub field: String,
    /// The column, key or part of the file; `None` when nothing fills the field.
    pub from: Option<String>,
    /// `recipe` (the recipe or an override), `auto` (a recognised name), `layout` (the format's
    /// own layout, e.g. the first line of a text file) or `none`.
    pub how: String,
}

/// A record as it would be stored, with the raw date and where the date would come from.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SampleRecord {
    pub locator: String,
    pub title: Option<String>,
    /// The opening of the text (at most 600 characters).
    pub body: Option<String>,
    pub body_chars: u64,
    pub source: String,
    pub url: Option<String>,
    pub external_id: Option<String>,
    pub author: Option<String>,
    pub section: Option<String>,
    pub language: Option<String>,
    pub date: Option<String>,
    pub date_origin: String,
    pub date_precision: String,
    pub date_raw: Option<String>,
    /// Unmapped fields, as `name = value` (values shortened).
    pub extra: Vec<(String, String)>,
    /// Why the record would be skipped, when it would be.
    pub skipped: Option<String>,
}

/// One previewed file.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FilePreview {
    pub file: String,
    pub size: u64,
    pub format: String,
    pub encoding: String,
    /// The columns or keys found (the choices for a mapping override).
    pub columns: Vec<String>,
    /// Where the records of a JSON document were found: the path of the list that holds them
    /// (`response.docs`; empty for a top-level array), `None` when each document or line is a
    /// record.
    pub records_at: Option<String>,
    pub mapping: Vec<FieldMapping>,
    pub records: Vec<SampleRecord>,
    pub diagnostics: Vec<DiagnosticInfo>,
    /// Set when the file could not be read.
    pub error: Option<String>,
}

/// What an import of the chosen paths would read, from its first records. Nothing is written.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportPreview {
    pub files_total: u64,
    pub bytes_total: u64,
    pub files: Vec<FilePreview>,
    /// Files that would be skipped (documentation, images…), with the reason.
    pub skipped: Vec<DiagnosticInfo>,
    /// The effective recipe, as TOML.
    pub recipe_toml: String,
    /// With the automatic recipe: the built-in recipes these files look like the export of,
    /// with what each would change.
    pub suggestions: Vec<broadsheet_ingest::RecipeSuggestion>,
}

/// A diagnostic naming a file, a record and a reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DiagnosticInfo {
    pub file: String,
    pub record: Option<String>,
    pub severity: String,
    pub code: String,
    pub message: String,
}

/// The id of a background job.
pub type JobId = u32;

/// An import under way.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct ImportProgressInfo {
    pub bytes_done: u64,
    pub bytes_total: u64,
    pub files_done: u64,
    pub files_total: u64,
    pub records: u64,
    pub stored: u64,
    pub duplicates: u64,
    pub skipped: u64,
    pub current_file: String,
}

/// One file's part of an import.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportFileInfo {
    pub file: String,
    pub format: String,
    pub encoding: String,
    pub size: u64,
    pub records: u64,
    pub stored: u64,
    pub duplicates: u64,
    pub skipped: u64,
    pub status: String,
}

/// An import's report: counts, files and diagnostics.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportReportInfo {
    pub import_id: i64,
    /// completed, cancelled, interrupted, failed or running.
    pub status: String,
    pub started_at: String,
    pub files_seen: u64,
    pub records_read: u64,
    pub stored: u64,
    pub duplicates: u64,
    pub skipped: u64,
    pub bytes: u64,
    pub elapsed_ms: Option<u64>,
    pub files: Vec<ImportFileInfo>,
    /// Diagnostics by code, all of them counted, sorted by code.
    pub diagnostic_counts: Vec<(String, u64)>,
    /// The diagnostics kept (up to 1,000 per code).
    pub diagnostics: Vec<DiagnosticInfo>,
}

/// A past import, in the list of imports.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportSummary {
    pub id: i64,
    pub started_at: String,
    pub status: String,
    pub files_seen: u64,
    pub stored: u64,
    pub duplicates: u64,
    pub skipped: u64,
}

/// What a finished job produced.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum JobOutput {
    Import { report: ImportReportInfo },
}

/// Events about background jobs, sent to the UI as they happen.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum JobEvent {
    Progress {
        job: JobId,
        progress: ImportProgressInfo,
    },
    /// The job ended normally or after a cancel (see the output's status).
    Finished {
        job: JobId,
        output: JobOutput,
    },
    Failed {
        job: JobId,
        error: String,
    },
}

/// The sort orders of listings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    /// Best match first (search only; listings fall back to date).
    Relevance,
    /// Oldest first, undated last.
    #[default]
    Date,
    /// Newest first, undated last.
    Newest,
    /// Import order.
    Id,
}

/// Metadata filters. New kinds of filter (region, concept, duplicate cluster) are added here.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct FilterSet {
    /// A year, month or day: `2015`, `2015-06`, `2015-06-01`.
    pub from: Option<String>,
    pub to: Option<String>,
    pub sources: Vec<String>,
    pub languages: Vec<String>,
}

/// One page of the article table.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct PageRequest {
    pub filters: FilterSet,
    /// Only articles matching this query (optional).
    pub query: Option<String>,
    pub sort: SortOrder,
    pub offset: u64,
    pub limit: u32,
}

/// A row of the article table.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ArticleRowInfo {
    pub id: i64,
    pub source: String,
    pub date: Option<String>,
    pub title: String,
    pub language: Option<String>,
    pub chars: u64,
}

/// A page of rows and the number of rows in all.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ArticlePage {
    pub total: u64,
    pub offset: u64,
    pub rows: Vec<ArticleRowInfo>,
}

/// The choices for the filter panel.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FilterOptions {
    pub sources: Vec<SourceInfo>,
    /// Language codes with their article counts.
    pub languages: Vec<(String, u64)>,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct SourceInfo {
    pub name: String,
    pub articles: u64,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
}

/// Sources to rename or merge: one name in `from` and a new `into` renames it; several, or an
/// `into` another source has, are merged into one source named `into`.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct SourceRename {
    pub from: Vec<String>,
    pub into: String,
}

/// What a rename or merge did: the names that are gone and the articles moved.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SourcesRenamed {
    pub into: String,
    pub gone: Vec<String>,
    pub moved: u64,
}

/// A run of text, marked when it matched the query. Always rendered as text, never as HTML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TextSegment {
    pub text: String,
    #[serde(rename = "match")]
    pub hit: bool,
}

/// Asks for one article, with the hits of a query marked.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ArticleRequest {
    pub id: i64,
    pub query: Option<String>,
}

/// One article for the Reader: metadata, the date's provenance, and the text in segments.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ArticleView {
    pub id: i64,
    pub source: String,
    pub title: Vec<TextSegment>,
    pub title_text: String,
    pub byline: Option<String>,
    pub section: Option<String>,
    pub url: Option<String>,
    pub external_id: Option<String>,
    pub language: Option<String>,
    pub language_confidence: Option<f64>,
    pub language_origin: Option<String>,
    pub date: Option<String>,
    pub date_precision: String,
    pub date_origin: String,
    pub date_raw: Option<String>,
    /// Paragraphs, each a list of segments.
    pub paragraphs: Vec<Vec<TextSegment>>,
    pub hits: u64,
    pub extra: Vec<(String, String)>,
    pub import_id: i64,
    pub file: Option<String>,
    pub record: Option<String>,
}

/// A query that cannot be parsed: the message and the characters it is about (Unicode
/// scalar values, half-open).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct QueryProblem {
    pub message: String,
    pub start: u32,
    pub end: u32,
}

/// A search.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SearchQuery {
    pub query: String,
    pub filters: FilterSet,
    pub sort: SortOrder,
    pub offset: u64,
    pub limit: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct SearchHitInfo {
    pub id: i64,
    pub source: String,
    pub title: String,
    pub date: Option<String>,
    pub snippet: Vec<TextSegment>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct SearchPage {
    pub total: u64,
    pub offset: u64,
    pub hits: Vec<SearchHitInfo>,
}

/// Corpus statistics.
#[derive(Debug, Clone, Serialize, TS)]
pub struct StatsView {
    pub articles: u64,
    pub sources: u64,
    pub dated: u64,
    pub undated: u64,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    pub dates_by_origin: Vec<(String, u64)>,
    pub dates_by_precision: Vec<(String, u64)>,
    pub languages: Vec<(String, u64)>,
    /// The years that occur, sorted, `undated` last when present.
    pub years: Vec<String>,
    /// One row per source with its count for each of `years`.
    pub by_source: Vec<SourceYears>,
    pub imports: u64,
    pub duplicates_seen: u64,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct SourceYears {
    pub source: String,
    pub total: u64,
    pub counts: Vec<u64>,
}

/// An error for the UI: a message for people, a kind for code, and for query errors the span.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ErrorReply {
    /// `query`, `no-project`, `not-allowed`, `busy`, `not-found` or `other`.
    pub kind: String,
    pub message: String,
    pub query: Option<QueryProblem>,
}

// ---- analyses ----

// The request of every analysis is the engine's own description of it, whose TypeScript type
// is derived from it (`AnalysisEntry`, with `SubcorpusEntry`, `Kind`, `By`, `Period`,
// `ChartEntry` and `OutputFormat`): the window sends what a project file's `[[analyses]]` holds.
pub use broadsheet_analysis::entry::{
    AnalysisEntry, By, ChartEntry, Kind, OutputFormat, SubcorpusEntry,
};
pub use broadsheet_analysis::Period;

/// A finished analysis: its table (the rows shown; exports write them all), the notes of the
/// run, and its chart as the same SVG the `broadsheet` command draws.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AnalysisResult {
    pub title: String,
    pub columns: Vec<String>,
    #[ts(type = "Array<Array<string | number | boolean | null>>")]
    pub rows: Vec<Vec<serde_json::Value>>,
    /// Rows in the whole table (more than `rows.len()` when the display was cut).
    pub total_rows: u64,
    pub notes: Vec<(String, String)>,
    /// The chart as SVG text, for kinds that have one. Shown through an `<img>`, never inlined.
    pub chart_svg: Option<String>,
}

/// What an export wrote.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ExportResult {
    pub path: String,
    /// Table rows written (0 for charts).
    pub rows: u64,
}

/// A concept: a named, saved query of the project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ConceptInfo {
    pub name: String,
    /// Terms for articles of any language.
    pub query: String,
    pub description: Option<String>,
    /// Terms that count only in articles of one language, by ISO code, in code order.
    #[serde(default)]
    pub languages: Vec<LanguageTerms>,
}

/// A concept's terms for the articles of one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LanguageTerms {
    /// An ISO 639 code (`ru`, `fa`, `ky`) or a name the import knows (`Russian`).
    pub language: String,
    pub query: String,
}

/// An entry of Broadsheet's built-in multilingual lexicon: a concept ready to copy and edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LexiconInfo {
    pub id: String,
    pub concept: ConceptInfo,
}

/// An analysis saved in the project file.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SavedAnalysis {
    pub name: String,
    pub kind: String,
    pub title: String,
    /// The analysis itself, to open it again.
    pub entry: AnalysisEntry,
}
