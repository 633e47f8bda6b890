//! The built-in multilingual lexicon of the mission's topic (security, militancy, terrorism,
//! borders, military exercises, the region's organisations and armed groups) in English,
//! Russian, Persian, Arabic, Kyrgyz, Kazakh, Uzbek and Tajik: `data/lexicon.toml`, embedded.
//! Each entry becomes a [`Concept`] a user can save and edit; its sources and the way its
//! terms handle inflection and clitics are in the file's header.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::Concept;
use crate::{AnalysisError, Result};

/// The lexicon as shipped.
pub const LEXICON_TOML: &str = include_str!("../../data/lexicon.toml");

/// The languages every entry covers, as `lang:` codes (`uz` holds Latin and Cyrillic terms).
pub const LANGUAGES: [&str; 8] = ["en", "ru", "fa", "ar", "ky", "kk", "uz", "tg"];

/// One entry: a concept ready to copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LexiconEntry {
    /// A short identifier (`security`, `csto`).
    pub id: String,
    /// The name a concept made from it gets by default.
    pub name: String,
    pub description: String,
    /// Terms for articles of any language: English, and names and acronyms no other
    /// language uses otherwise.
    pub query: String,
    /// Terms that count only in articles of one language.
    pub languages: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    entry: Vec<LexiconEntry>,
}

/// Reads a lexicon in the format of `data/lexicon.toml`.
pub fn parse_lexicon(text: &str) -> Result<Vec<LexiconEntry>> {
    let file: LexiconFile =
        toml::from_str(text).map_err(|e| AnalysisError::Invalid(format!("lexicon: {e}")))?;
    Ok(file.entry)
}

/// Every entry of the built-in lexicon, in file order.
pub fn entries() -> &'static [LexiconEntry] {
    static ENTRIES: OnceLock<Vec<LexiconEntry>> = OnceLock::new();
    ENTRIES.get_or_init(|| {
        // The file is part of the program and a test reads it; it cannot fail for a user.
        parse_lexicon(LEXICON_TOML).expect("the built-in lexicon parses (tested)")
    })
}

/// The entry with that id, or an error listing the ids.
pub fn entry(id: &str) -> Result<&'static LexiconEntry> {
    entries().iter().find(|e| e.id == id).ok_or_else(|| {
        let ids: Vec<&str> = entries().iter().map(|e| e.id.as_str()).collect();
        AnalysisError::Invalid(format!(
            "no lexicon entry `{id}`; entries are {}",
            ids.join(", ")
        ))
    })
}

impl LexiconEntry {
    /// The entry as a concept named `name` (the entry's own name when `None`), to save in a
    /// project and edit.
    pub fn to_concept(&self, name: Option<&str>) -> Concept {
        Concept {
            name: name.unwrap_or(&self.name).to_string(),
            query: self.query.clone(),
            description: Some(format!(
                "{} (from Broadsheet's lexicon entry `{}`)",
                self.description, self.id
            )),
            languages: self.languages.clone(),
        }
    }
}

#[cfg(test)]
mod tests;
