//! Times the checks made when a corpus is opened and before it is written:
//! `cargo run --release -p broadsheet-store --example open_checks -- CORPUS.sqlite`.
//! Each is timed with the file's pages evicted from the page cache first (cold, as after a
//! reboot; `posix_fadvise(DONTNEED)`) and again right after (warm).

use std::path::Path;
use std::time::Instant;

use broadsheet_store::Store;

/// Asks the kernel to drop the file's cached pages (clean pages only; no privilege needed).
fn evict(path: &Path) {
    use std::os::unix::io::AsRawFd;
    for suffix in ["", "-wal"] {
        let mut p = path.as_os_str().to_os_string();
        p.push(suffix);
        if let Ok(f) = std::fs::File::open(&p) {
            // SAFETY: a valid descriptor; advice only.
            unsafe { libc::posix_fadvise(f.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED) };
        }
    }
}

fn time<T>(what: &str, path: &Path, f: impl Fn() -> T) {
    let mut out = Vec::new();
    for cold in [true, false] {
        if cold {
            evict(path);
        }
        let t = Instant::now();
        let _ = f();
        out.push(t.elapsed().as_secs_f64());
    }
    println!("{what:<40} cold {:>8.3} s   warm {:>8.3} s", out[0], out[1]);
}

fn main() {
    let path = std::path::PathBuf::from(std::env::args().nth(1).expect("CORPUS.sqlite"));
    let size = std::fs::metadata(&path).unwrap().len();
    let articles = Store::open_read_only(&path)
        .unwrap()
        .stats()
        .unwrap()
        .articles;
    println!(
        "{}: {articles} articles, {:.2} GB",
        path.display(),
        size as f64 / 1e9
    );
    time("open_read_only (header, schema)", &path, || {
        Store::open_read_only(&path).unwrap()
    });
    time("open_for_reading (header, schema, imports)", &path, || {
        Store::open_for_reading(&path).unwrap()
    });
    time("Store::verify (before the first write)", &path, || {
        Store::open_read_only(&path).unwrap().verify().unwrap()
    });
    time("PRAGMA quick_check, whole database", &path, || {
        Store::open_read_only(&path)
            .unwrap()
            .connection()
            .query_row("PRAGMA quick_check(1)", [], |r| r.get::<_, String>(0))
            .unwrap()
    });
    let store = Store::open_read_only(&path).unwrap();
    let tables: Vec<String> = {
        let mut st = store
            .connection()
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")
            .unwrap();
        let rows = st.query_map([], |r| r.get(0)).unwrap();
        rows.collect::<Result<_, _>>().unwrap()
    };
    for t in &tables {
        let t0 = Instant::now();
        let _: String = store
            .connection()
            .query_row(&format!("PRAGMA quick_check('{t}')"), [], |r| r.get(0))
            .unwrap();
        println!(
            "    quick_check({t:<20}) warm {:>8.3} s",
            t0.elapsed().as_secs_f64()
        );
    }
    for on in ["OFF", "ON"] {
        store
            .connection()
            .execute_batch(&format!("PRAGMA cell_size_check = {on}"))
            .unwrap();
        time(
            &format!("scan of every article, cell_size_check {on}"),
            &path,
            || {
                store
                    .connection()
                    .query_row("SELECT sum(length(body)) FROM articles", [], |r| {
                        r.get::<_, i64>(0)
                    })
                    .unwrap()
            },
        );
    }
    if std::env::args().any(|a| a == "--integrity") {
        time("PRAGMA integrity_check (for comparison)", &path, || {
            Store::open_read_only(&path)
                .unwrap()
                .connection()
                .query_row("PRAGMA integrity_check(1)", [], |r| r.get::<_, String>(0))
                .unwrap()
        });
    }
}
