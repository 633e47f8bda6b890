//! Subcorpora (a query plus filters) as SQL, and search: ranked hits with snippets whose
//! matches are marked by Broadsheet's own tokenizer, so highlighting agrees with the index.

use rusqlite::types::Value as SqlValue;
use serde::Serialize;

use broadsheet_ingest::{format_date, parse_date, Precision};
use broadsheet_query::Expr;
use broadsheet_text::{search_fold, token_spans};

use crate::{Store, StoreError};

/// Metadata filters on a subcorpus.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct Filters {
    /// Articles dated on or after this date (`2015`, `2015-06`, `2015-06-01`).
    pub from: Option<String>,
    /// Articles dated up to the end of this date (`2015` means up to 2015-12-31).
    pub to: Option<String>,
    /// Source names; empty means all.
    pub sources: Vec<String>,
    /// Language codes; empty means all.
    pub languages: Vec<String>,
    /// Places: ISO country codes (`KG`) or region ids (`central-asia`); an article qualifies
    /// when it mentions the place, or, for a region, the region or any of its members.
    #[serde(default)]
    pub places: Vec<String>,
    /// Count each near-duplicate cluster once (its canonical member only).
    #[serde(default)]
    pub dedup: bool,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        self.from.is_none()
            && self.to.is_none()
            && self.sources.is_empty()
            && self.languages.is_empty()
            && self.places.is_empty()
            && !self.dedup
    }
}

/// A query plus filters: the unit every search and analysis runs over.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct Subcorpus {
    pub query: Option<String>,
    pub filters: Filters,
}

/// A subcorpus compiled to a SQL condition over `a` (the articles table).
pub struct CompiledSubcorpus {
    pub where_sql: String,
    pub params: Vec<SqlValue>,
    /// When the query is one FTS5 expression, that expression (for ranked joins).
    pub fts: Option<String>,
    pub expr: Option<Expr>,
    /// The filters alone (without the query), and whether an index answers them without
    /// reading article rows (dates and places do; sources, languages and dedup do not).
    pub(crate) filter_sql: String,
    pub(crate) filter_params: Vec<SqlValue>,
    pub(crate) filters_index_only: bool,
}

/// A place filter's codes with every region expanded to itself and its members, sorted.
/// Unknown places are an error that lists how to find valid ones.
pub fn expand_places(places: &[String]) -> Result<Vec<String>, StoreError> {
    let gaz = broadsheet_geo::Gazetteer::builtin();
    let mut out = std::collections::BTreeSet::new();
    for p in places {
        let upper = p.to_ascii_uppercase();
        if gaz.country(&upper).is_some() {
            out.insert(upper);
        } else if let Some(r) = gaz.region(&p.to_ascii_lowercase()) {
            out.insert(r.id.clone());
            out.extend(r.members.iter().cloned());
        } else {
            return Err(StoreError::Invalid(format!(
                "`{p}` is neither an ISO country code (KG, RU…) nor a region id (`broadsheet regions --list` lists them)"
            )));
        }
    }
    Ok(out.into_iter().collect())
}

/// A language filter's values as the codes articles are stored with (`en-US`, `English` →
/// `en`), sorted and without repeats. A value that names no language is an error naming it.
pub fn normalize_languages(languages: &[String]) -> Result<Vec<String>, StoreError> {
    let mut out = std::collections::BTreeSet::new();
    for l in languages {
        let code = broadsheet_text::language_code(l).ok_or_else(|| {
            StoreError::Invalid(format!(
                "language `{l}` is not a language tag or name Broadsheet knows (write an ISO 639 code such as `en`, `ky`, `fa`, a tag such as `en-US`, or a name such as `English`)"
            ))
        })?;
        out.insert(code.to_string());
    }
    Ok(out.into_iter().collect())
}

/// The first second after the period a date names at its precision.
fn period_end(ts: i64, precision: Precision) -> i64 {
    let Ok(t) = jiff::Timestamp::from_second(ts) else {
        return ts;
    };
    let d = t.to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
    let next = match precision {
        Precision::Year => d.first_of_year().checked_add(jiff::Span::new().years(1)),
        Precision::Month => d.first_of_month().checked_add(jiff::Span::new().months(1)),
        Precision::Day => d.checked_add(jiff::Span::new().days(1)),
        Precision::Second | Precision::Unknown => return ts + 1,
    };
    next.ok()
        .and_then(|n| n.to_zoned_datetime(jiff::tz::TimeZone::UTC).ok())
        .map(|z| z.timestamp().as_second())
        .unwrap_or(ts)
}

/// The search form a query term is compared in (the index's form).
pub fn fold_term(s: &str) -> String {
    search_fold(s)
}

