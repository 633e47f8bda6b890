//! Publication dates: parsing the forms news collections use, into a UTC instant with the
//! precision the source gave (second, day, month or year) — never more, and never a guess.
//!
//! Accepted: ISO 8601 / RFC 3339 (`2015-12-02`, `2015-12-02T10:11:12+03:00`), RFC 2822 / 822
//! (`Wed, 02 Dec 2015 10:11:12 GMT`), `26-FEB-1987 15:01:01.79`, `December 2, 2015`,
//! `2 December 2015`, `Dec. 2, 2015 10:11 AM`, `2.12.2015`, `2015-12`, `December 2015`, `2015`,
//! Unix timestamps given as JSON numbers, and month names in English, Portuguese, Spanish,
//! French, German and Russian. A date with no time zone is taken as UTC. Slashed dates whose day
//! and month could be swapped (`03/04/2015`) are refused rather than guessed.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;
use serde_json::Value;

/// How much of a date the source actually stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Second,
    Day,
    Month,
    Year,
    Unknown,
}

impl Precision {
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Second => "second",
            Precision::Day => "day",
            Precision::Month => "month",
            Precision::Year => "year",
            Precision::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "second" => Precision::Second,
            "day" => Precision::Day,
            "month" => Precision::Month,
            "year" => Precision::Year,
            "unknown" => Precision::Unknown,
            _ => return None,
        })
    }
}

/// Where a date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DateOrigin {
    /// A date field of the record.
    Field,
    /// The article's URL path (`/2015/08/11/`).
    Url,
    /// The file name.
    Filename,
    /// The text itself (a dateline).
    Text,
    /// No date.
    None,
}

impl DateOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            DateOrigin::Field => "field",
            DateOrigin::Url => "url",
            DateOrigin::Filename => "filename",
            DateOrigin::Text => "text",
            DateOrigin::None => "none",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "field" => DateOrigin::Field,
            "url" => DateOrigin::Url,
            "filename" => DateOrigin::Filename,
            "text" => DateOrigin::Text,
            "none" => DateOrigin::None,
            _ => return None,
        })
    }
}

/// A parsed date: the UTC instant of its start (midnight for a day, the 1st for a month) and
/// its precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ParsedDate {
    /// Seconds since 1970-01-01T00:00:00Z.
    pub timestamp: i64,
    pub precision: Precision,
}

/// The last instant Broadsheet counts dates to (jiff's last, which leaves room for any UTC
/// offset). The first date is 0000-01-01: dates are read with four-digit years.
pub const LAST_DATE: &str = "9999-12-30 22:00 UTC";

/// Formats a stored date at its precision: `2015-12-02T10:11:12Z`, `2015-12-02`, `2015-12`, `2015`.
pub fn format_date(timestamp: i64, precision: Precision) -> String {
    let Ok(ts) = jiff::Timestamp::from_second(timestamp) else {
        return String::new();
    };
    let dt = ts.to_zoned_datetime(jiff::tz::TimeZone::UTC).datetime();
    match precision {
        Precision::Second => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            dt.year(),
            dt.month(),
            dt.day(),
            dt.hour(),
            dt.minute(),
            dt.second()
        ),
        Precision::Day => format!("{:04}-{:02}-{:02}", dt.year(), dt.month(), dt.day()),
        Precision::Month => format!("{:04}-{:02}", dt.year(), dt.month()),
        Precision::Year => format!("{:04}", dt.year()),
        Precision::Unknown => String::new(),
    }
}

