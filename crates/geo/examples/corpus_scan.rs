//! Runs the tagger over the shared corpora (`BROADSHEET_CORPORA`, default `../shared/corpora`):
//! `bench [runs]` times `tag_article` per article (median of runs), `counts` prints per corpus how
//! many articles got each country and region, `cities` lists single-word city matches in each
//! corpus by frequency, `common LANG=FILE…` lists one-word city names that are lower-case words of
//! the corpora or of word lists (to find town names that are common words). Never copies the
//! corpora.
//!
//! `cargo run --release -p broadsheet-geo --example corpus_scan -- bench 7`

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use broadsheet_geo::{parse_name, ArticleTags, Gazetteer, NameKind};
use broadsheet_text::{search_fold, token_spans};
use regex::Regex;

/// One article: corpus, language, text.
struct Doc {
    corpus: &'static str,
    lang: &'static str,
    text: String,
}

fn corpora_dir() -> PathBuf {
    match std::env::var_os("BROADSHEET_CORPORA") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora"),
    }
}

fn read_lossy(p: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned()
}

fn sorted_files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.retain(|p| p.extension().is_some_and(|x| x == ext));
    v.sort();
    v
}

fn reuters(dir: &Path, out: &mut Vec<Doc>) {
    let body = Regex::new(r"(?s)<TITLE>(.*?)</TITLE>.*?<BODY>(.*?)</BODY>").unwrap();
    for f in sorted_files(&dir.join("reuters21578"), "sgm") {
        for c in body.captures_iter(&read_lossy(&f)) {
            out.push(Doc {
                corpus: "reuters",
                lang: "en",
                text: format!("{}\n{}", &c[1], &c[2]).replace("&lt;", "<"),
            });
        }
    }
}

fn bbc(dir: &Path, out: &mut Vec<Doc>) {
    let root = dir.join("bbc_news/bbc");
    for cat in ["business", "entertainment", "politics", "sport", "tech"] {
        for f in sorted_files(&root.join(cat), "txt") {
            out.push(Doc {
                corpus: "bbc",
                lang: "en",
                text: read_lossy(&f),
            });
        }
    }
}

fn huffpost(dir: &Path, out: &mut Vec<Doc>) {
    let f = dir.join("huffpost_news_category/News_Category_Dataset_v3.head9999.json");
    for line in read_lossy(&f).lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let s = |k: &str| v[k].as_str().unwrap_or("").to_string();
        out.push(Doc {
            corpus: "huffpost",
            lang: "en",
            text: format!("{}\n{}", s("headline"), s("short_description")),
        });
    }
}

fn telegram(dir: &Path, out: &mut Vec<Doc>) {
    for f in sorted_files(&dir.join("ru_telegram_news/raw"), "json") {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&read_lossy(&f)) else {
            continue;
        };
        for m in v.as_array().into_iter().flatten() {
            if let Some(t) = m["text"].as_str().filter(|t| !t.is_empty()) {
                out.push(Doc {
                    corpus: "telegram",
                    lang: "ru",
                    text: t.to_string(),
                });
            }
        }
    }
}

fn fars(dir: &Path, out: &mut Vec<Doc>) {
    for f in sorted_files(&dir.join("farsnews_persian"), "json") {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&read_lossy(&f)) else {
            continue;
        };
        for a in v.as_array().into_iter().flatten() {
            let paras: Vec<&str> = match &a["paragraphs"] {
                serde_json::Value::Array(p) => p.iter().filter_map(|x| x.as_str()).collect(),
                serde_json::Value::String(s) => vec![s.as_str()],
                _ => vec![],
            };
            out.push(Doc {
                corpus: "fars",
                lang: "fa",
                text: format!(
                    "{}\n{}\n{}",
                    a["title"].as_str().unwrap_or(""),
                    a["abstract"].as_str().unwrap_or(""),
                    paras.join("\n")
                ),
            });
        }
    }
}

