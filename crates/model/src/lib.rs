//! Broadsheet's model, apart from any reader: the [`Article`] the normalizer makes and the store
//! keeps, publication dates with their [`Precision`] and [`DateOrigin`] ([`date`]), and the
//! Solar Hijri calendar ([`jalali`]). The analyses depend on this crate, not on the readers.
//!
//! Architecture invariant: nothing here reads a file format, parses HTML or touches a database;
//! its dependencies are jiff, regex, serde and serde_json.

pub mod article;
pub mod date;
pub mod jalali;

pub use article::{Article, LanguageOrigin};
pub use date::{format_date, parse_date, DateOrigin, ParsedDate, Precision};
