//! The lexer and recursive-descent parser for the query language; every error carries the
//! character span it refers to.

use crate::{
    Expr, Field, Meta, MetaKey, QueryError, Span, Term, DEFAULT_NEAR, FIELD_NAMES, MAX_DEPTH,
    MAX_QUERY_CHARS,
};

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen,
    RParen,
    Comma,
    And,
    Or,
    Not,
    /// `NEAR` immediately followed by `(`, with a field prefix (`title:NEAR(`) if there is one.
    Near(Option<Field>),
    /// `NEAR/5`.
    NearN(u32),
    /// A word or quoted phrase, with an optional field prefix.
    Term(Term),
    /// `title:` directly followed by `(`.
    FieldGroup(Field),
    /// `place:KG`, `source:"Moscow Times"`…
    Meta(Meta),
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    span: Span,
}

fn field_named(name: &str) -> Option<Field> {
    match name.to_ascii_lowercase().as_str() {
        "title" | "headline" => Some(Field::Title),
        "body" | "text" => Some(Field::Body),
        _ => None,
    }
}

pub(crate) fn is_word_char(c: char) -> bool {
    !c.is_whitespace() && !matches!(c, '(' | ')' | '"' | ',' | '\u{201C}' | '\u{201D}')
}

pub(crate) fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\u{201C}' | '\u{201D}')
}

fn lex(chars: &[char]) -> Result<Vec<Token>, QueryError> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        match c {
            '(' => {
                out.push(Token {
                    tok: Tok::LParen,
                    span: Span { start, end: i + 1 },
                });
                i += 1;
            }
            ')' => {
                out.push(Token {
                    tok: Tok::RParen,
                    span: Span { start, end: i + 1 },
                });
                i += 1;
            }
            ',' => {
                out.push(Token {
                    tok: Tok::Comma,
                    span: Span { start, end: i + 1 },
                });
                i += 1;
            }
            c if is_quote(c) => {
                let (term, next) = lex_quoted(chars, i, None, start)?;
                out.push(Token {
                    tok: Tok::Term(term),
                    span: Span { start, end: next },
                });
                i = next;
            }
            '-' if i + 1 < chars.len()
                && (is_word_char(chars[i + 1])
                    || is_quote(chars[i + 1])
                    || chars[i + 1] == '(')
                && chars[i + 1] != '-' =>
            {
                out.push(Token {
                    tok: Tok::Not,
                    span: Span { start, end: i + 1 },
                });
                i += 1;
            }
            _ => {
                let mut j = i;
                while j < chars.len() && is_word_char(chars[j]) {
                    j += 1;
                }
                let word: String = chars[i..j].iter().collect();
                let span = Span { start, end: j };
                match word.as_str() {
                    "AND" | "&&" => out.push(Token {
                        tok: Tok::And,
                        span,
                    }),
                    "OR" | "||" => out.push(Token { tok: Tok::Or, span }),
                    "NOT" => out.push(Token {
                        tok: Tok::Not,
                        span,
                    }),
                    "NEAR" if j < chars.len() && chars[j] == '(' => out.push(Token {
                        tok: Tok::Near(None),
                        span,
                    }),
                    w if w.starts_with("NEAR/") => {
                        let digits = &w[5..];
                        let n: u32 =
                            digits
                                .parse()
                                .ok()
                                .filter(|n| *n <= 10_000)
                                .ok_or_else(|| {
                                    QueryError::new(
                                    "NEAR/ must be followed by a distance in words, e.g. `NEAR/5`",
                                    start,
                                    j,
                                )
                                })?;
                        out.push(Token {
                            tok: Tok::NearN(n),
                            span,
                        })
                    }
                    _ => {
                        if let Some(colon) = word.find(':') {
                            if let Some(next) =
                                lex_prefixed(chars, &word, colon, start, j, &mut out)?
                            {
                                i = next;
                                continue;
                            }
                        }
                        let term = word_term(&word, None, start, j, start)?;
                        out.push(Token {
                            tok: Tok::Term(term),
                            span,
                        });
                    }
                }
                i = j;
            }
        }
    }
    Ok(out)
}

