//! The normalizer: a raw record becomes an [`Article`] ready to store — text cleaned, source
//! resolved, date parsed with its precision and origin, language detected, identity and
//! content hashes computed, and the search form of title and body prepared.

use std::collections::BTreeMap;

use serde_json::Value;

use broadsheet_text::{
    clean_body, clean_line, detect_language, is_undetermined_tag, language_code, search_text,
};

use std::sync::LazyLock;

use regex::Regex;

pub use broadsheet_model::article::{Article, LanguageOrigin};

use crate::date::{parse_date, parse_date_value, DateOrigin, ParsedDate};
use crate::html::{html_to_text, looks_like_html};
use crate::recipe::{builtin_date_rules, CompiledDateRule, DateFrom};
use crate::record::{Diagnostic, Locator, RawRecord, Severity};

/// Import-wide settings the normalizer needs.
#[derive(Debug, Clone)]
pub struct NormalizeOptions {
    /// `--source`: one source for every record, overriding the records' own.
    pub source: Option<String>,
    /// The language of records that do not name one; detection is skipped when set.
    pub language: Option<String>,
    /// A recipe's date rules, tried in order for records without a date field.
    pub date_rules: Vec<CompiledDateRule>,
    /// Broadsheet's own rules (URL path, file name, dateline), tried after the recipe's.
    pub infer_dates: bool,
    /// Remove Markdown emphasis and links from titles and texts.
    pub strip_markdown: bool,
    /// Keep the original of every field whose HTML was reduced to text, in `extra` as
    /// `<field>_html` (off by default: the stored text is the reduced one).
    pub keep_html: bool,
}

impl Default for NormalizeOptions {
    fn default() -> Self {
        NormalizeOptions {
            source: None,
            language: None,
            date_rules: Vec::new(),
            infer_dates: true,
            strip_markdown: false,
            keep_html: false,
        }
    }
}

static BUILTIN_RULES: LazyLock<Vec<CompiledDateRule>> = LazyLock::new(builtin_date_rules);

/// A dateline that opens a text with a full date: `BISHKEK, December 2, 2015 —`,
/// `MOSCOW, 2 Dec 2015 (Reuters) -`. The place must be capitalised and the date must have a
/// year; a day and month alone are never completed.
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*\p{Lu}[\p{L} .'’-]{1,40},\s+(?P<date>[^\n(—–:-]{6,40}?\d{4})\s*(?:\([^)\n]{1,30}\)\s*)?[-—–:]")
        .expect("valid regex")
});

/// The date a dateline at the start of `body` states, if any.
pub fn dateline_date(body: &str) -> Option<ParsedDate> {
    let head: String = body.chars().take(160).collect();
    let c = DATELINE.captures(&head)?;
    parse_date(c.name("date")?.as_str().trim_end_matches(',')).ok()
}

static MD_LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\[([^\]\n]{1,300})\]\((?:https?://|tg://|mailto:)[^)\s]{1,500}\)")
        .expect("valid regex")
});
static MD_EMPHASIS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\*\*|__|~~)(\S(?:[^\n]*?\S)?)(\*\*|__|~~)").expect("valid regex")
});

/// Removes Markdown emphasis (`**bold**`, `__italic__`, `~~struck~~`) and links (keeping their
/// text), as found in Telegram exports.
pub fn strip_markdown(s: &str) -> String {
    let s = MD_LINK.replace_all(s, "$1");
    MD_EMPHASIS
        .replace_all(&s, |c: &regex::Captures| {
            if c[1] == c[3] {
                c[2].to_string()
            } else {
                c[0].to_string()
            }
        })
        .into_owned()
}

/// The language an article gets: its code, the detector's confidence and where it came from.
type Language = (Option<String>, Option<f64>, Option<LanguageOrigin>);

