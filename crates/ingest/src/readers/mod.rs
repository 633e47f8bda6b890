//! Readers: one per format, each turning a byte stream into [`RawRecord`]s pushed into a
//! [`Sink`], with a diagnostic for every record it cannot read. A reader never stops a file for
//! one bad record; it returns an error only when the rest of the file cannot be read at all.

use std::io::{self, BufRead};

use crate::encoding::FileEncoding;
use crate::mapping::FieldMap;
use crate::record::{Diagnostic, Locator, RawRecord, RecordPos, Severity};

pub mod csv;
pub mod feed;
pub mod json;
pub mod mail;
pub mod sgml;
pub mod text;

/// Whether the reader should go on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Stop,
}

/// Where readers put what they read.
pub trait Sink {
    fn record(&mut self, record: RawRecord, at: Locator) -> Flow;
    fn diagnostic(&mut self, d: Diagnostic) -> Flow;
}

/// Options every reader honours.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    pub map: FieldMap,
    /// CSV: the first row is data, not a header.
    pub no_header: bool,
    /// CSV: the delimiter; sniffed from the first line when absent.
    pub delimiter: Option<u8>,
    /// A record (or one-article file) larger than this is skipped with a diagnostic, so that
    /// memory stays bounded whatever the input.
    pub max_record_bytes: usize,
    /// SGML/XML: the record layout (from a recipe); Reuters-21578 is recognised without one.
    pub sgml: Option<sgml::SgmlConfig>,
    /// JSON: the dotted path of the array that holds the records inside each JSON document
    /// (`response.docs`), or `.` for "the document is the record". Found automatically when
    /// absent (see `json::records_of`).
    pub records: Option<String>,
    /// Text files: where the title comes from.
    pub title: text::TitleRule,
    /// Zip and gzip: decompression of one file stops, with a diagnostic, once it has produced
    /// more than `max_inflate_ratio` times the file's size, or `min_inflate_budget` bytes if
    /// that is more. News text compresses 3 to 10 times; zip bombs a thousand times and more.
    pub max_inflate_ratio: u64,
    /// See `max_inflate_ratio`.
    pub min_inflate_budget: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            map: FieldMap::default(),
            no_header: false,
            delimiter: None,
            max_record_bytes: 64 * 1024 * 1024,
            sgml: None,
            records: None,
            title: text::TitleRule::Auto,
            max_inflate_ratio: 100,
            min_inflate_budget: 1 << 30,
        }
    }
}

/// What a reader knows about the file it reads.
#[derive(Debug, Clone)]
pub struct FileCtx {
    /// The file as shown in diagnostics (archive members as `archive.zip!/member`).
    pub display: String,
    /// The name of the folder the file is in, below the imported folder.
    pub folder: Option<String>,
    /// The file name without folders.
    pub file_name: String,
    pub encoding: FileEncoding,
}

impl FileCtx {
    pub fn at(&self, pos: RecordPos) -> Locator {
        Locator {
            file: self.display.clone(),
            pos,
        }
    }

    pub fn diag(
        &self,
        severity: Severity,
        code: &'static str,
        pos: RecordPos,
        msg: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(severity, code, self.at(pos), msg)
    }
}

/// A file that cannot be read any further.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Said in the user's words; the OS error is not repeated as a cause.
    #[error("{}", io_message(.0))]
    Io(io::Error),
    #[error("{0}")]
    Invalid(String),
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        ReadError::Io(e)
    }
}

/// What an I/O error while reading a file means for the user: "cannot read this file:
/// permission denied" for the operating system's errors; the message itself for Broadsheet's
/// own (a decompression budget spent, a row running on).
fn io_message(e: &io::Error) -> String {
    let os = e.raw_os_error().is_some()
        || matches!(
            e.kind(),
            io::ErrorKind::PermissionDenied | io::ErrorKind::NotFound | io::ErrorKind::IsADirectory
        );
    if os {
        format!("cannot read this file: {}", io_words(e))
    } else {
        e.to_string()
    }
}

/// An I/O error in plain words, without the OS error number: "permission denied".
pub fn io_words(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::NotFound => {
            "it is no longer there (moved or deleted after the import started?)".into()
        }
        io::ErrorKind::IsADirectory => "it is a folder, not a file".into(),
        _ => {
            let s = e.to_string();
            match (e.raw_os_error(), s.rfind(" (os error ")) {
                (Some(_), Some(i)) => {
                    let mut c = s[..i].chars();
                    c.next()
                        .map(|f| f.to_lowercase().chain(c).collect())
                        .unwrap_or_default()
                }
                _ => s,
            }
        }
    }
}

/// The result of reading one line with a size limit.
pub(crate) enum Line {
    Eof,
    /// A line, without its `\n` or `\r\n`, in the buffer.
    Complete,
    /// A line longer than the limit, skipped; its length in bytes.
    TooLong(usize),
}

/// Reads one line into `buf` (cleared first), never holding more than `max` bytes of it.
pub(crate) fn read_line_capped<R: BufRead + ?Sized>(
    r: &mut R,
    buf: &mut Vec<u8>,
    max: usize,
) -> io::Result<Line> {
    buf.clear();
    let mut total = 0usize;
    let mut too_long = false;
    loop {
        let chunk = match r.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            if total == 0 {
                return Ok(Line::Eof);
            }
            break;
        }
        let (part, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (&chunk[..i], Some(i + 1)),
            None => (chunk, None),
        };
        total += part.len();
        if !too_long {
            if buf.len() + part.len() > max {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(part);
            }
        }
        let consumed = done.unwrap_or(chunk.len());
        r.consume(consumed);
        if done.is_some() {
            break;
        }
    }
    if too_long {
        return Ok(Line::TooLong(total));
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok(Line::Complete)
}

/// Human-readable byte sizes for messages.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} bytes")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

#[cfg(test)]
pub(crate) mod testutil {
    use super::*;

    /// A sink that keeps everything, for reader tests.
    #[derive(Default)]
    pub struct Collect {
        pub records: Vec<(RawRecord, Locator)>,
        pub diagnostics: Vec<Diagnostic>,
    }

    impl Sink for Collect {
        fn record(&mut self, record: RawRecord, at: Locator) -> Flow {
            self.records.push((record, at));
            Flow::Continue
        }
        fn diagnostic(&mut self, d: Diagnostic) -> Flow {
            self.diagnostics.push(d);
            Flow::Continue
        }
    }

    pub fn ctx(name: &str) -> FileCtx {
        FileCtx {
            display: name.to_string(),
            folder: None,
            file_name: name.to_string(),
            encoding: FileEncoding::Utf8 {
                bom: false,
                fallback: encoding_rs::WINDOWS_1252,
            },
        }
    }
}
