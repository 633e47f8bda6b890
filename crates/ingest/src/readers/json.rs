//! JSON arrays of objects (streamed element by element, never loaded whole), JSON Lines, and
//! JSON documents that wrap their records (`{"articles": [...]}`, `{"response": {"docs": [...]}}`)
//! however they are laid out — on one line, pretty-printed, one per line, or as elements of an
//! array. Nesting depth is bounded by serde_json's recursion limit, and the scanner that splits
//! an array is iterative, so deeply nested input cannot overflow the stack.

use std::io::BufRead;

use encoding_rs::Encoding;
use serde_json::Value;

use super::{human_bytes, read_line_capped, FileCtx, Flow, Line, ReadError, ReadOptions, Sink};
use crate::encoding::{decode_record, FileEncoding};
use crate::mapping::{article_evidence, map_json_object, normalize_key, Field, FieldMap};
use crate::record::{Diagnostic, RecordPos, Severity};

fn fallback_of(ctx: &FileCtx) -> &'static Encoding {
    match ctx.encoding {
        FileEncoding::Utf8 { fallback, .. } => fallback,
        FileEncoding::Other { .. } => encoding_rs::WINDOWS_1252,
    }
}

/// Reads a JSON array, JSON Lines or one JSON document from `input`.
pub fn read(
    input: &mut dyn BufRead,
    ctx: &FileCtx,
    opts: &ReadOptions,
    sink: &mut dyn Sink,
) -> Result<(), ReadError> {
    // Find the first significant byte without consuming it.
    let first = loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            sink.diagnostic(ctx.diag(
                Severity::Error,
                "empty",
                RecordPos::File,
                "the file has no JSON in it",
            ));
            return Ok(());
        }
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                let b = buf[i];
                input.consume(i);
                break b;
            }
            None => {
                let n = buf.len();
                input.consume(n);
            }
        }
    };
    if first == b'[' {
        input.consume(1);
        read_array(input, ctx, opts, sink)
    } else {
        read_lines(input, ctx, opts, sink)
    }
}

/// Whether a JSON value is the whole file, or one record among others (a line of JSON Lines,
/// an element of an array).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// The file's one document, of this many bytes: read whole up to the document limit, but
    /// a record in it still has the record limit.
    WholeFile(usize),
    OneOfMany,
}

/// Emits what one parsed JSON value holds: itself as a record, the records it wraps (at
/// `item(k)`, 1-based), or a diagnostic saying why it holds none.
fn emit(
    value: Value,
    scope: Scope,
    pos: RecordPos,
    item: &dyn Fn(u64) -> RecordPos,
    ctx: &FileCtx,
    opts: &ReadOptions,
    sink: &mut dyn Sink,
) -> Flow {
    let over_limit = |n: usize| n > opts.max_record_bytes;
    let large_document = matches!(scope, Scope::WholeFile(n) if over_limit(n));
    match records_of(value, scope, opts.records.as_deref(), &opts.map) {
        Ok(Holds::Record(_)) if large_document => {
            let Scope::WholeFile(n) = scope else {
                return Flow::Continue;
            };
            sink.diagnostic(too_large(ctx, pos, n, opts))
        }
        Ok(Holds::Record(obj)) => record(obj, pos, ctx, opts, sink),
        Ok(Holds::Records { path, items }) => {
            if !path.is_empty()
                && sink.diagnostic(ctx.diag(
                    Severity::Info,
                    "records-path",
                    pos,
                    format!("the records are the {} elements of `{path}`", items.len()),
                )) == Flow::Stop
            {
                return Flow::Stop;
            }
            for (i, v) in items.into_iter().enumerate() {
                let at = item(i as u64 + 1);
                // Measured only in a document over the record limit: a record inside it may be.
                let size = if large_document {
                    serde_json::to_vec(&v).map_or(0, |b| b.len())
                } else {
                    0
                };
                let flow = match v {
                    _ if over_limit(size) => sink.diagnostic(too_large(ctx, at, size, opts)),
                    Value::Object(obj) => record(obj, at, ctx, opts, sink),
                    other => not_an_object(&other, at, ctx, sink),
                };
                if flow == Flow::Stop {
                    return Flow::Stop;
                }
            }
            Flow::Continue
        }
        Err(NoRecords::NotAnObject(v)) => not_an_object(&v, pos, ctx, sink),
        Err(NoRecords::Missing(why)) => {
            sink.diagnostic(ctx.diag(Severity::Error, "no-records", pos, why))
        }
    }
}

