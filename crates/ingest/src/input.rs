//! Inputs: the paths a user names, expanded into files (folders walked in sorted order, with
//! documentation and hidden files left out, links and special files named in notes), each
//! file's format decided (by extension, then by content), archives (`.zip`, overlapping entries
//! refused) and compressed files (`.gz`) read as streams, never extracted, and every file hashed
//! while it is read.

use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::encoding::{sniff, FileEncoding, TranscodingReader};
use crate::readers::{self, io_words, FileCtx, Flow, ReadError, ReadOptions, Sink};
use crate::record::{Diagnostic, Locator, RecordPos, Severity};

/// A format Broadsheet reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// One article per plain-text file.
    Text,
    /// CSV or TSV with a header.
    Csv,
    /// A JSON array, JSON Lines, or one JSON document.
    Json,
    /// A zip archive of files in the other formats.
    Zip,
    /// A gzip-compressed file in one of the other formats.
    Gzip,
    /// SGML or XML records (Reuters-21578 and the like), laid out by a recipe.
    Sgml,
    /// An RSS 2.0, RSS 1.0/RDF or Atom feed.
    Feed,
    /// A saved HTML article page (main text extracted, metadata read).
    Html,
    /// E-mail or Usenet messages (RFC 5322 / RFC 1036): one per file, or an mbox.
    Mail,
}

impl Format {
    /// Every format, in the order `--format` help and errors list them.
    pub const ALL: [Format; 9] = [
        Format::Text,
        Format::Csv,
        Format::Json,
        Format::Sgml,
        Format::Feed,
        Format::Html,
        Format::Mail,
        Format::Zip,
        Format::Gzip,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Zip => "zip",
            Format::Gzip => "gzip",
            Format::Sgml => "sgml",
            Format::Feed => "feed",
            Format::Html => "html",
            Format::Mail => "mail",
        }
    }

    /// The format a file name's extension says, if any.
    pub fn by_extension(name: &str) -> Option<Format> {
        let lower = name.to_ascii_lowercase();
        let ext = lower.rsplit_once('.').map(|(_, e)| e)?;
        Some(match ext {
            "txt" | "text" => Format::Text,
            "csv" | "tsv" | "tab" => Format::Csv,
            "json" | "jsonl" | "ndjson" | "jsonlines" => Format::Json,
            "zip" => Format::Zip,
            "gz" | "gzip" => Format::Gzip,
            "sgm" | "sgml" => Format::Sgml,
            "rss" | "atom" | "rdf" => Format::Feed,
            "html" | "htm" | "xhtml" | "shtml" => Format::Html,
            "eml" | "mbox" | "mbx" => Format::Mail,
            _ => return None,
        })
    }

    /// The format the first bytes suggest.
    pub fn sniff(head: &[u8]) -> Option<Format> {
        if head.starts_with(b"PK\x03\x04") {
            return Some(Format::Zip);
        }
        if head.starts_with(&[0x1f, 0x8b]) {
            return Some(Format::Gzip);
        }
        let start = if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
            3
        } else {
            0
        };
        let first = head[start..].iter().find(|b| !b.is_ascii_whitespace())?;
        match first {
            b'[' | b'{' => Some(Format::Json),
            b'<' => Some(xml_kind(&head[start..])),
            _ if !looks_textual(head) => None,
            _ if readers::mail::sniff(head) => Some(Format::Mail),
            _ => Some(Format::Text),
        }
    }
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "text" | "txt" => Ok(Format::Text),
            "csv" | "tsv" => Ok(Format::Csv),
            "json" | "jsonl" | "ndjson" => Ok(Format::Json),
            "zip" => Ok(Format::Zip),
            "gzip" | "gz" => Ok(Format::Gzip),
            "sgml" | "xml" => Ok(Format::Sgml),
            "feed" | "rss" | "atom" => Ok(Format::Feed),
            "html" | "htm" => Ok(Format::Html),
            "mail" | "eml" | "mbox" | "news" => Ok(Format::Mail),
            _ => Err(format!(
                "`{s}` is not a format; formats are {}",
                Format::ALL.map(|f| f.name()).join(", ")
            )),
        }
    }
}

/// A feed when the first element is `rss`, `rdf:RDF` or `feed`; other markup is SGML/XML
/// records.
fn xml_kind(head: &[u8]) -> Format {
    let text = String::from_utf8_lossy(&head[..head.len().min(4096)]).to_ascii_lowercase();
    let mut rest = text.as_str();
    // Skip the declaration, comments, processing instructions and the doctype.
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("<?") {
            rest = r.split_once("?>").map(|(_, r)| r).unwrap_or("");
        } else if let Some(r) = rest.strip_prefix("<!--") {
            rest = r.split_once("-->").map(|(_, r)| r).unwrap_or("");
        } else if let Some(r) = rest.strip_prefix("<!") {
            rest = r.split_once('>').map(|(_, r)| r).unwrap_or("");
        } else {
            break;
        }
    }
    let name: String = rest
        .trim_start_matches('<')
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == ':' || *c == '_' || *c == '-')
        .collect();
    match name.as_str() {
        "rss" | "rdf:rdf" | "feed" => Format::Feed,
        "html" | "head" | "body" => Format::Html,
        _ if text.contains("<!doctype html") || text.contains("<html") => Format::Html,
        _ => Format::Sgml,
    }
}

/// Few control bytes: text in some encoding (UTF-16 has many NULs, so is judged by `sniff`).
/// Backspace overstrike, form feeds and terminal escapes are text's controls and not counted
/// (the readers remove them with a diagnostic); other C0 controls may be 1% of the bytes.
fn looks_textual(head: &[u8]) -> bool {
    if matches!(sniff(head, false), FileEncoding::Other { encoding, .. } if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE)
    {
        return true;
    }
    let n = head.len().min(8192);
    crate::controls::binary_control_bytes(&head[..n]) * 100 <= n
}

/// A file to read, found from a path the user named.
#[derive(Debug, Clone)]
pub struct InputFile {
    pub path: PathBuf,
    /// The path shown in reports: relative to the folder that holds the named path.
    pub display: String,
    /// The name of the folder or file the user named (the default source name).
    pub root_name: String,
    /// The folder this file is in, when that is below the named folder.
    pub folder: Option<String>,
    pub size: u64,
}

/// Why the named inputs cannot be read at all.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{path}: no such file or folder")]
    Missing { path: String },
    /// Said in the user's words; the OS error is not repeated as a cause.
    #[error("{path}: cannot read it: {}", io_words(.error))]
    Io { path: String, error: io::Error },
    #[error("{path}: {kind}, not a file or folder; nothing was read")]
    NotAFile { path: String, kind: &'static str },
}

fn is_documentation(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let stem = upper.split('.').next().unwrap_or("");
    matches!(
        stem,
        "README"
            | "LICENSE"
            | "LICENCE"
            | "COPYING"
            | "CHANGELOG"
            | "NOTICE"
            | "AUTHORS"
            | "CITATION"
    )
}

