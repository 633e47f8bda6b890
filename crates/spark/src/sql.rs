//! Subcorpora as Spark SQL: the filters as conditions on `articles`, the query language as set
//! operations over `search_terms` (the full-text index's own tokens with their positions, so a
//! word, a prefix or a phrase matches exactly the articles FTS5 matches), and metadata terms
//! over `articles` and `places`. Every value is a quoted literal made by [`lit`].

use broadsheet_query::{Concepts, Expr, Field, MetaKey, Term};
use broadsheet_store::{Filters, Subcorpus};

use crate::{Result, SparkError};

/// A string as a Spark SQL literal: backslashes and quotes escaped, so user text stays text.
pub fn lit(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// A list of literals for `IN (…)`.
fn lits(values: &[String]) -> String {
    values.iter().map(|v| lit(v)).collect::<Vec<_>>().join(", ")
}

/// Every article (one per identity: the `corpus` view), as `(shard, id)`.
const ALL: &str = "SELECT shard, id FROM corpus";

/// The columns of `articles` the analyses read (never the texts).
const COLUMNS: &str =
    "a.shard, a.id, a.source, a.language, a.section, a.published_at, a.date_precision, a.tokens";

/// The articles of a subcorpus (the [`COLUMNS`] analyses read), those the filters and the query
/// select. `what` names the analysis in errors.
pub fn subcorpus(sc: &Subcorpus, concepts: &Concepts, what: &str) -> Result<String> {
    let mut sql = format!(
        "SELECT {COLUMNS} FROM corpus a WHERE {}",
        filters(&sc.filters, what)?
    );
    if let Some(q) = sc.query.as_deref().filter(|q| !q.trim().is_empty()) {
        let set = query_set(q, concepts, what)?;
        sql = format!(
            "SELECT f.* FROM ({sql}) f LEFT SEMI JOIN ({set}) q ON f.shard = q.shard AND f.id = q.id"
        );
    }
    Ok(sql)
}

/// The `(shard, id)` of the articles a query matches (filters aside).
pub fn query_set(q: &str, concepts: &Concepts, what: &str) -> Result<String> {
    let e = broadsheet_query::parse_expanded(q, concepts)
        .map_err(|e| SparkError::Query(format!("{what}: {e}")))?;
    expr_set(&e, what)
}

/// The filters as one condition on `articles a`, as the local store applies them.
fn filters(f: &Filters, what: &str) -> Result<String> {
    let mut conds = vec!["true".to_string()];
    let bad = |e: broadsheet_store::StoreError| SparkError::Query(format!("{what}: {e}"));
    if let Some(from) = &f.from {
        let d = broadsheet_model::parse_date(from)
            .map_err(|e| SparkError::Query(format!("{what}: --from {from}: {}", e.0)))?;
        conds.push(format!("a.published_at >= {}", d.timestamp));
    }
    if let Some(to) = &f.to {
        let d = broadsheet_model::parse_date(to)
            .map_err(|e| SparkError::Query(format!("{what}: --to {to}: {}", e.0)))?;
        let end = broadsheet_store::limits::period_end(d.timestamp, d.precision);
        conds.push(format!("a.published_at < {end}"));
    }
    if !f.sources.is_empty() {
        conds.push(format!("a.source IN ({})", lits(&f.sources)));
    }
    if !f.places.is_empty() {
        let codes = broadsheet_store::search::expand_places(&f.places).map_err(bad)?;
        conds.push(format!(
            "EXISTS (SELECT 1 FROM places p WHERE p.shard = a.shard AND p.article_id = a.id AND p.place IN ({}))",
            lits(&codes)
        ));
    }
    if f.dedup {
        return Err(SparkError::Unsupported(format!(
            "{what}: counting each near-duplicate cluster once (`dedup`) needs clusters across shards, which the Spark engine does not compute yet"
        )));
    }
    if !f.languages.is_empty() {
        let codes = broadsheet_store::search::normalize_languages(&f.languages).map_err(bad)?;
        conds.push(format!("a.language IN ({})", lits(&codes)));
    }
    Ok(conds.join(" AND "))
}

/// A query expression as a set of `(shard, id)`.
fn expr_set(e: &Expr, what: &str) -> Result<String> {
    Ok(match e {
        Expr::Term(t) => term_set(t, what)?,
        Expr::Near { .. } => {
            return Err(SparkError::Unsupported(format!(
                "{what}: NEAR is not compiled for the Spark engine yet; write the words as a phrase or with AND"
            )))
        }
        Expr::And(xs) => {
            let (neg, pos): (Vec<&Expr>, Vec<&Expr>) =
                xs.iter().partition(|x| matches!(x, Expr::Not(_)));
            let mut sql = if pos.is_empty() {
                ALL.to_string()
            } else {
                set_op(&pos, "INTERSECT", what)?
            };
            for n in neg {
                let Expr::Not(inner) = n else { continue };
                sql = format!(
                    "SELECT * FROM ({sql}) EXCEPT SELECT * FROM ({})",
                    expr_set(inner, what)?
                );
            }
            sql
        }
        Expr::Or(xs) => {
            // Words and prefixes of one token each are read in one scan of `search_terms`.
            let mut simple = Vec::new();
            let mut other = Vec::new();
            for x in xs {
                match x {
                    Expr::Term(t) => match single_token(t, what)? {
                        Some(cond) => simple.push(cond),
                        None => other.push(x),
                    },
                    x => other.push(x),
                }
            }
            let mut parts = Vec::new();
            if !simple.is_empty() {
                parts.push(format!(
                    "SELECT DISTINCT s0.shard, s0.article_id AS id FROM search_terms s0 WHERE {}",
                    simple.join(" OR ")
                ));
            }
            for x in other {
                parts.push(expr_set(x, what)?);
            }
            parts
                .iter()
                .map(|p| format!("SELECT * FROM ({p})"))
                .collect::<Vec<_>>()
                .join(" UNION ")
        }
        Expr::Not(x) => format!("{ALL} EXCEPT SELECT * FROM ({})", expr_set(x, what)?),
        Expr::Meta(m) => meta_set(m, what)?,
        Expr::Concept(c) => {
            let parts: Vec<String> = c
                .parts
                .iter()
                .map(|p| {
                    let inner = expr_set(&p.expr, what)?;
                    Ok(match &p.language {
                        None => inner,
                        Some(l) => format!(
                            "SELECT * FROM ({}) INTERSECT SELECT * FROM ({inner})",
                            lang_set(l, what)?
                        ),
                    })
                })
                .collect::<Result<_>>()?;
            parts
                .iter()
                .map(|p| format!("SELECT * FROM ({p})"))
                .collect::<Vec<_>>()
                .join(" UNION ")
        }
    })
}

fn set_op(xs: &[&Expr], op: &str, what: &str) -> Result<String> {
    let parts: Vec<String> = xs
        .iter()
        .map(|x| Ok(format!("SELECT * FROM ({})", expr_set(x, what)?)))
        .collect::<Result<_>>()?;
    Ok(parts.join(&format!(" {op} ")))
}

/// The condition on `search_terms s0` of a word or prefix that is one token of the index, or
/// `None` for a phrase (or a word the index splits).
fn single_token(t: &Term, what: &str) -> Result<Option<String>> {
    let tokens = term_tokens(t, what)?;
    if tokens.len() != 1 {
        return Ok(None);
    }
    Ok(Some(format!(
        "({}{})",
        token_cond(0, &tokens[0], t.prefix),
        field_cond(t.field)
    )))
}

/// Row `s{i}` of `search_terms` is the token `tok` (or, with `prefix`, starts with it).
fn token_cond(i: usize, tok: &str, prefix: bool) -> String {
    if prefix {
        format!(
            "substring(s{i}.term, 1, {}) = {}",
            tok.chars().count(),
            lit(tok)
        )
    } else {
        format!("s{i}.term = {}", lit(tok))
    }
}

/// The field a term is restricted to, as a condition on row `s0`.
fn field_cond(field: Option<Field>) -> &'static str {
    match field {
        Some(Field::Title) => " AND s0.field = 'title'",
        Some(Field::Body) => " AND s0.field = 'body'",
        None => "",
    }
}

