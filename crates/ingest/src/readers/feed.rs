//! News feeds: RSS 2.0, RSS 1.0 (RDF) and Atom, read as a stream with quick-xml, one record per
//! item or entry. The charset comes from a byte-order mark, else the XML declaration, else
//! detection; HTML in descriptions and contents is reduced to plain text; DTDs and the entities
//! they declare are never resolved.
//!
//! The reader takes the file's raw bytes (it decodes them itself); `ctx.encoding` is not used.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, VecDeque};
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::rc::Rc;
use std::sync::LazyLock;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;
use serde_json::Value;

use super::sgml::{entity, push_clean, push_decoded};
use super::{human_bytes, FileCtx, Flow, ReadError, ReadOptions, Sink};
use crate::encoding::{sniff, FileEncoding, TranscodingReader};
use crate::record::{RawRecord, RecordPos, Severity};

/// How much of the file is looked at to find its charset.
const HEAD: usize = 64 * 1024;

/// Reads the items of an RSS or Atom feed from `input` (the file's raw bytes).
pub fn read(
    input: &mut dyn BufRead,
    ctx: &FileCtx,
    opts: &ReadOptions,
    sink: &mut dyn Sink,
) -> Result<(), ReadError> {
    let mut head = Vec::with_capacity(8192);
    (&mut *input).take(HEAD as u64).read_to_end(&mut head)?;
    let complete = head.len() < HEAD;
    let charset = detect_charset(&head, complete);
    if let Some((severity, msg)) = &charset.note {
        if sink.diagnostic(ctx.diag(*severity, "encoding", RecordPos::File, msg.clone()))
            == Flow::Stop
        {
            return Ok(());
        }
    }
    let whole = Cursor::new(head).chain(input);
    let repairs: Repairs = Rc::new(RefCell::new(VecDeque::new()));
    let limit = opts.max_record_bytes.max(1024) as u64;
    let used = Rc::new(Cell::new(0u64));
    if charset.encoding == UTF_8 {
        let r = Utf8Repair::new(whole, charset.fallback, repairs.clone());
        let guarded = Guard {
            inner: BufReader::with_capacity(64 * 1024, r),
            used: used.clone(),
            limit,
        };
        parse(guarded, used, &repairs, charset.fallback, ctx, opts, sink)
    } else {
        let r = TranscodingReader::new(whole, charset.encoding);
        let guarded = Guard {
            inner: BufReader::with_capacity(64 * 1024, r),
            used: used.clone(),
            limit,
        };
        parse(guarded, used, &repairs, charset.fallback, ctx, opts, sink)
    }
}

// ---------------------------------------------------------------------------------------------
// Charset.

struct Charset {
    encoding: &'static Encoding,
    /// For UTF-8 files: what stray bytes that are not UTF-8 are read as.
    fallback: &'static Encoding,
    note: Option<(Severity, String)>,
}

