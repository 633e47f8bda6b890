//! CSV and TSV with a header row (or `--no-header` and numbered columns): the delimiter is
//! sniffed from the first line, common column names are mapped automatically, ragged rows and
//! broken quoting become diagnostics that name the line. Rows are framed here (a quote never
//! closed is found and reading resumes after it) and split into fields by the csv crate.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{self, BufRead, Read};
use std::rc::Rc;

use encoding_rs::Encoding;

use super::{FileCtx, Flow, ReadError, ReadOptions, Sink};
use crate::encoding::FileEncoding;
use crate::mapping::ColumnMap;
use crate::record::{Diagnostic, RecordPos, Severity};

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

/// A quoted field that holds this many lines reading as complete rows of the file — the file's
/// column count, and in each typed column (ids, numbers, dates, URLs) a value of its type — is
/// a quote that was never closed. In 29,000 news bodies of the shared corpora written as CSV
/// cells (BBC, Reuters-21578, Telegram, Fars) no line at all reads so (`QuoteStats`, measured by
/// `long_quoted_bodies_of_real_news_are_not_runaway_quotes` in the store's tests).
pub const RUNAWAY_TYPED_ROWS: u64 = 3;
/// The same for a file without typed columns, where only the column count can be compared:
/// this many lines, and nine in ten of the field's non-blank lines. Here bodies do come close
/// — a Reuters body has 46 lines with exactly one comma, which is a row of a two-column file —
/// so the bound is far above that; a runaway quote in such a file is found anyway when its field
/// closes badly, reaches the end of the file or the record limit.
pub const RUNAWAY_UNTYPED_ROWS: u64 = 200;

/// The shape of a value, for telling a row from a line of text: typed columns hold one shape.
#[derive(Clone, Copy)]
#[repr(u8)]
enum Shape {
    Empty = 1,
    Integer = 2,
    Decimal = 4,
    Date = 8,
    Url = 16,
    Text = 32,
}

fn shape(field: &[u8]) -> Shape {
    let v = field.trim_ascii();
    let v = v.strip_prefix(b"\"").unwrap_or(v);
    let v = v.strip_suffix(b"\"").unwrap_or(v).trim_ascii();
    let digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    let unsigned = v.strip_prefix(b"-").unwrap_or(v);
    let mut parts = unsigned.split(|b| *b == b'.');
    let decimal = matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(a), Some(b), None) if digits(a) && digits(b)
    );
    if v.is_empty() {
        Shape::Empty
    } else if digits(unsigned) && unsigned.len() <= 19 {
        Shape::Integer
    } else if decimal {
        Shape::Decimal
    } else if v[0].is_ascii_digit()
        && v.len() >= 6
        && v[..v.len().min(10)]
            .iter()
            .filter(|b| matches!(b, b'-' | b'/' | b'.'))
            .count()
            >= 2
        && v[..v.len().min(10)]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'/' | b'.'))
    {
        Shape::Date
    } else if [&b"http://"[..], b"https://", b"www."]
        .iter()
        .any(|p| v.len() > p.len() && v[..p.len()].eq_ignore_ascii_case(p))
    {
        Shape::Url
    } else {
        Shape::Text
    }
}

/// What the rows read so far say a row looks like: its column count and, per column, the
/// shapes seen (a bit set of `Shape`s).
#[derive(Default)]
struct RowShape {
    columns: Option<usize>,
    seen: Vec<u8>,
    learned: u64,
}

/// How a line, read on its own, compares with the file's rows.
#[derive(PartialEq)]
enum Likeness {
    No,
    /// The column count and every typed column match.
    Typed,
    /// The column count matches; the file has no typed column to compare.
    Untyped,
}

impl RowShape {
    /// Rows learned from, at most: the shapes are settled long before.
    const LEARN: u64 = 1000;

    fn learn(&mut self, fields: &[&[u8]]) {
        if self.learned >= Self::LEARN || Some(fields.len()) != self.columns {
            return;
        }
        self.learned += 1;
        self.seen.resize(fields.len(), 0);
        for (seen, f) in self.seen.iter_mut().zip(fields) {
            *seen |= shape(f) as u8;
        }
    }

    fn typed(seen: u8) -> bool {
        seen & Shape::Text as u8 == 0 && seen & !(Shape::Empty as u8) != 0
    }

    fn likeness(&self, fields: &[&[u8]]) -> Likeness {
        if Some(fields.len()) != self.columns {
            return Likeness::No;
        }
        let mut typed = false;
        for (seen, f) in self.seen.iter().zip(fields) {
            if Self::typed(*seen) {
                if *seen & shape(f) as u8 == 0 {
                    return Likeness::No;
                }
                typed = true;
            }
        }
        if typed {
            Likeness::Typed
        } else {
            Likeness::Untyped
        }
    }
}