fn rss(dir: &Path, out: &mut Vec<Doc>) {
    let item = Regex::new(r"(?s)<(?:item|entry)[ >](.*?)</(?:item|entry)>").unwrap();
    let tag = Regex::new(r"<[^>]*>|<!\[CDATA\[|\]\]>").unwrap();
    for (file, lang) in [
        ("guardian.rss", "en"),
        ("nhs-feed.rss", "en"),
        ("heise.atom", "de"),
        ("uolNoticias.rss", "pt"),
        ("encoding-gb2312.xml", "zh"),
        ("encoding.rss", "en"),
    ] {
        let text = read_lossy(&dir.join("rss_xml_feeds").join(file));
        for c in item.captures_iter(&text) {
            out.push(Doc {
                corpus: "rss",
                lang,
                text: tag.replace_all(&c[1], " ").into_owned(),
            });
        }
    }
}

fn load() -> Vec<Doc> {
    let dir = corpora_dir();
    let mut out = Vec::new();
    reuters(&dir, &mut out);
    bbc(&dir, &mut out);
    huffpost(&dir, &mut out);
    telegram(&dir, &mut out);
    fars(&dir, &mut out);
    rss(&dir, &mut out);
    assert!(!out.is_empty(), "no corpora under {}", dir.display());
    out
}

/// The call under test (the one place to change with the API).
fn tag(g: &Gazetteer, d: &Doc) -> ArticleTags {
    g.tag_article(None, &d.text, Some(d.lang))
}

/// `bench [runs]`: every 5th article of each corpus (a few thousand), median time per article.
fn bench(g: &Gazetteer, docs: &[Doc], runs: usize) {
    let sample: Vec<&Doc> = docs.iter().step_by(5).collect();
    let bytes: usize = sample.iter().map(|d| d.text.len()).sum();
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let mut n = 0usize;
        for d in &sample {
            n += tag(g, d).tags.countries.len();
        }
        times.push(t.elapsed().as_secs_f64());
        std::hint::black_box(n);
    }
    times.sort_by(f64::total_cmp);
    let med = times[times.len() / 2];
    println!(
        "{} articles, {:.1} MB: median {:.3} s of {runs} runs ({:.2} µs/article, {:.1} MB/s); min {:.3} max {:.3}",
        sample.len(),
        bytes as f64 / 1e6,
        med,
        med * 1e6 / sample.len() as f64,
        bytes as f64 / 1e6 / med,
        times[0],
        times[times.len() - 1]
    );
}

/// `counts`: per corpus, articles tagged with each place.
fn counts(g: &Gazetteer, docs: &[Doc]) {
    let mut per: BTreeMap<(&str, String), u32> = BTreeMap::new();
    for d in docs {
        let t = tag(g, d);
        for (c, _) in &t.tags.countries {
            *per.entry((d.corpus, c.clone())).or_default() += 1;
        }
        for (r, _) in &t.tags.regions {
            *per.entry((d.corpus, format!("@{r}"))).or_default() += 1;
        }
    }
    for ((c, p), n) in per {
        println!("{c}\t{p}\t{n}");
    }
}

/// `cities`: one-word city matches per corpus, with how many were written in lower case.
fn cities(g: &Gazetteer, docs: &[Doc]) {
    let mut per: BTreeMap<(&str, String, String), (u32, u32)> = BTreeMap::new();
    for d in docs {
        // ALL=1: every language's names (unknown language), to see what the scope removes.
        let lang = std::env::var_os("ALL").is_none().then_some(d.lang);
        for f in g.explain(&d.text, lang) {
            let span = &d.text[f.start..f.end];
            if std::env::var_os("ALL").is_some() {
                // Only names of other languages than the article's.
                if f.lang == d.lang {
                    continue;
                }
            } else if f.kind != NameKind::City || token_spans(span).count() != 1 {
                continue;
            }
            let e = per
                .entry((
                    d.corpus,
                    f.target.clone(),
                    format!("{}.{}", f.lang, search_fold(span)),
                ))
                .or_default();
            e.0 += 1;
            e.1 += u32::from(span.chars().next().is_some_and(char::is_lowercase));
        }
    }
    let mut rows: Vec<_> = per.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    for ((corpus, target, word), (n, lower)) in rows {
        println!("{corpus}\t{target}\t{word}\t{n}\tlower {lower}");
    }
}

