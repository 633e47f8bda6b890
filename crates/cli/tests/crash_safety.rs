//! Crash safety and concurrency of `broadsheet import`, run as child processes: imports killed
//! with SIGKILL at random (seeded) moments must leave a database that passes its integrity checks
//! with no half-stored article, and a final import must store exactly what is missing; two
//! processes on one project either interleave correctly or one says clearly that it is busy.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use broadsheet_store::Store;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_broadsheet"))
}

fn project(dir: &Path) -> PathBuf {
    let p = dir.join("proj");
    let o = bin().arg("new").arg(&p).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    p
}

/// A small deterministic generator (xorshift64*), so that the kill moments are the same on
/// every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Writes `files` JSON Lines files of `per_file` small articles each, every one with its own URL.
fn write_records(dir: &Path, prefix: &str, files: usize, per_file: usize) -> Vec<PathBuf> {
    (0..files)
        .map(|f| {
            let p = dir.join(format!("{prefix}{f:03}.jsonl"));
            let mut w = std::io::BufWriter::new(std::fs::File::create(&p).unwrap());
            for i in 0..per_file {
                let n = f * per_file + i;
                writeln!(
                    w,
                    r#"{{"title":"{prefix} article {n}","text":"Body of {prefix} article {n} about security in the region, with a few more words.","url":"https://example.org/{prefix}/{n}","date":"2015-12-{:02}"}}"#,
                    n % 28 + 1
                )
                .unwrap();
            }
            p
        })
        .collect()
}

/// What a consistent corpus looks like: SQLite's integrity check passes, the FTS index has one
/// row per article (and no other), every article has its derived rows, no URL is stored twice.
/// Returns the number of articles.
fn check_consistent(project: &Path) -> u64 {
    let store = Store::open(&project.join("corpus.sqlite")).expect("the corpus opens");
    store.check_integrity().expect("integrity");
    let c = store.connection();
    let one = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).unwrap() };
    let articles = one("SELECT count(*) FROM articles");
    assert_eq!(
        one("SELECT count(*) FROM articles WHERE id NOT IN (SELECT rowid FROM articles_fts)"),
        0,
        "articles without an index row"
    );
    assert_eq!(
        one("SELECT count(*) FROM articles_fts WHERE rowid NOT IN (SELECT id FROM articles)"),
        0,
        "index rows without an article"
    );
    assert_eq!(
        one("SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM article_terms)"),
        0,
        "articles without their term vector"
    );
    assert_eq!(
        one("SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM article_signatures)"),
        0,
        "articles without their signature"
    );
    assert_eq!(
        one("SELECT count(DISTINCT url) FROM articles"),
        articles,
        "an article stored twice"
    );
    c.execute(
        "INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 0)",
        [],
    )
    .expect("the FTS5 index's own integrity check");
    articles as u64
}

