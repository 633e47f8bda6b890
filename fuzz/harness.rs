//! The fuzz harnesses: one function per target, each feeding arbitrary bytes through one reader
//! or parser the way an import does and asserting its invariants (no panic, locators that name
//! the file, typed errors). Shared by the cargo-fuzz targets in `fuzz/fuzz_targets/` and by the
//! `cargo test` replay of `fuzz/regressions/` (crates/store/tests/fuzz_regressions.rs).

#![allow(dead_code)]

use std::io::{BufReader, Read};
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use broadsheet_ingest::encoding::{self, FileEncoding, TranscodingReader};
use broadsheet_ingest::readers::{self, FileCtx, ReadOptions};
use broadsheet_ingest::{
    Diagnostic, Flow, Format, InputFile, Locator, NormalizeOptions, RawRecord, RecordPos, Sink,
};

/// A harness: one fuzz target's body.
pub type Harness = fn(&[u8]);

/// Every target, by the name of its folder under `fuzz/regressions/` and its fuzz target.
pub const TARGETS: &[(&str, Harness)] = &[
    ("text", text),
    ("csv", csv),
    ("json", json),
    ("sgml", sgml),
    ("feed", feed),
    ("mail", mail),
    ("html", html),
    ("archive", archive),
    ("date", date),
    ("encoding", encoding),
    ("query", query),
];

/// A sink that checks what readers push: every locator names the file being read, positions
/// are 1-based, and every record goes through the normalizer as in an import.
struct CheckSink {
    display: String,
    records: usize,
    diagnostics: usize,
    errors: usize,
    normalize: NormalizeOptions,
}

impl CheckSink {
    fn new(display: &str) -> Self {
        CheckSink {
            display: display.to_string(),
            records: 0,
            diagnostics: 0,
            errors: 0,
            normalize: NormalizeOptions::default(),
        }
    }

    fn check_locator(&self, at: &Locator) {
        assert!(
            at.file.starts_with(&self.display),
            "the locator {at} does not name the file {}",
            self.display
        );
        match at.pos {
            RecordPos::Line(n) | RecordPos::Index(n) => assert!(n >= 1, "position 0 in {at}"),
            RecordPos::LineItem(a, b) | RecordPos::IndexItem(a, b) => {
                assert!(a >= 1 && b >= 1, "position 0 in {at}")
            }
            RecordPos::File => {}
        }
    }
}

impl Sink for CheckSink {
    fn record(&mut self, record: RawRecord, at: Locator) -> Flow {
        self.check_locator(&at);
        self.records += 1;
        if let Ok((a, notes)) = broadsheet_ingest::normalize(record, &at, "fuzz", &self.normalize) {
            assert!(!a.title.is_empty() || !a.body.is_empty());
            for n in &notes {
                self.check_locator(&n.locator);
            }
        }
        Flow::Continue
    }

    fn diagnostic(&mut self, d: Diagnostic) -> Flow {
        self.check_locator(&d.locator);
        assert!(!d.message.is_empty(), "a diagnostic without a message: {d}");
        self.diagnostics += 1;
        if d.severity == broadsheet_ingest::Severity::Error {
            self.errors += 1;
        }
        Flow::Continue
    }
}

/// Reader options picked by a byte of the input: buffer size and record limit vary, so that
/// buffer boundaries and the size limit are exercised.
fn options(sel: u8) -> (ReadOptions, usize) {
    let opts = ReadOptions {
        max_record_bytes: if sel & 1 == 1 { 64 } else { 1 << 20 },
        no_header: sel & 2 == 2 && sel & 4 == 4,
        ..ReadOptions::default()
    };
    let cap = [1usize, 3, 7, 64, 4096, 64 * 1024][(sel as usize >> 3) % 6];
    (opts, cap)
}

fn ctx(display: &str, data: &[u8]) -> FileCtx {
    FileCtx {
        display: display.to_string(),
        folder: Some("folder".into()),
        file_name: display.to_string(),
        encoding: encoding::sniff(data, true),
    }
}

fn split(data: &[u8]) -> (u8, &[u8]) {
    match data.split_first() {
        Some((b, rest)) => (*b, rest),
        None => (0, data),
    }
}

/// Plain text: decoding, the layout (title, section, captions, footer) and the reader.
pub fn text(data: &[u8]) {
    let (body, _enc, _note) = encoding::decode_whole(data);
    let layout = readers::text::layout(&body);
    if let Some(t) = &layout.title {
        assert!(!t.contains('\n'), "a title with a line break: {t:?}");
    }
    let c = ctx("fuzz.txt", data);
    let mut sink = CheckSink::new("fuzz.txt");
    readers::text::read(&body, &c, readers::text::TitleRule::Auto, &mut sink)
        .expect("the text reader never fails");
    assert_eq!(
        sink.records + sink.errors,
        1,
        "one article or one error (warnings, such as removed control characters, may come with the article)"
    );
}