/// A word with a colon after a name of ASCII letters (`title:x`, `place:KG`, `plac:KG`): a
/// field or metadata term, or an error naming the known fields. Returns where lexing resumes, or
/// `None` when the word is an ordinary word (the part before the colon is not a name).
fn lex_prefixed(
    chars: &[char],
    word: &str,
    colon: usize,
    start: usize,
    j: usize,
    out: &mut Vec<Token>,
) -> Result<Option<usize>, QueryError> {
    let name = &word[..colon];
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphabetic()) {
        return Ok(None);
    }
    let rest = &word[colon + 1..];
    let rest_start = start + word[..=colon].chars().count();
    let span = Span { start, end: j };
    if let Some(field) = field_named(name) {
        if rest.is_empty() {
            if j < chars.len() && is_quote(chars[j]) {
                let (term, next) = lex_quoted(chars, j, Some(field), start)?;
                out.push(Token {
                    tok: Tok::Term(term),
                    span: Span { start, end: next },
                });
                return Ok(Some(next));
            }
            if j < chars.len() && chars[j] == '(' {
                out.push(Token {
                    tok: Tok::FieldGroup(field),
                    span,
                });
                return Ok(Some(j));
            }
            return Err(QueryError::new(
                format!("`{word}` needs a word, a \"phrase\" or (a group) after it"),
                start,
                j,
            ));
        }
        if rest == "NEAR" && j < chars.len() && chars[j] == '(' {
            out.push(Token {
                tok: Tok::Near(Some(field)),
                span,
            });
            return Ok(Some(j));
        }
        let term = word_term(rest, Some(field), rest_start, j, start)?;
        out.push(Token {
            tok: Tok::Term(term),
            span,
        });
        return Ok(Some(j));
    }
    let Some(key) = MetaKey::named(name) else {
        return Err(QueryError::new(
            format!(
                "unknown field `{name}:`; fields are {FIELD_NAMES} (to search for the text, put it in quotes: \"{word}\")"
            ),
            start,
            rest_start,
        ));
    };
    let key_name = key.name();
    let quoted = rest.is_empty() && j < chars.len() && is_quote(chars[j]);
    let (value, value_span, next) = if !rest.is_empty() {
        (
            rest.to_string(),
            Span {
                start: rest_start,
                end: j,
            },
            j,
        )
    } else if quoted {
        let (term, next) = lex_quoted(chars, j, None, start)?;
        if term.prefix {
            return Err(QueryError::new(
                format!("`{key_name}:` takes a whole value, without `*`"),
                next - 1,
                next,
            ));
        }
        let inner = Span {
            start: j + 1,
            end: (j + 1 + term.text.chars().count()).min(next),
        };
        (term.text, inner, next)
    } else if j < chars.len() && chars[j] == '(' {
        return Err(QueryError::new(
            format!(
                "`{key_name}:` takes one value; for several, write `({key_name}:A OR {key_name}:B)`"
            ),
            start,
            j + 1,
        ));
    } else {
        return Err(QueryError::new(
            format!("`{word}` needs a value after it, as in {}", example(key)),
            start,
            j,
        ));
    };
    if let Some(pos) = value.chars().position(|c| c == '*').filter(|_| !quoted) {
        return Err(QueryError::new(
            format!("`{key_name}:` takes a whole value, without `*`"),
            value_span.start + pos,
            value_span.start + pos + 1,
        ));
    }
    let meta = Meta {
        key,
        value,
        span: Span { start, end: next },
        value_span,
    };
    if key == MetaKey::Date {
        meta.date_range()?;
    }
    out.push(Token {
        span: meta.span,
        tok: Tok::Meta(meta),
    });
    Ok(Some(next))
}

fn example(key: MetaKey) -> &'static str {
    match key {
        MetaKey::Place => "`place:KG` or `place:central-asia`",
        MetaKey::Concept => "`concept:\"regional security\"`",
        MetaKey::Source => "`source:\"Moscow Times\"`",
        MetaKey::Lang => "`lang:ru`",
        MetaKey::Section => "`section:World`",
        MetaKey::Date => "`date:2023-01..2023-06`",
    }
}

/// A bare word, validated: `*` may only end it.
fn word_term(
    word: &str,
    field: Option<Field>,
    word_start: usize,
    end: usize,
    token_start: usize,
) -> Result<Term, QueryError> {
    let stars = word.matches('*').count();
    let prefix = word.ends_with('*');
    if stars > 1 || (stars == 1 && !prefix) {
        let pos = word.chars().position(|c| c == '*').unwrap_or(0);
        return Err(QueryError::new(
            "a wildcard `*` may only end a word, as in `milit*`",
            word_start + pos,
            word_start + pos + 1,
        ));
    }
    let text = word.trim_end_matches('*');
    if text.is_empty() {
        return Err(QueryError::new(
            "a wildcard needs at least one letter before it, as in `milit*`",
            word_start,
            end,
        ));
    }
    Ok(Term {
        text: text.to_string(),
        prefix,
        quoted: false,
        field,
        span: Span {
            start: token_start,
            end,
        },
    })
}

