//! Lowering a query into a [`Plan`]: the largest parts FTS5 can express become one FTS5
//! expression each, metadata terms become the caller's leaves, and the rest is AND, OR and NOT
//! over them. The store renders a plan as SQL and also evaluates it over its indexes; both read
//! the same plan, so they cannot disagree about what a query means.

use crate::concept::inside;
use crate::{Expr, Meta, MetaKey, Normalizer, QueryError, Span};

/// A query as FTS5 expressions and metadata leaves combined by boolean operators.
#[derive(Debug, Clone, PartialEq)]
pub enum Plan<L> {
    /// One FTS5 MATCH expression (every term quoted).
    Fts(String),
    /// A metadata condition, as the caller compiled it.
    Leaf(L),
    And(Vec<Plan<L>>),
    Or(Vec<Plan<L>>),
    Not(Box<Plan<L>>),
}

/// The FTS5 form of an AND of `pos` (at least one) and NOT `neg`.
pub(crate) fn fts_and(pos: &[String], neg: &[String]) -> String {
    let mut s = format!("({})", pos.join(" AND "));
    for n in neg {
        s.push_str(" NOT ");
        s.push_str(n);
    }
    format!("({s})")
}

impl Expr {
    /// Lowers the query. `leaf` compiles each metadata term (a `concept:` term must have been
    /// expanded first, else it is an error); inside an expanded concept, a part for one language
    /// becomes `lang:` AND the part, and errors point at the `concept:` term.
    pub fn plan<L>(
        &self,
        normalize: Normalizer,
        leaf: &mut dyn FnMut(&Meta) -> Result<L, QueryError>,
    ) -> Result<Plan<L>, QueryError> {
        if let Some(f) = self.to_fts(normalize)? {
            return Ok(Plan::Fts(f));
        }
        Ok(match self {
            Expr::Term(_) | Expr::Near { .. } => unreachable!("terms always compile to FTS5"),
            Expr::Meta(m) if m.key == MetaKey::Concept => {
                return Err(QueryError::new(
                    format!(
                        "no concept `{}`: no concepts were given to expand it",
                        m.value
                    ),
                    m.value_span.start,
                    m.value_span.end,
                ))
            }
            Expr::Meta(m) => Plan::Leaf(leaf(m)?),
            Expr::Not(x) => Plan::Not(Box::new(x.plan(normalize, leaf)?)),
            Expr::Or(xs) => {
                let mut fts = Vec::new();
                let mut rest = Vec::new();
                for x in xs {
                    match x.to_fts(normalize)? {
                        Some(f) => fts.push(f),
                        None => rest.push(x.plan(normalize, leaf)?),
                    }
                }
                match fts.len() {
                    0 => {}
                    1 => rest.insert(0, Plan::Fts(fts.remove(0))),
                    _ => rest.insert(0, Plan::Fts(format!("({})", fts.join(" OR ")))),
                }
                Plan::Or(rest)
            }
            Expr::And(xs) => {
                let (mut pos, mut neg, mut rest) = (Vec::new(), Vec::new(), Vec::new());
                for x in xs {
                    if let Expr::Not(inner) = x {
                        if let Some(f) = inner.to_fts(normalize)? {
                            neg.push(f);
                            continue;
                        }
                    }
                    match x.to_fts(normalize)? {
                        Some(f) => pos.push(f),
                        None => rest.push(x.plan(normalize, leaf)?),
                    }
                }
                if pos.is_empty() {
                    rest.extend(neg.into_iter().map(|n| Plan::Not(Box::new(Plan::Fts(n)))));
                } else {
                    rest.insert(0, Plan::Fts(fts_and(&pos, &neg)));
                }
                Plan::And(rest)
            }
            Expr::Concept(u) => {
                let mut parts = Vec::with_capacity(u.parts.len());
                for p in &u.parts {
                    let lang = p.language.as_deref();
                    let wrap = |e: QueryError| inside(&u.name, lang, &e, u.span);
                    let body = p.expr.plan(normalize, leaf).map_err(wrap)?;
                    parts.push(match lang {
                        None => body,
                        Some(code) => {
                            let guard = Meta {
                                key: MetaKey::Lang,
                                value: code.to_string(),
                                span: Span {
                                    start: 0,
                                    end: code.chars().count() + 5,
                                },
                                value_span: Span {
                                    start: 5,
                                    end: code.chars().count() + 5,
                                },
                            };
                            let guard = leaf(&guard).map_err(wrap)?;
                            Plan::And(vec![Plan::Leaf(guard), body])
                        }
                    });
                }
                if parts.len() == 1 {
                    parts.remove(0)
                } else {
                    Plan::Or(parts)
                }
            }
        })
    }
}

impl<L> Plan<L> {
    /// Renders the plan as a SQL condition on `id_column`: FTS5 parts as `IN` subqueries on
    /// `fts_table` (their expression pushed onto `params` by `fts_param`), leaves by `leaf`.
    pub fn to_sql<P>(
        &self,
        fts_table: &str,
        id_column: &str,
        fts_param: &dyn Fn(&str) -> P,
        leaf: &dyn Fn(&L, &mut Vec<P>) -> String,
        params: &mut Vec<P>,
    ) -> String {
        match self {
            Plan::Fts(f) => {
                params.push(fts_param(f));
                format!("{id_column} IN (SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH ?)")
            }
            Plan::Leaf(l) => leaf(l, params),
            Plan::And(xs) | Plan::Or(xs) => {
                let joiner = if matches!(self, Plan::And(_)) {
                    " AND "
                } else {
                    " OR "
                };
                let parts: Vec<String> = xs
                    .iter()
                    .map(|x| x.to_sql(fts_table, id_column, fts_param, leaf, params))
                    .collect();
                format!("({})", parts.join(joiner))
            }
            Plan::Not(x) => format!(
                "(NOT {})",
                x.to_sql(fts_table, id_column, fts_param, leaf, params)
            ),
        }
    }
}