static DECL_ENCODING: LazyLock<regex::bytes::Regex> = LazyLock::new(|| {
    regex::bytes::Regex::new(r#"^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:\-]+)["']"#)
        .expect("valid regex")
});

fn is_utf8_prefix(s: &[u8], complete: bool) -> bool {
    match std::str::from_utf8(s) {
        Ok(_) => true,
        Err(e) => !complete && e.error_len().is_none(),
    }
}

/// The charset: a byte-order mark, else the XML declaration's `encoding`, else detection.
fn detect_charset(head: &[u8], complete: bool) -> Charset {
    let sniffed = sniff(head, complete);
    let fallback = match sniffed {
        FileEncoding::Utf8 { fallback, .. } => fallback,
        FileEncoding::Other { encoding, .. } if encoding.is_single_byte() => encoding,
        FileEncoding::Other { .. } => encoding_rs::WINDOWS_1252,
    };
    if let Some((enc, _)) = Encoding::for_bom(head) {
        return Charset {
            encoding: enc,
            fallback,
            note: None,
        };
    }
    // UTF-16 without a byte-order mark: `<` next to a NUL.
    if head.starts_with(b"<\0") || head.starts_with(b"\0<") {
        if let FileEncoding::Other { encoding, .. } = sniffed {
            return Charset {
                encoding,
                fallback,
                note: Some((
                    Severity::Info,
                    format!("read as {} (detected)", encoding.name()),
                )),
            };
        }
    }
    if let Some(c) = DECL_ENCODING.captures(&head[..head.len().min(1024)]) {
        let label = &c[1];
        let shown = String::from_utf8_lossy(label).into_owned();
        match Encoding::for_label(label) {
            // A declaration readable as ASCII cannot be UTF-16: the label is wrong.
            Some(enc) if enc == UTF_16LE || enc == UTF_16BE => {}
            Some(enc) if enc == UTF_8 => {
                return Charset {
                    encoding: UTF_8,
                    fallback,
                    note: None,
                }
            }
            Some(enc) => {
                // A legacy label on bytes that are UTF-8 (with some non-ASCII) is a wrong label:
                // legacy text almost never forms valid UTF-8 sequences by chance.
                if !head.is_ascii() && is_utf8_prefix(head, complete) {
                    return Charset {
                        encoding: UTF_8,
                        fallback: enc,
                        note: Some((
                            Severity::Warning,
                            format!(
                                "the XML declaration says `{shown}`, but the bytes are UTF-8; read as UTF-8"
                            ),
                        )),
                    };
                }
                return Charset {
                    encoding: enc,
                    fallback,
                    note: None,
                };
            }
            None => {
                let (encoding, how) = match sniffed {
                    FileEncoding::Utf8 { .. } => (UTF_8, "UTF-8"),
                    FileEncoding::Other { encoding, .. } => (encoding, encoding.name()),
                };
                return Charset {
                    encoding,
                    fallback,
                    note: Some((
                        Severity::Warning,
                        format!(
                            "the XML declaration names an unknown encoding `{shown}`; read as {how} (detected)"
                        ),
                    )),
                };
            }
        }
    }
    match sniffed {
        FileEncoding::Utf8 { .. } => Charset {
            encoding: UTF_8,
            fallback,
            note: None,
        },
        FileEncoding::Other { encoding, .. } => Charset {
            encoding,
            fallback,
            note: Some((
                Severity::Info,
                format!(
                    "no charset declared; read as {} (detected)",
                    encoding.name()
                ),
            )),
        },
    }
}

/// Where (in the UTF-8 stream) bytes that were not UTF-8 were replaced, and the first such byte.
type Repairs = Rc<RefCell<VecDeque<(u64, u8)>>>;

/// Passes UTF-8 through, and reads bytes that are not UTF-8 with a fallback encoding, noting
/// where, so that the XML parser always sees UTF-8.
struct Utf8Repair<R> {
    inner: R,
    fallback: &'static Encoding,
    inbuf: Vec<u8>,
    /// The start of a UTF-8 sequence cut off at the end of the last read.
    pending: Vec<u8>,
    out: Vec<u8>,
    out_pos: usize,
    /// Bytes handed out so far.
    written: u64,
    eof: bool,
    repairs: Repairs,
}

impl<R: Read> Utf8Repair<R> {
    fn new(inner: R, fallback: &'static Encoding, repairs: Repairs) -> Self {
        Utf8Repair {
            inner,
            fallback,
            inbuf: vec![0; 64 * 1024],
            pending: Vec::new(),
            out: Vec::with_capacity(64 * 1024),
            out_pos: 0,
            written: 0,
            eof: false,
            repairs,
        }
    }

    fn convert(&mut self, data: &[u8], last: bool) {
        let mut rest = data;
        loop {
            match std::str::from_utf8(rest) {
                Ok(s) => {
                    self.out.extend_from_slice(s.as_bytes());
                    return;
                }
                Err(e) => {
                    let (ok, tail) = rest.split_at(e.valid_up_to());
                    self.out.extend_from_slice(ok);
                    let bad = match e.error_len() {
                        Some(n) => n,
                        None if !last => {
                            self.pending = tail.to_vec();
                            return;
                        }
                        None => tail.len(),
                    };
                    for b in &tail[..bad] {
                        let at = self.written + self.out.len() as u64;
                        self.repairs.borrow_mut().push_back((at, *b));
                        let one = [*b];
                        let (text, _) = self.fallback.decode_without_bom_handling(&one);
                        self.out.extend_from_slice(text.as_bytes());
                    }
                    rest = &tail[bad..];
                    if rest.is_empty() {
                        return;
                    }
                }
            }
        }
    }
}

impl<R: Read> Read for Utf8Repair<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_pos >= self.out.len() {
            if self.eof {
                return Ok(0);
            }
            self.written += self.out.len() as u64;
            self.out.clear();
            self.out_pos = 0;
            let n = loop {
                match self.inner.read(&mut self.inbuf) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            };
            let mut data = std::mem::take(&mut self.pending);
            data.extend_from_slice(&self.inbuf[..n]);
            if n == 0 {
                self.eof = true;
            }
            self.convert(&data, n == 0);
        }
        let n = (self.out.len() - self.out_pos).min(buf.len());
        buf[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

/// Fails reading once more than `limit` bytes were consumed since `used` was last reset (once
/// per XML event), so that one huge token cannot take unbounded memory.
struct Guard<R> {
    inner: R,
    used: Rc<Cell<u64>>,
    limit: u64,
}

const TOKEN_TOO_LARGE: &str = "an XML token is larger than the record size limit";

impl<R: BufRead> Read for Guard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = {
            let avail = self.fill_buf()?;
            let n = avail.len().min(buf.len());
            buf[..n].copy_from_slice(&avail[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Guard<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.used.get() > self.limit {
            return Err(io::Error::new(io::ErrorKind::InvalidData, TOKEN_TOO_LARGE));
        }
        self.inner.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        self.used.set(self.used.get() + amt as u64);
        self.inner.consume(amt);
    }
}

// ---------------------------------------------------------------------------------------------
// Names.

/// The vocabularies a feed element can belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    /// No namespace (RSS 2.0), RSS 1.0's, or Atom's: the core feed vocabulary.
    Core,
    Atom,
    Dc,
    Content,
    Other,
}

fn ns_of(r: &ResolveResult) -> Ns {
    match r {
        ResolveResult::Unbound => Ns::Core,
        ResolveResult::Bound(ns) => match ns.0 {
            "http://www.w3.org/2005/Atom" | "http://purl.org/atom/ns#" => Ns::Atom,
            "http://purl.org/rss/1.0/" | "http://backend.userland.com/rss2" => Ns::Core,
            "http://purl.org/dc/elements/1.1/" | "http://purl.org/dc/terms/" => Ns::Dc,
            "http://purl.org/rss/1.0/modules/content/" => Ns::Content,
            _ => Ns::Other,
        },
        // An undeclared prefix: go by the usual prefixes.
        ResolveResult::Unknown(p) => match p.as_str() {
            "atom" => Ns::Atom,
            "dc" | "dcterms" => Ns::Dc,
            "content" => Ns::Content,
            _ => Ns::Other,
        },
    }
}

/// What an element inside an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Title,
    Link,
    Id,
    /// A date, with its rank (lower is preferred).
    Date(u8),
    Summary,
    Content,
    Author,
    Category,
    Language,
    /// Not mapped: kept in `extra` under its name when it holds only text.
    Other,
}

/// How a text's markup is to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Plain,
    Html,
    Xhtml,
}

fn item_kind(ns: Ns, local: &str) -> Kind {
    let l = local.to_ascii_lowercase();
    match (ns, l.as_str()) {
        (Ns::Core | Ns::Atom, "title") => Kind::Title,
        (Ns::Core | Ns::Atom, "link") => Kind::Link,
        (Ns::Core | Ns::Atom, "guid" | "id") => Kind::Id,
        (Ns::Core, "pubdate") => Kind::Date(0),
        (Ns::Core | Ns::Atom, "published" | "issued") => Kind::Date(1),
        (Ns::Dc, "date" | "created" | "issued") => Kind::Date(2),
        (Ns::Core | Ns::Atom, "updated" | "modified") => Kind::Date(3),
        (Ns::Dc, "modified") => Kind::Date(3),
        (Ns::Core | Ns::Atom, "description" | "summary") => Kind::Summary,
        (Ns::Dc, "description" | "abstract") => Kind::Summary,
        (Ns::Core | Ns::Atom, "content") | (Ns::Content, "encoded") => Kind::Content,
        (Ns::Core | Ns::Atom, "author") | (Ns::Dc, "creator") => Kind::Author,
        (Ns::Core | Ns::Atom, "category") | (Ns::Dc, "subject") => Kind::Category,
        (Ns::Dc, "language") => Kind::Language,
        (Ns::Dc, "title") => Kind::Title,
        (Ns::Dc, "identifier") => Kind::Id,
        _ => Kind::Other,
    }
}

fn date_name(rank: u8) -> &'static str {
    match rank {
        0 => "pubDate",
        1 => "published",
        2 => "dc:date",
        _ => "updated",
    }
}

