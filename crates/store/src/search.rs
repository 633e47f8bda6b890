//! Subcorpora (a query plus filters) as SQL, and search: ranked hits with snippets whose
//! matches are marked by Broadsheet's own tokenizer, so highlighting agrees with the index.

use std::sync::Arc;

use rusqlite::types::Value as SqlValue;
use serde::Serialize;

use broadsheet_ingest::{format_date, parse_date, Precision};
use broadsheet_query::{Concepts, Expr, Meta, MetaKey, Plan, QueryError};
use broadsheet_text::{search_fold, token_spans};

use crate::unknown::{FilterField, UnknownValue};
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

impl Subcorpus {
    /// Whether this is the whole corpus: no query (or a blank one) and no filter.
    pub fn is_everything(&self) -> bool {
        self.query.as_deref().is_none_or(|q| q.trim().is_empty()) && self.filters.is_empty()
    }
}

/// What compiling a query needs besides the query: the concepts `concept:` terms may name, and
/// the corpus's source names, so that `source:` can match a name in another case and an
/// unknown source is an error (without them `source:` matches the name exactly).
#[derive(Debug, Clone, Default)]
pub struct QueryContext {
    pub concepts: Arc<Concepts>,
    pub sources: Option<Vec<String>>,
}

/// A metadata term compiled for the store: a condition on `a` (the articles table) for the
/// joined statement, and a statement giving the matching ids in id order for the evaluation
/// over indexes. Both take `params`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MetaLeaf {
    cond: String,
    ids: String,
    params: Vec<SqlValue>,
}

/// A subcorpus compiled to a SQL condition over `a` (the articles table).
pub struct CompiledSubcorpus {
    pub where_sql: String,
    pub params: Vec<SqlValue>,
    /// When the query is one FTS5 expression, that expression (for ranked joins).
    pub fts: Option<String>,
    /// The query with its concepts expanded.
    pub expr: Option<Expr>,
    /// The query lowered into FTS5 expressions and metadata conditions.
    pub(crate) plan: Option<Plan<MetaLeaf>>,
    /// An FTS5 expression every matching article matches (the whole query, or its text when
    /// the text is ANDed with metadata terms): what relevance ranks by.
    pub(crate) rank_fts: Option<String>,
    /// The filters alone (without the query), and whether an index answers them without
    /// reading article rows (dates and places do; sources, languages and dedup do not).
    pub(crate) filter_sql: String,
    pub(crate) filter_params: Vec<SqlValue>,
    pub(crate) filters_index_only: bool,
}

/// A place filter's codes with every region expanded to itself and its members, sorted.
/// Unknown places are an error that lists how to find valid ones.
pub fn expand_places(places: &[String]) -> Result<Vec<String>, StoreError> {
    if places.is_empty() {
        // Building the gazetteer costs about 12 ms: not for a filter without places.
        return Ok(Vec::new());
    }
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
            return Err(crate::unknown::unknown_place(p, &gaz).into());
        }
    }
    Ok(out.into_iter().collect())
}

/// A language filter's values as the codes articles are stored with (`en-US`, `English` →
/// `en`), sorted and without repeats. A value that names no language is an error naming it.
pub fn normalize_languages(languages: &[String]) -> Result<Vec<String>, StoreError> {
    let mut out = std::collections::BTreeSet::new();
    for l in languages {
        let code = broadsheet_text::language_code(l).ok_or_else(|| UnknownValue {
            field: FilterField::Language,
            value: l.clone(),
            closest: Vec::new(),
        })?;
        out.insert(code.to_string());
    }
    Ok(out.into_iter().collect())
}

