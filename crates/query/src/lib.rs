//! Broadsheet's query language, one language for search and for every analysis.
//!
//! User text is parsed into an [`Expr`] tree here, with errors that point at a character
//! position, and only then compiled into FTS5 expressions whose every term is quoted, so no user
//! input ever reaches SQLite's own query parser unescaped.
//!
//! Syntax (see `docs/QUERY.md`): words, `"quoted phrases"`, `AND`, `OR`, `NOT` (or a leading `-`),
//! parentheses, prefix wildcards (`milit*`), `NEAR(a b, 10)` and `a NEAR/5 b`, the field
//! prefixes `title:` and `body:`, and metadata terms (`place:KG`, `source:"Moscow Times"`,
//! `lang:ru`, `section:World`, `date:2023-01..2023-06`, `concept:"regional security"`), whose
//! meaning the caller supplies when it lowers the query into a [`Plan`]. Juxtaposed terms are
//! joined by AND. Operators are upper case; lower-case `and`/`or`/`not` are ordinary words.

use std::fmt;

mod concept;
mod meta;
mod parse;
mod plan;

pub use concept::{
    parse_expanded, ConceptDef, ConceptPart, ConceptUse, Concepts, MAX_CONCEPT_NESTING,
    MAX_EXPANDED_TERMS,
};
pub use meta::{DateBound, DateRange, Meta, MetaKey, FIELD_NAMES};
pub use parse::parse;
pub use plan::Plan;

/// Upper bound on query length in characters; longer text is rejected with an error.
pub const MAX_QUERY_CHARS: usize = 10_000;
/// Upper bound on nesting (parentheses, NOT chains), so that parsing never overflows the stack.
pub const MAX_DEPTH: usize = 64;
/// The NEAR distance used when none is given, in tokens (as in FTS5).
pub const DEFAULT_NEAR: u32 = 10;

/// A half-open span of character (not byte) offsets into the query text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// Which part of an article a term is restricted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Title,
    Body,
}

impl Field {
    fn fts_column(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Body => "body",
        }
    }
}

/// One searchable unit: a word (possibly a prefix) or a quoted phrase.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Term {
    /// The text as the user wrote it (without quotes or `*`).
    pub text: String,
    /// `milit*`: match every word starting with `text`.
    pub prefix: bool,
    /// Written in double quotes.
    pub quoted: bool,
    pub field: Option<Field>,
    pub span: Span,
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum Expr {
    Term(Term),
    Near {
        terms: Vec<Term>,
        distance: u32,
        field: Option<Field>,
        span: Span,
    },
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    /// A metadata term (`place:KG`), or a `concept:` term not yet expanded.
    Meta(Meta),
    /// A `concept:` term replaced by its definition ([`Expr::expand`]).
    Concept(Box<ConceptUse>),
}

/// A query that could not be parsed or compiled, with the place it went wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[error("{message} (at character {})", span.start + 1)]
pub struct QueryError {
    pub message: String,
    pub span: Span,
}

impl QueryError {
    pub(crate) fn new(message: impl Into<String>, start: usize, end: usize) -> Self {
        QueryError {
            message: message.into(),
            span: Span {
                start,
                end: end.max(start + 1),
            },
        }
    }

    /// An error at `span` (an empty span is widened to one character), for callers that give
    /// metadata terms their meaning and find a value wrong.
    pub fn at(message: impl Into<String>, span: Span) -> Self {
        Self::new(message, span.start, span.end)
    }

    /// The query text with a caret line under the offending span, for terminals.
    pub fn pointer(&self, query: &str) -> String {
        let width = self.span.end.saturating_sub(self.span.start).max(1);
        let pad: String = query
            .chars()
            .take(self.span.start)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        format!("{query}\n{pad}{}", "^".repeat(width))
    }
}

/// A function that turns user text into the form stored in the search index (case folding,
/// script normalisation). It must be the one used when the index was written.
pub type Normalizer<'a> = &'a dyn Fn(&str) -> String;

