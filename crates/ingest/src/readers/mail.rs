//! E-mail and Usenet messages (RFC 5322 / RFC 1036): single messages (`.eml`, the 20 Newsgroups
//! layout) and mbox files, split on their `From ` envelope lines and parsed with `mail-parser`.
//! Subject → title, From → byline, Date → date, first newsgroup (else the folder) → section,
//! Message-ID → id; the first text/plain part (else the HTML part, as text) is the body, without
//! its signature; charsets are decided per message, and one bad message never stops the file.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::io::BufRead;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::LazyLock;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use mail_parser::decoders::{base64::base64_decode, quoted_printable::quoted_printable_decode};
use mail_parser::parsers::MessageStream;
use mail_parser::{
    Addr, Address, HeaderValue, Message, MessageParser, MessagePart, MimeHeaders, PartType,
};
use regex::bytes::Regex;
use serde_json::Value;

use super::{read_line_capped, FileCtx, Flow, Line, ReadError, ReadOptions, Sink};
use crate::controls::{clean_controls, ControlCounts};
use crate::encoding::{sniff as sniff_encoding, FileEncoding};
use crate::record::{RawRecord, RecordPos, Severity};

/// Header fields that mark a text as a message: two of them (one after an mbox envelope).
const MESSAGE_FIELDS: [&str; 7] = [
    "from",
    "subject",
    "date",
    "newsgroups",
    "message-id",
    "path",
    "organization",
];

/// An mbox envelope line: `From sender asctime-date` (`From jo@x.org Mon Apr  5 13:22:05 1993`).
/// A `From ` line in a body that is not escaped does not start a message unless it has this
/// shape.
static ENVELOPE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^From \S+\s+(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s.*\d{1,2}:\d{2}")
        .expect("valid regex")
});

/// A `charset=` parameter in a header block.
static CHARSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\bcharset\s*=\s*"?([A-Za-z0-9_.:\-]+)"#).expect("valid regex")
});

/// True when `head` (the first bytes of a file) is an RFC 5322 message or an mbox: its first
/// non-blank lines are header fields (`Name: value`, with continuation lines) among which are
/// at least two of From, Subject, Date, Newsgroups, Message-ID, Path and Organization, or it
/// starts with an mbox envelope line followed by header fields naming at least one of them.
pub fn sniff(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let mut lines = head.split(|b| *b == b'\n').peekable();
    let mut known = BTreeSet::new();
    let mut needed = 2;
    let mut seen_field = false;
    while let Some(line) = lines.next() {
        if lines.peek().is_none() && !head.ends_with(b"\n") {
            // The head may end inside a line.
            break;
        }
        let line = trim_cr(line);
        if is_blank(line) {
            if seen_field {
                break;
            }
            continue;
        }
        if !seen_field && needed == 2 && line.starts_with(b"From ") {
            if !ENVELOPE.is_match(line) {
                return false;
            }
            needed = 1;
            continue;
        }
        if line[0] == b' ' || line[0] == b'\t' {
            if !seen_field {
                return false;
            }
            continue;
        }
        let Some(name) = field_name(line) else {
            return false;
        };
        seen_field = true;
        let name = String::from_utf8_lossy(name).to_ascii_lowercase();
        if MESSAGE_FIELDS.contains(&name.as_str()) {
            known.insert(name);
        }
    }
    known.len() >= needed
}

fn trim_cr(l: &[u8]) -> &[u8] {
    l.strip_suffix(b"\r").unwrap_or(l)
}

fn is_blank(l: &[u8]) -> bool {
    l.iter().all(u8::is_ascii_whitespace)
}

/// The name of a header field line (`Name: value`): printable ASCII without spaces or colons,
/// 1 to 76 bytes, spaces allowed only before the colon.
fn field_name(line: &[u8]) -> Option<&[u8]> {
    let colon = memchr::memchr(b':', line)?;
    let name = line[..colon].trim_ascii_end();
    let ok = !name.is_empty()
        && name.len() <= 76
        && name.iter().all(|b| (0x21..=0x7e).contains(b) && *b != b':');
    ok.then_some(name)
}

/// A message being collected, cut off (but still measured) past the record limit.
#[derive(Default)]
struct Pending {
    bytes: Vec<u8>,
    size: u64,
    over: bool,
}

impl Pending {
    fn push(&mut self, line: &[u8], max: usize) {
        self.size += line.len() as u64 + 1;
        if self.over {
            return;
        }
        if self.bytes.len() + line.len() + 1 > max {
            self.over = true;
            self.bytes = Vec::new();
        } else {
            self.bytes.extend_from_slice(line);
            self.bytes.push(b'\n');
        }
    }

    fn too_long(&mut self, len: usize) {
        self.size += len as u64 + 1;
        self.over = true;
        self.bytes = Vec::new();
    }
}