/// Decides an article's language. A tag (the record's, else the options') is normalised to its
/// ISO 639 code; a record's tag that names no language is kept raw in `extra.language_raw` with
/// a warning, and the article treated as if it had no tag (the options' language, else the
/// text is detected). A text too short or too numeric
/// to tell stays without a language here (the import may give it its source's).
fn decide_language(
    tag: Option<String>,
    opts: &NormalizeOptions,
    title: &str,
    body: &str,
    at: &Locator,
    extra: &mut BTreeMap<String, Value>,
    notes: &mut Vec<Diagnostic>,
) -> Language {
    let own = tag.filter(|t| !is_undetermined_tag(t));
    if let Some(raw) = &own {
        let raw = raw.trim();
        if let Some(code) = language_code(raw) {
            if raw != code {
                extra.insert("language_raw".into(), Value::String(raw.to_string()));
            }
            return (Some(code.to_string()), None, Some(LanguageOrigin::Field));
        }
        extra.insert("language_raw".into(), Value::String(raw.to_string()));
        notes.push(Diagnostic::new(
            Severity::Warning,
            "language-tag",
            at.clone(),
            format!("language tag `{raw}` names no language Broadsheet knows; kept in extra.language_raw, and the language decided as for a record without a tag"),
        ));
    }
    if let Some(code) = opts.language.as_deref().and_then(language_code) {
        return (Some(code.to_string()), None, Some(LanguageOrigin::Field));
    }
    let sample = if body.len() >= 200 || title.is_empty() {
        body.to_string()
    } else {
        format!("{title}\n{body}")
    };
    match detect_language(&sample) {
        Ok(d) => (
            Some(d.code.to_string()),
            Some(d.confidence),
            Some(LanguageOrigin::Detected),
        ),
        Err(_) => (None, None, None),
    }
}

/// The host of a URL without `www.` and port, lower case: `https://www.farsnews.ir/news/1` →
/// `farsnews.ir`.
pub fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map(|(_, r)| r)?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?;
    let host = host.split(':').next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (!host.is_empty() && host.contains('.')).then_some(host)
}

/// A URL in the form used for identity: no scheme, lower-case host, no fragment, no trailing
/// slash. `http://WWW.x.com/a/#top` and `https://www.x.com/a` are the same article.
pub fn identity_url(url: &str) -> String {
    let u = url.trim();
    let u = u.split('#').next().unwrap_or(u);
    let (_, rest) = u.split_once("://").unwrap_or(("", u));
    let (host, path) = match rest.find(['/', '?']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let path = if path.len() > 1 {
        path.strip_suffix('/').unwrap_or(path)
    } else if path == "/" {
        ""
    } else {
        path
    };
    format!("{}{}", host.to_ascii_lowercase(), path)
}

/// The identity of an article: its source with its URL, or with its external id, or — when it
/// has neither — with its title, body and date. Two records with the same identity are the same
/// article, stored once.
pub fn identity(
    source: &str,
    url: Option<&str>,
    id: Option<&str>,
    title: &str,
    body: &str,
    date_key: &str,
) -> [u8; 16] {
    let mut h = blake3::Hasher::new();
    h.update(b"broadsheet-identity-v1\0");
    h.update(source.as_bytes());
    h.update(b"\0");
    if let Some(u) = url {
        h.update(b"url\0");
        h.update(identity_url(u).as_bytes());
    } else if let Some(i) = id {
        h.update(b"id\0");
        h.update(i.as_bytes());
    } else {
        h.update(b"content\0");
        h.update(title.as_bytes());
        h.update(b"\0");
        h.update(body.as_bytes());
        h.update(b"\0");
        h.update(date_key.as_bytes());
    }
    let mut out = [0u8; 16];
    out.copy_from_slice(&h.finalize().as_bytes()[..16]);
    out
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|x| x.trim().to_string()).filter(|x| !x.is_empty())
}