/// Month number for a month name or abbreviation in the supported languages.
pub fn month_number(name: &str) -> Option<u8> {
    let n = name.trim_end_matches('.').to_lowercase();
    let n = n.as_str();
    const TABLE: &[(&str, u8)] = &[
        // English
        ("jan", 1),
        ("january", 1),
        ("feb", 2),
        ("february", 2),
        ("mar", 3),
        ("march", 3),
        ("apr", 4),
        ("april", 4),
        ("may", 5),
        ("jun", 6),
        ("june", 6),
        ("jul", 7),
        ("july", 7),
        ("aug", 8),
        ("august", 8),
        ("sep", 9),
        ("sept", 9),
        ("september", 9),
        ("oct", 10),
        ("october", 10),
        ("nov", 11),
        ("november", 11),
        ("dec", 12),
        ("december", 12),
        // Portuguese
        ("janeiro", 1),
        ("fev", 2),
        ("fevereiro", 2),
        ("março", 3),
        ("marco", 3),
        ("abr", 4),
        ("abril", 4),
        ("mai", 5),
        ("maio", 5),
        ("junho", 6),
        ("julho", 7),
        ("ago", 8),
        ("agosto", 8),
        ("set", 9),
        ("setembro", 9),
        ("out", 10),
        ("outubro", 10),
        ("novembro", 11),
        ("dez", 12),
        ("dezembro", 12),
        // Spanish
        ("ene", 1),
        ("enero", 1),
        ("febrero", 2),
        ("marzo", 3),
        ("mayo", 5),
        ("junio", 6),
        ("julio", 7),
        ("septiembre", 9),
        ("setiembre", 9),
        ("octubre", 10),
        ("noviembre", 11),
        ("dic", 12),
        ("diciembre", 12),
        // French
        ("janv", 1),
        ("janvier", 1),
        ("févr", 2),
        ("fevr", 2),
        ("février", 2),
        ("mars", 3),
        ("avr", 4),
        ("avril", 4),
        ("juin", 6),
        ("juil", 7),
        ("juillet", 7),
        ("août", 8),
        ("aout", 8),
        ("septembre", 9),
        ("octobre", 10),
        ("novembre", 11),
        ("déc", 12),
        ("décembre", 12),
        ("decembre", 12),
        // German
        ("januar", 1),
        ("februar", 2),
        ("mär", 3),
        ("mrz", 3),
        ("märz", 3),
        ("juni", 6),
        ("juli", 7),
        ("okt", 10),
        ("oktober", 10),
        ("dezember", 12),
        // Russian (genitive, as in dates, and nominative)
        ("января", 1),
        ("январь", 1),
        ("янв", 1),
        ("февраля", 2),
        ("февраль", 2),
        ("фев", 2),
        ("марта", 3),
        ("март", 3),
        ("мар", 3),
        ("апреля", 4),
        ("апрель", 4),
        ("апр", 4),
        ("мая", 5),
        ("май", 5),
        ("июня", 6),
        ("июнь", 6),
        ("июн", 6),
        ("июля", 7),
        ("июль", 7),
        ("июл", 7),
        ("августа", 8),
        ("август", 8),
        ("авг", 8),
        ("сентября", 9),
        ("сентябрь", 9),
        ("сен", 9),
        ("сент", 9),
        ("октября", 10),
        ("октябрь", 10),
        ("окт", 10),
        ("ноября", 11),
        ("ноябрь", 11),
        ("ноя", 11),
        ("декабря", 12),
        ("декабрь", 12),
        ("дек", 12),
    ];
    TABLE.iter().find(|(k, _)| *k == n).map(|(_, v)| *v)
}

