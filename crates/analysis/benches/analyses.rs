//! Criterion benchmarks of the interactive analyses over a synthetic corpus (`broadsheet-gen
//! synth`): the concept timeline (concept × month × source), the top 100 terms over the whole
//! corpus and over a 10,000-article subcorpus, the first KWIC page of a frequent word, and
//! keyness between two years.
//!
//! The corpus is generated and imported once and cached:
//!
//! * `BROADSHEET_BENCH_ARTICLES` (default 10,000): the corpus size;
//! * `BROADSHEET_BENCH_DIR` (default `<temp>/broadsheet-bench`): where cached corpora live
//!   (`n<N>-s1/corpus.sqlite`);
//! * `BROADSHEET_BENCH_CORPUS`: an existing `corpus.sqlite` to use instead (for example the
//!   project `scripts/bench-import.sh` made at 100k or 1M articles).
//!
//! `cargo bench -p broadsheet-analysis --bench analyses` runs them; under `cargo test` (no
//! `--bench` argument) a 300-article corpus is used and each benchmark runs once, so the test
//! suite stays fast. The analyzer is built once and kept, as the app keeps it; the first call
//! (metadata and dictionary loads) is reported on standard error.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};

use broadsheet_analysis::keyness::KeynessSpec;
use broadsheet_analysis::kwic::{KwicSort, KwicSpec};
use broadsheet_analysis::terms::TermsSpec;
use broadsheet_analysis::timeline::{GroupBy, TimelineSpec};
use broadsheet_analysis::{Analyzer, Concept, Period};
use broadsheet_lexis::TextSettings;
use broadsheet_store::{import, ImportRequest, Store, Subcorpus};

const SEED: u64 = 1;

fn bench_mode() -> bool {
    std::env::args().any(|a| a == "--bench")
}

fn articles() -> u64 {
    if !bench_mode() {
        return 300;
    }
    std::env::var("BROADSHEET_BENCH_ARTICLES")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(10_000)
}

/// The corpus: given, cached, or generated and imported now.
fn corpus() -> PathBuf {
    if let Some(p) = std::env::var_os("BROADSHEET_BENCH_CORPUS") {
        return PathBuf::from(p);
    }
    let n = articles();
    let root = std::env::var_os("BROADSHEET_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("broadsheet-bench"));
    let dir = root.join(format!("n{n}-s{SEED}"));
    let db = dir.join("corpus.sqlite");
    if dir.join("complete").exists() {
        return db;
    }
    let _ = std::fs::remove_dir_all(&dir);
    build(&dir, n);
    db
}

fn build(dir: &Path, n: u64) {
    let t = Instant::now();
    let jsonl = dir.join("jsonl");
    broadsheet_gen::write_synth(&jsonl, n, SEED).expect("generate");
    let mut store = Store::open(&dir.join("corpus.sqlite")).expect("open");
    let cancel = AtomicBool::new(false);
    import(
        &mut store,
        &ImportRequest::new(vec![jsonl.clone()], Default::default()),
        &(),
        &cancel,
    )
    .expect("import");
    broadsheet_analysis::prepare(&mut store, &|_, _| {}, &cancel).expect("prepare");
    std::fs::remove_dir_all(&jsonl).expect("remove the generated files");
    std::fs::write(dir.join("complete"), b"").expect("marker");
    eprintln!(
        "built {n} articles in {} ({:.1} s)",
        dir.display(),
        t.elapsed().as_secs_f64()
    );
}

/// A date range holding about 10,000 articles (the generator spreads articles evenly over the
/// 3,653 days of 2015–2024): the whole corpus when it is that small.
fn ten_thousand(total: usize) -> Subcorpus {
    let days = (3653 * 10_000usize).div_ceil(total.max(1)).min(3653);
    let last = jiff::civil::date(2015, 1, 1)
        .checked_add(jiff::Span::new().days(days as i64 - 1))
        .expect("a day of 2015-2024");
    Subcorpus::dates("2015-01-01", &last.to_string())
}

fn benches(c: &mut Criterion) {
    let path = corpus();
    let mut store = Store::open(&path).expect("open the corpus");
    broadsheet_analysis::prepare(&mut store, &|_, _| {}, &AtomicBool::new(false)).expect("prepare");
    let settings = TextSettings::default();
    let a = Analyzer::new(&store, &settings).expect("analyzer");
    let t = Instant::now();
    let total = a.ids(&Subcorpus::default()).expect("ids").len();
    a.dictionary().expect("dictionary");
    eprintln!(
        "corpus {}: {total} articles; metadata and dictionary loaded in {:.0} ms",
        path.display(),
        t.elapsed().as_secs_f64() * 1e3
    );
    let small = ten_thousand(total);
    eprintln!(
        "subcorpus {:?}..{:?}: {} articles",
        small.filters.from,
        small.filters.to,
        a.ids(&small).expect("ids").len()
    );

    let mut g = c.benchmark_group("analyses");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));

    let timeline = TimelineSpec {
        concepts: vec![Concept {
            name: "security-central-asia".into(),
            query: broadsheet_gen::synth::CONCEPT_QUERY.into(),
            description: None,
            ..Concept::default()
        }],
        base: Subcorpus::default(),
        period: Period::Month,
        group_by: GroupBy::Source,
        min_total: 5,
    };
    g.bench_function("timeline concept x month x source", |b| {
        b.iter(|| a.timeline(&timeline).expect("timeline"))
    });

    let terms_all = TermsSpec {
        subcorpus: Subcorpus::default(),
        n: 1,
        min_freq: 1,
        limit: 100,
    };
    g.bench_function("terms top 100 all", |b| {
        b.iter(|| a.terms(&terms_all).expect("terms"))
    });
    let terms_small = TermsSpec {
        subcorpus: small.clone(),
        ..terms_all.clone()
    };
    g.bench_function("terms top 100 10k subcorpus", |b| {
        b.iter(|| a.terms(&terms_small).expect("terms"))
    });

    let kwic = KwicSpec {
        query: "government".into(),
        subcorpus: Subcorpus::default(),
        width: 7,
        sort: KwicSort::Corpus,
        limit: 50,
        offset: 0,
    };
    g.bench_function("kwic first page government", |b| {
        b.iter(|| a.kwic(&kwic).expect("kwic"))
    });

    let keyness = KeynessSpec {
        target: Subcorpus::dates("2021", "2021"),
        reference: Some(Subcorpus::dates("2020", "2020")),
        min_freq: 5,
        limit: 50,
    };
    g.bench_function("keyness 2021 vs 2020", |b| {
        b.iter(|| a.keyness(&keyness).expect("keyness"))
    });
    g.finish();
}

criterion_group!(analyses, benches);
criterion_main!(analyses);