/// The first second after the period a date names at its precision.
fn period_end(ts: i64, precision: Precision) -> i64 {
    crate::limits::period_end(ts, precision)
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

    /// Compiles to SQL without concepts (a `concept:` term is an error) and with `source:`
    /// matching names exactly; [`Store::compile`] gives the store's concepts and sources.
    pub fn compile(&self) -> Result<CompiledSubcorpus, StoreError> {
        self.compile_with(&QueryContext::default())
    }

    /// Compiles to SQL. Query syntax errors, unknown places, languages, concepts and sources,
    /// and unreadable dates are errors that say where.
    pub fn compile_with(&self, ctx: &QueryContext) -> Result<CompiledSubcorpus, StoreError> {
        self.filters.validate()?;
        let mut conds: Vec<String> = Vec::new();
        let mut params: Vec<SqlValue> = Vec::new();
        let mut fts = None;
        let mut expr = None;
        let mut plan = None;
        let mut rank_fts = None;
        if let Some(q) = self.query.as_deref().filter(|q| !q.trim().is_empty()) {
            let e = broadsheet_query::parse_expanded(q, &ctx.concepts)?;
            let p = e.plan(&fold_term, &mut |m| meta_leaf(m, ctx))?;
            conds.push(plan_sql(&p, &mut params));
            fts = match &p {
                Plan::Fts(f) => Some(f.clone()),
                _ => None,
            };
            rank_fts = match &p {
                Plan::Fts(f) => Some(f.clone()),
                Plan::And(xs) => xs.iter().find_map(|x| match x {
                    Plan::Fts(f) => Some(f.clone()),
                    _ => None,
                }),
                _ => None,
            };
            expr = Some(e);
            plan = Some(p);
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
            plan,
            rank_fts,
        })
    }
}

/// A plan as a SQL condition on `a`, its parameters appended to `params`.
fn plan_sql(p: &Plan<MetaLeaf>, params: &mut Vec<SqlValue>) -> String {
    p.to_sql(
        "articles_fts",
        "a.id",
        &|f| SqlValue::Text(f.to_string()),
        &|l, ps| {
            ps.extend(l.params.iter().cloned());
            l.cond.clone()
        },
        params,
    )
}

/// Compiles one metadata term. Every condition is true or false, never NULL (an article
/// without a language, section or date fails the term and passes its NOT), and every value is a
/// bound parameter.
fn meta_leaf(m: &Meta, ctx: &QueryContext) -> Result<MetaLeaf, QueryError> {
    let text = |v: &str| SqlValue::Text(v.to_string());
    Ok(match m.key {
        MetaKey::Place => {
            let codes = expand_places(std::slice::from_ref(&m.value)).map_err(|e| match e {
                StoreError::Invalid(msg) => QueryError::at(msg, m.value_span),
                other => QueryError::at(other.to_string(), m.value_span),
            })?;
            let marks = vec!["?"; codes.len()].join(", ");
            MetaLeaf {
                cond: format!(
                    "a.id IN (SELECT article_id FROM article_places WHERE place IN ({marks}))"
                ),
                ids: format!(
                    "SELECT DISTINCT article_id FROM article_places WHERE place IN ({marks}) ORDER BY article_id"
                ),
                params: codes.iter().map(|c| text(c)).collect(),
            }
        }
        MetaKey::Lang => {
            let v = m.value.trim();
            if v.eq_ignore_ascii_case("unknown") || v.eq_ignore_ascii_case("und") {
                return Ok(MetaLeaf {
                    cond: "a.language IS NULL".into(),
                    ids: "SELECT id FROM articles WHERE language IS NULL ORDER BY id".into(),
                    params: Vec::new(),
                });
            }
            let code = broadsheet_text::language_code(v).ok_or_else(|| {
                QueryError::at(
                    format!(
                        "language `{v}` is not a language tag or name Broadsheet knows (write an ISO 639 code such as `en`, `ky`, `fa`, a tag such as `en-US`, a name such as `English`, or `unknown`)"
                    ),
                    m.value_span,
                )
            })?;
            MetaLeaf {
                cond: "a.language IS ?".into(),
                ids: "SELECT id FROM articles WHERE language IS ? ORDER BY id".into(),
                params: vec![text(code)],
            }
        }
        MetaKey::Source => {
            let names = source_names(m, ctx)?;
            let marks = vec!["?"; names.len()].join(", ");
            MetaLeaf {
                cond: format!("a.source_id IN (SELECT id FROM sources WHERE name IN ({marks}))"),
                ids: format!(
                    "SELECT id FROM articles WHERE source_id IN (SELECT id FROM sources WHERE name IN ({marks})) ORDER BY id"
                ),
                params: names.iter().map(|n| text(n)).collect(),
            }
        }
        MetaKey::Section => MetaLeaf {
            cond: "coalesce(a.section = ? COLLATE NOCASE, 0)".into(),
            ids: "SELECT id FROM articles WHERE section = ? COLLATE NOCASE ORDER BY id".into(),
            params: vec![text(m.value.trim())],
        },
        MetaKey::Date => date_leaf(m)?,
        MetaKey::Concept => {
            return Err(QueryError::at(
                format!("no concept `{}` to expand", m.value),
                m.value_span,
            ))
        }
    })
}