/// Reads a file of one message, or an mbox of many (when its first non-blank line is a `From `
/// line). Messages in an mbox are numbered from 1 in diagnostics; `>From ` lines are unescaped
/// (mboxrd: one `>` removed).
pub fn read<R: BufRead + ?Sized>(
    r: &mut R,
    ctx: &FileCtx,
    opts: &ReadOptions,
    sink: &mut dyn Sink,
) -> Result<(), ReadError> {
    let max = opts.max_record_bytes;
    let mut line = Vec::new();
    let mut pending = Pending::default();
    let mut mbox: Option<bool> = None;
    let mut n = 0u64;
    loop {
        match read_line_capped(r, &mut line, max)? {
            Line::Eof => break,
            Line::TooLong(len) => {
                pending.too_long(len);
                continue;
            }
            Line::Complete => {}
        }
        if mbox.is_none() {
            if n == 0 && line.starts_with(b"\xEF\xBB\xBF") {
                line.drain(..3);
            }
            if is_blank(&line) {
                continue;
            }
            let is_mbox = line.starts_with(b"From ");
            mbox = Some(is_mbox);
            if is_mbox {
                n = 1;
                continue;
            }
        }
        if mbox == Some(true) {
            if ENVELOPE.is_match(&line) {
                if finish(std::mem::take(&mut pending), ctx, n, max, sink) == Flow::Stop {
                    return Ok(());
                }
                n += 1;
                continue;
            }
            let quotes = line.iter().take_while(|b| **b == b'>').count();
            if quotes > 0 && line[quotes..].starts_with(b"From ") {
                line.remove(0);
            }
        }
        pending.push(&line, max);
    }
    if mbox.is_some() {
        finish(pending, ctx, n, max, sink);
    } else {
        sink.diagnostic(ctx.diag(
            Severity::Error,
            "empty",
            RecordPos::File,
            "the file has no text",
        ));
    }
    Ok(())
}

/// Hands one collected message to [`read_message`]; message 0 is a file of one message.
fn finish(p: Pending, ctx: &FileCtx, n: u64, max: usize, sink: &mut dyn Sink) -> Flow {
    let pos = if n == 0 {
        RecordPos::File
    } else {
        RecordPos::Index(n)
    };
    if p.over {
        return sink.diagnostic(ctx.diag(
            Severity::Error,
            "too-large",
            pos,
            format!(
                "the message is {} long, over the limit of {}; skipped",
                super::human_bytes(p.size),
                super::human_bytes(max as u64)
            ),
        ));
    }
    read_message(&p.bytes, ctx, pos, sink)
}

/// What a message holds, taken out of `mail-parser`'s borrowed structures.
#[derive(Debug, Default)]
struct Parsed {
    subject: Option<String>,
    author: Option<String>,
    date: Option<String>,
    newsgroups: Vec<String>,
    id: Option<String>,
    /// Header fields kept as extra fields, by their lower-case name.
    fields: Vec<(&'static str, Value)>,
    body: String,
    html: bool,
    /// What was done about bytes that are not UTF-8 in an unlabelled message.
    encoding_notes: Vec<String>,
}

/// Reads one message's bytes into a record, or a diagnostic saying why it has none.
fn read_message(raw: &[u8], ctx: &FileCtx, pos: RecordPos, sink: &mut dyn Sink) -> Flow {
    let parsed = match parse_guarded(raw) {
        Ok(p) => p,
        Err(why) => return sink.diagnostic(ctx.diag(Severity::Error, "bad-message", pos, why)),
    };
    if !parsed.encoding_notes.is_empty() {
        let note = parsed.encoding_notes.join("; ");
        sink.diagnostic(ctx.diag(Severity::Warning, "encoding", pos.clone(), note));
    }
    let mut controls = ControlCounts::default();
    let mut clean = |s: &str| {
        let (t, c) = clean_controls(s);
        controls.add(&c);
        t.into_owned()
    };
    let title = parsed.subject.as_deref().map(&mut clean);
    let body = clean(&parsed.body);
    if let Some(msg) = controls.describe() {
        sink.diagnostic(ctx.diag(Severity::Warning, "control-characters", pos.clone(), msg));
    }
    let (body, signature) = split_signature(&body);
    let has_title = title.as_deref().is_some_and(|t| !t.trim().is_empty());
    if !has_title && body.trim().is_empty() {
        return sink.diagnostic(ctx.diag(
            Severity::Error,
            "empty",
            pos,
            "the message has neither a subject nor any text; skipped",
        ));
    }
    let rec = record(parsed, title, body, signature, ctx);
    sink.record(rec, ctx.at(pos))
}

/// Parses a message that starts (after blank lines) with a header field; a panic inside the
/// parser fails this message only.
fn parse_guarded(raw: &[u8]) -> Result<Parsed, &'static str> {
    let start = raw
        .split_inclusive(|b| *b == b'\n')
        .take_while(|l| is_blank(l))
        .map(<[u8]>::len)
        .sum::<usize>();
    let raw = &raw[start..];
    let first = raw.split(|b| *b == b'\n').next().unwrap_or_default();
    if raw.is_empty() {
        return Err("the message is empty; skipped");
    }
    if field_name(trim_cr(first)).is_none() {
        return Err("the message does not start with header fields (`Name: value`); skipped");
    }
    match catch_unwind(AssertUnwindSafe(|| parse(raw))) {
        Ok(Some(p)) => Ok(p),
        Ok(None) => Err("no header field of the message could be read; skipped"),
        Err(_) => Err("the message parser failed on this message; skipped"),
    }
}