impl Subcorpus {
    pub fn query_only(q: &str) -> Self {
        Subcorpus {
            query: Some(q.to_string()),
            filters: Filters::default(),
        }
    }

    /// Every article dated from `from` to `to` (inclusive, at their precision: `2021` is the
    /// whole year).
    pub fn dates(from: &str, to: &str) -> Self {
        Subcorpus {
            query: None,
            filters: Filters {
                from: Some(from.to_string()),
                to: Some(to.to_string()),
                ..Filters::default()
            },
        }
    }

    /// Compiles to SQL. Query syntax errors and unreadable dates are errors that say where.
    pub fn compile(&self) -> Result<CompiledSubcorpus, StoreError> {
        let mut conds: Vec<String> = Vec::new();
        let mut params: Vec<SqlValue> = Vec::new();
        let mut fts = None;
        let mut expr = None;
        if let Some(q) = self.query.as_deref().filter(|q| !q.trim().is_empty()) {
            let e = broadsheet_query::parse(q)?;
            let c = e.to_sql("articles_fts", "a.id", &fold_term)?;
            conds.push(c.sql);
            params.extend(c.params.into_iter().map(SqlValue::Text));
            fts = c.fts;
            expr = Some(e);
        }
        let query_conds = conds.len();
        let query_params = params.len();
        let f = &self.filters;
        let filters_index_only = f.sources.is_empty() && !f.dedup && f.languages.is_empty();
        if let Some(from) = &f.from {
            let d = parse_date(from)
                .map_err(|e| StoreError::Invalid(format!("--from {from}: {}", e.0)))?;
            conds.push("a.published_at >= ?".into());
            params.push(SqlValue::Integer(d.timestamp));
        }
        if let Some(to) = &f.to {
            let d =
                parse_date(to).map_err(|e| StoreError::Invalid(format!("--to {to}: {}", e.0)))?;
            conds.push("a.published_at < ?".into());
            params.push(SqlValue::Integer(period_end(d.timestamp, d.precision)));
        }
        if !f.sources.is_empty() {
            conds.push(format!(
                "a.source_id IN (SELECT id FROM sources WHERE name IN ({}))",
                vec!["?"; f.sources.len()].join(", ")
            ));
            params.extend(f.sources.iter().map(|s| SqlValue::Text(s.clone())));
        }
        if !f.places.is_empty() {
            let expanded = expand_places(&f.places)?;
            conds.push(format!(
                "a.id IN (SELECT article_id FROM article_places WHERE place IN ({}))",
                vec!["?"; expanded.len()].join(", ")
            ));
            params.extend(expanded.into_iter().map(SqlValue::Text));
        }
        if f.dedup {
            conds.push("(a.cluster_id IS NULL OR a.cluster_id = a.id)".into());
        }
        if !f.languages.is_empty() {
            let codes = normalize_languages(&f.languages)?;
            conds.push(format!(
                "a.language IN ({})",
                vec!["?"; codes.len()].join(", ")
            ));
            params.extend(codes.into_iter().map(SqlValue::Text));
        }
        let filter_conds = &conds[query_conds..];
        Ok(CompiledSubcorpus {
            filter_sql: if filter_conds.is_empty() {
                "1".into()
            } else {
                filter_conds.join(" AND ")
            },
            filter_params: params[query_params..].to_vec(),
            filters_index_only,
            where_sql: if conds.is_empty() {
                "1".into()
            } else {
                conds.join(" AND ")
            },
            params,
            fts,
            expr,
        })
    }
}

/// Result order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first (bm25, title weighted double); falls back to date without a query.
    #[default]
    Relevance,
    /// Oldest first, undated last.
    Date,
    /// Newest first, undated last.
    Newest,
    /// Import order.
    Id,
}

#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub subcorpus: Subcorpus,
    pub sort: Sort,
    pub limit: usize,
    pub offset: usize,
}

/// A run of snippet text, marked when it matched the query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub text: String,
    #[serde(rename = "match")]
    pub hit: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub id: i64,
    pub source: String,
    pub title: String,
    pub date: Option<String>,
    pub url: Option<String>,
    pub snippet: Vec<Segment>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub total: u64,
    pub hits: Vec<Hit>,
}

/// What a highlighter looks for: a sequence of folded tokens, the last one possibly a prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    pub tokens: Vec<String>,
    pub prefix: bool,
}

