//! Precision and recall of the tagger on a hand-checked sample (`tests/fixtures/mentions.tsv`):
//! news-like sentences in nine languages, each with the set of countries and regions it names,
//! including inflected forms that must match and look-alike common words that must not.
//! Prints a table per language and every miss, and asserts the floors.

use std::collections::{BTreeMap, BTreeSet};

use broadsheet_geo::Gazetteer;

struct Case {
    line: usize,
    lang: String,
    text: String,
    expected: BTreeSet<String>,
}

fn cases() -> Vec<Case> {
    let text = include_str!("fixtures/mentions.tsv");
    let mut out = Vec::new();
    for (i, l) in text.lines().enumerate() {
        if l.starts_with('#') || l.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = l.split('\t').collect();
        let [lang, text, expected] = cols.as_slice() else {
            panic!("mentions.tsv:{}: expected 3 tab-separated columns", i + 1);
        };
        out.push(Case {
            line: i + 1,
            lang: lang.to_string(),
            text: text.to_string(),
            expected: expected
                .split_whitespace()
                .filter(|t| *t != "-")
                .map(str::to_string)
                .collect(),
        });
    }
    out
}

/// Countries and `@regions` the tagger finds in a sentence of `lang` (`None`: unknown language).
fn tagged(g: &Gazetteer, lang: Option<&str>, text: &str) -> BTreeSet<String> {
    let t = g.tag_article(None, text, lang).tags;
    t.countries
        .iter()
        .map(|(c, _)| c.clone())
        .chain(t.regions.iter().map(|(r, _)| format!("@{r}")))
        .collect()
}

#[derive(Default, Clone, Copy)]
struct Score {
    tp: u32,
    fp: u32,
    fn_: u32,
}

impl Score {
    fn precision(self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    fn recall(self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    fn add(&mut self, o: Score) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

fn ratio(a: u32, b: u32) -> f64 {
    if b == 0 {
        1.0
    } else {
        f64::from(a) / f64::from(b)
    }
}

/// Scores every case with the language given (`with_language`) or unknown; prints the table and
/// the misses; returns the scores per language and overall.
fn evaluate(with_language: bool) -> (BTreeMap<String, Score>, Score) {
    let g = Gazetteer::builtin();
    let mut per: BTreeMap<String, Score> = BTreeMap::new();
    let mut misses = Vec::new();
    for c in cases() {
        let lang = with_language.then_some(c.lang.as_str());
        let got = tagged(&g, lang, &c.text);
        let s = Score {
            tp: got.intersection(&c.expected).count() as u32,
            fp: got.difference(&c.expected).count() as u32,
            fn_: c.expected.difference(&got).count() as u32,
        };
        if s.fp + s.fn_ > 0 {
            misses.push(format!(
                "  line {} [{}] {}\n    expected {:?}, got {:?}",
                c.line, c.lang, c.text, c.expected, got
            ));
        }
        per.entry(c.lang.clone()).or_default().add(s);
    }
    let mut all = Score::default();
    let mode = if with_language {
        "with the article's language"
    } else {
        "language unknown"
    };
    println!("mentions.tsv, {mode}:\nlang  mentions  precision  recall");
    for (l, s) in &per {
        all.add(*s);
        let n = s.tp + s.fn_;
        println!("{l:<5} {n:>8}  {:>9.3}  {:>6.3}", s.precision(), s.recall());
    }
    let n = all.tp + all.fn_;
    println!(
        "all   {n:>8}  {:>9.3}  {:>6.3}",
        all.precision(),
        all.recall()
    );
    println!("misses:\n{}", misses.join("\n"));
    (per, all)
}

#[test]
fn sample_is_large_enough() {
    let cases = cases();
    let mentions: usize = cases.iter().map(|c| c.expected.len()).sum();
    let langs: BTreeSet<&str> = cases.iter().map(|c| c.lang.as_str()).collect();
    assert!(mentions >= 300, "{mentions} mentions");
    for l in ["en", "ru", "pl", "kk", "ky", "fa", "ar"] {
        assert!(langs.contains(l), "no sentences in {l}");
    }
    let negatives = cases.iter().filter(|c| c.expected.is_empty()).count();
    assert!(
        negatives >= 20,
        "{negatives} sentences with look-alikes only"
    );
}

#[test]
fn precision_and_recall_with_the_language() {
    let (per, all) = evaluate(true);
    assert!(all.precision() >= 0.95, "precision {:.3}", all.precision());
    assert!(all.recall() >= 0.90, "recall {:.3}", all.recall());
    for (l, s) in &per {
        assert!(s.precision() >= 0.90, "{l}: precision {:.3}", s.precision());
        assert!(s.recall() >= 0.85, "{l}: recall {:.3}", s.recall());
    }
}

/// Without the language every name is tried, with one-word `^` towns weak: worse, but the
/// look-alikes of the sample must still mostly stay out.
#[test]
fn precision_and_recall_language_unknown() {
    let (_, all) = evaluate(false);
    assert!(all.precision() >= 0.90, "precision {:.3}", all.precision());
    assert!(all.recall() >= 0.85, "recall {:.3}", all.recall());
}
