//! Printing results for people (aligned text) and for scripts (one JSON document).

use std::borrow::Cow;
use std::io::Write;

use serde::Serialize;

use broadsheet_store::{
    ArticleDetail, ArticleRow, CorpusStats, ImportRecord, ImportReport, ImportRow, SearchResults,
    SourceRow,
};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Prints one JSON document on standard output.
pub fn json<T: Serialize>(v: &T) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, v)?;
    writeln!(out)?;
    Ok(())
}

/// A value shown on one line of a terminal. Text from a corpus (titles, file names, sources,
/// fields) may hold escape sequences that would move the cursor, recolour or retitle the
/// terminal, and line breaks that would forge lines of output: every control character is
/// shown as an escape (`\u{1b}`, `\n`) instead. `--json` output is exact and needs none of this.
pub fn field(s: &str) -> Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().collect::<String>()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// A text of several lines (an article's body): line breaks and tabs kept, every other
/// control character shown as an escape (see [`field`]).
pub fn text(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| {
                if c.is_control() && c != '\n' && c != '\t' {
                    c.escape_default().collect::<String>()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
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

/// A value cut to `max` characters (with `…`), control characters escaped first.
fn cut(s: &str, max: usize) -> String {
    let s = field(s);
    if s.width() <= max {
        return s.into_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if used + cw > max.saturating_sub(1) {
            break;
        }
        used += cw;
        out.push(c);
    }
    out + "…"
}

const SHOWN_DIAGNOSTICS: usize = 20;

/// The built-in recipes that fit files imported without one, with what each would change.
pub fn recipe_suggestions(suggestions: &[broadsheet_ingest::RecipeSuggestion]) {
    for s in suggestions {
        println!(
            "\nThese files look like the export the built-in recipe `{}` reads ({}). With it the import would:",
            s.name,
            s.matched_fields.join("; ")
        );
        for c in &s.changes {
            println!("  - {c}");
        }
        println!(
            "  To use it: set recipe = \"{0}\" on this source in broadsheet.toml and rebuild with `broadsheet run --fresh`, or import into a new project with --recipe {0}.",
            s.name
        );
    }
}

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
    if !r.language_origins.is_empty() {
        // field, detected, source (too little text: the source's language), unknown.
        let origins: Vec<String> = r
            .language_origins
            .iter()
            .map(|(origin, count)| format!("{origin} {}", n(*count)))
            .collect();
        println!("  languages by origin: {}", origins.join(" · "));
    }
    if !r.boilerplate.is_empty() {
        println!(
            "Boilerplate left out of search and counts (repeated lines; `broadsheet boilerplate` lists them all):"
        );
        boilerplate_lines(&r.boilerplate, 8);
        if r.boilerplate_rederived > 0 {
            println!(
                "  {} articles re-indexed without them",
                n(r.boilerplate_rederived)
            );
        }
    }
    let failed: Vec<_> = r.files.iter().filter(|f| f.error.is_some()).collect();
    if !failed.is_empty() {
        println!("Files that could not be read to the end:");
        for f in failed {
            println!(
                "  {}: {}",
                field(&f.file),
                field(f.error.as_deref().unwrap_or(""))
            );
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
        println!("  {}", field(&d.to_string()));
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

/// Boilerplate lines by source: share, count, origin and the line; at most `max` per source
/// (0: all).
pub fn boilerplate_lines(lines: &[broadsheet_store::BoilerplateLine], max: usize) {
    let mut shown_for = String::new();
    let mut shown = 0usize;
    for l in lines {
        if l.source != shown_for {
            shown_for = l.source.clone();
            shown = 0;
            println!("  {}", field(&l.source));
        }
        shown += 1;
        if max > 0 && shown > max {
            if shown == max + 1 {
                println!("    …");
            }
            continue;
        }
        let origin = match l.origin {
            broadsheet_store::boilerplate::Origin::Detected => "",
            broadsheet_store::boilerplate::Origin::Added => " (added)",
            broadsheet_store::boilerplate::Origin::Kept => " (kept: still counted)",
        };
        println!(
            "    {:>5.1}%  {:>7} of {:<7} {}{origin}",
            100.0 * l.share(),
            n(l.articles),
            n(l.source_articles),
            cut(&l.line, 90)
        );
    }
}

/// What `broadsheet sources rename` and `merge` did.
pub fn source_merge(m: &broadsheet_store::SourceMerge) {
    let gone: Vec<String> = m.gone.iter().map(|g| format!("\"{}\"", field(g))).collect();
    let into = field(&m.into);
    if gone.is_empty() {
        println!("Nothing to change: the source is already named \"{into}\".");
    } else if m.moved == 0 {
        println!("Renamed {} to \"{into}\".", gone.join(", "));
    } else {
        println!(
            "Merged {} into \"{into}\": {} articles moved, {} re-indexed for boilerplate.",
            gone.join(", "),
            n(m.moved),
            n(m.rederived)
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
        "{:<w$}  {:>9}  {:>9}  {:<10}  {:<10}  gaps (2 or more months without articles)",
        "source", "articles", "dated", "first", "last"
    );
    for r in rows {
        let gaps: Vec<String> = r.gaps.iter().map(|[a, b]| format!("{a}..{b}")).collect();
        println!(
            "{:<w$}  {:>9}  {:>9}  {:<10}  {:<10}  {}",
            field(&r.name),
            n(r.articles),
            n(r.dated),
            r.first_date.as_deref().unwrap_or("-"),
            r.last_date.as_deref().unwrap_or("-"),
            if gaps.is_empty() {
                "-".to_string()
            } else {
                gaps.join(", ")
            }
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
    println!("#{}  {}", a.id, field(&a.title));
    println!("source:    {}", field(&a.source));
    let date = match &a.date {
        Some(d) => format!(
            "{d} ({} precision, from the {})",
            a.date_precision, a.date_origin
        ),
        None => match &a.date_raw {
            Some(raw) => format!(
                "unknown (the source's date `{}` could not be read)",
                field(raw)
            ),
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
            println!("{:<10} {}", format!("{k}:"), field(v));
        }
    }
    if let Some(l) = &a.language {
        let how = match (a.language_origin.as_deref(), a.language_confidence) {
            (Some("detected"), Some(c)) => format!(" (detected, confidence {c:.2})"),
            (Some(o), _) => format!(" (from the {o})"),
            _ => String::new(),
        };
        println!("language:  {}{how}", field(l));
    }
    println!(
        "from:      {}{} (import #{})",
        field(a.file.as_deref().unwrap_or("?")),
        a.record
            .as_deref()
            .map(|r| format!(", {}", field(r)))
            .unwrap_or_default(),
        a.import_id
    );
    if let Some(obj) = a.extra.as_object().filter(|o| !o.is_empty()) {
        println!(
            "fields:    {}",
            field(&obj.keys().cloned().collect::<Vec<_>>().join(", "))
        );
    }
    if !a.boilerplate.is_empty() {
        println!(
            "left out: {} line{} of source boilerplate (not searched or counted)",
            a.boilerplate.len(),
            if a.boilerplate.len() == 1 { "" } else { "s" }
        );
    }
    println!();
    println!("{}", text(&a.body));
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
            field(&h.source),
            field(title)
        );
        let mut line = String::from("    ");
        for s in &h.snippet {
            // The snippet's text is escaped before the highlight's own escape codes go round it.
            let t = field(&s.text);
            if s.hit {
                line.push_str(on);
                line.push_str(&t);
                line.push_str(off);
            } else {
                line.push_str(&t);
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
            .map(|(k, v)| format!("{} {}", field(k), n(*v)))
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
    let cell = |src: &str, y: &str| {
        s.by_source_year
            .iter()
            .find(|r| r.source == src && r.year == y)
            .map(|r| n(r.articles))
            .unwrap_or_else(|| "·".into())
    };
    // Columns as wide as their widest cell, names by their width on screen (CJK letters take
    // two columns), so the table stays narrow and aligned.
    let names: Vec<String> = sources.iter().map(|s| field(s).into_owned()).collect();
    let w = names
        .iter()
        .map(|s| s.width())
        .max()
        .unwrap_or(6)
        .clamp(6, 28);
    let widths: Vec<usize> = years
        .iter()
        .map(|y| {
            sources
                .iter()
                .map(|src| cell(src, y).width())
                .chain([y.width()])
                .max()
                .unwrap_or(4)
        })
        .collect();
    println!();
    let mut head = pad(&cut("source", w), w);
    for (y, cw) in years.iter().zip(&widths) {
        head.push_str(&format!("  {y:>cw$}"));
    }
    println!("{}", head.trim_end());
    for (src, name) in sources.iter().zip(&names) {
        let mut line = pad(&cut(name, w), w);
        for (y, cw) in years.iter().zip(&widths) {
            line.push_str(&format!("  {:>cw$}", cell(src, y)));
        }
        println!("{line}");
    }
}

/// `s` followed by spaces up to `w` columns on screen.
fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(s.width())))
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
    println!("options: {}", field(&r.options.to_string()));
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
            field(&f.file),
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
                field(&d.file),
                d.record
                    .as_deref()
                    .map(|x| format!(": {}", field(x)))
                    .unwrap_or_default(),
                d.severity,
                field(&d.message),
                d.code
            );
        }
    }
}

fn cell_text(v: polars::prelude::AnyValue) -> String {
    use polars::prelude::AnyValue;
    match v {
        AnyValue::Null => String::new(),
        AnyValue::String(s) => s.to_string(),
        AnyValue::StringOwned(s) => s.to_string(),
        AnyValue::Float64(x) => format_float(x),
        AnyValue::Float32(x) => format_float(x as f64),
        other => other.to_string(),
    }
}

/// Floats for reading: four significant decimals, no exponent for ordinary magnitudes.
fn format_float(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    let a = x.abs();
    if a != 0.0 && !(1e-4..1e9).contains(&a) {
        format!("{x:.3e}")
    } else if a >= 100.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.4}")
    }
}

/// A table for people: columns aligned, long cells cut.
pub fn frame(df: &polars::prelude::DataFrame) {
    const MAX: usize = 48;
    let cols = df.columns();
    let cells: Vec<Vec<String>> = cols
        .iter()
        .map(|c| {
            (0..df.height())
                .map(|i| {
                    cut(
                        &c.get(i)
                            .map(cell_text)
                            .unwrap_or_default()
                            .replace('\n', " "),
                        MAX,
                    )
                })
                .collect()
        })
        .collect();
    let widths: Vec<usize> = cols
        .iter()
        .zip(&cells)
        .map(|(c, v)| {
            v.iter()
                .map(|x| x.chars().count())
                .chain(std::iter::once(c.name().chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let numeric: Vec<bool> = cols
        .iter()
        .map(|c| c.dtype().is_primitive_numeric())
        .collect();
    let line = |vals: Vec<String>| {
        let parts: Vec<String> = vals
            .iter()
            .enumerate()
            .map(|(j, v)| {
                let pad = widths[j].saturating_sub(v.chars().count());
                if numeric[j] {
                    format!("{}{v}", " ".repeat(pad))
                } else {
                    format!("{v}{}", " ".repeat(pad))
                }
            })
            .collect();
        println!("{}", parts.join("  ").trim_end());
    };
    line(cols.iter().map(|c| c.name().to_string()).collect());
    for i in 0..df.height() {
        line(cells.iter().map(|c| c[i].clone()).collect());
    }
}

/// A concordance for people: left context right-aligned against the node.
pub fn kwic(df: &polars::prelude::DataFrame) {
    let get = |name: &str, i: usize| -> String {
        df.column(name)
            .ok()
            .and_then(|c| c.get(i).ok())
            .map(|v| field(&cell_text(v)).into_owned())
            .unwrap_or_default()
    };
    const SIDE: usize = 50;
    for i in 0..df.height() {
        let left = get("left", i);
        let lc: Vec<char> = left.chars().collect();
        let left = if lc.len() > SIDE {
            format!("…{}", lc[lc.len() - SIDE + 1..].iter().collect::<String>())
        } else {
            left
        };
        println!(
            "{:>7} {:<10} {:>width$}  [{}]  {}",
            format!("#{}", get("id", i)),
            get("date", i),
            left,
            get("node", i),
            cut(&get("right", i), SIDE),
            width = SIDE
        );
    }
}

/// A timeline for people: periods down, groups across, `count/total` with the share.
pub fn timeline(t: &broadsheet_analysis::Table) -> anyhow::Result<()> {
    let wide = timeline_wide(&t.frame)?;
    const W: usize = 18;
    let cols = wide.columns();
    print!("{:<10}", "period");
    for c in &cols[1..] {
        print!("  {:>W$}", cut(c.name(), W));
    }
    println!();
    for i in 0..wide.height() {
        let cell = |c: &polars::prelude::Column| c.get(i).map(cell_text).unwrap_or_default();
        print!("{:<10}", cell(&cols[0]));
        for c in &cols[1..] {
            print!("  {:>W$}", cell(c));
        }
        println!();
    }
    let notes: Vec<String> = t.notes.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    println!(
        "(count/total share; * = denominator under the threshold; {})",
        notes.join("; ")
    );
    Ok(())
}

/// The long timeline table pivoted by polars: one row per period (in the table's order), one
/// column per group (in the table's order), each cell `count/total share` with `*` when the
/// denominator is under the threshold.
fn timeline_wide(
    df: &polars::prelude::DataFrame,
) -> polars::prelude::PolarsResult<polars::prelude::DataFrame> {
    use polars::prelude::*;
    let (count, total) = (df.column("count")?.u64()?, df.column("total")?.u64()?);
    let (share, low) = (df.column("share")?.f64()?, df.column("low_total")?.bool()?);
    let cells: Vec<String> = (0..df.height())
        .map(|i| {
            let pct = share
                .get(i)
                .map_or_else(|| "–".into(), |x| format!("{:.1}%", x * 100.0));
            let flag = if low.get(i) == Some(true) { "*" } else { "" };
            let (c, n) = (count.get(i).unwrap_or(0), total.get(i).unwrap_or(0));
            format!("{c}/{n} {pct}{flag}")
        })
        .collect();
    let groups = df.column("group")?.unique_stable()?;
    let per_group: Vec<Expr> = groups
        .str()?
        .iter()
        .flatten()
        .map(|g| {
            col("cell")
                .filter(col("group").eq(lit(g.to_string())))
                .first()
                .alias(g)
        })
        .collect();
    // The period column under a name no group can have (names never hold control characters).
    let mut with_cells = df.select(["period", "group"])?;
    with_cells.rename("period", "\u{1}period".into())?;
    with_cells.with_column(Column::new("cell".into(), cells))?;
    with_cells
        .lazy()
        .group_by_stable([col("\u{1}period")])
        .agg(per_group)
        .collect()
}

/// What `broadsheet convert` wrote: a line per shard, then what was skipped and why.
pub fn convert_report(shards: &[broadsheet_project::convert::ShardReport]) {
    for r in shards {
        println!(
            "{}: shard {}: {} stored, {} duplicates, {} skipped{}",
            text(&r.input),
            r.shard,
            r.stored,
            r.duplicates,
            r.skipped,
            if r.reused { " (already converted)" } else { "" }
        );
        for (code, n) in &r.diagnostic_counts {
            println!("  {n} × {code}");
        }
        for d in r.diagnostics.iter().take(10) {
            println!("  {}", text(d));
        }
    }
}
