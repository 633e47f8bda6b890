//! Recipes: small declarative TOML files that say how to read a collection — the format, the
//! field mapping, the source name, the language, the SGML record layout, and date rules (a
//! regular expression over the URL, the file name, the id, a field or the text, with a
//! calendar). A user writes one with no code; Broadsheet ships one for every collection in
//! `../shared/corpora` (see [`builtin`]).

use std::collections::BTreeMap;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::date::{DateOrigin, ParsedDate, Precision};
use crate::input::Format;
use crate::mapping::{Field, FieldMap, Selector};
use crate::normalize::NormalizeOptions;
use crate::readers::sgml::SgmlConfig;
use crate::readers::text::TitleRule;
use crate::readers::ReadOptions;

/// Where a date rule looks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateFrom {
    /// The article's URL.
    Url,
    /// The file name (archive members by their own name).
    Filename,
    /// The article's external id.
    Id,
    /// The opening of the text (a dateline).
    Text,
    /// Another field, kept among the record's extra fields: `field = "news_id"`.
    Field,
}

/// The calendar of the numbers a date rule captures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Calendar {
    #[default]
    Gregorian,
    /// The Solar Hijri (Jalali) calendar of Iran and Afghanistan.
    SolarHijri,
}

/// A rule that finds a date in part of a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateRule {
    pub from: DateFrom,
    /// With `from = "field"`: the extra field's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// A regular expression with named groups `year` and optionally `month`, `day`, `hour`,
    /// `minute`, `second`; the precision follows the groups that matched.
    pub pattern: String,
    #[serde(default)]
    pub calendar: Calendar,
    /// Added to the year when it has two digits (`year_base = 1300` reads `87` as 1387).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year_base: Option<i32>,
}

/// How a collection is read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipe {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<Format>,
    /// Only files whose names match one of these patterns (`*.sgm`, `source.html`) are read
    /// from folders; the rest are skipped with a note.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// One source name for every article.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The language of records that do not name one (skips detection).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Field → column, key or dotted JSON path.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub map: BTreeMap<Field, Selector>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_header: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<char>,
    /// Remove Markdown emphasis and links from texts (`**bold**`, `[text](url)`), as in
    /// Telegram exports.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub strip_markdown: bool,
    /// Date rules, tried in order when a record has no date field (or it is empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dates: Vec<DateRule>,
    /// The record layout of SGML/XML files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sgml: Option<SgmlConfig>,
    /// JSON: the dotted path of the list of records inside each JSON document
    /// (`response.docs`), or `.` when each document is one record; found automatically when
    /// absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub records: Option<String>,
    /// Text files: where the title comes from (`first-line`, `filename`, `none`; by default
    /// the first line unless it is the whole text or too long to be a title).
    #[serde(default, skip_serializing_if = "is_default")]
    pub title: TitleRule,
    /// Keep the original of every field whose HTML was reduced to text, as `<field>_html`
    /// among the extra fields.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub keep_html: bool,
    /// What files this recipe is for, beyond its fields: what lets Broadsheet suggest it for
    /// files imported without a recipe (see [`crate::suggest`]). Reading ignores it.
    #[serde(default, skip_serializing_if = "Signals::is_empty")]
    pub signals: Signals,
}

/// Marks of the collection a recipe is for. Every mark given must hold in the sampled files
/// for the recipe to be suggested; none changes how files are read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signals {
    /// The outlet's web hosts: nine in ten sampled URLs are on one of them or below it
    /// (`huffpost.com` also matches `www.huffpost.com`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hosts: Vec<String>,
    /// Folder names: every sampled file sits in one of these folders (a folder per category).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub folders: Vec<String>,
    /// File-name patterns (`*` and `?`): every sampled file's name matches one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
    /// Regular expressions: each matches the opening of at least half the sampled files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub text: Vec<String>,
}