/// The mode for an Atom `type` attribute (RSS text is HTML in practice).
fn mode_of(type_attr: Option<&str>, default: Mode) -> Mode {
    match type_attr.map(|t| t.trim().to_ascii_lowercase()) {
        None => default,
        Some(t) => match t.as_str() {
            "html" | "text/html" => Mode::Html,
            "xhtml" | "application/xhtml+xml" => Mode::Xhtml,
            "text" | "text/plain" => Mode::Plain,
            t if t.contains("html") => Mode::Html,
            _ => Mode::Plain,
        },
    }
}

/// The attributes of a start tag, raw keys with decoded values (entities as in text).
fn attrs_of(e: &BytesStart) -> Vec<(String, String)> {
    e.html_attributes()
        .with_checks(false)
        .filter_map(Result::ok)
        .map(|a| {
            let mut v = String::new();
            push_decoded(&mut v, &a.value);
            (a.key.0.to_string(), v)
        })
        .collect()
}

fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

// ---------------------------------------------------------------------------------------------
// Items.

/// Text being collected from an element.
struct Capture {
    kind: Kind,
    /// The element's depth.
    depth: usize,
    mode: Mode,
    /// The element's qualified name, for `extra`.
    name: String,
    text: String,
    /// Text of an Atom `name` child (authors).
    name_text: Option<String>,
    in_name: bool,
    /// Whether a child element was seen (an unmapped element with children is not kept).
    has_children: bool,
    /// Open elements inside an XHTML capture, to close them.
    xhtml_open: Vec<String>,
    /// For channel fields: which.
    channel: Option<ChannelField>,
    /// An RSS `guid` that is also the item's address.
    permalink: bool,
}