/// CSV/TSV through the CSV reader, UTF-8 or transcoded as the import does.
pub fn csv(data: &[u8]) {
    let (sel, data) = split(data);
    let (mut opts, cap) = options(sel);
    if opts.no_header {
        let (f, s) = broadsheet_ingest::FieldMap::parse_entry("body=2").expect("valid");
        opts.map.0.insert(f, s);
    }
    if sel & 0x40 != 0 {
        opts.delimiter = Some(b';');
    }
    let c = ctx("fuzz.csv", data);
    let mut sink = CheckSink::new("fuzz.csv");
    let _ = with_reader(data, &c, cap, |r| {
        readers::csv::read(r, &c, &opts, &mut sink)
    });
}

/// JSON arrays, JSON Lines and whole documents.
pub fn json(data: &[u8]) {
    let (sel, data) = split(data);
    let (opts, cap) = options(sel);
    let c = ctx("fuzz.json", data);
    let mut sink = CheckSink::new("fuzz.json");
    let _ = with_reader(data, &c, cap, |r| {
        readers::json::read(r, &c, &opts, &mut sink)
    });
}

/// SGML records with the Reuters-21578 preset (and, for one bit of the selector, a layout
/// that reads attributes, own text and lists of another element).
pub fn sgml(data: &[u8]) {
    let (sel, data) = split(data);
    let (opts, cap) = options(sel);
    let cfg = if sel & 0x40 == 0 {
        readers::sgml::reuters_preset()
    } else {
        let field = |target: &str, path: &str, list: bool, pattern: Option<&str>| {
            readers::sgml::SgmlField {
                target: target.into(),
                path: path.into(),
                list,
                pattern: pattern.map(str::to_string),
            }
        };
        readers::sgml::SgmlConfig {
            record: "doc".into(),
            fields: vec![
                field("title", "head/#text", false, None),
                field("body", "", false, None),
                field("id", "@id", false, None),
                field("tags", "t", true, Some(r"(\w+)")),
            ],
        }
    };
    let c = ctx("fuzz.sgm", data);
    let mut sink = CheckSink::new("fuzz.sgm");
    let _ = with_reader(data, &c, cap, |r| {
        readers::sgml::read(r, &c, &cfg, &opts, &mut sink)
    });
}

/// RSS and Atom feeds (the feed reader decodes the raw bytes itself).
pub fn feed(data: &[u8]) {
    let (sel, data) = split(data);
    let (opts, cap) = options(sel);
    let c = ctx("fuzz.rss", data);
    let mut sink = CheckSink::new("fuzz.rss");
    let mut r = BufReader::with_capacity(cap, data);
    let _ = readers::feed::read(&mut r, &c, &opts, &mut sink);
}

/// E-mail messages and mbox files through the mail reader (which decodes each message
/// itself), and the content sniffer that tells a message from an article.
pub fn mail(data: &[u8]) {
    let (sel, data) = split(data);
    let (opts, cap) = options(sel);
    let _ = readers::mail::sniff(data);
    let c = ctx("fuzz.mbox", data);
    let mut sink = CheckSink::new("fuzz.mbox");
    let mut r = BufReader::with_capacity(cap, data);
    readers::mail::read(&mut r, &c, &opts, &mut sink).expect("the mail reader fails only on I/O");
}

/// Saved HTML pages: decoding, metadata and main-text extraction. A panic inside the
/// extractor is caught there and turned into `HtmlError::Internal`; here that is a failure.
/// (Whether script code stays out of the text is checked on real markup by the hostile-input
/// tests: here `<` followed by a control character is visible text, `<script` included.)
pub fn html(data: &[u8]) {
    match broadsheet_ingest::html::extract(data, Some("https://example.org/news/1")) {
        Ok(page) => {
            assert!(!page.text.contains('\0'), "a NUL in the text");
        }
        Err(broadsheet_ingest::html::HtmlError::Internal(msg)) => {
            panic!("the HTML extractor panicked: {msg}")
        }
        Err(_) => {}
    }
}

/// A file as the import reads it, by name and content: zip archives and gzip files (and
/// whatever they hold), through `input::read_file` on a temporary file.
pub fn archive(data: &[u8]) {
    let (sel, data) = split(data);
    let names = [
        "fuzz.zip",
        "fuzz.gz",
        "fuzz.jsonl.gz",
        "fuzz.csv.gz",
        "fuzz.sgm.gz",
        "fuzz",
    ];
    let name = names[sel as usize % names.len()];
    let (opts, _) = options(sel >> 3);
    let dir = scratch_dir();
    let path = dir.join(name);
    std::fs::write(&path, data).expect("a scratch file");
    let file = InputFile {
        path: path.clone(),
        display: name.to_string(),
        root_name: "fuzz".into(),
        folder: None,
        size: data.len() as u64,
    };
    let progress = Arc::new(AtomicU64::new(0));
    let mut sink = CheckSink::new(name);
    if let Ok(info) = broadsheet_ingest::read_file(&file, None, &opts, &progress, &mut sink) {
        assert_eq!(info.hash.len(), 64);
    }
    let _ = std::fs::remove_file(&path);
}