/// Splits one line into fields as the csv crate would read it from the start of a row; `None`
/// when the line ends inside a quoted field (it would begin a row of several lines).
fn split_line(line: &[u8], delimiter: u8) -> Option<Vec<&[u8]>> {
    use Grammar::*;
    let mut fields = Vec::new();
    let (mut start, mut state) = (0, StartField);
    for (i, &b) in line.iter().enumerate() {
        state = match state {
            StartField if b == b'"' => InQuotes,
            StartField | InField | QuoteInQuotes if b == delimiter => {
                fields.push(&line[start..i]);
                start = i + 1;
                StartField
            }
            QuoteInQuotes if b == b'"' => InQuotes,
            StartField | InField | QuoteInQuotes => InField,
            InQuotes if b == b'"' => QuoteInQuotes,
            InQuotes => InQuotes,
        };
    }
    if state == InQuotes {
        return None;
    }
    fields.push(&line[start..]);
    Some(fields)
}

/// The state of the CSV grammar the csv crate reads (csv-core's, for a `"` quote, `""` escapes
/// and any of `\r`, `\n`, `\r\n` ending a row), tracked to frame rows.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Grammar {
    StartField,
    InField,
    InQuotes,
    /// A `"` met inside quotes: a closing quote, or the first of `""`.
    QuoteInQuotes,
}

/// Evidence about the lines of the quoted field a row is in, gathered while it is framed.
#[derive(Default)]
struct Continuation {
    /// Lines begun inside quotes so far, and how many were not blank.
    lines: u64,
    nonblank: u64,
    typed_rows: u64,
    untyped_rows: u64,
    /// The first line inside quotes that reads as a row: its offset in the row and its number.
    first_row: Option<(usize, u64)>,
}

/// What the framer tells the reader, in order with the rows it passes on.
enum Event {
    /// A quote never closed, its field running into lines that read as rows: the row is
    /// skipped and reading resumes at `resume`.
    Runaway { row: u64, quote: u64, resume: u64 },
    /// A quote never closed before the end of the file; the row is kept as far as it goes.
    UnclosedAtEnd { row: u64, quote: u64 },
    /// A row longer than the record limit, skipped; `quote` is the line of a quote that was
    /// open when the limit was reached.
    TooLarge {
        row: u64,
        quote: Option<u64>,
        bytes: u64,
    },
}

/// What the framer shares with the reader loop.
#[derive(Default)]
struct Shared {
    /// The first line of each row passed to the csv crate, in order.
    starts: VecDeque<u64>,
    /// Events, each with the number of rows passed before it.
    events: VecDeque<(u64, Event)>,
    passed: u64,
    stats: QuoteStats,
}

/// Figures about the quoted fields of several lines in a file, for choosing the runaway
/// bounds: how many such fields, their most lines, and the most lines inside one that read as
/// rows (typed and untyped) in the fields that were kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuoteStats {
    pub multi_line_fields: u64,
    pub most_lines: u64,
    pub most_typed_rows: u64,
    pub most_untyped_rows: u64,
    pub runaways: u64,
}

/// Cuts the input into rows before the csv crate parses them, so that a quote that is never
/// closed cannot swallow the rest of the file. It follows the csv grammar byte by byte; a
/// quoted field that runs over several lines is watched, and when its lines read as rows of
/// their own (`RUNAWAY_TYPED_ROWS`, `RUNAWAY_UNTYPED_ROWS`), when it reaches the end of the file
/// with such lines in it, or when it closes badly (a quote followed by text, or a row with the
/// wrong column count) with such lines in it, the row is dropped and the lines from the first
/// row-like one on are read again as rows. A row over the record limit is dropped without being
/// held in memory. The csv crate then splits each row passed on into fields.
struct Framer<'a> {
    inner: &'a mut dyn BufRead,
    delimiter: u8,
    limit: usize,
    /// Bytes to read again before `inner`: the lines after a runaway quote.
    again: Vec<u8>,
    again_pos: usize,
    /// The row being handed to the csv crate.
    out: Vec<u8>,
    out_pos: usize,
    /// The line the next byte is on.
    line: u64,
    shape: RowShape,
    shared: Rc<RefCell<Shared>>,
}

