//! The `broadsheet` command as scripts use it: exit statuses, one-line errors on standard
//! error, and one JSON document on standard output with `--json`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_broadsheet"))
}

fn run(project: &Path, args: &[&str]) -> Output {
    bin().arg("-p").arg(project).args(args).output().unwrap()
}

fn ok(project: &Path, args: &[&str]) -> String {
    let o = run(project, args);
    assert!(
        o.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

fn json(project: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(project, args)).unwrap()
}

fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../datasets/demo")
}

/// A project with the demo corpus imported, as the README's first command makes it.
fn demo_project() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("proj");
    let o = bin().arg("new").arg(&p).output().unwrap();
    assert!(o.status.success());
    let d = demo();
    let files: Vec<String> = [
        "steppe_herald.jsonl",
        "caspian_wire.csv",
        "novosti_evrazii.json",
        "payam_asia.jsonl",
    ]
    .iter()
    .map(|f| d.join(f).display().to_string())
    .collect();
    let mut args = vec!["import", "--json"];
    args.extend(files.iter().map(String::as_str));
    let report = json(&p, &args);
    assert_eq!(report["status"], "completed");
    let tst = d.join("tien_shan_times").display().to_string();
    json(
        &p,
        &["import", &tst, "--source", "Tien Shan Times", "--json"],
    );
    (dir, p)
}

#[test]
fn demo_corpus_imports_with_exact_counts() {
    let (_d, p) = demo_project();
    let s = json(&p, &["stats", "--json"]);
    assert_eq!(s["articles"], 1543);
    assert_eq!(s["sources"], 5);
    assert_eq!(s["dated"], 1299);
    assert_eq!(s["undated"], 244);
    assert_eq!(s["dates_by_origin"]["field"], 1299);
    let sources = json(&p, &["sources", "--json"]);
    let names: Vec<&str> = sources
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec![
            "Caspian Wire",
            "Payam-e Asia",
            "Steppe Herald",
            "Tien Shan Times",
            "Новости Евразии"
        ]
    );
    // Importing again adds nothing and says so.
    let again = ok(
        &p,
        &[
            "import",
            &demo().join("caspian_wire.csv").display().to_string(),
        ],
    );
    assert!(again.contains("Nothing new"), "{again}");
}

#[test]
fn search_list_and_show() {
    let (_d, p) = demo_project();
    let r = json(
        &p,
        &["search", "security AND Kyrgyz*", "--limit", "3", "--json"],
    );
    let total = r["total"].as_u64().unwrap();
    assert!(total > 3, "{total}");
    assert_eq!(r["hits"].as_array().unwrap().len(), 3);
    let snippet = &r["hits"][0]["snippet"];
    assert!(snippet
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["match"] == true));
    // The same subcorpus through `list` has the same size.
    let l = json(
        &p,
        &[
            "list",
            "-q",
            "security AND Kyrgyz*",
            "--limit",
            "1",
            "--json",
        ],
    );
    assert_eq!(l["total"].as_u64().unwrap(), total);
    let id = l["articles"][0]["id"].as_i64().unwrap();
    let a = json(&p, &["show", &id.to_string(), "--json"]);
    assert_eq!(a["id"].as_i64().unwrap(), id);
    assert!(a["date_origin"].is_string());
    // Filters narrow.
    let y = json(
        &p,
        &[
            "list",
            "--from",
            "2016",
            "--to",
            "2016",
            "--source",
            "Steppe Herald",
            "--limit",
            "0",
            "--json",
        ],
    );
    let rows = y["articles"].as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|r| r["date"].as_str().unwrap().starts_with("2016")
                && r["source"] == "Steppe Herald")
    );
    // Searching the Persian spelling finds the Arabic-letter articles too.
    let fa = json(&p, &["search", "رئیس", "--json"])["total"]
        .as_u64()
        .unwrap();
    let ar = json(&p, &["search", "رئيس", "--json"])["total"]
        .as_u64()
        .unwrap();
    assert_eq!(fa, ar);
    assert!(fa > 0);
}

#[test]
fn errors_are_one_line_with_a_non_zero_status() {
    let (_d, p) = demo_project();
    let o = run(&p, &["search", "(Daesh OR"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    let last = err.lines().last().unwrap();
    assert!(last.starts_with("broadsheet: query:"), "{err}");
    assert!(last.contains("at character"), "{err}");
    let o = run(&p, &["show", "999999"]);
    assert!(!o.status.success());
    assert_eq!(
        String::from_utf8_lossy(&o.stderr).trim(),
        "broadsheet: no article with id 999999"
    );
    let empty = tempfile::tempdir().unwrap();
    let o = run(empty.path(), &["stats"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("not a Broadsheet project"), "{err}");
    let o = run(&p, &["import", "/no/such/file.csv"]);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("/no/such/file.csv: no such file or folder")
    );
    let o = run(&p, &["import", "x.csv", "--map", "colour=3"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a field"));
}

#[test]
fn an_import_with_bad_records_exits_zero_and_reports_them() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("proj");
    assert!(bin().arg("new").arg(&p).status().unwrap().success());
    let f = dir.path().join("mixed.jsonl");
    std::fs::write(&f, "{\"title\": \"ok\", \"text\": \"fine\"}\n{broken\n{\"title\": \"also ok\", \"date\": \"not a date\"}\n").unwrap();
    let r = json(&p, &["import", f.to_str().unwrap(), "--json"]);
    assert_eq!(
        (r["stored"].as_u64(), r["skipped"].as_u64()),
        (Some(2), Some(1))
    );
    let diags = r["diagnostics"].as_array().unwrap();
    assert_eq!(diags[0]["code"], "bad-json");
    assert_eq!(diags[0]["locator"]["pos"]["at"], 2);
    assert_eq!(diags[1]["code"], "date-unparsed");
    let text = ok(&p, &["imports", "1"]);
    assert!(
        text.contains("mixed.jsonl: line 2: error: invalid JSON"),
        "{text}"
    );
}

#[test]
fn a_closed_pipe_is_not_an_error_message() {
    let (_d, p) = demo_project();
    let mut child = bin()
        .arg("-p")
        .arg(&p)
        .args(["list", "--limit", "0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read one line, then close our end, as `| head -1` does.
    {
        use std::io::BufRead;
        let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        assert!(line.trim_start().starts_with('#'), "{line}");
    }
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked"), "{err}");
}