fn is_surely_not_articles(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    matches!(
        ext,
        "dtd"
            | "xsd"
            | "py"
            | "r"
            | "ipynb"
            | "js"
            | "css"
            | "exe"
            | "dll"
            | "so"
            | "png"
            | "jpg"
            | "jpeg"
            | "gif"
            | "webp"
            | "svg"
            | "pdf"
            | "doc"
            | "docx"
            | "xls"
            | "xlsx"
            | "ppt"
            | "mp3"
            | "mp4"
            | "wav"
            | "sqlite"
            | "db"
            | "parquet"
            | "pyc"
            | "class"
            | "jar"
            | "tar"
            | "7z"
            | "rar"
            | "bz2"
            | "xz"
            | "lock"
            | "toml"
            | "yaml"
            | "yml"
            | "md"
    )
}

/// Expands the named paths into files, in a stable order: each named path in turn, folders
/// walked with entries sorted by name. What is left out comes back as diagnostics naming it:
/// files skipped by name or pattern (info), symbolic links not followed and special files
/// (FIFOs, sockets, devices), and folders that cannot be listed (an error; the walk goes on).
///
/// A symbolic link inside a folder is followed when it leads to a file inside the named folder
/// that is not read by itself (one in a hidden folder, say), with a note. A link to a file read
/// by itself, to a folder, to nothing or round a loop is not followed, and neither is a link out
/// of the named folder: a collection unpacked from the web must not pull other files into the
/// corpus (`notes.txt -> ~/.ssh/id_rsa`), as the desktop app reads only chosen paths and what is
/// inside them. Each gets a note saying so. A named path that is neither a file nor a folder is
/// an error (a FIFO is never opened, so never waited on).
pub fn discover(
    paths: &[PathBuf],
    format: Option<Format>,
    include: &[String],
) -> Result<(Vec<InputFile>, Vec<Diagnostic>), InputError> {
    let mut files = Vec::new();
    let mut notes = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| {
            if e.kind() == io::ErrorKind::NotFound {
                InputError::Missing {
                    path: p.display().to_string(),
                }
            } else {
                InputError::Io {
                    path: p.display().to_string(),
                    error: e,
                }
            }
        })?;
        let canonical = std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
        let root_name = canonical
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "import".to_string());
        let base = canonical
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        if meta.is_file() {
            files.push(InputFile {
                display: rel_display(&canonical, &base),
                path: canonical,
                root_name: strip_ext(&root_name),
                folder: None,
                size: meta.len(),
            });
            continue;
        }
        if !meta.is_dir() {
            return Err(InputError::NotAFile {
                path: p.display().to_string(),
                kind: special_kind(&meta.file_type()),
            });
        }
        let walk = Walk {
            root: &canonical,
            base: &base,
            root_name: &root_name,
            format,
            include,
        };
        walk.run(&mut files, &mut notes);
    }
    Ok((files, notes))
}

/// What a folder walk found, in walk order; links are resolved once every file is known.
enum Found {
    File(InputFile),
    Note(Diagnostic),
    Link { path: PathBuf, display: String },
}

/// One named folder being expanded into files.
struct Walk<'a> {
    root: &'a Path,
    /// The folder that holds the named one: displays are relative to it.
    base: &'a Path,
    root_name: &'a str,
    format: Option<Format>,
    include: &'a [String],
}

