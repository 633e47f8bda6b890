//! Analyses on small corpora whose answers are known by construction or by hand.

use polars::prelude::*;

use broadsheet_lexis::{StopWordSettings, TextSettings};
use broadsheet_store::{Filters, Subcorpus};

use crate::colloc::{CollocSpec, Measure};
use crate::dispersion::DispersionSpec;
use crate::keyness::KeynessSpec;
use crate::kwic::{KwicSort, KwicSpec};
use crate::terms::TermsSpec;
use crate::testutil::store_with;
use crate::timeline::{GroupBy, TimelineSpec};
use crate::{Analyzer, Concept, Period};

fn col_str(df: &DataFrame, name: &str) -> Vec<String> {
    df.column(name)
        .unwrap()
        .as_materialized_series()
        .iter()
        .map(|v| match v {
            AnyValue::String(s) => s.to_string(),
            AnyValue::Null => String::new(),
            other => other.to_string(),
        })
        .collect()
}

fn col_u64(df: &DataFrame, name: &str) -> Vec<u64> {
    df.column(name)
        .unwrap()
        .u64()
        .unwrap()
        .into_no_null_iter()
        .collect()
}

fn col_f64(df: &DataFrame, name: &str) -> Vec<Option<f64>> {
    df.column(name).unwrap().f64().unwrap().iter().collect()
}

fn rec(title: &str, text: &str, date: Option<&str>, source: &str, id: usize) -> String {
    let mut v = serde_json::json!({"title": title, "text": text, "source": source, "id": id.to_string(), "language": "en"});
    if let Some(d) = date {
        v["date"] = serde_json::json!(d);
    }
    v.to_string() + "\n"
}

/// A corpus with planted monthly shares: in month m of 2020, `10 + m` articles from each of two
/// sources, of which exactly `m` (source A) and `2m mod 7` (source B) mention security; plus
/// undated and month-precision articles.
fn planted() -> (String, Vec<(String, u64, u64)>) {
    let mut s = String::new();
    let mut truth = Vec::new();
    let mut id = 0;
    for m in 1..=12u64 {
        for (src, k) in [("A", m), ("B", (2 * m) % 7)] {
            let n = 10 + m;
            for i in 0..n {
                id += 1;
                let text = if i < k {
                    "Officials discussed security on the border."
                } else {
                    "Officials discussed trade and prices."
                };
                s.push_str(&rec(
                    "Report",
                    text,
                    Some(&format!("2020-{m:02}-{:02}", 1 + i % 28)),
                    src,
                    id,
                ));
            }
            truth.push((format!("2020-{m:02}|{src}"), k, n));
        }
    }
    for i in 0..5 {
        id += 1;
        s.push_str(&rec(
            "Undated",
            if i < 2 { "security again" } else { "nothing" },
            None,
            "A",
            id,
        ));
    }
    id += 1;
    s.push_str(&rec("Month only", "security", Some("2020-06"), "A", id));
    (s, truth)
}

fn concept(q: &str) -> Concept {
    Concept::new("security", q)
}

