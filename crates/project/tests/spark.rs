//! The same project on Apache Spark: the example project's sources converted to shards, its
//! analyses run by `run_on_spark` in `local[2]`, and every table Spark computes equal to the
//! local engine's (counts and text exactly, shares and scores to 1e-12); the analyses Spark
//! does not compute are an error naming each. Needs Spark's Python (scripts/install-deps.sh
//! installs it); set BROADSHEET_SKIP_SPARK=1 to leave these tests out of a quick loop.

use std::sync::atomic::AtomicBool;

use broadsheet_project::convert::convert;
use broadsheet_project::spark::run_on_spark;
use broadsheet_project::{run, Project, RunOptions};

mod spark_support;
use spark_support::{assert_same, csv, example, shards, skip};

#[test]
fn the_example_project_on_spark_gives_the_local_numbers() {
    if skip() {
        return;
    }
    let (dir, proj) = example();
    let mut p = Project::open(&proj).unwrap();
    run(&mut p, &RunOptions::default(), &|_| {}).unwrap();
    let local = dir.path().join("local");
    std::fs::rename(proj.join("outputs"), &local).unwrap();
    let data = dir.path().join("shards");
    shards(&p, &data);
    let err = run_on_spark(&p, "local[2]", &data, &|_| {})
        .unwrap_err()
        .to_string();
    // The kinds Spark does not compute are named, each, and nothing else failed.
    for name in [
        "kwic-daesh",
        "collocations-border",
        "dispersion-groups",
        "audit-regional-security",
    ] {
        assert!(err.contains(&format!("analysis `{name}`")), "{err}");
    }
    assert_eq!(err.matches("analysis `").count(), 4, "{err}");
    let mut compared = 0;
    for a in &p.file.analyses {
        let file = format!("{}.csv", a.name);
        let spark = proj.join("outputs").join(&file);
        if !spark.exists() {
            continue;
        }
        assert_same(&a.name, &csv(&local.join(&file)), &csv(&spark));
        compared += 1;
    }
    assert_eq!(compared, 10);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(proj.join("outputs/manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["engine"]["name"], "spark");
    assert_eq!(manifest["engine"]["shards"].as_array().unwrap().len(), 5);
}

#[test]
fn converting_again_reuses_the_shards() {
    let (dir, proj) = example();
    let p = Project::open(&proj).unwrap();
    let data = dir.path().join("shards");
    let s = &p.file.sources[3];
    let recipe = p.effective_recipe(s).unwrap();
    let convert_with = |recipe: &broadsheet_ingest::Recipe| {
        convert(
            &[p.source_path(s)],
            recipe,
            &data,
            &(),
            &AtomicBool::new(false),
        )
        .unwrap()
    };
    let first = convert_with(&recipe);
    let again = convert_with(&recipe);
    assert!(!first[0].reused && again[0].reused);
    assert_eq!(first[0].shard, again[0].shard);
    assert_eq!(first[0].stored, 204);
    // Every file of the shard is named after it, in the four tables.
    for f in &first[0].files {
        assert!(
            f.ends_with(&format!("part-{}.parquet", first[0].shard)),
            "{f}"
        );
    }
    for table in ["articles", "term_counts", "places", "search_terms"] {
        assert!(
            first[0].files.iter().any(|f| f.starts_with(table)),
            "{table}"
        );
    }
    // Another recipe is another shard.
    let other = convert_with(&Default::default());
    assert_ne!(other[0].shard, first[0].shard);
}