impl Walk<'_> {
    fn run(&self, files: &mut Vec<InputFile>, notes: &mut Vec<Diagnostic>) {
        let walker = walkdir::WalkDir::new(self.root)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        let mut found = Vec::new();
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    found.push(Found::Note(self.unlistable(&e)));
                    continue;
                }
            };
            let ft = entry.file_type();
            if ft.is_dir() {
                continue;
            }
            let path = entry.path().to_path_buf();
            let display = rel_display(&path, self.base);
            if ft.is_symlink() {
                found.push(Found::Link { path, display });
            } else if !ft.is_file() {
                found.push(Found::Note(note(
                    Severity::Warning,
                    "skipped-file",
                    &display,
                    format!("{}, not a file; skipped", special_kind(&ft)),
                )));
            } else {
                let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
                found.push(match self.admit(path, display, size) {
                    Ok(f) => Found::File(f),
                    Err(d) => Found::Note(d),
                });
            }
        }
        // Files read by themselves, by their path, with how they are shown (needed only when
        // there are links to resolve).
        let links = found.iter().any(|f| matches!(f, Found::Link { .. }));
        let mut read: std::collections::BTreeMap<PathBuf, String> = found
            .iter()
            .filter(|_| links)
            .filter_map(|f| match f {
                Found::File(f) => Some((f.path.clone(), f.display.clone())),
                _ => None,
            })
            .collect();
        for f in found {
            match f {
                Found::File(f) => files.push(f),
                Found::Note(d) => notes.push(d),
                Found::Link { path, display } => {
                    match self.follow(&path, &display, &read) {
                        Err(d) => notes.push(d),
                        Ok((target, size)) => {
                            let shown = rel_display(&target, self.base);
                            let file = InputFile {
                                folder: self.folder_of(&path),
                                ..match self.admit(target.clone(), display.clone(), size) {
                                    Ok(f) => f,
                                    Err(d) => {
                                        notes.push(d);
                                        continue;
                                    }
                                }
                            };
                            notes.push(note(
                            Severity::Info,
                            "symlink",
                            &display,
                            format!("a symbolic link to {shown}, inside the imported folder; followed"),
                        ));
                            read.insert(target, display);
                            files.push(file);
                        }
                    }
                }
            }
        }
    }

    /// Where a link inside the folder leads, when it is to be read: the file and its size.
    fn follow(
        &self,
        link: &Path,
        display: &str,
        read: &std::collections::BTreeMap<PathBuf, String>,
    ) -> Result<(PathBuf, u64), Diagnostic> {
        let skip = |severity, msg: String| Err(note(severity, "symlink", display, msg));
        let target = match std::fs::canonicalize(link) {
            Ok(t) => t,
            Err(e) if e.raw_os_error() == Some(ELOOP) => {
                return skip(
                    Severity::Warning,
                    "a symbolic link that leads round in a loop; skipped".into(),
                )
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let to = std::fs::read_link(link)
                    .map(|t| t.display().to_string())
                    .unwrap_or_default();
                return skip(
                    Severity::Warning,
                    format!("a symbolic link to {to}, which does not exist; skipped"),
                );
            }
            Err(e) => {
                return skip(
                    Severity::Warning,
                    format!(
                        "a symbolic link that cannot be followed ({}); skipped",
                        io_words(&e)
                    ),
                )
            }
        };
        let meta = match std::fs::metadata(&target) {
            Ok(m) => m,
            Err(e) => {
                return skip(
                    Severity::Warning,
                    format!(
                        "a symbolic link that cannot be followed ({}); skipped",
                        io_words(&e)
                    ),
                )
            }
        };
        let folder = if meta.is_dir() { "the folder " } else { "" };
        if !target.starts_with(self.root) {
            let to = target.display();
            return skip(
                Severity::Warning,
                format!("a symbolic link to {folder}{to}, outside the imported folder; not followed (links must not pull other files into a corpus; name {to} itself to import it)"),
            );
        }
        let shown = rel_display(&target, self.base);
        if meta.is_dir() {
            return skip(
                Severity::Info,
                format!("a symbolic link to the folder {shown}, inside the imported folder, whose files are read where they are; not followed"),
            );
        }
        if !meta.is_file() {
            return skip(
                Severity::Warning,
                format!(
                    "a symbolic link to {} ({shown}), not a file; skipped",
                    special_kind(&meta.file_type())
                ),
            );
        }
        match read.get(&target) {
            Some(by) if *by == shown => skip(
                Severity::Info,
                format!("a symbolic link to {shown}, which is read by itself; not followed"),
            ),
            Some(by) => skip(
                Severity::Info,
                format!("a symbolic link to {shown}, which is read through {by}; not followed"),
            ),
            None => Ok((target, meta.len())),
        }
    }

    /// A folder below the named one that cannot be listed, or an entry that cannot be looked at.
    fn unlistable(&self, e: &walkdir::Error) -> Diagnostic {
        let path = e.path().unwrap_or(self.root);
        let why = e.io_error().map(io_words).unwrap_or_else(|| e.to_string());
        let msg = if std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir()) {
            format!("cannot list this folder: {why}; the files in it were not imported")
        } else {
            format!("cannot read this: {why}; skipped")
        };
        note(
            Severity::Error,
            "unreadable",
            &rel_display(path, self.base),
            msg,
        )
    }

    /// The name of the folder `path` is in, when that is below the named folder.
    fn folder_of(&self, path: &Path) -> Option<String> {
        path.parent()
            .filter(|d| *d != self.root)
            .and_then(|d| d.file_name())
            .map(|n| n.to_string_lossy().into_owned())
    }

    /// A file found in the folder (at `path`, shown as `display`), unless its name leaves it
    /// out: then the note that says why.
    fn admit(&self, path: PathBuf, display: String, size: u64) -> Result<InputFile, Diagnostic> {
        let name = Path::new(&display)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let skip = |msg: String| Err(note(Severity::Info, "skipped-file", &display, msg));
        if !self.include.is_empty() && !self.include.iter().any(|p| wildcard(p, &name)) {
            return skip(format!(
                "not named by the recipe's include patterns ({})",
                self.include.join(", ")
            ));
        }
        if is_documentation(&name) {
            return skip("looks like documentation (README, LICENSE, …), not an article; name the file itself to import it".into());
        }
        if is_surely_not_articles(&name) {
            return skip("not a format Broadsheet reads; skipped".into());
        }
        if let (Some(f), Some(ext_f)) = (self.format, Format::by_extension(&name)) {
            // Usenet posts are often saved as .txt: --format mail reads them.
            let mail_txt = f == Format::Mail && ext_f == Format::Text;
            if f != ext_f && !mail_txt && !matches!(ext_f, Format::Zip | Format::Gzip) {
                return skip(format!(
                    "a .{} file, not {}; skipped",
                    name.rsplit('.').next().unwrap_or(""),
                    f.name()
                ));
            }
        }
        Ok(InputFile {
            folder: self.folder_of(&path),
            path,
            display,
            root_name: self.root_name.to_string(),
            size,
        })
    }
}

/// `ELOOP`: too many levels of symbolic links.
#[cfg(target_os = "linux")]
const ELOOP: i32 = 40;
#[cfg(not(target_os = "linux"))]
const ELOOP: i32 = 62;

fn note(severity: Severity, code: &'static str, file: &str, msg: impl Into<String>) -> Diagnostic {
    Diagnostic::new(
        severity,
        code,
        Locator {
            file: file.to_string(),
            pos: RecordPos::File,
        },
        msg,
    )
}

/// What a file that is neither a regular file nor a folder is, in words.
fn special_kind(ft: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a named pipe (FIFO)";
        } else if ft.is_socket() {
            return "a socket";
        } else if ft.is_char_device() {
            return "a character device";
        } else if ft.is_block_device() {
            return "a block device";
        }
    }
    if ft.is_symlink() {
        "a symbolic link"
    } else {
        "not a regular file"
    }
}

/// Shell-style matching of a file name: `*` any run of characters, `?` one character,
/// case-insensitive.
pub fn wildcard(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let n: Vec<char> = name.to_lowercase().chars().collect();
    let (mut pi, mut ni) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ni;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

fn strip_ext(name: &str) -> String {
    let mut n = name;
    for _ in 0..2 {
        match n.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() && ext.len() <= 8 => n = stem,
            _ => break,
        }
    }
    n.to_string()
}

fn rel_display(path: &Path, base: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// What reading a file found out about it.
#[derive(Debug, Clone, Serialize)]
pub struct FileInfo {
    pub format: String,
    pub encoding: String,
    pub size: u64,
    /// BLAKE3 of the file's bytes, hex.
    pub hash: String,
}

struct HashingReader<R> {
    inner: R,
    hasher: blake3::Hasher,
    progress: Arc<AtomicU64>,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.progress.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// How many bytes the decompressing streams of one file (a `.gz`, or every member of a `.zip`
/// and what they hold) may still produce: the defence against zip bombs, overlapping-entry
/// bombs among them, whose members are each small but share one compressed body.
#[derive(Clone)]
struct Inflation {
    used: Rc<Cell<u64>>,
    budget: u64,
    compressed: u64,
}

impl Inflation {
    fn new(compressed: u64, opts: &ReadOptions) -> Self {
        Inflation {
            used: Rc::new(Cell::new(0)),
            budget: compressed
                .saturating_mul(opts.max_inflate_ratio)
                .max(opts.min_inflate_budget),
            compressed,
        }
    }

    fn exhausted(&self) -> bool {
        self.used.get() > self.budget
    }

    fn message(&self) -> String {
        format!(
            "decompression stopped after {}, over {} times the compressed size of {} (a zip bomb?); the rest was not read",
            readers::human_bytes(self.budget),
            (self.budget / self.compressed.max(1)).max(1),
            readers::human_bytes(self.compressed)
        )
    }

    fn wrap<R: Read>(&self, inner: R) -> Inflating<R> {
        Inflating {
            inner,
            budget: self.clone(),
        }
    }
}

/// A decompressing stream that fails once its file's [`Inflation`] budget is spent.
struct Inflating<R> {
    inner: R,
    budget: Inflation,
}

impl<R: Read> Read for Inflating<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.budget.exhausted() {
            return Err(io::Error::other(self.budget.message()));
        }
        let n = self.inner.read(buf)?;
        let used = &self.budget.used;
        used.set(used.get().saturating_add(n as u64));
        if self.budget.exhausted() {
            return Err(io::Error::other(self.budget.message()));
        }
        Ok(n)
    }
}

