//! Metadata terms and concepts inside queries, against real stores: the evaluation over indexes
//! agrees with the joined statement, each key means what the filters mean, errors point at the
//! term, and the researcher's question keeps its denominator.

use std::path::Path;

use broadsheet_query::{ConceptDef, Concepts, Span};

use super::{run, store_in};
use crate::{Filters, SearchRequest, Sort, Store, StoreError, Subcorpus};

/// The whole demo corpus: five outlets, English, Russian and Persian, sections, dates at day
/// precision and none (Tien Shan Times).
fn full_demo(dir: &Path) -> Store {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../datasets/demo");
    let mut s = store_in(dir);
    run(
        &mut s,
        &[
            &demo.join("steppe_herald.jsonl"),
            &demo.join("caspian_wire.csv"),
            &demo.join("novosti_evrazii.json"),
            &demo.join("payam_asia.jsonl"),
            &demo.join("tien_shan_times"),
        ],
    );
    s
}

fn demo_concepts() -> Concepts {
    let mut c = Concepts::new();
    c.insert(
        "security",
        ConceptDef::general("security OR militant* OR border*"),
    );
    c.insert(
        "regional security",
        ConceptDef::general("concept:security AND place:central-asia"),
    );
    c.insert(
        "multi",
        ConceptDef {
            query: "CSTO".into(),
            languages: [
                ("ru".to_string(), "безопасност* OR границ*".to_string()),
                ("fa".to_string(), "امنیت*".to_string()),
            ]
            .into_iter()
            .collect(),
        },
    );
    c
}

fn ids(s: &Store, q: &str) -> Vec<i64> {
    s.subcorpus_ids(&Subcorpus::query_only(q))
        .unwrap_or_else(|e| panic!("{q}: {e}"))
}

fn query_err(s: &Store, q: &str) -> broadsheet_query::QueryError {
    match s.subcorpus_ids(&Subcorpus::query_only(q)) {
        Err(StoreError::Query(e)) => e,
        other => panic!("{q}: expected a query error, got {other:?}"),
    }
}

/// Regression (the fast path of `subcorpus_ids`): a query with metadata terms is evaluated over
/// the indexes — FTS5 for its text, one statement per metadata term, combined in Rust — and
/// must give exactly the ids of the joined statement, with and without filters.
#[test]
fn metadata_terms_from_the_indexes_agree_with_the_joined_statement() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = full_demo(dir.path());
    s.set_concepts(demo_concepts());
    let queries = [
        "place:central-asia",
        "place:KG",
        "security place:central-asia",
        "security OR place:KG",
        "NOT place:central-asia",
        "lang:ru",
        "lang:fa OR lang:en-US",
        "NOT lang:en",
        "lang:unknown",
        "source:\"Steppe Herald\"",
        "source:\"steppe herald\"",
        "-source:\"Caspian Wire\" border*",
        "section:politics",
        "NOT section:politics",
        "date:2015",
        "date:2015-06..2016-05",
        "date:..2014-06",
        "date:2022..",
        "NOT date:2015..",
        "date:2016-03-01..2016-03-20",
        "concept:security AND place:central-asia",
        "concept:\"regional security\"",
        "(concept:security OR lang:ru) AND NOT date:2016",
        "concept:multi",
        "NOT concept:multi",
        "security -place:KG -lang:ru",
        "(place:TJ OR place:UZ) AND (section:politics OR date:..2015)",
    ];
    let filters = [
        Filters::default(),
        Filters {
            from: Some("2016".into()),
            ..Filters::default()
        },
        Filters {
            places: vec!["central-asia".into()],
            ..Filters::default()
        },
        Filters {
            places: vec!["KG".into()],
            to: Some("2017".into()),
            ..Filters::default()
        },
    ];
    let mut nonempty = 0;
    for q in queries {
        for f in &filters {
            let sc = Subcorpus {
                query: Some(q.into()),
                filters: f.clone(),
            };
            let c = s.compile(&sc).unwrap_or_else(|e| panic!("{q}: {e}"));
            assert!(c.plan.is_some() && c.filters_index_only, "{q} {f:?}");
            let fast = s.subcorpus_ids(&sc).unwrap();
            let joined = s.ids_by_join(&c).unwrap();
            assert_eq!(fast, joined, "{q} with {f:?}");
            assert_eq!(s.count(&sc).unwrap(), fast.len() as u64, "{q} with {f:?}");
            if !fast.is_empty() {
                nonempty += 1;
            }
        }
    }
    assert!(
        nonempty >= 80,
        "only {nonempty} of {} combinations found articles",
        queries.len() * filters.len()
    );
}

