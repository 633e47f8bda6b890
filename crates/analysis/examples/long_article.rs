//! Times concordances and collocations on one long generated article, without criterion's
//! repetitions (the implementation before issue 19 took minutes to hours per run), and prints
//! the median of the runs:
//!
//! ```text
//! cargo run -p broadsheet-analysis --example long_article -- MB OP [RUNS]
//! ```
//!
//! `OP` is `kwic50` (first page of 50), `kwic3` (`--limit 3`), `sorted` (a page of 50 sorted by
//! the word to the left) or `colloc`. The article (`broadsheet_gen::long_text`, the node word
//! every 200 words or so) is imported once into `BROADSHEET_BENCH_DIR` (default
//! `<temp>/broadsheet-bench`), the folder the `long_articles` benchmark uses.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use broadsheet_analysis::colloc::{CollocSpec, Measure};
use broadsheet_analysis::kwic::{KwicSort, KwicSpec};
use broadsheet_analysis::Analyzer;
use broadsheet_lexis::TextSettings;
use broadsheet_store::{import, ImportRequest, Store, Subcorpus};

/// The cached corpus holding one article of `bytes` bytes (as the benchmark makes it).
fn corpus(bytes: usize) -> PathBuf {
    let root = std::env::var_os("BROADSHEET_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("broadsheet-bench"));
    let dir = root.join(format!("long-{}kb", bytes >> 10));
    let db = dir.join("corpus.sqlite");
    if dir.join("complete").exists() {
        return db;
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("folder");
    let record = serde_json::json!({
        "title": "Transcript of the hearing", "text": broadsheet_gen::long_text(bytes, 1),
        "source": "Hearings", "date": "2020-05-01", "language": "en",
    });
    let jsonl = dir.join("article.jsonl");
    std::fs::write(&jsonl, record.to_string() + "\n").expect("write");
    let mut store = Store::open(&db).expect("open");
    let cancel = AtomicBool::new(false);
    let r = import(
        &mut store,
        &ImportRequest::new(vec![jsonl.clone()], Default::default()),
        &(),
        &cancel,
    )
    .expect("import");
    assert_eq!(r.stored, 1, "{:?}", r.diagnostic_counts);
    broadsheet_analysis::prepare(&mut store, &|_, _| {}, &cancel).expect("prepare");
    std::fs::remove_file(&jsonl).expect("remove");
    std::fs::write(dir.join("complete"), b"").expect("marker");
    db
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(mb), Some(op)) = (
        args.get(1).and_then(|s| s.parse::<usize>().ok()),
        args.get(2),
    ) else {
        eprintln!("usage: long_article MB kwic50|kwic3|sorted|colloc [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(5);
    let store = Store::open(&corpus(mb << 20)).expect("open");
    let settings = TextSettings::default();
    let a = Analyzer::new(&store, &settings).expect("analyzer");
    a.ids(&Subcorpus::default()).expect("metadata");
    let node = broadsheet_gen::LONG_TEXT_NODE;
    let kwic = |sort, limit| KwicSpec {
        query: node.into(),
        subcorpus: Subcorpus::default(),
        width: 7,
        sort,
        limit,
        offset: 0,
    };
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let table = match op.as_str() {
            "kwic50" => a.kwic(&kwic(KwicSort::Corpus, 50)),
            "kwic3" => a.kwic(&kwic(KwicSort::Corpus, 3)),
            "sorted" => a.kwic(&kwic(KwicSort::Left(1), 50)),
            "colloc" => a.collocations(&CollocSpec {
                node: node.into(),
                subcorpus: Subcorpus::default(),
                left: 5,
                right: 5,
                min_freq: 2,
                sort: Measure::LogDice,
                limit: 50,
            }),
            other => panic!("unknown operation `{other}`"),
        }
        .expect("analysis");
        times.push(t.elapsed().as_secs_f64());
        eprintln!(
            "{mb} MB {op}: {:.1} ms, {} rows, lines {:?}",
            times.last().unwrap() * 1e3,
            table.frame.height(),
            table.note_value("lines")
        );
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{mb} MB {op}: median {:.1} ms of {runs}",
        times[times.len() / 2] * 1e3
    );
}