/// The index's tokens of a term's folded text.
fn term_tokens(t: &Term, what: &str) -> Result<Vec<String>> {
    let folded = broadsheet_store::search::fold_term(&t.text);
    broadsheet_store::corpus::index_tokens(&folded)
        .map_err(|e| SparkError::Query(format!("{what}: {e}")))
}

/// A word, prefix or phrase: the index's tokens of its folded text, each a row of
/// `search_terms` in the same field at consecutive positions (the last one a prefix for `*`).
fn term_set(t: &Term, what: &str) -> Result<String> {
    let tokens = term_tokens(t, what)?;
    if tokens.is_empty() {
        return Ok(format!("{ALL} WHERE false"));
    }
    let field = field_cond(t.field);
    let last = tokens.len() - 1;
    let matches = |i: usize, tok: &str| token_cond(i, tok, t.prefix && i == last);
    let mut sql = "SELECT DISTINCT s0.shard, s0.article_id AS id FROM search_terms s0".to_string();
    for (i, tok) in tokens.iter().enumerate().skip(1) {
        sql.push_str(&format!(
            " JOIN search_terms s{i} ON s{i}.shard = s0.shard AND s{i}.article_id = s0.article_id AND s{i}.field = s0.field AND {}",
            matches(i, tok)
        ));
    }
    sql.push_str(&format!(" WHERE {}{field}", matches(0, &tokens[0])));
    if tokens.len() > 1 {
        let follow: Vec<String> = (1..tokens.len())
            .map(|i| format!("array_contains(s{i}.positions, p + {i})"))
            .collect();
        sql.push_str(&format!(
            " AND exists(s0.positions, p -> {})",
            follow.join(" AND ")
        ));
    }
    Ok(sql)
}

