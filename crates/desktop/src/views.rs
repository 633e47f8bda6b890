//! Turning the store's answers into the IPC types the UI shows: article text split into
//! paragraphs of marked segments (using the store's own highlighter, so highlights agree with
//! the index), statistics pivoted to a source × year table, reports and diagnostics.

use std::collections::BTreeSet;

use broadsheet_store::search::{match_ranges, Pattern};
use broadsheet_store::{
    ArticleDetail, ArticleRow, CorpusStats, Filters, ImportRecord, ImportReport, Sort,
};

use crate::ipc::*;

pub(crate) fn query_problem(q: &broadsheet_query::QueryError) -> QueryProblem {
    QueryProblem {
        message: q.message.clone(),
        start: q.span.start.min(u32::MAX as usize) as u32,
        end: q.span.end.min(u32::MAX as usize) as u32,
    }
}

pub(crate) fn sort(s: SortOrder) -> Sort {
    match s {
        SortOrder::Relevance => Sort::Relevance,
        SortOrder::Date => Sort::Date,
        SortOrder::Newest => Sort::Newest,
        SortOrder::Id => Sort::Id,
    }
}

fn nonempty(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

pub(crate) fn filters(f: &FilterSet) -> Filters {
    Filters {
        from: nonempty(&f.from),
        to: nonempty(&f.to),
        sources: f.sources.clone(),
        languages: f.languages.clone(),
        ..Filters::default()
    }
}

pub(crate) fn row(r: ArticleRow) -> ArticleRowInfo {
    ArticleRowInfo {
        id: r.id,
        source: r.source,
        date: r.date,
        title: r.title,
        language: r.language,
        chars: r.chars,
    }
}

pub(crate) fn segments_of(s: Vec<broadsheet_store::Segment>) -> Vec<TextSegment> {
    s.into_iter()
        .map(|s| TextSegment {
            text: s.text,
            hit: s.hit,
        })
        .collect()
}

/// `text` cut into segments at the places the patterns match; the number of matches.
pub(crate) fn mark(text: &str, patterns: &[Pattern]) -> (Vec<TextSegment>, u64) {
    let ranges = match_ranges(text, patterns);
    let n = ranges.len() as u64;
    let mut out = Vec::with_capacity(ranges.len() * 2 + 1);
    let mut pos = 0;
    for (s, e) in ranges {
        if s > pos {
            out.push(TextSegment {
                text: text[pos..s].to_string(),
                hit: false,
            });
        }
        out.push(TextSegment {
            text: text[s..e].to_string(),
            hit: true,
        });
        pos = e;
    }
    if pos < text.len() || out.is_empty() {
        out.push(TextSegment {
            text: text[pos..].to_string(),
            hit: false,
        });
    }
    (out, n)
}

/// A short one-line rendering of a JSON value.
pub(crate) fn short_value(v: &serde_json::Value, max: usize) -> String {
    let s = match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    shorten(&s, max)
}

pub(crate) fn shorten(s: &str, max: usize) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        let cut: String = one_line.chars().take(max).collect();
        format!("{}…", cut.trim_end())
    }
}

pub(crate) fn article(a: ArticleDetail, patterns: &[Pattern]) -> ArticleView {
    let (title, mut hits) = mark(&a.title, patterns);
    let paragraphs: Vec<Vec<TextSegment>> = a
        .body
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (segs, n) = mark(p, patterns);
            hits += n;
            segs
        })
        .collect();
    let extra = match &a.extra {
        serde_json::Value::Object(m) => m
            .iter()
            .map(|(k, v)| (k.clone(), short_value(v, 300)))
            .collect(),
        _ => Vec::new(),
    };
    ArticleView {
        id: a.id,
        source: a.source,
        title,
        title_text: a.title,
        byline: a.byline,
        section: a.section,
        url: a.url,
        external_id: a.external_id,
        language: a.language,
        language_confidence: a.language_confidence,
        language_origin: a.language_origin,
        date: a.date,
        date_precision: a.date_precision,
        date_origin: a.date_origin,
        date_raw: a.date_raw,
        paragraphs,
        hits,
        extra,
        import_id: a.import_id,
        file: a.file,
        record: a.record,
    }
}