#[test]
fn timeline_shares_come_out_exactly_as_planted() {
    let (records, truth) = planted();
    let (_d, store) = store_with(&records);
    let a = Analyzer::new(&store, &TextSettings::default()).unwrap();
    let t = a
        .timeline(&TimelineSpec {
            concepts: vec![concept("security")],
            base: Subcorpus::default(),
            period: Period::Month,
            group_by: GroupBy::Source,
            min_total: 12,
        })
        .unwrap();
    let df = &t.frame;
    let (period, group, count, total, share) = (
        col_str(df, "period"),
        col_str(df, "group"),
        col_u64(df, "count"),
        col_u64(df, "total"),
        col_f64(df, "share"),
    );
    for (key, k, n) in &truth {
        let (p, g) = key.split_once('|').unwrap();
        let row = (0..df.height())
            .find(|i| period[*i] == p && group[*i] == g)
            .unwrap();
        // The month-precision article sits in June of source A.
        let (k, n) = if key == "2020-06|A" {
            (k + 1, n + 1)
        } else {
            (*k, *n)
        };
        assert_eq!((count[row], total[row]), (k, n), "{key}");
        assert_eq!(share[row], Some(k as f64 / n as f64), "{key}");
    }
    // Undated articles have their own row, never dropped.
    let undated = (0..df.height())
        .find(|i| period[*i] == "undated" && group[*i] == "A")
        .unwrap();
    assert_eq!((count[undated], total[undated]), (2, 5));
    let undated_b = (0..df.height())
        .find(|i| period[*i] == "undated" && group[*i] == "B")
        .unwrap();
    assert_eq!(total[undated_b], 0);
    assert_eq!(t.note_value("undated"), Some("5"));
    // Low denominators are flagged: January has 11 articles per source, under the threshold 12.
    let low = col_str(df, "low_total");
    let jan = (0..df.height())
        .find(|i| period[*i] == "2020-01" && group[*i] == "A")
        .unwrap();
    assert_eq!(low[jan], "true");

    // By day, the month-precision article is imprecise, not placed on the 1st.
    let t = a
        .timeline(&TimelineSpec {
            concepts: vec![concept("security")],
            base: Subcorpus::default(),
            period: Period::Day,
            group_by: GroupBy::None,
            min_total: 0,
        })
        .unwrap();
    let p = col_str(&t.frame, "period");
    let imp = p.iter().position(|x| x == "imprecise").unwrap();
    assert_eq!(
        (
            col_u64(&t.frame, "count")[imp],
            col_u64(&t.frame, "total")[imp]
        ),
        (1, 1)
    );
    assert_eq!(p.first().map(String::as_str), Some("2020-01-01"));
}

#[test]
fn timeline_by_concept_shares_the_denominator() {
    let (records, _) = planted();
    let (_d, store) = store_with(&records);
    let a = Analyzer::new(&store, &TextSettings::default()).unwrap();
    let t = a
        .timeline(&TimelineSpec {
            concepts: vec![
                concept("security"),
                Concept {
                    name: "trade".into(),
                    query: "trade OR prices".into(),
                    description: None,
                    ..Concept::default()
                },
            ],
            base: Subcorpus {
                query: None,
                filters: Filters {
                    sources: vec!["A".into()],
                    ..Filters::default()
                },
            },
            period: Period::Quarter,
            group_by: GroupBy::Concept,
            min_total: 0,
        })
        .unwrap();
    let df = &t.frame;
    let groups = col_str(df, "group");
    assert_eq!(
        groups.first().map(String::as_str),
        Some("security"),
        "concepts in the order given"
    );
    let period = col_str(df, "period");
    let q1: Vec<usize> = (0..df.height())
        .filter(|i| period[*i] == "2020-Q1")
        .collect();
    let counts: Vec<u64> = q1.iter().map(|i| col_u64(df, "count")[*i]).collect();
    let totals: Vec<u64> = q1.iter().map(|i| col_u64(df, "total")[*i]).collect();
    // Q1 of source A: 11 + 12 + 13 = 36 articles, 1 + 2 + 3 = 6 about security, 30 about trade.
    assert_eq!(counts, vec![6, 30]);
    assert_eq!(totals, vec![36, 36]);
}

const SMALL: &str = "{\"title\":\"T1\",\"text\":\"the army of Russia and the army of Kyrgyzstan\",\"source\":\"S\",\"id\":\"1\",\"language\":\"en\",\"date\":\"2015-01-01\"}\n\
{\"title\":\"T2\",\"text\":\"the border of Kyrgyzstan\",\"source\":\"S\",\"id\":\"2\",\"language\":\"en\",\"date\":\"2016-01-01\"}\n\
{\"title\":\"T3\",\"text\":\"army army army army\",\"source\":\"R\",\"id\":\"3\",\"language\":\"en\",\"date\":\"2017-01-01\"}\n";

