//! `broadsheet-gen`: writes generated corpora. `broadsheet-gen demo DIR` rewrites the demo
//! collection (the committed `datasets/demo` is exactly its output); `broadsheet-gen synth
//! --articles N [--seed S] --out DIR` writes a synthetic benchmark corpus (see
//! `broadsheet_gen::synth`); `broadsheet-gen concept` prints the query that finds its planted
//! concept; `broadsheet-gen story DIR [--seed S]` writes the story corpus a first run opens and
//! `broadsheet-gen concept story` prints its security query (see `broadsheet_gen::story`).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: broadsheet-gen demo DIR\n       broadsheet-gen story DIR [--seed S]\n       broadsheet-gen synth --articles N [--seed S] --out DIR\n       broadsheet-gen concept [story]   (prints the query of the planted concept of synth, or of story)";

fn story(args: &[String]) -> Result<(), String> {
    let (dir, seed) = match args {
        [dir] => (dir, broadsheet_gen::STORY_SEED),
        [dir, flag, s] | [flag, s, dir] if flag == "--seed" => {
            (dir, s.parse().map_err(|e| format!("--seed: {e}"))?)
        }
        _ => return Err(USAGE.to_string()),
    };
    let s = broadsheet_gen::write_story(&PathBuf::from(dir), seed)
        .map_err(|e| format!("{dir}: {e}"))?;
    let total: usize = s.articles.iter().sum();
    let security: usize = s.security.iter().sum();
    let per_outlet: Vec<String> = broadsheet_gen::story::OUTLETS
        .iter()
        .zip(s.articles.iter().zip(&s.security))
        .map(|((name, _, _), (n, k))| format!("{name} {n} ({k} security)"))
        .collect();
    println!(
        "wrote {dir}: {total} articles, {security} planted security stories ({:.1}%), {:.1} MB: {}",
        100.0 * security as f64 / total.max(1) as f64,
        s.bytes as f64 / 1e6,
        per_outlet.join(", ")
    );
    Ok(())
}

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
        [cmd, which] if cmd == "concept" && which == "story" => {
            println!("{}", broadsheet_gen::SECURITY_QUERY);
            ExitCode::SUCCESS
        }
        [cmd, rest @ ..] if cmd == "story" => match story(rest) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("broadsheet-gen: {e}");
                ExitCode::from(2)
            }
        },
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