/// Imports killed with SIGKILL at seeded random moments, 40 times. 200,000 small records in 40
/// files of 5,000, plus one more file imported whole first to time an import of one file (T).
/// Each of the 40 files' import is then killed at a moment drawn uniformly from its start to T,
/// so that kills land while the process starts, before the first batch, inside a batch's
/// transaction, between batches and near the end. After each kill the corpus must be consistent
/// (see `check_consistent`) and never shrink; a final import of all 41 files must then bring it
/// to exactly 205,000 articles, the ones stored before counted as duplicates: nothing lost,
/// nothing doubled.
#[test]
fn imports_killed_at_random_moments_leave_a_consistent_corpus() {
    const FILES: usize = 40;
    const PER_FILE: usize = 5_000;
    let dir = tempfile::tempdir().unwrap();
    let p = project(dir.path());
    let files = write_records(dir.path(), "crash", FILES, PER_FILE);
    let calibration = write_records(dir.path(), "calibration", 1, PER_FILE);
    let t0 = Instant::now();
    let o = bin()
        .arg("-p")
        .arg(&p)
        .arg("import")
        .arg(&calibration[0])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let per_file = t0.elapsed();
    let mut before = check_consistent(&p);
    assert_eq!(before, PER_FILE as u64);
    let mut rng = Rng(0x5EED_CAFE_F00D_1234);
    let (mut killed, mut finished_first, mut grew, mut whole) = (0, 0, 0, 0);
    let started = Instant::now();
    for file in &files {
        let mut child = bin()
            .arg("-p")
            .arg(&p)
            .arg("import")
            .arg(file)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let delay = Duration::from_millis(rng.below(per_file.as_millis() as u64));
        std::thread::sleep(delay);
        match child.try_wait().unwrap() {
            Some(status) => {
                assert!(status.success(), "an import failed on its own: {status}");
                finished_first += 1;
            }
            None => {
                // SAFETY: signalling our own child.
                unsafe { libc::kill(child.id() as i32, libc::SIGKILL) };
                child.wait().unwrap();
                killed += 1;
            }
        }
        let now = check_consistent(&p);
        assert!(now >= before, "the corpus shrank from {before} to {now}");
        assert_eq!(
            now % 1000,
            0,
            "batches of 1,000 are stored whole, or not at all"
        );
        if now > before {
            grew += 1;
        }
        if now == before + PER_FILE as u64 {
            whole += 1;
        }
        before = now;
    }
    eprintln!(
        "one file takes {per_file:?}; {killed} imports killed, {finished_first} finished before their kill; \
         {grew} left new articles ({whole} the whole file); {before} articles stored; {:?}",
        started.elapsed()
    );
    // Imports that run faster than the calibration finish before their kill; most must not.
    assert!(killed >= 25, "only {killed} of {FILES} imports were killed");
    // The final import of everything: exactly what is missing is stored.
    let mut all = calibration.clone();
    all.extend(files.iter().cloned());
    let out = bin()
        .arg("-p")
        .arg(&p)
        .arg("import")
        .arg("--json")
        .args(&all)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let total = ((FILES + 1) * PER_FILE) as u64;
    assert_eq!(report["stored"].as_u64().unwrap(), total - before);
    assert_eq!(report["duplicates"].as_u64().unwrap(), before);
    assert_eq!(check_consistent(&p), total);
    // Imports that were killed are marked interrupted, not left running.
    let store = Store::open(&p.join("corpus.sqlite")).unwrap();
    let running: i64 = store
        .connection()
        .query_row(
            "SELECT count(*) FROM imports WHERE status = 'running'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(running, 0);
}

/// Two imports of different files into one project at the same time, and searches run while
/// they write: each import either completes or fails with the clear "busy" message, each search
/// either answers or says it is busy (never a database error), and afterwards the corpus is
/// consistent and holds exactly the articles of the imports that completed.
#[test]
fn two_processes_on_one_project_interleave_or_say_busy() {
    let dir = tempfile::tempdir().unwrap();
    let p = project(dir.path());
    let a = write_records(dir.path(), "first", 1, 8_000);
    let b = write_records(dir.path(), "second", 1, 8_000);
    let spawn = |f: &Path| {
        bin()
            .arg("-p")
            .arg(&p)
            .arg("import")
            .arg("--json")
            .arg(f)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let first = spawn(&a[0]);
    let second = spawn(&b[0]);
    let (mut answered, mut busy) = (0, 0);
    let deadline = Instant::now() + Duration::from_secs(600);
    let searcher = std::thread::scope(|s| {
        let h = s.spawn(|| {
            let mut results = Vec::new();
            for _ in 0..20 {
                let o = bin()
                    .arg("-p")
                    .arg(&p)
                    .args(["search", "security", "--json", "--limit", "3"])
                    .output()
                    .unwrap();
                results.push(o);
                if Instant::now() > deadline {
                    break;
                }
                std::thread::sleep(Duration::from_millis(150));
            }
            results
        });
        h.join().unwrap()
    });
    for o in &searcher {
        let err = String::from_utf8_lossy(&o.stderr);
        if o.status.success() {
            let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
            assert!(v["total"].as_u64().is_some(), "{v}");
            answered += 1;
        } else {
            assert!(
                err.contains("being written by another Broadsheet process"),
                "{err}"
            );
            busy += 1;
        }
        assert!(
            !err.contains("database error") && !err.contains("malformed"),
            "{err}"
        );
    }
    let mut expected = 0;
    for (name, child) in [("first", first), ("second", second)] {
        let o = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        if o.status.success() {
            let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
            assert_eq!(v["status"], "completed");
            assert_eq!(v["stored"], 8_000, "{name}: {v}");
            expected += 8_000;
            eprintln!("{name} import completed");
        } else {
            assert!(
                err.contains("being written by another Broadsheet process"),
                "{name} failed without saying it was busy: {err}"
            );
            eprintln!("{name} import was refused as busy: {err}");
        }
    }
    eprintln!("searches: {answered} answered, {busy} busy");
    assert_eq!(check_consistent(&p), expected);
    assert!(expected > 0, "neither import completed");
}

/// A project whose database another process keeps locked for writing (longer than the 10-second
/// busy timeout): the import fails with the clear "busy" message and exit status 1, a search
/// still answers (readers are never blocked in WAL mode), and the corpus is unchanged.
#[test]
fn a_corpus_locked_by_another_writer_gives_the_busy_message() {
    let dir = tempfile::tempdir().unwrap();
    let p = project(dir.path());
    let first = write_records(dir.path(), "locked", 1, 100);
    let o = bin()
        .arg("-p")
        .arg(&p)
        .arg("import")
        .arg(&first[0])
        .output()
        .unwrap();
    assert!(o.status.success());
    let second = write_records(dir.path(), "blocked", 1, 100);
    let holder = rusqlite::Connection::open(p.join("corpus.sqlite")).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let started = Instant::now();
    let o = bin()
        .arg("-p")
        .arg(&p)
        .arg("import")
        .arg(&second[0])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("being written by another Broadsheet process"),
        "{err}"
    );
    assert!(
        err.contains(&*p.join("corpus.sqlite").to_string_lossy()),
        "names the file: {err}"
    );
    assert!(!err.contains("database error"), "{err}");
    eprintln!("refused after {:?}: {err}", started.elapsed());
    let s = bin()
        .arg("-p")
        .arg(&p)
        .args(["search", "security", "--json"])
        .output()
        .unwrap();
    assert!(s.status.success(), "{}", String::from_utf8_lossy(&s.stderr));
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);
    assert_eq!(check_consistent(&p), 100);
}
