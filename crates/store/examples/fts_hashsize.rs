//! Measures FTS5's `hashsize` (how much pending index data it keeps in memory before writing a
//! segment) on a generated corpus, the index alone, with the import's tokenizer and commit size:
//! `cargo run --release -p broadsheet-store --example fts_hashsize -- DIR [RUNS] [MB …]`
//! where DIR holds JSON Lines with `title` and `body` (`broadsheet-gen synth`). Sizes run
//! interleaved, RUNS times each; prints each run and the medians, with a few queries' time.

use std::path::Path;
use std::time::Instant;

use rusqlite::{params, Connection};

const COMMIT: usize = 10_000;
const TOKENIZER: &str = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'";
const QUERIES: [&str; 6] = [
    "election",
    "cabinet",
    "\"three years\"",
    "nairobi OR berlin",
    "the",
    "washington NEAR cabinet",
];

fn load(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("corpus folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    let mut rows = Vec::new();
    for f in files {
        for line in std::fs::read_to_string(f).expect("read").lines() {
            let v: serde_json::Value = serde_json::from_str(line).expect("json");
            let field = |k: &str| v[k].as_str().unwrap_or("").to_lowercase();
            rows.push((field("title"), field("body")));
        }
    }
    rows
}

/// Indexes `rows` into a fresh contentless table; (insert seconds, query milliseconds).
fn run(rows: &[(String, String)], hash_bytes: i64, path: &Path) -> (f64, f64) {
    for s in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{s}", path.display()));
    }
    let c = Connection::open(path).expect("open");
    c.execute_batch(&format!(
        "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
         PRAGMA cache_size = -65536;
         CREATE VIRTUAL TABLE f USING fts5(title, body, content = '', contentless_delete = 1,
             tokenize = \"{TOKENIZER}\");"
    ))
    .expect("schema");
    if hash_bytes > 0 {
        c.execute(
            "INSERT INTO f(f, rank) VALUES ('hashsize', ?1)",
            [hash_bytes],
        )
        .expect("hashsize");
    }
    let t = Instant::now();
    c.execute_batch("BEGIN").expect("begin");
    {
        let mut st = c
            .prepare("INSERT INTO f(rowid, title, body) VALUES (?1, ?2, ?3)")
            .expect("prepare");
        for (i, (title, body)) in rows.iter().enumerate() {
            st.execute(params![i as i64 + 1, title, body])
                .expect("insert");
            if (i + 1) % COMMIT == 0 {
                c.execute_batch("COMMIT; BEGIN").expect("commit");
            }
        }
    }
    c.execute_batch("COMMIT").expect("commit");
    let insert = t.elapsed().as_secs_f64();
    let t = Instant::now();
    for _ in 0..5 {
        for q in QUERIES {
            let _: i64 = c
                .query_row("SELECT count(*) FROM f WHERE f MATCH ?1", [q], |r| r.get(0))
                .expect("query");
        }
    }
    (insert, t.elapsed().as_secs_f64() * 1000.0 / 5.0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = Path::new(args.first().expect("usage: fts_hashsize DIR [RUNS] [MB …]"));
    let runs: usize = args.get(1).map_or(3, |r| r.parse().expect("RUNS")).max(1);
    let mut sizes: Vec<i64> = args[2.min(args.len())..]
        .iter()
        .map(|m| m.parse::<i64>().expect("MB") << 20)
        .collect();
    if sizes.is_empty() {
        sizes = vec![0, 16 << 20, 64 << 20];
    }
    let rows = load(dir);
    let bytes: usize = rows.iter().map(|(t, b)| t.len() + b.len()).sum();
    println!("{} articles, {} MB of text", rows.len(), bytes / 1_000_000);
    let db = std::env::temp_dir().join("broadsheet-fts-hashsize.sqlite");
    let mut results: Vec<(Vec<f64>, Vec<f64>)> = vec![Default::default(); sizes.len()];
    for r in 0..runs {
        for (k, &h) in sizes.iter().enumerate() {
            let (insert, query) = run(&rows, h, &db);
            println!(
                "run {r}: hashsize {} MB: {insert:.2} s, queries {query:.1} ms",
                h >> 20
            );
            results[k].0.push(insert);
            results[k].1.push(query);
        }
    }
    for (k, &h) in sizes.iter().enumerate() {
        let (ins, q) = results[k].clone();
        let label = if h == 0 {
            "default (1 MB)".to_string()
        } else {
            format!("{} MB", h >> 20)
        };
        println!(
            "median, hashsize {label}: insert {:.2} s, queries {:.1} ms",
            median(ins),
            median(q)
        );
    }
    for s in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{s}", db.display()));
    }
}
