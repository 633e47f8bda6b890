//! The lexicon, data-driven: every entry's queries parse, every entry has sentences in every
//! language, and each entry's concept finds its sentences and none of its near misses when they
//! are stored as articles of their language (data/lexicon_tests.toml).

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use super::*;
use crate::concepts::ConceptSet;
use crate::testutil::store_with;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    entry: String,
    lang: String,
    #[serde(rename = "match")]
    matches: Vec<String>,
    miss: Vec<String>,
}

#[derive(Deserialize)]
struct Cases {
    case: Vec<Case>,
}

fn cases() -> Vec<Case> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/lexicon_tests.toml");
    let text = std::fs::read_to_string(path).unwrap();
    toml::from_str::<Cases>(&text).unwrap().case
}

fn all_concepts() -> ConceptSet {
    ConceptSet(entries().iter().map(|e| e.to_concept(None)).collect())
}

#[test]
fn every_entry_parses_and_covers_every_language() {
    assert!(entries().len() >= 12, "{} entries", entries().len());
    let mut ids = BTreeSet::new();
    for e in entries() {
        assert!(ids.insert(e.id.as_str()), "duplicate id `{}`", e.id);
        let c = e.to_concept(None);
        c.validate()
            .unwrap_or_else(|err| panic!("entry `{}`: {err}", e.id));
        for lang in e.languages.keys() {
            assert!(
                LANGUAGES.contains(&lang.as_str()),
                "entry `{}`: language `{lang}` is not one of {LANGUAGES:?}",
                e.id
            );
        }
    }
    all_concepts().check_references().unwrap();
    // Every entry is tested in every language, with sentences it must find and must not.
    let mut covered: BTreeMap<(&str, &str), (usize, usize)> = BTreeMap::new();
    let cases = cases();
    for c in &cases {
        assert!(ids.contains(c.entry.as_str()), "no entry `{}`", c.entry);
        let n = covered.entry((&c.entry, &c.lang)).or_default();
        n.0 += c.matches.len();
        n.1 += c.miss.len();
    }
    for e in entries() {
        for lang in LANGUAGES {
            let (m, x) = covered
                .get(&(e.id.as_str(), lang))
                .copied()
                .unwrap_or_default();
            assert!(
                m >= 1 && x >= 1,
                "entry `{}` has {m} sentences to match and {x} to miss in `{lang}`",
                e.id
            );
        }
    }
}

/// Each entry's concept, expanded as a query would expand it (with its language guards), over
/// the test sentences stored as articles of their language.
#[test]
fn every_language_matches_its_sentences() {
    let cases = cases();
    let mut records = String::new();
    let mut url_of: Vec<(usize, bool, String)> = Vec::new(); // (case, should match, url)
    let mut n = 0;
    for (i, c) in cases.iter().enumerate() {
        for (texts, want) in [(&c.matches, true), (&c.miss, false)] {
            for text in texts {
                n += 1;
                let url = format!("https://lexicon.test/{n}");
                records.push_str(
                    &serde_json::json!({"title": "", "text": text, "language": c.lang, "url": url, "outlet": "lexicon"})
                        .to_string(),
                );
                records.push('\n');
                url_of.push((i, want, url));
            }
        }
    }
    let (_d, mut store) = store_with(&records);
    let set = all_concepts();
    store.set_concepts(set.definitions());
    let id_of: BTreeMap<String, i64> = store
        .connection()
        .prepare("SELECT url, id FROM articles")
        .unwrap()
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
        .unwrap()
        .map(|row| row.unwrap())
        .collect();
    assert_eq!(id_of.len(), n, "every sentence is stored as an article");
    let mut found: BTreeMap<&str, BTreeSet<i64>> = BTreeMap::new();
    for e in entries() {
        let q = format!("concept:\"{}\"", e.name);
        let ids = store
            .subcorpus_ids(&broadsheet_store::Subcorpus::query_only(&q))
            .unwrap_or_else(|err| panic!("{q}: {err}"));
        found.insert(e.id.as_str(), ids.into_iter().collect());
    }
    let mut failures = Vec::new();
    for (i, want, url) in &url_of {
        let c = &cases[*i];
        let got = found[c.entry.as_str()].contains(&id_of[url]);
        if got != *want {
            let text = c
                .matches
                .iter()
                .chain(&c.miss)
                .nth(
                    url_of
                        .iter()
                        .filter(|(j, _, _)| j == i)
                        .position(|(_, _, u)| u == url)
                        .unwrap(),
                )
                .unwrap();
            failures.push(format!(
                "entry `{}` ({}) should {}: {text}",
                c.entry,
                c.lang,
                if *want { "match" } else { "not match" }
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn an_entry_becomes_an_editable_concept() {
    let e = entry("csto").unwrap();
    let c = e.to_concept(Some("CSTO (mine)"));
    assert_eq!(c.name, "CSTO (mine)");
    assert_eq!(c.query, e.query);
    assert_eq!(c.languages, e.languages);
    assert!(c.description.as_deref().unwrap().contains("`csto`"));
    assert_eq!(e.to_concept(None).name, "CSTO");
    let err = entry("nothing").unwrap_err().to_string();
    assert!(err.contains("entries are security,"), "{err}");
    assert!(parse_lexicon("[[entry]]\nid = 1").is_err());
}
