//! Times the import of an overlapping-entry zip bomb (issue 19, item 13): `COPIES`
//! central-directory entries sharing one deflated body of `MB` megabytes of article text.
//! `cargo run --release -p broadsheet-store --example overlap_zip -- [MB] [COPIES]`
//! (defaults 30 and 1000, the archive the hostile-input run used).

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use broadsheet_store::{import, ImportRequest, Store};

/// Article text that compresses about as well as news does (a few times, not a thousand).
fn body(mb: usize) -> String {
    let words = [
        "minister",
        "security",
        "talks",
        "border",
        "Moscow",
        "army",
        "said",
        "the",
        "of",
        "in",
        "agreement",
        "officials",
        "region",
        "economy",
        "reported",
        "week",
        "government",
        "new",
    ];
    let mut out = String::from("One shared body\n\n");
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    while out.len() < mb << 20 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.push_str(words[(x % words.len() as u64) as usize]);
        out.push(if x.is_multiple_of(11) { '\n' } else { ' ' });
    }
    out
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let mb = args.first().copied().unwrap_or(30);
    let copies = args.get(1).copied().unwrap_or(1000);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let zip = broadsheet_testdata::zipgen::overlapping_zip(body(mb).as_bytes(), copies);
    let path = dir.path().join("overlap.zip");
    std::fs::write(&path, &zip).expect("writing the archive");
    println!(
        "archive: {:.1} MB, {copies} entries sharing a {mb} MB body",
        zip.len() as f64 / 1048576.0
    );
    let mut store = Store::open(&dir.path().join("corpus.sqlite")).expect("a corpus");
    let req = ImportRequest::new(vec![path], Default::default());
    let started = Instant::now();
    let r = import(&mut store, &req, &(), &AtomicBool::new(false)).expect("the import");
    println!(
        "imported in {:.1} s: {} stored, {} duplicates, {} skipped, diagnostics {:?}",
        started.elapsed().as_secs_f64(),
        r.stored,
        r.duplicates,
        r.skipped,
        r.diagnostic_counts
    );
}