fn value_as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Normalizes one record. `default_source` is used when neither `--source`, the record, nor its
/// URL names one. Returns the article and any warnings, or an error diagnostic when the record
/// cannot be an article.
pub fn normalize(
    raw: RawRecord,
    at: &Locator,
    default_source: &str,
    opts: &NormalizeOptions,
) -> Result<(Article, Vec<Diagnostic>), Diagnostic> {
    let mut notes = Vec::new();
    let mut extra = raw.extra;
    let mut reduced: Vec<&str> = Vec::new();
    // Markdown and HTML in a field become plain text before it is cleaned.
    let mut plain = |name: &'static str, s: &str| -> String {
        let s = if opts.strip_markdown {
            strip_markdown(s)
        } else {
            s.to_string()
        };
        if !looks_like_html(&s) {
            return s;
        }
        reduced.push(name);
        if opts.keep_html {
            extra.insert(format!("{name}_html"), Value::String(s.clone()));
        }
        html_to_text(&s)
    };
    let title = raw
        .title
        .as_deref()
        .map(|t| clean_line(&plain("title", t)))
        .unwrap_or_default();
    let body = raw
        .body
        .as_deref()
        .map(|b| clean_body(&plain("body", b)))
        .unwrap_or_default();
    let byline = raw
        .author
        .as_deref()
        .map(|a| clean_line(&plain("author", a)))
        .filter(|s| !s.is_empty());
    let section = raw
        .section
        .as_deref()
        .map(|a| clean_line(&plain("section", a)))
        .filter(|s| !s.is_empty());
    if !reduced.is_empty() {
        notes.push(Diagnostic::new(
            Severity::Info,
            "html-text",
            at.clone(),
            format!("HTML markup reduced to text in: {}", reduced.join(", ")),
        ));
    }
    if title.is_empty() && body.is_empty() {
        return Err(Diagnostic::new(
            Severity::Error,
            "empty-record",
            at.clone(),
            "the record has neither a title nor a text; skipped",
        ));
    }
    let url = non_empty(raw.url);
    let external_id = non_empty(raw.id);
    let source = opts
        .source
        .clone()
        .or_else(|| {
            raw.source
                .as_deref()
                .map(clean_line)
                .filter(|s| !s.is_empty())
        })
        .or_else(|| url.as_deref().and_then(url_host))
        .unwrap_or_else(|| default_source.to_string());
    let date_raw = raw.date.as_ref().map(value_as_text);
    let date = match raw.date.as_ref().map(parse_date_value) {
        None | Some(Ok(None)) => None,
        Some(Ok(Some(d))) => Some(d),
        Some(Err(e)) => {
            notes.push(Diagnostic::new(
                Severity::Warning,
                "date-unparsed",
                at.clone(),
                format!("date not understood: {}; the article is stored undated with the raw value kept", e.0),
            ));
            if let Some(r) = &date_raw {
                extra.insert("date_raw".into(), Value::String(r.clone()));
            }
            None
        }
    };
    let mut date = date;
    let mut date_origin = if date.is_some() {
        DateOrigin::Field
    } else {
        DateOrigin::None
    };
    if date.is_none() {
        let file_name = at
            .file
            .rsplit(['/', '!'])
            .next()
            .unwrap_or(&at.file)
            .to_string();
        let subject = |r: &CompiledDateRule| -> Option<String> {
            match r.rule.from {
                DateFrom::Url => url.clone(),
                DateFrom::Filename => Some(file_name.clone()),
                DateFrom::Id => external_id.clone(),
                DateFrom::Text => Some(body.chars().take(300).collect()),
                DateFrom::Field => r
                    .rule
                    .field
                    .as_ref()
                    .and_then(|f| extra.get(f))
                    .map(value_as_text),
            }
        };
        let mut rule_errors = Vec::new();
        for r in &opts.date_rules {
            let Some(text) = subject(r) else { continue };
            match r.apply(&text) {
                Some(Ok(d)) => {
                    date = Some(d);
                    date_origin = r.origin();
                    break;
                }
                Some(Err(e)) => rule_errors.push(e),
                None => {}
            }
        }
        if date.is_none() && opts.infer_dates {
            for r in BUILTIN_RULES.iter() {
                if let Some(Ok(d)) = subject(r).and_then(|t| r.apply(&t)) {
                    date = Some(d);
                    date_origin = r.origin();
                    break;
                }
            }
            if date.is_none() {
                if let Some(d) = dateline_date(&body) {
                    date = Some(d);
                    date_origin = DateOrigin::Text;
                }
            }
        }
        if date.is_none() && !opts.date_rules.is_empty() && date_raw.is_none() {
            let why = if rule_errors.is_empty() {
                "no date rule of the recipe matched".to_string()
            } else {
                rule_errors.join("; ")
            };
            notes.push(Diagnostic::new(
                Severity::Warning,
                "undated",
                at.clone(),
                format!("{why}; the article is stored undated"),
            ));
        }
    }
    let (language, language_confidence, language_origin) = decide_language(
        raw.language,
        opts,
        &title,
        &body,
        at,
        &mut extra,
        &mut notes,
    );
    let date_key = match date {
        Some(d) => format!("{}:{}", d.timestamp, d.precision.as_str()),
        None => date_raw.clone().unwrap_or_default(),
    };
    let identity = identity(
        &source,
        url.as_deref(),
        external_id.as_deref(),
        &title,
        &body,
        &date_key,
    );
    let mut ch = blake3::Hasher::new();
    ch.update(title.as_bytes());
    ch.update(b"\n");
    ch.update(body.as_bytes());
    let content_hash = *ch.finalize().as_bytes();
    Ok((
        Article {
            search_title: search_text(&title),
            search_body: search_text(&body),
            source,
            url,
            external_id,
            byline,
            section,
            title,
            language,
            language_confidence,
            language_origin,
            date,
            date_origin,
            date_raw,
            body,
            content_hash,
            identity,
            extra,
        },
        notes,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Precision;
    use crate::record::RecordPos;
    use serde_json::json;

    fn at() -> Locator {
        Locator {
            file: "f.json".into(),
            pos: RecordPos::Index(3),
        }
    }

    #[test]
    fn hosts_and_identity_urls() {
        assert_eq!(
            url_host("https://www.farsnews.ir/news/1").as_deref(),
            Some("farsnews.ir")
        );
        assert_eq!(
            url_host("http://user@Example.COM:8080/x").as_deref(),
            Some("example.com")
        );
        assert_eq!(url_host("not a url"), None);
        assert_eq!(
            identity_url("http://WWW.x.com/a/#top"),
            identity_url("https://WWW.X.com/a")
        );
        assert_ne!(
            identity_url("https://x.com/a?id=1"),
            identity_url("https://x.com/a?id=2")
        );
    }

    #[test]
    fn source_fallbacks() {
        let raw = RawRecord {
            title: Some("T".into()),
            url: Some("https://www.huffpost.com/entry/x".into()),
            ..RawRecord::default()
        };
        let (a, _) = normalize(raw.clone(), &at(), "folder", &NormalizeOptions::default()).unwrap();
        assert_eq!(a.source, "huffpost.com");
        let (a, _) = normalize(
            raw.clone(),
            &at(),
            "folder",
            &NormalizeOptions {
                source: Some("HuffPost".into()),
                ..NormalizeOptions::default()
            },
        )
        .unwrap();
        assert_eq!(a.source, "HuffPost");
        let (a, _) = normalize(
            RawRecord { url: None, ..raw },
            &at(),
            "folder",
            &NormalizeOptions::default(),
        )
        .unwrap();
        assert_eq!(a.source, "folder");
    }

    #[test]
    fn unparsed_dates_are_kept_raw_with_a_warning() {
        let raw = RawRecord {
            title: Some("T".into()),
            date: Some(json!("sometime in spring")),
            ..RawRecord::default()
        };
        let (a, notes) = normalize(raw, &at(), "s", &NormalizeOptions::default()).unwrap();
        assert_eq!(a.date, None);
        assert_eq!(a.date_origin, DateOrigin::None);
        assert_eq!(a.extra["date_raw"], json!("sometime in spring"));
        assert_eq!(notes[0].code, "date-unparsed");
        assert_eq!(notes[0].locator, at());
    }

    #[test]
    fn dates_inferred_from_url_filename_and_dateline() {
        let opts = NormalizeOptions::default();
        let mk = |url: Option<&str>, body: &str| RawRecord {
            title: Some("T".into()),
            body: Some(body.into()),
            url: url.map(str::to_string),
            ..RawRecord::default()
        };
        let (a, _) = normalize(
            mk(Some("https://x.com/2015/08/11/story"), "b"),
            &at(),
            "s",
            &opts,
        )
        .unwrap();
        assert_eq!(
            (a.date_origin, a.precision()),
            (DateOrigin::Url, Precision::Day)
        );
        let file_at = Locator {
            file: "wires/2016-03-02-kabul.txt".into(),
            pos: RecordPos::File,
        };
        let (a, _) = normalize(mk(None, "b"), &file_at, "s", &opts).unwrap();
        assert_eq!(a.date_origin, DateOrigin::Filename);
        let (a, _) = normalize(
            mk(None, "BISHKEK, December 2, 2015 — Officials said."),
            &at(),
            "s",
            &opts,
        )
        .unwrap();
        assert_eq!(
            (a.date_origin, a.precision()),
            (DateOrigin::Text, Precision::Day)
        );
        // A dateline without a year is not completed; dates inside the prose are not taken.
        let (a, _) =
            normalize(mk(None, "TOKYO, March 3 - Shares rose."), &at(), "s", &opts).unwrap();
        assert_eq!(a.date_origin, DateOrigin::None);
        let (a, _) = normalize(
            mk(
                None,
                "Members of a force march in Bishkek on November 1, 2014, during a parade.",
            ),
            &at(),
            "s",
            &opts,
        )
        .unwrap();
        assert_eq!(a.date, None);
        // A date field wins over everything.
        let mut r = mk(Some("https://x.com/2015/08/11/story"), "b");
        r.date = Some(serde_json::json!("2016-01-01"));
        let (a, _) = normalize(r, &at(), "s", &opts).unwrap();
        assert_eq!(a.date_origin, DateOrigin::Field);
        // Inference can be switched off.
        let off = NormalizeOptions {
            infer_dates: false,
            ..NormalizeOptions::default()
        };
        let (a, _) = normalize(
            mk(Some("https://x.com/2015/08/11/story"), "b"),
            &at(),
            "s",
            &off,
        )
        .unwrap();
        assert_eq!(a.date, None);
    }

    #[test]
    fn recipe_rules_and_their_misses() {
        let recipe = crate::recipe::builtin("farsnews_persian").unwrap();
        let opts = NormalizeOptions {
            date_rules: recipe.compiled_dates().unwrap(),
            ..NormalizeOptions::default()
        };
        let mk = |url: &str| RawRecord {
            title: Some("T".into()),
            url: Some(url.into()),
            ..RawRecord::default()
        };
        let (a, notes) = normalize(
            mk("https://www.farsnews.ir/news/8707060255"),
            &at(),
            "s",
            &opts,
        )
        .unwrap();
        assert_eq!(
            crate::date::format_date(a.date.unwrap().timestamp, Precision::Day),
            "2008-09-27"
        );
        assert!(notes.is_empty());
        let (a, notes) =
            normalize(mk("https://www.farsnews.ir/news/vdcc"), &at(), "s", &opts).unwrap();
        assert_eq!(a.date, None);
        assert_eq!(notes[0].code, "undated");
    }

    #[test]
    fn markdown_is_stripped_on_request() {
        assert_eq!(
            strip_markdown("**Срочно**: [отмечать](https://t.me/x/1) __День__ 2**3 a*b"),
            "Срочно: отмечать День 2**3 a*b"
        );
    }

    #[test]
    fn empty_records_are_errors() {
        let raw = RawRecord {
            title: Some("  ".into()),
            body: Some("\n".into()),
            ..RawRecord::default()
        };
        let err = normalize(raw, &at(), "s", &NormalizeOptions::default()).unwrap_err();
        assert_eq!(err.code, "empty-record");
    }

    #[test]
    fn identity_rules() {
        let a = identity("S", Some("https://x.com/a"), Some("1"), "t", "b", "");
        assert_eq!(
            a,
            identity("S", Some("http://x.com/a/"), Some("2"), "t2", "b2", "d")
        );
        assert_ne!(
            a,
            identity("Other", Some("https://x.com/a"), None, "t", "b", "")
        );
        let c = identity("S", None, None, "t", "b", "d");
        assert_eq!(c, identity("S", None, None, "t", "b", "d"));
        assert_ne!(c, identity("S", None, None, "t", "b", "e"));
        assert_ne!(c, identity("S", None, Some("t"), "t", "b", "d"));
    }

    #[test]
    fn languages_from_field_or_detection() {
        let raw = RawRecord {
            title: Some("Т".into()),
            body: Some(
                "Министр обороны России заявил, что Москва перевооружает армию Киргизии. \
                 По его словам, ситуация в Афганистане ухудшается из-за появления там боевиков."
                    .into(),
            ),
            ..RawRecord::default()
        };
        let (a, _) = normalize(raw.clone(), &at(), "s", &NormalizeOptions::default()).unwrap();
        assert_eq!(a.language.as_deref(), Some("ru"));
        assert_eq!(a.language_origin, Some(LanguageOrigin::Detected));
        let (a, _) = normalize(
            RawRecord {
                language: Some("RU".into()),
                ..raw
            },
            &at(),
            "s",
            &NormalizeOptions::default(),
        )
        .unwrap();
        assert_eq!(a.language.as_deref(), Some("ru"));
        assert_eq!(a.language_origin, Some(LanguageOrigin::Field));
    }

    #[test]
    fn language_tags_and_options_are_normalised() {
        let raw = |tag: Option<&str>| {
            RawRecord {
            title: Some("Budget".into()),
            body: Some(
                "The government said on Tuesday that it would raise spending on roads and schools \
                 next year, after a long debate in parliament about the budget and the country's debt."
                    .into(),
            ),
            language: tag.map(str::to_string),
            ..RawRecord::default()
        }
        };
        let opts = NormalizeOptions::default();
        let (a, notes) = normalize(raw(Some("pl-PL")), &at(), "s", &opts).unwrap();
        assert_eq!(a.language.as_deref(), Some("pl"));
        assert_eq!(a.extra["language_raw"], json!("pl-PL"));
        assert!(notes.is_empty());
        // `und` says nothing: the text is detected, without a warning.
        let (a, notes) = normalize(raw(Some("und")), &at(), "s", &opts).unwrap();
        assert_eq!(
            (a.language.as_deref(), a.language_origin),
            (Some("en"), Some(LanguageOrigin::Detected))
        );
        assert!(notes.is_empty() && !a.extra.contains_key("language_raw"));
        // An import-wide language given as a name.
        let english = NormalizeOptions {
            language: Some("English".into()),
            ..NormalizeOptions::default()
        };
        let (a, _) = normalize(raw(None), &at(), "s", &english).unwrap();
        assert_eq!(
            (a.language.as_deref(), a.language_origin),
            (Some("en"), Some(LanguageOrigin::Field))
        );
        // A tag that names no language: kept raw, warned about, and treated as no tag.
        let (a, notes) = normalize(raw(Some("xx-YY")), &at(), "s", &english).unwrap();
        assert_eq!(a.extra["language_raw"], json!("xx-YY"));
        assert_eq!(notes[0].code, "language-tag");
        assert_eq!(a.language_origin, Some(LanguageOrigin::Field));
        let (a, _) = normalize(raw(Some("xx-YY")), &at(), "s", &opts).unwrap();
        assert_eq!(
            (a.language.as_deref(), a.language_origin),
            (Some("en"), Some(LanguageOrigin::Detected))
        );
    }

    #[test]
    fn too_little_text_leaves_the_language_to_the_import() {
        let raw = RawRecord {
            title: Some("Shr 30 cts vs 25 cts".into()),
            body: Some("Net 1.2 mln vs 1.1 mln".into()),
            ..RawRecord::default()
        };
        let (a, _) = normalize(raw, &at(), "s", &NormalizeOptions::default()).unwrap();
        assert_eq!((a.language, a.language_origin), (None, None));
    }
}
