//! Imports of the real collections in `../shared/corpora/`, with exact expectations.
//!
//! The corpora are research-only and are never copied into the project; `broadsheet-testdata`
//! finds them, or fails the test saying where it looked (`BROADSHEET_SKIP_SHARED=1` skips).

use std::sync::atomic::AtomicBool;

use broadsheet_store::{import, ImportReport, ImportRequest, Store, Subcorpus};

/// Fields drop in order: the store is closed before its temporary folder is removed.
struct Imported {
    store: Store,
    first: ImportReport,
    second: ImportReport,
    _dir: tempfile::TempDir,
}

/// Imports `rel` twice into a fresh store, with a built-in recipe or none.
fn import_twice(rel: &str, recipe: Option<&str>) -> Option<Imported> {
    let path = broadsheet_testdata::corpus(rel)?;
    Some(import_paths_twice(vec![path], recipe))
}

fn import_paths_twice(paths: Vec<std::path::PathBuf>, recipe: Option<&str>) -> Imported {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("corpus.sqlite")).unwrap();
    let recipe = recipe
        .map(|r| broadsheet_ingest::recipe::builtin(r).unwrap())
        .unwrap_or_default();
    let req = ImportRequest::new(paths, recipe);
    let first = import(&mut store, &req, &(), &AtomicBool::new(false)).unwrap();
    let second = import(&mut store, &req, &(), &AtomicBool::new(false)).unwrap();
    store.check_integrity().unwrap();
    Imported {
        _dir: dir,
        store,
        first,
        second,
    }
}

fn assert_second_adds_nothing(i: &Imported) {
    assert_eq!(i.second.stored, 0, "a second import stores nothing");
    assert_eq!(i.second.duplicates, i.first.stored + i.first.duplicates);
    assert_eq!(i.store.stats().unwrap().articles, i.first.stored);
}