/// One row being framed.
struct Row {
    buf: Vec<u8>,
    start: u64,
    state: Grammar,
    /// Fields so far (delimiters met outside quotes, plus one).
    columns: usize,
    quote_line: u64,
    /// Where the current line inside quotes began in `buf`, and its number.
    line_start: Option<(usize, u64)>,
    cont: Continuation,
    bad_close: bool,
    /// Bytes of a row over the limit, which are no longer kept.
    dropped: Option<u64>,
    /// The line of the quote that was open when the row went over the limit.
    dropped_quote: Option<u64>,
    /// The line end the row ended on (none at the end of the input).
    terminator: Option<u8>,
}

/// How framing one row ended.
enum Framed {
    /// A row to pass on (its bytes are in `Framer::out`).
    Row,
    /// Nothing more.
    End,
    /// The row was dropped (an event says why); frame the next.
    Dropped,
}

impl<'a> Framer<'a> {
    fn new(
        inner: &'a mut dyn BufRead,
        delimiter: u8,
        limit: usize,
        shared: Rc<RefCell<Shared>>,
    ) -> Self {
        Framer {
            inner,
            delimiter,
            limit,
            again: Vec::new(),
            again_pos: 0,
            out: Vec::new(),
            out_pos: 0,
            line: 1,
            shape: RowShape::default(),
            shared,
        }
    }

