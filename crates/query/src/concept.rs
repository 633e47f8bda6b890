//! Concepts inside queries: a `concept:NAME` term is replaced, before compiling, by the saved
//! concept's queries (its general query and its per-language queries, each of the latter guarded
//! by `lang:`), recursively, with cycle detection. The caller provides the definitions
//! ([`Concepts`]); errors inside a concept point at the `concept:` term and say where in the
//! concept's own query the problem is.

use std::collections::BTreeMap;

use crate::{parse, Expr, Meta, MetaKey, QueryError, Span, MAX_DEPTH};

/// How deeply concepts may use other concepts.
pub const MAX_CONCEPT_NESTING: usize = 8;
/// Upper bound on the words and phrases of a query once its concepts are expanded.
pub const MAX_EXPANDED_TERMS: usize = 20_000;

/// What a concept expands into: a query for any language, and queries that count only in
/// articles of one language (keys are language codes or tags, as `lang:` takes them).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ConceptDef {
    #[serde(default)]
    pub query: String,
    #[serde(default)]
    pub languages: BTreeMap<String, String>,
}

impl ConceptDef {
    /// A definition with one query for every language.
    pub fn general(query: impl Into<String>) -> Self {
        ConceptDef {
            query: query.into(),
            languages: BTreeMap::new(),
        }
    }

    /// The non-blank parts: `(None, general)` first, then `(Some(language), query)` by language.
    pub fn parts(&self) -> Vec<(Option<&str>, &str)> {
        let mut out = Vec::new();
        if !self.query.trim().is_empty() {
            out.push((None, self.query.as_str()));
        }
        for (lang, q) in &self.languages {
            if !q.trim().is_empty() {
                out.push((Some(lang.as_str()), q.as_str()));
            }
        }
        out
    }

    /// Checks that every part parses; the error names the part.
    pub fn check_syntax(&self, name: &str) -> Result<(), QueryError> {
        let parts = self.parts();
        if parts.is_empty() {
            return Err(QueryError::new(
                format!("concept `{name}` has no query"),
                0,
                1,
            ));
        }
        for (lang, q) in parts {
            parse(q).map_err(|e| inside(name, lang, &e, e.span))?;
        }
        Ok(())
    }

    /// The whole concept as one query: the general query alone when there are no language
    /// queries, otherwise `(general) OR (lang:ru AND (…)) OR …`. Each part must parse on its own
    /// ([`Self::check_syntax`]).
    pub fn full_query(&self) -> String {
        if self.languages.values().all(|q| q.trim().is_empty()) {
            return self.query.clone();
        }
        let parts: Vec<String> = self
            .parts()
            .into_iter()
            .map(|(lang, q)| match lang {
                None => format!("({q})"),
                Some(l) => format!("({} AND ({q}))", lang_term(l)),
            })
            .collect();
        parts.join(" OR ")
    }
}

/// `lang:ru` as the parser reads it back.
fn lang_term(code: &str) -> String {
    Meta {
        key: MetaKey::Lang,
        value: code.to_string(),
        span: Span { start: 0, end: 1 },
        value_span: Span { start: 0, end: 1 },
    }
    .to_string()
}

/// The concepts a query may name, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Concepts {
    by_name: BTreeMap<String, ConceptDef>,
}

impl Concepts {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn insert(&mut self, name: impl Into<String>, def: ConceptDef) {
        self.by_name.insert(name.into(), def);
    }

    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.by_name.keys().map(String::as_str)
    }

    /// The concept of that name: exactly, else the one whose name differs only in case.
    pub fn get(&self, name: &str) -> Option<(&str, &ConceptDef)> {
        if let Some((k, v)) = self.by_name.get_key_value(name) {
            return Some((k.as_str(), v));
        }
        let lower = name.to_lowercase();
        let mut found = self
            .by_name
            .iter()
            .filter(|(k, _)| k.to_lowercase() == lower);
        match (found.next(), found.next()) {
            (Some((k, v)), None) => Some((k.as_str(), v)),
            _ => None,
        }
    }
}

impl<S: Into<String>> FromIterator<(S, ConceptDef)> for Concepts {
    fn from_iter<I: IntoIterator<Item = (S, ConceptDef)>>(iter: I) -> Self {
        let mut c = Concepts::new();
        for (name, def) in iter {
            c.insert(name, def);
        }
        c
    }
}

/// A `concept:` term replaced by its definition.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConceptUse {
    /// The concept's name as defined.
    pub name: String,
    /// The `concept:` term in the query that uses it.
    pub span: Span,
    /// Matches when any part matches.
    pub parts: Vec<ConceptPart>,
}

/// One query of a concept: for every language, or for one language only.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConceptPart {
    pub language: Option<String>,
    pub expr: Expr,
}

/// An error inside a concept's part, reported at the `concept:` term `at`.
pub(crate) fn inside(name: &str, lang: Option<&str>, e: &QueryError, at: Span) -> QueryError {
    let part = match lang {
        Some(l) => format!(" (its `{l}` query)"),
        None => String::new(),
    };
    QueryError::new(
        format!(
            "concept `{name}`{part}, at character {}: {}",
            e.span.start + 1,
            e.message
        ),
        at.start,
        at.end,
    )
}

enum Fail {
    /// Concepts that use each other, in order, the first repeated at the end.
    Cycle(Vec<String>, Span),
    Other(QueryError),
}

struct Expander<'a> {
    concepts: &'a Concepts,
    stack: Vec<String>,
    terms: usize,
}

/// Parses `query` and expands every `concept:` term in it with `concepts`.
pub fn parse_expanded(query: &str, concepts: &Concepts) -> Result<Expr, QueryError> {
    parse(query)?.expand(concepts)
}

