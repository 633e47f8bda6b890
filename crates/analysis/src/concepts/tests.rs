//! Concepts with languages, in project files, inside queries, in timelines and in the audit.

use polars::prelude::*;

use broadsheet_lexis::TextSettings;
use broadsheet_store::Subcorpus;

use super::*;
use crate::testutil::store_with;
use crate::timeline::{GroupBy, TimelineSpec};
use crate::Period;

#[test]
fn samples_are_reproducible_and_distinct() {
    let ids: Vec<i64> = (1..=100).collect();
    let a = sample(&ids, 10, 42);
    assert_eq!(a, sample(&ids, 10, 42));
    assert_ne!(a, sample(&ids, 10, 43));
    let mut s = a.clone();
    s.sort();
    s.dedup();
    assert_eq!(s.len(), 10);
    assert_eq!(sample(&ids[..3], 10, 1).len(), 3);
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct ProjectLike {
    concepts: Vec<Concept>,
}

/// Project files written before concepts had languages still load, and are written back the
/// same way; a concept with languages is a `[concepts.languages]` table.
#[test]
fn project_files_with_and_without_languages_load() {
    let old = "[[concepts]]\nname = \"regional security\"\nquery = \"security OR militant*\"\ndescription = \"from 2024\"\n";
    let p: ProjectLike = toml::from_str(old).unwrap();
    assert_eq!(p.concepts[0].query, "security OR militant*");
    assert!(p.concepts[0].languages.is_empty());
    assert_eq!(toml::to_string(&p).unwrap(), old);

    let new = r#"
[[concepts]]
name = "regional security"
query = "security OR militant*"
[concepts.languages]
ru = "безопасност* OR боевик*"
fa = "امنیت*"
"#;
    let p: ProjectLike = toml::from_str(new).unwrap();
    let c = &p.concepts[0];
    assert_eq!(c.languages.len(), 2);
    c.validate().unwrap();
    assert_eq!(
        c.full_query(),
        "(security OR militant*) OR (lang:fa AND (امنیت*)) OR (lang:ru AND (безопасност* OR боевик*))"
    );
    let again: ProjectLike = toml::from_str(&toml::to_string(&p).unwrap()).unwrap();
    assert_eq!(again, p);
}

#[test]
fn validation_names_the_concept_and_the_language() {
    let mut c = Concept::new("s", "security");
    c.languages.insert("ru".into(), "безопасност* AND".into());
    let e = c.validate().unwrap_err().to_string();
    assert!(e.contains("concept `s` (its `ru` query)"), "{e}");
    let mut c = Concept::new("s", "security");
    c.languages.insert("klingonish".into(), "x".into());
    let e = c.validate().unwrap_err().to_string();
    assert!(e.contains("`klingonish` is not a language code"), "{e}");
    // A concept may hold language queries only.
    let mut c = Concept::new("s", "");
    c.languages.insert("ky".into(), "коопсуз*".into());
    c.validate().unwrap();
    assert_eq!(c.full_query(), "(lang:ky AND (коопсуз*))");
    assert!(Concept::new("s", " ").validate().is_err());
}

#[test]
fn references_between_concepts_are_checked() {
    let set = ConceptSet(vec![
        Concept::new("security", "security OR militant*"),
        Concept::new("regional security", "concept:security place:central-asia"),
    ]);
    set.check_references().unwrap();
    let set = ConceptSet(vec![
        Concept::new("a", "x OR concept:b"),
        Concept::new("b", "concept:a"),
    ]);
    let e = set.check_references().unwrap_err().to_string();
    assert!(e.contains("`a` → `b` → `a`"), "{e}");
    let set = ConceptSet(vec![Concept::new("a", "concept:missing")]);
    let e = set.check_references().unwrap_err().to_string();
    assert!(e.contains("no concept `missing`"), "{e}");
}

fn col(df: &DataFrame, name: &str) -> Vec<String> {
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

fn regional_security() -> Concept {
    let mut c = Concept::new("regional security", "security OR militant*");
    c.languages
        .insert("ru".into(), "безопасност* OR боевик*".into());
    c
}

/// The researcher's question as a timeline: per outlet and month, the articles matching the
/// regional-security concept *and* mentioning a Central Asian country, over *all* of the
/// outlet's articles that month. Checked against a hand count of the fixture (the store test
/// `place_and_concept_in_the_query_keep_the_outlets_denominator` checks the places as tagged).
#[test]
fn timeline_of_place_and_concept_keeps_the_outlets_denominator() {
    let (_d, mut store) = store_with(QUESTION);
    let set = ConceptSet(vec![regional_security()]);
    store.set_concepts(set.definitions());
    let a = Analyzer::new(&store, &TextSettings::default()).unwrap();
    let t = a
        .timeline(&TimelineSpec {
            concepts: vec![Concept::new(
                "question",
                "place:central-asia AND concept:\"regional security\"",
            )],
            base: Subcorpus::default(),
            period: Period::Month,
            group_by: GroupBy::Source,
            min_total: 0,
        })
        .unwrap();
    let df = &t.frame;
    let mut rows: Vec<(String, String, u64, u64)> = (0..df.height())
        .map(|i| {
            (
                col(df, "group")[i].clone(),
                col(df, "period")[i].clone(),
                col_u64(df, "count")[i],
                col_u64(df, "total")[i],
            )
        })
        .filter(|r| r.3 > 0)
        .collect();
    rows.sort();
    let hand = |g: &str, p: &str, c: u64, t: u64| (g.to_string(), p.to_string(), c, t);
    assert_eq!(
        rows,
        vec![
            hand("Steppe Wire", "2023-01", 1, 4),
            hand("Steppe Wire", "2023-02", 1, 2),
            hand("Новости", "2023-01", 1, 2),
            hand("Новости", "2023-02", 1, 2),
        ]
    );
}

/// The audit of a concept with languages: the article's language in a column, the matching
/// articles per language in the notes, and the matched words from the general query and the
/// article's own language's query.
#[test]
fn audit_shows_matches_per_language() {
    let (_d, store) = store_with(QUESTION);
    let a = Analyzer::new(&store, &TextSettings::default()).unwrap();
    let t = a
        .concept_audit(&regional_security(), &Subcorpus::default(), 10, 1)
        .unwrap();
    // en: sw/1 (security), sw/3 and sw/5 (militants); ru: nv/1 (безопасность), nv/3 and nv/4
    // (боевики, боевиках).
    assert_eq!(t.note_value("matching articles"), Some("6"));
    assert_eq!(t.note_value("matching articles (en)"), Some("3"));
    assert_eq!(t.note_value("matching articles (ru)"), Some("3"));
    let df = &t.frame;
    let langs = col(df, "language");
    let matched = col(df, "matched");
    for (lang, words) in langs.iter().zip(&matched) {
        let words = words.to_lowercase();
        match lang.as_str() {
            "en" => assert!(
                words.contains("security") || words.contains("militants"),
                "{words}"
            ),
            "ru" => assert!(
                words.contains("безопасность") || words.contains("боевик"),
                "{words}"
            ),
            other => panic!("language {other:?}"),
        }
    }
    assert_eq!(langs.iter().filter(|l| *l == "ru").count(), 3);
}

/// A concordance of a query naming a concept has the concept's words as its nodes (and none from
/// `place:`), and covers exactly the articles the query selects.
#[test]
fn kwic_of_a_concept_marks_the_concepts_words() {
    use crate::kwic::{KwicSort, KwicSpec};
    let (_d, mut store) = store_with(QUESTION);
    store.set_concepts(ConceptSet(vec![regional_security()]).definitions());
    let a = Analyzer::new(&store, &TextSettings::default()).unwrap();
    let t = a
        .kwic(&KwicSpec {
            query: "place:central-asia AND concept:\"regional security\"".into(),
            subcorpus: Subcorpus::default(),
            width: 3,
            sort: KwicSort::Corpus,
            limit: 0,
            offset: 0,
        })
        .unwrap();
    let mut nodes: Vec<String> = col(&t.frame, "node")
        .iter()
        .map(|n| n.to_lowercase())
        .collect();
    nodes.sort();
    nodes.dedup();
    assert_eq!(
        nodes,
        ["militants", "security", "безопасность", "боевиках"],
        "sw/1, sw/5, nv/1, nv/4"
    );
    let mut ids: Vec<String> = col(&t.frame, "id");
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 4);
}