fn record(
    obj: serde_json::Map<String, Value>,
    pos: RecordPos,
    ctx: &FileCtx,
    opts: &ReadOptions,
    sink: &mut dyn Sink,
) -> Flow {
    let mut rec = map_json_object(obj, &opts.map);
    rec.folder = ctx.folder.clone();
    sink.record(rec, ctx.at(pos))
}

fn not_an_object(v: &Value, pos: RecordPos, ctx: &FileCtx, sink: &mut dyn Sink) -> Flow {
    sink.diagnostic(ctx.diag(
        Severity::Error,
        "not-an-object",
        pos,
        format!("expected an object with fields, found {}", kind(v)),
    ))
}

/// The first record of a JSON document as the reader finds it, and where: `Some(path)` when
/// the document wraps its records (`""` for a top-level array, `response.docs` …), `None` when
/// the document is itself a record. `None` overall when it holds no record object. The import
/// preview names the columns and the wrapper from this, so it shows what the import reads.
pub fn first_record(
    value: Value,
    records: Option<&str>,
    map: &FieldMap,
) -> Option<(serde_json::Map<String, Value>, Option<String>)> {
    match records_of(value, Scope::WholeFile(0), records, map).ok()? {
        Holds::Record(obj) => Some((obj, None)),
        Holds::Records { path, items } => items.into_iter().find_map(|v| match v {
            Value::Object(o) => Some((o, Some(path.clone()))),
            _ => None,
        }),
    }
}

/// What a JSON document holds.
#[derive(Debug)]
enum Holds {
    /// The document is one record.
    Record(serde_json::Map<String, Value>),
    /// The document wraps records: the elements of the array at `path` (empty: the document
    /// is itself an array).
    Records { path: String, items: Vec<Value> },
}

#[derive(Debug)]
enum NoRecords {
    NotAnObject(Value),
    /// Why no records were found, naming the arrays there are.
    Missing(String),
}

/// An array of objects inside a document, and how much its elements look like articles.
#[derive(Debug)]
struct Candidate {
    path: String,
    len: usize,
    /// Of the elements looked at: how many have a title, how many a text, the texts' bytes.
    titled: usize,
    with_text: usize,
    text_bytes: usize,
}

impl Candidate {
    fn article_like(&self) -> usize {
        self.titled.max(self.with_text)
    }
}

/// How many elements of an array are looked at to judge it.
const JUDGED_ELEMENTS: usize = 200;
/// How deep inside a document arrays of records are looked for.
const MAX_RECORDS_DEPTH: usize = 6;

/// Decides what a JSON value holds.
///
/// - `records` (from `--records` or a recipe) names the array (`response.docs`), or `.` for
///   the document itself.
/// - A JSON Feed (`"version": "https://jsonfeed.org/…"`) holds its `items`.
/// - A document with a text of its own (a body, content, description … field) is a record,
///   unless an array in it holds titled records whose texts outweigh its own (a reader's
///   export: a feed's description beside its items). A related-links list or the
///   paragraphs of the article itself never make it a wrapper.
/// - A document without a text of its own wraps the array of objects that looks most like
///   articles (most elements with a title or a text, then the longest); if no array does,
///   it is a record when it has a title or is one record among many (a line of JSON Lines:
///   the normalizer then says what it lacks); a whole file that holds nothing is an error
///   that names the arrays it has.
fn records_of(
    value: Value,
    scope: Scope,
    records: Option<&str>,
    map: &FieldMap,
) -> Result<Holds, NoRecords> {
    let obj = match value {
        Value::Object(o) => o,
        Value::Array(items) if records.is_none() => {
            return Ok(Holds::Records {
                path: String::new(),
                items,
            })
        }
        other => return Err(NoRecords::NotAnObject(other)),
    };
    if let Some(path) = records.map(str::trim) {
        return explicit_records(obj, path);
    }
    if obj
        .get("version")
        .and_then(Value::as_str)
        .is_some_and(|v| v.contains("jsonfeed.org"))
    {
        if let Some(Value::Array(_)) = obj.get("items") {
            return explicit_records(obj, "items");
        }
    }
    let (has_title, text_bytes) = article_evidence(&obj, map);
    let best = candidates(&obj, map)
        .into_iter()
        .filter(|c| c.article_like() > 0)
        .max_by(|a, b| {
            (a.article_like(), a.with_text, a.len)
                .cmp(&(b.article_like(), b.with_text, b.len))
                .then(b.path.cmp(&a.path))
        });
    let wraps = match &best {
        None => false,
        Some(_) if text_bytes == 0 => true,
        Some(c) => c.titled * 2 > c.len.min(JUDGED_ELEMENTS) && c.text_bytes > text_bytes,
    };
    match best {
        Some(c) if wraps => take_array(obj, &c.path),
        _ if has_title || text_bytes > 0 || scope == Scope::OneOfMany => Ok(Holds::Record(obj)),
        _ => Err(NoRecords::Missing(no_records_message(&obj, None))),
    }
}