/// Offset in seconds for a zone designator: `Z`, `UTC`, `GMT`, North American names, `+0300`.
fn zone_offset(z: &str) -> Option<i32> {
    let up = z.to_ascii_uppercase();
    if let Some(standard) = up.strip_suffix("DST").map(str::trim_end) {
        if standard.len() < up.len() - 3 {
            return zone_offset(standard).map(|o| o + 3600);
        }
    }
    let named = match up.as_str() {
        "" | "Z" | "UT" | "UTC" | "GMT" => Some(0),
        "EST" => Some(-5),
        "EDT" => Some(-4),
        "CST" => Some(-6),
        "CDT" => Some(-5),
        "MST" => Some(-7),
        "MDT" => Some(-6),
        "PST" => Some(-8),
        "PDT" => Some(-7),
        "MSK" => Some(3),
        "CET" => Some(1),
        "CEST" => Some(2),
        "BST" => Some(1),
        "WET" => Some(0),
        "WEST" | "MET" | "MEZ" => Some(1),
        "MEST" | "MESZ" | "EET" => Some(2),
        "EEST" => Some(3),
        "JST" => Some(9),
        "HST" => Some(-10),
        _ => None,
    };
    if let Some(h) = named {
        return Some(h * 3600);
    }
    let sign = match up.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = up[1..].chars().filter(|c| *c != ':').collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (h, m) = match digits.len() {
        2 => (digits.parse::<i32>().ok()?, 0),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    if h > 14 || m > 59 {
        return None;
    }
    Some(sign * (h * 3600 + m * 60))
}

/// A zone: `Z`, a name (with ` DST` for summer time, as old Usenet posts write `MET DST`) or
/// an offset.
const ZONE: &str = r"((?:Z|z|UTC|UT|GMT|[ECMP][SD]T|MSK|CEST|CET|BST|MEST|MESZ|MET|MEZ|EEST|EET|WEST|WET|JST|HST|[+-]\d{2}(?::?\d{2})?)(?:\s+DST)?)";
const TIME: &str = r"(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?";

static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(\d{{4}})-(\d{{1,2}})-(\d{{1,2}})(?:[T ]{TIME})?\s*{ZONE}?$"
    ))
    .expect("valid regex")
});
static YMD_OTHER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(\d{{4}})[/.](\d{{1,2}})[/.](\d{{1,2}})(?:[T ]{TIME})?\s*{ZONE}?$"
    ))
    .expect("valid regex")
});
/// `20220106`, and with a time as GDELT writes it: `20220106T120000Z`, `20220106120000`.
static COMPACT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(\d{{4}})(\d{{2}})(\d{{2}})(?:T?(\d{{2}})(\d{{2}})(\d{{2}}))?\s*{ZONE}?$"
    ))
    .expect("valid regex")
});
static YEAR_MONTH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{4})-(\d{1,2})$").expect("valid regex"));
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\d{4})$").expect("valid regex"));
/// `Wed, 02 Dec 2015 10:11:12 GMT`, `26-FEB-1987 15:01:01.79`, `2 December 2015`.
static DAY_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:[^\W\d_]+\.?,?\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\.?[\s\-]+(?:de\s+)?([^\W\d_]+)\.?,?[\s\-]+(?:de\s+)?(\d{{2,4}})(?:\s*г\.)?(?:,?\s+(?:à\s+|um\s+|в\s+)?{TIME}\s*([AaPp][Mm])?)?\s*{ZONE}?$"
    ))
    .expect("valid regex")
});
/// `December 2, 2015`, `Dec. 2, 2015, 10:11 AM EST`.
static MONTH_DAY_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:[^\W\d_]+,?\s+)?([^\W\d_]+)\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?:,?\s+(?:at\s+)?{TIME}\s*([AaPp]\.?[Mm]\.?)?)?\s*{ZONE}?$"
    ))
    .expect("valid regex")
});
/// C's `asctime` (mbox envelopes, some Usenet posts): `Mon Apr  5 13:22:05 1993`, with a zone
/// before the year in some (`Mon Apr 5 13:22:05 GMT 1993`).
static ASCTIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?:[^\W\d_]+,?\s+)?([^\W\d_]+)\s+(\d{{1,2}})\s+{TIME}(?:\s+{ZONE})?\s+(\d{{4}})$"
    ))
    .expect("valid regex")
});
static MONTH_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([^\W\d_]+)\.?,?\s+(\d{4})$").expect("valid regex"));
/// `2.12.2015` (day first, as dotted dates always are) and unambiguous slashed dates.
static DMY_NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(\d{{1,2}})([./])(\d{{1,2}})[./](\d{{4}})(?:,?\s+{TIME})?\s*{ZONE}?$"
    ))
    .expect("valid regex")
});

/// Why a date could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError(pub String);

struct Parts {
    y: i32,
    mo: u8,
    d: u8,
    time: Option<(u8, u8, u8)>,
    offset: i32,
    precision: Precision,
}

