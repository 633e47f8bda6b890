//! Reading news collections: the paths a user names become files ([`input`]), each file is read
//! by the reader for its format ([`readers`]) into raw records, and each record is normalized
//! ([`normalize`]) into an article ready for the store. Nothing here touches the database.
//!
//! The seam is the [`readers::Sink`]: readers push records and diagnostics into it, so the same
//! readers serve the import pipeline, previews in the app, and tests.

pub mod controls;
pub mod date;
pub mod encoding;
pub mod html;
pub mod input;
pub mod jalali;
pub mod mapping;
pub mod normalize;
pub mod readers;
pub mod recipe;
pub mod record;
pub mod suggest;

pub use date::{format_date, parse_date, DateOrigin, ParsedDate, Precision};
pub use input::{discover, read_file, FileInfo, Format, InputError, InputFile};
pub use mapping::{Field, FieldMap, Selector};
pub use normalize::{normalize, Article, LanguageOrigin, NormalizeOptions};
pub use readers::{Flow, ReadOptions, Sink};
pub use recipe::{Recipe, RecipeError};
pub use record::{Diagnostic, Locator, RawRecord, RecordPos, Severity};
pub use suggest::{suggest_recipes, RecipeSuggestion};
