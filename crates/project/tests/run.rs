//! `broadsheet run` on the example project: two runs from scratch give byte-identical outputs,
//! and a changed, missing or extra input is detected and reported before anything is recomputed.

use std::path::{Path, PathBuf};

use broadsheet_project::{run, InputChange, Project, ProjectError, RunOptions};

/// A copy of the example project and the demo corpus it reads, in a temporary folder.
fn example() -> (tempfile::TempDir, PathBuf) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../datasets");
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root.join("demo"), &dir.path().join("demo"));
    let proj = dir.path().join("regional-security");
    std::fs::create_dir_all(&proj).unwrap();
    std::fs::copy(
        root.join("regional-security/broadsheet.toml"),
        proj.join("broadsheet.toml"),
    )
    .unwrap();
    (dir, proj)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

fn outputs(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir.join("outputs"))
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn two_runs_from_scratch_are_byte_identical() {
    let (_a, pa) = example();
    let (_b, pb) = example();
    let ra = run(
        &mut Project::open(&pa).unwrap(),
        &RunOptions::default(),
        &|_| {},
    )
    .unwrap();
    let rb = run(
        &mut Project::open(&pb).unwrap(),
        &RunOptions::default(),
        &|_| {},
    )
    .unwrap();
    assert!(ra.rebuilt_corpus && rb.rebuilt_corpus);
    assert_eq!(ra.analyses.len(), 8);
    let (oa, ob) = (outputs(&pa), outputs(&pb));
    let names: Vec<&str> = oa.iter().map(|(n, _)| n.as_str()).collect();
    for expected in [
        "manifest.json",
        "METHODS.md",
        "ro-crate-metadata.json",
        "security-by-outlet.csv",
        "kwic-daesh.csv",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    assert_eq!(oa.len(), ob.len());
    for ((na, a), (nb, b)) in oa.iter().zip(&ob) {
        assert_eq!(na, nb);
        assert!(a == b, "{na} differs between two runs from scratch");
    }
    // The manifest records every input with its hash, every parameter and every output's hash.
    let m: serde_json::Value =
        serde_json::from_slice(&oa.iter().find(|(n, _)| n == "manifest.json").unwrap().1).unwrap();
    assert_eq!(m["inputs"].as_array().unwrap().len(), 44);
    assert!(m["inputs"][0]["blake3"].as_str().unwrap().len() == 64);
    let a0 = &m["analyses"][0];
    assert_eq!(a0["name"], "security-by-outlet");
    assert_eq!(a0["parameters"]["period"], "quarter");
    assert!(a0["rows"].as_u64().unwrap() > 0);
    assert_eq!(a0["outputs"][0]["blake3"].as_str().unwrap().len(), 64);
    // A second run over the unchanged project rebuilds nothing and writes the same bytes.
    let again = run(
        &mut Project::open(&pa).unwrap(),
        &RunOptions::default(),
        &|_| {},
    )
    .unwrap();
    assert!(!again.rebuilt_corpus);
    assert_eq!(outputs(&pa), oa);
}

#[test]
fn changed_missing_and_extra_inputs_are_reported_and_nothing_is_recomputed() {
    let (dir, p) = example();
    run(
        &mut Project::open(&p).unwrap(),
        &RunOptions::default(),
        &|_| {},
    )
    .unwrap();
    let before = outputs(&p);
    let demo = dir.path().join("demo");
    // Change one file, remove another, add a third to a folder source.
    let csv = demo.join("caspian_wire.csv");
    let mut text = std::fs::read_to_string(&csv).unwrap();
    text.push_str(
        "CW-99999,Caspian Wire,Added later,\"June 1, 2020\",Nobody,security,An added article.\r\n",
    );
    std::fs::write(&csv, text).unwrap();
    std::fs::remove_file(demo.join("payam_asia.jsonl")).unwrap();
    std::fs::write(
        demo.join("tien_shan_times/security/999.txt"),
        "News / Central Asia\n\nA new file\n\nText.",
    )
    .unwrap();

    let mut project = Project::open(&p).unwrap();
    let changes = project.check_inputs().unwrap();
    assert!(
        changes.contains(&InputChange::Changed {
            path: "../demo/caspian_wire.csv".into()
        }),
        "{changes:?}"
    );
    assert!(
        changes.contains(&InputChange::Missing {
            path: "../demo/payam_asia.jsonl".into()
        }),
        "{changes:?}"
    );
    assert!(
        changes.contains(&InputChange::Extra {
            path: "../demo/tien_shan_times/security/999.txt".into()
        }),
        "{changes:?}"
    );
    match run(&mut project, &RunOptions::default(), &|_| {}) {
        Err(e @ ProjectError::InputsChanged { .. }) => {
            let msg = e.to_string();
            assert!(msg.contains("changed: ../demo/caspian_wire.csv"), "{msg}");
            assert!(
                msg.contains("security-by-outlet"),
                "the stale analyses are named: {msg}"
            );
            assert!(msg.contains("--accept-changes"), "{msg}");
        }
        other => panic!("expected InputsChanged, got {other:?}"),
    }
    assert_eq!(
        outputs(&p),
        before,
        "nothing was recomputed from different data"
    );

    // Put the payam file back (it is a source), then accept: the corpus is rebuilt with the
    // changed and the new article, and the new hashes are recorded.
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../datasets/demo/payam_asia.jsonl"),
        demo.join("payam_asia.jsonl"),
    )
    .unwrap();
    let r = run(
        &mut project,
        &RunOptions {
            accept_changes: true,
            fresh: false,
        },
        &|_| {},
    )
    .unwrap();
    assert!(r.rebuilt_corpus);
    assert_eq!(r.changes.len(), 2, "{:?}", r.changes);
    assert!(Project::open(&p)
        .unwrap()
        .check_inputs()
        .unwrap()
        .is_empty());
    let store = Project::open(&p).unwrap().store().unwrap();
    assert_eq!(
        store
            .count(&broadsheet_store::Subcorpus::query_only("\"Added later\""))
            .unwrap(),
        1
    );
}
