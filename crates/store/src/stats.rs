//! Reading the corpus back: statistics (articles per source and year, dated and undated, dates
//! by origin and precision), sources, article listings, one article in full, and imports.

use std::collections::BTreeMap;

use rusqlite::OptionalExtension;
use serde::Serialize;

use crate::limits::sql_count;
use crate::search::{date_of, Sort, Subcorpus};
use crate::{Store, StoreError};

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CorpusStats {
    pub articles: u64,
    pub sources: u64,
    pub dated: u64,
    pub undated: u64,
    /// Earliest and latest publication dates (at day precision).
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// Articles by where their date came from: field, url, filename, text, none.
    pub dates_by_origin: BTreeMap<String, u64>,
    /// Articles by date precision: second, day, month, year, unknown.
    pub dates_by_precision: BTreeMap<String, u64>,
    /// Articles by language code (`unknown` when undetected).
    pub languages: BTreeMap<String, u64>,
    /// Articles per source and year (`undated` for those without a date).
    pub by_source_year: Vec<SourceYear>,
    pub imports: u64,
    /// Repeated records met by all imports (not stored twice).
    pub duplicates_seen: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SourceYear {
    pub source: String,
    pub year: String,
    pub articles: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SourceRow {
    pub id: i64,
    pub name: String,
    pub articles: u64,
    pub dated: u64,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// Runs of at least [`GAP_MONTHS`] months between the first and the last dated article
    /// without any article dated to the month or the day: `["2016-03", "2016-08"]`. Coverage
    /// that stops and starts again looks like a change of coverage in a timeline.
    pub gaps: Vec<[String; 2]>,
}

/// A source's coverage has a gap when this many months in a row have no article.
pub const GAP_MONTHS: i64 = 2;

/// The runs of at least [`GAP_MONTHS`] missing months between sorted month numbers
/// (`year * 12 + month - 1`), as `YYYY-MM` ranges.
fn month_gaps(months: &[i64]) -> Vec<[String; 2]> {
    let ym = |m: i64| format!("{:04}-{:02}", m.div_euclid(12), m.rem_euclid(12) + 1);
    months
        .windows(2)
        .filter(|w| w[1] - w[0] > GAP_MONTHS)
        .map(|w| [ym(w[0] + 1), ym(w[1] - 1)])
        .collect()
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ArticleRow {
    pub id: i64,
    pub source: String,
    pub date: Option<String>,
    pub title: String,
    pub language: Option<String>,
    pub chars: u64,
}

/// One article with everything known about it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ArticleDetail {
    pub id: i64,
    pub source: String,
    pub title: String,
    pub byline: Option<String>,
    pub section: Option<String>,
    pub url: Option<String>,
    pub external_id: Option<String>,
    pub language: Option<String>,
    pub language_confidence: Option<f64>,
    pub language_origin: Option<String>,
    pub date: Option<String>,
    pub date_precision: String,
    pub date_origin: String,
    pub date_raw: Option<String>,
    /// The stored body, boilerplate lines included.
    pub body: String,
    /// The lines of the body that are its source's boilerplate: left out of search, counts,
    /// concordances and charts.
    pub boilerplate: Vec<String>,
    pub extra: serde_json::Value,
    pub import_id: i64,
    pub file: Option<String>,
    pub record: Option<String>,
}

fn map_counts(store: &Store, sql: &str) -> Result<BTreeMap<String, u64>, StoreError> {
    let mut st = store.conn.prepare(sql)?;
    let rows = st.query_map([], |r| {
        Ok((r.get::<_, Option<String>>(0)?, r.get::<_, i64>(1)?))
    })?;
    let mut out = BTreeMap::new();
    for row in rows {
        let (k, v) = row?;
        out.insert(k.unwrap_or_else(|| "unknown".into()), v as u64);
    }
    Ok(out)
}

impl Store {
    pub fn stats(&self) -> Result<CorpusStats, StoreError> {
        let c = &self.conn;
        let (articles, dated, min, max): (i64, i64, Option<i64>, Option<i64>) = c.query_row(
            "SELECT count(*), count(published_at), min(published_at), max(published_at) FROM articles",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        ).map_err(|e| self.name_busy(e.into()))?;
        let sources: i64 =
            c.query_row("SELECT count(DISTINCT source_id) FROM articles", [], |r| {
                r.get(0)
            })?;
        let mut by_source_year = Vec::new();
        {
            let mut st = c.prepare(
                "SELECT s.name, COALESCE(strftime('%Y', a.published_at, 'unixepoch'), 'undated') AS y, count(*)
                 FROM articles a JOIN sources s ON s.id = a.source_id
                 GROUP BY s.name, y ORDER BY s.name, y",
            )?;
            let rows = st.query_map([], |r| {
                Ok(SourceYear {
                    source: r.get(0)?,
                    year: r.get(1)?,
                    articles: r.get::<_, i64>(2)? as u64,
                })
            })?;
            for r in rows {
                by_source_year.push(r?);
            }
        }
        let (imports, dups): (i64, i64) = c.query_row(
            "SELECT count(*), COALESCE(sum(duplicates), 0) FROM imports",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(CorpusStats {
            articles: articles as u64,
            sources: sources as u64,
            dated: dated as u64,
            undated: (articles - dated) as u64,
            first_date: date_of(min, "day"),
            last_date: date_of(max, "day"),
            dates_by_origin: map_counts(
                self,
                "SELECT date_origin, count(*) FROM articles GROUP BY 1 ORDER BY 1",
            )?,
            dates_by_precision: map_counts(
                self,
                "SELECT date_precision, count(*) FROM articles GROUP BY 1 ORDER BY 1",
            )?,
            languages: map_counts(
                self,
                "SELECT language, count(*) FROM articles GROUP BY 1 ORDER BY 1",
            )?,
            by_source_year,
            imports: imports as u64,
            duplicates_seen: dups as u64,
        })
    }

    pub fn sources(&self) -> Result<Vec<SourceRow>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT s.id, s.name, count(a.id), count(a.published_at), min(a.published_at), max(a.published_at)
             FROM sources s LEFT JOIN articles a ON a.source_id = s.id
             GROUP BY s.id HAVING count(a.id) > 0 ORDER BY s.name",
        ).map_err(|e| self.name_busy(e.into()))?;
        let rows = st.query_map([], |r| {
            Ok(SourceRow {
                id: r.get(0)?,
                name: r.get(1)?,
                articles: r.get::<_, i64>(2)? as u64,
                dated: r.get::<_, i64>(3)? as u64,
                first_date: date_of(r.get(4)?, "day"),
                last_date: date_of(r.get(5)?, "day"),
                gaps: Vec::new(),
            })
        })?;
        let mut rows: Vec<SourceRow> = rows.collect::<Result<_, _>>()?;
        for r in &mut rows {
            r.gaps = month_gaps(&self.source_months(r.id)?);
        }
        Ok(rows)
    }

    /// The months (as `year * 12 + month - 1`) in which a source has an article dated to the
    /// month or finer, in order.
    fn source_months(&self, source: i64) -> Result<Vec<i64>, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT DISTINCT CAST(strftime('%Y', published_at, 'unixepoch') AS INTEGER) * 12
                           + CAST(strftime('%m', published_at, 'unixepoch') AS INTEGER) - 1 AS m
             FROM articles WHERE source_id = ?1 AND date_precision IN ('second', 'day', 'month')
             ORDER BY m",
        )?;
        let months = st.query_map([source], |r| r.get(0))?;
        Ok(months.collect::<Result<_, _>>()?)
    }

    /// Articles of a subcorpus in a stable order, one page.
    pub fn list(
        &self,
        sc: &Subcorpus,
        sort: Sort,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<ArticleRow>, StoreError> {
        let c = self.compile(sc)?;
        let order = match sort {
            Sort::Newest => "a.published_at IS NULL, a.published_at DESC, a.id",
            Sort::Id => "a.id",
            Sort::Date | Sort::Relevance => "a.published_at IS NULL, a.published_at, a.id",
        };
        let sql = format!(
            "SELECT a.id, s.name, a.published_at, a.date_precision, a.title, a.language, a.chars
             FROM articles a JOIN sources s ON s.id = a.source_id
             WHERE {} ORDER BY {order} LIMIT {} OFFSET {}",
            c.where_sql,
            if limit == 0 { -1 } else { sql_count(limit) },
            sql_count(offset)
        );
        let mut st = self
            .conn
            .prepare(&sql)
            .map_err(|e| self.name_busy(e.into()))?;
        let rows = st.query_map(rusqlite::params_from_iter(c.params.iter()), |r| {
            Ok(ArticleRow {
                id: r.get(0)?,
                source: r.get(1)?,
                date: date_of(r.get(2)?, &r.get::<_, String>(3)?),
                title: r.get(4)?,
                language: r.get(5)?,
                chars: r.get::<_, i64>(6)? as u64,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Counts the articles of a subcorpus.
    pub fn count(&self, sc: &Subcorpus) -> Result<u64, StoreError> {
        let c = self.compile(sc)?;
        let n: i64 = self.conn.query_row(
            &format!("SELECT count(*) FROM articles a WHERE {}", c.where_sql),
            rusqlite::params_from_iter(c.params.iter()),
            |r| r.get(0),
        )?;
        Ok(n as u64)
    }

    pub fn article(&self, id: i64) -> Result<ArticleDetail, StoreError> {
        let mut source_id = 0i64;
        let mut detail = self
            .conn
            .query_row(
                "SELECT a.id, s.name, a.title, a.byline, a.section, a.url, a.external_id, a.language,
                        a.language_confidence, a.language_origin, a.published_at, a.date_precision,
                        a.date_origin, a.date_raw, a.body, a.extra, a.import_id, f.display, a.record,
                        a.source_id
                 FROM articles a JOIN sources s ON s.id = a.source_id
                 LEFT JOIN import_files f ON f.id = a.file_id WHERE a.id = ?1",
                [id],
                |r| {
                    let precision: String = r.get(11)?;
                    let extra: String = r.get(15)?;
                    source_id = r.get(19)?;
                    let (file, record) = crate::import::provenance(r.get(17)?, r.get(18)?);
                    Ok(ArticleDetail {
                        id: r.get(0)?,
                        source: r.get(1)?,
                        title: r.get(2)?,
                        byline: r.get(3)?,
                        section: r.get(4)?,
                        url: r.get(5)?,
                        external_id: r.get(6)?,
                        language: r.get(7)?,
                        language_confidence: r.get(8)?,
                        language_origin: r.get(9)?,
                        date: date_of(r.get(10)?, &precision),
                        date_precision: precision,
                        date_origin: r.get(12)?,
                        date_raw: r.get(13)?,
                        body: r.get(14)?,
                        boilerplate: Vec::new(),
                        extra: serde_json::from_str(&extra).unwrap_or(serde_json::Value::Null),
                        import_id: r.get(16)?,
                        file,
                        record,
                    })
                },
            )
            .optional()
            .map_err(|e| self.name_busy(e.into()))?
            .ok_or(StoreError::NoSuchArticle(id))?;
        let sets = self.boilerplate_sets()?;
        let set = sets.of_source(source_id);
        detail.boilerplate = detail
            .body
            .lines()
            .filter(|l| crate::boilerplate::line_key(l).is_some_and(|k| set.contains(&k)))
            .map(|l| l.trim().to_string())
            .collect();
        Ok(detail)
    }
}

/// One past import.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ImportRow {
    pub id: i64,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub status: String,
    pub files_seen: u64,
    pub records_read: u64,
    pub stored: u64,
    pub duplicates: u64,
    pub skipped: u64,
    pub bytes: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ImportFileRow {
    pub file: String,
    pub path: String,
    pub size: u64,
    pub hash: Option<String>,
    pub format: Option<String>,
    pub encoding: Option<String>,
    pub status: String,
    pub records: u64,
    pub stored: u64,
    pub duplicates: u64,
    pub skipped: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DiagnosticRow {
    pub file: String,
    pub record: Option<String>,
    pub severity: String,
    pub code: String,
    pub message: String,
}

/// An import as recorded: its options, files, and the diagnostics kept.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ImportRecord {
    #[serde(flatten)]
    pub import: ImportRow,
    pub options: serde_json::Value,
    pub broadsheet_version: String,
    pub diagnostic_counts: BTreeMap<String, u64>,
    pub files: Vec<ImportFileRow>,
    pub diagnostics: Vec<DiagnosticRow>,
}

const IMPORT_COLUMNS: &str = "id, started_at, finished_at, status, files_seen, records_read, stored, duplicates, skipped, bytes";

fn import_row(r: &rusqlite::Row) -> rusqlite::Result<ImportRow> {
    Ok(ImportRow {
        id: r.get(0)?,
        started_at: r.get(1)?,
        finished_at: r.get(2)?,
        status: r.get(3)?,
        files_seen: r.get::<_, i64>(4)? as u64,
        records_read: r.get::<_, i64>(5)? as u64,
        stored: r.get::<_, i64>(6)? as u64,
        duplicates: r.get::<_, i64>(7)? as u64,
        skipped: r.get::<_, i64>(8)? as u64,
        bytes: r.get::<_, i64>(9)? as u64,
    })
}

impl Store {
    pub fn imports(&self) -> Result<Vec<ImportRow>, StoreError> {
        let mut st = self
            .conn
            .prepare(&format!("SELECT {IMPORT_COLUMNS} FROM imports ORDER BY id"))
            .map_err(|e| self.name_busy(e.into()))?;
        let rows = st.query_map([], import_row)?;
        rows.map(|r| self.as_it_stands(r?)).collect()
    }

    /// An import row with a `running` import whose process is gone shown as `interrupted`
    /// (a read-only store, or one whose open could not mark it, still has it `running`).
    fn as_it_stands(&self, mut row: ImportRow) -> Result<ImportRow, StoreError> {
        if row.status == "running" {
            let pid: Option<i64> =
                self.conn
                    .query_row("SELECT pid FROM imports WHERE id = ?1", [row.id], |r| {
                        r.get(0)
                    })?;
            row.status = self.effective_status(row.status, pid);
        }
        Ok(row)
    }

    pub fn import_record(&self, id: i64) -> Result<ImportRecord, StoreError> {
        let (import, options, version, counts): (ImportRow, String, String, String) = self
            .conn
            .query_row(
                &format!("SELECT {IMPORT_COLUMNS}, options, broadsheet_version, diagnostic_counts FROM imports WHERE id = ?1"),
                [id],
                |r| Ok((import_row(r)?, r.get(10)?, r.get(11)?, r.get(12)?)),
            )
            .optional()?
            .ok_or_else(|| StoreError::Invalid(format!("no import with id {id}")))?;
        let import = self.as_it_stands(import)?;
        let mut st = self.conn.prepare(
            "SELECT display, path, size, hash, format, encoding, status, records, stored, duplicates, skipped
             FROM import_files WHERE import_id = ?1 ORDER BY id",
        )?;
        let files = st
            .query_map([id], |r| {
                Ok(ImportFileRow {
                    file: r.get(0)?,
                    path: r.get(1)?,
                    size: r.get::<_, i64>(2)? as u64,
                    hash: r.get(3)?,
                    format: r.get(4)?,
                    encoding: r.get(5)?,
                    status: r.get(6)?,
                    records: r.get::<_, i64>(7)? as u64,
                    stored: r.get::<_, i64>(8)? as u64,
                    duplicates: r.get::<_, i64>(9)? as u64,
                    skipped: r.get::<_, i64>(10)? as u64,
                })
            })?
            .collect::<Result<_, _>>()?;
        let mut st = self.conn.prepare(
            "SELECT file, record, severity, code, message FROM diagnostics WHERE import_id = ?1 ORDER BY id",
        )?;
        let diagnostics = st
            .query_map([id], |r| {
                Ok(DiagnosticRow {
                    file: r.get(0)?,
                    record: r.get(1)?,
                    severity: r.get(2)?,
                    code: r.get(3)?,
                    message: r.get(4)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(ImportRecord {
            import,
            options: serde_json::from_str(&options).unwrap_or(serde_json::Value::Null),
            broadsheet_version: version,
            diagnostic_counts: serde_json::from_str(&counts).unwrap_or_default(),
            files,
            diagnostics,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_are_runs_of_missing_months() {
        let m = |y: i64, mo: i64| y * 12 + mo - 1;
        // Jan–Feb 2016, then nothing until June (3 months missing), then July, then December
        // 2016 to January 2017 across the year (4 missing), one missing month is no gap.
        let months = [
            m(2016, 1),
            m(2016, 2),
            m(2016, 6),
            m(2016, 7),
            m(2016, 12),
            m(2017, 2),
        ];
        assert_eq!(
            month_gaps(&months),
            [
                ["2016-03".to_string(), "2016-05".to_string()],
                ["2016-08".to_string(), "2016-11".to_string()],
            ]
        );
        assert!(month_gaps(&[]).is_empty());
        assert!(month_gaps(&[m(2020, 5)]).is_empty());
    }
}