impl Signals {
    pub fn is_empty(&self) -> bool {
        self.hosts.is_empty()
            && self.folders.is_empty()
            && self.files.is_empty()
            && self.text.is_empty()
    }
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// A recipe that cannot be used, with what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecipeError {
    #[error("{0}")]
    Toml(String),
    #[error("date rule {index}: {message}")]
    DateRule { index: usize, message: String },
    #[error("no built-in recipe `{0}`; built-in recipes are {1}")]
    UnknownBuiltin(String, String),
    #[error("language `{0}` is not a language tag or name Broadsheet knows (write an ISO 639 code such as `en`, `ky`, `fa`, a tag such as `en-US`, or a name such as `English`)")]
    Language(String),
}

impl Recipe {
    /// Parses a recipe and checks its date rules and its language.
    pub fn from_toml(text: &str) -> Result<Recipe, RecipeError> {
        let r: Recipe = toml::from_str(text).map_err(|e| RecipeError::Toml(e.to_string()))?;
        r.compiled_dates()?;
        r.language_code()?;
        for (i, p) in r.signals.text.iter().enumerate() {
            Regex::new(p).map_err(|e| RecipeError::Toml(format!("signals.text {}: {e}", i + 1)))?;
        }
        Ok(r)
    }

    /// The recipe's `language` as an ISO 639 code (`English`, `en-US` → `en`); an error when
    /// it names no language.
    pub fn language_code(&self) -> Result<Option<&'static str>, RecipeError> {
        match self.language.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(l) => broadsheet_text::language_code(l)
                .map(Some)
                .ok_or_else(|| RecipeError::Language(l.to_string())),
        }
    }

    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    pub fn field_map(&self) -> FieldMap {
        FieldMap(self.map.clone())
    }

    /// This recipe with what `o` says beyond it (what the command line's or the import
    /// screen's options set): every field `o` sets wins; maps and date rules are merged.
    pub fn overridden_by(mut self, o: &Recipe) -> Recipe {
        if o.format.is_some() {
            self.format = o.format;
        }
        if o.source.is_some() {
            self.source = o.source.clone();
        }
        if o.language.is_some() {
            self.language = o.language.clone();
        }
        if o.no_header {
            self.no_header = true;
        }
        if o.delimiter.is_some() {
            self.delimiter = o.delimiter;
        }
        if o.strip_markdown {
            self.strip_markdown = true;
        }
        if !o.include.is_empty() {
            self.include = o.include.clone();
        }
        for (k, v) in &o.map {
            self.map.insert(*k, v.clone());
        }
        if !o.dates.is_empty() {
            self.dates = o.dates.clone();
        }
        if o.sgml.is_some() {
            self.sgml = o.sgml.clone();
        }
        if o.records.is_some() {
            self.records = o.records.clone();
        }
        if o.title != TitleRule::default() {
            self.title = o.title;
        }
        if o.keep_html {
            self.keep_html = true;
        }
        self
    }

    /// How the readers read files under this recipe (the import and its preview use this one
    /// function, so the preview shows what the import stores).
    pub fn read_options(&self) -> ReadOptions {
        ReadOptions {
            map: self.field_map(),
            no_header: self.no_header,
            delimiter: self.delimiter.and_then(|c| u8::try_from(c).ok()),
            sgml: self.sgml.clone(),
            records: self.records.clone(),
            title: self.title,
            ..ReadOptions::default()
        }
    }

    /// How records become articles under this recipe.
    pub fn normalize_options(&self) -> Result<NormalizeOptions, RecipeError> {
        Ok(NormalizeOptions {
            source: self.source.clone(),
            language: self.language_code()?.map(str::to_string),
            date_rules: self.compiled_dates()?,
            strip_markdown: self.strip_markdown,
            keep_html: self.keep_html,
            ..NormalizeOptions::default()
        })
    }

    /// The date rules, compiled.
    pub fn compiled_dates(&self) -> Result<Vec<CompiledDateRule>, RecipeError> {
        self.dates
            .iter()
            .enumerate()
            .map(|(i, r)| {
                CompiledDateRule::new(r).map_err(|m| RecipeError::DateRule {
                    index: i + 1,
                    message: m,
                })
            })
            .collect()
    }
}