fn build(p: Parts) -> Result<ParsedDate, DateError> {
    let date = jiff::civil::Date::new(p.y as i16, p.mo as i8, p.d as i8).map_err(|_| {
        DateError(format!(
            "{:04}-{:02}-{:02} is not a calendar date",
            p.y, p.mo, p.d
        ))
    })?;
    let (h, mi, s) = p.time.unwrap_or((0, 0, 0));
    if h > 23 || mi > 59 || s > 60 {
        return Err(DateError(format!(
            "{h:02}:{mi:02}:{s:02} is not a time of day"
        )));
    }
    let dt = date.at(h as i8, mi as i8, s.min(59) as i8, 0);
    // jiff counts instants up to 9999-12-30T22:00Z (leaving room for any UTC offset): a later
    // one, even after its offset is applied, is refused in the user's terms, not jiff's.
    let past_the_end = || {
        let time = p
            .time
            .map(|_| format!(" {h:02}:{mi:02}:{s:02}"))
            .unwrap_or_default();
        DateError(format!(
            "{:04}-{:02}-{:02}{time} is past the last date Broadsheet can count to ({LAST_DATE})",
            p.y, p.mo, p.d
        ))
    };
    let ts = dt
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .map_err(|_| past_the_end())?
        .timestamp()
        .as_second()
        - p.offset as i64;
    if jiff::Timestamp::from_second(ts).is_err() {
        return Err(past_the_end());
    }
    Ok(ParsedDate {
        timestamp: ts,
        precision: p.precision,
    })
}

fn num<T: std::str::FromStr>(c: &regex::Captures, i: usize) -> Option<T> {
    c.get(i).and_then(|m| m.as_str().parse().ok())
}

