//! Imports paths into a fresh corpus with the generic recipe and prints the wall and CPU time and
//! the language origins: `cargo run --release -p broadsheet-store --example import_timing -- DIR PATH...`
//! (DIR must not hold a corpus yet).

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use broadsheet_store::{import, ImportRequest, Store};

fn cpu_seconds() -> f64 {
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    let t = |tv: libc::timeval| tv.tv_sec as f64 + tv.tv_usec as f64 / 1e6;
    t(u.ru_utime) + t(u.ru_stime)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = std::path::PathBuf::from(&args[0]);
    std::fs::create_dir_all(&dir).unwrap();
    let mut store = Store::open(&dir.join("corpus.sqlite")).unwrap();
    let req = ImportRequest::new(
        args[1..].iter().map(std::path::PathBuf::from).collect(),
        Default::default(),
    );
    let (t, c) = (Instant::now(), cpu_seconds());
    let r = import(&mut store, &req, &(), &AtomicBool::new(false)).unwrap();
    println!(
        "stored {} in {:.1} s wall, {:.1} s CPU; languages by origin {:?}",
        r.stored,
        t.elapsed().as_secs_f64(),
        cpu_seconds() - c,
        r.language_origins
    );
}