/// The records at an explicit path.
fn explicit_records(obj: serde_json::Map<String, Value>, path: &str) -> Result<Holds, NoRecords> {
    if path == "." || path.is_empty() {
        return Ok(Holds::Record(obj));
    }
    match lookup(&obj, path) {
        Some(Value::Array(_)) => take_array(obj, path),
        Some(other) => Err(NoRecords::Missing(format!(
            "`{path}` is {}, not a list of records; {}",
            kind(other),
            arrays_seen(&obj)
        ))),
        None => Err(NoRecords::Missing(no_records_message(&obj, Some(path)))),
    }
}

fn lookup<'a>(obj: &'a serde_json::Map<String, Value>, path: &str) -> Option<&'a Value> {
    let mut parts = path.split('.');
    let mut cur = obj.get(parts.next()?)?;
    for p in parts {
        cur = cur.as_object()?.get(p)?;
    }
    Some(cur)
}

/// Takes the array at `path` out of the document (not copied: it may be most of the file).
fn take_array(mut obj: serde_json::Map<String, Value>, path: &str) -> Result<Holds, NoRecords> {
    let mut parts: Vec<&str> = path.split('.').collect();
    let last = parts.pop().unwrap_or_default();
    let mut cur = &mut obj;
    for p in parts {
        match cur.get_mut(p) {
            Some(Value::Object(o)) => cur = o,
            _ => {
                return Err(NoRecords::Missing(format!(
                    "`{path}` is not in the document"
                )))
            }
        }
    }
    match cur.remove(last) {
        Some(Value::Array(items)) => Ok(Holds::Records {
            path: path.to_string(),
            items,
        }),
        _ => Err(NoRecords::Missing(format!("`{path}` is not a list"))),
    }
}

/// Whether a top-level key is one the mapping reads as an article field (its arrays are the
/// record's own lists: paragraphs, authors, rich text).
fn is_field_key(key: &str, map: &FieldMap) -> bool {
    let n = normalize_key(key);
    map.0.values().any(|s| s.to_string() == key)
        || Field::ALL
            .iter()
            .any(|f| map.get(*f).is_none() && f.synonyms().contains(&n.as_str()))
}

/// Every array of objects in the document (not inside other arrays), with how much its
/// elements look like articles.
fn candidates(obj: &serde_json::Map<String, Value>, map: &FieldMap) -> Vec<Candidate> {
    let mut out = Vec::new();
    let mut stack: Vec<(String, &serde_json::Map<String, Value>, usize)> =
        vec![(String::new(), obj, 0)];
    while let Some((prefix, o, depth)) = stack.pop() {
        for (k, v) in o {
            if depth == 0 && is_field_key(k, map) {
                continue;
            }
            let path = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            match v {
                Value::Object(inner) if depth + 1 < MAX_RECORDS_DEPTH => {
                    stack.push((path, inner, depth + 1))
                }
                Value::Array(items) if items.iter().any(Value::is_object) => {
                    out.push(judge(path, items, map))
                }
                _ => {}
            }
        }
    }
    out
}

fn judge(path: String, items: &[Value], map: &FieldMap) -> Candidate {
    let mut c = Candidate {
        path,
        len: items.len(),
        titled: 0,
        with_text: 0,
        text_bytes: 0,
    };
    for o in items
        .iter()
        .take(JUDGED_ELEMENTS)
        .filter_map(Value::as_object)
    {
        let (title, text) = article_evidence(o, map);
        c.titled += usize::from(title);
        c.with_text += usize::from(text > 0);
        c.text_bytes += text;
    }
    c
}

