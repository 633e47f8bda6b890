//! Times the Library's paged listing on a project: a page of 200 rows at several depths, in
//! each order, as the app's virtual table fetches them.
//!
//!     cargo run --release -p broadsheet-desktop --example paging -- PROJECT_DIR

use std::time::Instant;

use broadsheet_desktop::ipc::{FilterSet, PageRequest, SortOrder};
use broadsheet_desktop::Session;

fn main() {
    let dir = std::env::args().nth(1).expect("usage: paging PROJECT_DIR");
    let cfg = tempfile::tempdir().expect("a temporary folder");
    let s = Session::new(cfg.path());
    let dir = s.grant(vec![dir.into()]).remove(0);
    let info = s.open_project(&dir).expect("a project");
    println!("{} articles", info.articles);
    for sort in [SortOrder::Id, SortOrder::Date, SortOrder::Newest] {
        for frac in [0.0, 0.5, 0.999] {
            let offset = (info.articles as f64 * frac) as u64;
            let t = Instant::now();
            let page = s
                .list_articles(&PageRequest {
                    filters: FilterSet::default(),
                    query: None,
                    sort,
                    offset,
                    limit: 200,
                })
                .expect("a page");
            println!(
                "{sort:?} offset {offset}: {} rows in {} ms",
                page.rows.len(),
                t.elapsed().as_millis()
            );
        }
    }
}