    /// The next bytes to frame (from `again` first), without consuming them.
    fn fill(&mut self) -> io::Result<&[u8]> {
        if self.again_pos < self.again.len() {
            return Ok(&self.again[self.again_pos..]);
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        if self.again_pos < self.again.len() {
            self.again_pos += n;
        } else {
            self.inner.consume(n);
        }
    }

    fn event(&self, e: Event) {
        let mut sh = self.shared.borrow_mut();
        let passed = sh.passed;
        sh.events.push_back((passed, e));
    }

    /// Skips the line ends between rows; false at the end of the input.
    fn skip_blank_lines(&mut self) -> io::Result<bool> {
        loop {
            let chunk = self.fill()?;
            if chunk.is_empty() {
                return Ok(false);
            }
            let n = chunk
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
            let newlines = chunk[..n].iter().filter(|b| **b == b'\n').count() as u64;
            let more = n < chunk.len();
            self.consume(n);
            self.line += newlines;
            if more {
                return Ok(true);
            }
        }
    }

    /// Frames the next row into `out`.
    fn frame(&mut self) -> io::Result<Framed> {
        if !self.skip_blank_lines()? {
            return Ok(Framed::End);
        }
        let mut row = Row::empty();
        row.buf = std::mem::take(&mut self.out);
        row.buf.clear();
        row.start = self.line;
        loop {
            let (used, at_end, ended) = self.scan(&mut row)?;
            if at_end {
                return Ok(self.at_end(row));
            }
            self.consume(used);
            if let Some(verdict) = ended {
                return Ok(self.finish(row, verdict));
            }
            if let Some(framed) = self.check_size(&mut row) {
                return Ok(framed);
            }
        }
    }

    /// Runs the grammar over the next chunk of input; returns the bytes used, whether the input
    /// has ended, and, when the row ended (or ran away), how.
    fn scan(&mut self, row: &mut Row) -> io::Result<(usize, bool, Option<Verdict>)> {
        let Framer {
            inner,
            again,
            again_pos,
            line,
            shape,
            delimiter,
            ..
        } = self;
        let chunk: &[u8] = if *again_pos < again.len() {
            &again[*again_pos..]
        } else {
            inner.fill_buf()?
        };
        if chunk.is_empty() {
            return Ok((0, true, None));
        }
        let (q, d) = (b'"', *delimiter);
        // `chunk[kept..i]` is scanned but not yet copied into the row (or counted, once the
        // row is over the limit): runs of ordinary bytes are found with memchr and copied whole.
        let (mut i, mut kept) = (0, 0);
        let keep = |row: &mut Row, bytes: &[u8]| match row.dropped.as_mut() {
            None => row.buf.extend_from_slice(bytes),
            Some(n) => *n += bytes.len() as u64,
        };
        while i < chunk.len() {
            use Grammar::*;
            let skip = match row.state {
                InField => memchr::memchr3(d, b'\r', b'\n', &chunk[i..]),
                InQuotes => memchr::memchr2(q, b'\n', &chunk[i..]),
                _ => Some(0),
            };
            let Some(skip) = skip else {
                break;
            };
            i += skip;
            let b = chunk[i];
            let ends_row = matches!(b, b'\r' | b'\n');
            match row.state {
                StartField if b == q => {
                    row.state = InQuotes;
                    row.quote_line = *line;
                }
                StartField | InField | QuoteInQuotes if b == d => {
                    row.columns += 1;
                    row.state = StartField;
                }
                StartField | InField | QuoteInQuotes if ends_row => {
                    keep(row, &chunk[kept..i]);
                    if b == b'\n' {
                        *line += 1;
                    }
                    row.terminator = Some(b);
                    return Ok((i + 1, false, Some(row_ended(shape, d, row))));
                }
                QuoteInQuotes if b == q => row.state = InQuotes,
                StartField | QuoteInQuotes => {
                    if row.state == QuoteInQuotes {
                        row.bad_close = true;
                    }
                    row.state = InField;
                }
                InQuotes if b == q => row.state = QuoteInQuotes,
                InField | InQuotes => {}
            }
            i += 1;
            if b == b'\n' {
                // Inside quotes: a new line of the field begins.
                keep(row, &chunk[kept..i]);
                kept = i;
                *line += 1;
                if let Some(v) = line_inside_quotes_ended(shape, d, row) {
                    return Ok((i, false, Some(v)));
                }
                if row.dropped.is_none() {
                    row.line_start = Some((row.buf.len(), *line));
                }
            }
        }
        keep(row, &chunk[kept..]);
        Ok((chunk.len(), false, None))
    }

    /// Drops a row that has grown past the limit: a runaway when lines in it read as rows,
    /// else it is no longer kept and is skipped when it ends.
    fn check_size(&mut self, row: &mut Row) -> Option<Framed> {
        if row.dropped.is_some() || row.buf.len() <= self.limit {
            return None;
        }
        if row.cont.first_row.is_some() {
            return Some(self.finish(std::mem::replace(row, Row::empty()), Verdict::Runaway));
        }
        row.dropped = Some(row.buf.len() as u64);
        row.dropped_quote = (row.state == Grammar::InQuotes).then_some(row.quote_line);
        row.buf = Vec::new();
        row.line_start = None;
        None
    }

    /// The input ended inside a row: a quote never closed makes it a runaway when lines in
    /// its field read as rows, else it is kept with a warning.
    fn at_end(&mut self, mut row: Row) -> Framed {
        if row.dropped.is_some() || row.state != Grammar::InQuotes {
            let verdict = row_ended(&self.shape, self.delimiter, &mut row);
            return self.finish(row, verdict);
        }
        // The field's last line, ended by the end of the input.
        line_inside_quotes_ended(&self.shape, self.delimiter, &mut row);
        if row.cont.first_row.is_some() {
            return self.finish(row, Verdict::Runaway);
        }
        self.event(Event::UnclosedAtEnd {
            row: row.start,
            quote: row.quote_line,
        });
        self.pass(row, false)
    }

    fn finish(&mut self, row: Row, verdict: Verdict) -> Framed {
        if let Some(bytes) = row.dropped {
            self.event(Event::TooLarge {
                row: row.start,
                quote: row.dropped_quote,
                bytes,
            });
            return Framed::Dropped;
        }
        match (verdict, row.cont.first_row) {
            (Verdict::Runaway, Some((offset, line))) => {
                self.shared.borrow_mut().stats.runaways += 1;
                self.event(Event::Runaway {
                    row: row.start,
                    quote: row.quote_line,
                    resume: line,
                });
                let mut again = row.buf[offset..].to_vec();
                again.extend(row.terminator);
                again.extend_from_slice(&self.again[self.again_pos.min(self.again.len())..]);
                self.again = again;
                self.again_pos = 0;
                self.line = line;
                self.out = row.buf;
                Framed::Dropped
            }
            _ => self.pass(row, true),
        }
    }

    /// Hands a row to the csv crate (with a line end, unless it ends inside quotes at the end
    /// of the file) and learns its shape.
    fn pass(&mut self, row: Row, terminate: bool) -> Framed {
        if row.cont.lines > 0 {
            let mut sh = self.shared.borrow_mut();
            let st = &mut sh.stats;
            st.multi_line_fields += 1;
            st.most_lines = st.most_lines.max(row.cont.lines);
            st.most_typed_rows = st.most_typed_rows.max(row.cont.typed_rows);
            st.most_untyped_rows = st.most_untyped_rows.max(row.cont.untyped_rows);
        }
        if row.buf.len() > self.limit {
            self.event(Event::TooLarge {
                row: row.start,
                quote: None,
                bytes: row.buf.len() as u64,
            });
            return Framed::Dropped;
        }
        let mut buf = row.buf;
        if self.shape.columns.is_none() {
            // The first row sets the column count (a header, or the first row of data).
            self.shape.columns = Some(row.columns);
        } else if self.shape.learned < RowShape::LEARN && Some(row.columns) == self.shape.columns {
            if let Some(fields) = split_line(&buf, self.delimiter) {
                self.shape.learn(&fields);
            }
        }
        if terminate {
            buf.push(b'\n');
        }
        let mut sh = self.shared.borrow_mut();
        sh.starts.push_back(row.start);
        sh.passed += 1;
        self.out = buf;
        self.out_pos = 0;
        Framed::Row
    }
}

/// A line inside a quoted field has ended: does it read as a row? A runaway once enough do.
fn line_inside_quotes_ended(shape: &RowShape, delimiter: u8, row: &mut Row) -> Option<Verdict> {
    let (start, number) = row.line_start.take()?;
    let line = row.buf[start..]
        .strip_suffix(b"\n")
        .unwrap_or(&row.buf[start..]);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let c = &mut row.cont;
    c.lines += 1;
    if !line.trim_ascii().is_empty() {
        c.nonblank += 1;
    }
    // Quotes only hide delimiters: a line with fewer than a row's cannot be one.
    let columns = shape.columns.unwrap_or(usize::MAX);
    if memchr::memchr_iter(delimiter, line).count() + 1 < columns {
        return None;
    }
    match split_line(line, delimiter).map(|f| shape.likeness(&f)) {
        Some(Likeness::Typed) => c.typed_rows += 1,
        Some(Likeness::Untyped) => c.untyped_rows += 1,
        _ => return None,
    }
    if c.first_row.is_none() {
        c.first_row = Some((start, number));
    }
    let runaway = c.typed_rows >= RUNAWAY_TYPED_ROWS
        || (c.untyped_rows >= RUNAWAY_UNTYPED_ROWS && c.untyped_rows * 10 >= c.nonblank * 9);
    runaway.then_some(Verdict::Runaway)
}

/// The row's terminator was met (outside quotes): keep it, unless lines inside its quoted
/// field read as rows and the field closed badly (a quote followed by text) or the row has the
/// wrong column count.
fn row_ended(shape: &RowShape, delimiter: u8, row: &mut Row) -> Verdict {
    if row.line_start.is_some() {
        // The line the quoted field closed on.
        if let Some(v) = line_inside_quotes_ended(shape, delimiter, row) {
            return v;
        }
    }
    if row.cont.first_row.is_some() && (row.bad_close || Some(row.columns) != shape.columns) {
        return Verdict::Runaway;
    }
    Verdict::Keep
}

/// How a framed row is to be treated.
enum Verdict {
    Keep,
    Runaway,
}

impl Row {
    fn empty() -> Self {
        Row {
            buf: Vec::new(),
            start: 0,
            state: Grammar::StartField,
            columns: 1,
            quote_line: 0,
            line_start: None,
            cont: Continuation::default(),
            bad_close: false,
            dropped: None,
            dropped_quote: None,
            terminator: None,
        }
    }
}

impl Read for Framer<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.out_pos < self.out.len() {
                let n = (self.out.len() - self.out_pos).min(buf.len());
                buf[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
                self.out_pos += n;
                return Ok(n);
            }
            match self.frame()? {
                Framed::Row => {}
                Framed::End => return Ok(0),
                Framed::Dropped => self.out.clear(),
            }
        }
    }
}