#[test]
fn word_lists_count_exactly() {
    let (_d, store) = store_with(SMALL);
    let a = Analyzer::new(&store, &TextSettings::default()).unwrap();
    let t = a
        .terms(&TermsSpec {
            subcorpus: Subcorpus::default(),
            n: 1,
            min_freq: 1,
            limit: 0,
        })
        .unwrap();
    let df = &t.frame;
    // Tokens: T1 + 9, T2 + 4, T3 + 4 = 20 (titles count: t1, t2, t3 are one token each).
    assert_eq!(t.note_value("tokens"), Some("20"));
    let terms = col_str(df, "term");
    assert_eq!(&terms[..3], &["army", "of", "the"], "ties by term");
    assert_eq!(&col_u64(df, "freq")[..3], &[6, 3, 3]);
    assert_eq!(&col_u64(df, "docs")[..3], &[2, 2, 2]);
    let pm = col_f64(df, "per_million");
    assert_eq!(pm[0], Some(6.0 / 20.0 * 1e6));
    // TF-IDF = freq × ln(3 articles / 2 docs).
    assert!((col_f64(df, "tfidf")[0].unwrap() - 6.0 * (1.5f64).ln()).abs() < 1e-12);

    // With English stop words, `the` and `of` go.
    let settings = TextSettings {
        stop_words: StopWordSettings {
            languages: vec!["en".into()],
            ..StopWordSettings::default()
        },
        ..TextSettings::default()
    };
    let a = Analyzer::new(&store, &settings).unwrap();
    let t = a
        .terms(&TermsSpec {
            subcorpus: Subcorpus::query_only("kyrgyzstan"),
            n: 1,
            min_freq: 1,
            limit: 3,
        })
        .unwrap();
    assert_eq!(
        col_str(&t.frame, "term"),
        vec!["army", "kyrgyzstan", "border"]
    );
    // Bigrams: `army of` ends in a stop word... `of russia` starts with one; `army army` counts.
    let t = a
        .terms(&TermsSpec {
            subcorpus: Subcorpus::default(),
            n: 2,
            min_freq: 1,
            limit: 0,
        })
        .unwrap();
    let terms = col_str(&t.frame, "term");
    assert_eq!(terms[0], "army army");
    assert_eq!(col_u64(&t.frame, "freq")[0], 3);
    assert!(!terms
        .iter()
        .any(|t| t.starts_with("the ") || t.ends_with(" of")));
}

#[test]
fn kwic_lines_and_sorting() {
    let (_d, store) = store_with(SMALL);
    let a = Analyzer::new(&store, &TextSettings::default()).unwrap();
    let spec = KwicSpec {
        query: "kyrgyzstan OR russia".into(),
        subcorpus: Subcorpus::default(),
        width: 2,
        sort: KwicSort::Corpus,
        limit: 0,
        offset: 0,
    };
    let t = a.kwic(&spec).unwrap();
    let df = &t.frame;
    assert_eq!(
        col_str(df, "node"),
        vec!["Russia", "Kyrgyzstan", "Kyrgyzstan"]
    );
    assert_eq!(col_str(df, "left"), vec!["army of", "army of", "border of"]);
    assert_eq!(col_str(df, "right"), vec!["and the", "", ""]);
    assert_eq!(
        col_str(df, "date"),
        vec!["2015-01-01", "2015-01-01", "2016-01-01"]
    );
    assert_eq!(t.note_value("lines"), Some("3"));
    // Sorted by the second word to the left: `army` < `border`, stable by corpus order.
    let t = a
        .kwic(&KwicSpec {
            sort: KwicSort::Left(1),
            ..spec.clone()
        })
        .unwrap();
    assert_eq!(
        col_str(&t.frame, "left"),
        vec!["army of", "army of", "border of"]
    );
    let t = a
        .kwic(&KwicSpec {
            sort: KwicSort::Left(2),
            ..spec.clone()
        })
        .unwrap();
    assert_eq!(
        col_str(&t.frame, "node"),
        vec!["Russia", "Kyrgyzstan", "Kyrgyzstan"]
    );
    // First page only.
    let t = a.kwic(&KwicSpec { limit: 1, ..spec }).unwrap();
    assert_eq!(t.frame.height(), 1);
}