/// A date rule ready to apply.
#[derive(Debug, Clone)]
pub struct CompiledDateRule {
    pub rule: DateRule,
    re: Regex,
}

impl CompiledDateRule {
    pub fn new(rule: &DateRule) -> Result<Self, String> {
        let re = Regex::new(&rule.pattern).map_err(|e| format!("pattern: {e}"))?;
        if !re.capture_names().flatten().any(|n| n == "year") {
            return Err("the pattern needs a named group `year`, e.g. (?P<year>\\d{4})".into());
        }
        if rule.from == DateFrom::Field && rule.field.is_none() {
            return Err("`from = \"field\"` needs `field = \"NAME\"`".into());
        }
        Ok(CompiledDateRule {
            rule: rule.clone(),
            re,
        })
    }

    pub fn origin(&self) -> DateOrigin {
        match self.rule.from {
            DateFrom::Url => DateOrigin::Url,
            DateFrom::Filename => DateOrigin::Filename,
            DateFrom::Text => DateOrigin::Text,
            // An id or another field is still a field of the record.
            DateFrom::Id | DateFrom::Field => DateOrigin::Field,
        }
    }

    /// Applies the rule to `text`: `None` when the pattern does not match, `Some(Err)` when it
    /// matches numbers that are not a date.
    pub fn apply(&self, text: &str) -> Option<Result<ParsedDate, String>> {
        let c = self.re.captures(text)?;
        let num =
            |name: &str| -> Option<i64> { c.name(name).and_then(|m| m.as_str().parse().ok()) };
        let year_text = c.name("year")?.as_str();
        let mut year = num("year")?;
        if year_text.len() <= 2 {
            year += self
                .rule
                .year_base
                .unwrap_or(if self.rule.calendar == Calendar::SolarHijri {
                    1300
                } else {
                    2000
                }) as i64;
        }
        let month = num("month");
        let day = num("day");
        let precision = match (month, day) {
            (Some(_), Some(_)) if c.name("hour").is_some() => Precision::Second,
            (Some(_), Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        };
        let (m, d) = (month.unwrap_or(1), day.unwrap_or(1));
        let (gy, gm, gd) = match self.rule.calendar {
            Calendar::Gregorian => (year, m, d),
            Calendar::SolarHijri => {
                if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
                    return Some(Err(format!("{year}/{m}/{d} is not a Solar Hijri date")));
                }
                match crate::jalali::to_gregorian(year, m as u8, d as u8) {
                    Some((y, mo, da)) => (y, mo as i64, da as i64),
                    None => {
                        return Some(Err(format!(
                            "{year}/{m:02}/{d:02} is not a Solar Hijri date"
                        )))
                    }
                }
            }
        };
        let date = match jiff::civil::Date::new(gy as i16, gm as i8, gd as i8) {
            Ok(d) => d,
            Err(_) => return Some(Err(format!("{gy}-{gm:02}-{gd:02} is not a calendar date"))),
        };
        let (h, mi, s) = (
            num("hour").unwrap_or(0),
            num("minute").unwrap_or(0),
            num("second").unwrap_or(0),
        );
        if h > 23 || mi > 59 || s > 59 {
            return Some(Err(format!("{h:02}:{mi:02}:{s:02} is not a time of day")));
        }
        let ts = date
            .at(h as i8, mi as i8, s as i8, 0)
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .ok()?
            .timestamp()
            .as_second();
        Some(Ok(ParsedDate {
            timestamp: ts,
            precision,
        }))
    }
}

