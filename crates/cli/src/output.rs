//! Printing results for people (aligned text) and for scripts (one JSON document).

use std::io::Write;

use serde::Serialize;

use broadsheet_store::{
    ArticleDetail, ArticleRow, CorpusStats, ImportRecord, ImportReport, ImportRow, SearchResults,
    SourceRow,
};

/// Prints one JSON document on standard output.
pub fn json<T: Serialize>(v: &T) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, v)?;
    writeln!(out)?;
    Ok(())
}

/// `1234567` → `1,234,567`.
pub fn n(v: u64) -> String {
    let s = v.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn bytes(v: u64) -> String {
    indicatif::HumanBytes(v).to_string()
}

fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        s.chars().take(max.saturating_sub(1)).collect::<String>() + "…"
    }
}

const SHOWN_DIAGNOSTICS: usize = 20;

pub fn import_report(r: &ImportReport, all: bool) {
    let verb = match r.status {
        broadsheet_store::ImportStatus::Completed => "Imported",
        broadsheet_store::ImportStatus::Cancelled => "Cancelled after importing",
    };
    println!(
        "{verb} {} articles from {} files ({}) in {:.1} s  [import #{}]",
        n(r.stored),
        n(r.files_seen),
        bytes(r.bytes),
        r.elapsed_ms as f64 / 1000.0,
        r.import_id
    );
    println!(
        "  records read {} · stored {} · duplicates {} · skipped {}",
        n(r.records_read),
        n(r.stored),
        n(r.duplicates),
        n(r.skipped)
    );
    if r.stored == 0 && r.duplicates > 0 && r.skipped == 0 {
        println!("  Nothing new: every record is already in the corpus.");
    }
    let failed: Vec<_> = r.files.iter().filter(|f| f.error.is_some()).collect();
    if !failed.is_empty() {
        println!("Files that could not be read to the end:");
        for f in failed {
            println!("  {}: {}", f.file, f.error.as_deref().unwrap_or(""));
        }
    }
    if r.diagnostic_counts.is_empty() {
        return;
    }
    let counts: Vec<String> = r
        .diagnostic_counts
        .iter()
        .map(|(k, v)| format!("{k} {}", n(*v)))
        .collect();
    println!("Diagnostics: {}", counts.join(", "));
    // Errors and warnings are listed; notes (duplicates, skipped documentation files) only with
    // --all-diagnostics, since a re-import can produce one per record.
    let mut ds: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| all || d.severity > broadsheet_ingest::Severity::Info)
        .collect();
    ds.sort_by_key(|d| std::cmp::Reverse(d.severity));
    let shown = if all {
        ds.len()
    } else {
        SHOWN_DIAGNOSTICS.min(ds.len())
    };
    for d in &ds[..shown] {
        println!("  {d}");
    }
    let total: u64 = r.diagnostic_counts.values().sum();
    if (shown as u64) < total {
        println!(
            "  … {} {}; `broadsheet imports {}` lists them",
            n(total - shown as u64),
            if shown == 0 { "notes" } else { "more" },
            r.import_id
        );
    }
}

pub fn sources(rows: &[SourceRow]) {
    let w = rows
        .iter()
        .map(|r| r.name.chars().count())
        .max()
        .unwrap_or(6)
        .max(6);
    println!(
        "{:<w$}  {:>9}  {:>9}  {:<10}  {:<10}",
        "source", "articles", "dated", "first", "last"
    );
    for r in rows {
        println!(
            "{:<w$}  {:>9}  {:>9}  {:<10}  {:<10}",
            r.name,
            n(r.articles),
            n(r.dated),
            r.first_date.as_deref().unwrap_or("-"),
            r.last_date.as_deref().unwrap_or("-")
        );
    }
}

pub fn articles(rows: &[ArticleRow]) {
    for r in rows {
        let title = if r.title.is_empty() {
            "(no title)"
        } else {
            &r.title
        };
        println!(
            "{:>7}  {:<20}  {:<24}  {}",
            format!("#{}", r.id),
            r.date.as_deref().unwrap_or("undated"),
            cut(&r.source, 24),
            cut(title, 90)
        );
    }
}

pub fn article(a: &ArticleDetail) {
    println!("#{}  {}", a.id, a.title);
    println!("source:    {}", a.source);
    let date = match &a.date {
        Some(d) => format!(
            "{d} ({} precision, from the {})",
            a.date_precision, a.date_origin
        ),
        None => match &a.date_raw {
            Some(raw) => format!("unknown (the source's date `{raw}` could not be read)"),
            None => "unknown (no date in the source)".to_string(),
        },
    };
    println!("date:      {date}");
    for (k, v) in [
        ("byline", &a.byline),
        ("section", &a.section),
        ("url", &a.url),
        ("id", &a.external_id),
    ] {
        if let Some(v) = v {
            println!("{:<10} {v}", format!("{k}:"));
        }
    }
    if let Some(l) = &a.language {
        let how = match (a.language_origin.as_deref(), a.language_confidence) {
            (Some("detected"), Some(c)) => format!(" (detected, confidence {c:.2})"),
            (Some(o), _) => format!(" (from the {o})"),
            _ => String::new(),
        };
        println!("language:  {l}{how}");
    }
    println!(
        "from:      {}{} (import #{})",
        a.file.as_deref().unwrap_or("?"),
        a.record
            .as_deref()
            .map(|r| format!(", {r}"))
            .unwrap_or_default(),
        a.import_id
    );
    if let Some(obj) = a.extra.as_object().filter(|o| !o.is_empty()) {
        println!(
            "fields:    {}",
            obj.keys().cloned().collect::<Vec<_>>().join(", ")
        );
    }
    println!();
    println!("{}", a.body);
}

