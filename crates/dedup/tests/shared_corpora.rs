//! Sanity checks on real collections in `../shared/corpora/` (never copied into the project;
//! `BROADSHEET_SKIP_SHARED=1` skips): the BBC folder's byte-identical files must cluster, and the
//! cluster counts of BBC and HuffPost are printed for thresholds 0.6–0.9 with examples.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use broadsheet_dedup::{cluster, signature_parts, Cluster, Item, Params};

struct Article {
    id: i64,
    title: String,
    body: String,
    published_at: Option<i64>,
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|e| e == "txt")
            && p.file_name().is_some_and(|n| n != "README.TXT")
        {
            out.push(p);
        }
    }
}

fn items(articles: &[Article], params: &Params) -> Vec<Item> {
    articles
        .iter()
        .map(|a| Item {
            id: a.id,
            signature: signature_parts(&[&a.title, &a.body], params),
            published_at: a.published_at,
            chars: a.title.chars().count() + a.body.chars().count(),
        })
        .collect()
}

/// Prints cluster counts per threshold and up to `examples` clusters (at the default
/// threshold) whose members are not all the same text; returns the default clusters.
fn survey(name: &str, articles: &[Article], examples: usize) -> Vec<Cluster> {
    let all = items(articles, &Params::default());
    let by_id: BTreeMap<i64, &Article> = articles.iter().map(|a| (a.id, a)).collect();
    let same_text = |c: &Cluster| {
        let first = by_id[&c.members[0]];
        c.members
            .iter()
            .all(|m| by_id[m].title == first.title && by_id[m].body == first.body)
    };
    let show = |c: &Cluster| {
        println!("  cluster {}:", c.id);
        for m in &c.members {
            let a = by_id[m];
            let body: String = a.body.chars().take(90).collect();
            println!("    {m}: {} | {}", a.title, body.replace('\n', " "));
        }
    };
    let (mut at_default, mut lowest) = (Vec::new(), Vec::new());
    for t in [0.6, 0.7, 0.8, 0.9] {
        let params = Params {
            threshold: t,
            ..Params::default()
        };
        let clusters = cluster(&all, &params).unwrap();
        let members: usize = clusters.iter().map(|c| c.members.len()).sum();
        let exact = clusters.iter().filter(|c| same_text(c)).count();
        println!(
            "{name}: threshold {t:.1}: {} clusters ({} of identical texts, {} with edits), \
             {members} articles in clusters, largest {}",
            clusters.len(),
            exact,
            clusters.len() - exact,
            clusters.iter().map(|c| c.members.len()).max().unwrap_or(0)
        );
        if t == 0.6 {
            lowest = clusters.clone();
        }
        if t == Params::default().threshold {
            at_default = clusters;
        }
    }
    println!("{name}: clusters with edits at the default threshold, for example:");
    for c in at_default.iter().filter(|c| !same_text(c)).take(examples) {
        show(c);
    }
    println!("{name}: clusters at 0.6 that the default threshold does not have, for example:");
    let default_members: Vec<&Vec<i64>> = at_default.iter().map(|c| &c.members).collect();
    for c in lowest
        .iter()
        .filter(|c| !default_members.contains(&&c.members))
        .take(examples)
    {
        show(c);
    }
    at_default
}

#[test]
fn bbc_news() {
    let Some(root) = broadsheet_testdata::corpus("bbc_news") else {
        return;
    };
    let mut paths = Vec::new();
    files(&root.join("bbc"), &mut paths);
    assert_eq!(paths.len(), 2_225, "BBC articles in {}", root.display());
    let mut by_bytes: BTreeMap<Vec<u8>, Vec<i64>> = BTreeMap::new();
    let articles: Vec<Article> = paths
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let bytes = std::fs::read(p).unwrap();
            // One file (sport/199.txt) is not UTF-8; the store decodes it properly, and a lossy
            // decoding is enough here.
            let text = String::from_utf8_lossy(&bytes).into_owned();
            by_bytes.entry(bytes).or_default().push(i as i64 + 1);
            let (title, body) = text.split_once('\n').unwrap_or((&text, ""));
            Article {
                id: i as i64 + 1,
                title: title.trim().to_string(),
                body: body.trim().to_string(),
                published_at: None,
            }
        })
        .collect();
    let identical: Vec<&Vec<i64>> = by_bytes.values().filter(|v| v.len() > 1).collect();
    let repeats: usize = identical.iter().map(|v| v.len() - 1).sum();
    println!(
        "bbc_news: {} files, {repeats} repeat another byte for byte ({} groups)",
        articles.len(),
        identical.len()
    );
    assert_eq!(repeats, 98);

    let clusters = survey("bbc_news", &articles, 8);
    let cluster_of: BTreeMap<i64, i64> = clusters
        .iter()
        .flat_map(|c| c.members.iter().map(move |&m| (m, c.id)))
        .collect();
    for group in identical {
        let c = cluster_of.get(&group[0]);
        assert!(c.is_some(), "identical files {group:?} not clustered");
        assert!(
            group.iter().all(|m| cluster_of.get(m) == c),
            "identical files {group:?} split"
        );
    }
    // Loose: near-duplicates beyond the identical files are a handful, not hundreds.
    assert!(clusters.len() < 98 + 100, "{} clusters", clusters.len());
}

#[test]
fn huffpost_news_category() {
    let Some(root) = broadsheet_testdata::corpus("huffpost_news_category") else {
        return;
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    assert!(
        !paths.is_empty(),
        "no JSON Lines file in {}",
        root.display()
    );
    let mut articles = Vec::new();
    for p in &paths {
        let text = std::fs::read_to_string(p).unwrap();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let field = |k: &str| v[k].as_str().unwrap_or_default().to_string();
            // Days since 1970-01-01 from YYYY-MM-DD (civil-from-days inverse, proleptic).
            let date = field("date");
            let published_at = date_days(&date);
            articles.push(Article {
                id: articles.len() as i64 + 1,
                title: field("headline"),
                body: field("short_description"),
                published_at,
            });
        }
    }
    println!("huffpost_news_category: {} records", articles.len());
    let clusters = survey("huffpost_news_category", &articles, 12);
    // Loose: short texts, few duplicates.
    assert!(clusters.len() < articles.len() / 20, "{}", clusters.len());
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date.
fn date_days(s: &str) -> Option<i64> {
    let mut parts = s.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}