/// The record of a parsed message whose title and body are cleaned.
fn record(
    p: Parsed,
    title: Option<String>,
    body: &str,
    signature: Option<&str>,
    ctx: &FileCtx,
) -> RawRecord {
    let quoted = body.lines().filter(|l| l.starts_with('>')).count();
    let mut rec = RawRecord {
        title,
        body: Some(body.trim_end().trim_start_matches(['\n', '\r']).to_string()),
        date: p.date.map(Value::String),
        id: p.id,
        author: p.author,
        section: p.newsgroups.first().cloned().or_else(|| ctx.folder.clone()),
        folder: ctx.folder.clone(),
        ..RawRecord::default()
    };
    for (k, v) in p.fields {
        rec.extra.insert(k.to_string(), v);
    }
    if !p.newsgroups.is_empty() {
        rec.extra.insert(
            "newsgroups".into(),
            Value::Array(p.newsgroups.into_iter().map(Value::String).collect()),
        );
    }
    if let Some(s) = signature {
        rec.extra
            .insert("signature".into(), Value::String(s.into()));
    }
    if p.html {
        rec.extra
            .insert("body_from".into(), Value::String("text/html".into()));
    }
    rec.extra.insert("quoted_lines".into(), Value::from(quoted));
    rec.extra
        .insert("file".into(), Value::String(ctx.file_name.clone()));
    if let Some(f) = &ctx.folder {
        rec.extra.insert("folder".into(), Value::String(f.clone()));
    }
    rec
}

/// Splits off a signature: what follows the last line `-- ` (the signature separator), or a
/// bare `--` line when at most ten lines follow it.
fn split_signature(body: &str) -> (&str, Option<&str>) {
    let mut offset = 0;
    let mut cut = None;
    for line in body.split_inclusive('\n') {
        let l = line.trim_end_matches(['\n', '\r']);
        if l == "-- " || l == "--" {
            cut = Some((offset, offset + line.len(), l == "-- "));
        }
        offset += line.len();
    }
    let Some((at, after, standard)) = cut else {
        return (body, None);
    };
    let sig = body[after..].trim_matches('\n');
    if !standard && sig.lines().count() > 10 {
        return (body, None);
    }
    let sig = (!sig.trim().is_empty()).then_some(sig);
    (body[..at].trim_end(), sig)
}

/// Parses one message (its first line is a header field).
fn parse(raw: &[u8]) -> Option<Parsed> {
    let mut notes = Vec::new();
    let bytes = utf8_headers(raw, &mut notes);
    let msg = MessageParser::default().parse(bytes.as_ref())?;
    let mut p = Parsed {
        subject: msg.subject().map(|s| s.trim().to_string()),
        author: msg.from().and_then(Address::first).and_then(byline),
        date: raw_field(&msg, "date").map(|d| unfold(&d)),
        id: msg.message_id().map(|s| s.trim().to_string()),
        ..Parsed::default()
    };
    if let Some(ng) = text_field(&msg, "newsgroups") {
        p.newsgroups = ng
            .split([',', ' '])
            .map(str::trim)
            .filter(|g| !g.is_empty())
            .map(str::to_string)
            .collect();
    }
    p.fields = extra_fields(&msg);
    let (body, html) = body_text(&msg, &mut notes);
    p.body = body;
    p.html = html;
    p.encoding_notes = notes;
    Some(p)
}

/// The header fields kept in `extra`, in sorted order of their keys.
fn extra_fields(msg: &Message) -> Vec<(&'static str, Value)> {
    let mut out = Vec::new();
    if let Some(cc) = addresses(msg.cc()) {
        out.push(("cc", Value::String(cc)));
    }
    if let Some(v) = ids(msg.in_reply_to()) {
        out.push(("in_reply_to", v));
    }
    if let Some(k) = text_field(msg, "keywords") {
        out.push(("keywords", Value::String(k)));
    }
    if let Some(l) = text_field(msg, "lines") {
        let v = l
            .trim()
            .parse::<u64>()
            .map(Value::from)
            .unwrap_or(Value::String(l));
        out.push(("lines", v));
    }
    if let Some(o) = text_field(msg, "organization") {
        out.push(("organization", Value::String(o)));
    }
    if let Some(v) = ids(msg.references()) {
        out.push(("references", v));
    }
    if let Some(s) = text_field(msg, "summary") {
        out.push(("summary", Value::String(s)));
    }
    if let Some(to) = addresses(msg.to()) {
        out.push(("to", Value::String(to)));
    }
    out
}

/// A byline: the display name if there is one, else the address.
fn byline(a: &Addr) -> Option<String> {
    let name = a.name().map(str::trim).filter(|n| !n.is_empty());
    let address = a.address().map(str::trim).filter(|n| !n.is_empty());
    name.or(address).map(|s| unfold(s.trim_matches('"')))
}

