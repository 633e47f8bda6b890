//! User-given numbers and dates checked before they reach SQLite or jiff, with messages in the
//! user's terms: limits and offsets clamped to what SQLite counts to, filter dates read, and
//! the end of a period computed without jiff's overflow at the end of its range.

use broadsheet_ingest::{parse_date, ParsedDate, Precision};

use crate::search::{Filters, SearchRequest};
use crate::StoreError;

/// A number of rows for SQL's `LIMIT` or `OFFSET`: SQLite counts in `i64`, so a larger one
/// (`--limit 18446744073709551615`) means "all" (or "past the end"), not a type error.
pub fn sql_count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The first second after the period `ts` starts at its precision (`2015` ends at
/// 2016-01-01T00:00Z). A period that ends past the last instant jiff counts (the year 9999)
/// ends one second after that instant, so it still holds every date Broadsheet can store.
pub fn period_end(ts: i64, precision: Precision) -> i64 {
    let Ok(t) = jiff::Timestamp::from_second(ts) else {
        return ts.saturating_add(1);
    };
    let d = t.to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
    let next = match precision {
        Precision::Year => d.first_of_year().checked_add(jiff::Span::new().years(1)),
        Precision::Month => d.first_of_month().checked_add(jiff::Span::new().months(1)),
        Precision::Day => d.checked_add(jiff::Span::new().days(1)),
        Precision::Second | Precision::Unknown => return ts.saturating_add(1),
    };
    next.ok()
        .and_then(|n| n.to_zoned_datetime(jiff::tz::TimeZone::UTC).ok())
        .map(|z| z.timestamp().as_second())
        .unwrap_or(jiff::Timestamp::MAX.as_second() + 1)
}

/// A filter date read as the user wrote it, its errors naming the option (`--from 2015-13`).
fn filter_date(option: &str, value: &str) -> Result<ParsedDate, StoreError> {
    parse_date(value).map_err(|e| StoreError::Invalid(format!("{option} {value}: {}", e.0)))
}

impl Filters {
    /// The date range as SQL bounds: articles dated at or after the first, before the second.
    /// Dates that cannot be read, or lie past the last one Broadsheet counts to, are errors
    /// naming the option. (A `--from` after the `--to` is an empty range, not an error.)
    pub fn date_bounds(&self) -> Result<(Option<i64>, Option<i64>), StoreError> {
        let from = self
            .from
            .as_deref()
            .map(|v| filter_date("--from", v))
            .transpose()?;
        let to = self
            .to
            .as_deref()
            .map(|v| filter_date("--to", v))
            .transpose()?;
        Ok((
            from.map(|d| d.timestamp),
            to.map(|d| period_end(d.timestamp, d.precision)),
        ))
    }

    /// Checks the filters' values (see [`Filters::date_bounds`]).
    pub fn validate(&self) -> Result<(), StoreError> {
        self.date_bounds().map(|_| ())
    }
}

impl SearchRequest {
    /// The request with its limit and offset within what SQLite counts to.
    pub fn clamped(&self) -> SearchRequest {
        let clamp = |n: usize| usize::try_from(sql_count(n)).unwrap_or(usize::MAX);
        SearchRequest {
            limit: clamp(self.limit),
            offset: clamp(self.offset),
            ..self.clone()
        }
    }
}