impl Capture {
    fn new(kind: Kind, depth: usize, mode: Mode, name: String) -> Self {
        Capture {
            kind,
            depth,
            mode,
            name,
            text: String::new(),
            name_text: None,
            in_name: false,
            has_children: false,
            xhtml_open: Vec::new(),
            channel: None,
            permalink: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChannelField {
    Title,
    Language,
    Author,
}

#[derive(Default)]
struct Item {
    depth: usize,
    index: u64,
    start: u64,
    oversize: bool,
    title: Option<String>,
    link: Option<String>,
    alt_link: Option<String>,
    permalink: Option<String>,
    id: Option<String>,
    dates: Vec<(u8, String)>,
    content: Option<String>,
    summary: Option<String>,
    authors: Vec<String>,
    categories: Vec<String>,
    language: Option<String>,
    extra: BTreeMap<String, Vec<String>>,
    encoding_note: Option<String>,
}

impl Item {
    /// Whether a title or a text was read (an item cut short before that is not worth keeping).
    fn has_text(&self) -> bool {
        self.oversize || self.title.is_some() || self.content.is_some() || self.summary.is_some()
    }
}

#[derive(Default)]
struct Channel {
    title: Option<String>,
    language: Option<String>,
    author: Option<String>,
    /// The root is an Atom `feed`, whose author is the entries' author by default.
    atom: bool,
}

struct Parser<'a> {
    ctx: &'a FileCtx,
    opts: &'a ReadOptions,
    fallback: &'static Encoding,
    depth: usize,
    channel_depth: Option<usize>,
    channel: Channel,
    item: Option<Item>,
    cap: Option<Capture>,
    index: u64,
    file_repair_noted: bool,
    /// Where the event being handled begins in the (UTF-8) stream.
    pos: u64,
}

fn parse<R: BufRead>(
    input: R,
    used: Rc<Cell<u64>>,
    repairs: &Repairs,
    fallback: &'static Encoding,
    ctx: &FileCtx,
    opts: &ReadOptions,
    sink: &mut dyn Sink,
) -> Result<(), ReadError> {
    let mut reader = NsReader::from_reader(input);
    {
        let c = reader.config_mut();
        c.trim_text(false);
        c.check_end_names = false;
        c.allow_unmatched_ends = true;
        c.allow_dangling_amp = true;
        c.check_comments = false;
        c.expand_empty_elements = false;
    }
    let mut p = Parser {
        ctx,
        opts,
        fallback,
        depth: 0,
        channel_depth: None,
        channel: Channel::default(),
        item: None,
        cap: None,
        index: 0,
        file_repair_noted: false,
        pos: 0,
    };
    let mut buf = Vec::new();
    loop {
        used.set(0);
        buf.clear();
        p.pos = reader.buffer_position();
        let ev = reader.read_resolved_event_into(&mut buf);
        let flow = match ev {
            Ok((res, Event::Start(e))) => {
                let ns = ns_of(&res);
                p.start(ns, &e, false)
            }
            Ok((res, Event::Empty(e))) => {
                let ns = ns_of(&res);
                match p.start(ns, &e, true) {
                    Flow::Continue => p.end(sink),
                    Flow::Stop => Flow::Stop,
                }
            }
            Ok((_, Event::End(_))) => p.end(sink),
            Ok((_, Event::Text(t))) => {
                p.text(&t.into_inner());
                Flow::Continue
            }
            Ok((_, Event::CData(t))) => {
                p.text(&t.into_inner());
                Flow::Continue
            }
            Ok((_, Event::GeneralRef(r))) => {
                let name = r.into_inner();
                match entity(&name) {
                    Some(s) => p.text(&s),
                    None => p.text(&format!("&{name};")),
                }
                Flow::Continue
            }
            Ok((_, Event::Eof)) => break,
            Ok((_, Event::DocType(d))) => {
                let d = d.into_inner();
                if d.contains("<!ENTITY") {
                    sink.diagnostic(ctx.diag(
                        Severity::Info,
                        "dtd-entities",
                        RecordPos::File,
                        "the document type declares entities; they are never expanded or fetched, and references to them stay as written",
                    ))
                } else {
                    Flow::Continue
                }
            }
            Ok(_) => Flow::Continue,
            Err(e) => {
                let msg = if used.get() > opts.max_record_bytes as u64 {
                    format!(
                        "{TOKEN_TOO_LARGE} ({}) at byte {}",
                        human_bytes(opts.max_record_bytes as u64),
                        reader.buffer_position()
                    )
                } else {
                    format!("the XML is broken at byte {}: {e}", reader.error_position())
                };
                p.broken(&msg, sink);
                return Ok(());
            }
        };
        if flow == Flow::Stop {
            return Ok(());
        }
        // Bytes that were not UTF-8, now behind the parser.
        let pos = reader.buffer_position();
        loop {
            let front = repairs.borrow().front().copied();
            match front {
                Some((at, byte)) if at < pos => {
                    repairs.borrow_mut().pop_front();
                    if p.note_repair(byte, sink) == Flow::Stop {
                        return Ok(());
                    }
                }
                _ => break,
            }
        }
        // An item over the size limit drops what it collected.
        if let Some(item) = &mut p.item {
            if !item.oversize && pos.saturating_sub(item.start) > opts.max_record_bytes as u64 {
                let (depth, index, start) = (item.depth, item.index, item.start);
                *item = Item {
                    depth,
                    index,
                    start,
                    oversize: true,
                    ..Item::default()
                };
                p.cap = None;
            }
        }
    }
    p.eof(sink);
    Ok(())
}

impl Parser<'_> {
    fn start(&mut self, ns: Ns, e: &BytesStart, empty: bool) -> Flow {
        self.depth += 1;
        let depth = self.depth;
        let local = e.local_name().into_inner().to_string();
        if let Some(cap) = &mut self.cap {
            cap.has_children = true;
            if cap.mode == Mode::Xhtml {
                cap.text.push('<');
                cap.text.push_str(&local);
                cap.text.push_str(if empty { "/>" } else { ">" });
                if !empty {
                    cap.xhtml_open.push(local.clone());
                }
            }
            if cap.kind == Kind::Author && depth == cap.depth + 1 && local == "name" {
                cap.in_name = true;
                cap.name_text.get_or_insert_with(String::new);
            }
            return Flow::Continue;
        }
        let lower = local.to_ascii_lowercase();
        if self.item.is_none() {
            let is_item = (lower == "item" && ns == Ns::Core)
                || (lower == "entry" && matches!(ns, Ns::Core | Ns::Atom));
            if is_item {
                self.index += 1;
                let attrs = attrs_of(e);
                self.item = Some(Item {
                    depth,
                    index: self.index,
                    start: self.pos,
                    language: attr(&attrs, "xml:lang").map(str::to_string),
                    permalink: attrs
                        .iter()
                        .find(|(k, _)| k == "rdf:about" || k.ends_with(":about"))
                        .map(|(_, v)| v.clone()),
                    ..Item::default()
                });
                return Flow::Continue;
            }
            let is_channel = (lower == "channel" && ns == Ns::Core)
                || (lower == "feed" && matches!(ns, Ns::Core | Ns::Atom));
            if is_channel && self.channel_depth.is_none() {
                self.channel_depth = Some(depth);
                if lower == "feed" {
                    self.channel.atom = true;
                    let attrs = attrs_of(e);
                    if let Some(l) = attr(&attrs, "xml:lang") {
                        self.channel.language.get_or_insert_with(|| l.to_string());
                    }
                }
                return Flow::Continue;
            }
            if self.channel_depth == Some(depth - 1) {
                let field = match (ns, lower.as_str()) {
                    (Ns::Core | Ns::Atom, "title") => Some(ChannelField::Title),
                    (Ns::Core, "language") | (Ns::Dc, "language") => Some(ChannelField::Language),
                    (Ns::Core | Ns::Atom, "author") if self.channel.atom => {
                        Some(ChannelField::Author)
                    }
                    _ => None,
                };
                if let Some(f) = field {
                    let attrs = attrs_of(e);
                    let kind = if f == ChannelField::Author {
                        Kind::Author
                    } else {
                        Kind::Other
                    };
                    let mode = mode_of(attr(&attrs, "type"), Mode::Plain);
                    self.cap = Some(Capture {
                        channel: Some(f),
                        ..Capture::new(kind, depth, mode, local)
                    });
                }
            }
            return Flow::Continue;
        }
        let Some(item) = &mut self.item else {
            return Flow::Continue;
        };
        if item.oversize || depth != item.depth + 1 {
            return Flow::Continue;
        }
        let kind = item_kind(ns, &local);
        let attrs = attrs_of(e);
        match kind {
            Kind::Link => {
                if let Some(href) = attr(&attrs, "href") {
                    // Atom: the alternate link (no `rel` means alternate) is the article.
                    let rel = attr(&attrs, "rel").unwrap_or("alternate");
                    if rel.eq_ignore_ascii_case("alternate") && item.alt_link.is_none() {
                        item.alt_link = Some(href.trim().to_string());
                    }
                    return Flow::Continue;
                }
            }
            Kind::Category => {
                if let Some(v) = attr(&attrs, "label").or_else(|| attr(&attrs, "term")) {
                    push_unique(&mut item.categories, v);
                    return Flow::Continue;
                }
            }
            _ => {}
        }
        let default_mode = match kind {
            Kind::Summary | Kind::Content if ns != Ns::Atom => Mode::Html,
            _ => Mode::Plain,
        };
        let mode = match (ns, lower.as_str()) {
            // Atom's `type`; RSS has none, and its descriptions are HTML.
            (Ns::Atom | Ns::Core, "title" | "summary" | "content") => {
                mode_of(attr(&attrs, "type"), default_mode)
            }
            _ => default_mode,
        };
        // RSS: a guid is a permalink unless it says otherwise.
        let permalink = kind == Kind::Id
            && local.eq_ignore_ascii_case("guid")
            && attr(&attrs, "isPermaLink").is_none_or(|v| !v.trim().eq_ignore_ascii_case("false"));
        let name = match e.name().prefix() {
            Some(p) => format!("{}:{local}", p.into_inner()),
            None => local,
        };
        self.cap = Some(Capture {
            permalink,
            ..Capture::new(kind, depth, mode, name)
        });
        Flow::Continue
    }

    fn text(&mut self, s: &str) {
        let Some(cap) = &mut self.cap else {
            return;
        };
        let mut clean = String::with_capacity(s.len());
        push_clean(&mut clean, s);
        if cap.mode == Mode::Xhtml {
            // The markup is rebuilt, so text goes back in escaped.
            for c in clean.chars() {
                match c {
                    '&' => cap.text.push_str("&amp;"),
                    '<' => cap.text.push_str("&lt;"),
                    '>' => cap.text.push_str("&gt;"),
                    c => cap.text.push(c),
                }
            }
        } else {
            cap.text.push_str(&clean);
        }
        if cap.in_name {
            if let Some(n) = &mut cap.name_text {
                n.push_str(&clean);
            }
        }
    }

    fn end(&mut self, sink: &mut dyn Sink) -> Flow {
        let depth = self.depth;
        self.depth = self.depth.saturating_sub(1);
        if let Some(cap) = &mut self.cap {
            if depth > cap.depth {
                if cap.mode == Mode::Xhtml {
                    if let Some(n) = cap.xhtml_open.pop() {
                        cap.text.push_str("</");
                        cap.text.push_str(&n);
                        cap.text.push('>');
                    }
                }
                if depth == cap.depth + 1 {
                    cap.in_name = false;
                }
                return Flow::Continue;
            }
            let cap = self.cap.take().expect("checked above");
            self.finish_capture(cap);
            return Flow::Continue;
        }
        if self.channel_depth == Some(depth) {
            self.channel_depth = None;
        }
        if self.item.as_ref().is_some_and(|i| i.depth == depth) {
            let item = self.item.take().expect("checked above");
            return self.emit(item, None, sink);
        }
        Flow::Continue
    }

    fn finish_capture(&mut self, cap: Capture) {
        let text = match cap.mode {
            Mode::Plain => collapse(&cap.text),
            Mode::Html | Mode::Xhtml => crate::html::html_to_text(&cap.text),
        };
        if let Some(f) = cap.channel {
            let value = match f {
                ChannelField::Author => cap.name_text.map(|n| collapse(&n)).unwrap_or(text),
                _ => text,
            };
            if value.is_empty() {
                return;
            }
            let slot = match f {
                ChannelField::Title => &mut self.channel.title,
                ChannelField::Language => &mut self.channel.language,
                ChannelField::Author => &mut self.channel.author,
            };
            if slot.is_none() {
                *slot = Some(value);
            }
            return;
        }
        let Some(item) = &mut self.item else {
            return;
        };
        match cap.kind {
            Kind::Author => {
                let v = cap.name_text.map(|n| collapse(&n)).unwrap_or(text);
                if !v.is_empty() {
                    push_unique(&mut item.authors, &v);
                }
                return;
            }
            Kind::Category => {
                if !text.is_empty() {
                    push_unique(&mut item.categories, &text);
                }
                return;
            }
            Kind::Date(rank) => {
                if !text.is_empty() {
                    item.dates.push((rank, text));
                }
                return;
            }
            Kind::Other => {
                if !cap.has_children && !text.is_empty() {
                    item.extra.entry(cap.name).or_default().push(text);
                }
                return;
            }
            _ => {}
        }
        if text.is_empty() {
            return;
        }
        if cap.permalink && item.permalink.is_none() && looks_like_url(&text) {
            item.permalink = Some(text.clone());
        }
        let slot = match cap.kind {
            Kind::Title => &mut item.title,
            Kind::Link => &mut item.link,
            Kind::Id => &mut item.id,
            Kind::Summary => &mut item.summary,
            Kind::Content => &mut item.content,
            Kind::Language => &mut item.language,
            _ => return,
        };
        if slot.is_none() {
            *slot = Some(text);
        }
    }

    fn note_repair(&mut self, byte: u8, sink: &mut dyn Sink) -> Flow {
        let msg = format!(
            "bytes that are not valid UTF-8 (first 0x{byte:02X}); read as {}",
            self.fallback.name()
        );
        match &mut self.item {
            Some(item) => {
                item.encoding_note.get_or_insert(msg);
                Flow::Continue
            }
            None if !self.file_repair_noted => {
                self.file_repair_noted = true;
                sink.diagnostic(
                    self.ctx
                        .diag(Severity::Warning, "encoding", RecordPos::File, msg),
                )
            }
            None => Flow::Continue,
        }
    }

    /// Emits an item; `cut` says why it is incomplete.
    fn emit(&mut self, item: Item, cut: Option<&str>, sink: &mut dyn Sink) -> Flow {
        let pos = RecordPos::Index(item.index);
        if item.oversize {
            return sink.diagnostic(self.ctx.diag(
                Severity::Error,
                "too-large",
                pos,
                format!(
                    "the item is over the limit of {}; skipped",
                    human_bytes(self.opts.max_record_bytes as u64)
                ),
            ));
        }
        if let Some(why) = cut {
            if sink.diagnostic(
                self.ctx
                    .diag(Severity::Warning, "truncated", pos.clone(), why),
            ) == Flow::Stop
            {
                return Flow::Stop;
            }
        }
        if let Some(n) = &item.encoding_note {
            if sink.diagnostic(
                self.ctx
                    .diag(Severity::Warning, "encoding", pos.clone(), n.clone()),
            ) == Flow::Stop
            {
                return Flow::Stop;
            }
        }
        let rec = self.record(item);
        sink.record(rec, self.ctx.at(pos))
    }

    fn record(&self, mut item: Item) -> RawRecord {
        let mut extra: BTreeMap<String, Value> = BTreeMap::new();
        for (k, mut vs) in std::mem::take(&mut item.extra) {
            let v = if vs.len() == 1 {
                Value::String(vs.swap_remove(0))
            } else {
                Value::Array(vs.into_iter().map(Value::String).collect())
            };
            extra.insert(k, v);
        }
        // The fullest text is the body; a different summary is kept beside it.
        let (body, summary) = match (item.content, item.summary) {
            (Some(c), Some(s)) => {
                if s == c {
                    (Some(c), None)
                } else {
                    (Some(c), Some(s))
                }
            }
            (c, s) => (c.or(s), None),
        };
        if let Some(s) = summary {
            extra.insert("summary".into(), Value::String(s));
        }
        item.dates.sort_by_key(|(rank, _)| *rank);
        let date = item.dates.first().map(|(_, d)| d.clone());
        // When the date is the publication date, a different last-update date is kept beside it.
        if let Some((rank, d)) = item.dates.iter().find(|(r, _)| *r == 3) {
            if date.as_ref().is_some_and(|chosen| chosen != d) {
                extra.insert(date_name(*rank).into(), Value::String(d.clone()));
            }
        }
        if !item.categories.is_empty() {
            extra.insert(
                "categories".into(),
                Value::Array(
                    item.categories
                        .iter()
                        .map(|c| Value::String(c.clone()))
                        .collect(),
                ),
            );
        }
        let author = if item.authors.is_empty() {
            if self.channel.atom {
                self.channel.author.clone()
            } else {
                None
            }
        } else {
            Some(item.authors.join("; "))
        };
        RawRecord {
            title: item.title,
            body,
            date: date.map(Value::String),
            source: self.channel.title.clone(),
            url: item.link.or(item.alt_link).or(item.permalink),
            id: item.id,
            author,
            section: item.categories.first().cloned(),
            language: item
                .language
                .filter(|l| !l.trim().is_empty())
                .or_else(|| self.channel.language.clone())
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty()),
            extra,
            folder: self.ctx.folder.clone(),
        }
    }

