//! Measures language detection on a collection whose language is known: how many of its
//! records each detector tells right, tells wrong, or leaves insufficient, and how long it takes.
//!
//! `cargo run --release -p broadsheet-ingest --example lang_eval -- GOLD PATH... [--wrong N]`
//!
//! PATH is anything the generic import reads, or a fixture of `headline | text` lines
//! (`crates/text/tests/fixtures/languages/*.txt`). The sample is the one the normalizer builds
//! (the text, with the title before it when the text is short). `--wrong N` prints the first N
//! records the chosen detector gets wrong.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Instant;

use broadsheet_ingest::{
    discover, read_file, Diagnostic, Flow, Locator, RawRecord, ReadOptions, Sink,
};
use broadsheet_text::lang::{detect_language_in, detect_whatlang_only};
use broadsheet_text::{clean_body, clean_line};

struct Samples(Vec<String>);

impl Sink for Samples {
    fn record(&mut self, r: RawRecord, _: Locator) -> Flow {
        let title = r.title.as_deref().map(clean_line).unwrap_or_default();
        let body = r.body.as_deref().map(clean_body).unwrap_or_default();
        self.0.push(sample(&title, &body));
        Flow::Continue
    }
    fn diagnostic(&mut self, _: Diagnostic) -> Flow {
        Flow::Continue
    }
}

fn sample(title: &str, body: &str) -> String {
    if body.len() >= 200 || title.is_empty() {
        body.to_string()
    } else {
        format!("{title}\n{body}")
    }
}

fn load(paths: &[PathBuf]) -> Vec<String> {
    let mut out = Samples(Vec::new());
    for p in paths {
        if p.extension().is_some_and(|e| e == "txt") && p.to_string_lossy().contains("fixtures") {
            let text = std::fs::read_to_string(p).expect("fixture");
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let (t, b) = line.split_once(" | ").unwrap_or(("", line));
                out.0.push(sample(t, b));
            }
            continue;
        }
        let (files, _) = discover(std::slice::from_ref(p), None, &[]).expect("paths");
        let progress = Arc::new(AtomicU64::new(0));
        for f in &files {
            let _ = read_file(f, None, &ReadOptions::default(), &progress, &mut out);
        }
    }
    out.0
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let wrong = match args.iter().position(|a| a == "--wrong") {
        Some(i) => {
            let n = args[i + 1].parse::<usize>().expect("--wrong N");
            args.drain(i..i + 2);
            n
        }
        None => 0,
    };
    let gold = args.remove(0);
    let paths: Vec<PathBuf> = args.iter().map(PathBuf::from).collect();
    let samples = load(&paths);
    println!("{} records, gold `{gold}`", samples.len());
    println!("| detector | right | wrong | insufficient | µs/article | wrong as |");
    println!("|---|---|---|---|---|---|");
    type Detector = Box<dyn Fn(&str) -> Result<&'static str, String>>;
    let mut detectors: Vec<(String, Detector)> = vec![(
        "whatlang alone, 3000 chars".into(),
        Box::new(|s: &str| {
            detect_whatlang_only(s, 3000)
                .map(|d| d.code)
                .ok_or("none".into())
        }),
    )];
    for n in [300usize, 500, 1000, 2000, 3000] {
        detectors.push((
            format!("whatlang + rules, {n} chars"),
            Box::new(move |s: &str| {
                detect_language_in(s, n)
                    .map(|d| d.code)
                    .map_err(|e| format!("{e:?}"))
            }),
        ));
    }
    for t in [0.7, 0.9, 1.0] {
        detectors.push((
            format!("whatlang + rules, 1000 chars, confidence >= {t}"),
            Box::new(move |s: &str| match detect_language_in(s, 1000) {
                Ok(d) if d.confidence >= t => Ok(d.code),
                Ok(_) => Err("LowConfidence".into()),
                Err(e) => Err(format!("{e:?}")),
            }),
        ));
    }
    for (i, (name, detect)) in detectors.iter().enumerate() {
        let t = Instant::now();
        let results: Vec<Result<&str, String>> = samples.iter().map(|s| detect(s)).collect();
        let us = t.elapsed().as_secs_f64() * 1e6 / samples.len().max(1) as f64;
        let mut wrong_as: BTreeMap<String, usize> = BTreeMap::new();
        let (mut right, mut bad, mut none) = (0, 0, 0);
        let mut shown = 0;
        for (s, r) in samples.iter().zip(&results) {
            match r {
                Ok(c) if *c == gold => right += 1,
                Ok(c) => {
                    bad += 1;
                    *wrong_as.entry(c.to_string()).or_default() += 1;
                    if i == 3 && shown < wrong {
                        shown += 1;
                        eprintln!("WRONG {c}: {:?}", s.chars().take(300).collect::<String>());
                    }
                }
                Err(e) => {
                    none += 1;
                    if i == 3 && shown < wrong {
                        shown += 1;
                        eprintln!("NONE {e}: {:?}", s.chars().take(300).collect::<String>());
                    }
                    *wrong_as.entry(format!("({e})")).or_default() += 1;
                }
            }
        }
        let pct = |n: usize| 100.0 * n as f64 / samples.len().max(1) as f64;
        let mut top: Vec<(String, usize)> = wrong_as.into_iter().collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let top: Vec<String> = top
            .iter()
            .take(6)
            .map(|(c, n)| format!("{c} {n}"))
            .collect();
        println!(
            "| {name} | {right} ({:.1}%) | {bad} ({:.1}%) | {none} ({:.1}%) | {us:.0} | {} |",
            pct(right),
            pct(bad),
            pct(none),
            top.join(", ")
        );
    }
}