/// Articles in a language (`unknown`/`und`: without one), as `lang:` reads it.
fn lang_set(value: &str, what: &str) -> Result<String> {
    let v = value.trim();
    if v.eq_ignore_ascii_case("unknown") || v.eq_ignore_ascii_case("und") {
        return Ok(format!("{ALL} WHERE language IS NULL"));
    }
    let code = broadsheet_text::language_code(v).ok_or_else(|| {
        SparkError::Query(format!(
            "{what}: language `{v}` is not a language tag or name Broadsheet knows"
        ))
    })?;
    Ok(format!("{ALL} WHERE language = {}", lit(code)))
}

/// A metadata term's articles.
fn meta_set(m: &broadsheet_query::Meta, what: &str) -> Result<String> {
    Ok(match m.key {
        MetaKey::Lang => lang_set(&m.value, what)?,
        // As the desktop reads it: the name exactly, else the names equal to it but for case.
        MetaKey::Source => {
            let v = lit(m.value.trim());
            format!(
                "{ALL} WHERE source = {v} OR (NOT EXISTS (SELECT 1 FROM corpus WHERE source = {v}) AND lower(source) = lower({v}))"
            )
        }
        MetaKey::Date => date_set(m, what)?,
        MetaKey::Section => format!(
            "{ALL} WHERE lower(section) = {}",
            lit(&m.value.to_lowercase())
        ),
        MetaKey::Place => {
            let codes = broadsheet_store::search::expand_places(std::slice::from_ref(&m.value))
                .map_err(|e| SparkError::Query(format!("{what}: {e}")))?;
            format!(
                "SELECT DISTINCT shard, article_id AS id FROM places WHERE place IN ({})",
                lits(&codes)
            )
        }
        MetaKey::Concept => {
            return Err(SparkError::Query(format!(
                "{what}: no concept `{}` to expand",
                m.value
            )))
        }
    })
}

/// A `date:` range: dated articles from the start of its first period to the end of its last,
/// as the desktop reads it.
fn date_set(m: &broadsheet_query::Meta, what: &str) -> Result<String> {
    let bad = |e: broadsheet_query::QueryError| SparkError::Query(format!("{what}: {e}"));
    let range = m.date_range().map_err(bad)?;
    let read = |b: &broadsheet_query::DateBound| {
        broadsheet_model::parse_date(&b.text).map_err(|e| {
            SparkError::Query(format!(
                "{what}: cannot read the date `{}`: {}",
                b.text, e.0
            ))
        })
    };
    let mut conds = vec!["published_at IS NOT NULL".to_string()];
    let mut from_ts = None;
    if let Some(b) = &range.from {
        let ts = read(b)?.timestamp;
        conds.push(format!("published_at >= {ts}"));
        from_ts = Some(ts);
    }
    if let Some(b) = &range.to {
        let d = read(b)?;
        let end = broadsheet_store::limits::period_end(d.timestamp, d.precision);
        if from_ts.is_some_and(|f| f >= end) {
            return Err(SparkError::Query(format!(
                "{what}: `{}`: this date range ends before it begins",
                m.value
            )));
        }
        conds.push(format!("published_at < {end}"));
    }
    Ok(format!("{ALL} WHERE {}", conds.join(" AND ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_cannot_end_the_string() {
        assert_eq!(lit("it's"), "'it\\'s'");
        assert_eq!(lit("a\\' OR 1=1 --"), "'a\\\\\\' OR 1=1 --'");
        assert_eq!(lit("line\nbreak"), "'line\\nbreak'");
    }

    #[test]
    fn a_phrase_is_consecutive_positions_in_one_field() {
        let sql = query_set("\"border clash\"", &Concepts::default(), "t").unwrap();
        assert!(
            sql.contains("s1.field = s0.field AND s1.term = 'clash'"),
            "{sql}"
        );
        assert!(sql.contains("exists(s0.positions, p -> array_contains(s1.positions, p + 1))"));
    }

    #[test]
    fn a_word_the_index_splits_is_a_phrase() {
        let sql = query_set("U.S.", &Concepts::default(), "t").unwrap();
        assert!(
            sql.contains("s0.term = 'u'") && sql.contains("s1.term = 's'"),
            "{sql}"
        );
    }

    #[test]
    fn near_is_refused_by_name() {
        let e = query_set("NEAR(a b, 3)", &Concepts::default(), "analysis `x`").unwrap_err();
        assert!(e.to_string().contains("analysis `x`: NEAR"), "{e}");
    }

    #[test]
    fn a_date_term_is_its_periods_from_first_to_last() {
        let sql = query_set("date:2020-02..2020", &Concepts::default(), "t").unwrap();
        // 2020-02-01 and 2021-01-01, in UTC seconds.
        assert!(
            sql.ends_with("published_at >= 1580515200 AND published_at < 1609459200"),
            "{sql}"
        );
        let e = query_set("date:2021..2020", &Concepts::default(), "t").unwrap_err();
        assert!(e.to_string().contains("ends before it begins"), "{e}");
    }
}
