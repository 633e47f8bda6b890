//! The story corpus read back from its files with plain serde and csv (not through Broadsheet's
//! readers): every outlet has at least 12 articles every month, the security vocabulary (an
//! independent list of stems, matched on lowercased words) is in 15–30% of the articles and in
//! exactly the security stories, the planted peaks stand out, the languages are detected right,
//! and the same seed gives the same bytes.

use std::collections::BTreeMap;
use std::path::Path;

use broadsheet_gen::story::OUTLETS;

/// Word stems of the security vocabulary in the four languages (a word matches when it starts
/// with one), and two-word phrases whose second word may be inflected.
const STEMS: &[&str] = &[
    "security",
    "military",
    "militant",
    "border",
    "troops",
    "soldier",
    "army",
    "armed",
    "defence",
    "csto",
    "taliban",
    "clash",
    "unrest",
    "ceasefire",
    "peacekeep",
    "безопасност",
    "военн",
    "войск",
    "границ",
    "погранич",
    "одкб",
    "талиб",
    "боевик",
    "силовик",
    "вооруж",
    "миротвор",
    "беспорядк",
    "امنیت",
    "نظامی",
    "مرز",
    "ارتش",
    "طالبان",
    "سرباز",
    "رزمایش",
    "ناآرامی",
    "درگیری",
    "коопсуз",
    "аскер",
    "куралдуу",
    "кагылыш",
    "талиптер",
    "башаламандык",
    "жкку",
];
const PHRASES: &[(&str, &str)] = &[("чек", "ара")];

fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric() && c != '\u{200C}')
        .filter(|w| !w.is_empty())
        .map(|w| w.replace('\u{200C}', ""))
        .collect()
}

fn is_security(text: &str) -> bool {
    let w = words(text);
    w.iter().any(|x| STEMS.iter().any(|s| x.starts_with(s)))
        || w.windows(2).any(|p| {
            PHRASES
                .iter()
                .any(|(a, b)| p[0] == *a && p[1].starts_with(b))
        })
}

#[derive(Debug)]
struct Article {
    outlet: usize,
    month: String,
    section: String,
    text: String,
}

fn read_corpus(dir: &Path) -> Vec<Article> {
    let mut out = Vec::new();
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    let s = |v: &serde_json::Value, k: &str| v[k].as_str().unwrap().to_string();
    for line in read(OUTLETS[0].1).lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        out.push(Article {
            outlet: 0,
            month: s(&v, "published")[..7].to_string(),
            section: s(&v, "section"),
            text: format!("{}\n{}", s(&v, "headline"), s(&v, "text")),
        });
    }
    let arr: Vec<serde_json::Value> = serde_json::from_str(&read(OUTLETS[1].1)).unwrap();
    for v in arr {
        out.push(Article {
            outlet: 1,
            month: s(&v, "date")[..7].to_string(),
            section: s(&v, "category"),
            text: format!("{}\n{}", s(&v, "title"), s(&v, "text")),
        });
    }
    for line in read(OUTLETS[2].1).lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let paras: Vec<&str> = v["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        out.push(Article {
            outlet: 2,
            month: s(&v, "date")[..7].to_string(),
            section: s(&v, "service"),
            text: format!("{}\n{}", s(&v, "title"), paras.join("\n")),
        });
    }
    let mut csv = csv::Reader::from_path(dir.join(OUTLETS[3].1)).unwrap();
    for rec in csv.records() {
        let r = rec.unwrap();
        let date = &r[3]; // DD.MM.YYYY
        out.push(Article {
            outlet: 3,
            month: format!("{}-{}", &date[6..10], &date[3..5]),
            section: r[5].to_string(),
            text: format!("{}\n{}", &r[2], &r[6]),
        });
    }
    out
}

/// (matching, total) per outlet and month.
fn shares(corpus: &[Article]) -> BTreeMap<(usize, String), (usize, usize)> {
    let mut m: BTreeMap<(usize, String), (usize, usize)> = BTreeMap::new();
    for a in corpus {
        let e = m.entry((a.outlet, a.month.clone())).or_default();
        e.0 += is_security(&a.text) as usize;
        e.1 += 1;
    }
    m
}