    /// The XML cannot be read further: an item in progress is kept, and the rest reported.
    fn broken(&mut self, msg: &str, sink: &mut dyn Sink) {
        if let Some(cap) = self.cap.take() {
            self.finish_capture(cap);
        }
        let next = self.index + u64::from(self.item.is_none());
        if let Some(item) = self.item.take().filter(Item::has_text) {
            let cut = format!("{msg}; the item is read as far as it goes");
            if self.emit(item, Some(&cut), sink) == Flow::Stop {
                return;
            }
        }
        sink.diagnostic(self.ctx.diag(
            Severity::Error,
            "bad-xml",
            RecordPos::Index(next),
            format!("{msg}; the rest of the file is not read"),
        ));
    }

    fn eof(&mut self, sink: &mut dyn Sink) {
        if let Some(cap) = self.cap.take() {
            self.finish_capture(cap);
        }
        if let Some(item) = self.item.take() {
            let flow = if item.has_text() {
                self.emit(item, Some("the file ends inside this item"), sink)
            } else {
                sink.diagnostic(self.ctx.diag(
                    Severity::Error,
                    "truncated",
                    RecordPos::Index(item.index),
                    "the file ends inside this item, before any of its text",
                ))
            };
            if flow == Flow::Stop {
                return;
            }
        }
        if self.index == 0 {
            sink.diagnostic(self.ctx.diag(
                Severity::Error,
                "no-records",
                RecordPos::File,
                "no RSS <item> or Atom <entry> in this file, so no records were read",
            ));
        }
    }
}