/// A query compiled to SQL over the article table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompiledQuery {
    /// A boolean SQL expression over `{id_column}`; `?` placeholders take [`Self::params`] in order.
    pub sql: String,
    pub params: Vec<String>,
    /// When the whole query is one FTS5 expression, that expression, so callers can join the
    /// FTS table directly instead of using an `IN` subquery.
    pub fts: Option<String>,
}

impl Expr {
    /// Every term that must be present for a match (terms under `NOT` are left out), in query
    /// order: what a highlighter or concordance should mark. An expanded concept contributes
    /// its words; metadata terms contribute none.
    pub fn positive_terms(&self) -> Vec<&Term> {
        fn walk<'a>(e: &'a Expr, negated: bool, out: &mut Vec<&'a Term>) {
            match e {
                Expr::Term(t) => {
                    if !negated {
                        out.push(t)
                    }
                }
                Expr::Near { terms, .. } => {
                    if !negated {
                        out.extend(terms.iter())
                    }
                }
                Expr::And(xs) | Expr::Or(xs) => xs.iter().for_each(|x| walk(x, negated, out)),
                Expr::Not(x) => walk(x, !negated, out),
                Expr::Meta(_) => {}
                Expr::Concept(u) => u.parts.iter().for_each(|p| walk(&p.expr, negated, out)),
            }
        }
        let mut out = Vec::new();
        walk(self, false, &mut out);
        out
    }

    /// Compiles to one FTS5 MATCH expression, if FTS5 can express the whole tree (it cannot
    /// express a NOT without something positive beside it, nor a metadata term).
    pub fn to_fts(&self, normalize: Normalizer) -> Result<Option<String>, QueryError> {
        Ok(match self {
            Expr::Term(t) => Some(term_fts(t, normalize, true)?),
            Expr::Near {
                terms,
                distance,
                field,
                ..
            } => {
                let mut parts = Vec::with_capacity(terms.len());
                for t in terms {
                    parts.push(term_fts(t, normalize, false)?);
                }
                let near = format!("NEAR({}, {distance})", parts.join(" "));
                Some(match field {
                    Some(f) => format!("{} : {near}", f.fts_column()),
                    None => near,
                })
            }
            Expr::Or(xs) => {
                let mut parts = Vec::with_capacity(xs.len());
                for x in xs {
                    match x.to_fts(normalize)? {
                        Some(s) => parts.push(s),
                        None => return Ok(None),
                    }
                }
                Some(format!("({})", parts.join(" OR ")))
            }
            Expr::And(xs) => {
                let mut pos = Vec::new();
                let mut neg = Vec::new();
                for x in xs {
                    match x {
                        Expr::Not(inner) => match inner.to_fts(normalize)? {
                            Some(s) => neg.push(s),
                            None => return Ok(None),
                        },
                        _ => match x.to_fts(normalize)? {
                            Some(s) => pos.push(s),
                            None => return Ok(None),
                        },
                    }
                }
                if pos.is_empty() {
                    return Ok(None);
                }
                Some(plan::fts_and(&pos, &neg))
            }
            Expr::Not(_) | Expr::Meta(_) => None,
            Expr::Concept(u) => match u.parts.as_slice() {
                [p] if p.language.is_none() => p
                    .expr
                    .to_fts(normalize)
                    .map_err(|e| concept::inside(&u.name, None, &e, u.span))?,
                _ => None,
            },
        })
    }

    /// Compiles a text query to a SQL condition on `id_column`, using `fts_table` for text
    /// matching. Identifiers are the caller's (never user text); every user string is a bound
    /// parameter. Metadata terms need the corpus's meaning: they are an error here (the store
    /// lowers them through [`Expr::plan`]).
    pub fn to_sql(
        &self,
        fts_table: &str,
        id_column: &str,
        normalize: Normalizer,
    ) -> Result<CompiledQuery, QueryError> {
        let whole = self.to_fts(normalize)?;
        let plan: Plan<()> = self.plan(normalize, &mut |m| {
            Err(QueryError::new(
                format!("`{}:` terms are compiled by the corpus store", m.key.name()),
                m.span.start,
                m.span.end,
            ))
        })?;
        let mut params = Vec::new();
        let sql = plan.to_sql(
            fts_table,
            id_column,
            &|f| f.to_string(),
            &|_, _| unreachable!("no leaves"),
            &mut params,
        );
        Ok(CompiledQuery {
            sql,
            params,
            fts: whole,
        })
    }
}