fn share_of(m: &BTreeMap<(usize, String), (usize, usize)>, outlet: usize, month: &str) -> f64 {
    let (k, n) = m[&(outlet, month.to_string())];
    k as f64 / n as f64
}

fn median_2019(m: &BTreeMap<(usize, String), (usize, usize)>, outlet: usize) -> f64 {
    let mut v: Vec<f64> = (1..=12)
        .map(|mo| share_of(m, outlet, &format!("2019-{mo:02}")))
        .collect();
    v.sort_by(f64::total_cmp);
    (v[5] + v[6]) / 2.0
}

#[test]
fn story_corpus_has_dense_months_a_planted_concept_share_and_visible_peaks() {
    let dir = tempfile::tempdir().unwrap();
    let sum = broadsheet_gen::write_story(dir.path(), broadsheet_gen::STORY_SEED).unwrap();
    let corpus = read_corpus(dir.path());
    assert_eq!(corpus.len(), sum.articles.iter().sum::<usize>());
    assert!((4_500..=6_500).contains(&corpus.len()), "{}", corpus.len());
    assert!(sum.bytes < 8_000_000, "{} bytes", sum.bytes);

    // (a) every outlet × month from January 2019 to December 2024 has at least 12 articles.
    let m = shares(&corpus);
    assert_eq!(m.len(), 4 * 72, "outlet-months present");
    for ((outlet, month), (_, n)) in &m {
        assert!(*n >= 12, "{} {month}: {n} articles", OUTLETS[*outlet].0);
    }

    // (b) the vocabulary is in 15–30% of the articles, and in exactly the security stories.
    let matching = corpus.iter().filter(|a| is_security(&a.text)).count();
    let share = matching as f64 / corpus.len() as f64;
    assert!((0.15..=0.30).contains(&share), "share {share:.3}");
    let security_sections = ["security", "امنیت", "Коопсуздук"];
    for a in &corpus {
        assert_eq!(
            is_security(&a.text),
            security_sections.contains(&a.section.as_str()),
            "{} {} ({}): {}",
            OUTLETS[a.outlet].0,
            a.month,
            a.section,
            a.text
        );
    }
    assert_eq!(matching, sum.security.iter().sum::<usize>());

    // (c) the planted peaks: at least twice the outlet's 2019 median share.
    for (outlet, month) in [
        (3, "2022-09"), // Kyrgyz outlet, border clashes
        (3, "2021-04"),
        (2, "2021-08"), // Persian outlet, the Taliban take Kabul
        (1, "2022-01"), // Russian outlet, unrest in Kazakhstan
        (0, "2021-08"),
    ] {
        let (peak, base) = (share_of(&m, outlet, month), median_2019(&m, outlet));
        assert!(
            peak >= 2.0 * base && peak >= 0.3,
            "{} {month}: {peak:.2} against a 2019 median of {base:.2}",
            OUTLETS[outlet].0
        );
    }
}

#[test]
fn story_corpus_languages_are_detected_per_outlet() {
    let dir = tempfile::tempdir().unwrap();
    broadsheet_gen::write_story(dir.path(), broadsheet_gen::STORY_SEED).unwrap();
    let corpus = read_corpus(dir.path());
    for a in corpus.iter().step_by(7) {
        let got = broadsheet_text::lang::detect_language(&a.text).map(|d| d.code);
        assert_eq!(got, Ok(OUTLETS[a.outlet].2), "{}", a.text);
    }
}

#[test]
fn story_corpus_same_seed_same_bytes_other_seed_other_bytes() {
    let (a, b, c) = (
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
        tempfile::tempdir().unwrap(),
    );
    broadsheet_gen::write_story(a.path(), 7).unwrap();
    broadsheet_gen::write_story(b.path(), 7).unwrap();
    broadsheet_gen::write_story(c.path(), 8).unwrap();
    for (_, f, _) in OUTLETS {
        let bytes = |d: &Path| std::fs::read(d.join(f)).unwrap();
        assert!(
            bytes(a.path()) == bytes(b.path()),
            "{f} differs between runs"
        );
        assert!(bytes(a.path()) != bytes(c.path()), "{f} ignores the seed");
    }
}

#[test]
fn security_query_parses() {
    broadsheet_query::parse(broadsheet_gen::SECURITY_QUERY).unwrap();
}