impl Expr {
    /// Replaces every `concept:` term by its definition. An unknown concept, a cycle, or a
    /// problem inside a concept's query is an error at the `concept:` term.
    pub fn expand(self, concepts: &Concepts) -> Result<Expr, QueryError> {
        let mut x = Expander {
            concepts,
            stack: Vec::new(),
            terms: 0,
        };
        let e = x.expr(self).map_err(|f| match f {
            Fail::Cycle(path, at) => QueryError::new(
                format!(
                    "concept `{}` uses itself: {}",
                    path[0],
                    path.iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(" → ")
                ),
                at.start,
                at.end,
            ),
            Fail::Other(e) => e,
        })?;
        let depth = e.depth();
        if depth > 2 * MAX_DEPTH {
            let at = first_concept_span(&e).unwrap_or(Span { start: 0, end: 1 });
            return Err(QueryError::new(
                format!(
                    "with its concepts expanded the query nests {depth} levels deep (at most {})",
                    2 * MAX_DEPTH
                ),
                at.start,
                at.end,
            ));
        }
        Ok(e)
    }

    /// Nesting depth: operators and concepts each add a level.
    pub fn depth(&self) -> usize {
        match self {
            Expr::Term(_) | Expr::Near { .. } | Expr::Meta(_) => 1,
            Expr::And(xs) | Expr::Or(xs) => 1 + xs.iter().map(Expr::depth).max().unwrap_or(0),
            Expr::Not(x) => 1 + x.depth(),
            Expr::Concept(u) => 2 + u.parts.iter().map(|p| p.expr.depth()).max().unwrap_or(0),
        }
    }
}

fn first_concept_span(e: &Expr) -> Option<Span> {
    match e {
        Expr::Concept(u) => Some(u.span),
        Expr::And(xs) | Expr::Or(xs) => xs.iter().find_map(first_concept_span),
        Expr::Not(x) => first_concept_span(x),
        _ => None,
    }
}

impl Expander<'_> {
    fn expr(&mut self, e: Expr) -> Result<Expr, Fail> {
        Ok(match e {
            Expr::Meta(m) if m.key == MetaKey::Concept => self.concept(m)?,
            Expr::Term(t) => {
                self.count(1, t.span)?;
                Expr::Term(t)
            }
            Expr::Near {
                ref terms, span, ..
            } => {
                self.count(terms.len(), span)?;
                e
            }
            Expr::Meta(_) | Expr::Concept(_) => e,
            Expr::And(xs) => Expr::And(self.all(xs)?),
            Expr::Or(xs) => Expr::Or(self.all(xs)?),
            Expr::Not(x) => Expr::Not(Box::new(self.expr(*x)?)),
        })
    }

    fn all(&mut self, xs: Vec<Expr>) -> Result<Vec<Expr>, Fail> {
        xs.into_iter().map(|x| self.expr(x)).collect()
    }

    fn count(&mut self, n: usize, at: Span) -> Result<(), Fail> {
        self.terms += n;
        if self.terms > MAX_EXPANDED_TERMS {
            return Err(Fail::Other(QueryError::new(
                format!(
                    "with its concepts expanded the query has more than {MAX_EXPANDED_TERMS} words and phrases"
                ),
                at.start,
                at.end,
            )));
        }
        Ok(())
    }

    fn concept(&mut self, m: Meta) -> Result<Expr, Fail> {
        let Some((name, def)) = self.concepts.get(&m.value) else {
            return Err(Fail::Other(self.unknown(&m)));
        };
        if let Some(i) = self.stack.iter().position(|n| n == name) {
            let mut path = self.stack[i..].to_vec();
            path.push(name.to_string());
            return Err(Fail::Cycle(path, m.span));
        }
        if self.stack.len() >= MAX_CONCEPT_NESTING {
            return Err(Fail::Other(QueryError::new(
                format!(
                    "concepts nest more than {MAX_CONCEPT_NESTING} deep here: {} → `{name}`",
                    self.stack
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(" → ")
                ),
                m.span.start,
                m.span.end,
            )));
        }
        let name = name.to_string();
        let parts = def.parts();
        if parts.is_empty() {
            return Err(Fail::Other(QueryError::new(
                format!("concept `{name}` has no query"),
                m.span.start,
                m.span.end,
            )));
        }
        self.stack.push(name.clone());
        let mut out = Vec::with_capacity(parts.len());
        for (lang, q) in parts {
            let wrap = |f: Fail| match f {
                Fail::Cycle(p, _) => Fail::Cycle(p, m.span),
                Fail::Other(e) => Fail::Other(inside(&name, lang, &e, m.span)),
            };
            let parsed = parse(q).map_err(|e| wrap(Fail::Other(e)))?;
            let expr = self.expr(parsed).map_err(wrap)?;
            out.push(ConceptPart {
                language: lang.map(str::to_string),
                expr,
            });
        }
        self.stack.pop();
        Ok(Expr::Concept(Box::new(ConceptUse {
            name,
            span: m.span,
            parts: out,
        })))
    }

    fn unknown(&self, m: &Meta) -> QueryError {
        let known: Vec<String> = self.concepts.names().map(|n| format!("`{n}`")).collect();
        let msg = if known.is_empty() {
            format!(
                "no concept `{}`: none is defined (add one with `broadsheet concepts add NAME QUERY`)",
                m.value
            )
        } else {
            format!(
                "no concept `{}`; concepts are {}",
                m.value,
                known.join(", ")
            )
        };
        QueryError::new(msg, m.value_span.start, m.value_span.end)
    }
}
