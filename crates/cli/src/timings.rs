//! `broadsheet timings` (hidden): the interactive analyses timed in one process with the
//! analyzer kept warm, as the desktop app keeps it — the same five analyses as the criterion
//! benches of `broadsheet-analysis`, runnable from the release binary (docs/PERFORMANCE.md).

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use anyhow::Result;
use clap::Args;

use broadsheet_analysis::keyness::KeynessSpec;
use broadsheet_analysis::kwic::{KwicSort, KwicSpec};
use broadsheet_analysis::terms::TermsSpec;
use broadsheet_analysis::timeline::{GroupBy, TimelineSpec};
use broadsheet_analysis::{Analyzer, Concept, Period};
use broadsheet_project::Project;
use broadsheet_store::Subcorpus;

#[derive(Args)]
pub struct TimingsArgs {
    /// The concept of the timeline (a query).
    #[arg(long = "match", value_name = "QUERY")]
    match_query: String,
    /// The KWIC node.
    #[arg(long, default_value = "government")]
    node: String,
    /// The small subcorpus of the second word list: from this date…
    #[arg(long)]
    sub_from: String,
    /// …to this one.
    #[arg(long)]
    sub_to: String,
    /// Keyness: the target year…
    #[arg(long, default_value = "2021")]
    target: String,
    /// …against this one.
    #[arg(long, default_value = "2020")]
    reference: String,
    /// Timed runs of each analysis (after one untimed run).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Only the analyses whose name contains this (e.g. `small`, for profiling one).
    #[arg(long)]
    only: Option<String>,
}

fn time(
    name: &str,
    only: Option<&str>,
    runs: usize,
    mut f: impl FnMut() -> Result<()>,
) -> Result<()> {
    if only.is_some_and(|o| !name.contains(o)) {
        return Ok(());
    }
    f()?;
    let mut ms: Vec<f64> = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        f()?;
        ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    ms.sort_by(f64::total_cmp);
    let runs_text: Vec<String> = ms.iter().map(|x| format!("{x:.0}")).collect();
    println!(
        "{name:<40} median {:>8.1} ms  (runs: {})",
        ms[ms.len() / 2],
        runs_text.join(" ")
    );
    Ok(())
}

pub fn run(project: &Project, a: &TimingsArgs) -> Result<()> {
    let mut store = project.read_store()?;
    broadsheet_analysis::prepare(&mut store, &|_, _| {}, &AtomicBool::new(false))?;
    let t = Instant::now();
    let text = project.file.text.resolved(&store.language_codes()?);
    let an = Analyzer::new(&store, &text)?;
    let total = an.ids(&Subcorpus::default())?.len();
    an.dictionary()?;
    println!(
        "{total} articles; metadata and dictionary loaded once in {:.0} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    let small = Subcorpus::dates(&a.sub_from, &a.sub_to);
    println!(
        "small subcorpus {}..{}: {} articles",
        a.sub_from,
        a.sub_to,
        an.ids(&small)?.len()
    );
    let timeline = TimelineSpec {
        concepts: vec![Concept {
            name: "concept".into(),
            query: a.match_query.clone(),
            description: None,
            ..Default::default()
        }],
        base: Subcorpus::default(),
        period: Period::Month,
        group_by: GroupBy::Source,
        min_total: 5,
    };
    time(
        "timeline concept x month x source",
        a.only.as_deref(),
        a.runs,
        || an.timeline(&timeline).map(drop).map_err(Into::into),
    )?;
    let all = TermsSpec {
        subcorpus: Subcorpus::default(),
        n: 1,
        min_freq: 1,
        limit: 100,
    };
    time("terms top 100, all", a.only.as_deref(), a.runs, || {
        an.terms(&all).map(drop).map_err(Into::into)
    })?;
    let part = TermsSpec {
        subcorpus: small.clone(),
        ..all.clone()
    };
    time(
        "terms top 100, small subcorpus",
        a.only.as_deref(),
        a.runs,
        || an.terms(&part).map(drop).map_err(Into::into),
    )?;
    let kwic = KwicSpec {
        query: a.node.clone(),
        subcorpus: Subcorpus::default(),
        width: 7,
        sort: KwicSort::Corpus,
        limit: 50,
        offset: 0,
    };
    time("kwic first page", a.only.as_deref(), a.runs, || {
        an.kwic(&kwic).map(drop).map_err(Into::into)
    })?;
    let keyness = KeynessSpec {
        target: Subcorpus::dates(&a.target, &a.target),
        reference: Some(Subcorpus::dates(&a.reference, &a.reference)),
        min_freq: 5,
        limit: 50,
    };
    time(
        "keyness target year vs reference year",
        a.only.as_deref(),
        a.runs,
        || an.keyness(&keyness).map(drop).map_err(Into::into),
    )?;
    Ok(())
}