#[test]
fn huffpost_news_category() {
    let Some(i) = import_twice("huffpost_news_category", None) else {
        return;
    };
    assert_eq!(
        (i.first.records_read, i.first.stored, i.first.skipped),
        (9_999, 9_999, 0)
    );
    let s = i.store.stats().unwrap();
    assert_eq!((s.dated, s.undated), (9_999, 0));
    assert_eq!(s.first_date.as_deref(), Some("2018-05-01"));
    assert_eq!(s.last_date.as_deref(), Some("2022-09-23"));
    assert_eq!(s.dates_by_precision.get("day"), Some(&9_999));
    // 821 records have empty authors: no byline, not an empty one.
    let no_byline: i64 = i
        .store
        .connection()
        .query_row(
            "SELECT count(*) FROM articles WHERE byline IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(no_byline, 821);
    assert_second_adds_nothing(&i);
}

#[test]
fn bbc_news() {
    let Some(i) = import_twice("bbc_news", None) else {
        return;
    };
    let r = &i.first;
    assert_eq!(r.files_seen, 2_225);
    assert_eq!((r.stored, r.duplicates, r.skipped), (2_127, 98, 0));
    assert_eq!(r.diagnostic_counts.get("duplicate"), Some(&98));
    // The Latin-1 file keeps its pound sign.
    let sport199 = r
        .files
        .iter()
        .find(|f| f.file.ends_with("sport/199.txt"))
        .unwrap();
    assert_eq!(sport199.stored, 1);
    let body: String = i
        .store
        .connection()
        .query_row(
            "SELECT a.body FROM articles a JOIN import_files f ON f.id = a.file_id WHERE f.display LIKE '%sport/199.txt'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(body.contains("£15.8m"), "{}", &body[..300]);
    // The category folder is a field.
    let sections: Vec<(String, i64)> = {
        let c = i.store.connection();
        let mut st = c
            .prepare("SELECT json_extract(extra, '$.folder'), count(*) FROM articles GROUP BY 1 ORDER BY 1")
            .unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let names: Vec<&str> = sections.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(
        names,
        vec!["business", "entertainment", "politics", "sport", "tech"]
    );
    assert_eq!(sections.iter().map(|(_, n)| n).sum::<i64>(), 2_127);
    let s = i.store.stats().unwrap();
    assert_eq!((s.dated, s.undated), (0, 2_127), "no date is invented");
    assert_second_adds_nothing(&i);
}

#[test]
fn ru_telegram_news() {
    let Some(i) = import_twice("ru_telegram_news", None) else {
        return;
    };
    assert_eq!(
        (i.first.stored, i.first.duplicates, i.first.skipped),
        (6_210, 0, 0)
    );
    let sources = i.store.sources().unwrap();
    assert_eq!(sources.len(), 7);
    assert!(sources.iter().any(|s| s.name == "РИА Новости"));
    let s = i.store.stats().unwrap();
    assert_eq!(s.dated, 6_210);
    assert_eq!(s.first_date.as_deref(), Some("2024-05-19"));
    assert_eq!(s.last_date.as_deref(), Some("2024-12-04"));
    assert!(*s.languages.get("ru").unwrap() > 5_500, "{:?}", s.languages);
    assert_second_adds_nothing(&i);
}

#[test]
fn farsnews_persian() {
    let Some(i) = import_twice("farsnews_persian", None) else {
        return;
    };
    assert_eq!(i.first.records_read, 1_500);
    assert_eq!((i.first.stored, i.first.duplicates), (1_491, 9));
    // Paragraphs are joined with blank lines.
    let joined: i64 = i
        .store
        .connection()
        .query_row(
            "SELECT count(*) FROM articles WHERE instr(body, char(10, 10)) > 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(joined > 1_000, "{joined}");
    // Searching the Persian spelling finds articles written with Arabic ي/ك.
    let persian = i.store.count(&Subcorpus::query_only("رییس")).unwrap();
    let arabic = i.store.count(&Subcorpus::query_only("رئيس")).unwrap();
    assert_eq!(persian, arabic);
    assert!(persian > 100, "{persian}");
    assert!(*i.store.stats().unwrap().languages.get("fa").unwrap() > 1_400);
    assert_second_adds_nothing(&i);
}

#[test]
fn presstv_seed() {
    let Some(i) = import_twice("presstv_seed", None) else {
        return;
    };
    assert_eq!(i.first.stored, 1);
    let a = i.store.article(1).unwrap();
    assert_eq!(a.section.as_deref(), Some("News / Russia"));
    assert_eq!(
        a.title,
        "Moscow re-equips Bishkek to counter Daesh: Russian defense minister"
    );
    assert!(a
        .body
        .starts_with("Russian Defense Minister Sergei Shoigu says"));
    assert!(
        a.body.ends_with("according to the United Nations."),
        "{}",
        a.body
    );
    for gone in [
        "(© AFP)",
        "SHARE THIS ARTICLE",
        "alternate addresses",
        "presstv.co.uk",
    ] {
        assert!(!a.body.contains(gone), "`{gone}` is still in the body");
    }
    assert_eq!(a.extra["captions"].as_array().unwrap().len(), 2);
    assert!(a.extra["footer"]
        .as_str()
        .unwrap()
        .contains("SHARE THIS ARTICLE"));
    assert_eq!(
        (a.date, a.date_origin.as_str()),
        (None, "none"),
        "the date stays unknown"
    );
    assert_second_adds_nothing(&i);
}

/// The bug: without a recipe, the 737 records whose text stands directly in
/// `<TEXT TYPE="UNPROC">` were skipped as empty. Now every record with text is stored, titled
/// by its first line, and the one record with no text at all is named.
#[test]
fn reuters_unproc_records_are_stored_without_a_recipe() {
    // `broadsheet import reuters21578/*.sgm`: the folder's other files are category lists.
    let Some(dir) = broadsheet_testdata::corpus("reuters21578") else {
        return;
    };
    let mut sgm: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sgm"))
        .collect();
    sgm.sort();
    let i = import_paths_twice(sgm, None);
    let r = &i.first;
    assert_eq!(r.records_read, 21_578);
    assert_eq!((r.stored, r.skipped), (21_577, 1));
    assert_eq!(r.diagnostic_counts.get("empty-record"), Some(&1));
    let empty = r
        .diagnostics
        .iter()
        .find(|d| d.code == "empty-record")
        .unwrap();
    assert_eq!(empty.locator.to_string(), "reut2-012.sgm: record 793");
    let c = i.store.connection();
    let (unproc, titled): (i64, i64) = c
        .query_row(
            "SELECT count(*), count(*) FILTER (WHERE title <> '' AND body <> '')
             FROM articles WHERE json_extract(extra, '$.text_type') = 'UNPROC'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((unproc, titled), (736, 736));
    let title: String = c
        .query_row(
            "SELECT title FROM articles WHERE external_id = '99'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(title, "FEDERAL RESERVE WEEKLY REPORT 1 - FEB 26");
    assert_second_adds_nothing(&i);
}

#[test]
fn reuters21578_with_its_recipe() {
    let Some(i) = import_twice("reuters21578", Some("reuters21578")) else {
        return;
    };
    let r = &i.first;
    assert_eq!(r.files_seen, 22, "only the .sgm files are read");
    assert_eq!(r.records_read, 21_578);
    // One record (reut2-012.sgm, NEWID 12793) has no text at all: reported, not stored.
    assert_eq!((r.stored, r.skipped), (21_577, 1));
    let empty = r
        .diagnostics
        .iter()
        .find(|d| d.code == "empty-record")
        .unwrap();
    assert_eq!(
        empty.locator.to_string(),
        "reuters21578/reut2-012.sgm: record 793"
    );
    // The record with the 0xFC byte is stored, with a diagnostic.
    let enc = r.diagnostics.iter().find(|d| d.code == "encoding").unwrap();
    assert_eq!(
        enc.locator.to_string(),
        "reuters21578/reut2-017.sgm: record 980"
    );
    let c = i.store.connection();
    let body: String = c
        .query_row(
            "SELECT body FROM articles WHERE external_id = '17980'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(body.contains('ü'), "{body}");
    let with_body: i64 = c
        .query_row(
            "SELECT count(*) FROM articles WHERE body <> '' AND json_extract(extra, '$.text_type') IS NOT 'UNPROC'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(with_body, 19_043);
    let s = i.store.stats().unwrap();
    assert_eq!((s.dated, s.undated), (21_577, 0));
    assert_eq!(s.first_date.as_deref(), Some("1987-02-26"));
    assert_eq!(s.last_date.as_deref(), Some("1987-10-20"));
    assert_eq!(s.dates_by_origin.get("field"), Some(&21_577));
    let places: String = c
        .query_row(
            "SELECT json_extract(extra, '$.places') FROM articles WHERE external_id = '2'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(places, "[\"usa\"]");
    assert_second_adds_nothing(&i);
}

#[test]
fn rss_xml_feeds_with_its_recipe() {
    let Some(i) = import_twice("rss_xml_feeds", Some("rss")) else {
        return;
    };
    assert_eq!(
        (i.first.records_read, i.first.stored, i.first.skipped),
        (147, 147, 0)
    );
    let s = i.store.stats().unwrap();
    assert_eq!((s.dated, s.undated), (147, 0), "every item has its date");
    assert_eq!(i.store.sources().unwrap().len(), 6);
    assert_second_adds_nothing(&i);
}

#[test]
fn farsnews_persian_with_its_recipe_gets_solar_hijri_dates() {
    let Some(i) = import_twice("farsnews_persian", Some("farsnews_persian")) else {
        return;
    };
    assert_eq!((i.first.stored, i.first.duplicates), (1_491, 9));
    let s = i.store.stats().unwrap();
    // Every date-coded id is dated; the three that are not stay undated, each with a diagnostic.
    assert_eq!((s.dated, s.undated), (1_488, 3));
    assert_eq!(s.dates_by_origin.get("url"), Some(&1_488));
    let undated: Vec<String> = i
        .first
        .diagnostics
        .iter()
        .filter(|d| d.code == "undated")
        .map(|d| d.locator.to_string())
        .collect();
    assert_eq!(undated.len(), 3, "{undated:?}");
    assert_eq!(s.first_date.as_deref(), Some("2003-04-12"));
    assert_eq!(s.last_date.as_deref(), Some("2021-07-15"));
    // A long id: 1394/02/04 (Solar Hijri) is 24 April 2015; a short one: 87/07/06 is 27 September 2008.
    for (id, date) in [
        ("13940204000176", "2015-04-24"),
        ("8707060255", "2008-09-27"),
    ] {
        let d: String = i
            .store
            .connection()
            .query_row(
                "SELECT date(published_at, 'unixepoch') FROM articles WHERE url LIKE '%/news/' || ?1 || '%'",
                [id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(d, date, "{id}");
    }
    assert_eq!(i.store.sources().unwrap()[0].name, "Fars News");
    assert_second_adds_nothing(&i);
}

#[test]
fn readability_news_html_with_its_recipe() {
    let Some(i) = import_twice("readability_news_html", Some("readability_html")) else {
        return;
    };
    assert_eq!(i.first.files_seen, 32, "only the source.html of each page");
    assert_eq!((i.first.stored, i.first.skipped), (32, 0));
    // The nine pages whose reference metadata has a publication time get that time.
    let root = broadsheet_testdata::corpus("readability_news_html").unwrap();
    let mut checked = 0;
    for page in std::fs::read_dir(&root).unwrap() {
        let page = page.unwrap().path();
        let Ok(meta) = std::fs::read_to_string(page.join("expected-metadata.json")) else {
            continue;
        };
        let meta: serde_json::Value = serde_json::from_str(&meta).unwrap();
        let Some(expected) = meta["publishedTime"].as_str() else {
            continue;
        };
        let want = broadsheet_ingest::parse_date(expected).unwrap().timestamp;
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        let got: Option<i64> = i
            .store
            .connection()
            .query_row(
                "SELECT a.published_at FROM articles a JOIN import_files f ON f.id = a.file_id WHERE f.display = ?1",
                [format!("readability_news_html/{name}/source.html")],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(got, Some(want), "{name}");
        checked += 1;
    }
    assert_eq!(checked, 9);
    // Pages without a date in their metadata stay undated: no date is taken from the prose.
    let s = i.store.stats().unwrap();
    assert!(s.dates_by_origin.get("field").copied().unwrap_or(0) >= 9);
    assert_eq!(s.dates_by_origin.get("text"), None);
    let no_title: i64 = i
        .store
        .connection()
        .query_row(
            "SELECT count(*) FROM articles WHERE title = '' OR body = ''",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(no_title, 0);
    // Saved pages carry scripts; none of it reaches the stored text.
    let scripts: i64 = i
        .store
        .connection()
        .query_row(
            "SELECT count(*) FROM articles WHERE body LIKE '%<script%' OR body LIKE '%function(%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(scripts, 0);
    assert_second_adds_nothing(&i);
}

/// Writes one CSV cell the way common exporters do (quoted when it holds the delimiter, a
/// quote or a line end; quotes doubled).
fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A sink that counts records and keeps diagnostics.
#[derive(Default)]
struct Counting {
    records: u64,
    diagnostics: Vec<broadsheet_ingest::Diagnostic>,
}

impl broadsheet_ingest::Sink for Counting {
    fn record(
        &mut self,
        _: broadsheet_ingest::RawRecord,
        _: broadsheet_ingest::Locator,
    ) -> broadsheet_ingest::Flow {
        self.records += 1;
        broadsheet_ingest::Flow::Continue
    }
    fn diagnostic(&mut self, d: broadsheet_ingest::Diagnostic) -> broadsheet_ingest::Flow {
        self.diagnostics.push(d);
        broadsheet_ingest::Flow::Continue
    }
}

/// Writes `rows` under `header` as CSV (CRLF line ends when `crlf`), reads it back with the CSV
/// reader, checks that every row came back and no quote was taken for a runaway, and returns
/// the reader's figures about quoted fields of several lines.
fn csv_round_trip(
    name: &str,
    header: &[&str],
    rows: &[Vec<String>],
    crlf: bool,
) -> broadsheet_ingest::readers::csv::QuoteStats {
    let end = if crlf { "\r\n" } else { "\n" };
    let mut data = header.join(",") + end;
    for r in rows {
        let cells: Vec<String> = r.iter().map(|c| csv_cell(c)).collect();
        data.push_str(&cells.join(","));
        data.push_str(end);
    }
    let ctx = broadsheet_ingest::readers::FileCtx {
        display: name.into(),
        folder: None,
        file_name: name.into(),
        encoding: broadsheet_ingest::encoding::FileEncoding::Utf8 {
            bom: false,
            fallback: encoding_rs::WINDOWS_1252,
        },
    };
    let mut sink = Counting::default();
    let stats = broadsheet_ingest::readers::csv::read_measured(
        &mut std::io::BufReader::new(data.as_bytes()),
        &ctx,
        &broadsheet_ingest::ReadOptions::default(),
        &mut sink,
    )
    .unwrap();
    assert_eq!(
        sink.records,
        rows.len() as u64,
        "{name}: {:?}",
        sink.diagnostics.first()
    );
    assert!(
        sink.diagnostics.iter().all(|d| d.code != "bad-csv"),
        "{name}: {:?}",
        sink.diagnostics
    );
    eprintln!("{name}: {} rows, {stats:?}", rows.len());
    stats
}

fn read_json_files(dir: &std::path::Path) -> Vec<serde_json::Value> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .flat_map(|f| {
            let v: serde_json::Value = serde_json::from_slice(&std::fs::read(f).unwrap()).unwrap();
            v.as_array().cloned().unwrap_or_default()
        })
        .collect()
}

/// Issue 19, item 2: the bounds that tell a runaway quote from a long quoted body, measured on
/// real news written as CSV cells (multi-paragraph BBC bodies, Reuters bodies wrapped at 70
/// columns and full of figures with commas, Telegram posts, Fars paragraphs): no body is taken
/// for a runaway, with the file's typed columns (ids, dates, URLs) and without them (only a
/// title and a text). The figures printed are in docs/HARDENING.md.
#[test]
fn long_quoted_bodies_of_real_news_are_not_runaway_quotes() {
    use broadsheet_ingest::readers::csv::{RUNAWAY_TYPED_ROWS, RUNAWAY_UNTYPED_ROWS};
    let Some(bbc) = broadsheet_testdata::corpus("bbc_news") else {
        return;
    };
    let root = bbc.parent().unwrap().to_path_buf();
    // Each corpus as a name, a header and its rows.
    type Set<'a> = (&'a str, Vec<&'a str>, Vec<Vec<String>>);
    let mut sets: Vec<Set> = Vec::new();

    let mut rows = Vec::new();
    for cat in ["business", "entertainment", "politics", "sport", "tech"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join("bbc_news/bbc").join(cat))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            let t = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).into_owned();
            let (title, body) = t.split_once('\n').unwrap_or(("", &t));
            rows.push(vec![
                (rows.len() + 1).to_string(),
                cat.to_string(),
                title.to_string(),
                body.trim().to_string(),
            ]);
        }
    }
    sets.push(("bbc", vec!["id", "category", "title", "text"], rows));

    let mut rows = Vec::new();
    for i in 0..22 {
        let f = root.join(format!("reuters21578/reut2-{i:03}.sgm"));
        let t = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).into_owned();
        for rec in t.split("<REUTERS ").skip(1) {
            let tag = |name: &str| {
                let open = format!("<{name}>");
                let close = format!("</{name}>");
                rec.split_once(&open)
                    .and_then(|(_, r)| r.split_once(&close))
                    .map(|(v, _)| v.trim().to_string())
                    .unwrap_or_default()
            };
            let id = rec
                .split_once("NEWID=\"")
                .and_then(|(_, r)| r.split_once('"'))
                .map(|(v, _)| v.to_string())
                .unwrap_or_default();
            let body = tag("BODY");
            if !body.is_empty() {
                rows.push(vec![id, tag("DATE"), tag("TITLE"), body]);
            }
        }
    }
    sets.push(("reuters", vec!["id", "date", "title", "text"], rows));

    let rows = read_json_files(&root.join("ru_telegram_news/raw"))
        .iter()
        .map(|m| {
            ["message_id", "date", "channel", "category", "text"]
                .iter()
                .map(|k| match &m[*k] {
                    serde_json::Value::String(s) => s.clone(),
                    v => v.to_string(),
                })
                .collect()
        })
        .collect();
    sets.push((
        "telegram",
        vec!["id", "date", "channel", "category", "text"],
        rows,
    ));

    let rows = read_json_files(&root.join("farsnews_persian"))
        .iter()
        .map(|a| {
            let paragraphs: Vec<&str> = a["paragraphs"]
                .as_array()
                .map(|p| p.iter().filter_map(|x| x.as_str()).collect())
                .unwrap_or_default();
            vec![
                a["link"].as_str().unwrap_or("").to_string(),
                a["title"].as_str().unwrap_or("").to_string(),
                paragraphs.join("\n"),
            ]
        })
        .collect();
    sets.push(("fars", vec!["url", "title", "text"], rows));

    let (mut typed, mut untyped) = (0, 0);
    for (name, header, rows) in &sets {
        for crlf in [false, true] {
            let s = csv_round_trip(name, header, rows, crlf);
            assert!(s.multi_line_fields > 100, "{name}: {s:?}");
            typed = typed.max(s.most_typed_rows);
            untyped = untyped.max(s.most_untyped_rows);
            // Without typed columns: only the title and the text.
            let n = header.len();
            let bare: Vec<Vec<String>> = rows.iter().map(|r| r[n - 2..].to_vec()).collect();
            let s = csv_round_trip(name, &header[n - 2..], &bare, crlf);
            untyped = untyped.max(s.most_untyped_rows);
        }
    }
    eprintln!("most lines reading as rows inside one body: typed {typed}, untyped {untyped}");
    assert!(typed < RUNAWAY_TYPED_ROWS);
    assert!(untyped < RUNAWAY_UNTYPED_ROWS);
}
