//! Text processing shared by the importers, the search index and the analyses.
//!
//! Three forms of a text exist and must not be confused: the *stored* form ([`clean`]: what the
//! user imported, decoded and tidied, never altered beyond that), the *search* form
//! ([`fold::search_text`], written to the FTS5 index and applied to queries) and the *count* form
//! of single tokens ([`fold::count_form`]) that word lists and other analyses show.

pub mod clean;
mod cyrillic;
pub mod fold;
pub mod lang;
pub mod langtag;
pub mod tokens;

pub use clean::{clean_body, clean_line};
pub use fold::{count_form, count_form_into, search_fold, search_fold_into, search_text};
pub use lang::{detect_language, Detected, Insufficient};
pub use langtag::{is_undetermined_tag, language_code};
pub use tokens::{token_spans, token_work, Token, TokenWork};