/// Names the arrays a document has, for an error that says where the records might be.
fn arrays_seen(obj: &serde_json::Map<String, Value>) -> String {
    let mut found: Vec<String> = Vec::new();
    let mut stack = vec![(String::new(), obj, 0usize)];
    while let Some((prefix, o, depth)) = stack.pop() {
        for (k, v) in o {
            let path = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            match v {
                Value::Object(inner) if depth + 1 < MAX_RECORDS_DEPTH => {
                    stack.push((path, inner, depth + 1))
                }
                Value::Array(items) => {
                    let keys: Vec<&str> = items
                        .iter()
                        .find_map(Value::as_object)
                        .map(|o| o.keys().take(6).map(String::as_str).collect())
                        .unwrap_or_default();
                    let what = if keys.is_empty() {
                        format!("{} values", items.len())
                    } else {
                        format!("{} objects with {}", items.len(), keys.join(", "))
                    };
                    found.push(format!("`{path}` ({what})"));
                }
                _ => {}
            }
        }
    }
    found.sort();
    if found.is_empty() {
        "the document has no lists".into()
    } else {
        format!("its lists are {}", found.join("; "))
    }
}

fn no_records_message(obj: &serde_json::Map<String, Value>, asked: Option<&str>) -> String {
    let keys: Vec<&str> = obj.keys().take(12).map(String::as_str).collect();
    let head = match asked {
        Some(p) => format!("there is no `{p}` in this JSON document"),
        None => "no records found: this JSON object has no title or text field, and none of its lists holds objects that do".into(),
    };
    format!(
        "{head} (its keys: {}); {}. Name the list with --records PATH (a recipe's `records`) and the fields with --map",
        keys.join(", "),
        arrays_seen(obj)
    )
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Decodes and parses one record's bytes, reporting problems at `pos`.
fn parse_bytes(bytes: &[u8], pos: RecordPos, ctx: &FileCtx, sink: &mut dyn Sink) -> Option<Value> {
    let (text, note) = decode_record(bytes, fallback_of(ctx));
    if let Some(n) = note {
        sink.diagnostic(ctx.diag(Severity::Warning, "encoding", pos.clone(), n));
    }
    match serde_json::from_str::<Value>(&text) {
        Ok(v) => Some(v),
        Err(e) => {
            sink.diagnostic(ctx.diag(
                Severity::Error,
                "bad-json",
                pos,
                format!("invalid JSON: {e}"),
            ));
            None
        }
    }
}

fn read_array(
    input: &mut dyn BufRead,
    ctx: &FileCtx,
    opts: &ReadOptions,
    sink: &mut dyn Sink,
) -> Result<(), ReadError> {
    let mut buf: Vec<u8> = Vec::with_capacity(16 * 1024);
    let mut depth: usize = 0;
    let mut in_string = false;
    let mut escape = false;
    let mut index: u64 = 0;
    let mut oversize: usize = 0; // bytes of an element being skipped for size
    let mut closed = false;
    // Element boundaries: `finish` is called with the element's bytes.
    let mut finish = |buf: &mut Vec<u8>, oversize: &mut usize, index: &mut u64| -> Flow {
        if buf.is_empty() && *oversize == 0 {
            return Flow::Continue;
        }
        *index += 1;
        let pos = RecordPos::Index(*index);
        let flow = if *oversize > 0 {
            sink.diagnostic(ctx.diag(
                Severity::Error,
                "too-large",
                pos,
                format!(
                    "the record is {} long, over the limit of {}; skipped",
                    human_bytes(*oversize as u64),
                    human_bytes(opts.max_record_bytes as u64)
                ),
            ))
        } else {
            let i = *index;
            match parse_bytes(buf, pos.clone(), ctx, sink) {
                Some(v) => emit(
                    v,
                    Scope::OneOfMany,
                    pos,
                    &|k| RecordPos::IndexItem(i, k),
                    ctx,
                    opts,
                    sink,
                ),
                None => Flow::Continue,
            }
        };
        buf.clear();
        *oversize = 0;
        flow
    };
    'read: loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        let len = chunk.len();
        let mut i = 0;
        while i < len {
            let b = chunk[i];
            i += 1;
            if in_string {
                if escape {
                    escape = false;
                } else if b == b'\\' {
                    escape = true;
                } else if b == b'"' {
                    in_string = false;
                }
            } else {
                match b {
                    b'"' => in_string = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' if depth > 0 => depth -= 1,
                    b']' => {
                        // The end of the top-level array.
                        let flow = finish(&mut buf, &mut oversize, &mut index);
                        input.consume(i);
                        closed = true;
                        if flow == Flow::Stop {
                            return Ok(());
                        }
                        break 'read;
                    }
                    b',' if depth == 0 => {
                        if finish(&mut buf, &mut oversize, &mut index) == Flow::Stop {
                            input.consume(i);
                            return Ok(());
                        }
                        continue;
                    }
                    b if depth == 0 && b.is_ascii_whitespace() && buf.is_empty() => continue,
                    _ => {}
                }
            }
            if oversize > 0 {
                oversize += 1;
            } else if buf.len() >= opts.max_record_bytes {
                oversize = buf.len() + 1;
                buf = Vec::new();
            } else {
                buf.push(b);
            }
        }
        input.consume(len);
    }
    if !closed {
        let flow = finish(&mut buf, &mut oversize, &mut index);
        if flow == Flow::Continue {
            sink.diagnostic(ctx.diag(
                Severity::Error,
                "truncated",
                RecordPos::Index(index + 1),
                "the JSON array is not closed: the file ends early (records before this point were read)",
            ));
        }
        return Ok(());
    }
    // Anything but whitespace after the array is worth a note.
    let mut trailing = false;
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        if chunk.iter().any(|b| !b.is_ascii_whitespace()) {
            trailing = true;
        }
        let n = chunk.len();
        input.consume(n);
    }
    if trailing {
        sink.diagnostic(ctx.diag(
            Severity::Warning,
            "trailing-data",
            RecordPos::File,
            "text after the end of the JSON array was ignored",
        ));
    }
    Ok(())
}

