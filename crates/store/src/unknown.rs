//! Filter values that match nothing: an unknown source, language or place in a subcorpus's
//! filters is an error ([`UnknownValue`]) that lists the closest values that exist, ranked by
//! string similarity (Jaro–Winkler, `strsim`), so a typo never gives a silently empty table.
//! [`Store::check_filters`] is the one check; [`Store::compile`] runs it for every subcorpus.

use std::fmt;

use serde::Serialize;

use crate::search::Filters;
use crate::{Store, StoreError};

/// How many close values an error lists.
const CLOSEST: usize = 3;
/// How many of a corpus's languages an error lists (there are rarely more).
const LANGUAGES: usize = 8;
/// The similarity from which a value counts as close (clap's threshold for suggestions).
const CLOSE: f64 = 0.7;

/// The filter a value was given to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FilterField {
    Source,
    Language,
    Place,
}

/// An existing value offered in place of an unknown one, with what it names (a country code's
/// country) where the value alone does not say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub value: String,
    pub label: Option<String>,
}

/// A filter value that names nothing the corpus has (for places, nothing the gazetteer knows).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub struct UnknownValue {
    pub field: FilterField,
    pub value: String,
    /// The closest existing values, best first.
    pub closest: Vec<Suggestion>,
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = &self.value;
        match self.field {
            FilterField::Source => write!(f, "no source is named \"{v}\"")?,
            FilterField::Language => match broadsheet_text::language_code(v) {
                Some(code) if code == v => write!(f, "no article is in language \"{v}\"")?,
                Some(code) => write!(f, "no article is in language \"{v}\" ({code})")?,
                None => write!(f, "\"{v}\" is not a language tag or name Broadsheet knows (write an ISO 639 code such as `en`, a tag such as `en-US` or a name such as `English`)")?,
            },
            FilterField::Place => write!(f, "no place is named \"{v}\": a place is an ISO country code (KG) or a region id (central-asia); `broadsheet regions --list` lists them")?,
        }
        if self.closest.is_empty() {
            return match self.field {
                FilterField::Source => write!(f, "; the corpus has no sources yet"),
                FilterField::Language => write!(f, "; no article has a language yet"),
                FilterField::Place => Ok(()),
            };
        }
        let listed: Vec<String> = self.closest.iter().map(Suggestion::to_string).collect();
        write!(f, "; closest: {}", listed.join(", "))
    }
}

impl fmt::Display for Suggestion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.label {
            Some(l) => write!(f, "\"{}\" ({l})", self.value),
            None => write!(f, "\"{}\"", self.value),
        }
    }
}

/// The candidates closest to `want`, best first: at most `n` of those at least [`CLOSE`]
/// similar, or the `n` most similar when none is. A candidate is `(compared, suggestion)`,
/// so a country can be found by its name and suggested by its code; each suggestion appears
/// once, at its best score. Ties go by the suggestion's value, so the list is deterministic.
pub fn closest<'a>(
    want: &str,
    candidates: impl IntoIterator<Item = (&'a str, Suggestion)>,
    n: usize,
) -> Vec<Suggestion> {
    let want = want.trim().to_lowercase();
    let mut scored: Vec<(f64, Suggestion)> = Vec::new();
    for (key, s) in candidates {
        let score = strsim::jaro_winkler(&want, &key.to_lowercase());
        match scored.iter_mut().find(|(_, t)| t.value == s.value) {
            Some(seen) if seen.0 >= score => {}
            Some(seen) => seen.0 = score,
            None => scored.push((score, s)),
        }
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.value.cmp(&b.1.value)));
    let close = scored.iter().take_while(|(s, _)| *s >= CLOSE).count();
    let keep = if close > 0 { close.min(n) } else { n };
    scored.into_iter().take(keep).map(|(_, s)| s).collect()
}

fn plain(value: &str) -> Suggestion {
    Suggestion {
        value: value.to_string(),
        label: None,
    }
}

/// The error for a source name that is not among `known`.
pub fn unknown_source(want: &str, known: &[String]) -> UnknownValue {
    UnknownValue {
        field: FilterField::Source,
        value: want.to_string(),
        closest: closest(want, known.iter().map(|k| (k.as_str(), plain(k))), CLOSEST),
    }
}

