//! `broadsheet-gen`: writes generated corpora. `broadsheet-gen demo DIR` rewrites the demo
//! collection (the committed `datasets/demo` is exactly its output); `broadsheet-gen synth
//! --articles N [--seed S] --out DIR` writes a synthetic benchmark corpus (see
//! `broadsheet_gen::synth`); `broadsheet-gen concept` prints the query that finds its planted
//! concept.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: broadsheet-gen demo DIR\n       broadsheet-gen synth --articles N [--seed S] --out DIR\n       broadsheet-gen concept   (prints the query of the planted concept)";

fn synth(args: &[String]) -> Result<(), String> {
    let mut articles: Option<u64> = None;
    let mut seed = 1u64;
    let mut out: Option<PathBuf> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--articles" | "-n" => {
                articles = Some(value()?.parse().map_err(|e| format!("--articles: {e}"))?)
            }
            "--seed" => seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--out" | "-o" => out = Some(PathBuf::from(value()?)),
            _ => return Err(format!("unknown argument `{a}`\n{USAGE}")),
        }
    }
    let (Some(articles), Some(out)) = (articles, out) else {
        return Err(USAGE.to_string());
    };
    let t = Instant::now();
    let s = broadsheet_gen::write_synth(&out, articles, seed)
        .map_err(|e| format!("{}: {e}", out.display()))?;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "wrote {}: {} articles, {:.1} MB in {} files ({} reprints, {} planted security/Central Asia) in {:.1} s ({:.0} MB/s)",
        out.display(),
        s.articles,
        s.bytes as f64 / 1e6,
        s.files.len(),
        s.duplicates,
        s.security_central_asia,
        secs,
        s.bytes as f64 / 1e6 / secs.max(1e-9)
    );
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [cmd, dir] if cmd == "demo" => match broadsheet_gen::write_demo(&PathBuf::from(dir)) {
            Ok(s) => {
                println!(
                    "wrote {dir}: Steppe Herald {}, Caspian Wire {} ({} reprints), Новости Евразии {}, Payam-e Asia {}, Tien Shan Times {}",
                    s.steppe_herald, s.caspian_wire, s.caspian_wire_reprints, s.novosti, s.payam, s.tien_shan
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("broadsheet-gen: {dir}: {e}");
                ExitCode::FAILURE
            }
        },
        [cmd] if cmd == "concept" => {
            println!("{}", broadsheet_gen::synth::CONCEPT_QUERY);
            ExitCode::SUCCESS
        }
        [cmd, rest @ ..] if cmd == "synth" => match synth(rest) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("broadsheet-gen: {e}");
                ExitCode::from(2)
            }
        },
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}