/// A scratch folder of this process's own, in memory where the system has one.
fn scratch_dir() -> PathBuf {
    let base = if std::path::Path::new("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    let dir = base.join(format!("broadsheet-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// Dates: the parser, JSON values, datelines, and formatting what was parsed.
pub fn date(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    if let Ok(d) = broadsheet_ingest::parse_date(&s) {
        let formatted = broadsheet_ingest::format_date(d.timestamp, d.precision);
        assert!(!formatted.is_empty(), "{s:?} parsed to an unprintable date");
    }
    let _ = broadsheet_ingest::date::parse_date_value(&serde_json::Value::String(s.to_string()));
    if let Ok(n) = s.trim().parse::<i64>() {
        let _ = broadsheet_ingest::date::parse_date_value(&serde_json::json!(n));
    }
    if let Ok(n) = s.trim().parse::<f64>() {
        if let Some(v) = serde_json::Number::from_f64(n) {
            let _ = broadsheet_ingest::date::parse_date_value(&serde_json::Value::Number(v));
        }
    }
    let _ = broadsheet_ingest::normalize::dateline_date(&s);
}

/// The encoding sniffer, whole-file and per-record decoding, and the streaming transcoder,
/// which must agree with decoding the whole input at once.
pub fn encoding(data: &[u8]) {
    let (sel, data) = split(data);
    let complete = sel & 1 == 1;
    let enc = encoding::sniff(data, complete);
    let _ = enc.name();
    let _ = Format::sniff(data);
    let (_text, _name, _note) = encoding::decode_whole(data);
    let _ = broadsheet_ingest::html::decode(data);
    let target = match enc {
        FileEncoding::Utf8 { fallback, .. } => {
            let _ = encoding::decode_record(data, fallback);
            fallback
        }
        FileEncoding::Other { encoding, .. } => encoding,
    };
    let cap = [1usize, 2, 3, 5, 4096][(sel as usize >> 1) % 5];
    let mut streamed = String::new();
    TranscodingReader::new(Chunked { data, cap }, target)
        .read_to_string(&mut streamed)
        .expect("transcoded text is UTF-8");
    let (whole, _) = target.decode_with_bom_removal(data);
    assert_eq!(streamed, whole, "streaming and whole decoding differ");
}

/// A reader that hands out at most `cap` bytes a call.
struct Chunked<'a> {
    data: &'a [u8],
    cap: usize,
}

impl Read for Chunked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.cap.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// The query language: any text parses or fails with an error whose span lies within the
/// text; what parses compiles to SQL (or fails the same way), and its canonical rendering
/// parses again to the same rendering.
pub fn query(data: &[u8]) {
    let Ok(q) = std::str::from_utf8(data) else {
        return;
    };
    let chars = q.chars().count();
    let check_span = |e: &broadsheet_query::QueryError| {
        assert!(
            e.span.start < e.span.end && e.span.start <= chars && e.span.end <= chars + 1,
            "span {:?} outside a query of {chars} characters: {e}",
            e.span
        );
        let _ = e.pointer(q);
    };
    let fold = |s: &str| broadsheet_text::search_fold(s);
    match broadsheet_query::parse(q) {
        Err(e) => check_span(&e),
        Ok(expr) => {
            match expr.to_sql("articles_fts", "a.id", &fold) {
                Ok(c) => {
                    assert!(!c.sql.is_empty());
                    for p in &c.params {
                        assert!(!p.is_empty());
                    }
                }
                Err(e) => check_span(&e),
            }
            let shown = expr.to_string();
            // The rendering adds operators and quotes, so it may pass the length limit.
            if shown.chars().count() > broadsheet_query::MAX_QUERY_CHARS {
                return;
            }
            match broadsheet_query::parse(&shown) {
                Ok(again) => assert_eq!(again.to_string(), shown, "from {q:?}"),
                // Fully parenthesised, the rendering may nest up to twice as deep as the query
                // (`a b OR c` is `((a AND b) OR c)`), past the nesting limit.
                Err(e) if e.message.contains("nests deeper") => {}
                Err(e) => panic!("the rendering {shown:?} of {q:?} does not parse: {e}"),
            }
        }
    }
}

/// Feeds `data` to `read` as the import does: UTF-8 as it is (a BOM skipped), other encodings
/// transcoded while streaming.
fn with_reader<T>(
    data: &[u8],
    c: &FileCtx,
    cap: usize,
    read: impl FnOnce(&mut dyn std::io::BufRead) -> T,
) -> T {
    match c.encoding {
        FileEncoding::Utf8 { bom, .. } => {
            let body = if bom { &data[3..] } else { data };
            let mut r = BufReader::with_capacity(cap, body);
            read(&mut r)
        }
        FileEncoding::Other { encoding, .. } => {
            let mut r = BufReader::with_capacity(cap, TranscodingReader::new(data, encoding));
            read(&mut r)
        }
    }
}
