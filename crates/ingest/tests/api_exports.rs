//! JSON exports in the shapes researchers have — NewsAPI, the Guardian, the New York Times,
//! GDELT, feed archives saved as JSON, JSON Feed, reader streams — however they are laid out:
//! every record found, with its real title, text, date, source and address. The fixtures in
//! `tests/fixtures/api/` are written for these tests (invented articles in each API's shape).

use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use broadsheet_ingest::{
    discover, format_date, normalize, read_file, Diagnostic, Flow, Locator, NormalizeOptions,
    RawRecord, ReadOptions, Sink,
};

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

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/api")
        .join(name)
}

/// Reads a fixture and normalizes its records; one line per article:
/// `position | source | title | date | url | byline | body (first 60 chars)`.
fn read_with(name: &str, opts: ReadOptions) -> (Vec<String>, Vec<Diagnostic>) {
    let (files, _) = discover(&[fixture(name)], None, &[]).unwrap();
    let mut sink = Collect::default();
    let progress = Arc::new(AtomicU64::new(0));
    read_file(&files[0], None, &opts, &progress, &mut sink).unwrap();
    let mut lines = Vec::new();
    let mut diagnostics = sink.diagnostics;
    for (raw, at) in sink.records {
        match normalize(raw, &at, "fixture", &NormalizeOptions::default()) {
            Ok((a, notes)) => {
                diagnostics.extend(notes);
                let date = a
                    .date
                    .map(|d| format_date(d.timestamp, d.precision))
                    .unwrap_or_else(|| "undated".into());
                let body: String = a.body.chars().take(60).collect();
                lines.push(format!(
                    "{} | {} | {} | {} | {} | {} | {}",
                    at.pos,
                    a.source,
                    a.title,
                    date,
                    a.url.unwrap_or_default(),
                    a.byline.unwrap_or_default(),
                    body
                ));
            }
            Err(d) => diagnostics.push(d),
        }
    }
    (lines, diagnostics)
}

fn read(name: &str) -> (Vec<String>, Vec<Diagnostic>) {
    read_with(name, ReadOptions::default())
}

fn codes(d: &[Diagnostic]) -> Vec<&str> {
    d.iter().map(|d| d.code).collect()
}

const NEWSAPI: [&str; 3] = [
    "record 1 | 24.kg | Kyrgyzstan and Tajikistan agree on border ceasefire | 2022-09-16T09:41:00Z | https://24.kg/english/221001_Kyrgyzstan_and_Tajikistan_agree_on_border_ceasefire/ | Aigerim Sadykova | BISHKEK - Kyrgyzstan and Tajikistan agreed on a ceasefire af",
    "record 2 | Reuters | CSTO holds exercises in Tajikistan near Afghan border | 2021-10-22T12:05:31Z | https://www.reuters.com/world/asia-pacific/csto-holds-exercises-tajikistan-2021-10-22/ |  | DUSHANBE, Oct 22 (Reuters) - Troops from the Russian-led Col",
    "record 3 | The Diplomat | What Is Behind the Unrest in Kazakhstan? | 2022-01-06T15:00:00Z | https://thediplomat.com/2022/01/what-is-behind-the-unrest-in-kazakhstan/ | Catherine Putz | Protests over fuel prices turned into the country's worst un",
];

#[test]
fn newsapi_export_pretty_printed() {
    let (lines, d) = read("newsapi_everything.json");
    assert_eq!(lines, NEWSAPI);
    assert_eq!(codes(&d), ["records-path", "html-text"]);
}

/// The bug: a wrapper written on one line was read as one JSON Lines record and skipped as
/// "empty-record" — 0 of 3 imported.
#[test]
fn one_line_json_wrapper_is_not_one_empty_record() {
    let (lines, d) = read("newsapi_one_line.json");
    assert_eq!(
        lines, NEWSAPI,
        "the same records as the pretty-printed file"
    );
    assert!(!codes(&d).contains(&"empty-record"), "{d:?}");
}

