//! Reading news collections: the paths a user names become files ([`input`]), each file is read
//! by the reader for its format ([`readers`]) into raw records, and each record is normalized
//! ([`normalize`]) into an article ready for the store. Nothing here touches the database.
//!
//! The seam is the [`readers::Sink`]: readers push records and diagnostics into it, so the same
//! readers serve the import pipeline, previews in the app, and tests.
//!
//! The article model, dates and the Solar Hijri calendar live in `broadsheet-model` (which
//! depends on no reader); they are re-exported here at their old paths (`date`, `jalali`,
//! `Article`, `Precision`...).

pub mod controls;
pub mod encoding;
pub mod html;
pub mod input;
pub mod mapping;
pub mod normalize;
pub mod readers;
pub mod recipe;
pub mod record;
pub mod suggest;

pub use broadsheet_model::{date, jalali};
pub use date::{format_date, parse_date, DateOrigin, ParsedDate, Precision};
pub use input::{discover, read_file, FileInfo, Format, InputError, InputFile};
pub use mapping::{Field, FieldMap, Selector};
pub use normalize::{normalize, Article, LanguageOrigin, NormalizeOptions};
pub use readers::{Flow, ReadOptions, Sink};
pub use recipe::{Recipe, RecipeError};
pub use record::{Diagnostic, Locator, RawRecord, RecordPos, Severity};
pub use suggest::{suggest_recipes, RecipeSuggestion};
