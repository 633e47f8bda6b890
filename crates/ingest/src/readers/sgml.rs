//! SGML (and loose XML) collections that hold many records in one file, such as Reuters-21578:
//! the stream is cut into records at a configured element, without a full XML parser, and
//! element paths and attributes of each record are mapped onto record fields by an [`SgmlConfig`].
//!
//! The reader is deliberately lenient and inert: tag names are case-insensitive, unclosed and
//! stray tags are tolerated, numeric and the common named entities are decoded, control
//! characters are dropped, and DTDs are never fetched or read, so entities declared in them
//! (billion laughs, `SYSTEM "file:///etc/passwd"`) stay literal text.

use std::collections::BTreeMap;
use std::io::BufRead;

use encoding_rs::Encoding;
use regex::Regex;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{human_bytes, FileCtx, Flow, ReadError, ReadOptions, Sink};
use crate::encoding::{decode_record, FileEncoding};
use crate::mapping::Field;
use crate::record::{RawRecord, RecordPos, Severity};

/// How to read one SGML collection: which element is a record, and what to take from it.
///
/// As a TOML recipe:
///
/// ```toml
/// record = "REUTERS"
///
/// [[fields]]
/// target = "title"
/// path = "TEXT/TITLE"
///
/// [[fields]]
/// target = "places"      # not an article field: kept in `extra`
/// path = "PLACES/D"
/// list = true
///
/// [[fields]]
/// target = "id"
/// path = "@NEWID"        # an attribute of the record element
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SgmlConfig {
    /// The element that holds one record, e.g. `REUTERS` (compared without regard to case).
    pub record: String,
    /// What to take from each record. Several entries may name the same target: the first one
    /// that yields a value wins, so later entries act as fallbacks.
    #[serde(default)]
    pub fields: Vec<SgmlField>,
}

/// One value taken from a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SgmlField {
    /// An article field (`title`, `body`, `date`, `source`, `url`, `id`, `author`, `section`,
    /// `language`), or any other name, which is kept in the record's `extra` (`extra.NAME`
    /// forces `extra` even for an article field's name).
    pub target: String,
    /// Where the value is, below the record element, with `/` between element names (compared
    /// without regard to case): `TEXT/TITLE` is the text of that element and everything in it;
    /// `TEXT/#text` is only the text directly inside `TEXT`; `@NEWID` is an attribute of the
    /// record element and `TEXT/@TYPE` one of `TEXT`; an empty path is the whole record's text.
    pub path: String,
    /// Every occurrence, in order (`PLACES/D`): a JSON array in `extra`, or joined with `; `
    /// for an article field. Otherwise the first non-empty occurrence.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub list: bool,
    /// A regular expression that cleans the value: only its first match is kept (the first
    /// capture group when it has one). A value it does not match is kept whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
}

impl SgmlField {
    fn new(target: &str, path: &str) -> Self {
        SgmlField {
            target: target.to_string(),
            path: path.to_string(),
            list: false,
            pattern: None,
        }
    }

    fn list(target: &str, path: &str) -> Self {
        SgmlField {
            list: true,
            ..SgmlField::new(target, path)
        }
    }
}

/// The date and time at the start of a Reuters `DATE`, without the junk that sometimes follows
/// (`&#5;&#5;&#5;F`, `# date added by S Finch as guesswork`). A time that is not one
/// (`605:12:19.12`) is left out, so that the day is still read.
const REUTERS_DATE: &str = r"\d{1,2}-[A-Za-z]{3}-\d{4}(?:\s+\d{1,2}:\d{2}:\d{2}(?:\.\d+)?)?";

/// What is left of the text standing directly inside `TEXT` (the 737 `TYPE="UNPROC"` records,
/// which have no TITLE or BODY): the text, without BRIEF records' "******Blah blah blah.".
const REUTERS_UNPROC_TEXT: &str = r"(?s)^\s*\**\s*(.*?)\s*(?:Blah blah blah\.)?\s*$";
/// The first line of that text, the title of an UNPROC record
/// (`FEDERAL RESERVE WEEKLY REPORT 1 - FEB 26`).
const REUTERS_UNPROC_TITLE: &str = r"^\s*\**\s*([^\n]*\S)";

/// Reuters-21578 (Lewis distribution): title, body, date, dateline, author, the category lists
/// and the split attributes. Records whose text stands directly in `TEXT` (UNPROC) take it as
/// their body and its first line as their title.
pub fn reuters_preset() -> SgmlConfig {
    SgmlConfig {
        record: "REUTERS".into(),
        fields: vec![
            SgmlField::new("id", "@NEWID"),
            SgmlField {
                pattern: Some(REUTERS_DATE.into()),
                ..SgmlField::new("date", "DATE")
            },
            SgmlField::new("title", "TEXT/TITLE"),
            SgmlField {
                pattern: Some(REUTERS_UNPROC_TITLE.into()),
                ..SgmlField::new("title", "TEXT/#text")
            },
            SgmlField::new("body", "TEXT/BODY"),
            SgmlField {
                pattern: Some(REUTERS_UNPROC_TEXT.into()),
                ..SgmlField::new("body", "TEXT/#text")
            },
            SgmlField::new("author", "TEXT/AUTHOR"),
            SgmlField::new("dateline", "TEXT/DATELINE"),
            SgmlField::list("topics", "TOPICS/D"),
            SgmlField::list("places", "PLACES/D"),
            SgmlField::list("people", "PEOPLE/D"),
            SgmlField::list("orgs", "ORGS/D"),
            SgmlField::list("exchanges", "EXCHANGES/D"),
            SgmlField::list("companies", "COMPANIES/D"),
            SgmlField::new("topics_attr", "@TOPICS"),
            SgmlField::new("lewis_split", "@LEWISSPLIT"),
            SgmlField::new("cgi_split", "@CGISPLIT"),
            SgmlField::new("old_id", "@OLDID"),
            SgmlField::new("text_type", "TEXT/@TYPE"),
        ],
    }
}

/// Where a field's value goes.
#[derive(Debug, Clone)]
enum Target {
    Field(Field),
    Extra(String),
}

/// What of the matched element a field takes.
#[derive(Debug, Clone, PartialEq)]
enum Take {
    /// All text inside the element.
    Text,
    /// Only the text directly inside it.
    Own,
    /// An attribute (lowercase name).
    Attr(String),
}

#[derive(Debug)]
struct Compiled {
    /// Lowercase record element name.
    record: String,
    specs: Vec<Spec>,
}