#[test]
fn the_issue_example_imports_two_of_two() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.json");
    std::fs::write(
        &path,
        r#"{"entries":[{"title":"a","link":"http://x/1"},{"title":"b","link":"http://x/2"}]}"#,
    )
    .unwrap();
    let (files, _) = discover(&[path], None, &[]).unwrap();
    let mut sink = Collect::default();
    let progress = Arc::new(AtomicU64::new(0));
    read_file(
        &files[0],
        None,
        &ReadOptions::default(),
        &progress,
        &mut sink,
    )
    .unwrap();
    let titles: Vec<_> = sink
        .records
        .iter()
        .map(|(r, at)| format!("{} {}", at.pos, r.title.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(titles, ["record 1 a", "record 2 b"]);
}

#[test]
fn json_lines_of_api_pages() {
    let (lines, _) = read("newsapi_pages.jsonl");
    let positions: Vec<_> = lines
        .iter()
        .map(|l| l.split(" | ").next().unwrap())
        .collect();
    assert_eq!(
        positions,
        ["line 1, record 1", "line 1, record 2", "line 2, record 1"]
    );
    let rest = |l: &String| l.split_once(" | ").unwrap().1.to_string();
    let want: Vec<_> = NEWSAPI
        .iter()
        .map(|l| l.split_once(" | ").unwrap().1)
        .collect();
    assert_eq!(lines.iter().map(rest).collect::<Vec<_>>(), want);
}

#[test]
fn an_array_of_api_pages() {
    let (lines, _) = read("newsapi_pages_array.json");
    let positions: Vec<_> = lines
        .iter()
        .map(|l| l.split(" | ").next().unwrap())
        .collect();
    assert_eq!(
        positions,
        ["record 1, item 1", "record 1, item 2", "record 2, item 1"]
    );
}

#[test]
fn guardian_content_api_with_fields() {
    let (lines, d) = read("guardian_search.json");
    assert_eq!(
        lines,
        [
            "record 1 | theguardian.com | Kazakhstan declares state of emergency as protests spread | 2022-01-05T18:32:11Z | https://www.theguardian.com/world/2022/jan/05/kazakhstan-state-of-emergency-protests | Andrew Roth in Moscow | Kazakhstan's president has declared a state of emergency in ",
            "record 2 | theguardian.com | Russian-led alliance sends troops to Kazakhstan | 2022-01-06T09:10:00Z | https://www.theguardian.com/world/2022/jan/06/russia-sends-troops-kazakhstan-csto | Pjotr Sauer | The Collective Security Treaty Organisation has sent what it",
        ]
    );
    assert_eq!(
        d[0].message,
        "the records are the 2 elements of `response.results`"
    );
}

#[test]
fn nyt_article_search_response() {
    let (lines, _) = read("nyt_articlesearch.json");
    assert_eq!(
        lines,
        ["record 1 | The New York Times | Kazakhstan's Government Resigns as Fuel Protests Turn Violent | 2022-01-05T10:00:08Z | https://www.nytimes.com/2022/01/05/world/asia/kazakhstan-protests.html | By Andrew Higgins | MOSCOW — Protests over fuel prices in Kazakhstan turned viol"]
    );
}

#[test]
fn gdelt_article_list() {
    let (lines, _) = read("gdelt_artlist.json");
    assert_eq!(
        lines,
        [
            "record 1 | 24.kg | Kyrgyz and Tajik delegations resume border talks in Batken | 2022-01-06T12:00:00Z | https://24.kg/english/222450_Border_talks_resume/ |  | ",
            "record 2 | fergananews.com | Пограничники Кыргызстана и Таджикистана провели встречу | 2022-01-07T08:30:00Z | https://www.fergananews.com/news/44201 |  | ",
        ]
    );
}

/// A feed archive saved as JSON (feedparser's shape): HTML in the descriptions and contents
/// is reduced to text, so `href`, `utm` and `10px` never reach the word lists.
#[test]
fn feed_archive_saved_as_json_loses_its_markup() {
    let (lines, d) = read("feedparser_archive.json");
    assert_eq!(
        lines,
        [
            "record 1 | akipress.com | Kyrgyz border guards report shooting in Batken | 2022-01-05T08:20:00Z | https://akipress.com/news:676001/?utm_source=rss&utm_medium=feed | AKIpress | Border guards of Kyrgyzstan reported shooting near the villa",
            "record 2 | akipress.com | Tashkent hosts SCO security council meeting | 2022-01-06T03:00:00Z | https://akipress.com/news:676002/ | AKIpress | Security council secretaries of the SCO member states met in",
        ]
    );
    assert!(codes(&d).contains(&"html-text"));
}

#[test]
fn html_fields_keep_no_markup_in_the_stored_text() {
    let (files, _) = discover(&[fixture("feedparser_archive.json")], None, &[]).unwrap();
    let mut sink = Collect::default();
    let progress = Arc::new(AtomicU64::new(0));
    read_file(
        &files[0],
        None,
        &ReadOptions::default(),
        &progress,
        &mut sink,
    )
    .unwrap();
    let (raw, at) = sink.records.remove(0);
    let (a, _) = normalize(raw.clone(), &at, "f", &NormalizeOptions::default()).unwrap();
    assert_eq!(
        a.body,
        "Border guards of Kyrgyzstan reported shooting near the village of Kok-Tash on Wednesday.\n\nNo casualties were reported, the border service said.\n\nShare"
    );
    for markup in ["href", "utm", "<", "10px", "strong"] {
        assert!(!a.body.contains(markup), "{markup} in {:?}", a.body);
    }
    assert!(!a.extra.contains_key("body_html"));
    // Kept only when asked for.
    let keep = NormalizeOptions {
        keep_html: true,
        ..NormalizeOptions::default()
    };
    let (a, _) = normalize(raw, &at, "f", &keep).unwrap();
    assert!(a.extra["body_html"].as_str().unwrap().contains("<strong>"));
}

#[test]
fn json_feed_items() {
    let (lines, _) = read("json_feed.json");
    assert_eq!(
        lines,
        [
            "record 1 | example.org | CSTO mission begins withdrawal | 2022-01-13T08:00:00Z | https://example.org/2022/01/csto | Desk | The CSTO mission in Kazakhstan began withdrawing on Thursday",
            "record 2 | example.org | Border talks | 2022-01-14T03:00:00Z | https://example.org/2022/01/border |  | Talks on the Kyrgyz–Tajik border resumed.",
        ]
    );
}

/// A reader's stream has a title of its own (the feed's) beside its items.
#[test]
fn a_titled_stream_still_wraps_its_items() {
    let (lines, _) = read("feedly_stream.json");
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].contains("Uzbekistan tightens Afghan border security"));
    assert!(lines[0].ends_with("Uzbekistan has reinforced its border with Afghanistan."));
}

