//! Probe for issue 17: FTS5 as Broadsheet's import configures it (its tokenizer, `hashsize`
//! 64 MB, 16 KB pages, WAL, commits of 10,000 articles) against tantivy 0.27 (a folding
//! tokenizer, positions, a commit every 10,000 articles) on 1 or 2 threads, indexing the same
//! titles and bodies held in memory. Outside the workspace: CI never builds it.
//!
//!   CARGO_TARGET_DIR=/tmp/probe cargo run --release -- CORPUS_DIR fts|1|2
//!
//! CORPUS_DIR is a folder of `broadsheet-gen synth` JSON Lines; the indexes go to
//! /tmp/tantivy-vs-fts5. Figures: docs/PERFORMANCE.md, "Issue 17, third round".
use std::time::Instant;
use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};

fn load(dir: &str) -> Vec<(String, String)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        for line in std::fs::read_to_string(f).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let s = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
            out.push((s("title"), s("body")));
        }
    }
    out
}

fn fts(docs: &[(String, String)], path: &str) {
    let _ = std::fs::remove_file(path);
    let c = rusqlite::Connection::open(path).unwrap();
    c.execute_batch("PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;
        CREATE VIRTUAL TABLE f USING fts5(title, body, content='', contentless_delete=1, tokenize=\"unicode61 remove_diacritics 2 categories 'L* N* Co M*'\");
        INSERT INTO f(f, rank) VALUES ('hashsize', 67108864);").unwrap();
    for chunk in docs.chunks(10_000) {
        c.execute_batch("BEGIN").unwrap();
        {
            let mut st = c
                .prepare_cached("INSERT INTO f(title, body) VALUES (?1, ?2)")
                .unwrap();
            for (t, b) in chunk {
                st.execute([t, b]).unwrap();
            }
        }
        c.execute_batch("COMMIT").unwrap();
    }
}

fn tantivy_index(docs: &[(String, String)], path: &str, threads: usize) {
    let _ = std::fs::remove_dir_all(path);
    std::fs::create_dir_all(path).unwrap();
    let mut sb = Schema::builder();
    let opts = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("fold")
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let title = sb.add_text_field("title", opts.clone());
    let body = sb.add_text_field("body", opts);
    let index = tantivy::Index::create_in_dir(path, sb.build()).unwrap();
    index.tokenizers().register(
        "fold",
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(80))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
    );
    let mut w: tantivy::IndexWriter = index
        .writer_with_num_threads(threads, threads * 100_000_000)
        .unwrap();
    for chunk in docs.chunks(10_000) {
        for (t, b) in chunk {
            w.add_document(tantivy::doc!(title => t.as_str(), body => b.as_str()))
                .unwrap();
        }
        w.commit().unwrap();
    }
    w.wait_merging_threads().unwrap();
}

const OUT: &str = "/tmp/tantivy-vs-fts5";

fn du(path: &str) -> u64 {
    let p = std::path::Path::new(path);
    if p.is_file() {
        return p.metadata().unwrap().len();
    }
    std::fs::read_dir(p)
        .map(|d| d.flatten().map(|e| e.metadata().unwrap().len()).sum())
        .unwrap_or(0)
}

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let docs = load(&a[1]);
    let bytes: usize = docs.iter().map(|(t, b)| t.len() + b.len()).sum();
    eprintln!("{} docs, {} MB of text", docs.len(), bytes >> 20);
    std::fs::create_dir_all(OUT).unwrap();
    let t = Instant::now();
    match a[2].as_str() {
        "fts" => fts(&docs, &format!("{OUT}/fts.sqlite")),
        n => tantivy_index(&docs, &format!("{OUT}/tv"), n.parse().unwrap()),
    }
    let out = if a[2] == "fts" {
        format!("{OUT}/fts.sqlite")
    } else {
        format!("{OUT}/tv")
    };
    println!(
        "{} {:.1} s, {} MB",
        a[2],
        t.elapsed().as_secs_f64(),
        du(&out) >> 20
    );
}