/// A quoted phrase starting at `open`; returns the term and the index after it (and after a
/// trailing `*`, which makes the phrase's last word a prefix).
fn lex_quoted(
    chars: &[char],
    open: usize,
    field: Option<Field>,
    token_start: usize,
) -> Result<(Term, usize), QueryError> {
    let mut j = open + 1;
    let mut text = String::new();
    loop {
        if j >= chars.len() {
            return Err(QueryError::new(
                "this quote is never closed",
                open,
                open + 1,
            ));
        }
        let c = chars[j];
        if c == '\\' && j + 1 < chars.len() && is_quote(chars[j + 1]) {
            text.push(chars[j + 1]);
            j += 2;
            continue;
        }
        if is_quote(c) {
            j += 1;
            break;
        }
        text.push(c);
        j += 1;
    }
    let prefix = j < chars.len() && chars[j] == '*';
    if prefix {
        j += 1;
    }
    if text.trim().is_empty() {
        return Err(QueryError::new("an empty phrase", open, j));
    }
    Ok((
        Term {
            text: text.trim().to_string(),
            prefix,
            quoted: true,
            field,
            span: Span {
                start: token_start,
                end: j,
            },
        },
        j,
    ))
}

struct Parser {
    toks: Vec<Token>,
    pos: usize,
    len_chars: usize,
}