#[derive(Debug)]
struct Spec {
    target: Target,
    /// Lowercase element names below the record element.
    elems: Vec<String>,
    take: Take,
    list: bool,
    pattern: Option<Regex>,
}

impl SgmlConfig {
    /// Checks the configuration, turning it into what the reader uses.
    fn compile(&self) -> Result<Compiled, String> {
        let record = self.record.trim().to_ascii_lowercase();
        if record.is_empty() || !record.bytes().all(is_name_byte) {
            return Err(format!(
                "`{}` is not an element name for the record",
                self.record
            ));
        }
        let mut specs = Vec::with_capacity(self.fields.len());
        for f in &self.fields {
            let t = f.target.trim();
            let target = if let Some(name) = t.strip_prefix("extra.") {
                Target::Extra(name.to_string())
            } else if let Ok(field) = t.parse::<Field>() {
                Target::Field(field)
            } else {
                Target::Extra(t.to_string())
            };
            if matches!(&target, Target::Extra(n) if n.is_empty()) {
                return Err(format!("the field with path `{}` has no target", f.path));
            }
            let mut elems: Vec<String> = f
                .path
                .split('/')
                .map(str::trim)
                .filter(|s| !s.is_empty() && *s != ".")
                .map(str::to_ascii_lowercase)
                .collect();
            let take = match elems.last().map(String::as_str) {
                Some("#text") => {
                    elems.pop();
                    Take::Own
                }
                Some(last) if last.starts_with('@') => {
                    let a = last[1..].to_string();
                    elems.pop();
                    Take::Attr(a)
                }
                _ => Take::Text,
            };
            if let Some(bad) = elems.iter().find(|e| !e.bytes().all(is_name_byte)) {
                return Err(format!(
                    "`{bad}` in the path `{}` is not an element name",
                    f.path
                ));
            }
            let pattern = match &f.pattern {
                None => None,
                Some(p) => Some(
                    Regex::new(p)
                        .map_err(|e| format!("the pattern for `{}` is not valid: {e}", f.target))?,
                ),
            };
            specs.push(Spec {
                target,
                elems,
                take,
                list: f.list,
                pattern,
            });
        }
        Ok(Compiled { record, specs })
    }
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.')
}

fn fallback_of(ctx: &FileCtx) -> &'static Encoding {
    match ctx.encoding {
        FileEncoding::Utf8 { fallback, .. } => fallback,
        FileEncoding::Other { .. } => encoding_rs::WINDOWS_1252,
    }
}

/// Reads the records of an SGML file from `input` (UTF-8, or already transcoded to it; bytes
/// that are not UTF-8 are decoded record by record with the fallback of `ctx.encoding`).
pub fn read(
    input: &mut dyn BufRead,
    ctx: &FileCtx,
    cfg: &SgmlConfig,
    opts: &ReadOptions,
    sink: &mut dyn Sink,
) -> Result<(), ReadError> {
    let compiled = cfg.compile().map_err(ReadError::Invalid)?;
    // Entities a DTD declares are never expanded (see the module docs): say so when there are.
    let head = input.fill_buf()?;
    let head = &head[..head.len().min(64 * 1024)];
    if memchr::memmem::find(head, b"<!ENTITY").is_some()
        && sink.diagnostic(ctx.diag(
            Severity::Info,
            "dtd-entities",
            RecordPos::File,
            "the document type declares entities; they are never expanded or fetched, and references to them stay as written",
        )) == Flow::Stop
    {
        return Ok(());
    }
    let mut splitter = Splitter::new(&compiled.record, opts.max_record_bytes);
    let mut emitter = Emitter {
        cfg: &compiled,
        ctx,
        opts,
        fallback: fallback_of(ctx),
        index: 0,
    };
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        let n = chunk.len();
        let mut flow = Flow::Continue;
        splitter.feed(chunk, &mut |ev| {
            if flow == Flow::Continue {
                flow = emitter.handle(ev, sink);
            }
        });
        input.consume(n);
        if flow == Flow::Stop {
            return Ok(());
        }
    }
    let mut flow = Flow::Continue;
    splitter.finish(&mut |ev| {
        if flow == Flow::Continue {
            flow = emitter.handle(ev, sink);
        }
    });
    if flow == Flow::Continue && emitter.index == 0 {
        sink.diagnostic(ctx.diag(
            Severity::Error,
            "no-records",
            RecordPos::File,
            format!(
                "no <{}> element in this file, so no records were read",
                cfg.record.trim()
            ),
        ));
    }
    Ok(())
}

/// A record cut from the stream.
enum Cut<'a> {
    /// The record's bytes, from its start tag; `closed` when its end tag was seen.
    Record { bytes: &'a [u8], closed: bool },
    /// A record over the size limit, skipped; its length in bytes.
    TooLarge { len: usize, closed: bool },
}

struct Emitter<'a> {
    cfg: &'a Compiled,
    ctx: &'a FileCtx,
    opts: &'a ReadOptions,
    fallback: &'static Encoding,
    index: u64,
}