#[test]
fn collocations_match_hand_counts() {
    let (_d, store) = store_with(SMALL);
    let a = Analyzer::new(&store, &TextSettings::default()).unwrap();
    let t = a
        .collocations(&CollocSpec {
            node: "army".into(),
            subcorpus: Subcorpus::default(),
            left: 1,
            right: 1,
            min_freq: 1,
            sort: Measure::Freq,
            limit: 0,
        })
        .unwrap();
    let df = &t.frame;
    // `army` occurs 6 times: T1 twice (the army of, the army of), T3 four times in a row.
    // Windows ±1: T1: the/of, the/of → the 2, of 2; T3: positions 0..3 → army 6 (each of the
    // four has neighbours: 1 + 2 + 2 + 1 = 6 army neighbours).
    assert_eq!(t.note_value("node_freq"), Some("6"));
    let words = col_str(df, "collocate");
    let freq = col_u64(df, "freq");
    let get = |w: &str| words.iter().position(|x| x == w).map(|i| freq[i]);
    assert_eq!(get("army"), Some(6));
    assert_eq!(get("the"), Some(2));
    assert_eq!(get("of"), Some(2));
    // Window positions: T1 2 × 2, T3 1 + 2 + 2 + 1 = 6 → 10.
    assert_eq!(t.note_value("window_tokens"), Some("10"));
    // logDice for `of`: 14 + log2(2 × 2 / (6 + 3)).
    let ld = col_f64(df, "log_dice")[words.iter().position(|x| x == "of").unwrap()].unwrap();
    assert!((ld - (14.0 + (4.0f64 / 9.0).log2())).abs() < 1e-12, "{ld}");
}

#[test]
fn keyness_against_the_rest() {
    let (_d, store) = store_with(SMALL);
    let a = Analyzer::new(&store, &TextSettings::default()).unwrap();
    let t = a
        .keyness(&KeynessSpec {
            target: Subcorpus {
                query: None,
                filters: Filters {
                    sources: vec!["R".into()],
                    ..Filters::default()
                },
            },
            reference: None,
            min_freq: 1,
            limit: 0,
        })
        .unwrap();
    let df = &t.frame;
    assert_eq!(t.note_value("target_tokens"), Some("5"));
    assert_eq!(t.note_value("reference_tokens"), Some("15"));
    let terms = col_str(df, "term");
    assert_eq!(terms[0], "army");
    // a = 4, b = 2, c = 5, d = 15: E1 = 5·6/20 = 1.5, E2 = 4.5;
    // G2 = 2(4 ln(4/1.5) + 2 ln(2/4.5)) (Rayson & Garside 2000).
    let expected = 2.0 * (4.0 * (4.0f64 / 1.5).ln() + 2.0 * (2.0f64 / 4.5).ln());
    assert!((col_f64(df, "g2")[0].unwrap() - expected).abs() < 1e-9);
    assert_eq!(col_u64(df, "docs_target")[0], 1);
    // A word all in one article of one part: DP over one part is 0.
    assert_eq!(col_f64(df, "dp_target")[0], Some(0.0));
}

#[test]
fn keyness_limit_keeps_both_sides() {
    let (_d, store) = store_with(SMALL);
    let a = Analyzer::new(&store, &TextSettings::default()).unwrap();
    let spec = |limit| KeynessSpec {
        target: Subcorpus {
            query: None,
            filters: Filters {
                sources: vec!["R".into()],
                ..Filters::default()
            },
        },
        reference: None,
        min_freq: 1,
        limit,
    };
    let all = col_f64(&a.keyness(&spec(0)).unwrap().frame, "g2");
    let short = a.keyness(&spec(1)).unwrap();
    let g2 = col_f64(&short.frame, "g2");
    // One word per side: the most key in the target and the most key in the reference.
    assert_eq!(g2.len(), 2, "{g2:?}");
    assert_eq!(g2[0], all[0]);
    assert!(g2[0].unwrap() > 0.0);
    let lowest = all.iter().flatten().copied().fold(f64::INFINITY, f64::min);
    assert!(lowest < 0.0, "the fixture has reference key words: {all:?}");
    assert_eq!(g2[1], Some(lowest));
}

