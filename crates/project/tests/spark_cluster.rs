//! Spark on a standalone cluster of two workers on loopback (scripts/spark-cluster.sh): the
//! example project, and 100,000 generated articles through `convert` and `run --engine spark`,
//! give the desktop engine's tables. About 15 minutes in a debug build, so `cargo test` leaves
//! them out; scripts/test.sh (and CI) runs them with `--ignored`.

use std::sync::atomic::AtomicBool;

use broadsheet_project::app::ImportSpec;
use broadsheet_project::convert::convert;
use broadsheet_project::spark::run_on_spark;
use broadsheet_project::{run, Project, RecipeRef, RunOptions};

mod spark_support;
use spark_support::{assert_same, csv, example, shards, skip, Cluster};

#[test]
#[ignore = "a Spark cluster: run by scripts/test.sh with --ignored"]
fn a_standalone_cluster_of_two_workers_gives_the_local_numbers() {
    if skip() {
        return;
    }
    let (dir, proj) = example();
    // Two analyses: a timeline and keyness (the other kinds are covered in local[2] above).
    let text = std::fs::read_to_string(proj.join("broadsheet.toml")).unwrap();
    let head = &text[..text.find("[[analyses]]").unwrap()];
    let analyses = r#"
[[analyses]]
name = "security-by-outlet"
kind = "timeline"
concepts = ["regional security"]
by = "source"
period = "month"

[[analyses]]
name = "keyness"
kind = "keyness"
subcorpus = { query = "Taliban OR Daesh", languages = ["en"] }
"#;
    std::fs::write(proj.join("broadsheet.toml"), format!("{head}{analyses}")).unwrap();
    let mut p = Project::open(&proj).unwrap();
    run(&mut p, &RunOptions::default(), &|_| {}).unwrap();
    let local = dir.path().join("local");
    std::fs::rename(proj.join("outputs"), &local).unwrap();
    let data = dir.path().join("shards");
    shards(&p, &data);
    let (_cluster, url) = Cluster::start(17_077);
    assert_eq!(url, "spark://127.0.0.1:17077");
    run_on_spark(&p, &url, &data, &|_| {}).unwrap();
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(proj.join("outputs/manifest.json")).unwrap())
            .unwrap();
    // The job ran on the two workers, not in the driver.
    assert_eq!(manifest["engine"]["spark"]["executors"], 2, "{manifest:#}");
    assert_eq!(manifest["engine"]["master"], url.as_str());
    for name in ["security-by-outlet", "keyness"] {
        let file = format!("{name}.csv");
        assert_same(
            name,
            &csv(&local.join(&file)),
            &csv(&proj.join("outputs").join(&file)),
        );
    }
}

/// How many generated articles (BROADSHEET_SPARK_ARTICLES, default 100,000).
fn generated_articles() -> u64 {
    std::env::var("BROADSHEET_SPARK_ARTICLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

const GENERATED_ANALYSES: &str = r#"
[[analyses]]
name = "security-by-outlet"
kind = "timeline"
concepts = ["security"]
by = "source"
period = "month"

[[analyses]]
name = "security-by-region"
kind = "regions"
concepts = ["security"]

[[analyses]]
name = "words"
kind = "terms"
limit = 500

[[analyses]]
name = "keyness-2021-withdrawal"
kind = "keyness"
subcorpus = { query = "concept:security", from = "2021-08", to = "2022-02" }
"#;

#[test]
#[ignore = "100,000 articles on a Spark cluster: run by scripts/test.sh with --ignored"]
fn generated_articles_on_two_workers_give_the_local_numbers() {
    if skip() {
        return;
    }
    let n = generated_articles();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("generated");
    broadsheet_gen::write_synth(&data, n, 1).unwrap();
    let mut inputs: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    inputs.sort();
    let proj = dir.path().join("project");
    let mut p = Project::create(&proj, Some("generated")).unwrap();
    p.import(
        &ImportSpec {
            paths: inputs.clone(),
            recipe: RecipeRef::Auto,
            options: Default::default(),
        },
        &(),
        &AtomicBool::new(false),
    )
    .unwrap();
    let text = std::fs::read_to_string(proj.join("broadsheet.toml")).unwrap();
    let concept = format!(
        "\n[[concepts]]\nname = \"security\"\nquery = '{}'\n",
        broadsheet_gen::synth::CONCEPT_QUERY
    );
    std::fs::write(
        proj.join("broadsheet.toml"),
        format!("{text}{concept}{GENERATED_ANALYSES}"),
    )
    .unwrap();
    let mut p = Project::open(&proj).unwrap();
    run(&mut p, &RunOptions::default(), &|_| {}).unwrap();
    let local = dir.path().join("local");
    std::fs::rename(proj.join("outputs"), &local).unwrap();
    let shards = dir.path().join("shards");
    let reports = convert(
        &inputs,
        &Default::default(),
        &shards,
        &(),
        &AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!(reports.iter().map(|r| r.stored).sum::<u64>(), n);
    let (_cluster, url) = Cluster::start(17_078);
    run_on_spark(&p, &url, &shards, &|_| {}).unwrap();
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(proj.join("outputs/manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["engine"]["spark"]["executors"], 2, "{manifest:#}");
    for a in &p.file.analyses {
        let file = format!("{}.csv", a.name);
        let local_rows = csv(&local.join(&file));
        assert!(
            local_rows.len() > 20,
            "{}: {} rows",
            a.name,
            local_rows.len()
        );
        assert_same(
            &a.name,
            &local_rows,
            &csv(&proj.join("outputs").join(&file)),
        );
    }
}