/// `common LANG=FILE…`: every one-word city name without `^`/`=` that is a lower-case word in
/// the corpora (by language) or in a word list (one word a line, e.g. `/usr/share/dict/polish`).
fn common(g: &Gazetteer, docs: &[Doc], lists: &[String]) {
    // (folded word or prefix, is prefix) -> (lang, target)
    let mut names: BTreeMap<(String, bool), Vec<(String, String)>> = BTreeMap::new();
    let countries = g.countries().iter().map(|c| (c.code.clone(), &c.names));
    for (code, ns) in countries {
        for n in ns.iter().filter(|n| n.kind == NameKind::City) {
            let Ok(e) = parse_name(&n.pattern) else {
                continue;
            };
            if e.flags.capitalized || e.flags.exact_case || e.flags.weak {
                continue;
            }
            for v in e.variants.iter().filter(|v| v.len() == 1) {
                names
                    .entry((v[0].folded.clone(), v[0].prefix))
                    .or_default()
                    .push((n.lang.clone(), code.clone()));
            }
        }
    }
    // language -> lower-case word -> count
    let mut words: BTreeMap<String, BTreeMap<String, u32>> = BTreeMap::new();
    for d in docs {
        let w = words.entry(d.lang.to_string()).or_default();
        for t in token_spans(&d.text) {
            let s = t.text(&d.text);
            if s.chars().next().is_some_and(char::is_lowercase) {
                *w.entry(search_fold(s)).or_default() += 1;
            }
        }
    }
    for spec in lists {
        let Some((lang, file)) = spec.split_once('=') else {
            eprintln!("expected LANG=FILE, got {spec}");
            continue;
        };
        let w = words.entry(format!("{lang}(list)")).or_default();
        for line in read_lossy(Path::new(file)).lines() {
            let s = line.split('/').next().unwrap_or("").trim();
            if s.chars().next().is_some_and(char::is_lowercase) {
                *w.entry(search_fold(s)).or_default() += 1;
            }
        }
    }
    for ((word, prefix), owners) in &names {
        let mut hits = Vec::new();
        for (lang, w) in &words {
            if *prefix {
                let found: Vec<&String> = w
                    .range(word.clone()..)
                    .take_while(|(k, _)| k.starts_with(word.as_str()))
                    .map(|(k, _)| k)
                    .collect();
                let own = owners.iter().any(|(l, _)| lang.starts_with(l.as_str()));
                if !found.is_empty() && (!own || std::env::var_os("OWN").is_some()) {
                    let ex: Vec<&str> = found.iter().take(6).map(|s| s.as_str()).collect();
                    hits.push(format!("{lang}: {} ({})", found.len(), ex.join(" ")));
                }
            } else if let Some(n) = w.get(word) {
                hits.push(format!("{lang}: {n}"));
            }
        }
        if !hits.is_empty() {
            let star = if *prefix { "*" } else { "" };
            let who: Vec<String> = owners.iter().map(|(l, c)| format!("{c}.{l}")).collect();
            println!("{word}{star}\t{}\t{}", who.join(","), hits.join("; "));
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let g = Gazetteer::builtin();
    let docs = load();
    match args.first().map(String::as_str) {
        Some("bench") => {
            let runs = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
            bench(&g, &docs, runs)
        }
        Some("counts") => counts(&g, &docs),
        Some("cities") => cities(&g, &docs),
        Some("common") => common(&g, &docs, &args[1..]),
        _ => eprintln!("usage: corpus_scan bench [runs] | counts | cities | common LANG=FILE…"),
    }
}