fn push_unique(list: &mut Vec<String>, v: &str) {
    let v = v.trim();
    if !v.is_empty() && !list.iter().any(|x| x == v) {
        list.push(v.to_string());
    }
}

fn looks_like_url(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    (l.starts_with("http://") || l.starts_with("https://")) && !s.contains(char::is_whitespace)
}

/// Whitespace runs become one space; the ends are trimmed.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{ctx, Collect};
    use super::*;
    use serde_json::json;

    fn run_opts(data: &[u8], opts: &ReadOptions, cap: usize) -> Collect {
        let mut sink = Collect::default();
        let mut input = BufReader::with_capacity(cap, data);
        read(&mut input, &ctx("f.xml"), opts, &mut sink).unwrap();
        sink
    }

    fn run(data: &[u8]) -> Collect {
        run_opts(data, &ReadOptions::default(), 4096)
    }

    const RSS2: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:a10="http://www.w3.org/2005/Atom">
<channel>
  <title>The Daily &amp; Co</title>
  <link>https://daily.example/</link>
  <language>en-gb</language>
  <image><title>Not the source</title></image>
  <item>
    <title>First &lt;story&gt;</title>
    <link> https://daily.example/a </link>
    <description>&lt;p&gt;Short &amp;amp; sweet&lt;/p&gt;</description>
    <content:encoded><![CDATA[<p>Full text,<br/>second line.</p><script>alert(1)</script><p>Last&nbsp;para &eacute;</p>]]></content:encoded>
    <category domain="x">World</category>
    <category>Politics</category>
    <category/>
    <dc:creator>Ann Writer</dc:creator>
    <pubDate>Wed, 31 Jan 2018 07:26:05 GMT</pubDate>
    <dc:date>2018-01-31T07:26:05Z</dc:date>
    <guid isPermaLink="false">tag:daily,1</guid>
    <comments>https://daily.example/a#c</comments>
    <media:content xmlns:media="http://search.yahoo.com/mrss/" url="x"><media:credit>Photo</media:credit></media:content>
  </item>
  <item>
    <title>Second</title>
    <a10:link rel="alternate" href="https://daily.example/b"/>
    <a10:updated>2018-09-17T11:19:42Z</a10:updated>
    <description>Plain &amp; simple</description>
  </item>
