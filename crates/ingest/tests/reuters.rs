//! Reuters-21578 from `../shared/corpora/reuters21578`, read with the SGML reader and its
//! Reuters preset, with exact expectations.
//!
//! The corpus is research-only and is never copied into the project. When the folder is missing
//! this test fails with a message saying so; set `BROADSHEET_SKIP_SHARED=1` to skip it
//! explicitly (it then prints that it was skipped). `BROADSHEET_CORPORA` points elsewhere.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;

use broadsheet_ingest::encoding::{sniff, FileEncoding, TranscodingReader};
use broadsheet_ingest::readers::{sgml, FileCtx};
use broadsheet_ingest::{
    format_date, parse_date, Diagnostic, Flow, Locator, RawRecord, ReadOptions, RecordPos,
    Severity, Sink,
};
use serde_json::Value;

fn corpora() -> Option<PathBuf> {
    let dir = std::env::var_os("BROADSHEET_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora")
        });
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var_os("BROADSHEET_SKIP_SHARED").is_some() {
        eprintln!("SKIPPED: shared corpora not found at {}", dir.display());
        return None;
    }
    panic!(
        "the shared corpora are not at {} (set BROADSHEET_CORPORA, or BROADSHEET_SKIP_SHARED=1 to skip these tests)",
        dir.display()
    );
}

#[derive(Default)]
struct Collect {
    records: Vec<(RawRecord, Locator)>,
    diagnostics: Vec<Diagnostic>,
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

/// Reads one file as the import pipeline reads CSV and JSON: the encoding sniffed from the
/// first 64 KB, and a legacy encoding transcoded to UTF-8 while streaming.
fn read_sgm(path: &std::path::Path, sink: &mut Collect) {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let mut f = File::open(path).unwrap();
    let mut head = Vec::new();
    (&mut f).take(64 * 1024).read_to_end(&mut head).unwrap();
    let enc = sniff(&head, head.len() < 64 * 1024);
    let ctx = FileCtx {
        display: format!("reuters21578/{name}"),
        folder: None,
        file_name: name,
        encoding: enc,
    };
    let whole = std::io::Cursor::new(head).chain(f);
    let mut input: Box<dyn BufRead> = match enc {
        FileEncoding::Utf8 { bom, .. } => {
            let mut r = BufReader::new(whole);
            if bom {
                r.consume(3);
            }
            Box::new(r)
        }
        FileEncoding::Other { encoding, .. } => {
            Box::new(BufReader::new(TranscodingReader::new(whole, encoding)))
        }
    };
    sgml::read(
        &mut *input,
        &ctx,
        &sgml::reuters_preset(),
        &ReadOptions::default(),
        sink,
    )
    .unwrap_or_else(|e| panic!("{}: {e}", ctx.display));
}

#[test]
fn reuters21578() {
    let Some(root) = corpora() else { return };
    let dir = root.join("reuters21578");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sgm"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 22, "the 22 reut2-*.sgm files");

    let mut sink = Collect::default();
    for f in &files {
        read_sgm(f, &mut sink);
    }
    let records = &sink.records;
    assert_eq!(records.len(), 21_578);

    let non_empty = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
    let with_body = records.iter().filter(|(r, _)| non_empty(&r.body)).count();
    // The README: 2,535 items have no BODY; 737 of them (TEXT TYPE="UNPROC") have their text
    // directly in TEXT, and 736 of those texts are not empty.
    assert_eq!(with_body, 19_043 + 736);
    let unproc = |r: &RawRecord| r.extra.get("text_type") == Some(&Value::String("UNPROC".into()));
    let unproc_titled = records
        .iter()
        .filter(|(r, _)| unproc(r) && non_empty(&r.title))
        .count();
    assert_eq!(
        unproc_titled, 736,
        "an UNPROC record's first line is its title"
    );
    let with_title = records.iter().filter(|(r, _)| non_empty(&r.title)).count();
    assert_eq!(
        with_title,
        20_841 + 736,
        "every record with text has a title; one has neither"
    );
    let with_author = records.iter().filter(|(r, _)| non_empty(&r.author)).count();
    assert_eq!(with_author, 875);
    let with_places = records
        .iter()
        .filter(|(r, _)| r.extra.contains_key("places"))
        .count();
    assert_eq!(with_places, 18_798);

    // NEWID runs from 1 to 21,578, once each.
    let ids: BTreeSet<u32> = records
        .iter()
        .map(|(r, at)| {
            r.id.as_deref()
                .and_then(|i| i.parse().ok())
                .unwrap_or_else(|| panic!("{at}: no NEWID"))
        })
        .collect();
    assert_eq!(ids.len(), 21_578);
    assert_eq!((ids.first(), ids.last()), (Some(&1), Some(&21_578)));

    // Entities are decoded and control characters dropped everywhere.
    for (r, at) in records {
        for text in [&r.title, &r.body, &r.author].into_iter().flatten() {
            assert!(
                !text.contains("&#") && !text.contains("&lt;"),
                "{at}: an entity left in {text:?}"
            );
            assert!(
                !text
                    .chars()
                    .any(|c| c.is_control() && c != '\n' && c != '\t'),
                "{at}: a control character in {text:?}"
            );
        }
    }
    let decoded = records
        .iter()
        .filter(|(r, _)| r.title.as_deref() == Some("FIRM ACQUIRES <AMERICAN NUTRITION WORKS INC>"))
        .count();
    assert_eq!(decoded, 1, "`&lt;` is decoded to `<`");

    // Every date parses; the range is the corpus's.
    let mut stamps = Vec::with_capacity(records.len());
    for (r, at) in records {
        let Some(Value::String(d)) = &r.date else {
            panic!("{at}: no date");
        };
        let p = parse_date(d).unwrap_or_else(|e| panic!("{at}: {d:?}: {}", e.0));
        stamps.push(p);
    }
    // One DATE has an impossible time (`31-MAR-1987 605:12:19.12`): its day is kept.
    let day_only: Vec<_> = stamps
        .iter()
        .filter(|p| p.precision != broadsheet_ingest::Precision::Second)
        .collect();
    assert_eq!(day_only.len(), 1);
    assert_eq!(
        format_date(day_only[0].timestamp, day_only[0].precision),
        "1987-03-31"
    );
    let first = stamps.iter().min_by_key(|p| p.timestamp).unwrap();
    let last = stamps.iter().max_by_key(|p| p.timestamp).unwrap();
    assert_eq!(
        format_date(first.timestamp, broadsheet_ingest::Precision::Day),
        "1987-02-26"
    );
    assert_eq!(
        format_date(last.timestamp, broadsheet_ingest::Precision::Day),
        "1987-10-20"
    );

    // The only diagnostic: the record in reut2-017.sgm with the byte 0xFC, read, not lost.
    assert_eq!(sink.diagnostics.len(), 1, "{:#?}", sink.diagnostics);
    let d = &sink.diagnostics[0];
    assert_eq!((d.severity, d.code), (Severity::Warning, "encoding"));
    assert_eq!(d.locator.file, "reuters21578/reut2-017.sgm");
    assert_eq!(d.locator.pos, RecordPos::Index(980));
    assert!(d.message.contains("0xFC"), "{}", d.message);
    let (r, _) = records
        .iter()
        .find(|(_, at)| *at == d.locator)
        .expect("the record with the 0xFC byte is kept");
    assert_eq!(r.id.as_deref(), Some("17980"));
    assert!(r.body.as_deref().unwrap().contains('\u{fc}'));
    assert!(!r.body.as_deref().unwrap().contains('\u{5}'));
}