/// The diagnostic for a framer event.
fn event_diag(ctx: &FileCtx, limit: usize, e: Event) -> Diagnostic {
    let lines = |from: u64, to: u64| {
        if to <= from + 1 {
            format!("line {from}")
        } else {
            format!("lines {from}–{}", to - 1)
        }
    };
    match e {
        Event::Runaway { row, quote, resume } => ctx.diag(
            Severity::Error,
            "bad-csv",
            RecordPos::Line(row),
            format!(
                "the quote opened on line {quote} is never closed: the field runs on into lines that read as rows of their own; {} skipped, reading resumes at line {resume}",
                lines(row, resume)
            ),
        ),
        Event::UnclosedAtEnd { row, quote } => ctx.diag(
            Severity::Warning,
            "bad-csv",
            RecordPos::Line(row),
            format!("the quote opened on line {quote} is never closed; the row is read to the end of the file"),
        ),
        Event::TooLarge { row, quote, bytes } => ctx.diag(
            Severity::Error,
            "bad-csv",
            RecordPos::Line(row),
            format!(
                "the row runs on for {}, over the limit of {}{}; skipped",
                super::human_bytes(bytes),
                super::human_bytes(limit as u64),
                quote
                    .map(|q| format!(" (the quote opened on line {q} is never closed?)"))
                    .unwrap_or_default()
            ),
        ),
    }
}