fn time_of(
    c: &regex::Captures,
    h: usize,
    ampm: Option<usize>,
) -> Result<Option<(u8, u8, u8)>, DateError> {
    let Some(hour) = num::<u8>(c, h) else {
        return Ok(None);
    };
    let minute = num::<u8>(c, h + 1).unwrap_or(0);
    let second = num::<u8>(c, h + 2).unwrap_or(0);
    let mut hour = hour;
    if let Some(a) = ampm.and_then(|i| c.get(i)) {
        let pm = a.as_str().to_ascii_lowercase().starts_with('p');
        if hour == 0 || hour > 12 {
            return Err(DateError(format!(
                "{hour} is not an hour on a 12-hour clock"
            )));
        }
        hour = match (hour, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
    }
    Ok(Some((hour, minute, second)))
}

fn offset_of(c: &regex::Captures, i: usize) -> Result<i32, DateError> {
    match c.get(i) {
        None => Ok(0),
        Some(z) => zone_offset(z.as_str())
            .ok_or_else(|| DateError(format!("unknown time zone `{}`", z.as_str()))),
    }
}

/// Two-digit years 00-49 are 2000-2049, 50-99 are 1950-1999; three-digit years count from 1900
/// (RFC 5322, 4.3: software that wrote `year - 1900`).
fn two_digit_year(y: i32, len: usize) -> i32 {
    if len == 3 {
        1900 + y
    } else if len == 2 {
        if y < 50 {
            2000 + y
        } else {
            1900 + y
        }
    } else {
        y
    }
}

/// Parses a date written as text.
pub fn parse_date(input: &str) -> Result<ParsedDate, DateError> {
    let s = strip_comment(input.trim());
    if s.is_empty() {
        return Err(DateError("the date is empty".into()));
    }
    let time_precision = |t: &Option<(u8, u8, u8)>| {
        if t.is_some() {
            Precision::Second
        } else {
            Precision::Day
        }
    };
    if let Some(c) = ISO.captures(s).or_else(|| YMD_OTHER.captures(s)) {
        let time = time_of(&c, 4, None)?;
        return build(Parts {
            y: num(&c, 1).unwrap_or(0),
            mo: num(&c, 2).unwrap_or(0),
            d: num(&c, 3).unwrap_or(0),
            precision: time_precision(&time),
            time,
            offset: offset_of(&c, 7)?,
        });
    }
    if let Some(c) = COMPACT.captures(s) {
        let time = time_of(&c, 4, None)?;
        return build(Parts {
            y: num(&c, 1).unwrap_or(0),
            mo: num(&c, 2).unwrap_or(0),
            d: num(&c, 3).unwrap_or(0),
            precision: time_precision(&time),
            time,
            offset: offset_of(&c, 7)?,
        });
    }
    if let Some(c) = YEAR_MONTH.captures(s) {
        return build(Parts {
            y: num(&c, 1).unwrap_or(0),
            mo: num(&c, 2).unwrap_or(0),
            d: 1,
            time: None,
            offset: 0,
            precision: Precision::Month,
        });
    }
    if let Some(c) = YEAR.captures(s) {
        return build(Parts {
            y: num(&c, 1).unwrap_or(0),
            mo: 1,
            d: 1,
            time: None,
            offset: 0,
            precision: Precision::Year,
        });
    }
    if let Some(c) = DAY_MONTH_YEAR.captures(s) {
        let month = c.get(2).map(|m| m.as_str()).unwrap_or("");
        if let Some(mo) = month_number(month) {
            let ylen = c.get(3).map(|m| m.as_str().len()).unwrap_or(4);
            let time = time_of(&c, 4, Some(7))?;
            return build(Parts {
                y: two_digit_year(num(&c, 3).unwrap_or(0), ylen),
                mo,
                d: num(&c, 1).unwrap_or(0),
                precision: time_precision(&time),
                time,
                offset: offset_of(&c, 8)?,
            });
        }
        return Err(DateError(format!("`{month}` is not a month name")));
    }
    if let Some(c) = MONTH_DAY_YEAR.captures(s) {
        let month = c.get(1).map(|m| m.as_str()).unwrap_or("");
        if let Some(mo) = month_number(month) {
            let time = time_of(&c, 4, Some(7))?;
            return build(Parts {
                y: num(&c, 3).unwrap_or(0),
                mo,
                d: num(&c, 2).unwrap_or(0),
                precision: time_precision(&time),
                time,
                offset: offset_of(&c, 8)?,
            });
        }
        return Err(DateError(format!("`{month}` is not a month name")));
    }
    if let Some(c) = ASCTIME.captures(s) {
        let month = c.get(1).map(|m| m.as_str()).unwrap_or("");
        if let Some(mo) = month_number(month) {
            return build(Parts {
                y: num(&c, 7).unwrap_or(0),
                mo,
                d: num(&c, 2).unwrap_or(0),
                time: time_of(&c, 3, None)?,
                offset: offset_of(&c, 6)?,
                precision: Precision::Second,
            });
        }
    }
    if let Some(c) = MONTH_YEAR.captures(s) {
        let month = c.get(1).map(|m| m.as_str()).unwrap_or("");
        if let Some(mo) = month_number(month) {
            return build(Parts {
                y: num(&c, 2).unwrap_or(0),
                mo,
                d: 1,
                time: None,
                offset: 0,
                precision: Precision::Month,
            });
        }
    }
    if let Some(c) = DMY_NUMERIC.captures(s) {
        let a: u8 = num(&c, 1).unwrap_or(0);
        let b: u8 = num(&c, 3).unwrap_or(0);
        let sep = c.get(2).map(|m| m.as_str()).unwrap_or(".");
        let (d, mo) = if sep == "." || (a > 12 && b <= 12) || a == b {
            (a, b)
        } else if b > 12 && a <= 12 {
            (b, a)
        } else {
            return Err(DateError(format!(
                "`{s}` could be day/month or month/day; give the date in ISO form (YYYY-MM-DD) or a recipe with the order"
            )));
        };
        let time = time_of(&c, 5, None)?;
        return build(Parts {
            y: num(&c, 4).unwrap_or(0),
            mo,
            d,
            precision: time_precision(&time),
            time,
            offset: offset_of(&c, 8)?,
        });
    }
    Err(DateError(format!(
        "`{}` is not a date form Broadsheet reads",
        truncate(s, 60)
    )))
}

/// A date without a trailing comment in parentheses (`+0000 (GMT)`, as mail headers write).
fn strip_comment(s: &str) -> &str {
    match s.strip_suffix(')').and_then(|r| r.rsplit_once('(')) {
        Some((before, _)) if !before.trim().is_empty() => before.trim_end(),
        _ => s,
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n).collect::<String>() + "…"
    }
}