/// Each metadata term selects what the corresponding filter selects.
#[test]
fn every_key_means_what_its_filter_means() {
    let dir = tempfile::tempdir().unwrap();
    let s = full_demo(dir.path());
    let by_filter = |f: Filters| {
        s.subcorpus_ids(&Subcorpus {
            query: None,
            filters: f,
        })
        .unwrap()
    };
    let cases: Vec<(&str, Filters)> = vec![
        (
            "place:central-asia",
            Filters {
                places: vec!["central-asia".into()],
                ..Filters::default()
            },
        ),
        (
            "source:\"Caspian Wire\"",
            Filters {
                sources: vec!["Caspian Wire".into()],
                ..Filters::default()
            },
        ),
        (
            "lang:ru",
            Filters {
                languages: vec!["ru".into()],
                ..Filters::default()
            },
        ),
        // `en-US` is `en`, in the query as in the filter.
        (
            "lang:en-US",
            Filters {
                languages: vec!["en".into()],
                ..Filters::default()
            },
        ),
        (
            "lang:English",
            Filters {
                languages: vec!["en".into()],
                ..Filters::default()
            },
        ),
    ];
    for (q, f) in cases {
        let want = by_filter(f);
        assert!(!want.is_empty(), "{q}");
        assert_eq!(ids(&s, q), want, "{q}");
    }
    assert_eq!(ids(&s, "lang:en-US"), ids(&s, "lang:en"));
    // Sections: compared with the stored column directly, ignoring ASCII case.
    let politics: Vec<i64> = s
        .conn
        .prepare("SELECT id FROM articles WHERE lower(section) = 'politics' ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(!politics.is_empty());
    assert_eq!(ids(&s, "section:politics"), politics);
    assert_eq!(ids(&s, "section:POLITICS"), politics);
}

/// `date:` follows the date rules of `--from`/`--to` at every precision, in every form.
#[test]
fn date_ranges_at_every_precision_match_the_date_filters() {
    let dir = tempfile::tempdir().unwrap();
    let s = full_demo(dir.path());
    let window = |from: Option<&str>, to: Option<&str>| {
        s.subcorpus_ids(&Subcorpus {
            query: None,
            filters: Filters {
                from: from.map(str::to_string),
                to: to.map(str::to_string),
                ..Filters::default()
            },
        })
        .unwrap()
    };
    let cases: &[(&str, Option<&str>, Option<&str>)] = &[
        ("date:2015", Some("2015"), Some("2015")),
        ("date:2015-06", Some("2015-06"), Some("2015-06")),
        ("date:2015-06-03", Some("2015-06-03"), Some("2015-06-03")),
        ("date:2015-06..2016-05", Some("2015-06"), Some("2016-05")),
        ("date:2015..2016-02-10", Some("2015"), Some("2016-02-10")),
        ("date:2021..", Some("2021"), None),
        ("date:2021-08..", Some("2021-08"), None),
        ("date:..2014-06", None, Some("2014-06")),
        ("date:..2014", None, Some("2014")),
        (
            "date:\"2016-01 .. 2016-03\"",
            Some("2016-01"),
            Some("2016-03"),
        ),
    ];
    for (q, from, to) in cases {
        let want = window(*from, *to);
        assert_eq!(ids(&s, q), want, "{q}");
    }
    // A year is the whole year: not just its first month.
    assert!(ids(&s, "date:2015").len() > ids(&s, "date:2015-01").len());
    // NOT is the complement: undated articles are outside every date range.
    let total = s.count(&Subcorpus::default()).unwrap() as usize;
    let undated = s.count(&Subcorpus::query_only("NOT date:..2100")).unwrap() as usize;
    assert!(undated > 0, "the Tien Shan Times is undated");
    assert_eq!(
        ids(&s, "date:2015").len() + ids(&s, "NOT date:2015").len(),
        total
    );
}

/// Every key's errors point at the term (or the part of it) that is wrong.
#[test]
fn metadata_errors_point_at_the_term() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = full_demo(dir.path());
    let cases: &[(&str, &str, Span)] = &[
        (
            "security place:centrl-asia",
            "no place is named \"centrl-asia\": a place is an ISO country code (KG) or a region id (central-asia); `broadsheet regions --list` lists them; closest: \"central-asia\"",
            Span { start: 15, end: 26 },
        ),
        (
            "lang:zz",
            "language `zz` is not a language",
            Span { start: 5, end: 7 },
        ),
        (
            "source:\"Moscow Times\"",
            "no source is named \"Moscow Times\"; closest: \"tien_shan_times\", \"Caspian Wire\"",
            Span { start: 8, end: 20 },
        ),
        (
            "date:2023-13..2024",
            "cannot read the date `2023-13`",
            Span { start: 5, end: 12 },
        ),
        (
            "date:2023..2022",
            "ends before it begins",
            Span { start: 5, end: 15 },
        ),
        ("a date:..", "at least one side", Span { start: 7, end: 9 }),
        (
            "plac:KG",
            "unknown field `plac:`",
            Span { start: 0, end: 5 },
        ),
        (
            "concept:x",
            "no concept `x`: none is defined",
            Span { start: 8, end: 9 },
        ),
    ];
    for (q, msg, span) in cases {
        let e = query_err(&s, q);
        assert!(e.message.contains(msg), "{q}: {}", e.message);
        assert_eq!(e.span, *span, "{q}: {}", e.message);
    }
    s.set_concepts(
        [
            ("a", ConceptDef::general("x OR concept:b")),
            ("b", ConceptDef::general("concept:a")),
            ("c", ConceptDef::general("security place:atlantis")),
        ]
        .into_iter()
        .collect(),
    );
    let e = query_err(&s, "border OR concept:a");
    assert_eq!(e.message, "concept `a` uses itself: `a` → `b` → `a`");
    assert_eq!(e.span, Span { start: 10, end: 19 });
    // A wrong place inside a concept: at the `concept:` term, saying where in the concept.
    let e = query_err(&s, "concept:c");
    assert_eq!(e.span, Span { start: 0, end: 9 });
    assert!(
        e.message
            .starts_with("concept `c`, at character 16: no place is named \"atlantis\""),
        "{}",
        e.message
    );
    // Search and count report the same errors.
    assert!(matches!(
        s.count(&Subcorpus::query_only("lang:zz")),
        Err(StoreError::Query(_))
    ));
}