#[test]
fn dispersion_rows_follow_date_order() {
    let (_d, store) = store_with(SMALL);
    let a = Analyzer::new(&store, &TextSettings::default()).unwrap();
    let t = a
        .dispersion(&DispersionSpec {
            terms: vec!["army".into(), "kyrgyzstan".into()],
            subcorpus: Subcorpus::default(),
        })
        .unwrap();
    let df = &t.frame;
    assert_eq!(
        col_str(df, "term"),
        vec!["army", "army", "kyrgyzstan", "kyrgyzstan"]
    );
    assert_eq!(col_u64(df, "rank"), vec![0, 2, 0, 1]);
    assert_eq!(col_u64(df, "count"), vec![2, 4, 1, 1]);
    assert_eq!(
        col_f64(df, "position"),
        vec![Some(0.0), Some(1.0), Some(0.0), Some(0.5)]
    );
    assert_eq!(t.note_value("army: freq"), Some("6"));
}

#[test]
fn concept_audit_is_reproducible() {
    let (records, _) = planted();
    let (_d, store) = store_with(&records);
    let a = Analyzer::new(&store, &TextSettings::default()).unwrap();
    let c = concept("security");
    let t1 = a.concept_audit(&c, &Subcorpus::default(), 5, 7).unwrap();
    let t2 = a.concept_audit(&c, &Subcorpus::default(), 5, 7).unwrap();
    assert_eq!(col_str(&t1.frame, "id"), col_str(&t2.frame, "id"));
    assert_eq!(t1.frame.height(), 5);
    assert!(col_str(&t1.frame, "matched")
        .iter()
        .all(|m| m.to_lowercase() == "security"));
    assert!(col_str(&t1.frame, "context")
        .iter()
        .all(|c| c.contains("[security]")));
}

/// Issue 20: the audit's date column mixed `2018-11-05T10:05:01Z` and `2021-05-28`.
#[test]
fn concept_audit_dates_are_one_form() {
    let records = rec("A", "security talks", Some("2018-11-05T10:05:01Z"), "S", 1)
        + &rec("B", "security again", Some("2021-05-28"), "S", 2)
        + &rec("C", "security in May", Some("2021-05"), "S", 3);
    let (_d, store) = store_with(&records);
    let a = Analyzer::new(&store, &TextSettings::default()).unwrap();
    let t = a
        .concept_audit(&concept("security"), &Subcorpus::default(), 5, 1)
        .unwrap();
    let mut dates = col_str(&t.frame, "date");
    dates.sort();
    assert_eq!(dates, ["2018-11-05", "2021-05", "2021-05-28"]);
}

/// Issue 20: the first timeline a user drew had a monthly period over sparse data, nearly every
/// point flagged as resting on fewer than five articles. Without a period the timeline takes the
/// finest one whose median articles per group and period reach the threshold. The planted corpus
/// has 11–22 articles per source and month, dated on days 1–22: a week never holds 16, a month's
/// median is 16.5, every quarter holds at least 36.
#[test]
fn timeline_without_a_period_chooses_one_whose_points_rest_on_enough_articles() {
    use crate::entry::{AnalysisEntry, Kind};
    use crate::ConceptSet;
    let (records, _) = planted();
    let (_d, store) = store_with(&records);
    let a = Analyzer::new(&store, &TextSettings::default()).unwrap();
    let concepts = ConceptSet(vec![concept("security")]);
    let run = |period: Option<Period>, min_total: u64| {
        AnalysisEntry {
            kind: Kind::Timeline,
            concepts: vec!["security".into()],
            period,
            min_total: Some(min_total),
            ..Default::default()
        }
        .compute(&a, &concepts)
        .unwrap()
    };
    for (min_total, expected) in [
        (1, "week"),
        (16, "month"),
        (30, "quarter"),
        (10_000, "year"),
    ] {
        let t = run(None, min_total);
        assert_eq!(
            t.note_value("period"),
            Some(expected),
            "min_total {min_total}"
        );
        assert!(t.note_value("period_chosen").is_some());
        let share = t.note_value("share").unwrap();
        assert!(share.ends_with(&format!("in the {expected}")), "{share}");
    }
    let fixed = run(Some(Period::Day), 16);
    assert_eq!(fixed.note_value("period"), Some("day"));
    assert_eq!(fixed.note_value("period_chosen"), None);
    assert_eq!(
        fixed.note_value("share"),
        Some("articles matching «security» among all articles of the source in the day")
    );
}

