//! Criterion benchmarks of concordances and collocations on one long article (a transcript, a
//! report, a book extracted from a PDF): 1, 10 and 50 MB of generated English
//! (`broadsheet_gen::long_text`) with the node word every 200 words or so. For each size: the
//! first KWIC page of 50 lines, `--limit 3`, a page of 50 sorted by the word to the left (every
//! hit's key is needed), and collocations.
//!
//! Each article is generated and imported once and cached in `BROADSHEET_BENCH_DIR` (default
//! `<temp>/broadsheet-bench`) as `long-<MB>mb/corpus.sqlite`. `cargo bench -p broadsheet-analysis
//! --bench long_articles` runs them; `BROADSHEET_BENCH_LONG_MB=1,10` chooses the sizes. Under
//! `cargo test` (no `--bench` argument) a 64 KB article is used and each benchmark runs once.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};

use broadsheet_analysis::colloc::{CollocSpec, Measure};
use broadsheet_analysis::kwic::{KwicSort, KwicSpec};
use broadsheet_analysis::Analyzer;
use broadsheet_lexis::TextSettings;
use broadsheet_store::{import, ImportRequest, Store, Subcorpus};

fn bench_mode() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// Article sizes in bytes, with their labels.
fn sizes() -> Vec<(usize, String)> {
    if !bench_mode() {
        return vec![(64 << 10, "64 KB".into())];
    }
    std::env::var("BROADSHEET_BENCH_LONG_MB")
        .unwrap_or_else(|_| "1,10,50".into())
        .split(',')
        .filter_map(|s| s.trim().parse::<usize>().ok())
        .map(|mb| (mb << 20, format!("{mb} MB")))
        .collect()
}

/// A corpus holding one generated article of `bytes` bytes: cached, or made now.
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
    std::fs::create_dir_all(&dir).expect("bench folder");
    let t = Instant::now();
    let text = broadsheet_gen::long_text(bytes, 1);
    let record = serde_json::json!({
        "title": "Transcript of the hearing",
        "text": text,
        "source": "Hearings",
        "date": "2020-05-01",
        "language": "en",
    });
    let jsonl = dir.join("article.jsonl");
    std::fs::write(&jsonl, record.to_string() + "\n").expect("write the article");
    let mut store = Store::open(&db).expect("open");
    let cancel = AtomicBool::new(false);
    let report = import(
        &mut store,
        &ImportRequest::new(vec![jsonl.clone()], Default::default()),
        &(),
        &cancel,
    )
    .expect("import");
    assert_eq!(
        report.stored, 1,
        "the article was imported: {:?}",
        report.diagnostic_counts
    );
    broadsheet_analysis::prepare(&mut store, &|_, _| {}, &cancel).expect("prepare");
    std::fs::remove_file(&jsonl).expect("remove the generated file");
    std::fs::write(dir.join("complete"), b"").expect("marker");
    eprintln!(
        "imported a {} KB article into {} ({:.1} s)",
        bytes >> 10,
        dir.display(),
        t.elapsed().as_secs_f64()
    );
    db
}

fn kwic(sort: KwicSort, limit: usize) -> KwicSpec {
    KwicSpec {
        query: broadsheet_gen::LONG_TEXT_NODE.into(),
        subcorpus: Subcorpus::default(),
        width: 7,
        sort,
        limit,
        offset: 0,
    }
}

fn benches(c: &mut Criterion) {
    let settings = TextSettings::default();
    let colloc = CollocSpec {
        node: broadsheet_gen::LONG_TEXT_NODE.into(),
        subcorpus: Subcorpus::default(),
        left: 5,
        right: 5,
        min_freq: 2,
        sort: Measure::LogDice,
        limit: 50,
    };
    for (bytes, label) in sizes() {
        let store = Store::open(&corpus(bytes)).expect("open the corpus");
        let a = Analyzer::new(&store, &settings).expect("analyzer");
        a.ids(&Subcorpus::default()).expect("metadata");
        let mut g = c.benchmark_group(format!("long article {label}"));
        g.sample_size(10)
            .warm_up_time(Duration::from_millis(200))
            .measurement_time(Duration::from_secs(3));
        let page = kwic(KwicSort::Corpus, 50);
        g.bench_function("kwic first page of 50", |b| {
            b.iter(|| a.kwic(&page).expect("kwic"))
        });
        let three = kwic(KwicSort::Corpus, 3);
        g.bench_function("kwic limit 3", |b| b.iter(|| a.kwic(&three).expect("kwic")));
        let sorted = kwic(KwicSort::Left(1), 50);
        g.bench_function("kwic page of 50 sorted by left word", |b| {
            b.iter(|| a.kwic(&sorted).expect("kwic"))
        });
        g.bench_function("collocations", |b| {
            b.iter(|| a.collocations(&colloc).expect("collocations"))
        });
        g.finish();
    }
}

criterion_group!(long_articles, benches);
criterion_main!(long_articles);