fn read_lines(
    input: &mut dyn BufRead,
    ctx: &FileCtx,
    opts: &ReadOptions,
    sink: &mut dyn Sink,
) -> Result<(), ReadError> {
    let mut buf = Vec::new();
    let mut line_no: u64 = 0;
    let mut first = true;
    loop {
        // The first line may be a whole document written on one line: it gets the limit of a
        // document, the others that of a record.
        let cap = if first {
            document_limit(opts) as usize
        } else {
            opts.max_record_bytes
        };
        let line = read_line_capped(input, &mut buf, cap)?;
        line_no += 1;
        let pos = RecordPos::Line(line_no);
        match line {
            Line::Eof => return Ok(()),
            Line::TooLong(n) => {
                first = false;
                if sink.diagnostic(ctx.diag(
                    Severity::Error,
                    "too-large",
                    pos,
                    format!(
                        "the line is {} long, over the limit of {}; skipped",
                        human_bytes(n as u64),
                        human_bytes(cap as u64)
                    ),
                )) == Flow::Stop
                {
                    return Ok(());
                }
            }
            Line::Complete => {
                if buf.iter().all(|b| b.is_ascii_whitespace()) {
                    continue;
                }
                if std::mem::take(&mut first) {
                    if buf.len() > opts.max_record_bytes && holds_no_lists(&buf) {
                        // One flat object over the record limit holds no records to find in
                        // it: skipped without parsing (its parsed form would double the
                        // memory the line already takes).
                        let flow = sink.diagnostic(too_large(ctx, pos, buf.len(), opts));
                        if flow == Flow::Stop {
                            return Ok(());
                        }
                        continue;
                    }
                    match first_line(&buf, pos.clone(), ctx, sink) {
                        // The opening of a pretty-printed document.
                        FirstLine::Incomplete => {
                            return read_document(std::mem::take(&mut buf), input, ctx, opts, sink)
                        }
                        FirstLine::Bad => {}
                        FirstLine::Value(v) => {
                            let (blank, newlines) = rest_is_blank(input)?;
                            if blank {
                                // The whole file is this one line: a document, whose records
                                // are numbered as they are when it is pretty-printed.
                                let scope = Scope::WholeFile(buf.len());
                                emit(v, scope, pos, &RecordPos::Index, ctx, opts, sink);
                                return Ok(());
                            }
                            let flow = if buf.len() > opts.max_record_bytes {
                                sink.diagnostic(too_large(ctx, pos, buf.len(), opts))
                            } else {
                                let n = line_no;
                                let item = move |k| RecordPos::LineItem(n, k);
                                emit(v, Scope::OneOfMany, pos, &item, ctx, opts, sink)
                            };
                            if flow == Flow::Stop {
                                return Ok(());
                            }
                            line_no += newlines;
                        }
                    }
                    continue;
                }
                if let Some(v) = parse_bytes(&buf, pos.clone(), ctx, sink) {
                    let n = line_no;
                    let item = move |k| RecordPos::LineItem(n, k);
                    if emit(v, Scope::OneOfMany, pos, &item, ctx, opts, sink) == Flow::Stop {
                        return Ok(());
                    }
                }
            }
        }
    }
}