impl Emitter<'_> {
    fn handle(&mut self, cut: Cut<'_>, sink: &mut dyn Sink) -> Flow {
        self.index += 1;
        let pos = RecordPos::Index(self.index);
        let closed = match &cut {
            Cut::Record { closed, .. } | Cut::TooLarge { closed, .. } => *closed,
        };
        if !closed {
            let flow = sink.diagnostic(self.ctx.diag(
                Severity::Warning,
                "unclosed-record",
                pos.clone(),
                format!(
                    "the record has no </{}> end tag; read up to where the next record or the file begins",
                    self.cfg.record.to_ascii_uppercase()
                ),
            ));
            if flow == Flow::Stop {
                return flow;
            }
        }
        match cut {
            Cut::TooLarge { len, .. } => sink.diagnostic(self.ctx.diag(
                Severity::Error,
                "too-large",
                pos,
                format!(
                    "the record is {} long, over the limit of {}; skipped",
                    human_bytes(len as u64),
                    human_bytes(self.opts.max_record_bytes as u64)
                ),
            )),
            Cut::Record { bytes, .. } => {
                let (text, note) = decode_record(bytes, self.fallback);
                if let Some(n) = note {
                    if sink.diagnostic(self.ctx.diag(Severity::Warning, "encoding", pos.clone(), n))
                        == Flow::Stop
                    {
                        return Flow::Stop;
                    }
                }
                let mut rec = parse_record(&text, self.cfg);
                rec.folder = self.ctx.folder.clone();
                sink.record(rec, self.ctx.at(pos))
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Cutting the stream into records.

/// Longest tag name worth collecting to compare with the record element's name.
const MAX_NAME: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    /// Outside any record, in text.
    Text,
    /// Outside a record, after `<`: collecting the name into `tag`.
    Lt,
    /// After `<!`, with how many `-` followed it.
    Bang(u8),
    /// In a comment, with how many `-` were seen just before.
    Comment(u8),
    /// In a declaration such as `<!DOCTYPE ... [ ... ]>`, with the depth of `[`.
    Decl(u32),
    /// In a processing instruction or an uninteresting tag outside a record, until `>`.
    Skip,
    /// Inside a record, in its content.
    In,
    /// Inside a record, after `<`: collecting a name (with a leading `/`) into `tag`.
    InLt,
    /// In the record's end tag, until `>`.
    InEnd,
    /// Inside a record, after `<!`: collecting into `tag` what may begin a comment or CDATA.
    InBang,
    /// Inside a record, in a comment, with how many `-` were seen just before.
    InComment(u8),
    /// Inside a record, in a CDATA section, with how many `]` were seen just before.
    InCData(u8),
}

/// Finds records in a byte stream: a start tag of the record element begins one, its end tag
/// (or the next record's start tag, or the end of the file) ends it. Outside records, comments,
/// declarations (a DOCTYPE's internal subset included) and other tags are skipped. Never holds
/// more than the limit of a record's bytes.
struct Splitter {
    record: Vec<u8>,
    max: usize,
    state: State,
    tag: Vec<u8>,
    buf: Vec<u8>,
    len: usize,
    oversize: bool,
}

impl Splitter {
    fn new(record: &str, max: usize) -> Self {
        Splitter {
            record: record.as_bytes().to_ascii_lowercase(),
            max,
            state: State::Text,
            tag: Vec::with_capacity(MAX_NAME + 2),
            buf: Vec::new(),
            len: 0,
            oversize: false,
        }
    }

    fn push(&mut self, bytes: &[u8]) {
        self.len += bytes.len();
        if self.oversize {
            return;
        }
        if self.buf.len() + bytes.len() > self.max {
            self.oversize = true;
            self.buf = Vec::new();
        } else {
            self.buf.extend_from_slice(bytes);
        }
    }

    fn begin(&mut self) {
        self.buf.clear();
        self.len = 0;
        self.oversize = false;
        let mut start = Vec::with_capacity(self.tag.len() + 1);
        start.push(b'<');
        start.extend_from_slice(&self.tag);
        self.push(&start);
        self.state = State::In;
    }

    fn end(&mut self, closed: bool, out: &mut dyn FnMut(Cut<'_>)) {
        if self.oversize {
            out(Cut::TooLarge {
                len: self.len,
                closed,
            });
        } else {
            out(Cut::Record {
                bytes: &self.buf,
                closed,
            });
        }
        self.buf.clear();
        if self.buf.capacity() > 1 << 20 {
            self.buf.shrink_to(1 << 16);
        }
        self.len = 0;
        self.oversize = false;
    }

    /// Whether `tag` (the bytes after `<`, without the delimiter) names the record element.
    fn is_record(&self, name: &[u8]) -> bool {
        name.eq_ignore_ascii_case(&self.record)
    }

    fn feed(&mut self, chunk: &[u8], out: &mut dyn FnMut(Cut<'_>)) {
        let mut i = 0;
        while i < chunk.len() {
            match self.state {
                State::Text => match memchr::memchr(b'<', &chunk[i..]) {
                    Some(off) => {
                        i += off + 1;
                        self.tag.clear();
                        self.state = State::Lt;
                    }
                    None => i = chunk.len(),
                },
                State::In => match memchr::memchr(b'<', &chunk[i..]) {
                    Some(off) => {
                        self.push(&chunk[i..i + off]);
                        i += off + 1;
                        self.tag.clear();
                        self.state = State::InLt;
                    }
                    None => {
                        self.push(&chunk[i..]);
                        i = chunk.len();
                    }
                },
                State::Lt => {
                    let b = chunk[i];
                    if self.tag.is_empty() && b == b'!' {
                        self.state = State::Bang(0);
                        i += 1;
                    } else if self.tag.is_empty() && b == b'?' {
                        self.state = State::Skip;
                        i += 1;
                    } else if is_name_byte(b) && self.tag.len() < MAX_NAME {
                        self.tag.push(b);
                        i += 1;
                    } else if self.is_record(&self.tag)
                        && (b.is_ascii_whitespace() || b == b'>' || b == b'/')
                    {
                        // The byte is not consumed: it belongs to the record.
                        self.begin();
                    } else if b == b'<' {
                        self.tag.clear();
                        i += 1;
                    } else {
                        self.state = State::Skip;
                    }
                }
                State::Bang(n) => {
                    let b = chunk[i];
                    if b == b'-' && n < 2 {
                        i += 1;
                        self.state = if n == 1 {
                            State::Comment(0)
                        } else {
                            State::Bang(1)
                        };
                    } else {
                        // Not a comment: a declaration, whose byte is looked at there.
                        self.state = State::Decl(0);
                    }
                }
                State::Comment(dashes) => {
                    let b = chunk[i];
                    i += 1;
                    self.state = match b {
                        b'-' => State::Comment((dashes + 1).min(2)),
                        b'>' if dashes >= 2 => State::Text,
                        _ => State::Comment(0),
                    };
                }
                State::Decl(depth) => {
                    let b = chunk[i];
                    i += 1;
                    self.state = match b {
                        b'[' => State::Decl(depth + 1),
                        b']' => State::Decl(depth.saturating_sub(1)),
                        b'>' if depth == 0 => State::Text,
                        _ => State::Decl(depth),
                    };
                }
                State::Skip => match memchr::memchr(b'>', &chunk[i..]) {
                    Some(off) => {
                        i += off + 1;
                        self.state = State::Text;
                    }
                    None => i = chunk.len(),
                },
                State::InLt => {
                    let b = chunk[i];
                    if self.tag.is_empty() && b == b'!' {
                        self.push(b"<!");
                        self.state = State::InBang;
                        i += 1;
                        continue;
                    }
                    if (self.tag.is_empty() && b == b'/')
                        || (is_name_byte(b) && self.tag.len() < MAX_NAME)
                    {
                        self.tag.push(b);
                        i += 1;
                        continue;
                    }
                    let (end, name) = match self.tag.split_first() {
                        Some((b'/', rest)) => (true, rest),
                        _ => (false, &self.tag[..]),
                    };
                    let name_ok = self.is_record(name);
                    if end && name_ok && (b.is_ascii_whitespace() || b == b'>') {
                        let mut t = Vec::with_capacity(self.tag.len() + 1);
                        t.push(b'<');
                        t.extend_from_slice(&self.tag);
                        self.push(&t);
                        self.state = State::InEnd;
                    } else if !end && name_ok && (b.is_ascii_whitespace() || b == b'>' || b == b'/')
                    {
                        // A new record begins before this one ended.
                        self.end(false, out);
                        self.begin();
                    } else {
                        let mut t = Vec::with_capacity(self.tag.len() + 1);
                        t.push(b'<');
                        t.extend_from_slice(&self.tag);
                        self.push(&t);
                        self.state = State::In;
                    }
                }
                State::InBang => {
                    // Comments and CDATA sections are passed over whole, so that a record end
                    // tag inside them does not end the record.
                    let b = chunk[i];
                    self.tag.push(b);
                    let next = if self.tag == b"--" {
                        Some(State::InComment(0))
                    } else if self.tag == b"[CDATA[" {
                        Some(State::InCData(0))
                    } else if b"[CDATA[".starts_with(&self.tag) || b"--".starts_with(&self.tag) {
                        Some(State::InBang)
                    } else {
                        None
                    };
                    match next {
                        Some(st) => {
                            self.push(&chunk[i..i + 1]);
                            i += 1;
                            self.state = st;
                        }
                        // A declaration or something else: the byte is looked at as content.
                        None => self.state = State::In,
                    }
                }
                State::InComment(dashes) => {
                    let b = chunk[i];
                    self.push(&chunk[i..i + 1]);
                    i += 1;
                    self.state = match b {
                        b'-' => State::InComment((dashes + 1).min(2)),
                        b'>' if dashes >= 2 => State::In,
                        _ => State::InComment(0),
                    };
                }
                State::InCData(brackets) => {
                    let b = chunk[i];
                    self.push(&chunk[i..i + 1]);
                    i += 1;
                    self.state = match b {
                        b']' => State::InCData((brackets + 1).min(2)),
                        b'>' if brackets >= 2 => State::In,
                        _ => State::InCData(0),
                    };
                }
                State::InEnd => match memchr::memchr(b'>', &chunk[i..]) {
                    Some(off) => {
                        self.push(&chunk[i..i + off + 1]);
                        i += off + 1;
                        self.end(true, out);
                        self.state = State::Text;
                    }
                    None => {
                        self.push(&chunk[i..]);
                        i = chunk.len();
                    }
                },
            }
        }
    }

    fn finish(&mut self, out: &mut dyn FnMut(Cut<'_>)) {
        match self.state {
            State::In | State::InBang | State::InComment(_) | State::InCData(_) => {
                self.end(false, out)
            }
            State::InLt => {
                let mut t = Vec::with_capacity(self.tag.len() + 1);
                t.push(b'<');
                t.extend_from_slice(&self.tag);
                self.push(&t);
                self.end(false, out);
            }
            // An end tag cut off before its `>` still ends the record.
            State::InEnd => self.end(true, out),
            State::Lt if self.is_record(&self.tag) => {
                self.begin();
                self.end(false, out);
            }
            _ => {}
        }
        self.state = State::Text;
    }
}

// ---------------------------------------------------------------------------------------------
// Text and entities (shared with the feed reader).

/// Appends text, dropping control characters other than `\n` and `\t`, and turning `\r\n` and a
/// lone `\r` into `\n`.
pub(crate) fn push_clean(out: &mut String, s: &str) {
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
}

/// What an entity reference (`name` is what stands between `&` and `;`) stands for: numeric
/// references (`#2`, `#x41`), the five XML entities and the HTML ones. `None` when it is
/// unknown (or not a character), in which case callers keep it literally. A control character
/// comes back as an empty string.
pub(crate) fn entity(name: &str) -> Option<String> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) if !hex.is_empty() && hex.len() <= 8 => u32::from_str_radix(hex, 16).ok()?,
            Some(_) => return None,
            None if !num.is_empty() && num.len() <= 10 => num.parse::<u32>().ok()?,
            None => return None,
        };
        let c = char::from_u32(code)?;
        let mut s = String::new();
        push_clean(&mut s, c.encode_utf8(&mut [0u8; 4]));
        return Some(s);
    }
    let simple = match name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "quot" => "\"",
        "apos" => "'",
        _ => "",
    };
    if !simple.is_empty() {
        return Some(simple.to_string());
    }
    if name.is_empty() || name.len() > 32 || !name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let key = format!("&{name};");
    let expansion = htmlize::ENTITIES.get(key.as_bytes())?;
    let text = std::str::from_utf8(expansion).ok()?;
    let mut s = String::new();
    push_clean(&mut s, text);
    Some(s)
}