pub(crate) fn stats(s: CorpusStats) -> StatsView {
    let mut years: BTreeSet<String> = BTreeSet::new();
    let mut undated = false;
    for r in &s.by_source_year {
        if r.year == "undated" {
            undated = true;
        } else {
            years.insert(r.year.clone());
        }
    }
    let mut years: Vec<String> = years.into_iter().collect();
    if undated {
        years.push("undated".into());
    }
    let mut by_source: Vec<SourceYears> = Vec::new();
    for r in &s.by_source_year {
        if by_source.last().is_none_or(|b| b.source != r.source) {
            by_source.push(SourceYears {
                source: r.source.clone(),
                total: 0,
                counts: vec![0; years.len()],
            });
        }
        let b = by_source.last_mut().expect("pushed above");
        if let Some(i) = years.iter().position(|y| *y == r.year) {
            b.counts[i] += r.articles;
        }
        b.total += r.articles;
    }
    StatsView {
        articles: s.articles,
        sources: s.sources,
        dated: s.dated,
        undated: s.undated,
        first_date: s.first_date,
        last_date: s.last_date,
        dates_by_origin: s.dates_by_origin.into_iter().collect(),
        dates_by_precision: s.dates_by_precision.into_iter().collect(),
        languages: s.languages.into_iter().collect(),
        years,
        by_source,
        imports: s.imports,
        duplicates_seen: s.duplicates_seen,
    }
}

pub(crate) fn diagnostic(d: &broadsheet_ingest::Diagnostic) -> DiagnosticInfo {
    DiagnosticInfo {
        file: d.locator.file.clone(),
        record: match d.locator.pos {
            broadsheet_ingest::RecordPos::File => None,
            ref p => Some(p.to_string()),
        },
        severity: d.severity.to_string(),
        code: d.code.to_string(),
        message: d.message.clone(),
    }
}

pub(crate) fn report(r: &ImportReport) -> ImportReportInfo {
    ImportReportInfo {
        import_id: r.import_id,
        status: match r.status {
            broadsheet_store::ImportStatus::Completed => "completed".into(),
            broadsheet_store::ImportStatus::Cancelled => "cancelled".into(),
        },
        started_at: String::new(),
        files_seen: r.files_seen,
        records_read: r.records_read,
        stored: r.stored,
        duplicates: r.duplicates,
        skipped: r.skipped,
        bytes: r.bytes,
        elapsed_ms: Some(r.elapsed_ms),
        files: r
            .files
            .iter()
            .map(|f| ImportFileInfo {
                file: f.file.clone(),
                format: f.format.clone(),
                encoding: f.encoding.clone(),
                size: f.size,
                records: f.records,
                stored: f.stored,
                duplicates: f.duplicates,
                skipped: f.skipped,
                status: if f.error.is_some() { "failed" } else { "done" }.into(),
            })
            .collect(),
        diagnostic_counts: r
            .diagnostic_counts
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect(),
        diagnostics: r.diagnostics.iter().map(diagnostic).collect(),
    }
}

pub(crate) fn record(r: ImportRecord) -> ImportReportInfo {
    ImportReportInfo {
        import_id: r.import.id,
        status: r.import.status,
        started_at: r.import.started_at,
        files_seen: r.import.files_seen,
        records_read: r.import.records_read,
        stored: r.import.stored,
        duplicates: r.import.duplicates,
        skipped: r.import.skipped,
        bytes: r.import.bytes,
        elapsed_ms: None,
        files: r
            .files
            .into_iter()
            .map(|f| ImportFileInfo {
                file: f.file,
                format: f.format.unwrap_or_default(),
                encoding: f.encoding.unwrap_or_default(),
                size: f.size,
                records: f.records,
                stored: f.stored,
                duplicates: f.duplicates,
                skipped: f.skipped,
                status: f.status,
            })
            .collect(),
        diagnostic_counts: r.diagnostic_counts.into_iter().collect(),
        diagnostics: r
            .diagnostics
            .into_iter()
            .map(|d| DiagnosticInfo {
                file: d.file,
                record: d.record,
                severity: d.severity,
                code: d.code,
                message: d.message,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marking_splits_at_hits_and_keeps_all_text() {
        let q = broadsheet_query::parse("militant* border").unwrap();
        let p = broadsheet_store::search::patterns(&q);
        let (segs, n) = mark("Militants crossed the border <b>at night</b>.", &p);
        assert_eq!(n, 2);
        let joined: String = segs.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, "Militants crossed the border <b>at night</b>.");
        assert!(segs[0].hit && segs[0].text == "Militants");
        assert!(segs[2].hit && segs[2].text == "border");
        let (segs, n) = mark("", &p);
        assert_eq!((segs.len(), n), (1, 0));
    }
}
