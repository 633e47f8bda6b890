//! The RSS and Atom feeds in `../shared/corpora/rss_xml_feeds`, read with the feed reader, with
//! exact expectations (item counts taken independently from the files).
//!
//! The corpus is never copied into the project. When the folder is missing this test fails
//! with a message saying so; set `BROADSHEET_SKIP_SHARED=1` to skip it explicitly (it then
//! prints that it was skipped). `BROADSHEET_CORPORA` points elsewhere.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::PathBuf;

use broadsheet_ingest::encoding::sniff;
use broadsheet_ingest::readers::{feed, FileCtx};
use broadsheet_ingest::{
    format_date, parse_date, Diagnostic, Flow, Locator, Precision, RawRecord, ReadOptions,
    RecordPos, Severity, Sink,
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

/// What each feed must give: items, source, language, the first item's title, and the first and
/// last dates (UTC days).
struct Expect {
    file: &'static str,
    items: usize,
    source: &'static str,
    language: Option<&'static str>,
    first_title: &'static str,
    dates: (&'static str, &'static str),
}

const FEEDS: &[Expect] = &[
    Expect {
        file: "encoding-gb2312.xml",
        items: 20,
        source: "新闻国内",
        language: Some("zh-cn"),
        first_title: "习近平为何如此强调崇尚英雄？",
        dates: ("2018-09-17", "2018-09-18"),
    },
    Expect {
        file: "encoding.rss",
        items: 40,
        source: "Jornal de Notícias - Últimas Notícias",
        language: Some("pt-pt"),
        first_title: "Mãe de utente é a nova presidente da Raríssimas",
        dates: ("2018-01-03", "2018-01-03"),
    },
    Expect {
        file: "guardian.rss",
        items: 55,
        source: "The Guardian",
        language: Some("en-gb"),
        first_title: "Trump State of the Union address promised unity but emphasized discord",
        dates: ("2017-12-08", "2018-01-31"),
    },
    Expect {
        file: "heise.atom",
        items: 15,
        source: "heise developer neueste Meldungen",
        language: None,
        first_title: "Java-Anwendungsserver: Red Hat gibt WildFly 10 frei",
        dates: ("2016-01-28", "2016-02-01"),
    },
    Expect {
        file: "nhs-feed.rss",
        items: 2,
        source: "NHS North West News Feed",
        language: None,
        first_title: "As measles cases continue to rise, NHS North West invites thousands of school children to catch up with life-saving MMR",
        dates: ("2024-03-18", "2024-03-19"),
    },
    Expect {
        file: "uolNoticias.rss",
        items: 15,
        source: "UOL Noticias",
        language: None,
        first_title: "Ibope: Bolsonaro perde de Haddad, Ciro e Alckmin em simulações de 2º turno",
        dates: ("2018-09-24", "2018-09-24"),
    },
];

fn read_feed(path: &std::path::Path) -> Collect {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let mut head = Vec::new();
    File::open(path)
        .unwrap()
        .take(64 * 1024)
        .read_to_end(&mut head)
        .unwrap();
    let ctx = FileCtx {
        display: format!("rss_xml_feeds/{name}"),
        folder: None,
        file_name: name,
        encoding: sniff(&head, head.len() < 64 * 1024),
    };
    let mut input = BufReader::new(File::open(path).unwrap());
    let mut sink = Collect::default();
    feed::read(&mut input, &ctx, &ReadOptions::default(), &mut sink)
        .unwrap_or_else(|e| panic!("{}: {e}", ctx.display));
    sink
}

#[test]
fn rss_xml_feeds() {
    let Some(root) = corpora() else { return };
    let dir = root.join("rss_xml_feeds");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let expected: Vec<&str> = FEEDS.iter().map(|e| e.file).collect();
    assert_eq!(names, expected, "the six feeds");

    let mut total = 0;
    let mut all_diagnostics = Vec::new();
    for exp in FEEDS {
        let s = read_feed(&dir.join(exp.file));
        let f = exp.file;
        assert_eq!(s.records.len(), exp.items, "{f}: items");
        total += s.records.len();
        let mut days = Vec::new();
        for (i, (r, at)) in s.records.iter().enumerate() {
            assert_eq!(at.pos, RecordPos::Index(i as u64 + 1), "{f}");
            let title = r.title.as_deref().unwrap_or("");
            let body = r.body.as_deref().unwrap_or("");
            assert!(
                !title.trim().is_empty() || !body.trim().is_empty(),
                "{at}: neither a title nor a text"
            );
            for text in [title, body] {
                assert!(
                    !text.contains('\u{fffd}'),
                    "{at}: undecodable bytes in {text:?}"
                );
                assert!(
                    !text.contains("<p>") && !text.contains("&lt;") && !text.contains("&amp;"),
                    "{at}: markup left in {text:?}"
                );
            }
            assert_eq!(r.source.as_deref(), Some(exp.source), "{at}");
            assert_eq!(r.language.as_deref(), exp.language, "{at}");
            let Some(Value::String(d)) = &r.date else {
                panic!("{at}: no date");
            };
            let p = parse_date(d).unwrap_or_else(|e| panic!("{at}: {d:?}: {}", e.0));
            assert_eq!(p.precision, Precision::Second, "{at}: {d:?}");
            days.push(format_date(p.timestamp, Precision::Day));
        }
        assert_eq!(
            s.records[0].0.title.as_deref(),
            Some(exp.first_title),
            "{f}"
        );
        days.sort();
        assert_eq!(
            (days[0].as_str(), days[days.len() - 1].as_str()),
            exp.dates,
            "{f}: first and last days"
        );
        all_diagnostics.extend(s.diagnostics);
    }
    assert_eq!(total, 147);

    // The only note: the Latin-1 feed without an XML declaration, whose charset is detected.
    let notes: Vec<_> = all_diagnostics
        .iter()
        .map(|d| (d.locator.file.as_str(), d.severity, d.code))
        .collect();
    assert_eq!(
        notes,
        [("rss_xml_feeds/uolNoticias.rss", Severity::Info, "encoding")],
        "{all_diagnostics:#?}"
    );
}

#[test]
fn feed_fields() {
    let Some(root) = corpora() else { return };
    let dir = root.join("rss_xml_feeds");
    let get = |file: &str| read_feed(&dir.join(file)).records;

    // Guardian: HTML descriptions reduced to text, categories, dc:creator, pubDate before dc:date.
    let g = get("guardian.rss");
    let (r, _) = &g[0];
    assert_eq!(
        r.url.as_deref(),
        Some("https://www.theguardian.com/us-news/2018/jan/31/donald-trump-state-of-the-union-address-unity-discord")
    );
    assert_eq!(r.id.as_deref(), r.url.as_deref());
    assert_eq!(
        r.date,
        Some(Value::String("Wed, 31 Jan 2018 07:26:05 GMT".into()))
    );
    assert!(
        r.body.as_deref().unwrap().starts_with(
            "The president’s ‘new American moment’ speech stirred Republican applause while Democrats showed thinly disguised contempt\n\nDonald Trump has promised"
        ),
        "{:?}",
        r.body
    );
    assert!(r.body.as_deref().unwrap().ends_with("Continue reading..."));
    assert_eq!(r.section.as_deref(), Some("Donald Trump"));
    assert_eq!(r.extra["categories"].as_array().unwrap().len(), 7);
    assert!(r.author.is_some());
    let with_categories = g.iter().filter(|(r, _)| r.section.is_some()).count();
    assert_eq!(with_categories, 55);

    // heise: Atom links, ids, HTML content preferred over the summary, the feed's author.
    let h = get("heise.atom");
    let (r, _) = &h[0];
    assert_eq!(r.id.as_deref(), Some("http://heise.de/-3088438"));
    assert_eq!(
        r.url.as_deref(),
        Some("http://www.heise.de/developer/meldung/Java-Anwendungsserver-Red-Hat-gibt-WildFly-10-frei-3088438.html?wt_mc=rss.developer.beitrag.atom")
    );
    assert_eq!(
        r.date,
        Some(Value::String("2016-02-01T17:22:00+01:00".into()))
    );
    assert_eq!(r.author.as_deref(), Some("heise online"));
    assert!(r
        .body
        .as_deref()
        .unwrap()
        .starts_with("Die nun verfügbare Version 10"));

    // gb2312: categories that are empty elements are not categories.
    let c = get("encoding-gb2312.xml");
    assert!(c.iter().all(|(r, _)| r.section.is_none()));
    assert_eq!(c[0].0.author.as_deref(), Some("www.qq.com"));
    assert_eq!(
        c[0].0.url.as_deref(),
        Some("http://news.qq.com/a/20180918/009846.htm")
    );

    // UOL: CDATA titles and links, Portuguese dates.
    let u = get("uolNoticias.rss");
    assert_eq!(
        u[0].0.date,
        Some(Value::String("Seg, 24 Set 2018 19:42:40 -0300".into()))
    );
    assert!(u[0]
        .0
        .url
        .as_deref()
        .unwrap()
        .starts_with("https://noticias.uol.com.br/"));

    // Jornal de Notícias: the feedburner original link is kept beside the feed's link.
    let j = get("encoding.rss");
    let extra: &BTreeMap<String, Value> = &j[0].0.extra;
    assert_eq!(
        extra["feedburner:origLink"],
        Value::String("https://www.jn.pt/nacional/interior/sonia-laig-e-a-nova-presidente-da-rarissimas-9021600.html".into())
    );
    assert_eq!(j[0].0.section.as_deref(), Some("Nacional"));
}