/// The patterns of a query's positive terms.
pub fn patterns(expr: &Expr) -> Vec<Pattern> {
    let mut out: Vec<Pattern> = Vec::new();
    for t in expr.positive_terms() {
        let folded = search_fold(&t.text);
        let tokens: Vec<String> = token_spans(&folded)
            .map(|s| s.text(&folded).to_string())
            .collect();
        if tokens.is_empty() {
            continue;
        }
        let p = Pattern {
            tokens,
            prefix: t.prefix,
        };
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// Byte ranges in `text` where any pattern matches, in order, not overlapping (one pass over the
/// text: [`crate::matches::MatchCursor`]).
pub fn match_ranges(text: &str, patterns: &[Pattern]) -> Vec<(usize, usize)> {
    crate::matches::MatchCursor::new(text, patterns, 0, 0)
        .map(|m| (m.start, m.end))
        .collect()
}

/// A snippet of about `width` tokens around the first match in `body` (or its opening when
/// nothing matches), as marked segments. The body is read up to the snippet's end only.
pub fn snippet(body: &str, patterns: &[Pattern], width: usize) -> Vec<Segment> {
    let Some(crate::matches::SnippetWindow {
        start,
        end,
        matches: ranges,
    }) = crate::matches::snippet_window(body, patterns, width)
    else {
        return Vec::new();
    };
    let mut segs = Vec::new();
    let mut push = |text: &str, hit: bool| {
        let t = text.replace('\n', " ");
        if t.is_empty() {
            return;
        }
        if let Some(last) = segs.last_mut() {
            let last: &mut Segment = last;
            if last.hit == hit {
                last.text.push_str(&t);
                return;
            }
        }
        segs.push(Segment { text: t, hit });
    };
    if start > 0 {
        push("…", false);
    }
    let mut pos = start;
    for (s, e) in ranges {
        push(&body[pos..s], false);
        push(&body[s..e], true);
        pos = e;
    }
    push(&body[pos..end], false);
    if end < body.len() {
        push("…", false);
    }
    segs
}

pub(crate) fn date_of(ts: Option<i64>, precision: &str) -> Option<String> {
    let p = Precision::parse(precision).unwrap_or(Precision::Unknown);
    ts.map(|t| format_date(t, p)).filter(|s| !s.is_empty())
}

impl Store {
    /// Runs a search: the total number of matching articles and one page of hits.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults, StoreError> {
        let c = req.subcorpus.compile()?;
        let total: i64 = self
            .conn
            .query_row(
                &format!("SELECT count(*) FROM articles a WHERE {}", c.where_sql),
                rusqlite::params_from_iter(c.params.iter()),
                |r| r.get(0),
            )
            .map_err(|e| self.name_busy(e.into()))?;
        let limit = if req.limit == 0 { 20 } else { req.limit };
        let mut params = c.params.clone();
        let sql = match (req.sort, &c.fts) {
            (Sort::Relevance, Some(fts)) => {
                // Rank within the FTS match, then apply the rest of the condition.
                let mut p = vec![SqlValue::Text(fts.clone())];
                p.extend(params);
                params = p;
                format!(
                    "SELECT a.id FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
                     WHERE articles_fts MATCH ? AND {} ORDER BY bm25(articles_fts, 2.0, 1.0), a.id LIMIT {limit} OFFSET {}",
                    c.where_sql, req.offset
                )
            }
            (Sort::Newest, _) => format!(
                "SELECT a.id FROM articles a WHERE {} ORDER BY a.published_at IS NULL, a.published_at DESC, a.id LIMIT {limit} OFFSET {}",
                c.where_sql, req.offset
            ),
            (Sort::Id, _) => format!(
                "SELECT a.id FROM articles a WHERE {} ORDER BY a.id LIMIT {limit} OFFSET {}",
                c.where_sql, req.offset
            ),
            _ => format!(
                "SELECT a.id FROM articles a WHERE {} ORDER BY a.published_at IS NULL, a.published_at, a.id LIMIT {limit} OFFSET {}",
                c.where_sql, req.offset
            ),
        };
        let ids: Vec<i64> = {
            let mut st = self.conn.prepare(&sql)?;
            let rows = st.query_map(rusqlite::params_from_iter(params.iter()), |r| r.get(0))?;
            rows.collect::<Result<_, _>>()?
        };
        let pats = c.expr.as_ref().map(patterns).unwrap_or_default();
        let mut hits = Vec::with_capacity(ids.len());
        let mut st = self.conn.prepare_cached(
            "SELECT a.id, s.name, a.title, a.published_at, a.date_precision, a.url, a.body, a.source_id
             FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.id = ?1",
        )?;
        let sets = self.boilerplate_sets()?;
        for id in ids {
            let hit = st.query_row([id], |r| {
                let body: String = r.get(6)?;
                // The snippet comes from the text the index holds: no boilerplate line.
                let body = crate::boilerplate::strip(&body, sets.of_source(r.get(7)?));
                Ok(Hit {
                    id: r.get(0)?,
                    source: r.get(1)?,
                    title: r.get(2)?,
                    date: date_of(r.get(3)?, &r.get::<_, String>(4)?),
                    url: r.get(5)?,
                    snippet: snippet(&body, &pats, 30),
                })
            })?;
            hits.push(hit);
        }
        Ok(SearchResults {
            total: total as u64,
            hits,
        })
    }

    /// The ids of every article in a subcorpus, in id order.
    pub fn subcorpus_ids(&self, sc: &Subcorpus) -> Result<Vec<i64>, StoreError> {
        let c = sc.compile()?;
        if let (Some(fts), true) = (&c.fts, c.filters_index_only) {
            // The query from the full-text index alone, the filters from their indexes, then
            // intersected: joining the two in SQL reads every matching article's row (its
            // text included), which for a frequent word is most of the table.
            let own_tx = self.conn.is_autocommit();
            if own_tx {
                self.conn.execute_batch("BEGIN")?;
            }
            let r = self.fts_ids_filtered(fts, &c);
            if own_tx {
                // A read transaction: ending it cannot lose anything.
                let _ = self.conn.execute_batch("COMMIT");
            }
            return r;
        }
        self.ids_by_join(&c)
    }

    /// The ids of a compiled subcorpus by one SQL statement over the articles (the reference
    /// the faster paths are tested against).
    pub(crate) fn ids_by_join(&self, c: &CompiledSubcorpus) -> Result<Vec<i64>, StoreError> {
        let mut st = self.conn.prepare(&format!(
            "SELECT a.id FROM articles a WHERE {} ORDER BY a.id",
            c.where_sql
        ))?;
        let rows = st.query_map(rusqlite::params_from_iter(c.params.iter()), |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The ids matching one FTS5 expression, intersected with the filters' ids, sorted.
    fn fts_ids_filtered(&self, fts: &str, c: &CompiledSubcorpus) -> Result<Vec<i64>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?1")?;
        let mut ids: Vec<i64> = st
            .query_map([fts], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        ids.sort_unstable();
        if c.filter_sql == "1" {
            return Ok(ids);
        }
        let mut st = self.conn.prepare(&format!(
            "SELECT a.id FROM articles a WHERE {} ORDER BY a.id",
            c.filter_sql
        ))?;
        let allowed: Vec<i64> = st
            .query_map(rusqlite::params_from_iter(c.filter_params.iter()), |r| {
                r.get(0)
            })?
            .collect::<Result<_, _>>()?;
        let mut out = Vec::with_capacity(ids.len().min(allowed.len()));
        let mut j = 0;
        for id in ids {
            while j < allowed.len() && allowed[j] < id {
                j += 1;
            }
            if j < allowed.len() && allowed[j] == id {
                out.push(id);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pats(q: &str) -> Vec<Pattern> {
        patterns(&broadsheet_query::parse(q).unwrap())
    }

    fn marked(text: &str, q: &str) -> String {
        let p = pats(q);
        let mut out = String::new();
        let mut pos = 0;
        for (s, e) in match_ranges(text, &p) {
            out.push_str(&text[pos..s]);
            out.push('[');
            out.push_str(&text[s..e]);
            out.push(']');
            pos = e;
        }
        out.push_str(&text[pos..]);
        out
    }

    #[test]
    fn highlights_follow_the_index_rules() {
        assert_eq!(
            marked(
                "Daesh militants, the Islamic State, and militias.",
                "milit* \"islamic state\" NOT x"
            ),
            "Daesh [militants], the [Islamic State], and [militias]."
        );
        assert_eq!(
            marked("Bişkek and BISKEK", "biskek"),
            "[Bişkek] and [BISKEK]"
        );
        assert_eq!(marked("Shoigu's visit", "shoigu"), "[Shoigu]'s visit");
        assert_eq!(marked("no match here", "daesh"), "no match here");
        // Persian written with Arabic letters matches the Persian spelling.
        assert_eq!(marked("رئيس كل", "رییس"), "[رئيس] كل");
    }

    #[test]
    fn snippets_window_around_the_first_match() {
        let body = (0..100)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ")
            + " Daesh end";
        let segs = snippet(&body, &pats("daesh"), 12);
        assert!(segs.first().unwrap().text.starts_with("…w"));
        assert!(segs.iter().any(|s| s.hit && s.text == "Daesh"));
        assert_eq!(segs.last().unwrap().text, " end");
    }

    #[test]
    fn period_ends() {
        let d = parse_date("2015").unwrap();
        assert_eq!(
            format_date(period_end(d.timestamp, d.precision), Precision::Day),
            "2016-01-01"
        );
        let d = parse_date("2015-12").unwrap();
        assert_eq!(
            format_date(period_end(d.timestamp, d.precision), Precision::Day),
            "2016-01-01"
        );
        let d = parse_date("2016-02-29").unwrap();
        assert_eq!(
            format_date(period_end(d.timestamp, d.precision), Precision::Day),
            "2016-03-01"
        );
    }
}
