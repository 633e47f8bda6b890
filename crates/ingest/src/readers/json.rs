//! JSON arrays of objects (streamed element by element, never loaded whole), JSON Lines, and a
//! single JSON document whose largest array of objects holds the records
//! (`{"articles": [...]}`). Nesting depth is bounded by serde_json's recursion limit, and the
//! scanner that splits an array is iterative, so deeply nested input cannot overflow the stack.

use std::io::BufRead;

use encoding_rs::Encoding;
use serde_json::Value;

use super::{human_bytes, read_line_capped, FileCtx, Flow, Line, ReadError, ReadOptions, Sink};
use crate::encoding::{decode_record, FileEncoding};
use crate::mapping::map_json_object;
use crate::record::{RecordPos, Severity};

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

/// Emits one parsed JSON value as a record, or a diagnostic when it is not an object.
fn emit(
    value: Value,
    pos: RecordPos,
    ctx: &FileCtx,
    opts: &ReadOptions,
    sink: &mut dyn Sink,
) -> Flow {
    match value {
        Value::Object(obj) => {
            let mut rec = map_json_object(obj, &opts.map);
            rec.folder = ctx.folder.clone();
            sink.record(rec, ctx.at(pos))
        }
        other => sink.diagnostic(ctx.diag(
            Severity::Error,
            "not-an-object",
            pos,
            format!("expected an object with fields, found {}", kind(&other)),
        )),
    }
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
            match parse_bytes(buf, pos.clone(), ctx, sink) {
                Some(v) => emit(v, pos, ctx, opts, sink),
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
    loop {
        let line = read_line_capped(input, &mut buf, opts.max_record_bytes)?;
        line_no += 1;
        let pos = RecordPos::Line(line_no);
        match line {
            Line::Eof => return Ok(()),
            Line::TooLong(n) => {
                if sink.diagnostic(ctx.diag(
                    Severity::Error,
                    "too-large",
                    pos,
                    format!(
                        "the line is {} long, over the limit of {}; skipped",
                        human_bytes(n as u64),
                        human_bytes(opts.max_record_bytes as u64)
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
                // The first line of a pretty-printed single document does not parse alone.
                if line_no == 1 {
                    let (text, _) = decode_record(&buf, fallback_of(ctx));
                    if let Err(e) = serde_json::from_str::<Value>(&text) {
                        if e.is_eof() {
                            return read_document(buf, input, ctx, opts, sink);
                        }
                    }
                }
                if let Some(v) = parse_bytes(&buf, pos.clone(), ctx, sink) {
                    if emit(v, pos, ctx, opts, sink) == Flow::Stop {
                        return Ok(());
                    }
                }
            }
        }
    }
}

/// A whole JSON document: the records are its largest array of objects, or the document itself.
fn read_document(
    mut head: Vec<u8>,
    input: &mut dyn BufRead,
    ctx: &FileCtx,
    opts: &ReadOptions,
    sink: &mut dyn Sink,
) -> Result<(), ReadError> {
    head.push(b'\n');
    let limit = opts.max_record_bytes.saturating_mul(4) as u64;
    // Read straight into `head`: a second buffer would double the peak for a large document.
    std::io::Read::read_to_end(&mut std::io::Read::take(&mut *input, limit), &mut head)?;
    if head.len() as u64 >= limit {
        return Err(ReadError::Invalid(format!(
            "a single JSON document over {} cannot be read; write one record per line (JSON Lines) or a top-level array",
            human_bytes(limit)
        )));
    }
    let Some(v) = parse_bytes(&head, RecordPos::File, ctx, sink) else {
        return Ok(());
    };
    match v {
        Value::Object(mut obj) => {
            let best = obj
                .iter()
                .filter_map(|(k, v)| match v {
                    Value::Array(a) if a.iter().any(Value::is_object) => Some((k.clone(), a.len())),
                    _ => None,
                })
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)));
            match best {
                Some((key, _)) => {
                    // Taken out of the document, not copied: it may be most of 256 MB.
                    let Some(Value::Array(items)) = obj.remove(&key) else {
                        return Ok(());
                    };
                    for (i, item) in items.into_iter().enumerate() {
                        if emit(item, RecordPos::Index(i as u64 + 1), ctx, opts, sink) == Flow::Stop
                        {
                            return Ok(());
                        }
                    }
                }
                None => {
                    emit(Value::Object(obj), RecordPos::File, ctx, opts, sink);
                }
            }
        }
        other => {
            emit(other, RecordPos::File, ctx, opts, sink);
        }
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
