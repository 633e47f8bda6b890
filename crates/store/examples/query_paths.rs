//! Times the two ways a subcorpus's ids are taken — evaluated over the indexes
//! (`Store::subcorpus_ids`) and by one joined statement over the articles — for queries with
//! metadata terms: `cargo run --release -p broadsheet-store --example query_paths -- DIR`
//! (DIR holds `corpus.sqlite`). Each is run three times after a warm-up; the median is printed.

use std::time::Instant;

use broadsheet_query::{ConceptDef, Concepts};
use broadsheet_store::{Store, Subcorpus};

const QUERIES: &[&str] = &[
    "security",
    "security place:central-asia",
    "place:central-asia AND concept:\"regional security\"",
    "concept:\"regional security\" AND date:2020..2021",
    "lang:ru OR lang:fa",
    "security -source:\"Steppe Herald\"",
    "NOT place:central-asia",
    "(security OR border*) AND section:politics",
    "said",
    "said lang:en",
    "said date:2020",
    "said -place:KG",
    "said OR place:KG",
];

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn time<T>(f: impl Fn() -> T) -> (f64, T) {
    let _ = f();
    let mut runs = Vec::new();
    let mut out = None;
    for _ in 0..3 {
        let t = Instant::now();
        out = Some(f());
        runs.push(t.elapsed().as_secs_f64() * 1e3);
    }
    (median(runs), out.expect("three runs"))
}

fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).expect("usage: query_paths DIR"));
    let mut store = Store::open(&dir.join("corpus.sqlite")).expect("a corpus");
    let mut concepts = Concepts::new();
    concepts.insert(
        "regional security",
        ConceptDef {
            query: "security OR militant* OR border* OR CSTO".into(),
            languages: [("ru".to_string(), "безопасност* OR боевик*".to_string())]
                .into_iter()
                .collect(),
        },
    );
    store.set_concepts(concepts);
    println!(
        "{:<55} {:>8} {:>10} {:>10}",
        "query", "articles", "indexes ms", "joined ms"
    );
    for q in QUERIES {
        let sc = Subcorpus::query_only(q);
        let (fast, ids) = time(|| store.subcorpus_ids(&sc).expect("ids"));
        let c = store.compile(&sc).expect("compiles");
        let sql = format!(
            "SELECT a.id FROM articles a WHERE {} ORDER BY a.id",
            c.where_sql
        );
        let (joined, n) = time(|| {
            let mut st = store.connection().prepare(&sql).expect("prepares");
            let rows = st
                .query_map(rusqlite::params_from_iter(c.params.iter()), |r| {
                    r.get::<_, i64>(0)
                })
                .expect("runs");
            rows.count()
        });
        assert_eq!(n, ids.len(), "{q}");
        println!("{q:<55} {:>8} {fast:>10.1} {joined:>10.1}", ids.len());
    }
}