/// A concept used inside another concept, and a concept with language parts, select what
/// their written-out queries select.
#[test]
fn concepts_expand_inside_queries() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = full_demo(dir.path());
    s.set_concepts(demo_concepts());
    let nested = ids(&s, "concept:\"regional security\"");
    assert!(!nested.is_empty());
    assert_eq!(
        nested,
        ids(
            &s,
            "(security OR militant* OR border*) AND place:central-asia"
        )
    );
    // Concept names are found whatever their case.
    assert_eq!(ids(&s, "concept:\"Regional Security\""), nested);
    // Languages: the general part anywhere, each language's part only in that language.
    let multi = ids(&s, "concept:multi");
    let by_hand: Vec<i64> = {
        let mut v: Vec<i64> = ids(&s, "CSTO");
        v.extend(ids(&s, "lang:ru AND (безопасност* OR границ*)"));
        v.extend(ids(&s, "lang:fa AND امنیت*"));
        v.sort();
        v.dedup();
        v
    };
    assert_eq!(multi, by_hand);
    assert!(!ids(&s, "lang:ru AND (безопасност* OR границ*)").is_empty());
    assert!(!ids(&s, "lang:fa AND امنیت*").is_empty());
    let def = s.concepts().get("multi").unwrap().1.clone();
    assert_eq!(ids(&s, &def.full_query()), multi, "{}", def.full_query());
}

