//! Measures the ways to keep the FTS5 index in step with the articles table, on real text:
//! `cargo run --release -p broadsheet-store --example fts_modes -- [MB]`.
//!
//! 1. pipeline: the importer's way — article row and index row written in the same
//!    transaction, the search form computed outside SQLite (in parallel, in the real pipeline);
//! 2. trigger: an AFTER INSERT trigger computing the search form with a SQL function;
//! 3. bulk: all article rows first, then one `INSERT INTO fts SELECT …` (what `rebuild` does
//!    for an external-content table);
//! 4. external+rebuild: an external-content FTS5 table over the raw text, filled by 'rebuild'
//!    (no folding: the shape measured in ../shared/notes/data-stack.md);
//!
//! Plain inserts with no index give the ceiling.

use std::time::Instant;

use rusqlite::{functions::FunctionFlags, params, Connection};

fn load_text(target_bytes: usize) -> Vec<(String, String)> {
    let root = broadsheet_testdata::locate().expect("shared corpora");
    let mut base = Vec::new();
    for cat in ["business", "entertainment", "politics", "sport", "tech"] {
        let dir = root.join("bbc_news/bbc").join(cat);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            let t = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).into_owned();
            let (title, body) = t.split_once('\n').unwrap_or(("", &t));
            base.push((title.to_string(), body.trim().to_string()));
        }
    }
    let mut out = Vec::new();
    let mut bytes = 0;
    let mut round = 0;
    while bytes < target_bytes {
        for (t, b) in &base {
            // Vary each copy so the index sees new postings, as a real corpus would.
            let body = format!("{b} copy{round} r{round}x{}", out.len());
            bytes += t.len() + body.len();
            out.push((t.clone(), body));
            if bytes >= target_bytes {
                break;
            }
        }
        round += 1;
    }
    out
}

const ARTICLES: &str =
    "CREATE TABLE articles(id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL)";
const FTS: &str = "CREATE VIRTUAL TABLE fts USING fts5(title, body, content='', contentless_delete=1, tokenize=\"unicode61 remove_diacritics 2 categories 'L* N* Co M*'\")";

fn open(path: &std::path::Path) -> Connection {
    let _ = std::fs::remove_file(path);
    let _ = std::fs::remove_file(path.with_extension("sqlite-wal"));
    let c = Connection::open(path).unwrap();
    c.pragma_update(None, "page_size", 16384).unwrap();
    c.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;",
    )
    .unwrap();
    c
}