/// Addresses as `Name <address>`, joined by commas.
fn addresses(a: Option<&Address>) -> Option<String> {
    let list: Vec<String> = a?
        .iter()
        .filter_map(|a| match (a.name(), a.address()) {
            (Some(n), Some(ad)) => Some(format!("{} <{ad}>", unfold(n))),
            (None, Some(ad)) => Some(ad.to_string()),
            (Some(n), None) => Some(unfold(n)),
            (None, None) => None,
        })
        .collect();
    (!list.is_empty()).then(|| list.join(", "))
}

/// Message ids (without angle brackets) as a JSON array.
fn ids(v: &HeaderValue) -> Option<Value> {
    let list: Vec<Value> = match v {
        HeaderValue::Text(t) => vec![Value::String(t.to_string())],
        HeaderValue::TextList(l) => l.iter().map(|t| Value::String(t.to_string())).collect(),
        _ => Vec::new(),
    };
    (!list.is_empty()).then_some(Value::Array(list))
}

/// The raw text of the first header field called `name` (any case).
fn raw_field<'a>(msg: &'a Message, name: &str) -> Option<Cow<'a, str>> {
    let h = msg
        .headers()
        .iter()
        .find(|h| h.name().eq_ignore_ascii_case(name))?;
    let bytes = msg
        .raw_message
        .get(h.offset_start() as usize..h.offset_end() as usize)?;
    let s = String::from_utf8_lossy(bytes);
    (!s.trim().is_empty()).then_some(s)
}

/// The first header field called `name` as unstructured text: unfolded, encoded words decoded.
fn text_field(msg: &Message, name: &str) -> Option<String> {
    let raw = raw_field(msg, name)?;
    let mut line = raw.into_owned().into_bytes();
    if !line.ends_with(b"\n") {
        line.push(b'\n');
    }
    match MessageStream::new(&line).parse_unstructured() {
        HeaderValue::Text(t) => Some(unfold(&t)).filter(|t| !t.is_empty()),
        _ => None,
    }
}

/// Folded header text on one line, runs of white space made one space.
fn unfold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A charset label that says what the bytes are, as opposed to none, `us-ascii` (often a lie in
/// old messages) or `unknown-8bit`.
fn declared(label: &str) -> Option<&'static Encoding> {
    let l = label.trim().to_ascii_lowercase();
    if matches!(
        l.as_str(),
        "us-ascii"
            | "ascii"
            | "us_ascii"
            | "x-unknown"
            | "unknown"
            | "unknown-8bit"
            | "x-user-defined"
    ) {
        return None;
    }
    Encoding::for_label(l.as_bytes())
}

/// The legacy encoding that bytes which are not UTF-8 are most likely in (Windows-1252 with too
/// little evidence, as for whole files).
fn guess(bytes: &[u8]) -> &'static Encoding {
    match sniff_encoding(bytes, true) {
        FileEncoding::Utf8 { fallback, .. } => fallback,
        FileEncoding::Other { encoding, .. } if encoding == UTF_16LE || encoding == UTF_16BE => {
            WINDOWS_1252
        }
        FileEncoding::Other { encoding, .. } => encoding,
    }
}

/// Decodes bytes line by line: lines that are UTF-8 as UTF-8, the others as `enc`.
fn decode_lines(bytes: &[u8], enc: &'static Encoding) -> String {
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 2);
    for line in bytes.split_inclusive(|b| *b == b'\n') {
        match std::str::from_utf8(line) {
            Ok(s) => out.push_str(s),
            Err(_) => out.push_str(&enc.decode_without_bom_handling(line).0),
        }
    }
    out
}

/// The message with its header block in UTF-8: raw 8-bit header bytes (common in old Usenet
/// posts) are decoded with the message's declared charset, else the charset guessed from the
/// whole message; `mail-parser` reads header bytes as UTF-8.
fn utf8_headers<'a>(raw: &'a [u8], notes: &mut Vec<String>) -> Cow<'a, [u8]> {
    let end = header_end(raw);
    let head = &raw[..end];
    if std::str::from_utf8(head).is_ok() {
        return Cow::Borrowed(raw);
    }
    let declared = CHARSET
        .captures(head)
        .and_then(|c| declared(&String::from_utf8_lossy(&c[1])))
        .filter(|e| *e != UTF_8);
    let (enc, how) = match declared {
        Some(e) => (e, "the message's declared charset"),
        None => (guess(raw), "guessed: no charset declared"),
    };
    notes.push(format!(
        "headers not in UTF-8 read as {} ({how})",
        enc.name()
    ));
    let mut out = decode_lines(head, enc).into_bytes();
    out.extend_from_slice(&raw[end..]);
    Cow::Owned(out)
}

/// Where the header block ends: after its first empty line, or at the end.
fn header_end(raw: &[u8]) -> usize {
    let mut at = 0;
    for line in raw.split_inclusive(|b| *b == b'\n') {
        at += line.len();
        if trim_cr(line.strip_suffix(b"\n").unwrap_or(line)).is_empty() {
            return at;
        }
    }
    raw.len()
}