/// The error for a place that is neither a country code nor a region id of the gazetteer:
/// codes and ids are found by themselves and by their English names.
pub fn unknown_place(want: &str, gaz: &broadsheet_geo::Gazetteer) -> UnknownValue {
    let countries = gaz.countries().iter().flat_map(|c| {
        let s = Suggestion {
            value: c.code.clone(),
            label: Some(c.name.clone()),
        };
        [(c.code.as_str(), s.clone()), (c.name.as_str(), s)]
    });
    let regions = gaz.regions().iter().flat_map(|r| {
        let s = plain(&r.id);
        [(r.id.as_str(), s.clone()), (r.name.as_str(), s)]
    });
    UnknownValue {
        field: FilterField::Place,
        value: want.to_string(),
        closest: closest(want, countries.chain(regions), CLOSEST),
    }
}

impl Store {
    /// Checks that every source, language and place a filter names exists: a source in the
    /// corpus, a language (after normalisation: `en-US`, `English` → `en`) in at least one
    /// article, a place in the gazetteer (a known place no article mentions is a real zero).
    /// Anything else is [`StoreError::Unknown`] with the closest existing values.
    pub fn check_filters(&self, filters: &Filters) -> Result<(), StoreError> {
        self.check_filters_with(filters, &self.source_names()?)
    }

    /// [`Store::check_filters`] with the corpus's source names already read.
    pub(crate) fn check_filters_with(
        &self,
        filters: &Filters,
        sources: &[String],
    ) -> Result<(), StoreError> {
        if let Some(s) = filters.sources.iter().find(|s| !sources.contains(s)) {
            return Err(unknown_source(s, sources).into());
        }
        // Values that name no language first: they are wrong whatever the corpus holds.
        let (unknown, known): (Vec<&String>, Vec<&String>) = filters
            .languages
            .iter()
            .partition(|l| broadsheet_text::language_code(l).is_none());
        for l in unknown.into_iter().chain(known) {
            self.check_language(l)?;
        }
        crate::search::expand_places(&filters.places)?;
        Ok(())
    }

    /// Every source's name, sorted.
    pub fn source_names(&self) -> Result<Vec<String>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached("SELECT name FROM sources ORDER BY name")?;
        let names = st.query_map([], |r| r.get(0))?;
        Ok(names.collect::<Result<_, _>>()?)
    }

    /// The language codes of the corpus's articles, sorted (unknown languages left out).
    pub fn language_codes(&self) -> Result<Vec<String>, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT DISTINCT language FROM articles WHERE language IS NOT NULL ORDER BY 1",
        )?;
        let codes = st.query_map([], |r| r.get::<_, String>(0))?;
        Ok(codes.collect::<Result<_, _>>()?)
    }

    fn check_language(&self, value: &str) -> Result<(), StoreError> {
        if let Some(code) = broadsheet_text::language_code(value) {
            let found: bool = self.conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM articles WHERE language = ?1)",
                [code],
                |r| r.get(0),
            )?;
            if found {
                return Ok(());
            }
        }
        let known = self.language_codes()?;
        let code = broadsheet_text::language_code(value).unwrap_or(value);
        let closest = closest(
            code,
            known.iter().map(|k| (k.as_str(), plain(k))),
            LANGUAGES,
        );
        Err(UnknownValue {
            field: FilterField::Language,
            value: value.to_string(),
            closest,
        }
        .into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[Suggestion]) -> Vec<&str> {
        v.iter().map(|s| s.value.as_str()).collect()
    }

    #[test]
    fn closest_ranks_typos_first_and_drops_unrelated_names() {
        let known: Vec<String> = [
            "Caspian Wire",
            "Moscow Times",
            "Moscow Times (Russian)",
            "BBC",
        ]
        .map(String::from)
        .to_vec();
        let e = unknown_source("Moscow Tims", &known);
        assert_eq!(
            names(&e.closest),
            ["Moscow Times", "Moscow Times (Russian)"]
        );
        assert_eq!(
            e.to_string(),
            "no source is named \"Moscow Tims\"; closest: \"Moscow Times\", \"Moscow Times (Russian)\""
        );
    }

    #[test]
    fn closest_lists_the_best_when_nothing_is_close() {
        let known: Vec<String> = ["b", "a", "c", "d"].map(String::from).to_vec();
        let got = closest("zzzzzz", known.iter().map(|k| (k.as_str(), plain(k))), 3);
        assert_eq!(names(&got), ["a", "b", "c"]);
    }

    #[test]
    fn an_unknown_place_is_suggested_by_its_country_name() {
        let e = unknown_place("Kyrgyzstn", &broadsheet_geo::Gazetteer::builtin());
        assert_eq!(e.closest[0].value, "KG");
        assert!(
            e.to_string().contains("closest: \"KG\" (Kyrgyzstan)"),
            "{e}"
        );
    }
}