fn term_fts(t: &Term, normalize: Normalizer, with_field: bool) -> Result<String, QueryError> {
    let norm = normalize(&t.text);
    if !norm.chars().any(char::is_alphanumeric) {
        return Err(QueryError::new(
            format!("`{}` has no letters or digits to search for", t.text),
            t.span.start,
            t.span.end,
        ));
    }
    // FTS5 reads the expression as a C string: a NUL inside a quoted term would end it there
    // ("unterminated string"). Control characters separate tokens anyway, so they become spaces.
    let norm: String = norm
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut s = String::with_capacity(norm.len() + 8);
    if with_field {
        if let Some(f) = t.field {
            s.push_str(f.fts_column());
            s.push_str(" : ");
        }
    }
    s.push('"');
    s.push_str(&norm.replace('"', "\"\""));
    s.push('"');
    if t.prefix {
        s.push_str(" *");
    }
    Ok(s)
}

impl fmt::Display for Expr {
    /// A canonical, fully parenthesised rendering, used in reports and methods appendices.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn term(t: &Term, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            if let Some(fl) = t.field {
                write!(f, "{}:", fl.fts_column())?;
            }
            if t.quoted {
                write_quoted(&t.text, f)?;
            } else {
                write!(f, "{}", t.text)?;
            }
            if t.prefix {
                write!(f, "*")?;
            }
            Ok(())
        }
        match self {
            Expr::Term(t) => term(t, f),
            Expr::Near {
                terms,
                distance,
                field,
                ..
            } => {
                if let Some(fl) = field {
                    write!(f, "{}:", fl.fts_column())?;
                }
                write!(f, "NEAR(")?;
                for (i, t) in terms.iter().enumerate() {
                    if i > 0 {
                        write!(f, " ")?;
                    }
                    term(t, f)?;
                }
                write!(f, ", {distance})")
            }
            Expr::And(xs) | Expr::Or(xs) => {
                let op = if matches!(self, Expr::And(_)) {
                    " AND "
                } else {
                    " OR "
                };
                write!(f, "(")?;
                for (i, x) in xs.iter().enumerate() {
                    if i > 0 {
                        write!(f, "{op}")?;
                    }
                    write!(f, "{x}")?;
                }
                write!(f, ")")
            }
            Expr::Not(x) => write!(f, "NOT {x}"),
            Expr::Meta(m) => write!(f, "{m}"),
            // The reference, not the expansion: what the user wrote and what reports show.
            Expr::Concept(u) => write!(
                f,
                "{}",
                Meta {
                    key: MetaKey::Concept,
                    value: u.name.clone(),
                    span: u.span,
                    value_span: u.span,
                }
            ),
        }
    }
}

/// Writes `text` as a quoted phrase the parser reads back as `text`: every quote character is
/// escaped; text ending in a backslash gets a space before the closing quote (trimmed again by
/// the parser), as `\"` would escape it.
pub(crate) fn write_quoted(text: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.write_str("\"")?;
    for c in text.chars() {
        if parse::is_quote(c) {
            f.write_str("\\")?;
        }
        write!(f, "{c}")?;
    }
    if text.ends_with('\\') {
        f.write_str(" ")?;
    }
    f.write_str("\"")
}

#[cfg(test)]
mod tests;