</channel>
</rss>"#;

    #[test]
    fn rss2_items() {
        let s = run(RSS2.as_bytes());
        assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
        assert_eq!(s.records.len(), 2);
        let (r, at) = &s.records[0];
        assert_eq!(at.pos, RecordPos::Index(1));
        assert_eq!(r.title.as_deref(), Some("First <story>"));
        assert_eq!(r.url.as_deref(), Some("https://daily.example/a"));
        assert_eq!(
            r.body.as_deref(),
            Some("Full text,\nsecond line.\n\nLast para \u{e9}")
        );
        assert_eq!(r.extra["summary"], json!("Short & sweet"));
        assert_eq!(r.date, Some(json!("Wed, 31 Jan 2018 07:26:05 GMT")));
        assert_eq!(r.id.as_deref(), Some("tag:daily,1"));
        assert_eq!(r.author.as_deref(), Some("Ann Writer"));
        assert_eq!(r.section.as_deref(), Some("World"));
        assert_eq!(r.extra["categories"], json!(["World", "Politics"]));
        assert_eq!(r.source.as_deref(), Some("The Daily & Co"));
        assert_eq!(r.language.as_deref(), Some("en-gb"));
        assert_eq!(r.extra["comments"], json!("https://daily.example/a#c"));
        assert!(!r.extra.contains_key("media:content"));
        let (r, at) = &s.records[1];
        assert_eq!(at.pos, RecordPos::Index(2));
        // An Atom link and date under another prefix, resolved by namespace.
        assert_eq!(r.url.as_deref(), Some("https://daily.example/b"));
        assert_eq!(r.date, Some(json!("2018-09-17T11:19:42Z")));
        assert_eq!(r.body.as_deref(), Some("Plain & simple"));
        assert_eq!(r.section, None);
    }

    #[test]
    fn buffer_sizes_do_not_matter() {
        let reference = run(RSS2.as_bytes()).records;
        for cap in [1, 2, 3, 7, 64] {
            assert_eq!(
                run_opts(RSS2.as_bytes(), &ReadOptions::default(), cap).records,
                reference,
                "buffer of {cap}"
            );
        }
    }

    #[test]
    fn rss1_rdf_items() {
        let doc = r#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="http://example.org/">
    <title>RDF News</title>
    <dc:language>de</dc:language>
    <items><rdf:Seq><rdf:li rdf:resource="http://example.org/1"/></rdf:Seq></items>
  </channel>
  <item rdf:about="http://example.org/1">
    <title>Eins</title>
    <description>Erster Text</description>
    <dc:date>2016-02-01T17:22:00+01:00</dc:date>
    <dc:creator>Hans</dc:creator>
    <dc:subject>Technik</dc:subject>
  </item>
</rdf:RDF>"#;
        let s = run(doc.as_bytes());
        assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
        assert_eq!(s.records.len(), 1);
        let r = &s.records[0].0;
        assert_eq!(r.title.as_deref(), Some("Eins"));
        assert_eq!(r.url.as_deref(), Some("http://example.org/1"));
        assert_eq!(r.body.as_deref(), Some("Erster Text"));
        assert_eq!(r.date, Some(json!("2016-02-01T17:22:00+01:00")));
        assert_eq!(r.author.as_deref(), Some("Hans"));
        assert_eq!(r.section.as_deref(), Some("Technik"));
        assert_eq!(r.source.as_deref(), Some("RDF News"));
        assert_eq!(r.language.as_deref(), Some("de"));
    }

    #[test]
    fn atom_entries() {
        let doc = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">
  <title type="html">heise &lt;b&gt;developer&lt;/b&gt;</title>
  <link rel="self" href="http://x/feed"/>
  <author><name>heise online</name><email>x@y</email></author>
  <entry>
    <title type="text">A &lt; B</title>
    <id>http://heise.de/-1</id>
    <link rel="self" href="http://x/self"/>
    <link rel="alternate" type="text/html" href="http://x/1"/>
    <updated>2016-02-01T17:54:50+01:00</updated>
    <published>2016-02-01T17:22:00+01:00</published>
    <summary type="html">Kurz</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Lang &amp; <b>fett</b></p><p>Zwei</p></div></content>
    <category term="java" label="Java"/>
    <category term="jvm"/>
  </entry>
  <entry xml:lang="en">
    <title>Two</title>
    <link href="http://x/2"/>
    <author><name>Jane</name></author>
    <author><name>Joe</name></author>
    <updated>2016-02-02T10:00:00Z</updated>
    <content>plain &lt;not a tag&gt;</content>
  </entry>
</feed>"#;
        let s = run(doc.as_bytes());
        assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
        assert_eq!(s.records.len(), 2);
        let r = &s.records[0].0;
        assert_eq!(r.source.as_deref(), Some("heise developer"));
        assert_eq!(r.title.as_deref(), Some("A < B"));
        assert_eq!(r.id.as_deref(), Some("http://heise.de/-1"));
        assert_eq!(r.url.as_deref(), Some("http://x/1"));
        assert_eq!(r.date, Some(json!("2016-02-01T17:22:00+01:00")));
        assert_eq!(r.extra["updated"], json!("2016-02-01T17:54:50+01:00"));
        assert_eq!(r.body.as_deref(), Some("Lang & fett\n\nZwei"));
        assert_eq!(r.extra["summary"], json!("Kurz"));
        assert_eq!(r.author.as_deref(), Some("heise online"));
        assert_eq!(r.extra["categories"], json!(["Java", "jvm"]));
        assert_eq!(r.language.as_deref(), Some("de"));
        let r = &s.records[1].0;
        assert_eq!(r.url.as_deref(), Some("http://x/2"));
        assert_eq!(r.author.as_deref(), Some("Jane; Joe"));
        assert_eq!(r.date, Some(json!("2016-02-02T10:00:00Z")));
        assert!(!r.extra.contains_key("updated"));
        assert_eq!(r.body.as_deref(), Some("plain <not a tag>"));
        assert_eq!(r.language.as_deref(), Some("en"));
    }

    #[test]
    fn charsets_declared_detected_and_marked() {
        // Declared ISO-8859-1.
        let mut latin = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\r\n<rss><channel><title>Not\xEDcias</title><item><title>M\xE3e</title></item></channel></rss>".to_vec();
        let s = run(&latin);
        assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
        assert_eq!(s.records[0].0.title.as_deref(), Some("M\u{e3}e"));
        assert_eq!(s.records[0].0.source.as_deref(), Some("Not\u{ed}cias"));
        // No declaration: detected.
        latin.drain(..latin.iter().position(|b| *b == b'<').unwrap() + 40);
        let undeclared = b"<rss><channel><title>Not\xEDcias \xDAltimas</title><item><title>Simula\xE7\xF5es de 2\xBA turno \xE0 vista, n\xE3o, \xE9, \xE7\xE3o</title></item></channel></rss>";
        let s = run(undeclared);
        assert_eq!(
            s.records[0].0.title.as_deref(),
            Some("Simula\u{e7}\u{f5}es de 2\u{ba} turno \u{e0} vista, n\u{e3}o, \u{e9}, \u{e7}\u{e3}o")
        );
        assert_eq!(s.diagnostics.len(), 1, "{:?}", s.diagnostics);
        assert_eq!(s.diagnostics[0].severity, Severity::Info);
        // gb2312.
        let (gb, _, _) = encoding_rs::GBK.encode("<?xml version=\"1.0\" encoding=\"gb2312\"?><rss><channel><item><title>习近平为何如此强调崇尚英雄</title></item></channel></rss>");
        let s = run(&gb);
        assert_eq!(
            s.records[0].0.title.as_deref(),
            Some("习近平为何如此强调崇尚英雄")
        );
        // UTF-16 with a byte-order mark, whatever the declaration says.
        let mut u16 = vec![0xFF, 0xFE];
        u16.extend(
            "<?xml version=\"1.0\" encoding=\"UTF-16\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><title>Ünïcode</title></entry></feed>"
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        );
        let s = run(&u16);
        assert_eq!(s.records[0].0.title.as_deref(), Some("Ünïcode"));
        // A UTF-8 byte-order mark.
        let s = run(
            b"\xEF\xBB\xBF<rss><channel><item><title>caf\xC3\xA9</title></item></channel></rss>",
        );
        assert_eq!(s.records[0].0.title.as_deref(), Some("caf\u{e9}"));
        // Declared Latin-1 but written in UTF-8.
        let s = run("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss><channel><item><title>café</title></item></channel></rss>".as_bytes());
        assert_eq!(s.records[0].0.title.as_deref(), Some("caf\u{e9}"));
        assert_eq!(s.diagnostics[0].code, "encoding");
    }

    #[test]
    fn a_stray_byte_is_read_with_a_warning_for_its_item() {
        let mut doc = b"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss><channel><item><title>one \xC3\xA9</title></item>".to_vec();
        doc.extend_from_slice(
            b"<item><title>f\xFCr</title></item><item><title>three</title></item></channel></rss>",
        );
        let s = run_opts(&doc, &ReadOptions::default(), 5);
        let titles: Vec<_> = s
            .records
            .iter()
            .map(|(r, _)| r.title.clone().unwrap())
            .collect();
        assert_eq!(titles, ["one \u{e9}", "f\u{fc}r", "three"]);
        assert_eq!(s.diagnostics.len(), 1, "{:?}", s.diagnostics);
        assert_eq!(s.diagnostics[0].code, "encoding");
        assert_eq!(s.diagnostics[0].locator.pos, RecordPos::Index(2));
        assert!(s.diagnostics[0].message.contains("0xFC"));
    }

    #[test]
    fn billion_laughs_stays_literal() {
        let mut doc =
            String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n <!ENTITY lol \"lol\">\n");
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
        doc.push_str("]>\n<rss><channel><item><title>&lol9;</title><description>a &lol9; b</description></item></channel></rss>");
        let s = run(doc.as_bytes());
        assert_eq!(s.records.len(), 1, "{:?}", s.diagnostics);
        assert_eq!(s.records[0].0.title.as_deref(), Some("&lol9;"));
        assert_eq!(s.records[0].0.body.as_deref(), Some("a &lol9; b"));
    }

    #[test]
    fn external_entities_are_never_read() {
        let doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [ <!ENTITY xxe SYSTEM \"file:///etc/passwd\"> ]>\n\
<rss><channel><item><title>&xxe;</title><description>&xxe;</description></item></channel></rss>";
        let s = run(doc.as_bytes());
        assert_eq!(s.records.len(), 1, "{:?}", s.diagnostics);
        assert_eq!(s.records[0].0.title.as_deref(), Some("&xxe;"));
        assert!(!format!("{:?}", s.records).contains("root:"));
    }

    #[test]
    fn broken_xml_keeps_what_came_before() {
        let doc = b"<rss><channel><item><title>one</title></item><item><title>two</title><description a=\"x\" a=\"y></description></item><item><title>never</title></item></channel></rss>";
        let s = run(doc);
        let titles: Vec<_> = s
            .records
            .iter()
            .map(|(r, _)| r.title.clone().unwrap())
            .collect();
        // The item in progress is kept as far as it was read.
        assert_eq!(titles, ["one", "two"]);
        let codes: Vec<_> = s
            .diagnostics
            .iter()
            .map(|d| (d.code, d.locator.pos.clone()))
            .collect();
        assert_eq!(
            codes,
            [
                ("truncated", RecordPos::Index(2)),
                ("bad-xml", RecordPos::Index(2))
            ]
        );
        assert!(s.diagnostics[1]
            .message
            .contains("attribute value not closed"));
        // A file cut off inside an item, and one cut off between items.
        let s = run(b"<rss><channel><item><title>one</title></item><item><title>two</ti");
        let titles: Vec<_> = s
            .records
            .iter()
            .map(|(r, _)| r.title.clone().unwrap())
            .collect();
        assert_eq!(titles, ["one", "two"]);
        assert_eq!(s.diagnostics.len(), 2, "{:?}", s.diagnostics);
        let s = run(b"<rss><channel><item><title>one</title></item><item>");
        assert_eq!(s.records.len(), 1);
        assert_eq!(s.diagnostics.len(), 1, "{:?}", s.diagnostics);
        assert_eq!(s.diagnostics[0].code, "truncated");
        assert_eq!(s.diagnostics[0].locator.pos, RecordPos::Index(2));
    }

    #[test]
    fn oversized_items_are_skipped() {
        let doc = format!(
            "<rss><channel><item><title>a</title></item><item><title>b</title><description>{}</description></item><item><title>c</title></item></channel></rss>",
            "<p>word</p> ".repeat(2000)
        );
        let opts = ReadOptions {
            max_record_bytes: 4096,
            ..ReadOptions::default()
        };
        let s = run_opts(doc.as_bytes(), &opts, 512);
        let titles: Vec<_> = s
            .records
            .iter()
            .map(|(r, _)| r.title.clone().unwrap())
            .collect();
        assert_eq!(titles, ["a", "c"]);
        assert_eq!(s.records[1].1.pos, RecordPos::Index(3));
        assert_eq!(s.diagnostics.len(), 1, "{:?}", s.diagnostics);
        assert_eq!(s.diagnostics[0].code, "too-large");
        assert_eq!(s.diagnostics[0].locator.pos, RecordPos::Index(2));
        // One token far over the limit is not buffered: the file stops there, with a reason.
        let doc = format!(
            "<rss><channel><item><title>a</title></item><item><title>{}</title></item></channel></rss>",
            "x".repeat(300_000)
        );
        let s = run_opts(doc.as_bytes(), &opts, 512);
        assert_eq!(s.records.len(), 1);
        assert!(
            s.diagnostics
                .iter()
                .any(|d| d.message.contains("larger than")),
            "{:?}",
            s.diagnostics
        );
    }

    #[test]
    fn not_a_feed() {
        let s = run(b"<html><body><p>hello</p></body></html>");
        assert!(s.records.is_empty());
        assert_eq!(s.diagnostics[0].code, "no-records");
    }

    #[test]
    fn html_fragments_become_text() {
        let cases = [
            ("<p>One</p><p>Two</p>", "One\n\nTwo"),
            ("a<br>b<br/>c", "a\nb\nc"),
            ("  lots   of\n\n  space ", "lots of space"),
            ("<ul><li>x</li><li>y</li></ul>after", "x\ny\n\nafter"),
            (
                "<script>var a = '<p>';</script>kept<style>p{}</style>",
                "kept",
            ),
            ("<SCRIPT type=x>bad()</Script>ok", "ok"),
            (
                "1 &lt; 2 &amp;&amp; 3 &gt; 2 &hellip; &#8217;",
                "1 < 2 && 3 > 2 \u{2026} \u{2019}",
            ),
            ("<a href=\"x>y\" title='q'>link</a> text", "link text"),
            ("<img src=x alt=\"pic\"/>Caption<!-- note -->", "Caption"),
            ("a < b and c>d", "a < b and c>d"),
            ("<div>in<div>nested</div></div>", "in\n\nnested"),
            ("x&nbsp;&nbsp;y", "x y"),
            ("", ""),
            ("<p>unclosed <b", "unclosed"),
        ];
        for (html, want) in cases {
            assert_eq!(crate::html::html_to_text(html), want, "{html:?}");
        }
    }
}