#[test]
fn an_article_with_related_links_is_one_record() {
    let (lines, _) = read("article_with_related.json");
    assert_eq!(
        lines,
        ["line 1 | example.kg | Kyrgyzstan opens new border post | undated | https://example.kg/post |  | Kyrgyzstan opened a border post on the Tajik border on Monda"]
    );
}

#[test]
fn a_document_without_records_names_its_lists() {
    let (lines, d) = read("no_records.json");
    assert!(lines.is_empty());
    assert_eq!(codes(&d), ["no-records"]);
    assert!(
        d[0].message.contains("`data` (2 objects with id, value)")
            && d[0].message.contains("`meta.tags` (2 values)")
            && d[0].message.contains("--records"),
        "{}",
        d[0].message
    );
}

#[test]
fn records_named_explicitly() {
    let opts = |p: &str| ReadOptions {
        records: Some(p.into()),
        ..ReadOptions::default()
    };
    let (lines, _) = read_with("guardian_search.json", opts("response.results"));
    assert_eq!(lines.len(), 2);
    let (lines, d) = read_with("guardian_search.json", opts("response.docs"));
    assert!(lines.is_empty());
    assert!(
        d[0].message.contains("there is no `response.docs`")
            && d[0].message.contains("`response.results` (2 objects"),
        "{}",
        d[0].message
    );
    // `.`: the document is the record (here it has no title or text of its own).
    let (lines, d) = read_with("article_with_related.json", opts("."));
    assert_eq!(lines.len(), 1, "{d:?}");
}
