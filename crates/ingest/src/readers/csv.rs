//! CSV and TSV with a header row (or `--no-header` and numbered columns): the delimiter is
//! sniffed from the first line, common column names are mapped automatically, ragged rows and
//! broken quoting become diagnostics that name the line.

use std::cell::Cell;
use std::io::{self, BufRead, Read};
use std::rc::Rc;

use encoding_rs::Encoding;

use super::{FileCtx, Flow, ReadError, ReadOptions, Sink};
use crate::encoding::FileEncoding;
use crate::mapping::ColumnMap;
use crate::record::{RecordPos, Severity};

/// Picks the delimiter that occurs most often (outside quotes) in the first line.
pub fn sniff_delimiter(sample: &[u8], file_name: &str) -> u8 {
    let lower = file_name.to_ascii_lowercase();
    if lower.ends_with(".tsv") || lower.ends_with(".tab") || lower.ends_with(".tsv.gz") {
        return b'\t';
    }
    let line_end = memchr::memchr(b'\n', sample).unwrap_or(sample.len());
    let line = &sample[..line_end];
    let mut counts = [(b',', 0usize), (b'\t', 0), (b';', 0), (b'|', 0)];
    let mut in_quotes = false;
    for b in line {
        if *b == b'"' {
            in_quotes = !in_quotes;
        } else if !in_quotes {
            for c in counts.iter_mut() {
                if c.0 == *b {
                    c.1 += 1;
                }
            }
        }
    }
    // Ties go to the comma (first in the list).
    let best = counts
        .iter()
        .fold((b',', 0usize), |acc, c| if c.1 > acc.1 { *c } else { acc });
    best.0
}

fn fallback_of(ctx: &FileCtx) -> &'static Encoding {
    match ctx.encoding {
        FileEncoding::Utf8 { fallback, .. } => fallback,
        FileEncoding::Other { .. } => encoding_rs::WINDOWS_1252,
    }
}

/// How far past the record size limit the parser may read before it is stopped: the csv crate
/// reads ahead in blocks of a few KB.
const SLACK: u64 = 64 * 1024;

/// The input as the CSV parser sees it, cut off once one record runs longer than the limit. The
/// csv crate holds a whole record in memory, so a quote that is never closed early in a large
/// file would otherwise pull the rest of the file into one field.
struct RecordCap<'a> {
    inner: &'a mut dyn BufRead,
    read: u64,
    /// The stream offset past which reading fails: the current record's start plus the limit.
    until: Rc<Cell<u64>>,
    limit: usize,
}

impl Read for RecordCap<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.read > self.until.get() {
            return Err(io::Error::other(format!(
                "a row runs on for more than the limit of {} (a quote that is never closed?); the rest of the file was not read",
                super::human_bytes(self.limit as u64)
            )));
        }
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

