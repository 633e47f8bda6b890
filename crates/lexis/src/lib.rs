//! Broadsheet's lexical statistics and word handling: the statistics researchers cite
//! ([`stats`]: keyness, dispersion, collocation, TF-IDF), stop-word lists ([`stopwords`]),
//! Snowball stemming ([`stem`]) and the recorded text settings that combine them ([`settings`]).
//!
//! Pure functions and data, no database: the analysis engine counts, this crate scores and
//! filters. Everything is deterministic and nothing panics on any input.

mod kyrgyz;
pub mod settings;
pub mod stats;
pub mod stem;
pub mod stopwords;

pub use settings::{BoilerplateSettings, TextSettings, TokenFilter};
pub use stem::{stem_word, Stemmer};
pub use stopwords::{StopWordSettings, StopWordSource, StopWords};

/// Errors in settings: an unknown stop-word language, a stop word that can never match a token,
/// an n-gram range outside `1..=5`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LexisError {
    #[error("no stop-word list for language {0:?}")]
    UnknownLanguage(String),
    #[error("stop word {0:?} is not a single token, so it could never match")]
    NotAToken(String),
    #[error("n-gram range {min}..={max} is not within 1..=5")]
    NgramRange { min: u8, max: u8 },
}