/// Reads one file into `sink`. `progress` advances by the bytes read from disk.
pub fn read_file(
    file: &InputFile,
    format: Option<Format>,
    opts: &ReadOptions,
    progress: &Arc<AtomicU64>,
    sink: &mut dyn Sink,
) -> Result<FileInfo, ReadError> {
    let name = file
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let f = File::open(&file.path)?;
    let mut hr = HashingReader {
        inner: f,
        hasher: blake3::Hasher::new(),
        progress: progress.clone(),
    };
    let mut head = Vec::with_capacity(64 * 1024);
    (&mut hr).take(64 * 1024).read_to_end(&mut head)?;
    let fmt = resolve_format(format, &name, &head);
    let mut info = FileInfo {
        format: fmt
            .map(|f| f.name().to_string())
            .unwrap_or_else(|| "unknown".into()),
        encoding: String::new(),
        size: file.size,
        hash: String::new(),
    };
    let inflation = Inflation::new(file.size, opts);
    let result = match fmt {
        Some(Format::Zip) => {
            // Zip needs random access: read the archive from its own handle, then hash the file.
            let r = read_zip(file, format, opts, &inflation, sink);
            io::copy(&mut hr, &mut io::sink())?;
            r
        }
        None => {
            sink.diagnostic(Diagnostic::new(
                Severity::Error,
                "unknown-format",
                Locator {
                    file: file.display.clone(),
                    pos: RecordPos::File,
                },
                "cannot tell what format this file is in (binary content?); give --format to read it",
            ));
            Ok(String::new())
        }
        Some(f) => {
            let stream = Cursor::new(head).chain(&mut hr);
            let r = read_stream(
                Box::new(stream),
                f,
                format,
                &name,
                &file.display,
                file.folder.clone(),
                opts,
                &inflation,
                sink,
            );
            // Hash the rest even if the reader stopped early.
            io::copy(&mut hr, &mut io::sink())?;
            r
        }
    };
    info.hash = hr.hasher.finalize().to_hex().to_string();
    info.encoding = result?;
    Ok(info)
}

/// Reads the records in `head`, the opening bytes of `file`, into `sink` as [`read_file`]
/// reads the whole file, but without hashing: a sample (for previews and recipe suggestions)
/// that costs the opening of a file whatever its size. A record cut off at the end of `head`
/// comes back as a diagnostic. A zip archive needs its whole file and is read from it; a file
/// whose format cannot be told gives nothing (see [`format_of`]).
pub fn read_sample(
    file: &InputFile,
    head: &[u8],
    format: Option<Format>,
    opts: &ReadOptions,
    sink: &mut dyn Sink,
) -> Result<(), ReadError> {
    let name = file_name(file);
    let inflation = Inflation::new(file.size, opts);
    match resolve_format(format, &name, head) {
        None => {}
        Some(Format::Zip) => {
            read_zip(file, format, opts, &inflation, sink)?;
        }
        Some(f) => {
            read_stream(
                Box::new(head),
                f,
                format,
                &name,
                &file.display,
                file.folder.clone(),
                opts,
                &inflation,
                sink,
            )?;
        }
    }
    Ok(())
}

/// The format [`read_file`] reads `file` in, from its name and its opening bytes `head`, with
/// `explicit` the format a recipe or option names; `None` when it cannot be told.
pub fn format_of(file: &InputFile, head: &[u8], explicit: Option<Format>) -> Option<Format> {
    resolve_format(explicit, &file_name(file), head)
}

