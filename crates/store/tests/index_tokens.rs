//! The full-text index's tokens read back (what `convert` writes for other engines to match
//! queries on), and a query word tokenized as the index tokenizes it.

use std::sync::atomic::AtomicBool;

use broadsheet_store::corpus::index_tokens;
use broadsheet_store::{import, ImportRequest, Store};

#[test]
fn index_tokens_are_the_folded_words_with_their_positions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.jsonl");
    std::fs::write(
        &path,
        r#"{"title":"Bişkek talks","text":"The U.S. envoy met Ёлкин in Bishkek.","source":"S"}"#,
    )
    .unwrap();
    let mut store = Store::open(&dir.path().join("corpus.sqlite")).unwrap();
    let req = ImportRequest::new(vec![path], Default::default());
    import(&mut store, &req, &(), &AtomicBool::new(false)).unwrap();
    let mut got: Vec<(u8, String, u32)> = Vec::new();
    store
        .for_each_index_token(|_, col, t, pos| got.push((col, t.to_string(), pos)))
        .unwrap();
    got.sort_by_key(|g| (g.0, g.2));
    let words: Vec<String> = got
        .iter()
        .map(|g| format!("{}:{}:{}", g.0, g.1, g.2))
        .collect();
    assert_eq!(
        words,
        [
            "0:biskek:0",
            "0:talks:1",
            "1:the:0",
            "1:u:1",
            "1:s:2",
            "1:envoy:3",
            "1:met:4",
            "1:елкин:5",
            "1:in:6",
            "1:bishkek:7"
        ]
    );
    assert_eq!(index_tokens("u.s.").unwrap(), ["u", "s"]);
    assert_eq!(index_tokens("Bishkek").unwrap(), ["bishkek"]);
}