/// The date rules Broadsheet applies to every record without a date field: a date in the URL
/// path (`/2015/08/11/`, `/2015-08-11`, `/2015/08/`), in the file name (`2015-08-11`,
/// `20150811`), or in a dateline that opens the text with a full date
/// (`BISHKEK, December 2, 2015 —`). A date without a year is never completed by guessing.
pub fn builtin_date_rules() -> Vec<CompiledDateRule> {
    let rules = [
        (
            DateFrom::Url,
            r"/(?P<year>(?:19|20)\d{2})/(?P<month>0?[1-9]|1[0-2])/(?P<day>0?[1-9]|[12]\d|3[01])(?:[/?#._-]|$)",
        ),
        (
            DateFrom::Url,
            r"/(?P<year>(?:19|20)\d{2})-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])(?:[/?#._-]|$)",
        ),
        (
            DateFrom::Url,
            r"/(?P<year>(?:19|20)\d{2})/(?P<month>0?[1-9]|1[0-2])/",
        ),
        (
            DateFrom::Filename,
            r"(?:^|[^0-9])(?P<year>(?:19|20)\d{2})[-_.]?(?P<month>0[1-9]|1[0-2])[-_.]?(?P<day>0[1-9]|[12]\d|3[01])(?:[^0-9]|$)",
        ),
    ];
    rules
        .into_iter()
        .map(|(from, pattern)| {
            CompiledDateRule::new(&DateRule {
                from,
                field: None,
                pattern: pattern.into(),
                calendar: Calendar::Gregorian,
                year_base: None,
            })
            .expect("built-in date rules compile")
        })
        .collect()
}

macro_rules! builtin_recipes {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../recipes/", $name, ".toml")))),*]
    };
}

/// The recipes that ship with Broadsheet, by name.
pub const BUILTIN: &[(&str, &str)] = builtin_recipes![
    "bbc_news",
    "farsnews_persian",
    "huffpost_news_category",
    "payam_asia",
    "presstv",
    "readability_html",
    "reuters21578",
    "rss",
    "ru_telegram_news",
];

/// A built-in recipe by name.
pub fn builtin(name: &str) -> Result<Recipe, RecipeError> {
    match BUILTIN.iter().find(|(n, _)| *n == name) {
        Some((_, text)) => Recipe::from_toml(text),
        None => Err(RecipeError::UnknownBuiltin(
            name.to_string(),
            BUILTIN
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(", "),
        )),
    }
}

#[cfg(test)]
mod tests {

    /// The bug: the recipe read UNPROC records and the preset (used without a recipe) did
    /// not, so the generic import lost 737 of them. The two must read alike.
    #[test]
    fn the_reuters_recipe_reads_as_the_preset_does() {
        let recipe = builtin("reuters21578").unwrap();
        assert_eq!(
            recipe.sgml,
            Some(crate::readers::sgml::reuters_preset()),
            "crates/ingest/recipes/reuters21578.toml and sgml::reuters_preset() differ"
        );
    }

    use super::*;
    use crate::date::format_date;

    fn rule(from: DateFrom, pattern: &str, calendar: Calendar) -> CompiledDateRule {
        CompiledDateRule::new(&DateRule {
            from,
            field: None,
            pattern: pattern.into(),
            calendar,
            year_base: None,
        })
        .unwrap()
    }

    fn check(r: &CompiledDateRule, input: &str, expected: Option<&str>) {
        let got = r.apply(input).map(|x| match x {
            Ok(d) => format!(
                "{}|{}",
                format_date(d.timestamp, d.precision),
                d.precision.as_str()
            ),
            Err(e) => format!("error: {e}"),
        });
        assert_eq!(got.as_deref(), expected, "{input}");
    }

    #[test]
    fn solar_hijri_ids_in_fars_links() {
        let long = rule(
            DateFrom::Url,
            r"/news/(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})\d{6}",
            Calendar::SolarHijri,
        );
        let short = rule(
            DateFrom::Url,
            r"/news/(?P<year>\d{2})(?P<month>\d{2})(?P<day>\d{2})\d{4}$",
            Calendar::SolarHijri,
        );
        check(
            &long,
            "https://www.farsnews.ir/news/13940312000123/slug",
            Some("2015-06-02|day"),
        );
        check(
            &short,
            "https://www.farsnews.ir/news/8707060255",
            Some("2008-09-27|day"),
        );
        check(
            &short,
            "https://www.farsnews.ir/news/13940312000123/slug",
            None,
        );
        check(
            &long,
            "https://www.farsnews.ir/news/13941399000123",
            Some("error: 1394/13/99 is not a Solar Hijri date"),
        );
    }