/// Appends `raw` with its entity references decoded (unknown ones kept as they are) and
/// control characters dropped.
pub(crate) fn push_decoded(out: &mut String, raw: &str) {
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        push_clean(out, &rest[..amp]);
        let after = &rest[amp + 1..];
        // A reference is a name (or `#` and digits) ended by `;`; numeric ones may lack it.
        let name_len = after
            .bytes()
            .take(34)
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'#')
            .count();
        let name = &after[..name_len];
        let has_semi = after.as_bytes().get(name_len) == Some(&b';');
        let decoded = if has_semi || (name.starts_with('#') && name_len > 1) {
            entity(name)
        } else {
            None
        };
        match decoded {
            Some(s) => {
                out.push_str(&s);
                rest = &after[name_len + usize::from(has_semi)..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    push_clean(out, rest);
}

// ---------------------------------------------------------------------------------------------
// Reading one record.

/// A piece of markup inside a record.
#[derive(Debug, PartialEq)]
enum Tok<'a> {
    Start {
        name: &'a str,
        attrs: Vec<(&'a str, &'a str)>,
        empty: bool,
    },
    End {
        name: &'a str,
    },
    /// Text with entity references still in it.
    Text(&'a str),
    /// A CDATA section's literal content.
    CData(&'a str),
}

/// Splits a record's text into tags and text. A `<` that does not begin markup is text.
fn tokenize<'a>(s: &'a str, f: &mut dyn FnMut(Tok<'a>)) {
    let b = s.as_bytes();
    let mut i = 0;
    let mut text_start = 0;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        let lt = i + off;
        match markup_at(s, lt) {
            Some((tok, end)) => {
                if lt > text_start {
                    f(Tok::Text(&s[text_start..lt]));
                }
                if let Some(t) = tok {
                    f(t);
                }
                i = end;
                text_start = end;
            }
            None => i = lt + 1,
        }
    }
    if text_start < s.len() {
        f(Tok::Text(&s[text_start..]));
    }
}

fn find_from(s: &str, from: usize, pat: &str) -> Option<usize> {
    s.get(from..)?.find(pat).map(|p| p + from)
}

/// The markup that begins at `lt` (a `<`), and where it ends; `None` when it is not markup.
///
/// A tag never contains another `<`: a start or end tag that meets one before its `>` is text.
/// So a tag that is never closed costs only the bytes up to the next `<`, and a record full of
/// them (`x<a x<a …` with no `>`) is read in linear time, not quadratic.
fn markup_at(s: &str, lt: usize) -> Option<(Option<Tok<'_>>, usize)> {
    let b = s.as_bytes();
    let rest = &s[lt..];
    if rest.starts_with("<!--") {
        let end = find_from(s, lt + 4, "-->").map_or(s.len(), |p| p + 3);
        return Some((None, end));
    }
    if rest.starts_with("<![CDATA[") {
        let start = lt + 9;
        return Some(match find_from(s, start, "]]>") {
            Some(p) => (Some(Tok::CData(&s[start..p])), p + 3),
            None => (Some(Tok::CData(&s[start..])), s.len()),
        });
    }
    if rest.starts_with("<!") || rest.starts_with("<?") {
        let end = find_from(s, lt + 2, ">").map_or(s.len(), |p| p + 1);
        return Some((None, end));
    }
    let (is_end, name_start) = if rest.starts_with("</") {
        (true, lt + 2)
    } else {
        (false, lt + 1)
    };
    if !b
        .get(name_start)
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
    {
        return None;
    }
    let mut j = name_start;
    while j < b.len() && is_name_byte(b[j]) {
        j += 1;
    }
    let name = &s[name_start..j];
    if is_end {
        let gt = memchr::memchr2(b'>', b'<', &b[j..])?;
        if b[j + gt] != b'>' {
            return None;
        }
        return Some((Some(Tok::End { name }), j + gt + 1));
    }
    let mut attrs = Vec::new();
    loop {
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        match b.get(j)? {
            b'>' => {
                return Some((
                    Some(Tok::Start {
                        name,
                        attrs,
                        empty: false,
                    }),
                    j + 1,
                ))
            }
            b'/' if b.get(j + 1) == Some(&b'>') => {
                return Some((
                    Some(Tok::Start {
                        name,
                        attrs,
                        empty: true,
                    }),
                    j + 2,
                ))
            }
            b'/' | b'=' | b'"' | b'\'' => {
                j += 1;
                continue;
            }
            b'<' => return None,
            _ => {}
        }
        let an = j;
        while j < b.len()
            && !b[j].is_ascii_whitespace()
            && !matches!(b[j], b'=' | b'>' | b'/' | b'<')
        {
            j += 1;
        }
        let aname = &s[an..j];
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        if b.get(j) != Some(&b'=') {
            // A minimized SGML attribute (`<TEXT NORM>`): its value is its name.
            attrs.push((aname, aname));
            continue;
        }
        j += 1;
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        let value = match b.get(j)? {
            q @ (b'"' | b'\'') => {
                let q = *q;
                let vs = j + 1;
                match memchr::memchr2(q, b'<', &b[vs..]) {
                    Some(p) if b[vs + p] == q => {
                        j = vs + p + 1;
                        &s[vs..vs + p]
                    }
                    Some(_) => return None,
                    None => {
                        // No closing quote: the value runs to the end of the tag.
                        let gt = memchr::memchr(b'>', &b[vs..])?;
                        j = vs + gt;
                        &s[vs..vs + gt]
                    }
                }
            }
            _ => {
                let vs = j;
                while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' && b[j] != b'<' {
                    j += 1;
                }
                &s[vs..j]
            }
        };
        attrs.push((aname, value));
    }
}

/// A value being collected from an element.
struct Capture {
    spec: usize,
    /// The depth of the element (the record element is 0).
    depth: usize,
    own: bool,
    text: String,
}

/// Maps one record's text onto a [`RawRecord`] by the configured paths.
fn parse_record(text: &str, cfg: &Compiled) -> RawRecord {
    let mut values: Vec<Vec<String>> = vec![Vec::new(); cfg.specs.len()];
    // Open elements below the record element, lowercase.
    let mut stack: Vec<String> = Vec::new();
    let mut caps: Vec<Capture> = Vec::new();
    let mut started = false;
    let mut done = false;
    let close_to = |depth: usize, caps: &mut Vec<Capture>, values: &mut Vec<Vec<String>>| {
        let mut k = 0;
        while k < caps.len() {
            if caps[k].depth > depth {
                let c = caps.remove(k);
                values[c.spec].push(c.text);
            } else {
                k += 1;
            }
        }
    };
    tokenize(text, &mut |tok| {
        if done {
            return;
        }
        match tok {
            Tok::Start { name, attrs, empty } => {
                let lower = name.to_ascii_lowercase();
                if !started {
                    // The first tag is the record element itself.
                    started = true;
                    open(cfg, &stack, &attrs, &mut caps, &mut values);
                    return;
                }
                if lower == cfg.record && stack.is_empty() {
                    // A record element inside a record: the splitter cut there, so this is not
                    // reached; ignore it.
                    return;
                }
                stack.push(lower);
                open(cfg, &stack, &attrs, &mut caps, &mut values);
                if empty {
                    close_to(stack.len() - 1, &mut caps, &mut values);
                    stack.pop();
                }
            }
            Tok::End { name } => {
                let lower = name.to_ascii_lowercase();
                if let Some(p) = stack.iter().rposition(|e| *e == lower) {
                    close_to(p, &mut caps, &mut values);
                    stack.truncate(p);
                } else if lower == cfg.record {
                    close_to(0, &mut caps, &mut values);
                    stack.clear();
                    done = true;
                }
            }
            Tok::Text(raw) => {
                if caps.is_empty() {
                    return;
                }
                let mut decoded = String::with_capacity(raw.len());
                push_decoded(&mut decoded, raw);
                for c in caps.iter_mut() {
                    if !c.own || c.depth == stack.len() {
                        c.text.push_str(&decoded);
                    }
                }
            }
            Tok::CData(raw) => {
                for c in caps.iter_mut() {
                    if !c.own || c.depth == stack.len() {
                        push_clean(&mut c.text, raw);
                    }
                }
            }
        }
    });
    // Elements (and the record) left open at the end are closed here.
    for c in caps.drain(..) {
        values[c.spec].push(c.text);
    }
    assemble(cfg, values)
}

/// An element at `stack` opened: takes the attributes asked for and starts captures.
fn open(
    cfg: &Compiled,
    stack: &[String],
    attrs: &[(&str, &str)],
    caps: &mut Vec<Capture>,
    values: &mut [Vec<String>],
) {
    for (i, spec) in cfg.specs.iter().enumerate() {
        if spec.elems.len() != stack.len() || spec.elems.iter().zip(stack).any(|(a, b)| a != b) {
            continue;
        }
        match &spec.take {
            Take::Attr(a) => {
                if let Some((_, v)) = attrs.iter().find(|(n, _)| n.eq_ignore_ascii_case(a)) {
                    let mut s = String::with_capacity(v.len());
                    push_decoded(&mut s, v);
                    values[i].push(s);
                }
            }
            take => caps.push(Capture {
                spec: i,
                depth: stack.len(),
                own: *take == Take::Own,
                text: String::new(),
            }),
        }
    }
}

/// Cleans the collected values and puts them in their targets.
fn assemble(cfg: &Compiled, values: Vec<Vec<String>>) -> RawRecord {
    let mut rec = RawRecord::default();
    let mut extra: BTreeMap<String, Value> = BTreeMap::new();
    for (spec, vals) in cfg.specs.iter().zip(values) {
        let mut cleaned: Vec<String> = vals
            .iter()
            .map(|v| clean_value(v, spec.pattern.as_ref()))
            .filter(|v| !v.is_empty())
            .collect();
        if cleaned.is_empty() {
            continue;
        }
        if !spec.list {
            cleaned.truncate(1);
        }
        match &spec.target {
            Target::Field(f) => {
                let joined = cleaned.join("; ");
                let slot = match f {
                    Field::Title => &mut rec.title,
                    Field::Body => &mut rec.body,
                    Field::Source => &mut rec.source,
                    Field::Url => &mut rec.url,
                    Field::Id => &mut rec.id,
                    Field::Author => &mut rec.author,
                    Field::Section => &mut rec.section,
                    Field::Language => &mut rec.language,
                    Field::Date => {
                        if rec.date.is_none() {
                            rec.date = Some(Value::String(joined));
                        }
                        continue;
                    }
                };
                if slot.is_none() {
                    *slot = Some(joined);
                }
            }
            Target::Extra(name) => {
                let v = if spec.list {
                    Value::Array(cleaned.into_iter().map(Value::String).collect())
                } else {
                    Value::String(cleaned.swap_remove(0))
                };
                extra.entry(name.clone()).or_insert(v);
            }
        }
    }
    rec.extra = extra;
    rec
}

fn clean_value(v: &str, pattern: Option<&Regex>) -> String {
    let v = v.trim();
    if let Some(re) = pattern {
        if let Some(c) = re.captures(v) {
            let m = c.get(1).or_else(|| c.get(0)).map_or("", |m| m.as_str());
            return m.trim().to_string();
        }
    }
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{ctx, Collect};
    use super::*;
    use crate::date::{format_date, parse_date};
    use serde_json::json;

    fn run_cfg(data: &[u8], cfg: &SgmlConfig, opts: &ReadOptions, cap: usize) -> Collect {
        let mut sink = Collect::default();
        let mut input = std::io::BufReader::with_capacity(cap, data);
        read(&mut input, &ctx("t.sgm"), cfg, opts, &mut sink).unwrap();
        sink
    }

    fn run(data: &[u8]) -> Collect {
        run_cfg(data, &reuters_preset(), &ReadOptions::default(), 5)
    }

    const TWO: &str = "<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n\
<REUTERS TOPICS=\"YES\" LEWISSPLIT=\"TRAIN\" CGISPLIT=\"TRAINING-SET\" OLDID=\"5544\" NEWID=\"1\">\n\
<DATE>26-FEB-1987 15:01:01.79</DATE>\n\
<TOPICS><D>cocoa</D></TOPICS>\n\
<PLACES><D>el-salvador</D><D>usa</D></PLACES>\n\
<PEOPLE></PEOPLE>\n\
<UNKNOWN> \n&#5;&#5;&#5;C T\n&#22;&#22;&#1;f0704&#31;reute</UNKNOWN>\n\
<TEXT>&#2;\n<TITLE>BAHIA COCOA REVIEW</TITLE>\n\
<DATELINE>    SALVADOR, Feb 26 - </DATELINE><BODY>Showers &lt;AMERICAN EXPRESS CO> &amp; \
caf&eacute; &#x41;&#127;\tok &bogus; &#9999999999;\r\n Reuter\n&#3;</BODY></TEXT>\n\
</REUTERS>\n\
<reuters newid=2 oldid='7'>\n<date> 1-MAR-1987 01:41:26.47&#5;&#5;&#5;F</date>\
<text type=\"UNPROC\">&#2;\nunprocessed</text></Reuters>\n";

    #[test]
    fn records_fields_lists_and_entities() {
        let s = run(TWO.as_bytes());
        assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
        assert_eq!(s.records.len(), 2);
        let (r, at) = &s.records[0];
        assert_eq!(at.pos, RecordPos::Index(1));
        assert_eq!(r.id.as_deref(), Some("1"));
        assert_eq!(r.title.as_deref(), Some("BAHIA COCOA REVIEW"));
        assert_eq!(
            r.body.as_deref(),
            Some("Showers <AMERICAN EXPRESS CO> & café A\tok &bogus; &#9999999999;\n Reuter")
        );
        assert_eq!(r.date, Some(json!("26-FEB-1987 15:01:01.79")));
        assert_eq!(r.extra["dateline"], json!("SALVADOR, Feb 26 -"));
        assert_eq!(r.extra["places"], json!(["el-salvador", "usa"]));
        assert_eq!(r.extra["topics"], json!(["cocoa"]));
        assert!(!r.extra.contains_key("people"), "empty lists are left out");
        assert_eq!(r.extra["topics_attr"], json!("YES"));
        assert_eq!(r.extra["lewis_split"], json!("TRAIN"));
        assert_eq!(r.extra["cgi_split"], json!("TRAINING-SET"));
        assert_eq!(r.extra["old_id"], json!("5544"));
        // Lowercase tags, unquoted and single-quoted attributes, junk after the date.
        let (r, at) = &s.records[1];
        assert_eq!(at.pos, RecordPos::Index(2));
        assert_eq!(r.id.as_deref(), Some("2"));
        assert_eq!(r.extra["old_id"], json!("7"));
        assert_eq!(r.date, Some(json!("1-MAR-1987 01:41:26.47")));
        assert_eq!(r.extra["text_type"], json!("UNPROC"));
        // Its text stands directly in TEXT: the body, and its first line the title.
        assert_eq!(r.body.as_deref(), Some("unprocessed"));
        assert_eq!(r.title.as_deref(), Some("unprocessed"));
    }

    #[test]
    fn every_buffer_size_gives_the_same_records() {
        let reference = run_cfg(
            TWO.as_bytes(),
            &reuters_preset(),
            &ReadOptions::default(),
            8192,
        );
        for cap in 1..40 {
            let s = run_cfg(
                TWO.as_bytes(),
                &reuters_preset(),
                &ReadOptions::default(),
                cap,
            );
            assert_eq!(s.records, reference.records, "buffer of {cap}");
        }
    }

    #[test]
    fn reuters_dates_are_cleaned_so_that_they_parse() {
        // (DATE content as in the files, the date it must give)
        let cases = [
            ("26-FEB-1987 15:01:01.79", "1987-02-26T15:01:01Z"),
            (" 1-MAR-1987 01:41:26.47", "1987-03-01T01:41:26Z"),
            ("3-MAR-1987  13:04:18.47", "1987-03-03T13:04:18Z"),
            (
                "27-MAR-1987 14:04:26.14&#5;&#5;&#5;F",
                "1987-03-27T14:04:26Z",
            ),
            (
                "27-MAR-1987 13:41:28.21&#5;&#5;&#5;RM V Y",
                "1987-03-27T13:41:28Z",
            ),
            (
                "9-APR-1987 00:00:00.00    # date added by S Finch as guesswork ",
                "1987-04-09T00:00:00Z",
            ),
            // An impossible hour: the day is kept, the time left out.
            ("31-MAR-1987 605:12:19.12", "1987-03-31"),
            (
                "19-OCT-1987 15:37:46.03&#9;&#9;&#9;F",
                "1987-10-19T15:37:46Z",
            ),
        ];
        for (raw, want) in cases {
            let doc = format!("<REUTERS NEWID=\"1\"><DATE>{raw}</DATE></REUTERS>");
            let s = run(doc.as_bytes());
            let Some(Value::String(d)) = &s.records[0].0.date else {
                panic!("{raw}: no date");
            };
            let p = parse_date(d).unwrap_or_else(|e| panic!("{raw:?} -> {d:?}: {}", e.0));
            assert_eq!(format_date(p.timestamp, p.precision), want, "{raw:?}");
        }
    }

    #[test]
    fn unclosed_elements_and_stray_end_tags_are_tolerated() {
        let cfg = SgmlConfig {
            record: "doc".into(),
            fields: vec![
                SgmlField::new("title", "head"),
                SgmlField::new("body", "text"),
                SgmlField::new("lead", "text/#text"),
                SgmlField::list("para", "text/p"),
            ],
        };
        let data = "<DOC><HEAD>A < B</x></HEAD><TEXT>lead <P>one</P><P>two</TEXT>\
<!-- </DOC> in a comment --><![CDATA[ <not a tag> ]]></DOC>";
        let s = run_cfg(data.as_bytes(), &cfg, &ReadOptions::default(), 3);
        assert_eq!(s.records.len(), 1, "{:?}", s.diagnostics);
        let r = &s.records[0].0;
        assert_eq!(r.title.as_deref(), Some("A < B"));
        assert_eq!(r.body.as_deref(), Some("lead onetwo"));
        assert_eq!(r.extra["lead"], json!("lead"));
        assert_eq!(r.extra["para"], json!(["one", "two"]));
    }

    #[test]
    fn a_record_without_an_end_tag_is_kept_with_a_warning() {
        let data = "<REUTERS NEWID=\"1\"><TEXT><TITLE>one</TITLE>\n<REUTERS NEWID=\"2\"><TEXT><TITLE>two</TITLE></TEXT></REUTERS>\n<REUTERS NEWID=\"3\"><TEXT><TITLE>three";
        let s = run(data.as_bytes());
        let titles: Vec<_> = s
            .records
            .iter()
            .map(|(r, _)| r.title.clone().unwrap())
            .collect();
        assert_eq!(titles, ["one", "two", "three"]);
        let d: Vec<_> = s
            .diagnostics
            .iter()
            .map(|d| (d.code, d.locator.pos.clone()))
            .collect();
        assert_eq!(
            d,
            [
                ("unclosed-record", RecordPos::Index(1)),
                ("unclosed-record", RecordPos::Index(3))
            ]
        );
    }

    #[test]
    fn a_record_that_is_not_utf8_is_decoded_with_a_warning() {
        let mut data = b"<REUTERS NEWID=\"1\"><TEXT><BODY>plain</BODY></TEXT></REUTERS>\n".to_vec();
        data.extend_from_slice(
            b"<REUTERS NEWID=\"2\"><TEXT><BODY>f\xFCr</BODY></TEXT></REUTERS>\n",
        );
        let s = run(&data);
        assert_eq!(s.records.len(), 2);
        assert_eq!(s.records[1].0.body.as_deref(), Some("f\u{fc}r"));
        assert_eq!(s.diagnostics.len(), 1);
        assert_eq!(s.diagnostics[0].code, "encoding");
        assert_eq!(s.diagnostics[0].severity, Severity::Warning);
        assert_eq!(s.diagnostics[0].locator.pos, RecordPos::Index(2));
        assert!(s.diagnostics[0].message.contains("0xFC"));
    }

    #[test]
    fn oversized_records_are_skipped_and_the_rest_read() {
        let big = "x".repeat(10_000);
        let data = format!("<R><T>a</T></R><R><T>{big}</T></R><R><T>c</T></R>");
        let cfg = SgmlConfig {
            record: "r".into(),
            fields: vec![SgmlField::new("title", "t")],
        };
        let opts = ReadOptions {
            max_record_bytes: 1000,
            ..ReadOptions::default()
        };
        let s = run_cfg(data.as_bytes(), &cfg, &opts, 64);
        let titles: Vec<_> = s
            .records
            .iter()
            .map(|(r, _)| r.title.clone().unwrap())
            .collect();
        assert_eq!(titles, ["a", "c"]);
        assert_eq!(s.records[1].1.pos, RecordPos::Index(3));
        assert_eq!(s.diagnostics.len(), 1);
        assert_eq!(s.diagnostics[0].code, "too-large");
        assert_eq!(s.diagnostics[0].locator.pos, RecordPos::Index(2));
    }

    #[test]
    fn billion_laughs_stays_literal() {
        let mut doc =
            String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
        for i in 1..10 {
            let prev = if i == 1 {
                "lol".to_string()
            } else {
                format!("lol{}", i - 1)
            };
            doc.push_str(&format!(
                " <!ENTITY lol{i} \"{}\">\n",
                format!("&{prev};").repeat(10)
            ));
        }
        // A record-looking string inside the internal subset is not a record.
        doc.push_str(" <!ENTITY trap \"<REUTERS NEWID='666'>\">\n]>\n");
        doc.push_str("<REUTERS NEWID=\"1\"><TEXT><BODY>&lol9; &trap;</BODY></TEXT></REUTERS>");
        let s = run(doc.as_bytes());
        assert_eq!(s.records.len(), 1, "{:?}", s.diagnostics);
        assert_eq!(s.records[0].0.id.as_deref(), Some("1"));
        assert_eq!(s.records[0].0.body.as_deref(), Some("&lol9; &trap;"));
    }

    #[test]
    fn external_entities_are_never_read() {
        let doc = "<!DOCTYPE r [ <!ENTITY xxe SYSTEM \"file:///etc/passwd\"> <!ENTITY % p SYSTEM \"http://example.invalid/x.dtd\"> %p; ]>\n\
<REUTERS NEWID=\"1\"><TEXT><TITLE>&xxe;</TITLE><BODY>x &xxe; y</BODY></TEXT></REUTERS>";
        let s = run(doc.as_bytes());
        assert_eq!(s.records.len(), 1, "{:?}", s.diagnostics);
        assert_eq!(s.records[0].0.title.as_deref(), Some("&xxe;"));
        assert_eq!(s.records[0].0.body.as_deref(), Some("x &xxe; y"));
        assert!(!format!("{:?}", s.records).contains("root:"));
    }

    #[test]
    fn a_file_without_records_says_so() {
        let s = run(b"<!-- <REUTERS> --><?pi <REUTERS>?><OTHER>text</OTHER>");
        assert!(s.records.is_empty());
        assert_eq!(s.diagnostics.len(), 1);
        assert_eq!(s.diagnostics[0].code, "no-records");
    }

    #[test]
    fn bad_configurations_are_refused() {
        let mut cfg = reuters_preset();
        cfg.fields[1].pattern = Some("(".into());
        let mut sink = Collect::default();
        let err = read(
            &mut &b""[..],
            &ctx("t.sgm"),
            &cfg,
            &ReadOptions::default(),
            &mut sink,
        )
        .unwrap_err();
        assert!(err.to_string().contains("pattern"), "{err}");
        let cfg = SgmlConfig {
            record: "<x>".into(),
            fields: vec![],
        };
        assert!(cfg.compile().is_err());
    }

    #[test]
    fn the_preset_round_trips_through_a_toml_recipe() {
        let preset = reuters_preset();
        let text = toml::to_string(&preset).unwrap();
        let back: SgmlConfig = toml::from_str(&text).unwrap();
        assert_eq!(back, preset);
        let written = r#"
record = "REUTERS"

[[fields]]
target = "title"
path = "TEXT/TITLE"

[[fields]]
target = "places"
path = "PLACES/D"
list = true

[[fields]]
target = "date"
path = "DATE"
pattern = '\d{1,2}-[A-Z]{3}-\d{4}'
"#;
        let cfg: SgmlConfig = toml::from_str(written).unwrap();
        assert_eq!(cfg.fields.len(), 3);
        assert!(cfg.fields[1].list);
        let s = run_cfg(TWO.as_bytes(), &cfg, &ReadOptions::default(), 4096);
        assert_eq!(s.records[0].0.date, Some(json!("26-FEB-1987")));
        assert_eq!(
            s.records[0].0.extra["places"],
            json!(["el-salvador", "usa"])
        );
    }

    #[test]
    fn entities() {
        let mut s = String::new();
        push_decoded(
            &mut s,
            "&#2;a&#10;b&#x9;c &nbsp;&hellip;&mdash;&Eacute; &#65 &amp;amp; & &; &unknown; AT&T &#xD800;",
        );
        assert_eq!(
            s,
            "a\nb\tc \u{a0}\u{2026}\u{2014}\u{c9} A &amp; & &; &unknown; AT&T &#xD800;"
        );
    }

    /// Found while writing the hostile-input tests: in a record that is never closed, every `<`
    /// of `x<a x<a …` (or `<a x="> " …`) began a tag whose attributes ran to the end of the
    /// record before failing, so reading took quadratic time: 160 KB took over two minutes in a
    /// debug build, and a 64 MB record would never finish. A tag now ends at the next `<`.
    #[test]
    fn unclosed_tags_in_a_record_cost_linear_time() {
        for filler in ["x<a ", "<a x=\"> \" ", "</a x ", "y<a b=c"] {
            let data = format!(
                "<REUTERS NEWID=\"1\"><TEXT><TITLE>T</TITLE><BODY>start {}",
                filler.repeat(50_000)
            );
            let started = std::time::Instant::now();
            let s = run_cfg(
                data.as_bytes(),
                &reuters_preset(),
                &ReadOptions::default(),
                64 * 1024,
            );
            assert!(
                started.elapsed() < std::time::Duration::from_secs(20),
                "{filler:?}: {:?}",
                started.elapsed()
            );
            assert_eq!(s.records.len(), 1);
            let body = s.records[0].0.body.as_deref().unwrap_or("");
            assert!(
                body.starts_with("start"),
                "{filler:?}: {}",
                &body[..40.min(body.len())]
            );
        }
        // Tags around stray `<` still read as tags.
        let s = run(b"<REUTERS NEWID=\"2\"><TEXT><TITLE>A < B</TITLE><BODY>x<y and <b>bold</b> text</BODY></TEXT></REUTERS>");
        assert_eq!(s.records[0].0.title.as_deref(), Some("A < B"));
        assert_eq!(s.records[0].0.body.as_deref(), Some("x<y and bold text"));
    }
}
