//! Detection on the fixtures of short news items (`fixtures/languages/*.txt`, one
//! `headline | text` per line, written for these tests): each item told right or left
//! insufficient, never told wrong, and the fixtures themselves spelled in their alphabets.

use broadsheet_text::detect_language;

/// (fixture, its language, the letters its alphabet has beyond the basic Cyrillic or Latin
/// ones, the letters it must not contain, items told right, items insufficient).
const FIXTURES: &[(&str, &str, &str, &str, usize, usize)] = &[
    ("ky", "ky", "ңөү", "әғқұһіӣӯҳҷўҗ", 59, 3),
    ("kk", "kk", "әғқңөұүһі", "ӣӯҳҷўҗ", 63, 0),
    ("tg", "tg", "ғӣқӯҳҷ", "әңөұүһіўщыць", 61, 0),
    ("uz-cyrl", "uz", "ўқғҳ", "әңөұүһіӣӯҷыщ", 59, 3),
    (
        "uz-latn",
        "uz",
        "ʻʼ",
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        62,
        0,
    ),
    ("ru", "ru", "ё", "әғқңөұүһіӣӯҳҷўҗ", 57, 5),
];

fn items(name: &str) -> Vec<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/languages")
        .join(format!("{name}.txt"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (title, text) = l.split_once(" | ").expect("headline | text");
            // As the normalizer builds its sample for a short text: the title, then the text.
            format!("{title}\n{text}")
        })
        .collect()
}

#[test]
fn fixtures_are_spelled_in_their_alphabets() {
    for (name, _, own, foreign, _, _) in FIXTURES {
        let items = items(name);
        assert!(items.len() >= 60, "{name}: {} items", items.len());
        let text = items.concat().to_lowercase();
        for c in foreign.chars() {
            assert!(!text.contains(c), "{name} contains `{c}`");
        }
        for c in own.chars().filter(|c| !"ʼё".contains(*c)) {
            assert!(text.contains(c), "{name} never uses `{c}`");
        }
    }
}

#[test]
fn fixtures_are_told_right_or_left_insufficient() {
    for (name, code, _, _, right, insufficient) in FIXTURES {
        let (mut ok, mut none, mut wrong) = (0, 0, Vec::new());
        for item in items(name) {
            match detect_language(&item) {
                Ok(d) if d.code == *code => ok += 1,
                Ok(d) => wrong.push(format!("{}: {item}", d.code)),
                Err(_) => none += 1,
            }
        }
        assert!(wrong.is_empty(), "{name} told wrong: {wrong:#?}");
        assert_eq!((ok, none), (*right, *insufficient), "{name}");
    }
}