/// Parses a query. Empty or blank text is an error: callers that mean "everything" pass no query.
pub fn parse(query: &str) -> Result<Expr, QueryError> {
    let chars: Vec<char> = query.chars().collect();
    if chars.len() > MAX_QUERY_CHARS {
        return Err(QueryError::new(
            format!("the query is longer than {MAX_QUERY_CHARS} characters"),
            MAX_QUERY_CHARS,
            chars.len(),
        ));
    }
    let toks = lex(&chars)?;
    if toks.is_empty() {
        return Err(QueryError::new("the query is empty", 0, 1));
    }
    let mut p = Parser {
        toks,
        pos: 0,
        len_chars: chars.len(),
    };
    let e = p.or(0)?;
    if let Some(t) = p.peek() {
        let msg = match t.tok {
            Tok::RParen => "this `)` has no matching `(`".to_string(),
            Tok::Comma => "a comma is only used inside NEAR(…, distance)".to_string(),
            _ => "unexpected text here".to_string(),
        };
        return Err(QueryError::new(msg, t.span.start, t.span.end));
    }
    Ok(e)
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.toks.get(self.pos)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.toks.get(self.pos).cloned();
        if t.is_some() {
            self.pos += 1;
        }
        t
    }

    fn end_span(&self) -> (usize, usize) {
        (self.len_chars, self.len_chars + 1)
    }

    fn depth_check(&self, depth: usize, at: usize) -> Result<(), QueryError> {
        if depth > MAX_DEPTH {
            Err(QueryError::new(
                format!("the query nests deeper than {MAX_DEPTH} levels"),
                at,
                at + 1,
            ))
        } else {
            Ok(())
        }
    }

    fn or(&mut self, depth: usize) -> Result<Expr, QueryError> {
        let mut items = vec![self.and(depth)?];
        while let Some(Token { tok: Tok::Or, span }) = self.peek().cloned() {
            self.pos += 1;
            if self.starts_operand() {
                items.push(self.and(depth)?);
            } else {
                return Err(QueryError::new(
                    "`OR` needs a term after it",
                    span.start,
                    span.end,
                ));
            }
        }
        Ok(flatten(items, false))
    }

    fn starts_operand(&self) -> bool {
        matches!(
            self.peek().map(|t| &t.tok),
            Some(
                Tok::Term(_)
                    | Tok::LParen
                    | Tok::Not
                    | Tok::Near(_)
                    | Tok::FieldGroup(_)
                    | Tok::Meta(_)
            )
        )
    }

    fn and(&mut self, depth: usize) -> Result<Expr, QueryError> {
        let mut items = vec![self.unary(depth)?];
        loop {
            match self.peek().cloned() {
                Some(Token {
                    tok: Tok::And,
                    span,
                }) => {
                    self.pos += 1;
                    if !self.starts_operand() {
                        return Err(QueryError::new(
                            "`AND` needs a term after it",
                            span.start,
                            span.end,
                        ));
                    }
                    items.push(self.unary(depth)?);
                }
                Some(Token {
                    tok: Tok::NearN(n),
                    span,
                }) => {
                    self.pos += 1;
                    let left = items.pop().expect("at least one item");
                    let right = match self.next() {
                        Some(Token {
                            tok: Tok::Term(t), ..
                        }) => t,
                        _ => {
                            return Err(QueryError::new(
                                format!("`NEAR/{n}` needs a word or phrase after it"),
                                span.start,
                                span.end,
                            ))
                        }
                    };
                    // As in NEAR(…): a field goes before the whole, not on one word.
                    let fielded = match &left {
                        Expr::Term(l) if l.field.is_some() => Some(l.span),
                        _ if right.field.is_some() => Some(right.span),
                        _ => None,
                    };
                    if let Some(at) = fielded {
                        return Err(QueryError::new(
                            "put the field before NEAR, as in `title:NEAR(a b)`… or leave it out",
                            at.start,
                            at.end,
                        ));
                    }
                    let near = match left {
                        Expr::Term(l) => {
                            let start = l.span.start;
                            Expr::Near {
                                span: Span {
                                    start,
                                    end: right.span.end,
                                },
                                terms: vec![l, right],
                                distance: n,
                                field: None,
                            }
                        }
                        Expr::Near {
                            mut terms,
                            distance,
                            field: None,
                            span: s,
                        } if distance == n => {
                            let end = right.span.end;
                            terms.push(right);
                            Expr::Near {
                                terms,
                                distance,
                                field: None,
                                span: Span {
                                    start: s.start,
                                    end,
                                },
                            }
                        }
                        _ => {
                            return Err(QueryError::new(
                                format!("`NEAR/{n}` needs a word or phrase before it"),
                                span.start,
                                span.end,
                            ))
                        }
                    };
                    items.push(near);
                }
                _ if self.starts_operand() => items.push(self.unary(depth)?),
                _ => break,
            }
        }
        Ok(flatten(items, true))
    }

    fn unary(&mut self, depth: usize) -> Result<Expr, QueryError> {
        if let Some(Token {
            tok: Tok::Not,
            span,
        }) = self.peek().cloned()
        {
            self.depth_check(depth + 1, span.start)?;
            self.pos += 1;
            if !self.starts_operand() {
                return Err(QueryError::new(
                    "`NOT` needs a term after it",
                    span.start,
                    span.end,
                ));
            }
            let inner = self.unary(depth + 1)?;
            return Ok(match inner {
                Expr::Not(x) => *x,
                x => Expr::Not(Box::new(x)),
            });
        }
        self.primary(depth)
    }

    fn primary(&mut self, depth: usize) -> Result<Expr, QueryError> {
        let Some(t) = self.next() else {
            let (s, e) = self.end_span();
            return Err(QueryError::new(
                "the query ends where a term was expected",
                s,
                e,
            ));
        };
        match t.tok {
            Tok::Term(term) => Ok(Expr::Term(term)),
            Tok::Meta(m) => Ok(Expr::Meta(m)),
            Tok::LParen => self.group(t.span, depth),
            Tok::FieldGroup(field) => {
                let open = self.next().expect("lexer guarantees `(` after field group");
                let mut e = self.group(open.span, depth)?;
                set_field(&mut e, field)?;
                Ok(e)
            }
            Tok::Near(field) => {
                let mut e = self.near(t.span)?;
                if let Some(f) = field {
                    set_field(&mut e, f)?;
                }
                Ok(e)
            }
            Tok::RParen => Err(QueryError::new(
                "this `)` has no matching `(`, or the group before it is empty",
                t.span.start,
                t.span.end,
            )),
            Tok::And | Tok::Or => Err(QueryError::new(
                format!(
                    "`{}` needs a term before it",
                    if t.tok == Tok::And { "AND" } else { "OR" }
                ),
                t.span.start,
                t.span.end,
            )),
            Tok::NearN(n) => Err(QueryError::new(
                format!("`NEAR/{n}` needs a word or phrase before it"),
                t.span.start,
                t.span.end,
            )),
            Tok::Comma => Err(QueryError::new(
                "a comma is only used inside NEAR(…, distance)",
                t.span.start,
                t.span.end,
            )),
            Tok::Not => unreachable!("handled in unary"),
        }
    }

    fn group(&mut self, open: Span, depth: usize) -> Result<Expr, QueryError> {
        self.depth_check(depth + 1, open.start)?;
        if let Some(Token {
            tok: Tok::RParen, ..
        }) = self.peek()
        {
            return Err(QueryError::new(
                "empty parentheses",
                open.start,
                open.end + 1,
            ));
        }
        let e = self.or(depth + 1)?;
        match self.next() {
            Some(Token {
                tok: Tok::RParen, ..
            }) => Ok(e),
            _ => Err(QueryError::new(
                "this `(` is never closed",
                open.start,
                open.end,
            )),
        }
    }

    fn near(&mut self, near_span: Span) -> Result<Expr, QueryError> {
        let open = self.next().expect("lexer guarantees `(` after NEAR");
        let mut terms = Vec::new();
        let mut distance = DEFAULT_NEAR;
        loop {
            match self.next() {
                Some(Token {
                    tok: Tok::Term(t), ..
                }) => {
                    if t.field.is_some() {
                        return Err(QueryError::new(
                            "put the field before NEAR, as in `title:NEAR(a b)`… or leave it out",
                            t.span.start,
                            t.span.end,
                        ));
                    }
                    terms.push(t)
                }
                Some(Token {
                    tok: Tok::Comma,
                    span,
                }) => {
                    let num = match self.next() {
                        Some(Token {
                            tok: Tok::Term(t), ..
                        }) if !t.quoted && !t.prefix => t,
                        _ => {
                            return Err(QueryError::new(
                                "NEAR( … , N) needs a distance in words after the comma",
                                span.start,
                                span.end,
                            ))
                        }
                    };
                    distance = num
                        .text
                        .parse()
                        .ok()
                        .filter(|n| *n <= 10_000)
                        .ok_or_else(|| {
                            QueryError::new(
                                "the NEAR distance must be a whole number of words up to 10000",
                                num.span.start,
                                num.span.end,
                            )
                        })?;
                    match self.next() {
                        Some(Token {
                            tok: Tok::RParen,
                            span: close,
                        }) => {
                            return self.finish_near(terms, distance, near_span, close, open.span)
                        }
                        _ => {
                            return Err(QueryError::new(
                                "this NEAR( is never closed",
                                near_span.start,
                                open.span.end,
                            ))
                        }
                    }
                }
                Some(Token {
                    tok: Tok::RParen,
                    span: close,
                }) => return self.finish_near(terms, distance, near_span, close, open.span),
                Some(t) => {
                    return Err(QueryError::new(
                        "NEAR( … ) takes only words and \"phrases\", then an optional `, distance`",
                        t.span.start,
                        t.span.end,
                    ))
                }
                None => {
                    return Err(QueryError::new(
                        "this NEAR( is never closed",
                        near_span.start,
                        open.span.end,
                    ))
                }
            }
        }
    }

    fn finish_near(
        &mut self,
        terms: Vec<Term>,
        distance: u32,
        near_span: Span,
        close: Span,
        open: Span,
    ) -> Result<Expr, QueryError> {
        if terms.len() < 2 {
            return Err(QueryError::new(
                "NEAR( … ) needs at least two words or phrases",
                near_span.start,
                open.end,
            ));
        }
        Ok(Expr::Near {
            terms,
            distance,
            field: None,
            span: Span {
                start: near_span.start,
                end: close.end,
            },
        })
    }
}

