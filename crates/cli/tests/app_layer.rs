//! One application layer under the command and the app: a project made only through the app's
//! session (import, concept, saved analysis) runs with `broadsheet run`, and gives the same
//! outputs, byte for byte, as the same steps taken on the command line.
//!
//! The bug this pins: the app imported without recording the source, so `broadsheet run` refused
//! a project made there ("the project has no sources yet").

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use broadsheet_desktop::ipc::*;
use broadsheet_desktop::Session;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_broadsheet"))
}

fn ok(args: &[&str]) -> String {
    let o = bin().args(args).output().unwrap();
    assert!(
        o.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

fn demo(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../datasets/demo")
        .join(name)
}

const CONCEPT: &str = "regional security";
const QUERY: &str = "security OR militant* OR border*";

/// The timeline both front ends save.
fn timeline() -> AnalysisEntry {
    AnalysisEntry {
        name: "security-by-outlet".into(),
        kind: Kind::Timeline,
        concepts: vec![CONCEPT.into()],
        by: Some(By::Source),
        period: Some(Period::Year),
        ..Default::default()
    }
}

/// The outputs of `broadsheet run`: every file's bytes by name, and the manifest's analyses.
fn outputs(project: &Path) -> (Vec<(String, Vec<u8>)>, serde_json::Value) {
    let dir = project.join("outputs");
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.starts_with("security-by-outlet.")
        })
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    (files, manifest["analyses"].clone())
}

#[test]
fn a_project_made_in_the_app_runs_as_one_made_on_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = [demo("steppe_herald.jsonl"), demo("caspian_wire.csv")];

    // In the app: create, import, a concept, the timeline saved.
    let s = Session::new(&tmp.path().join("config"));
    let app_dir = s.grant(vec![tmp.path().join("in-app")]).remove(0);
    s.create_project(&app_dir, Some("study")).unwrap();
    let paths = s.grant(inputs.to_vec());
    let job = s
        .start_import(
            &ImportOptions {
                paths,
                ..ImportOptions::default()
            },
            Arc::new(|_| {}),
        )
        .unwrap();
    s.jobs().wait(job);
    s.save_concept(
        &ConceptInfo {
            name: CONCEPT.into(),
            query: QUERY.into(),
            description: None,
            languages: Vec::new(),
        },
        None,
    )
    .unwrap();
    s.save_analysis(&timeline()).unwrap();
    let app_dir = PathBuf::from(app_dir);
    ok(&["-p", app_dir.to_str().unwrap(), "run"]);

    // On the command line: the same steps.
    let cli_dir = tmp.path().join("on-the-command-line");
    ok(&["new", cli_dir.to_str().unwrap(), "--name", "study"]);
    let p = cli_dir.to_str().unwrap();
    let mut import = vec!["-p", p, "import"];
    let files: Vec<String> = inputs.iter().map(|f| f.display().to_string()).collect();
    import.extend(files.iter().map(String::as_str));
    ok(&import);
    ok(&["-p", p, "concepts", "add", CONCEPT, QUERY]);
    ok(&[
        "-p",
        p,
        "timeline",
        "--concept",
        CONCEPT,
        "--by",
        "source",
        "--period",
        "year",
        "--save",
        "security-by-outlet",
        "--json",
    ]);
    ok(&["-p", p, "run"]);

    let (app_files, app_manifest) = outputs(&app_dir);
    let (cli_files, cli_manifest) = outputs(&cli_dir);
    let names: Vec<&str> = app_files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["security-by-outlet.csv", "security-by-outlet.svg"]);
    assert_eq!(
        app_files, cli_files,
        "the same tables and charts, byte for byte"
    );
    assert_eq!(app_manifest, cli_manifest);
    // Both project files record the same sources, complete, with their files.
    let sources = |d: &Path| {
        broadsheet_project::Project::open(d)
            .unwrap()
            .file
            .sources
            .into_iter()
            .map(|s| (s.complete, s.files.len()))
            .collect::<Vec<_>>()
    };
    assert_eq!(sources(&app_dir), [(true, 1), (true, 1)]);
    assert_eq!(sources(&app_dir), sources(&cli_dir));
}

/// `--save` once stored an analysis without what only that run said: `regions --save` saved the
/// number of rows printed (so `run` wrote 20 rows of a longer table), and `--stopwords` or
/// `--stem` were dropped (so `run` computed a different word list). A saved analysis is the
/// analysis the command computed, or the command says why it cannot be saved.
#[test]
fn a_saved_analysis_is_the_one_the_command_computed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("study");
    let p = dir.to_str().unwrap();
    ok(&["new", p]);
    let demo_files: Vec<String> = std::fs::read_dir(demo(""))
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|f| !f.ends_with("README.md"))
        .collect();
    let mut import = vec!["-p", p, "import"];
    import.extend(demo_files.iter().map(String::as_str));
    ok(&import);

    let all = tmp.path().join("all.csv");
    ok(&["-p", p, "regions", "--out", all.to_str().unwrap()]);
    let written = std::fs::read_to_string(&all).unwrap();
    assert!(
        written.lines().count() > 21,
        "the demo tags more than 20 places"
    );
    ok(&["-p", p, "regions", "--save", "places"]);
    ok(&["-p", p, "run"]);
    let saved = std::fs::read_to_string(dir.join("outputs/places.csv")).unwrap();
    assert_eq!(saved, written);

    let o = bin()
        .args(["-p", p, "terms", "--stem", "--save", "words"])
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("[text]") && err.contains("--save"), "{err}");
    let saved = broadsheet_project::Project::open(&dir)
        .unwrap()
        .file
        .analyses;
    assert_eq!(saved.len(), 1, "nothing saved by the refused command");
}
