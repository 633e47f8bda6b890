//! The article as Broadsheet stores it: the normalizer's output and the store's input, with its
//! date (and the date's precision and origin) and its language (and how it was decided). The
//! type only; making one from a raw record is `broadsheet_ingest::normalize`.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::date::{DateOrigin, ParsedDate, Precision};

/// How the article's language was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LanguageOrigin {
    /// The record's tag, or the recipe's or command's `language`, normalised.
    Field,
    /// Detected from the article's text.
    Detected,
    /// The text was too short or too numeric to tell: the dominant detected language of its
    /// source (set by the import, which sees the other articles; see `broadsheet-store`).
    Source,
}

impl LanguageOrigin {
    /// The name stored in `articles.language_origin`.
    pub fn as_str(self) -> &'static str {
        match self {
            LanguageOrigin::Field => "field",
            LanguageOrigin::Detected => "detected",
            LanguageOrigin::Source => "source",
        }
    }
}

/// A normalized article, ready for the store.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Article {
    pub source: String,
    pub url: Option<String>,
    pub external_id: Option<String>,
    pub title: String,
    pub byline: Option<String>,
    pub section: Option<String>,
    pub language: Option<String>,
    pub language_confidence: Option<f64>,
    pub language_origin: Option<LanguageOrigin>,
    pub date: Option<ParsedDate>,
    pub date_origin: DateOrigin,
    /// The date as the source wrote it, whether or not it parsed.
    pub date_raw: Option<String>,
    pub body: String,
    /// BLAKE3 of title and body.
    pub content_hash: [u8; 32],
    /// What makes two records the same article (`broadsheet_ingest::normalize::identity`).
    pub identity: [u8; 16],
    pub extra: BTreeMap<String, Value>,
    /// The search forms of title and body, as the FTS5 index stores them.
    #[serde(skip)]
    pub search_title: String,
    #[serde(skip)]
    pub search_body: String,
}

impl Article {
    pub fn precision(&self) -> Precision {
        self.date.map(|d| d.precision).unwrap_or(Precision::Unknown)
    }
}