fn main() {
    let mb: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let docs = load_text(mb << 20);
    let total: usize = docs.iter().map(|(t, b)| t.len() + b.len()).sum();
    let mbs = |secs: f64| total as f64 / (1 << 20) as f64 / secs;
    println!(
        "{} articles, {:.0} MB of text",
        docs.len(),
        total as f64 / (1 << 20) as f64
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.sqlite");

    // 0. plain inserts, no index
    let mut c = open(&path);
    c.execute_batch(ARTICLES).unwrap();
    let t = Instant::now();
    for chunk in docs.chunks(1000) {
        let tx = c.transaction().unwrap();
        for (ti, b) in chunk {
            tx.prepare_cached("INSERT INTO articles(title, body) VALUES (?1, ?2)")
                .unwrap()
                .execute(params![ti, b])
                .unwrap();
        }
        tx.commit().unwrap();
    }
    let s = t.elapsed().as_secs_f64();
    println!(
        "plain inserts (no index)         {s:7.2} s  {:6.1} MB/s",
        mbs(s)
    );

    // 1. pipeline: folded text computed outside SQLite, both rows in one transaction
    let folded: Vec<(String, String)> = {
        let t = Instant::now();
        let f: Vec<_> = docs
            .iter()
            .map(|(ti, b)| {
                (
                    broadsheet_text::search_text(ti),
                    broadsheet_text::search_text(b),
                )
            })
            .collect();
        println!(
            "  (folding alone, one thread     {:7.2} s  {:6.1} MB/s)",
            t.elapsed().as_secs_f64(),
            mbs(t.elapsed().as_secs_f64())
        );
        f
    };
    let mut c = open(&path);
    c.execute_batch(ARTICLES).unwrap();
    c.execute_batch(FTS).unwrap();
    let t = Instant::now();
    for (chunk, fchunk) in docs.chunks(1000).zip(folded.chunks(1000)) {
        let tx = c.transaction().unwrap();
        for ((ti, b), (ft, fb)) in chunk.iter().zip(fchunk) {
            tx.prepare_cached("INSERT INTO articles(title, body) VALUES (?1, ?2)")
                .unwrap()
                .execute(params![ti, b])
                .unwrap();
            let id = tx.last_insert_rowid();
            tx.prepare_cached("INSERT INTO fts(rowid, title, body) VALUES (?1, ?2, ?3)")
                .unwrap()
                .execute(params![id, ft, fb])
                .unwrap();
        }
        tx.commit().unwrap();
    }
    let s = t.elapsed().as_secs_f64();
    println!(
        "1 pipeline (same transaction)    {s:7.2} s  {:6.1} MB/s",
        mbs(s)
    );

    // 2. trigger with a folding function
    let mut c = open(&path);
    c.create_scalar_function(
        "fold",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| Ok(broadsheet_text::search_text(&ctx.get::<String>(0)?)),
    )
    .unwrap();
    c.execute_batch(ARTICLES).unwrap();
    c.execute_batch(FTS).unwrap();
    c.execute_batch("CREATE TRIGGER ai AFTER INSERT ON articles BEGIN INSERT INTO fts(rowid, title, body) VALUES (new.id, fold(new.title), fold(new.body)); END").unwrap();
    let t = Instant::now();
    for chunk in docs.chunks(1000) {
        let tx = c.transaction().unwrap();
        for (ti, b) in chunk {
            tx.prepare_cached("INSERT INTO articles(title, body) VALUES (?1, ?2)")
                .unwrap()
                .execute(params![ti, b])
                .unwrap();
        }
        tx.commit().unwrap();
    }
    let s = t.elapsed().as_secs_f64();
    println!(
        "2 trigger + fold()               {s:7.2} s  {:6.1} MB/s",
        mbs(s)
    );

    // 3. bulk: articles, then one INSERT ... SELECT into the index
    let mut c = open(&path);
    c.create_scalar_function(
        "fold",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| Ok(broadsheet_text::search_text(&ctx.get::<String>(0)?)),
    )
    .unwrap();
    c.execute_batch(ARTICLES).unwrap();
    c.execute_batch(FTS).unwrap();
    let t = Instant::now();
    for chunk in docs.chunks(1000) {
        let tx = c.transaction().unwrap();
        for (ti, b) in chunk {
            tx.prepare_cached("INSERT INTO articles(title, body) VALUES (?1, ?2)")
                .unwrap()
                .execute(params![ti, b])
                .unwrap();
        }
        tx.commit().unwrap();
    }
    c.execute_batch(
        "INSERT INTO fts(rowid, title, body) SELECT id, fold(title), fold(body) FROM articles",
    )
    .unwrap();
    let s = t.elapsed().as_secs_f64();
    println!(
        "3 bulk, then INSERT…SELECT       {s:7.2} s  {:6.1} MB/s",
        mbs(s)
    );

    // 4. external content + rebuild (raw text, no folding)
    let mut c = open(&path);
    c.execute_batch(ARTICLES).unwrap();
    c.execute_batch("CREATE VIRTUAL TABLE fts USING fts5(title, body, content='articles', content_rowid='id', tokenize=\"unicode61 remove_diacritics 2\")").unwrap();
    let t = Instant::now();
    for chunk in docs.chunks(1000) {
        let tx = c.transaction().unwrap();
        for (ti, b) in chunk {
            tx.prepare_cached("INSERT INTO articles(title, body) VALUES (?1, ?2)")
                .unwrap()
                .execute(params![ti, b])
                .unwrap();
        }
        tx.commit().unwrap();
    }
    c.execute_batch("INSERT INTO fts(fts) VALUES ('rebuild')")
        .unwrap();
    let s = t.elapsed().as_secs_f64();
    println!(
        "4 external content + rebuild     {s:7.2} s  {:6.1} MB/s",
        mbs(s)
    );
}