/// The stored source names a `source:` term means: its value exactly; else, when the corpus's
/// names are known, those equal to it but for case; else (names known) an error listing them.
fn source_names(m: &Meta, ctx: &QueryContext) -> Result<Vec<String>, QueryError> {
    let want = m.value.trim();
    let Some(known) = &ctx.sources else {
        return Ok(vec![want.to_string()]);
    };
    if known.iter().any(|k| k == want) {
        return Ok(vec![want.to_string()]);
    }
    let lower = want.to_lowercase();
    let mut same: Vec<String> = known
        .iter()
        .filter(|k| k.to_lowercase() == lower)
        .cloned()
        .collect();
    if !same.is_empty() {
        same.sort();
        return Ok(same);
    }
    Err(QueryError::at(
        crate::unknown::unknown_source(want, known).to_string(),
        m.value_span,
    ))
}

/// A `date:` term: from the start of its first date's period to the end of its last's, as the
/// `--from`/`--to` filters read dates (`2021` is the whole year). Undated articles never match.
fn date_leaf(m: &Meta) -> Result<MetaLeaf, QueryError> {
    let range = m.date_range()?;
    let read = |b: &broadsheet_query::DateBound| {
        parse_date(&b.text).map_err(|e| {
            QueryError::at(
                format!("cannot read the date `{}`: {}", b.text, e.0),
                b.span,
            )
        })
    };
    let mut conds = vec!["a.published_at IS NOT NULL".to_string()];
    let mut ids = Vec::new();
    let mut params = Vec::new();
    let mut from_ts = None;
    if let Some(b) = &range.from {
        let ts = read(b)?.timestamp;
        conds.push("a.published_at >= ?".into());
        ids.push("published_at >= ?");
        params.push(SqlValue::Integer(ts));
        from_ts = Some(ts);
    }
    if let Some(b) = &range.to {
        let d = read(b)?;
        let end = period_end(d.timestamp, d.precision);
        if from_ts.is_some_and(|f| f >= end) {
            return Err(QueryError::at(
                "this date range ends before it begins",
                m.value_span,
            ));
        }
        conds.push("a.published_at < ?".into());
        ids.push("published_at < ?");
        params.push(SqlValue::Integer(end));
    }
    Ok(MetaLeaf {
        cond: format!("({})", conds.join(" AND ")),
        ids: format!(
            "SELECT id FROM articles WHERE {} ORDER BY id",
            ids.join(" AND ")
        ),
        params,
    })
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
    marked_segments(body, start, end, &ranges)
}