/// The largest single JSON document read whole.
fn document_limit(opts: &ReadOptions) -> u64 {
    opts.max_record_bytes.saturating_mul(4) as u64
}

/// Whether the bytes are one JSON object none of whose values is a list or an object (a flat
/// record, however long its strings): a linear scan that allocates nothing.
fn holds_no_lists(bytes: &[u8]) -> bool {
    let mut depth = 0usize;
    let (mut in_string, mut escape) = (false, false);
    for &b in bytes {
        if in_string {
            match (escape, b) {
                (true, _) => escape = false,
                (false, b'\\') => escape = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' if depth >= 1 => return false,
            b'{' => depth += 1,
            b'[' => return false,
            b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    true
}

/// The first line of a JSON file that does not start with `[`.
enum FirstLine {
    /// It stops in the middle of a value: the opening of a pretty-printed document.
    Incomplete,
    /// It is not JSON (a diagnostic was given).
    Bad,
    Value(Value),
}

fn first_line(line: &[u8], pos: RecordPos, ctx: &FileCtx, sink: &mut dyn Sink) -> FirstLine {
    let (text, note) = decode_record(line, fallback_of(ctx));
    match serde_json::from_str::<Value>(&text) {
        Err(e) if e.is_eof() => FirstLine::Incomplete,
        Err(e) => {
            sink.diagnostic(ctx.diag(
                Severity::Error,
                "bad-json",
                pos,
                format!("invalid JSON: {e}"),
            ));
            FirstLine::Bad
        }
        Ok(v) => {
            if let Some(n) = note {
                sink.diagnostic(ctx.diag(Severity::Warning, "encoding", pos, n));
            }
            FirstLine::Value(v)
        }
    }
}

fn too_large(ctx: &FileCtx, pos: RecordPos, n: usize, opts: &ReadOptions) -> Diagnostic {
    ctx.diag(
        Severity::Error,
        "too-large",
        pos,
        format!(
            "the record is {} long, over the limit of {}; skipped",
            human_bytes(n as u64),
            human_bytes(opts.max_record_bytes as u64)
        ),
    )
}

/// Consumes whitespace up to the next significant byte; says whether the input ended first,
/// and how many line ends were consumed.
fn rest_is_blank(input: &mut dyn BufRead) -> Result<(bool, u64), ReadError> {
    let mut newlines = 0u64;
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            return Ok((true, newlines));
        }
        let ws = chunk
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(chunk.len());
        newlines += chunk[..ws].iter().filter(|b| **b == b'\n').count() as u64;
        let done = ws < chunk.len();
        input.consume(ws);
        if done {
            return Ok((false, newlines));
        }
    }
}

/// A whole JSON document: the records it holds (see [`records_of`]).
fn read_document(
    mut head: Vec<u8>,
    input: &mut dyn BufRead,
    ctx: &FileCtx,
    opts: &ReadOptions,
    sink: &mut dyn Sink,
) -> Result<(), ReadError> {
    head.push(b'\n');
    let limit = document_limit(opts);
    // Read straight into `head`: a second buffer would double the peak for a large document.
    std::io::Read::read_to_end(&mut std::io::Read::take(&mut *input, limit), &mut head)?;
    if head.len() as u64 >= limit {
        return Err(ReadError::Invalid(format!(
            "a single JSON document over {} cannot be read; write one record per line (JSON Lines) or a top-level array",
            human_bytes(limit)
        )));
    }
    if let Some(v) = parse_bytes(&head, RecordPos::File, ctx, sink) {
        emit(
            v,
            Scope::WholeFile(head.len()),
            RecordPos::File,
            &RecordPos::Index,
            ctx,
            opts,
            sink,
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{ctx, Collect};
    use super::*;

    fn run_opts(data: &[u8], opts: ReadOptions) -> Collect {
        let mut sink = Collect::default();
        let mut input = std::io::BufReader::with_capacity(7, data);
        read(&mut input, &ctx("t.json"), &opts, &mut sink).unwrap();
        sink
    }
    fn run(data: &[u8]) -> Collect {
        run_opts(data, ReadOptions::default())
    }

    #[test]
    fn arrays_stream_across_buffer_boundaries() {
        let s = run(b" [ {\"title\": \"a ] , [ {\\\"\", \"text\": \"x\"},\r\n {\"title\": \"b\", \"nested\": {\"k\": [1, 2]}} ] \n");
        assert_eq!(s.records.len(), 2, "{:?}", s.diagnostics);
        assert_eq!(s.records[0].0.title.as_deref(), Some("a ] , [ {\""));
        assert_eq!(s.records[1].1.pos, RecordPos::Index(2));
        assert!(s.diagnostics.is_empty());
    }

    #[test]
    fn bad_elements_are_diagnostics_not_aborts() {
        let s = run(b"[{\"title\": \"a\"}, 42, {\"title\": }, {\"title\": \"d\"}]");
        assert_eq!(s.records.len(), 2);
        let codes: Vec<_> = s
            .diagnostics
            .iter()
            .map(|d| (d.code, d.locator.pos.clone()))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("not-an-object", RecordPos::Index(2)),
                ("bad-json", RecordPos::Index(3))
            ]
        );
    }

    #[test]
    fn truncated_array_keeps_what_came_before() {
        let s = run(b"[{\"title\": \"a\"}, {\"title\": \"b\"");
        assert_eq!(s.records.len(), 1);
        assert!(s
            .diagnostics
            .iter()
            .any(|d| d.code == "bad-json" || d.code == "truncated"));
    }

    #[test]
    fn json_lines_with_a_bad_line_and_no_final_newline() {
        let s = run(b"{\"title\": \"a\"}\r\n\n{oops}\n{\"title\": \"c\"}");
        assert_eq!(s.records.len(), 2);
        assert_eq!(s.records[1].1.pos, RecordPos::Line(4));
        assert_eq!(s.diagnostics[0].locator.pos, RecordPos::Line(3));
    }

    #[test]
    fn pretty_printed_document_with_an_articles_array() {
        let s = run(b"{\n  \"status\": \"ok\",\n  \"articles\": [\n    {\"title\": \"a\"},\n    {\"title\": \"b\"}\n  ]\n}\n");
        assert_eq!(s.records.len(), 2);
        assert_eq!(s.records[1].1.pos, RecordPos::Index(2));
    }

    #[test]
    fn oversized_records_are_skipped() {
        let big = format!(
            "[{{\"title\": \"{}\"}}, {{\"title\": \"ok\"}}]",
            "x".repeat(5000)
        );
        let s = run_opts(
            big.as_bytes(),
            ReadOptions {
                max_record_bytes: 1000,
                ..ReadOptions::default()
            },
        );
        assert_eq!(s.records.len(), 1);
        assert_eq!(s.diagnostics[0].code, "too-large");
        assert_eq!(s.diagnostics[0].locator.pos, RecordPos::Index(1));
    }

    #[test]
    fn flat_objects_hold_no_lists() {
        assert!(holds_no_lists(
            br#"{"title": "a [b] {c}", "text": "x\"[y"}"#
        ));
        assert!(!holds_no_lists(br#"{"title": "a", "tags": ["x"]}"#));
        assert!(!holds_no_lists(br#"{"response": {"docs": []}}"#));
        assert!(!holds_no_lists(br#"[{"title": "a"}]"#));
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let deep = format!(
            "[{{\"title\": \"a\", \"x\": {}{}}}]",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let s = run(deep.as_bytes());
        assert_eq!(s.records.len(), 0);
        assert_eq!(s.diagnostics[0].code, "bad-json");
        assert!(
            s.diagnostics[0].message.contains("recursion"),
            "{}",
            s.diagnostics[0].message
        );
    }
}