fn file_name(file: &InputFile) -> String {
    file.path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn resolve_format(explicit: Option<Format>, name: &str, head: &[u8]) -> Option<Format> {
    // Archives are archives whatever --format says; --format then applies to their members.
    match detect_format(name, head) {
        Some(f @ (Format::Zip | Format::Gzip)) => Some(f),
        other => explicit.or(other),
    }
}

/// The format a file's name and first bytes say: the extension decides, except that a `.txt`
/// file whose content is a mail or news message (header fields that name at least two of From,
/// Subject, Date, Newsgroups, Message-ID, Path, Organization) is read as mail: folders of Usenet
/// posts are often saved as `.txt`, and an article's title line alone never qualifies.
fn detect_format(name: &str, head: &[u8]) -> Option<Format> {
    match Format::by_extension(name) {
        Some(Format::Text) if readers::mail::sniff(head) => Some(Format::Mail),
        Some(f) => Some(f),
        None => Format::sniff(head),
    }
}

/// Reads a stream in a known format; returns the encoding's name.
#[allow(clippy::too_many_arguments)]
fn read_stream<'a>(
    stream: Box<dyn Read + 'a>,
    fmt: Format,
    explicit: Option<Format>,
    name: &str,
    display: &str,
    folder: Option<String>,
    opts: &ReadOptions,
    inflation: &Inflation,
    sink: &mut dyn Sink,
) -> Result<String, ReadError> {
    match fmt {
        Format::Gzip => {
            let inner_name = name
                .strip_suffix(".gz")
                .or_else(|| name.strip_suffix(".GZ"))
                .or_else(|| name.strip_suffix(".gzip"))
                .unwrap_or(name)
                .to_string();
            let mut dec = BufReader::with_capacity(
                256 * 1024,
                inflation.wrap(flate2::read::MultiGzDecoder::new(BufReader::new(stream))),
            );
            let head = dec.fill_buf()?.to_vec();
            let inner = match explicit.or_else(|| detect_format(&inner_name, &head)) {
                Some(Format::Gzip) | Some(Format::Zip) => return Err(ReadError::Invalid(
                    "an archive inside a compressed file is not read; unpack the outer layer first"
                        .into(),
                )),
                Some(f) => f,
                None => {
                    return Err(ReadError::Invalid(
                        "cannot tell the format of the compressed content; give --format".into(),
                    ))
                }
            };
            let enc = read_stream(
                Box::new(dec),
                inner,
                explicit,
                &inner_name,
                display,
                folder,
                opts,
                inflation,
                sink,
            )?;
            Ok(format!("gzip, {enc}"))
        }
        Format::Zip => Err(ReadError::Invalid(
            "a zip archive inside another archive is not read; unpack the outer layer first".into(),
        )),
        Format::Text => {
            let mut bytes = Vec::new();
            let limit = opts.max_record_bytes as u64;
            let mut s = stream;
            (&mut s).take(limit + 1).read_to_end(&mut bytes)?;
            if bytes.len() as u64 > limit {
                let rest = io::copy(&mut s, &mut io::sink())?;
                return Err(ReadError::Invalid(format!(
                    "the article is {} long, over the limit of {}; skipped",
                    readers::human_bytes(bytes.len() as u64 + rest),
                    readers::human_bytes(limit)
                )));
            }
            let (text, enc, note) = crate::encoding::decode_whole(&bytes);
            let ctx = FileCtx {
                display: display.to_string(),
                folder,
                file_name: name.to_string(),
                encoding: sniff(&bytes, true),
            };
            if let Some(n) = note {
                sink.diagnostic(ctx.diag(Severity::Warning, "encoding", RecordPos::File, n));
            }
            readers::text::read(&text, &ctx, opts.title, sink)?;
            Ok(enc)
        }
        Format::Html => {
            let mut bytes = Vec::new();
            let limit = opts.max_record_bytes as u64;
            let mut s = stream;
            (&mut s).take(limit + 1).read_to_end(&mut bytes)?;
            if bytes.len() as u64 > limit {
                let rest = io::copy(&mut s, &mut io::sink())?;
                return Err(ReadError::Invalid(format!(
                    "the page is {} long, over the limit of {}; skipped",
                    readers::human_bytes(bytes.len() as u64 + rest),
                    readers::human_bytes(limit)
                )));
            }
            let page = crate::html::extract(&bytes, None)
                .map_err(|e| ReadError::Invalid(e.to_string()))?;
            let encoding = page.charset_used.clone();
            let mut rec = crate::record::RawRecord {
                title: page.title,
                body: Some(page.text),
                date: page.published.map(serde_json::Value::String),
                source: page.site_name,
                url: page.canonical_url,
                author: page.byline,
                section: page.section,
                language: page.language,
                folder: folder.clone(),
                ..Default::default()
            };
            for (k, v) in [
                ("description", page.description),
                ("date_from", page.published_from.map(str::to_string)),
                ("charset_declared", page.charset_declared),
            ] {
                if let Some(v) = v {
                    rec.extra.insert(k.into(), serde_json::Value::String(v));
                }
            }
            rec.extra
                .insert("file".into(), serde_json::Value::String(name.to_string()));
            if let Some(f) = &folder {
                rec.extra
                    .insert("folder".into(), serde_json::Value::String(f.clone()));
            }
            sink.record(
                rec,
                Locator {
                    file: display.to_string(),
                    pos: RecordPos::File,
                },
            );
            Ok(encoding)
        }
        Format::Mail => {
            let ctx = FileCtx {
                display: display.to_string(),
                folder,
                file_name: name.to_string(),
                encoding: FileEncoding::Utf8 {
                    bom: false,
                    fallback: encoding_rs::WINDOWS_1252,
                },
            };
            let mut r = BufReader::with_capacity(256 * 1024, stream);
            readers::mail::read(&mut r, &ctx, opts, sink)?;
            Ok("per message (MIME charsets)".into())
        }
        Format::Feed => {
            let ctx = FileCtx {
                display: display.to_string(),
                folder,
                file_name: name.to_string(),
                encoding: FileEncoding::Utf8 {
                    bom: false,
                    fallback: encoding_rs::WINDOWS_1252,
                },
            };
            let mut r = BufReader::with_capacity(256 * 1024, stream);
            readers::feed::read(&mut r, &ctx, opts, sink)?;
            Ok("from the feed".into())
        }
        Format::Csv | Format::Json | Format::Sgml => {
            let mut s = stream;
            let mut head = Vec::with_capacity(64 * 1024);
            (&mut s).take(64 * 1024).read_to_end(&mut head)?;
            let complete = head.len() < 64 * 1024;
            let enc = sniff(&head, complete);
            let ctx = FileCtx {
                display: display.to_string(),
                folder,
                file_name: name.to_string(),
                encoding: enc,
            };
            let doubt = crate::encoding::uncertain(&head, &enc);
            let whole = Cursor::new(head).chain(s);
            let mut reader: Box<dyn BufRead + 'a> = match enc {
                FileEncoding::Utf8 { bom, .. } => {
                    let mut r = BufReader::with_capacity(256 * 1024, whole);
                    if bom {
                        r.consume(3);
                    }
                    Box::new(r)
                }
                FileEncoding::Other { encoding, .. } => Box::new(BufReader::with_capacity(
                    256 * 1024,
                    TranscodingReader::new(whole, encoding),
                )),
            };
            if let FileEncoding::Other { detected: true, .. } = enc {
                sink.diagnostic(ctx.diag(
                    Severity::Info,
                    "encoding",
                    RecordPos::File,
                    format!("read as {}", enc.name()),
                ));
            }
            if let Some(doubt) = doubt {
                sink.diagnostic(ctx.diag(Severity::Warning, "encoding", RecordPos::File, doubt));
            }
            match fmt {
                Format::Csv => readers::csv::read(&mut *reader, &ctx, opts, sink)?,
                Format::Json => readers::json::read(&mut *reader, &ctx, opts, sink)?,
                _ => {
                    let cfg = match &opts.sgml {
                        Some(c) => c.clone(),
                        None => {
                            let head = reader.fill_buf()?;
                            let lower = String::from_utf8_lossy(&head[..head.len().min(8192)])
                                .to_ascii_lowercase();
                            if lower.contains("<reuters") {
                                readers::sgml::reuters_preset()
                            } else {
                                return Err(ReadError::Invalid(
                                    "SGML/XML records need a recipe that names the record element and its fields (see `broadsheet recipes show reuters21578`)".into(),
                                ));
                            }
                        }
                    };
                    readers::sgml::read(&mut *reader, &ctx, &cfg, opts, sink)?
                }
            }
            Ok(enc.name())
        }
    }
}

/// A zip member's name as shown (never used as a path): lossy UTF-8, `/` separators.
fn member_name(raw: &[u8]) -> String {
    String::from_utf8_lossy(raw).replace('\\', "/")
}

/// What a Unix file mode says a non-regular file is (`None` for files, folders and modes that
/// name no type).
fn special_file_kind(mode: u32) -> Option<&'static str> {
    Some(match mode & 0o170000 {
        0o120000 => "a symbolic link",
        0o010000 => "a named pipe (FIFO)",
        0o020000 => "a character device",
        0o060000 => "a block device",
        0o140000 => "a socket",
        _ => return None,
    })
}

/// The entries of an archive whose bytes (local header through compressed data) overlap an
/// entry laid out before them, each with the name of the entry it overlaps: the
/// overlapping-entry zip bomb makes thousands of central-directory entries point at one
/// compressed body. The entry that starts first (the lowest index among equals) is read; the
/// others are refused. Entries whose local header cannot be read are left to the member loop,
/// which reports them.
fn overlapping_entries<R: Read + io::Seek>(
    archive: &mut zip::ZipArchive<R>,
) -> std::collections::BTreeMap<usize, String> {
    let mut ranges: Vec<(u64, u64, usize)> = Vec::with_capacity(archive.len());
    for i in 0..archive.len() {
        if let Ok(m) = archive.by_index_raw(i) {
            let start = m.header_start();
            let data = m.data_start().unwrap_or(start);
            ranges.push((start, data.saturating_add(m.compressed_size()), i));
        }
    }
    ranges.sort_unstable();
    let mut refused = std::collections::BTreeMap::new();
    let mut covered: Option<(u64, usize)> = None;
    for (start, end, i) in ranges {
        match covered {
            Some((until, owner)) if start < until => {
                let name = archive.name_for_index(owner).and_then(Result::ok);
                let name =
                    name.map_or_else(|| format!("#{}", owner + 1), |n| member_name(n.as_bytes()));
                refused.insert(i, name);
            }
            // Sorted by start: this entry begins at or after everything before it ends.
            _ => covered = Some((end, i)),
        }
    }
    refused
}