/// Highlights come from text terms only: a concept contributes its words, `place:` none.
#[test]
fn highlights_come_from_text_terms_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = full_demo(dir.path());
    s.set_concepts(demo_concepts());
    let search = |q: &str, sort: Sort| {
        s.search(&SearchRequest {
            subcorpus: Subcorpus::query_only(q),
            sort,
            limit: 5,
            offset: 0,
        })
        .unwrap()
    };
    let r = search("concept:security place:KG", Sort::Relevance);
    assert!(r.total > 0);
    for h in &r.hits {
        let marked: Vec<String> = h
            .snippet
            .iter()
            .filter(|g| g.hit)
            .map(|g| g.text.to_lowercase())
            .collect();
        assert!(!marked.is_empty(), "{h:?}");
        for m in marked {
            assert!(
                m.starts_with("security") || m.starts_with("militant") || m.starts_with("border"),
                "{m}"
            );
        }
    }
    let r = search("place:KG", Sort::Date);
    assert!(r.total > 0);
    assert!(r.hits.iter().all(|h| h.snippet.iter().all(|g| !g.hit)));
    // The parsed, expanded query gives the same words to other highlighters.
    let e = s.parse_query("concept:security -place:KG").unwrap();
    let words: Vec<&str> = e.positive_terms().iter().map(|t| t.text.as_str()).collect();
    assert_eq!(words, ["security", "militant", "border"]);
}

const QUESTION: &str = r#"{"outlet": "Steppe Wire", "language": "en", "date": "2023-01-05", "url": "https://sw.example/1", "title": "Border security", "text": "Security forces in Kyrgyzstan reinforced the border."}
{"outlet": "Steppe Wire", "language": "en", "date": "2023-01-10", "url": "https://sw.example/2", "title": "Trade fair", "text": "A trade fair opened in Almaty, Kazakhstan."}
{"outlet": "Steppe Wire", "language": "en", "date": "2023-01-20", "url": "https://sw.example/3", "title": "Checkpoint attack", "text": "Militants attacked a checkpoint in Syria."}
{"outlet": "Steppe Wire", "language": "en", "date": "2023-01-25", "url": "https://sw.example/4", "title": "Weather", "text": "Snow fell across the mountains overnight."}
{"outlet": "Steppe Wire", "language": "en", "date": "2023-02-03", "url": "https://sw.example/5", "title": "Crossing", "text": "Militants crossed into Tajikistan, officials said."}
{"outlet": "Steppe Wire", "language": "en", "date": "2023-02-14", "url": "https://sw.example/6", "title": "Football", "text": "The national team of Uzbekistan won the final."}
{"outlet": "Новости", "language": "ru", "date": "2023-01-07", "url": "https://nv.example/1", "title": "Граница", "text": "Кыргызстан усилил безопасность на границе."}
{"outlet": "Новости", "language": "ru", "date": "2023-01-15", "url": "https://nv.example/2", "title": "Погода", "text": "В Москве идёт снег, сообщает Россия."}
{"outlet": "Новости", "language": "ru", "date": "2023-02-01", "url": "https://nv.example/3", "title": "Сирия", "text": "Сирия: боевики напали на пост."}
{"outlet": "Новости", "language": "ru", "date": "2023-02-20", "url": "https://nv.example/4", "title": "Таджикистан", "text": "Таджикистан сообщил о боевиках на границе."}
"#;

