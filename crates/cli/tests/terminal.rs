//! What the command prints for people, with hostile text in the corpus and hostile numbers on
//! the command line (issue 19, items 11, 12 and 14): escape sequences and line breaks from
//! titles and file names are shown escaped, never sent to the terminal; out-of-range numbers,
//! dates and paths are errors in the user's words, on one line.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_broadsheet"))
}

fn run(project: &Path, args: &[&str]) -> Output {
    bin().arg("-p").arg(project).args(args).output().unwrap()
}

fn stdout_of(project: &Path, args: &[&str]) -> String {
    let o = run(project, args);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// The one-line error of a command that must fail.
fn error_of(project: &Path, args: &[&str]) -> String {
    let o = run(project, args);
    assert!(!o.status.success(), "{args:?} succeeded");
    let e = String::from_utf8(o.stderr).unwrap();
    assert_eq!(e.trim_end().lines().count(), 1, "one line: {e}");
    e
}

/// A project holding one article whose title, body and file name carry escape sequences.
fn hostile_project() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("proj");
    assert!(bin().arg("new").arg(&p).status().unwrap().success());
    // A title that would retitle the terminal, a body that would clear the screen, a file name
    // that would turn the output red.
    let file = dir.path().join("evil\u{1b}[31m.jsonl");
    std::fs::write(
        &file,
        "{\"title\": \"Osh\\u001b]0;pwned\\u0007 forged\\nline\", \"text\": \"Body \\u001b[2J cleared\\nsecond line\", \"date\": \"2021-05-01\"}\n",
    )
    .unwrap();
    stdout_of(&p, &["import", file.to_str().unwrap()]);
    (dir, p)
}

fn assert_no_raw_controls(out: &str) {
    for c in ['\u{1b}', '\u{7}'] {
        assert!(
            !out.contains(c),
            "a raw {:?} reached the terminal: {out:?}",
            c
        );
    }
}

#[test]
fn terminal_escapes_in_titles_and_file_names_are_shown_escaped() {
    let (_d, p) = hostile_project();
    for args in [
        &["show", "1"][..],
        &["list"],
        &["search", "osh"],
        &["imports", "1"],
        &["imports"],
        &["sources"],
    ] {
        let out = stdout_of(&p, args);
        assert_no_raw_controls(&out);
    }
    // The import stores text without control characters; the file name keeps them, shown
    // escaped wherever it is printed.
    let show = stdout_of(&p, &["show", "1"]);
    assert!(show.starts_with("#1  Osh]0;pwned forged line\n"), "{show}");
    assert!(show.contains("from:      evil\\u{1b}[31m.jsonl"), "{show}");
    assert!(
        show.contains("cleared\nsecond line"),
        "the body keeps its line breaks: {show}"
    );
    let imports = stdout_of(&p, &["imports", "1"]);
    assert!(imports.contains("evil\\u{1b}[31m.jsonl"), "{imports}");
    // `--json` stays exact: JSON escapes the characters itself.
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(&p, &["imports", "1", "--json"])).unwrap();
    assert_eq!(json["files"][0]["file"], "evil\u{1b}[31m.jsonl");
}

#[test]
fn out_to_a_missing_folder_names_the_folder_not_a_temporary_file() {
    let (_d, p) = hostile_project();
    let e = error_of(&p, &["terms", "--out", "/nonexistent/x.csv"]);
    assert!(
        e.contains("/nonexistent/x.csv") && e.contains("the folder /nonexistent does not exist"),
        "{e}"
    );
    assert!(!e.contains(".part"), "{e}");
}

#[test]
fn scale_0_is_refused() {
    let (_d, p) = hostile_project();
    let e =
        String::from_utf8(run(&p, &["terms", "--out", "t.png", "--scale", "0"]).stderr).unwrap();
    assert!(e.contains("--scale") && e.contains("1..=8"), "{e}");
}

#[test]
fn huge_limits_and_far_dates_are_read_in_the_users_terms() {
    let (_d, p) = hostile_project();
    // The largest number a shell can pass: a limit, not "datatype mismatch".
    let out = stdout_of(&p, &["list", "--limit", "18446744073709551615"]);
    assert!(out.contains("Osh"), "{out}");
    stdout_of(&p, &["search", "osh", "--limit", "18446744073709551615"]);
    // The last day Broadsheet counts to is a valid end; a later one says so, not jiff's words.
    stdout_of(&p, &["list", "--to", "9999-12-30"]);
    let e = error_of(&p, &["list", "--to", "9999-12-31"]);
    assert!(e.contains("9999-12-31") && e.contains("last date"), "{e}");
}

/// Issue 20: a query's syntax error was three lines (the query, a caret line, the message)
/// where the README promises one; scripts (no terminal) get the one line.
#[test]
fn a_query_syntax_error_is_one_line_for_scripts() {
    let (_d, p) = hostile_project();
    let e = error_of(&p, &["search", "(security AND"]);
    assert!(e.contains("needs a term after it"), "{e}");
}

/// Issue 20: `stats` was 230 columns wide over 25 years and its rows misaligned by CJK source
/// names (two columns on screen per letter).
#[test]
fn stats_stay_narrow_and_aligned_with_wide_letters() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("proj");
    assert!(bin().arg("new").arg(&p).status().unwrap().success());
    let mut csv = String::from("source,title,date,body\n");
    for y in 2000..2025 {
        csv.push_str(&format!("新华社,T{y},{y}-03-01,Text.\n"));
        csv.push_str(&format!("Steppe Herald,S{y},{y}-04-01,Text.\n"));
    }
    let f = dir.path().join("n.csv");
    std::fs::write(&f, csv).unwrap();
    stdout_of(&p, &["import", f.to_str().unwrap()]);
    let out = stdout_of(&p, &["stats"]);
    let table: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.starts_with("source"))
        .collect();
    assert_eq!(table.len(), 3, "{out}");
    // Display width: CJK letters take two columns.
    let width = |l: &str| -> usize {
        l.chars()
            .map(|c| {
                if ('\u{4e00}'..='\u{9fff}').contains(&c) {
                    2
                } else {
                    1
                }
            })
            .sum()
    };
    let widths: Vec<usize> = table.iter().map(|l| width(l)).collect();
    assert!(widths.iter().all(|w| *w == widths[0]), "{widths:?}\n{out}");
    assert!(widths[0] <= 170, "{} columns\n{out}", widths[0]);
}