/// Reads CSV records from `input` (UTF-8, or transcoded to it) into `sink`.
pub fn read(
    input: &mut dyn BufRead,
    ctx: &FileCtx,
    opts: &ReadOptions,
    sink: &mut dyn Sink,
) -> Result<(), ReadError> {
    let delimiter = match opts.delimiter {
        Some(d) => d,
        None => {
            let sample = input.fill_buf()?;
            sniff_delimiter(sample, &ctx.file_name)
        }
    };
    let until = Rc::new(Cell::new(opts.max_record_bytes as u64 + SLACK));
    let capped = RecordCap {
        inner: input,
        read: 0,
        until: until.clone(),
        limit: opts.max_record_bytes,
    };
    let mut rdr = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(capped);
    let fallback = fallback_of(ctx);
    let mut rec = ::csv::ByteRecord::new();
    let mut columns: Option<ColumnMap> = None;
    let mut header_len = 0usize;
    loop {
        let line = rdr.position().line();
        until.set(rdr.position().byte() + opts.max_record_bytes as u64 + SLACK);
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(line);
                let flow = sink.diagnostic(ctx.diag(
                    Severity::Error,
                    "bad-csv",
                    RecordPos::Line(line),
                    format!("unreadable CSV row: {e}"),
                ));
                if flow == Flow::Stop || matches!(e.kind(), ::csv::ErrorKind::Io(_)) {
                    return Ok(());
                }
                continue;
            }
        }
        let line = rec.position().map(|p| p.line()).unwrap_or(line);
        let bytes: usize = rec.as_slice().len();
        if bytes > opts.max_record_bytes {
            sink.diagnostic(ctx.diag(
                Severity::Error,
                "too-large",
                RecordPos::Line(line),
                format!(
                    "the row is {} long, over the limit of {}; skipped",
                    super::human_bytes(bytes as u64),
                    super::human_bytes(opts.max_record_bytes as u64)
                ),
            ));
            continue;
        }
        // Decode the row: UTF-8, or the fallback for a row that is not.
        let mut note = None;
        let cells: Vec<String> = match std::str::from_utf8(rec.as_slice()) {
            Ok(_) => rec
                .iter()
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect(),
            Err(_) => rec
                .iter()
                .map(|c| {
                    let (s, n) = crate::encoding::decode_record(c, fallback);
                    if note.is_none() {
                        note = n;
                    }
                    s.into_owned()
                })
                .collect(),
        };
        if columns.is_none() {
            let header: Vec<String> = if opts.no_header {
                (1..=cells.len()).map(|i| format!("column_{i}")).collect()
            } else {
                cells.iter().map(|c| c.trim().to_string()).collect()
            };
            header_len = header.len();
            match ColumnMap::resolve(&header, &opts.map) {
                Ok(cm) => {
                    if opts.no_header && opts.map.0.is_empty() {
                        return Err(ReadError::Invalid(
                            "a CSV without a header needs --map, e.g. --map body=3 --map date=1"
                                .into(),
                        ));
                    }
                    if !cm.fields.contains_key(&crate::mapping::Field::Body)
                        && !cm.fields.contains_key(&crate::mapping::Field::Title)
                    {
                        return Err(ReadError::Invalid(format!(
                            "no column looks like a title or a text (columns: {}); map one with --map body=COLUMN",
                            header.join(", ")
                        )));
                    }
                    columns = Some(cm);
                }
                Err(e) => return Err(ReadError::Invalid(e)),
            }
            if !opts.no_header {
                continue;
            }
        }
        let cm = columns.as_ref().expect("resolved above");
        if let Some(n) = note {
            if sink.diagnostic(ctx.diag(Severity::Warning, "encoding", RecordPos::Line(line), n))
                == Flow::Stop
            {
                return Ok(());
            }
        }
        if cells.len() != header_len {
            let flow = sink.diagnostic(ctx.diag(
                Severity::Warning,
                "ragged-row",
                RecordPos::Line(line),
                format!(
                    "the row has {} fields where the header has {}; read as far as they go",
                    cells.len(),
                    header_len
                ),
            ));
            if flow == Flow::Stop {
                return Ok(());
            }
        }
        let mut record = cm.record(&cells);
        record.folder = ctx.folder.clone();
        if sink.record(record, ctx.at(RecordPos::Line(line))) == Flow::Stop {
            return Ok(());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{ctx, Collect};
    use super::*;
    use crate::mapping::FieldMap;

    fn run(data: &str, opts: &ReadOptions) -> (Collect, Result<(), ReadError>) {
        let mut sink = Collect::default();
        let mut input = std::io::BufReader::new(data.as_bytes());
        let r = read(&mut input, &ctx("t.csv"), opts, &mut sink);
        (sink, r)
    }

    #[test]
    fn header_mapping_and_lines() {
        let (s, r) = run(
            "headline,date,outlet,text\n\"A, quoted\",2015-01-02,X,\"multi\nline\"\nB,2016-02-03,Y,plain\n",
            &ReadOptions::default(),
        );
        r.unwrap();
        assert_eq!(s.records.len(), 2);
        assert_eq!(s.records[0].0.title.as_deref(), Some("A, quoted"));
        assert_eq!(s.records[0].0.body.as_deref(), Some("multi\nline"));
        assert_eq!(s.records[0].1.pos, RecordPos::Line(2));
        assert_eq!(s.records[1].1.pos, RecordPos::Line(4));
        assert!(s.diagnostics.is_empty());
    }

    #[test]
    fn semicolons_and_tabs_are_sniffed() {
        assert_eq!(sniff_delimiter(b"title;text;date\n", "a.csv"), b';');
        assert_eq!(sniff_delimiter(b"title\ttext\n", "a.txt"), b'\t');
        assert_eq!(sniff_delimiter(b"title,text\n", "a.tsv"), b'\t');
        assert_eq!(sniff_delimiter(b"\"a;b\",c\n", "a.csv"), b',');
    }

    #[test]
    fn ragged_rows_are_kept_with_a_warning() {
        let (s, r) = run("title,text\nA,a,extra\nB\n", &ReadOptions::default());
        r.unwrap();
        assert_eq!(s.records.len(), 2);
        assert_eq!(s.diagnostics.len(), 2);
        assert_eq!(s.diagnostics[0].code, "ragged-row");
        assert_eq!(s.diagnostics[0].locator.pos, RecordPos::Line(2));
        assert_eq!(s.records[0].0.extra.get("column_3").unwrap(), "extra");
    }

    #[test]
    fn no_header_needs_a_mapping() {
        let (_, r) = run(
            "a,b\n",
            &ReadOptions {
                no_header: true,
                ..ReadOptions::default()
            },
        );
        assert!(r.unwrap_err().to_string().contains("--map"));
        let mut map = FieldMap::default();
        let (f, sel) = FieldMap::parse_entry("body=2").unwrap();
        map.0.insert(f, sel);
        let (s, r) = run(
            "x,first\ny,second\n",
            &ReadOptions {
                no_header: true,
                map,
                ..ReadOptions::default()
            },
        );
        r.unwrap();
        assert_eq!(s.records.len(), 2);
        assert_eq!(s.records[1].0.body.as_deref(), Some("second"));
        assert_eq!(s.records[0].1.pos, RecordPos::Line(1));
    }

    #[test]
    fn unmappable_header_is_a_file_error() {
        let (_, r) = run("a,b\n1,2\n", &ReadOptions::default());
        assert!(r.unwrap_err().to_string().contains("no column looks like"));
    }

    #[test]
    fn a_non_utf8_row_is_decoded_with_a_diagnostic() {
        let mut sink = Collect::default();
        let data: &[u8] = b"title,text\nCaf\xE9,ok\nPlain,row\n";
        let mut input = std::io::BufReader::new(data);
        read(
            &mut input,
            &ctx("t.csv"),
            &ReadOptions::default(),
            &mut sink,
        )
        .unwrap();
        assert_eq!(sink.records[0].0.title.as_deref(), Some("Café"));
        assert_eq!(sink.diagnostics[0].code, "encoding");
        assert_eq!(sink.diagnostics[0].locator.pos, RecordPos::Line(2));
    }

    /// An unbalanced quote early in a large file: the csv crate would buffer the rest of the file
    /// as one field; the reader stops at the record limit instead, keeping what came before.
    #[test]
    fn an_unclosed_quote_stops_at_the_record_limit() {
        let mut data = String::from("title,text\nA,fine\nB,\"never closed\n");
        for i in 0..100_000 {
            data.push_str(&format!("C{i},row {i}\n"));
        }
        let (s, r) = run(
            &data,
            &ReadOptions {
                max_record_bytes: 1000,
                ..ReadOptions::default()
            },
        );
        r.unwrap();
        assert_eq!(s.records.len(), 1);
        assert_eq!(s.diagnostics.len(), 1, "{:?}", s.diagnostics);
        let d = &s.diagnostics[0];
        assert_eq!(d.code, "bad-csv");
        assert_eq!(d.locator.pos, RecordPos::Line(3));
        assert!(d.message.contains("never closed"), "{}", d.message);
    }
}