/// The researcher's question: the share of each outlet's articles per month that match the
/// regional-security concept *and* mention a Central Asian country. Inside the query, the place
/// no longer shrinks the denominator (as `--place` does). Checked against a hand count of the
/// fixture above and the places as stored.
#[test]
fn place_and_concept_in_the_query_keep_the_outlets_denominator() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("question.jsonl");
    std::fs::write(&f, QUESTION).unwrap();
    let mut s = store_in(dir.path());
    run(&mut s, &[&f]);
    s.set_concepts(
        [(
            "regional security",
            ConceptDef {
                query: "security OR militant*".into(),
                languages: [("ru".to_string(), "безопасност* OR боевик*".to_string())]
                    .into_iter()
                    .collect(),
            },
        )]
        .into_iter()
        .collect(),
    );
    // The places as tagged, so that a failure below says whether the gazetteer or the query
    // changed: KG, KZ, UZ and TJ are Central Asian, SY and RU are not.
    let central: Vec<String> = s
        .conn
        .prepare(
            "SELECT a.url FROM articles a WHERE a.id IN (SELECT article_id FROM article_places
             WHERE place IN ('central-asia', 'KG', 'KZ', 'TJ', 'TM', 'UZ')) ORDER BY a.url",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        central,
        [
            "https://nv.example/1",
            "https://nv.example/4",
            "https://sw.example/1",
            "https://sw.example/2",
            "https://sw.example/5",
            "https://sw.example/6"
        ]
    );
    // Hand count: (outlet, month, matching, all articles of the outlet in the month).
    let expected = [
        ("Steppe Wire", "2023-01", 1, 4), // sw/1 (sw/2 no security word, sw/3 Syria)
        ("Steppe Wire", "2023-02", 1, 2), // sw/5 (sw/6 football)
        ("Новости", "2023-01", 1, 2),     // nv/1 (nv/2 Moscow)
        ("Новости", "2023-02", 1, 2),     // nv/4 (nv/3 Syria)
    ];
    for (outlet, month, count, total) in expected {
        let base = format!("source:\"{outlet}\" AND date:{month}");
        let counted = format!("{base} AND place:central-asia AND concept:\"regional security\"");
        assert_eq!(
            s.count(&Subcorpus::query_only(&counted)).unwrap(),
            count,
            "{counted}"
        );
        assert_eq!(
            s.count(&Subcorpus::query_only(&base)).unwrap(),
            total,
            "{base}"
        );
    }
    // The filter answers the other question: its denominator is the Central Asian articles.
    let with_filter = Subcorpus {
        query: Some("source:\"Steppe Wire\" AND date:2023-01".into()),
        filters: Filters {
            places: vec!["central-asia".into()],
            ..Filters::default()
        },
    };
    assert_eq!(s.count(&with_filter).unwrap(), 2);
}

/// Concepts nested as deeply as expansion allows, each nesting parentheses, make FTS5
/// expressions deeper than any single query can: they compile and run, or are refused with a
/// query error, never an SQLite error.
#[test]
fn deeply_nested_concepts_never_reach_fts5_limits() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("a.jsonl");
    std::fs::write(
        &f,
        r#"{"title": "a", "text": "w0 w1 w2 a b", "url": "https://e.org/1"}"#,
    )
    .unwrap();
    let mut s = store_in(dir.path());
    run(&mut s, &[&f]);
    for depth in [4usize, 10, 15, 30, 60] {
        let mut c = Concepts::new();
        for i in 0..7 {
            let open = "(a OR ".repeat(depth);
            let close = ")".repeat(depth);
            c.insert(
                format!("c{i}"),
                ConceptDef::general(format!("{open}w{i} concept:c{}{close}", i + 1)),
            );
        }
        c.insert("c7", ConceptDef::general("b"));
        s.set_concepts(c);
        for q in ["concept:c0", "concept:c0 place:KG", "NOT concept:c0"] {
            match s.subcorpus_ids(&Subcorpus::query_only(q)) {
                Ok(found) => assert_eq!(found.len(), usize::from(q == "concept:c0")),
                // Up to 15 levels per concept (over 100 in all) is within the limit.
                Err(StoreError::Query(e)) if depth > 15 => {
                    assert!(e.message.contains("nests"), "{depth} {q}: {e}")
                }
                Err(e) => panic!("{depth} {q}: {e}"),
            }
        }
    }
}