pub fn search(r: &SearchResults, offset: usize, color: bool) {
    let (on, off) = if color {
        ("\x1b[1;33m", "\x1b[0m")
    } else {
        ("[", "]")
    };
    for h in &r.hits {
        let title = if h.title.is_empty() {
            "(no title)"
        } else {
            &h.title
        };
        println!(
            "#{}  {}  {}  {}",
            h.id,
            h.date.as_deref().unwrap_or("undated"),
            h.source,
            title
        );
        let mut line = String::from("    ");
        for s in &h.snippet {
            if s.hit {
                line.push_str(on);
                line.push_str(&s.text);
                line.push_str(off);
            } else {
                line.push_str(&s.text);
            }
        }
        println!("{line}");
    }
    if r.hits.is_empty() {
        println!("No articles match ({} in all).", n(r.total));
    } else {
        println!(
            "{}–{} of {} articles",
            n(offset as u64 + 1),
            n((offset + r.hits.len()) as u64),
            n(r.total)
        );
    }
}

pub fn stats(s: &CorpusStats) {
    println!(
        "{} articles from {} sources; {} dated, {} undated",
        n(s.articles),
        n(s.sources),
        n(s.dated),
        n(s.undated)
    );
    if let (Some(a), Some(b)) = (&s.first_date, &s.last_date) {
        println!("dates: {a} to {b}");
    }
    let join = |m: &std::collections::BTreeMap<String, u64>| {
        m.iter()
            .map(|(k, v)| format!("{k} {}", n(*v)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!("dates by origin: {}", join(&s.dates_by_origin));
    println!("dates by precision: {}", join(&s.dates_by_precision));
    println!("languages: {}", join(&s.languages));
    println!(
        "imports: {}; repeated records met and not stored twice: {}",
        n(s.imports),
        n(s.duplicates_seen)
    );
    if s.by_source_year.is_empty() {
        return;
    }
    let mut years: Vec<&str> = s.by_source_year.iter().map(|r| r.year.as_str()).collect();
    years.sort();
    years.dedup();
    let mut sources: Vec<&str> = s.by_source_year.iter().map(|r| r.source.as_str()).collect();
    sources.dedup();
    let w = sources
        .iter()
        .map(|s| s.chars().count())
        .max()
        .unwrap_or(6)
        .clamp(6, 32);
    println!();
    print!("{:<w$}", "source");
    for y in &years {
        print!("  {y:>7}");
    }
    println!();
    for src in sources {
        print!("{:<w$}", cut(src, w));
        for y in &years {
            let v = s
                .by_source_year
                .iter()
                .find(|r| r.source == src && r.year == *y)
                .map(|r| n(r.articles))
                .unwrap_or_else(|| "·".into());
            print!("  {v:>7}");
        }
        println!();
    }
}

pub fn imports(rows: &[ImportRow]) {
    println!(
        "{:>4}  {:<20}  {:<11}  {:>6}  {:>9}  {:>9}  {:>8}",
        "id", "started", "status", "files", "stored", "dups", "skipped"
    );
    for r in rows {
        println!(
            "{:>4}  {:<20}  {:<11}  {:>6}  {:>9}  {:>9}  {:>8}",
            r.id,
            r.started_at,
            r.status,
            n(r.files_seen),
            n(r.stored),
            n(r.duplicates),
            n(r.skipped)
        );
    }
}

pub fn import_record(r: &ImportRecord) {
    let i = &r.import;
    println!(
        "import #{} ({}), {} → {}, broadsheet {}",
        i.id,
        i.status,
        i.started_at,
        i.finished_at.as_deref().unwrap_or("?"),
        r.broadsheet_version
    );
    println!("options: {}", r.options);
    println!(
        "records read {} · stored {} · duplicates {} · skipped {}",
        n(i.records_read),
        n(i.stored),
        n(i.duplicates),
        n(i.skipped)
    );
    println!("files:");
    for f in &r.files {
        println!(
            "  {}  {}  {}  {}  stored {} · dup {} · skipped {}  {}",
            f.file,
            f.format.as_deref().unwrap_or("?"),
            f.encoding.as_deref().unwrap_or("?"),
            bytes(f.size),
            n(f.stored),
            n(f.duplicates),
            n(f.skipped),
            f.status
        );
    }
    if !r.diagnostics.is_empty() {
        println!("diagnostics:");
        for d in &r.diagnostics {
            println!(
                "  {}{}: {}: {} [{}]",
                d.file,
                d.record
                    .as_deref()
                    .map(|x| format!(": {x}"))
                    .unwrap_or_default(),
                d.severity,
                d.message,
                d.code
            );
        }
    }
}
