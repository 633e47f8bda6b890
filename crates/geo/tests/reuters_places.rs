//! Evaluation against Reuters-21578: for articles whose PLACES name exactly one country and that
//! have a body, is that country the top country of the tagger? Reads the corpus from the shared
//! folder (never copied into the repository); fails clearly when it is missing.

use std::collections::BTreeMap;
use std::path::PathBuf;

use broadsheet_geo::Gazetteer;
use regex::Regex;

fn corpora_dir() -> PathBuf {
    match std::env::var_os("BROADSHEET_CORPORA") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora"),
    }
}

struct Article {
    place: String,
    dateline: Option<String>,
    text: String,
}

/// Undoes the few entities the files use.
fn unescape(s: &str) -> String {
    let s = Regex::new(r"&#\d+;").unwrap().replace_all(s, " ");
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn read_articles(dir: &std::path::Path) -> Vec<(Vec<String>, Article)> {
    let doc = Regex::new(r"(?s)<REUTERS[^>]*>(.*?)</REUTERS>").unwrap();
    let places = Regex::new(r"(?s)<PLACES>(.*?)</PLACES>").unwrap();
    let d = Regex::new(r"<D>(.*?)</D>").unwrap();
    let title = Regex::new(r"(?s)<TITLE>(.*?)</TITLE>").unwrap();
    let dateline = Regex::new(r"(?s)<DATELINE>(.*?)</DATELINE>").unwrap();
    let body = Regex::new(r"(?s)<BODY>(.*?)</BODY>").unwrap();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sgm"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .sgm files in {}", dir.display());
    let mut out = Vec::new();
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for m in doc.captures_iter(&text) {
            let a = &m[1];
            let Some(b) = body.captures(a) else { continue };
            let pl: Vec<String> = places
                .captures(a)
                .map(|p| d.captures_iter(&p[1]).map(|c| c[1].to_string()).collect())
                .unwrap_or_default();
            let t = title
                .captures(a)
                .map(|c| unescape(&c[1]))
                .unwrap_or_default();
            out.push((
                pl,
                Article {
                    place: String::new(),
                    dateline: dateline.captures(a).map(|c| unescape(&c[1])),
                    text: format!("{t}\n{}", unescape(&b[1])),
                },
            ));
        }
    }
    out
}

#[test]
fn reuters_places_precision_and_recall() {
    let dir = corpora_dir().join("reuters21578");
    if !dir.is_dir() {
        if std::env::var("BROADSHEET_SKIP_SHARED").as_deref() == Ok("1") {
            println!(
                "SKIPPED: {} is missing (BROADSHEET_SKIP_SHARED=1)",
                dir.display()
            );
            return;
        }
        panic!(
            "the shared corpora are missing: {} does not exist. Put them at ../shared/corpora \
             beside the workspace, point BROADSHEET_CORPORA at them, or set \
             BROADSHEET_SKIP_SHARED=1 to skip this test.",
            dir.display()
        );
    }
    let mapping: BTreeMap<&str, &str> = include_str!("../data/reuters_places.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t'))
        .collect();
    let g = Gazetteer::builtin();
    let articles: Vec<Article> = read_articles(&dir)
        .into_iter()
        .filter_map(|(places, mut a)| {
            let [p] = places.as_slice() else { return None };
            a.place = mapping.get(p.as_str())?.to_string();
            Some(a)
        })
        .collect();
    let total = articles.len();
    assert!(
        total > 10_000,
        "expected the full corpus, found {total} articles"
    );

    // Plain tag(title + body), and with the dateline as a strong signal.
    let (mut tagged, mut correct) = (0usize, 0usize);
    let (mut tagged_d, mut correct_d) = (0usize, 0usize);
    let mut misses: BTreeMap<(String, String), u32> = BTreeMap::new();
    for a in &articles {
        let tags = g.tag(&a.text);
        if let Some(top) = tags.top_country() {
            tagged += 1;
            correct += usize::from(top == a.place);
        }
        let at = g.tag_article(a.dateline.as_deref(), &a.text, Some("en"));
        match at.primary() {
            Some(p) => {
                tagged_d += 1;
                if p == a.place {
                    correct_d += 1;
                } else {
                    *misses.entry((a.place.clone(), p.to_string())).or_default() += 1;
                }
            }
            None => *misses.entry((a.place.clone(), "-".into())).or_default() += 1,
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let (p, r) = (ratio(correct, tagged), ratio(correct, total));
    let (pd, rd) = (ratio(correct_d, tagged_d), ratio(correct_d, total));
    println!("Reuters-21578, {total} articles with one country in PLACES and a body");
    println!("tag(title + body):       precision {p:.3} ({correct}/{tagged}), recall {r:.3} ({correct}/{total})");
    println!("tag_article(dateline):   precision {pd:.3} ({correct_d}/{tagged_d}), recall {rd:.3} ({correct_d}/{total})");
    let mut worst: Vec<_> = misses.into_iter().collect();
    worst.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    println!("most frequent misses (expected -> got):");
    for ((want, got), n) in worst.iter().take(15) {
        println!("  {want} -> {got}: {n}");
    }
    assert!(pd >= 0.90, "precision with datelines {pd:.3} < 0.90");
    assert!(rd >= 0.90, "recall with datelines {rd:.3} < 0.90");
}