/// Reads CSV records from `input` (UTF-8, or transcoded to it) into `sink`.
pub fn read(
    input: &mut dyn BufRead,
    ctx: &FileCtx,
    opts: &ReadOptions,
    sink: &mut dyn Sink,
) -> Result<(), ReadError> {
    read_measured(input, ctx, opts, sink).map(|_| ())
}

/// [`read`], returning figures about the file's quoted fields of several lines.
pub fn read_measured(
    input: &mut dyn BufRead,
    ctx: &FileCtx,
    opts: &ReadOptions,
    sink: &mut dyn Sink,
) -> Result<QuoteStats, ReadError> {
    let delimiter = match opts.delimiter {
        Some(d) => d,
        None => {
            let sample = input.fill_buf()?;
            sniff_delimiter(sample, &ctx.file_name)
        }
    };
    let shared = Rc::new(RefCell::new(Shared::default()));
    let framer = Framer::new(input, delimiter, opts.max_record_bytes, shared.clone());
    let mut rdr = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(framer);
    let stats = |shared: &Rc<RefCell<Shared>>| shared.borrow().stats.clone();
    // Emits the framer's events that came before row `passed` (all of them when `None`).
    let flush = |sink: &mut dyn Sink, before: Option<u64>| -> Flow {
        loop {
            let e = {
                let mut sh = shared.borrow_mut();
                match sh.events.front() {
                    Some((n, _)) if before.is_none_or(|b| *n < b) => sh.events.pop_front(),
                    _ => None,
                }
            };
            let Some((_, e)) = e else {
                return Flow::Continue;
            };
            if sink.diagnostic(event_diag(ctx, opts.max_record_bytes, e)) == Flow::Stop {
                return Flow::Stop;
            }
        }
    };
    let fallback = fallback_of(ctx);
    let mut rec = ::csv::ByteRecord::new();
    let mut columns: Option<ColumnMap> = None;
    let mut header_len = 0usize;
    let mut index = 0u64;
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                if flush(sink, None) == Flow::Stop {
                    return Ok(stats(&shared));
                }
                let line = shared.borrow().starts.front().copied().unwrap_or(0);
                sink.diagnostic(ctx.diag(
                    Severity::Error,
                    "bad-csv",
                    RecordPos::Line(line),
                    format!("unreadable CSV row: {e}"),
                ));
                return Ok(stats(&shared));
            }
        }
        index += 1;
        if flush(sink, Some(index)) == Flow::Stop {
            return Ok(stats(&shared));
        }
        let line = shared.borrow_mut().starts.pop_front().unwrap_or(0);
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
                return Ok(stats(&shared));
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
                return Ok(stats(&shared));
            }
        }
        let mut record = cm.record(&cells);
        record.folder = ctx.folder.clone();
        if sink.record(record, ctx.at(RecordPos::Line(line))) == Flow::Stop {
            return Ok(stats(&shared));
        }
    }
    flush(sink, None);
    Ok(stats(&shared))
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

    /// The codes, lines and messages of a run's diagnostics.
    fn diags(s: &Collect) -> Vec<(&'static str, RecordPos, String)> {
        s.diagnostics
            .iter()
            .map(|d| (d.code, d.locator.pos.clone(), d.message.clone()))
            .collect()
    }

    fn titles(s: &Collect) -> Vec<(String, RecordPos)> {
        s.records
            .iter()
            .map(|(r, at)| (r.title.clone().unwrap_or_default(), at.pos.clone()))
            .collect()
    }

    /// Issue 19, item 2: `2,"Unclosed,b` swallowed the rest of the file into one title with no
    /// diagnostic. The row whose quote is never closed is skipped with a diagnostic naming it
    /// and the line the quote opened on, and reading resumes at the next line that reads as a
    /// row.
    #[test]
    fn an_unclosed_quote_is_skipped_and_reading_resumes_at_the_next_row() {
        let (s, r) = run(
            "id,title,text\n1,Good,a\n2,\"Unclosed,b\n3,Lost,c\n",
            &ReadOptions::default(),
        );
        r.unwrap();
        assert_eq!(
            titles(&s),
            vec![
                ("Good".into(), RecordPos::Line(2)),
                ("Lost".into(), RecordPos::Line(4))
            ]
        );
        let d = diags(&s);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].0, &d[0].1), ("bad-csv", &RecordPos::Line(3)));
        assert_eq!(
            d[0].2,
            "the quote opened on line 3 is never closed: the field runs on into lines that read as rows of their own; line 3 skipped, reading resumes at line 4"
        );
        assert_eq!(s.diagnostics[0].severity, Severity::Error);
    }

    /// Issue 19, item 2: a real 20 KB file put 1,001 rows into one title with "skipped 0": a
    /// quote opened in a title ran on until a later row's quoted field closed it. Only the row
    /// with the stray quote is skipped.
    #[test]
    fn a_runaway_quote_skips_its_row_not_the_thousand_after_it() {
        let mut data = String::from("id,title,text,date\n");
        for i in 1..=1002 {
            let title = match i {
                3 => "\"Stray quote in a title".to_string(),
                _ if i % 100 == 0 => format!("\"Title {i}, quoted\""),
                _ => format!("Title {i}"),
            };
            data.push_str(&format!(
                "{i},{title},text of row {i},2016-01-{:02}\n",
                i % 28 + 1
            ));
        }
        let (s, r) = run(&data, &ReadOptions::default());
        r.unwrap();
        assert_eq!(s.records.len(), 1001, "{:?}", diags(&s));
        assert!(s
            .records
            .iter()
            .all(|(r, _)| !r.title.as_ref().unwrap().contains('\n')));
        assert_eq!(titles(&s)[2], ("Title 4".into(), RecordPos::Line(5)));
        let d = diags(&s);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].0, &d[0].1), ("bad-csv", &RecordPos::Line(4)));
        assert!(
            d[0].2.contains("opened on line 4") && d[0].2.contains("resumes at line 5"),
            "{}",
            d[0].2
        );
    }

    /// Long quoted bodies are not runaway quotes: dozens of paragraphs, some beginning with a
    /// number and holding commas (`2016, a year…`), CRLF line ends, a quote doubled inside.
    #[test]
    fn long_quoted_bodies_are_not_taken_for_runaway_quotes() {
        let mut data = String::from("id,title,text,date\r\n");
        for i in 1..=20 {
            let mut body = String::new();
            for p in 0..60 {
                match p % 6 {
                    0 => body.push_str(&format!("{p}, said the minister, was the number.\r\n")),
                    1 => body.push_str("2016, a year of change, began with \"\"talks\"\".\r\n"),
                    2 => body.push_str("\r\n"),
                    3 => body.push_str(&format!("{i},{p},2016-01-01 were the figures\r\n")),
                    _ => body.push_str(
                        "An ordinary paragraph of the article, with commas, and more.\r\n",
                    ),
                }
            }
            data.push_str(&format!(
                "{i},Title {i},\"{body}\",2016-02-{:02}\r\n",
                i % 28 + 1
            ));
        }
        let (s, r) = run(&data, &ReadOptions::default());
        r.unwrap();
        assert!(s.diagnostics.is_empty(), "{:?}", diags(&s));
        assert_eq!(s.records.len(), 20);
        let body = s.records[19].0.body.as_deref().unwrap();
        assert_eq!(body.lines().count(), 60);
        assert!(body.contains("with \"talks\"."));
        assert_eq!(s.records[19].1.pos, RecordPos::Line(2 + 19 * 61));
    }

    /// A quote never closed before the end of the file, with nothing after it that reads as a
    /// row (a file cut off in the middle of a body): the row is kept as far as it goes, with a
    /// warning naming the line the quote opened on.
    #[test]
    fn a_quote_never_closed_at_the_end_keeps_the_row_with_a_warning() {
        let (s, r) = run(
            "id,title,text\n1,A,a\n2,B,\"a body cut off\nin its second paragraph",
            &ReadOptions::default(),
        );
        r.unwrap();
        assert_eq!(s.records.len(), 2);
        assert_eq!(
            s.records[1].0.body.as_deref(),
            Some("a body cut off\nin its second paragraph")
        );
        let d = diags(&s);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].0, &d[0].1), ("bad-csv", &RecordPos::Line(3)));
        assert!(
            d[0].2.contains("opened on line 3 is never closed"),
            "{}",
            d[0].2
        );
        assert_eq!(s.diagnostics[0].severity, Severity::Warning);
    }

    /// An unbalanced quote early in a large file, followed by many lines that read as rows:
    /// only its row is skipped (the csv crate would have buffered the rest of the file as one
    /// field; before the resynchronisation, the reader stopped at the record limit and lost
    /// every row after it).
    #[test]
    fn an_unclosed_quote_before_many_rows_skips_only_its_row() {
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
        assert_eq!(s.records.len(), 100_001);
        assert_eq!(titles(&s)[1], ("C0".into(), RecordPos::Line(4)));
        let d = diags(&s);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].0, &d[0].1), ("bad-csv", &RecordPos::Line(3)));
        assert!(d[0].2.contains("never closed"), "{}", d[0].2);
    }

    /// An unbalanced quote followed by lines that do not read as rows: the row is cut off at
    /// the record limit (memory stays bounded) and skipped with a diagnostic; the rows before
    /// it are kept.
    #[test]
    fn an_unclosed_quote_stops_at_the_record_limit() {
        let mut data = String::from("title,text\nA,fine\nB,\"never closed\n");
        for i in 0..100_000 {
            data.push_str(&format!("a line of text {i} that is not a row\n"));
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
        let d = diags(&s);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].0, &d[0].1), ("bad-csv", &RecordPos::Line(3)));
        assert!(d[0].2.contains("never closed"), "{}", d[0].2);
    }

    /// Found while writing the tests above: in a file with CRLF line ends, each row was
    /// numbered with the line the row before it ended on (the csv crate reports a row as soon
    /// as it meets the `\r`, before the `\n` that ends the line is counted).
    #[test]
    fn crlf_rows_are_numbered_by_the_line_they_start_on() {
        let (s, r) = run(
            "id,title\r\n1,A\r\n2,\"B\r\nb\"\r\n3,C\r\n",
            &ReadOptions::default(),
        );
        r.unwrap();
        let lines: Vec<RecordPos> = s.records.iter().map(|(_, at)| at.pos.clone()).collect();
        assert_eq!(
            lines,
            vec![RecordPos::Line(2), RecordPos::Line(3), RecordPos::Line(5)]
        );
    }

    /// Without typed columns, only the column count tells a row from a line of text: a stray
    /// quote in a title is found after `RUNAWAY_UNTYPED_ROWS` lines that read as rows (no later
    /// quote closes it), and when its field closes badly on a later quoted title.
    #[test]
    fn a_runaway_quote_in_a_file_without_typed_columns_is_found() {
        for quoted_titles in [false, true] {
            let mut data = String::from("title,text\nFirst,fine\n\"Stray,quote\n");
            for i in 0..1000 {
                if quoted_titles && i % 50 == 49 {
                    data.push_str(&format!("\"Title {i}, quoted\",text {i}\n"));
                } else {
                    data.push_str(&format!("Title {i},text {i}\n"));
                }
            }
            let (s, r) = run(&data, &ReadOptions::default());
            r.unwrap();
            assert_eq!(s.records.len(), 1001, "{:?}", diags(&s));
            let d = diags(&s);
            assert_eq!(d.len(), 1, "{d:?}");
            assert_eq!((d[0].0, &d[0].1), ("bad-csv", &RecordPos::Line(3)));
            assert!(
                d[0].2
                    .ends_with("line 3 skipped, reading resumes at line 4"),
                "{}",
                d[0].2
            );
        }
    }

    /// A stray quote in the first row after the header, before any row has shown what the
    /// columns hold: the header's column count is enough to find the rows it swallowed.
    #[test]
    fn an_unclosed_quote_in_the_first_row_is_found_by_the_column_count() {
        let (s, r) = run(
            "id,title,text\n1,\"Unclosed,a\n2,Good,b\n",
            &ReadOptions::default(),
        );
        r.unwrap();
        assert_eq!(titles(&s), vec![("Good".into(), RecordPos::Line(3))]);
        assert_eq!(diags(&s)[0].1, RecordPos::Line(2));
    }

    /// The framer only decides where rows begin and end; the csv crate splits them. Wherever
    /// the framer found nothing wrong, the rows must be exactly the csv crate's own, whatever
    /// the bytes: checked on 20,000 random inputs made of delimiters, quotes, line ends and text
    /// (14,252 of which had nothing run away).
    #[test]
    fn framed_rows_are_the_csv_crates_own_where_nothing_ran_away() {
        let alphabet = b"a1,\"\n\r -";
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut compared = 0;
        for _ in 0..20_000 {
            let len = (next() % 120) as usize;
            let data: Vec<u8> = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let records = |r: &mut dyn Read| -> Vec<Vec<Vec<u8>>> {
                let mut rdr = ::csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .from_reader(r);
                rdr.byte_records()
                    .map(|r| r.unwrap().iter().map(<[u8]>::to_vec).collect())
                    .collect()
            };
            let plain = records(&mut &data[..]);
            let shared = Rc::new(RefCell::new(Shared::default()));
            let mut input = &data[..];
            let framed = records(&mut Framer::new(&mut input, b',', 1 << 20, shared.clone()));
            let sh = shared.borrow();
            if sh
                .events
                .iter()
                .all(|(_, e)| matches!(e, Event::UnclosedAtEnd { .. }))
            {
                compared += 1;
                assert_eq!(framed, plain, "{:?}", String::from_utf8_lossy(&data));
                assert_eq!(sh.starts.len(), plain.len());
            }
        }
        assert!(compared > 10_000, "{compared}");
    }
}
