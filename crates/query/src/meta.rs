//! Metadata terms (`place:KG`, `source:"Moscow Times"`, `lang:ru`, `section:World`,
//! `date:2023-01..2023-06`, `concept:"regional security"`): their keys, their values as
//! written, and the syntax of date ranges. What a value means (a country, a language, a date) is
//! decided by whoever compiles the query, which knows the gazetteer and the corpus.

use std::fmt;

use crate::{QueryError, Span};

/// The key of a metadata term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MetaKey {
    /// `place:KG`, `place:central-asia`: the article mentions the country or region.
    Place,
    /// `concept:"regional security"`: a saved concept, expanded before compiling.
    Concept,
    /// `source:"Moscow Times"`: the article's source.
    Source,
    /// `lang:ru`: the article's language.
    Lang,
    /// `section:World`: the article's section.
    Section,
    /// `date:2023-01..2023-06`: the article's date.
    Date,
}

/// Every key the query language knows, text fields first, as error messages list them.
pub const FIELD_NAMES: &str = "title, body, place, concept, source, lang, section, date";

impl MetaKey {
    pub fn name(self) -> &'static str {
        match self {
            MetaKey::Place => "place",
            MetaKey::Concept => "concept",
            MetaKey::Source => "source",
            MetaKey::Lang => "lang",
            MetaKey::Section => "section",
            MetaKey::Date => "date",
        }
    }

    /// The key a prefix names (case-insensitive; `language` is `lang`).
    pub(crate) fn named(name: &str) -> Option<MetaKey> {
        Some(match name.to_ascii_lowercase().as_str() {
            "place" => MetaKey::Place,
            "concept" => MetaKey::Concept,
            "source" => MetaKey::Source,
            "lang" | "language" => MetaKey::Lang,
            "section" => MetaKey::Section,
            "date" => MetaKey::Date,
            _ => return None,
        })
    }
}

/// A metadata term: a key and its value as the user wrote it (without quotes).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Meta {
    pub key: MetaKey,
    pub value: String,
    /// The whole term, key included.
    pub span: Span,
    /// The value alone (inside the quotes when it was quoted).
    pub value_span: Span,
}

/// One end of a date range, as written, with its place in the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateBound {
    pub text: String,
    pub span: Span,
}

/// A `date:` term's range: `2023` (from = to = 2023), `2023-01..2023-06`, `..2022-06`, `2021..`.
/// Each end is a date at any precision; the range runs from the start of `from`'s period to the
/// end of `to`'s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateRange {
    pub from: Option<DateBound>,
    pub to: Option<DateBound>,
}

impl Meta {
    /// The range of a `date:` term. Errors point at the part that is wrong.
    pub fn date_range(&self) -> Result<DateRange, QueryError> {
        let chars: Vec<char> = self.value.chars().collect();
        let at = |from: usize, to: usize| {
            let start = (self.value_span.start + from).min(self.value_span.end);
            let end = (self.value_span.start + to).min(self.value_span.end);
            (start, end.max(start + 1))
        };
        let bound = |from: usize, to: usize| -> Option<DateBound> {
            let text: String = chars[from..to].iter().collect();
            let lead = text.chars().take_while(|c| c.is_whitespace()).count();
            let trimmed = text.trim();
            if trimmed.is_empty() {
                return None;
            }
            let (s, e) = at(from + lead, from + lead + trimmed.chars().count());
            Some(DateBound {
                text: trimmed.to_string(),
                span: Span { start: s, end: e },
            })
        };
        let dots =
            (0..chars.len().saturating_sub(1)).find(|&i| chars[i] == '.' && chars[i + 1] == '.');
        let Some(d) = dots else {
            let b = bound(0, chars.len()).ok_or_else(|| {
                let (s, e) = at(0, chars.len());
                QueryError::new("`date:` needs a date, as in `date:2023-01`", s, e)
            })?;
            return Ok(DateRange {
                from: Some(b.clone()),
                to: Some(b),
            });
        };
        let rest = &chars[d + 2..];
        if let Some(k) =
            (0..rest.len().saturating_sub(1)).find(|&k| rest[k] == '.' && rest[k + 1] == '.')
        {
            let (s, e) = at(d + 2 + k, d + 4 + k);
            return Err(QueryError::new(
                "a date range has one `..`, as in `date:2023-01..2023-06`",
                s,
                e,
            ));
        }
        let range = DateRange {
            from: bound(0, d),
            to: bound(d + 2, chars.len()),
        };
        if range.from.is_none() && range.to.is_none() {
            let (s, e) = at(d, d + 2);
            return Err(QueryError::new(
                "a date range needs a date on at least one side of `..`, as in `date:2021..` or `date:..2022-06`",
                s,
                e,
            ));
        }
        Ok(range)
    }
}

/// Whether a value can be written without quotes and read back the same.
fn bare(value: &str) -> bool {
    !value.is_empty()
        && value.chars().all(crate::parse::is_word_char)
        && !value.contains('*')
        && !value.starts_with('-')
}

impl fmt::Display for Meta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:", self.key.name())?;
        if bare(&self.value) {
            return f.write_str(&self.value);
        }
        crate::write_quoted(&self.value, f)
    }
}