    #[test]
    fn builtin_url_and_filename_rules() {
        let rules = builtin_date_rules();
        let first = |s: &str, from: DateFrom| {
            rules
                .iter()
                .filter(|r| r.rule.from == from)
                .find_map(|r| r.apply(s))
                .map(|d| {
                    d.map(|d| {
                        format!(
                            "{}|{}",
                            format_date(d.timestamp, d.precision),
                            d.precision.as_str()
                        )
                    })
                })
        };
        assert_eq!(
            first("https://x.com/2015/08/11/story", DateFrom::Url),
            Some(Ok("2015-08-11|day".into()))
        );
        assert_eq!(
            first("https://x.com/news/2015-08-11-story.html", DateFrom::Url),
            Some(Ok("2015-08-11|day".into()))
        );
        assert_eq!(
            first("https://x.com/2015/08/story", DateFrom::Url),
            Some(Ok("2015-08|month".into()))
        );
        assert_eq!(
            first("https://x.com/entry/story_n_632d719e", DateFrom::Url),
            None
        );
        assert_eq!(first("https://x.com/id/20150811", DateFrom::Url), None);
        assert_eq!(
            first("report_2015-08-11.txt", DateFrom::Filename),
            Some(Ok("2015-08-11|day".into()))
        );
        assert_eq!(
            first("20150811-wire.txt", DateFrom::Filename),
            Some(Ok("2015-08-11|day".into()))
        );
        assert_eq!(first("199.txt", DateFrom::Filename), None);
        assert_eq!(first("12015081199.txt", DateFrom::Filename), None);
    }

    #[test]
    fn recipes_parse_and_refuse_bad_rules() {
        let r = Recipe::from_toml(
            "format = \"json\"\nsource = \"Fars\"\n[map]\nbody = \"paragraphs\"\n[[dates]]\nfrom = \"url\"\npattern = '(?P<year>\\d{4})'\n",
        )
        .unwrap();
        assert_eq!(r.format, Some(Format::Json));
        assert_eq!(r.map[&Field::Body], Selector::Name("paragraphs".into()));
        assert_eq!(Recipe::from_toml(&r.to_toml()).unwrap(), r);
        let e = Recipe::from_toml("[[dates]]\nfrom = \"url\"\npattern = '(\\d{4})'\n").unwrap_err();
        assert!(
            e.to_string().contains("date rule 1") && e.to_string().contains("`year`"),
            "{e}"
        );
        let e = Recipe::from_toml("colour = 1\n").unwrap_err();
        assert!(e.to_string().contains("colour"), "{e}");
    }

    #[test]
    fn recipe_language_names_are_normalised_and_nonsense_refused() {
        let r = Recipe::from_toml("language = \"English\"\n").unwrap();
        assert_eq!(r.language_code(), Ok(Some("en")));
        let r = Recipe::from_toml("language = \"fa-IR\"\n").unwrap();
        assert_eq!(r.language_code(), Ok(Some("fa")));
        assert_eq!(Recipe::default().language_code(), Ok(None));
        let e = Recipe::from_toml("language = \"Klingonese\"\n").unwrap_err();
        assert_eq!(e, RecipeError::Language("Klingonese".into()));
        assert!(e.to_string().contains("`Klingonese`"), "{e}");
    }

    #[test]
    fn every_builtin_recipe_parses() {
        for (name, _) in BUILTIN {
            let r = builtin(name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(r.name.as_deref(), Some(*name));
        }
        assert!(builtin("nope")
            .unwrap_err()
            .to_string()
            .contains("reuters21578"));
    }
}
