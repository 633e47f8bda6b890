//! The synthetic benchmark corpus: the same seed gives the same bytes, and the planted trend and
//! near-duplicates are there.

use std::collections::BTreeMap;

use broadsheet_gen::synth::{security_share, write_synth};

fn files(dir: &std::path::Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let t = tempfile::tempdir().unwrap();
    let (a, b, c) = (t.path().join("a"), t.path().join("b"), t.path().join("c"));
    let sa = write_synth(&a, 600, 7).unwrap();
    write_synth(&b, 600, 7).unwrap();
    write_synth(&c, 600, 8).unwrap();
    let (fa, fb, fc) = (files(&a), files(&b), files(&c));
    assert_eq!(fa.len(), 21, "20 outlets and the manifest");
    assert!(fa == fb, "same seed, different bytes");
    assert!(fa != fc, "another seed gave the same bytes");
    assert_eq!(sa.articles, 600);
    // About 3 KB of text per article (the body alone is 1,200 to 4,800 bytes).
    let per = sa.bytes / sa.articles;
    assert!((2_800..4_000).contains(&per), "{per} bytes per record");
    // Every line is a JSON object with the fields the importer maps.
    for (name, bytes) in &fa {
        if !name.ends_with(".jsonl") {
            continue;
        }
        for line in std::str::from_utf8(bytes).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            for k in ["id", "url", "source", "title", "byline", "date", "body"] {
                assert!(v[k].is_string(), "{name}: {k} missing in {line}");
            }
        }
    }
}

#[test]
fn planted_trend_and_duplicates_are_present() {
    let t = tempfile::tempdir().unwrap();
    let s = write_synth(t.path(), 5_000, 1).unwrap();
    let names = [
        "Kyrgyzstan",
        "Tajikistan",
        "Uzbekistan",
        "Kazakhstan",
        "Turkmenistan",
        "Кыргызстан",
        "Таджикистан",
        "Узбекистан",
        "Казахстан",
        "Туркменистан",
        "قرقیزستان",
        "تاجیکستان",
        "ازبکستان",
        "قزاقستان",
        "ترکمنستان",
    ];
    let (mut hot, mut hot_total, mut cold, mut cold_total) = (0u32, 0u32, 0u32, 0u32);
    let mut by_body: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, bytes) in files(t.path()) {
        if !name.ends_with(".jsonl") {
            continue;
        }
        for line in std::str::from_utf8(&bytes).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let date = v["date"].as_str().unwrap();
            let (y, m): (i32, u32) = (date[..4].parse().unwrap(), date[5..7].parse().unwrap());
            let body = v["body"].as_str().unwrap();
            let planted = v["section"] == "security" && names.iter().any(|n| body.contains(n));
            if security_share(y, m) > 0.1 {
                hot_total += 1;
                hot += planted as u32;
            } else {
                cold_total += 1;
                cold += planted as u32;
            }
            let key: String = body.chars().take(300).collect();
            by_body
                .entry(key)
                .or_default()
                .push(v["title"].as_str().unwrap().to_string());
        }
    }
    let (hot_share, cold_share) = (
        hot as f64 / hot_total as f64,
        cold as f64 / cold_total as f64,
    );
    assert!(
        hot_share > 2.5 * cold_share,
        "trend months {hot}/{hot_total}, other months {cold}/{cold_total}"
    );
    // Near-duplicates: the same opening, one of them retitled as a reprint.
    let groups: Vec<&Vec<String>> = by_body.values().filter(|t| t.len() > 1).collect();
    let reprints: usize = groups.iter().map(|g| g.len() - 1).sum();
    assert_eq!(reprints as u64, s.duplicates);
    assert!((50..=160).contains(&reprints), "{reprints} reprints");
    assert!(groups.iter().all(|g| g.iter().any(|t| t.ends_with(')'))));
}