/// Reads every member of a zip archive as a stream, in archive order.
fn read_zip(
    file: &InputFile,
    explicit: Option<Format>,
    opts: &ReadOptions,
    inflation: &Inflation,
    sink: &mut dyn Sink,
) -> Result<String, ReadError> {
    let f = File::open(&file.path)?;
    let mut archive = zip::ZipArchive::new(BufReader::new(f))
        .map_err(|e| ReadError::Invalid(format!("not a readable zip archive: {e}")))?;
    let overlapping = overlapping_entries(&mut archive);
    for i in 0..archive.len() {
        if inflation.exhausted() {
            sink.diagnostic(Diagnostic::new(
                Severity::Error,
                "inflate-limit",
                Locator {
                    file: file.display.clone(),
                    pos: RecordPos::File,
                },
                format!(
                    "{}: {} of its {} members were not read",
                    inflation.message(),
                    archive.len() - i,
                    archive.len()
                ),
            ));
            break;
        }
        let member = match archive.by_index(i) {
            Ok(m) => m,
            Err(e) => {
                sink.diagnostic(Diagnostic::new(
                    Severity::Error,
                    "bad-archive-member",
                    Locator {
                        file: format!("{}!/#{}", file.display, i + 1),
                        pos: RecordPos::File,
                    },
                    format!("cannot read this archive member: {e}"),
                ));
                continue;
            }
        };
        if member.is_dir() {
            continue;
        }
        // The member name is only ever shown, never used as a path on disk.
        let raw_name = member_name(member.name_raw());
        let display = format!("{}!/{}", file.display, raw_name);
        if let Some(owner_name) = overlapping.get(&i) {
            let d = Diagnostic::new(
                Severity::Error,
                "overlapping-member",
                Locator { file: display, pos: RecordPos::File },
                format!("its bytes in the archive overlap those of {owner_name} (an overlapping-entry zip bomb?); not read"),
            );
            if sink.diagnostic(d) == Flow::Stop {
                break;
            }
            continue;
        }
        if let Some(kind) = member.unix_mode().and_then(special_file_kind) {
            let d = Diagnostic::new(
                Severity::Info,
                "skipped-file",
                Locator { file: display, pos: RecordPos::File },
                format!("{kind} inside the archive, not a file; not read (links in archives are never followed)"),
            );
            if sink.diagnostic(d) == Flow::Stop {
                break;
            }
            continue;
        }
        let mut member = inflation.wrap(member);
        let base = raw_name.rsplit('/').next().unwrap_or(&raw_name).to_string();
        let folder = raw_name
            .rsplit('/')
            .nth(1)
            .filter(|s| !s.is_empty() && *s != ".." && *s != ".")
            .map(str::to_string);
        let loc = Locator {
            file: display.clone(),
            pos: RecordPos::File,
        };
        if base.starts_with('.') || raw_name.starts_with("__MACOSX/") {
            continue;
        }
        if is_documentation(&base) || is_surely_not_articles(&base) {
            sink.diagnostic(Diagnostic::new(
                Severity::Info,
                "skipped-file",
                loc,
                "not an article file; skipped",
            ));
            continue;
        }
        let mut head = Vec::with_capacity(4096);
        if let Err(e) = (&mut member).take(4096).read_to_end(&mut head) {
            sink.diagnostic(Diagnostic::new(
                Severity::Error,
                "bad-archive-member",
                loc,
                format!("cannot decompress: {e}"),
            ));
            continue;
        }
        let Some(fmt) = resolve_format(explicit, &base, &head) else {
            sink.diagnostic(Diagnostic::new(
                Severity::Error,
                "unknown-format",
                loc,
                "cannot tell what format this member is in; skipped",
            ));
            continue;
        };
        let stream = Cursor::new(head).chain(&mut member);
        if let Err(e) = read_stream(
            Box::new(stream),
            fmt,
            explicit,
            &base,
            &display,
            folder,
            opts,
            inflation,
            sink,
        ) {
            if sink.diagnostic(Diagnostic::new(
                Severity::Error,
                "unreadable",
                loc,
                e.to_string(),
            )) == Flow::Stop
            {
                break;
            }
        }
    }
    Ok("zip".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::readers::testutil::Collect;
    use std::io::Write;

    /// Issue 19, item 14: `--format` errors and help listed text, csv and json only, although
    /// sgml, feed and html are read too.
    #[test]
    fn format_list_names_every_format() {
        // Exhaustive: a new variant does not compile here until it is listed.
        let listed = |f: Format| match f {
            Format::Text
            | Format::Csv
            | Format::Json
            | Format::Zip
            | Format::Gzip
            | Format::Sgml
            | Format::Feed
            | Format::Html
            | Format::Mail => Format::ALL.contains(&f),
        };
        for f in Format::ALL {
            assert!(listed(f));
            assert_eq!(f.name().parse::<Format>(), Ok(f), "{}", f.name());
        }
        for f in [Format::Sgml, Format::Feed, Format::Html] {
            assert!(listed(f), "{} is not listed", f.name());
        }
        let err = "word".parse::<Format>().unwrap_err();
        for name in ["text", "csv", "json", "zip", "gzip", "sgml", "feed", "html"] {
            assert!(err.contains(name), "{err}");
        }
    }

    /// A sink that only counts, for archives that would unpack to gigabytes.
    #[derive(Default)]
    struct Count {
        records: Vec<Locator>,
        diagnostics: Vec<Diagnostic>,
    }

    impl Sink for Count {
        fn record(&mut self, _: crate::record::RawRecord, at: Locator) -> Flow {
            self.records.push(at);
            Flow::Continue
        }
        fn diagnostic(&mut self, d: Diagnostic) -> Flow {
            self.diagnostics.push(d);
            Flow::Continue
        }
    }

    fn read_one(path: &Path, opts: &ReadOptions) -> Count {
        let (files, _) = discover(&[path.to_path_buf()], None, &[]).unwrap();
        let mut sink = Count::default();
        let progress = Arc::new(AtomicU64::new(0));
        read_file(&files[0], None, opts, &progress, &mut sink).unwrap();
        sink
    }

    /// Issue 19, item 13: a zip whose thousand central-directory entries share one deflated
    /// body was read member after member until the decompression budget ran out (12 minutes
    /// for a 30 MB body, each copy normalized as an article). Entries whose bytes overlap an
    /// entry already read are refused, each with a diagnostic naming it.
    #[test]
    fn overlapping_zip_entries_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut body = String::from("The one body\n\n");
        while body.len() < 256 * 1024 {
            body.push_str("Words of an article that every entry of the archive shares. ");
        }
        let zip = broadsheet_testdata::zipgen::overlapping_zip(body.as_bytes(), 1000);
        let path = dir.path().join("overlap.zip");
        std::fs::write(&path, &zip).unwrap();
        let started = std::time::Instant::now();
        let sink = read_one(&path, &ReadOptions::default());
        eprintln!("read in {:?}", started.elapsed());
        assert_eq!(
            sink.records.len(),
            1,
            "{:?}",
            &sink.diagnostics[..3.min(sink.diagnostics.len())]
        );
        assert_eq!(sink.records[0].file, "overlap.zip!/m0000.txt");
        let refused: Vec<&Diagnostic> = sink
            .diagnostics
            .iter()
            .filter(|d| d.code == "overlapping-member")
            .collect();
        assert_eq!(refused.len(), 999, "{:?}", sink.diagnostics.first());
        assert_eq!(refused[0].locator.file, "overlap.zip!/m0001.txt");
        assert_eq!(refused[0].severity, Severity::Error);
        assert!(
            refused[0].message.contains("m0000.txt"),
            "{}",
            refused[0].message
        );
        assert_eq!(sink.diagnostics.len(), 999, "{:?}", sink.diagnostics.last());
    }

    /// Issue 19, item 14: a zip entry that is a symbolic link (Unix mode `S_IFLNK` in its
    /// external attributes) was stored as an article titled with the link's target.
    #[test]
    fn zip_symlink_entries_are_skipped_with_a_note() {
        let dir = tempfile::tempdir().unwrap();
        let zip = broadsheet_testdata::zipgen::zip_of(&[
            (b"passwd.txt", b"/etc/passwd", Some(0o120777)),
            (b"a.txt", b"Title\n\nBody", Some(0o100644)),
        ]);
        let path = dir.path().join("links.zip");
        std::fs::write(&path, &zip).unwrap();
        let sink = read_one(&path, &ReadOptions::default());
        let files: Vec<&str> = sink.records.iter().map(|l| l.file.as_str()).collect();
        assert_eq!(files, vec!["links.zip!/a.txt"]);
        assert_eq!(sink.diagnostics.len(), 1, "{:?}", sink.diagnostics);
        let d = &sink.diagnostics[0];
        assert_eq!(
            (d.code, d.severity, d.locator.file.as_str()),
            ("skipped-file", Severity::Info, "links.zip!/passwd.txt")
        );
        assert!(d.message.contains("symbolic link"), "{}", d.message);
    }

    #[test]
    fn wildcards() {
        for (p, n, ok) in [
            ("*.sgm", "reut2-000.sgm", true),
            ("*.sgm", "README.txt", false),
            ("source.html", "Source.HTML", true),
            ("reut2-0?0.sgm", "reut2-010.sgm", true),
            ("a*b*c", "axxbyyc", true),
            ("a*b*c", "axxbyy", false),
            ("*", "", true),
        ] {
            assert_eq!(wildcard(p, n), ok, "{p} {n}");
        }
    }

    #[test]
    fn formats_by_extension_and_content() {
        assert_eq!(Format::by_extension("a/b.JSONL"), Some(Format::Json));
        assert_eq!(Format::by_extension("x.tsv"), Some(Format::Csv));
        assert_eq!(Format::by_extension("noext"), None);
        assert_eq!(Format::sniff(b"  [{\"a\":1}]"), Some(Format::Json));
        assert_eq!(Format::sniff(b"Title\n\nBody"), Some(Format::Text));
        assert_eq!(Format::sniff(b"PK\x03\x04...."), Some(Format::Zip));
        assert_eq!(Format::sniff(&[0u8, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2]), None);
    }

    /// The notes discovery made, as `(code, severity, file, message)`.
    fn notes_of(notes: &[Diagnostic]) -> Vec<(&'static str, Severity, String, String)> {
        notes
            .iter()
            .map(|d| {
                (
                    d.code,
                    d.severity,
                    d.locator.file.clone(),
                    d.message.clone(),
                )
            })
            .collect()
    }

    /// Issue 19, item 10: symbolic links, FIFOs, sockets and devices inside a folder were
    /// skipped without a word ("0 files", exit status 0). A link to a file inside the folder
    /// that is not read by itself is followed; every other link and every special file is
    /// named in a note saying why it was not read.
    #[cfg(unix)]
    #[test]
    fn links_and_special_files_in_a_folder_are_named() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("corpus");
        std::fs::create_dir_all(root.join(".store")).unwrap();
        std::fs::write(root.join("a.txt"), "A\n\nText a").unwrap();
        std::fs::write(root.join(".store/b.txt"), "B\n\nText b").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "not for the corpus").unwrap();
        symlink("a.txt", root.join("again.txt")).unwrap();
        symlink(".store/b.txt", root.join("b.txt")).unwrap();
        symlink("../secret.txt", root.join("outside.txt")).unwrap();
        symlink("nowhere.txt", root.join("dangling.txt")).unwrap();
        symlink("loop2", root.join("loop1")).unwrap();
        symlink("loop1", root.join("loop2")).unwrap();
        symlink(".", root.join("self")).unwrap();
        let fifo = root.join("pipe");
        assert!(std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
        let _socket = std::os::unix::net::UnixListener::bind(root.join("sock")).unwrap();

        let (files, notes) = discover(std::slice::from_ref(&root), None, &[]).unwrap();
        let read: Vec<(&str, String)> = files
            .iter()
            .map(|f| {
                (
                    f.display.as_str(),
                    f.path.strip_prefix(&root).unwrap().display().to_string(),
                )
            })
            .collect();
        assert_eq!(
            read,
            vec![
                ("corpus/a.txt", "a.txt".into()),
                ("corpus/b.txt", ".store/b.txt".into())
            ]
        );
        let notes = notes_of(&notes);
        let want: Vec<(&str, Severity, &str, &str)> = vec![
            ("symlink", Severity::Info, "corpus/again.txt", "a symbolic link to corpus/a.txt, which is read by itself; not followed"),
            ("symlink", Severity::Info, "corpus/b.txt", "a symbolic link to corpus/.store/b.txt, inside the imported folder; followed"),
            ("symlink", Severity::Warning, "corpus/dangling.txt", "a symbolic link to nowhere.txt, which does not exist; skipped"),
            ("symlink", Severity::Warning, "corpus/loop1", "a symbolic link that leads round in a loop; skipped"),
            ("symlink", Severity::Warning, "corpus/loop2", "a symbolic link that leads round in a loop; skipped"),
            ("symlink", Severity::Warning, "corpus/outside.txt", ""),
            ("skipped-file", Severity::Warning, "corpus/pipe", "a named pipe (FIFO), not a file; skipped"),
            ("symlink", Severity::Info, "corpus/self", "a symbolic link to the folder corpus, inside the imported folder, whose files are read where they are; not followed"),
            ("skipped-file", Severity::Warning, "corpus/sock", "a socket, not a file; skipped"),
        ];
        assert_eq!(notes.len(), want.len(), "{notes:#?}");
        for (got, want) in notes.iter().zip(&want) {
            assert_eq!(
                (got.0, got.1, got.2.as_str()),
                (want.0, want.1, want.2),
                "{got:?}"
            );
            if !want.3.is_empty() {
                assert_eq!(got.3, want.3);
            }
        }
        // A link out of the folder is never followed silently, and says how to read its target.
        let outside = &notes[5].3;
        assert!(
            outside.contains("secret.txt")
                && outside.contains("outside the imported folder")
                && outside.contains("not followed"),
            "{outside}"
        );
    }

    /// Issue 19, item 10: a named path that is a FIFO or a device is an error naming it, not a
    /// hang (opening a FIFO waits for a writer) and not "0 files".
    #[cfg(unix)]
    #[test]
    fn a_named_fifo_or_device_is_an_error_not_a_hang() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.jsonl");
        assert!(std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
        let err = discover(std::slice::from_ref(&fifo), None, &[])
            .unwrap_err()
            .to_string();
        assert!(
            err.ends_with(
                "pipe.jsonl: a named pipe (FIFO), not a file or folder; nothing was read"
            ),
            "{err}"
        );
        let err = discover(&[PathBuf::from("/dev/null")], None, &[])
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "/dev/null: a character device, not a file or folder; nothing was read"
        );
    }

    /// Issue 19, item 6: a file that cannot be read once the import reaches it (removed after
    /// discovery, or replaced by a folder) is named once, in plain words, with no OS error
    /// repeated after it as a cause.
    #[test]
    fn a_file_that_cannot_be_read_is_named_once_in_plain_words() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("corpus");
        std::fs::create_dir_all(&root).unwrap();
        for n in ["gone.txt", "folder.txt"] {
            std::fs::write(root.join(n), "T\n\nText").unwrap();
        }
        let (files, _) = discover(std::slice::from_ref(&root), None, &[]).unwrap();
        std::fs::remove_file(root.join("gone.txt")).unwrap();
        std::fs::remove_file(root.join("folder.txt")).unwrap();
        std::fs::create_dir(root.join("folder.txt")).unwrap();
        let progress = Arc::new(AtomicU64::new(0));
        let mut sink = Collect::default();
        let mut messages = Vec::new();
        for f in &files {
            let e = read_file(f, None, &ReadOptions::default(), &progress, &mut sink).unwrap_err();
            assert!(std::error::Error::source(&e).is_none(), "{e:?}");
            messages.push(e.to_string());
        }
        assert_eq!(
            messages,
            vec![
                "cannot read this file: it is a folder, not a file",
                "cannot read this file: it is no longer there (moved or deleted after the import started?)",
            ]
        );
        assert_eq!(
            io_words(&io::Error::from(io::ErrorKind::PermissionDenied)),
            "permission denied"
        );
        assert_eq!(
            io_words(&io::Error::from_raw_os_error(5)),
            "input/output error"
        );
    }

    #[test]
    fn discovery_is_sorted_and_skips_documentation() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("corpus");
        std::fs::create_dir_all(root.join("b_sport")).unwrap();
        std::fs::create_dir_all(root.join("a_news")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        for p in [
            "b_sport/2.txt",
            "b_sport/1.txt",
            "a_news/9.txt",
            "README.TXT",
            ".git/x.txt",
            "lewis.dtd",
        ] {
            std::fs::write(root.join(p), "Title\n\nBody").unwrap();
        }
        let (files, notes) = discover(std::slice::from_ref(&root), None, &[]).unwrap();
        let names: Vec<_> = files.iter().map(|f| f.display.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "corpus/a_news/9.txt",
                "corpus/b_sport/1.txt",
                "corpus/b_sport/2.txt"
            ]
        );
        assert_eq!(files[0].folder.as_deref(), Some("a_news"));
        assert_eq!(files[0].root_name, "corpus");
        let skipped: Vec<_> = notes.iter().map(|d| d.locator.file.as_str()).collect();
        assert_eq!(skipped, vec!["corpus/README.TXT", "corpus/lewis.dtd"]);
        let err = discover(&[root.join("nope")], None, &[]).unwrap_err();
        assert!(err.to_string().ends_with("nope: no such file or folder"));
    }

    #[test]
    fn zip_and_gzip_are_streamed() {
        let dir = tempfile::tempdir().unwrap();
        let zpath = dir.path().join("bundle.zip");
        {
            let mut z = zip::ZipWriter::new(File::create(&zpath).unwrap());
            let o = zip::write::SimpleFileOptions::default();
            z.start_file("world/a.txt", o).unwrap();
            z.write_all(b"Zip title\n\nZip body").unwrap();
            z.start_file("feed.jsonl", o).unwrap();
            z.write_all(b"{\"title\":\"j1\"}\n{\"title\":\"j2\"}\n")
                .unwrap();
            z.start_file("../evil/README.md", o).unwrap();
            z.write_all(b"x").unwrap();
            z.finish().unwrap();
        }
        let gpath = dir.path().join("rows.csv.gz");
        {
            let mut g = flate2::write::GzEncoder::new(
                File::create(&gpath).unwrap(),
                flate2::Compression::default(),
            );
            g.write_all(b"title,text\nG,gz body\n").unwrap();
            g.finish().unwrap();
        }
        let (files, _) = discover(&[zpath, gpath], None, &[]).unwrap();
        let progress = Arc::new(AtomicU64::new(0));
        let mut sink = Collect::default();
        for f in &files {
            let info = read_file(f, None, &ReadOptions::default(), &progress, &mut sink).unwrap();
            assert_eq!(info.hash.len(), 64);
        }
        let titles: Vec<_> = sink
            .records
            .iter()
            .map(|(r, _)| r.title.clone().unwrap())
            .collect();
        assert_eq!(titles, vec!["Zip title", "j1", "j2", "G"]);
        assert_eq!(sink.records[0].1.file, "bundle.zip!/world/a.txt");
        assert_eq!(sink.records[0].0.folder.as_deref(), Some("world"));
        assert_eq!(sink.records[3].1.file, "rows.csv.gz");
        assert_eq!(sink.diagnostics.len(), 1, "{:?}", sink.diagnostics);
        assert_eq!(
            sink.diagnostics[0].locator.file,
            "bundle.zip!/../evil/README.md"
        );
        let total: u64 = files.iter().map(|f| f.size).sum();
        assert_eq!(progress.load(Ordering::Relaxed), total);
    }
}