/// Issue 20: keyness of an English outlet against the rest of a mixed-language corpus gave
/// `the, a, in` against `что, а, на`. By default the reference is the rest in the target's
/// languages, said in the notes; a reference in other languages is warned about.
#[test]
fn keyness_compares_like_with_like_by_default() {
    let mut records = String::new();
    let mut id = 0;
    for (source, lang, text, n) in [
        (
            "A",
            "en",
            "the border guards reported shooting in the valley",
            6,
        ),
        ("B", "en", "the markets reported prices in the valley", 6),
        ("C", "ru", "что на границе стреляли а потом", 5),
    ] {
        for _ in 0..n {
            id += 1;
            let v = serde_json::json!({"title": "t", "text": text, "source": source,
                "id": id.to_string(), "language": lang, "date": "2020-01-01"});
            records.push_str(&(v.to_string() + "\n"));
        }
    }
    let (_d, store) = store_with(&records);
    let a = Analyzer::new(&store, &TextSettings::default()).unwrap();
    let target = Subcorpus {
        query: None,
        filters: Filters {
            sources: vec!["A".into()],
            ..Default::default()
        },
    };
    let t = a
        .keyness(&KeynessSpec {
            target: target.clone(),
            reference: None,
            min_freq: 1,
            limit: 100,
        })
        .unwrap();
    assert_eq!(t.note_value("reference_articles"), Some("6"));
    let note = t.note_value("reference").unwrap();
    assert!(
        note.contains("(en)") && note.contains("5 articles"),
        "{note}"
    );
    let terms = col_str(&t.frame, "term");
    assert!(!terms.iter().any(|w| w == "что"), "{terms:?}");

    let everything_else = Subcorpus {
        query: None,
        filters: Filters {
            sources: vec!["B".into(), "C".into()],
            ..Default::default()
        },
    };
    let t = a
        .keyness(&KeynessSpec {
            target,
            reference: Some(everything_else),
            min_freq: 1,
            limit: 100,
        })
        .unwrap();
    assert_eq!(t.note_value("reference_articles"), Some("11"));
    let warning = t.note_value("warning").unwrap();
    assert!(
        warning.contains("target is in en") && warning.contains("en, ru"),
        "{warning}"
    );
}

fn mapped_bytes(store: &broadsheet_store::Store) -> i64 {
    store
        .connection()
        .query_row("PRAGMA mmap_size", [], |r| r.get(0))
        .unwrap()
}

/// The scattered term vectors of a small word list are read through a memory map as large as
/// any corpus file (SQLite is built with a 1 TiB limit, `.cargo/config.toml`; its own default,
/// 2 GB, maps a third of a million-article corpus), and the map is gone afterwards: other
/// reads, and imports, go through the page cache.
#[test]
fn small_word_lists_read_through_a_map_and_leave_none() {
    let (dir, mut store) = store_with(SMALL);
    store.set_mapped_bytes(1 << 40).unwrap();
    assert_eq!(mapped_bytes(&store), 1 << 40, "SQLite's build limit");
    store.set_mapped_bytes(0).unwrap();
    let an = Analyzer::new(&store, &TextSettings::default()).unwrap();
    let spec = TermsSpec {
        subcorpus: Subcorpus::default(),
        n: 1,
        min_freq: 1,
        limit: 10,
    };
    assert!(an.terms(&spec).unwrap().frame.height() > 0);
    assert_eq!(mapped_bytes(&store), 0);
    drop(an);
    store.set_mapped_bytes(1 << 40).unwrap();
    let more = dir.path().join("more.jsonl");
    std::fs::write(&more, SMALL.replace("\"id\":\"", "\"id\":\"more-")).unwrap();
    broadsheet_store::import(
        &mut store,
        &broadsheet_store::ImportRequest::new(vec![more], Default::default()),
        &(),
        &std::sync::atomic::AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!(mapped_bytes(&store), 0, "an import maps nothing");
}
