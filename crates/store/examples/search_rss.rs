//! The memory a search takes on one long article (issue 19: 830 MB for a 50 MB article, every
//! token of the body folded into its own `String` for the snippet). Two steps, two processes,
//! so that the import's memory is not counted:
//!
//! ```text
//! cargo run -p broadsheet-store --example search_rss -- build DIR 50   # a 50 MB article
//! cargo run -p broadsheet-store --example search_rss -- search DIR     # peak RSS of a search
//! ```
//!
//! `search` prints the peak resident set (VmHWM) after opening the store and after the search.

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use broadsheet_store::{import, ImportRequest, SearchRequest, Store, Subcorpus};

fn peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn build(dir: &Path, mb: usize) {
    std::fs::create_dir_all(dir).expect("folder");
    let text = broadsheet_gen::long_text(mb << 20, 1);
    let record = serde_json::json!({
        "title": "Transcript of the hearing", "text": text, "source": "Hearings",
        "date": "2020-05-01", "language": "en",
    });
    let jsonl = dir.join("article.jsonl");
    std::fs::write(&jsonl, record.to_string() + "\n").expect("write");
    let mut store = Store::open(&dir.join("corpus.sqlite")).expect("open");
    let r = import(
        &mut store,
        &ImportRequest::new(vec![jsonl.clone()], Default::default()),
        &(),
        &AtomicBool::new(false),
    )
    .expect("import");
    std::fs::remove_file(&jsonl).expect("remove");
    println!("stored {} article(s) of {mb} MB", r.stored);
}

fn search(dir: &Path) {
    let store = Store::open(&dir.join("corpus.sqlite")).expect("open");
    let opened = peak_kb();
    let t = Instant::now();
    let r = store
        .search(&SearchRequest {
            subcorpus: Subcorpus::query_only(broadsheet_gen::LONG_TEXT_NODE),
            limit: 20,
            ..SearchRequest::default()
        })
        .expect("search");
    let ms = t.elapsed().as_secs_f64() * 1e3;
    let hit = r.hits.first().expect("a hit");
    let marked = hit.snippet.iter().filter(|s| s.hit).count();
    println!(
        "{} hit(s), {marked} marked in the first snippet, {ms:.0} ms; peak RSS {} MB after opening, {} MB after the search",
        r.total,
        opened / 1024,
        peak_kb() / 1024
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match (args.get(1).map(String::as_str), args.get(2)) {
        (Some("build"), Some(dir)) => build(
            Path::new(dir),
            args.get(3).and_then(|s| s.parse().ok()).unwrap_or(50),
        ),
        (Some("search"), Some(dir)) => search(Path::new(dir)),
        _ => eprintln!("usage: search_rss build DIR [MB] | search_rss search DIR"),
    }
}