/// Parses a date field's JSON value: a string, or a number taken as a Unix time in seconds
/// (or milliseconds, when too large for seconds), or a bare year.
pub fn parse_date_value(v: &Value) -> Result<Option<ParsedDate>, DateError> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => parse_date(s).map(Some),
        Value::Number(n) => {
            let Some(i) = n.as_i64() else {
                return Err(DateError(format!("{n} is not a whole-number timestamp")));
            };
            match i {
                1000..=2999 => parse_date(&i.to_string()).map(Some),
                100_000_000..=99_999_999_999 => Ok(Some(ParsedDate {
                    timestamp: i,
                    precision: Precision::Second,
                })),
                100_000_000_000..=99_999_999_999_999 => Ok(Some(ParsedDate {
                    timestamp: i.div_euclid(1000),
                    precision: Precision::Second,
                })),
                _ => Err(DateError(format!("{i} is not a recognised timestamp"))),
            }
        }
        other => Err(DateError(format!("a {} is not a date", json_kind(other)))),
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false value",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        let d = parse_date(input).unwrap_or_else(|e| panic!("{input:?}: {}", e.0));
        assert_eq!(
            format!(
                "{}|{}",
                format_date(d.timestamp, d.precision),
                d.precision.as_str()
            ),
            expected,
            "{input:?}"
        );
    }

    fn check_err(input: &str, fragment: &str) {
        let e = parse_date(input).expect_err(input);
        assert!(e.0.contains(fragment), "{input:?}: {:?}", e.0);
    }

    #[test]
    fn iso_forms() {
        check("2022-09-23", "2022-09-23|day");
        check("2024-11-22T18:12:19+00:00", "2024-11-22T18:12:19Z|second");
        check("2024-11-22T18:12:19+03:00", "2024-11-22T15:12:19Z|second");
        check("2024-11-22 18:12", "2024-11-22T18:12:00Z|second");
        check("2015-12-02T10:11:12.345Z", "2015-12-02T10:11:12Z|second");
        check("2015/08/11", "2015-08-11|day");
        check("20150811", "2015-08-11|day");
        check("2022-01-06T10:00:08+0000", "2022-01-06T10:00:08Z|second");
        check("2015-08", "2015-08|month");
        check("2015", "2015|year");
    }

    #[test]
    fn gdelt_compact_date_times() {
        check("20220106T120000Z", "2022-01-06T12:00:00Z|second");
        check("20220106120000", "2022-01-06T12:00:00Z|second");
        check("20220106T120000+0600", "2022-01-06T06:00:00Z|second");
        // Ten digits are no compact date (a Unix time written as text is not guessed at).
        assert!(parse_date("1641470400").is_err());
    }

    #[test]
    fn rfc2822_forms() {
        check(
            "Wed, 02 Dec 2015 10:11:12 GMT",
            "2015-12-02T10:11:12Z|second",
        );
        check(
            "Wed, 02 Dec 2015 10:11:12 +0300",
            "2015-12-02T07:11:12Z|second",
        );
        check("2 Dec 15 10:11 EST", "2015-12-02T15:11:00Z|second");
        check(
            "Seg, 24 Set 2018 18:30:00 -0300",
            "2018-09-24T21:30:00Z|second",
        );
    }

    /// Dates of e-mail and Usenet headers, obsolete forms of RFC 822 and RFC 850 included.
    #[test]
    fn mail_and_usenet_forms() {
        check("Mon, 5 Apr 93 13:22:05 GMT", "1993-04-05T13:22:05Z|second");
        check("5 Apr 93 13:22:05 GMT", "1993-04-05T13:22:05Z|second");
        check(
            "Monday, 5-Apr-93 13:22:05 GMT",
            "1993-04-05T13:22:05Z|second",
        );
        check(
            "Mon,  5 Apr 1993 09:22:05 EDT",
            "1993-04-05T13:22:05Z|second",
        );
        check(
            "Tue, 6 Apr 1993 14:50:36 +0000 (GMT)",
            "1993-04-06T14:50:36Z|second",
        );
        check(
            "Tue, 06 Apr 1993 16:50:36 +0200 (MET DST)",
            "1993-04-06T14:50:36Z|second",
        );
        check(
            "Tue, 6 Apr 1993 15:50:36 MET",
            "1993-04-06T14:50:36Z|second",
        );
        check(
            "Tue, 6 Apr 1993 16:50:36 MET DST",
            "1993-04-06T14:50:36Z|second",
        );
        check("6 Apr 1993 16:50 EET", "1993-04-06T14:50:00Z|second");
        check("Mon Apr  5 13:22:05 1993", "1993-04-05T13:22:05Z|second");
        check("Mon Apr 5 13:22:05 GMT 1993", "1993-04-05T13:22:05Z|second");
        check("Fri, 1 Jan 100 00:00:00 GMT", "2000-01-01T00:00:00Z|second");
        check(
            "Wed, 19 Apr 2000 08:03:11 -0400",
            "2000-04-19T12:03:11Z|second",
        );
    }

    #[test]
    fn reuters_form() {
        check("26-FEB-1987 15:01:01.79", "1987-02-26T15:01:01Z|second");
        check(" 19-OCT-1987 15:37:46.03", "1987-10-19T15:37:46Z|second");
    }

    #[test]
    fn written_forms() {
        check("December 2, 2015", "2015-12-02|day");
        check("Dec. 2, 2015, 10:11 AM", "2015-12-02T10:11:00Z|second");
        check("Dec 2, 2015 12:30 pm EST", "2015-12-02T17:30:00Z|second");
        check("Wednesday, December 2nd, 2015", "2015-12-02|day");
        check("2 December 2015", "2015-12-02|day");
        check("2 декабря 2015", "2015-12-02|day");
        check("2 декабря 2015 г.", "2015-12-02|day");
        check("24 de setembro de 2018", "2018-09-24|day");
        check("December 2015", "2015-12|month");
        check("2.12.2015", "2015-12-02|day");
        check("25/12/2015", "2015-12-25|day");
    }

    #[test]
    fn refusals() {
        check_err("", "empty");
        check_err("yesterday", "not a date form");
        check_err("2015-02-30", "not a calendar date");
        check_err("2015-13-01", "not a calendar date");
        check_err("03/04/2015", "could be day/month");
        check_err("2 Foo 2015", "not a month name");
        check_err("2015-01-01T25:00", "not a time of day");
        check_err("2015-01-01T10:00 XYZ", "not a date form");
    }

    #[test]
    fn json_values() {
        use serde_json::json;
        assert_eq!(
            parse_date_value(&json!(1_449_051_072))
                .unwrap()
                .unwrap()
                .timestamp,
            1_449_051_072
        );
        assert_eq!(
            parse_date_value(&json!(1_449_051_072_123i64))
                .unwrap()
                .unwrap()
                .timestamp,
            1_449_051_072
        );
        assert_eq!(
            parse_date_value(&json!(2015)).unwrap().unwrap().precision,
            Precision::Year
        );
        assert_eq!(parse_date_value(&json!(null)).unwrap(), None);
        assert_eq!(parse_date_value(&json!("")).unwrap(), None);
        assert!(parse_date_value(&json!([1])).is_err());
        assert!(parse_date_value(&json!(42)).is_err());
    }

    /// Issue 19, item 12: `9999-12-31` gave jiff's "converting datetime with time zone offset
    /// `+00` to timestamp overflowed: parameter 'Unix timestamp seconds' is not in the required
    /// range", as an import diagnostic and as a `--to` error. Past the last instant jiff counts
    /// (one an offset may push a date past, too), the error is in the user's terms; every date
    /// before it reads and formats back.
    #[test]
    fn dates_past_the_last_instant_are_refused_in_plain_words() {
        let past = "is past the last date Broadsheet can count to (9999-12-30 22:00 UTC)";
        for (input, shown) in [
            ("9999-12-31", "9999-12-31"),
            ("31 December 9999", "9999-12-31"),
            ("9999-12-30T22:00:01Z", "9999-12-30 22:00:01"),
            ("9999-12-30T21:00:00-05:00", "9999-12-30 21:00:00"),
        ] {
            let e = parse_date(input).expect_err(input);
            assert_eq!(e.0, format!("{shown} {past}"), "{input}");
        }
        check("9999-12-30", "9999-12-30|day");
        check("9999-12-30T22:00:00Z", "9999-12-30T22:00:00Z|second");
        check("9999-12", "9999-12|month");
        check("9999", "9999|year");
        check("0000-01-01", "0000-01-01|day");
        check("0001-01-01T00:00:00+05:00", "0000-12-31T19:00:00Z|second");
    }
}