/// Restricts every term of a `title:( … )` group to the field; a metadata term inside is an
/// error (it is not text).
fn set_field(e: &mut Expr, field: Field) -> Result<(), QueryError> {
    match e {
        Expr::Term(t) => t.field = Some(field),
        Expr::Near { field: f, .. } => *f = Some(field),
        Expr::And(xs) | Expr::Or(xs) => {
            for x in xs {
                set_field(x, field)?;
            }
        }
        Expr::Not(x) => set_field(x, field)?,
        Expr::Meta(m) => {
            return Err(QueryError::new(
                format!(
                    "`{}:` is not text and cannot go inside `{}:( … )`; put it outside the group",
                    m.key.name(),
                    field.fts_column()
                ),
                m.span.start,
                m.span.end,
            ))
        }
        Expr::Concept(u) => {
            return Err(QueryError::new(
                "a concept cannot go inside a field group; put it outside the group",
                u.span.start,
                u.span.end,
            ))
        }
    }
    Ok(())
}

fn flatten(items: Vec<Expr>, and: bool) -> Expr {
    if items.len() == 1 {
        return items.into_iter().next().expect("one item");
    }
    let mut out = Vec::with_capacity(items.len());
    for it in items {
        match it {
            Expr::And(xs) if and => out.extend(xs),
            Expr::Or(xs) if !and => out.extend(xs),
            x => out.push(x),
        }
    }
    if and {
        Expr::And(out)
    } else {
        Expr::Or(out)
    }
}