/// The body: the first text/plain part, else the first HTML part as text; with whether it was
/// HTML.
fn body_text(msg: &Message, notes: &mut Vec<String>) -> (String, bool) {
    if let Some(part) = msg
        .text_bodies()
        .find(|p| matches!(p.body, PartType::Text(_)))
    {
        return (part_text(msg, part, notes), false);
    }
    if let Some(part) = msg
        .html_bodies()
        .find(|p| matches!(p.body, PartType::Html(_)))
    {
        return (
            crate::html::html_to_text(&part_text(msg, part, notes)),
            true,
        );
    }
    (String::new(), false)
}

/// A text part's text. Parts with a meaningful charset are decoded by `mail-parser`; the others
/// (no charset, `us-ascii` over 8-bit bytes, `unknown-8bit`, or UTF-8 that is not) are decoded
/// here: as UTF-8 when they are, else in the guessed legacy encoding, with a note.
fn part_text(msg: &Message, part: &MessagePart, notes: &mut Vec<String>) -> String {
    let text = part.text_contents().unwrap_or_default();
    let label = part
        .content_type()
        .and_then(|ct| ct.attribute("charset"))
        .map(str::to_string);
    let trusted = match (&label, label.as_deref().and_then(declared)) {
        // A real legacy charset: decoded by mail-parser.
        (_, Some(e)) if e != UTF_8 => true,
        // None, or UTF-8: right unless the bytes were not UTF-8.
        (None, _) | (_, Some(_)) => !text.contains('\u{FFFD}'),
        // `us-ascii`, `unknown-8bit` and the like: the bytes decide.
        (Some(_), None) => false,
    };
    if trusted {
        return text.to_string();
    }
    let Some(bytes) = part_bytes(msg, part) else {
        return text.to_string();
    };
    match std::str::from_utf8(&bytes) {
        Ok(s) => s.to_string(),
        Err(_) => {
            let enc = guess(&bytes);
            notes.push(format!(
                "text not in UTF-8 read as {} (guessed: {})",
                enc.name(),
                match &label {
                    Some(l) => format!("the declared charset `{l}` does not fit its bytes"),
                    None => "no charset declared".to_string(),
                }
            ));
            decode_lines(&bytes, enc)
        }
    }
}