/// The text `body[start..end]` as segments, the `ranges` (sorted, inside it) marked as hits;
/// line breaks become spaces, and `…` stands for text cut before or after.
pub(crate) fn marked_segments(
    body: &str,
    start: usize,
    end: usize,
    ranges: &[(usize, usize)],
) -> Vec<Segment> {
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
    for &(s, e) in ranges {
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
    /// Gives queries the concepts `concept:NAME` may name: the project's, whenever they are
    /// loaded or changed. A store starts with none.
    pub fn set_concepts(&mut self, concepts: Concepts) {
        self.concepts = Arc::new(concepts);
    }

    /// The concepts queries may name.
    pub fn concepts(&self) -> &Concepts {
        &self.concepts
    }

    /// What queries on this store are compiled with: its concepts and its source names.
    pub fn query_context(&self) -> Result<QueryContext, StoreError> {
        Ok(QueryContext {
            concepts: Arc::clone(&self.concepts),
            sources: Some(self.source_names()?),
        })
    }

    /// Compiles a subcorpus with this store's concepts and sources, after checking that its
    /// filters name only what exists ([`Store::check_filters`]).
    pub fn compile(&self, sc: &Subcorpus) -> Result<CompiledSubcorpus, StoreError> {
        let ctx = self.query_context()?;
        self.check_filters_with(&sc.filters, ctx.sources.as_deref().unwrap_or_default())?;
        sc.compile_with(&ctx)
    }

    /// Parses a query and expands its concepts with this store's: the form to take highlight
    /// patterns from ([`patterns`]), so that a concept's words are marked.
    pub fn parse_query(&self, query: &str) -> Result<Expr, StoreError> {
        Ok(broadsheet_query::parse_expanded(query, &self.concepts)?)
    }

    /// Runs a search: the total number of matching articles and one page of hits.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults, StoreError> {
        let req = &req.clamped();
        let c = self.compile(&req.subcorpus)?;
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
        let sql = match (req.sort, &c.rank_fts) {
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
        let c = self.compile(sc)?;
        if let (Some(plan), true) = (&c.plan, c.filters_index_only) {
            // The query's text from the full-text index alone, its metadata terms and the
            // filters from their indexes, then combined in Rust: joining them in SQL reads every
            // matching article's row (its text included), which for a frequent word is most of
            // the table.
            return self.read_snapshot(|s| s.plan_ids_filtered(plan, &c));
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

    /// The ids a query plan matches, intersected with the filters' ids, sorted.
    fn plan_ids_filtered(
        &self,
        plan: &Plan<MetaLeaf>,
        c: &CompiledSubcorpus,
    ) -> Result<Vec<i64>, StoreError> {
        let ids = self.plan_ids(plan, &mut None)?;
        if c.filter_sql == "1" {
            return Ok(ids);
        }
        let allowed = self.sorted_ids(
            &format!(
                "SELECT a.id FROM articles a WHERE {} ORDER BY a.id",
                c.filter_sql
            ),
            &c.filter_params,
        )?;
        Ok(intersect(&ids, &allowed))
    }

    /// Evaluates a plan over the indexes: each FTS5 expression from the full-text index, a
    /// part made of metadata terms alone by one statement, combined as sorted id lists. Within
    /// an AND, the text parts are evaluated first and the metadata parts then only filter their
    /// ids (a statement over those ids, passed as one JSON array), so that a language guard or a
    /// date range never scans the corpus when the text already narrowed it. `all` caches every
    /// id (what NOT is taken against).
    fn plan_ids(
        &self,
        plan: &Plan<MetaLeaf>,
        all: &mut Option<Vec<i64>>,
    ) -> Result<Vec<i64>, StoreError> {
        Ok(match plan {
            Plan::Fts(f) => {
                let mut st = self
                    .conn
                    .prepare_cached("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?1")?;
                let mut ids: Vec<i64> =
                    st.query_map([f], |r| r.get(0))?.collect::<Result<_, _>>()?;
                ids.sort_unstable();
                ids
            }
            Plan::Leaf(l) => self.sorted_ids(&l.ids, &l.params)?,
            p if metadata_only(p) => {
                let mut params = Vec::new();
                let cond = plan_sql(p, &mut params);
                self.sorted_ids(
                    &format!("SELECT a.id FROM articles a WHERE {cond} ORDER BY a.id"),
                    &params,
                )?
            }
            Plan::Not(x) => {
                let inner = self.plan_ids(x, all)?;
                difference(self.all_ids(all)?, &inner)
            }
            Plan::Or(xs) => {
                let mut out: Vec<i64> = Vec::new();
                for x in xs {
                    out = union(&out, &self.plan_ids(x, all)?);
                }
                out
            }
            Plan::And(xs) => self.and_ids(xs, all)?,
        })
    }

    /// An AND: parts with text intersected, negated ones with text subtracted, then the
    /// metadata parts applied as filters on what is left.
    fn and_ids(
        &self,
        xs: &[Plan<MetaLeaf>],
        all: &mut Option<Vec<i64>>,
    ) -> Result<Vec<i64>, StoreError> {
        let mut acc: Option<Vec<i64>> = None;
        let mut minus = Vec::new();
        let mut filters = Vec::new();
        for x in xs {
            match x {
                _ if metadata_only(x) => filters.push(x),
                Plan::Not(inner) => minus.push(inner.as_ref()),
                _ => {
                    let ids = self.plan_ids(x, all)?;
                    acc = Some(match acc {
                        None => ids,
                        Some(a) => intersect(&a, &ids),
                    });
                }
            }
        }
        let mut acc = match acc {
            Some(a) => a,
            None => self.all_ids(all)?.to_vec(),
        };
        for m in minus {
            if acc.is_empty() {
                break;
            }
            acc = difference(&acc, &self.plan_ids(m, all)?);
        }
        if acc.is_empty() || filters.is_empty() {
            return Ok(acc);
        }
        let mut params = vec![SqlValue::Text(json_ids(&acc))];
        let conds: Vec<String> = filters.iter().map(|f| plan_sql(f, &mut params)).collect();
        self.sorted_ids(
            &format!(
                "SELECT a.id FROM articles a WHERE a.id IN (SELECT value FROM json_each(?)) AND {} ORDER BY a.id",
                conds.join(" AND ")
            ),
            &params,
        )
    }

    /// Every article id, sorted, read once per evaluation.
    fn all_ids<'a>(&self, all: &'a mut Option<Vec<i64>>) -> Result<&'a [i64], StoreError> {
        if all.is_none() {
            *all = Some(self.sorted_ids("SELECT id FROM articles ORDER BY id", &[])?);
        }
        Ok(all.as_deref().unwrap_or_default())
    }

    fn sorted_ids(&self, sql: &str, params: &[SqlValue]) -> Result<Vec<i64>, StoreError> {
        let mut st = self.conn.prepare_cached(sql)?;
        let rows = st.query_map(rusqlite::params_from_iter(params.iter()), |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// Whether a plan has no FTS5 part (one statement over the articles answers it).
fn metadata_only(p: &Plan<MetaLeaf>) -> bool {
    match p {
        Plan::Fts(_) => false,
        Plan::Leaf(_) => true,
        Plan::Not(x) => metadata_only(x),
        Plan::And(xs) | Plan::Or(xs) => xs.iter().all(metadata_only),
    }
}

/// Sorted ids as a JSON array, the one parameter `json_each` reads them from.
fn json_ids(ids: &[i64]) -> String {
    let mut s = String::with_capacity(ids.len() * 8 + 2);
    s.push('[');
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&id.to_string());
    }
    s.push(']');
    s
}

/// Ids in both sorted lists.
fn intersect(a: &[i64], b: &[i64]) -> Vec<i64> {
    let mut out = Vec::with_capacity(a.len().min(b.len()));
    let mut j = 0;
    for &id in a {
        while j < b.len() && b[j] < id {
            j += 1;
        }
        if j < b.len() && b[j] == id {
            out.push(id);
        }
    }
    out
}

/// Ids of the sorted list `a` not in the sorted list `b`.
fn difference(a: &[i64], b: &[i64]) -> Vec<i64> {
    let mut out = Vec::with_capacity(a.len());
    let mut j = 0;
    for &id in a {
        while j < b.len() && b[j] < id {
            j += 1;
        }
        if j >= b.len() || b[j] != id {
            out.push(id);
        }
    }
    out
}

/// Ids in either sorted list, sorted, once each.
fn union(a: &[i64], b: &[i64]) -> Vec<i64> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let next = match (a.get(i), b.get(j)) {
            (Some(&x), Some(&y)) if x == y => {
                i += 1;
                j += 1;
                x
            }
            (Some(&x), Some(&y)) if x < y => {
                i += 1;
                x
            }
            (Some(_), Some(&y)) | (None, Some(&y)) => {
                j += 1;
                y
            }
            (Some(&x), None) => {
                i += 1;
                x
            }
            (None, None) => unreachable!("loop condition"),
        };
        out.push(next);
    }
    out
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