/// A part's body bytes with its transfer encoding undone.
fn part_bytes<'a>(msg: &'a Message, part: &MessagePart) -> Option<Cow<'a, [u8]>> {
    let slice = msg
        .raw_message
        .get(part.raw_body_offset() as usize..part.raw_end_offset() as usize)?;
    Some(match part.encoding {
        mail_parser::Encoding::QuotedPrintable => {
            Cow::Owned(quoted_printable_decode(slice).unwrap_or_else(|| slice.to_vec()))
        }
        mail_parser::Encoding::Base64 => {
            Cow::Owned(base64_decode(slice).unwrap_or_else(|| slice.to_vec()))
        }
        _ => Cow::Borrowed(slice),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::{normalize, NormalizeOptions};
    use crate::readers::testutil::{ctx, Collect};
    use crate::record::Locator;
    use crate::{DateOrigin, Precision};
    use serde_json::json;

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/tests/fixtures/mail/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn read_with(bytes: &[u8], name: &str, folder: Option<&str>, opts: &ReadOptions) -> Collect {
        let mut c = ctx(name);
        c.folder = folder.map(str::to_string);
        let mut sink = Collect::default();
        read(&mut &bytes[..], &c, opts, &mut sink).unwrap();
        sink
    }

    fn read_bytes(bytes: &[u8], name: &str, folder: Option<&str>) -> Collect {
        read_with(bytes, name, folder, &ReadOptions::default())
    }

    /// The UTC timestamp and origin the normalizer gives the record's date.
    fn normalized_date(r: &RawRecord, at: &Locator) -> (i64, Precision, DateOrigin) {
        let (a, _) = normalize(r.clone(), at, "news", &NormalizeOptions::default()).unwrap();
        let d = a.date.expect("a date");
        (d.timestamp, d.precision, a.date_origin)
    }

    fn diags(c: &Collect) -> Vec<String> {
        c.diagnostics.iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn usenet_post_with_overstrike_and_a_form_feed() {
        let s = read_bytes(&fixture("news/sci.space/61001"), "61001", Some("sci.space"));
        assert_eq!(s.records.len(), 1);
        let (r, at) = &s.records[0];
        assert_eq!(at.pos, RecordPos::File);
        assert_eq!(
            r.title.as_deref(),
            Some("Re: Launch windows for the lunar probe")
        );
        assert_eq!(r.author.as_deref(), Some("Jane Doe"));
        assert_eq!(r.section.as_deref(), Some("sci.space"));
        assert_eq!(
            r.id.as_deref(),
            Some("1993Apr6.101500.1234@orbit.example.org")
        );
        assert_eq!(r.date, Some(json!("Tue, 6 Apr 1993 10:15:00 GMT")));
        assert_eq!(
            normalized_date(r, at),
            (734_091_300, Precision::Second, DateOrigin::Field)
        );
        assert_eq!(
            r.body.as_deref(),
            Some(
                "In article <1993Apr5.090000.777@example.edu> sam@example.edu writes:\n\
                 > When is the next launch window?\n> Is it in May?\n\n\
                 The next window opens on May 3 and it is VERY short.\n\n\n\
                 A second page of notes follows the form feed."
            )
        );
        assert_eq!(
            json!(r.extra),
            json!({
                "file": "61001",
                "folder": "sci.space",
                "lines": 8,
                "newsgroups": ["sci.space", "sci.astro"],
                "organization": "Orbit Example Lab",
                "quoted_lines": 2,
                "references": ["1993Apr5.090000.777@example.edu"],
            })
        );
        assert_eq!(
            diags(&s),
            ["61001: warning: removed 8 control characters: 7 backspaces of overstrike (the underlined or bold character kept), 1 form feed (made line breaks) [control-characters]"]
        );
    }

    #[test]
    fn usenet_post_signature_goes_to_extra() {
        let s = read_bytes(&fixture("news/talk.politics.misc/178001"), "178001", None);
        assert!(s.diagnostics.is_empty(), "{:?}", diags(&s));
        let (r, at) = &s.records[0];
        assert_eq!(r.title.as_deref(), Some("Elections in the region"));
        assert_eq!(r.author.as_deref(), Some("Ivan Petrov"));
        assert_eq!(r.section.as_deref(), Some("talk.politics.misc"));
        assert_eq!(r.id.as_deref(), Some("C51xyz.123@example.su"));
        assert_eq!(
            normalized_date(r, at),
            (734_018_531, Precision::Second, DateOrigin::Field)
        );
        assert_eq!(
            r.body.as_deref(),
            Some("The elections went quietly in the north.\nTurnout was lower than in 1991.")
        );
        assert_eq!(
            json!(r.extra),
            json!({
                "file": "178001",
                "keywords": "elections, region",
                "lines": 9,
                "newsgroups": ["talk.politics.misc"],
                "organization": "Example State University",
                "quoted_lines": 0,
                "signature": "Ivan Petrov, Example State University\n\"All opinions are my own.\"",
                "summary": "a short note on the elections",
            })
        );
    }

    #[test]
    fn mbox_of_three_messages_in_three_encodings() {
        let s = read_bytes(&fixture("three.mbox"), "three.mbox", Some("lists"));
        assert!(s.diagnostics.is_empty(), "{:?}", diags(&s));
        let got: Vec<_> = s
            .records
            .iter()
            .map(|(r, at)| {
                (
                    at.pos.clone(),
                    r.title.clone().unwrap(),
                    r.author.clone().unwrap(),
                    r.id.clone().unwrap(),
                    r.section.clone().unwrap(),
                    r.body.clone().unwrap(),
                    normalized_date(r, at).0,
                )
            })
            .collect();
        let expected = [
            (
                RecordPos::Index(1),
                "Café prices in Zürich",
                "Alice Example",
                "m1@example.com",
                "lists",
                "Café prices in Zürich rose by 5% this year, in a line that is soft-wrapped.\n\n\
                 From the archive: prices were lower in 2020.",
                1_677_747_600,
            ),
            (
                RecordPos::Index(2),
                "Выборы в Бишкеке",
                "Борис Иванов",
                "m2@example.ru",
                "lists",
                "Выборы в Бишкеке прошли спокойно.\n\n> Цены растут?\nДа, цены растут.",
                1_677_832_200,
            ),
            (
                RecordPos::Index(3),
                "Weekly digest",
                "carol@example.com",
                "m3@example.com",
                "lists",
                "Plain version of the digest.\n>From the list: a quoted line.",
                1_677_949_200,
            ),
        ];
        assert_eq!(got.len(), 3);
        for (g, e) in got.iter().zip(expected) {
            assert_eq!(
                (
                    &g.0,
                    g.1.as_str(),
                    g.2.as_str(),
                    g.3.as_str(),
                    g.4.as_str(),
                    g.5.as_str(),
                    g.6
                ),
                (&e.0, e.1, e.2, e.3, e.4, e.5, e.6)
            );
        }
        assert_eq!(
            json!(s.records[0].0.extra),
            json!({"file": "three.mbox", "folder": "lists", "quoted_lines": 0,
                   "to": "Bob <bob@example.com>, carol@example.com"})
        );
        assert_eq!(
            json!(s.records[1].0.extra),
            json!({"file": "three.mbox", "folder": "lists", "in_reply_to": ["m1@example.com"],
                   "quoted_lines": 1})
        );
        assert_eq!(
            json!(s.records[2].0.extra),
            json!({"file": "three.mbox", "folder": "lists", "keywords": "digest, weekly",
                   "quoted_lines": 1})
        );
    }

    #[test]
    fn eml_with_encoded_words_and_only_an_html_part() {
        let s = read_bytes(&fixture("letter.eml"), "letter.eml", None);
        assert!(s.diagnostics.is_empty(), "{:?}", diags(&s));
        let (r, at) = &s.records[0];
        assert_eq!(at.pos, RecordPos::File);
        assert_eq!(r.title.as_deref(), Some("Кыргызстан: выборы and the press"));
        assert_eq!(r.author.as_deref(), Some("Айгуль Касымова"));
        assert_eq!(r.id.as_deref(), Some("kg-1@example.kg"));
        assert_eq!(r.section, None);
        assert_eq!(
            normalized_date(r, at),
            (1_700_016_300, Precision::Second, DateOrigin::Field)
        );
        assert_eq!(
            r.body.as_deref(),
            Some("Выборы\n\nИзбиратели пришли на участки рано.\n\nИтоги — завтра.")
        );
        assert_eq!(
            json!(r.extra),
            json!({"body_from": "text/html", "file": "letter.eml", "quoted_lines": 0})
        );
    }

    #[test]
    fn a_broken_message_is_one_diagnostic_and_the_others_are_read() {
        let s = read_bytes(&fixture("broken.mbox"), "broken.mbox", None);
        let titles: Vec<_> = s
            .records
            .iter()
            .map(|(r, at)| {
                (
                    at.to_string(),
                    r.title.clone().unwrap(),
                    r.body.clone().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            titles,
            [
                (
                    "broken.mbox: record 1".to_string(),
                    "First good message".to_string(),
                    "Text of the first message.".to_string()
                ),
                (
                    "broken.mbox: record 4".to_string(),
                    "Last good message".to_string(),
                    "Text of the last message.".to_string()
                ),
            ]
        );
        assert_eq!(
            diags(&s),
            [
                "broken.mbox: record 2: error: the message does not start with header fields (`Name: value`); skipped [bad-message]",
                "broken.mbox: record 3: error: the message has neither a subject nor any text; skipped [empty]",
            ]
        );
    }

    /// Old Usenet posts carry raw 8-bit text without any MIME label.
    #[test]
    fn unlabelled_8bit_message_is_read_in_the_guessed_charset_with_a_warning() {
        let text = "Subject: Новости из Бишкека\nFrom: Пётр <petr@example.kg>\nDate: 7 Apr 93 10:00:00 GMT\n\n\
                    Министр обороны России заявил, что Москва перевооружает армию Киргизии.\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(text);
        let s = read_bytes(&bytes, "post", None);
        let (r, _) = &s.records[0];
        assert_eq!(r.title.as_deref(), Some("Новости из Бишкека"));
        assert_eq!(r.author.as_deref(), Some("Пётр"));
        assert_eq!(
            r.body.as_deref(),
            Some("Министр обороны России заявил, что Москва перевооружает армию Киргизии.")
        );
        assert_eq!(
            diags(&s),
            ["post: warning: headers not in UTF-8 read as windows-1251 (guessed: no charset declared); text not in UTF-8 read as windows-1251 (guessed: no charset declared) [encoding]"]
        );
    }

    /// Raw 8-bit headers are read in the charset the message declares for its text; an
    /// unlabelled quoted-printable text that is not UTF-8 is read in the guessed charset.
    #[test]
    fn raw_headers_in_the_declared_charset_and_unlabelled_quoted_printable() {
        let text = "Subject: Выборы\nFrom: Борис <b@example.ru>\n\
                    Content-Type: text/plain; charset=koi8-r\nContent-Transfer-Encoding: 8bit\n\n\
                    Итоги завтра.\n";
        let (bytes, _, _) = encoding_rs::KOI8_R.encode(text);
        let s = read_bytes(&bytes, "koi", None);
        let (r, _) = &s.records[0];
        assert_eq!(
            (r.title.as_deref(), r.author.as_deref(), r.body.as_deref()),
            (Some("Выборы"), Some("Борис"), Some("Итоги завтра."))
        );
        assert_eq!(
            diags(&s),
            ["koi: warning: headers not in UTF-8 read as KOI8-R (the message's declared charset) [encoding]"]
        );
        let qp = b"Subject: Menu\nContent-Transfer-Encoding: quoted-printable\n\nCaf=E9 au lait\n";
        let s = read_bytes(qp, "qp", None);
        assert_eq!(s.records[0].0.body.as_deref(), Some("Caf\u{e9} au lait"));
        assert_eq!(
            diags(&s),
            ["qp: warning: text not in UTF-8 read as windows-1252 (guessed: no charset declared) [encoding]"]
        );
    }

    #[test]
    fn us_ascii_label_over_utf8_text_is_read_as_utf8() {
        let msg = "Subject: Café\nContent-Type: text/plain; charset=us-ascii\n\nCafé in Zürich\n";
        let s = read_bytes(msg.as_bytes(), "m.eml", None);
        assert_eq!(s.records[0].0.body.as_deref(), Some("Café in Zürich"));
        assert!(s.diagnostics.is_empty(), "{:?}", diags(&s));
    }

    #[test]
    fn signatures() {
        for (body, kept, sig) in [
            ("text\n-- \nJo\n", "text", Some("Jo")),
            (
                "text\n--\nJo\nhttp://jo.example\n",
                "text",
                Some("Jo\nhttp://jo.example"),
            ),
            (
                "a\n-- \nfirst\n-- \nsecond",
                "a\n-- \nfirst",
                Some("second"),
            ),
            (
                "no signature here\n---\nrule above",
                "no signature here\n---\nrule above",
                None,
            ),
            ("text\n-- \n\n", "text", None),
        ] {
            assert_eq!(split_signature(body), (kept, sig), "{body:?}");
        }
        let long = format!("text\n--\n{}", "line\n".repeat(11));
        assert_eq!(split_signature(&long), (long.as_str(), None));
    }

    #[test]
    fn an_unescaped_from_line_in_a_body_does_not_split_the_mbox() {
        let mbox = "From a@x Mon Jan  2 09:00:00 2023\nFrom: a@x\nSubject: One\n\n\
                    From 1990 to 2000 the economy grew.\n\n\
                    From b@x Tue Jan  3 09:00:00 2023\nFrom: b@x\nSubject: Two\n\nSecond.\n";
        let s = read_bytes(mbox.as_bytes(), "x.mbox", None);
        let bodies: Vec<_> = s
            .records
            .iter()
            .map(|(r, _)| r.body.clone().unwrap())
            .collect();
        assert_eq!(bodies, ["From 1990 to 2000 the economy grew.", "Second."]);
    }

    #[test]
    fn an_oversized_message_is_skipped_and_named() {
        let big = "x".repeat(2000);
        let mbox = format!(
            "From a@x Mon Jan  2 09:00:00 2023\nFrom: a@x\nSubject: Big\n\n{big}\n\
             From b@x Tue Jan  3 09:00:00 2023\nFrom: b@x\nSubject: Small\n\nok\n"
        );
        let opts = ReadOptions {
            max_record_bytes: 1000,
            ..ReadOptions::default()
        };
        let s = read_with(mbox.as_bytes(), "x.mbox", None, &opts);
        assert_eq!(s.records.len(), 1);
        assert_eq!(s.records[0].1.pos, RecordPos::Index(2));
        assert_eq!(s.diagnostics.len(), 1);
        assert_eq!(s.diagnostics[0].code, "too-large");
        assert_eq!(s.diagnostics[0].locator.pos, RecordPos::Index(1));
    }

    #[test]
    fn sniffing_finds_messages() {
        for f in [
            "news/sci.space/61001",
            "news/talk.politics.misc/178001",
            "three.mbox",
            "letter.eml",
        ] {
            assert!(sniff(&fixture(f)), "{f}");
        }
        // Cut inside the header block, as a 4 KB head of a long one would be.
        assert!(sniff(&fixture("news/sci.space/61001")[..150]));
        assert!(sniff(
            b"\xEF\xBB\xBF\r\nFrom: a@x\r\nSubject: s\r\n\r\nbody"
        ));
        assert!(sniff(
            b"From a@x Mon Jan  2 09:00:00 2023\nSubject: s\n\nbody"
        ));
    }

    /// Plain-text articles whose first line happens to hold a colon are not messages.
    #[test]
    fn sniffing_leaves_plain_text_articles_alone() {
        for text in [
            "Kyrgyzstan: unrest in the south\n\nClashes broke out in Osh on Thursday.",
            "Kyrgyzstan: unrest in the south\nDate: 12 June 2010\n\nClashes broke out.",
            "Breaking news: unrest in the south\nFrom: our correspondent\nDate: today\n\nText.",
            "News   /   Russia\n\nMoscow re-equips Bishkek to counter Daesh\n\nShoigu said so.",
            "Ad sales boost Time Warner profit\n\nQuarterly profits at US media giant TimeWarner jumped 76%.",
            "From the editor: a note\n\nSubject: s\nDate: d",
            "From Moscow with love\nSubject: spies\nDate: 1963\n\nText.",
            "Subject: only one known field\n\nText.",
        ] {
            assert!(!sniff(text.as_bytes()), "{text:?}");
        }
    }

    /// xorshift64*: a fixed sequence, so that a failure can be replayed.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
    }

    /// `mail-parser` and this reader never panic: on every prefix of the fixtures, on the
    /// fixtures with bytes changed at random, and on random bytes behind a header line.
    #[test]
    fn garbage_and_truncated_messages_never_panic() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut inputs: Vec<Vec<u8>> = Vec::new();
        for f in [
            "news/sci.space/61001",
            "three.mbox",
            "letter.eml",
            "broken.mbox",
        ] {
            let bytes = fixture(f);
            for cut in 0..bytes.len() {
                inputs.push(bytes[..cut].to_vec());
            }
            for _ in 0..1000 {
                let mut b = bytes.clone();
                for _ in 0..1 + rng.next() % 8 {
                    let i = (rng.next() as usize) % b.len();
                    b[i] = match rng.next() % 4 {
                        0 => b'\n',
                        1 => b'=',
                        2 => b'-',
                        _ => rng.next() as u8,
                    };
                }
                inputs.push(b);
            }
        }
        for _ in 0..1000 {
            let len = (rng.next() % 2000) as usize;
            let mut b = b"Subject: x\nContent-Type: multipart/mixed; boundary=\"-\"\n\n".to_vec();
            b.extend((0..len).map(|_| rng.next() as u8));
            inputs.push(b);
        }
        assert_eq!(inputs.len(), 8051);
        let parser = MessageParser::default();
        for input in &inputs {
            let _ = parser.parse(input.as_slice());
            let _ = parse(input);
            let _ = read_bytes(input, "fuzz", None);
        }
    }
}
