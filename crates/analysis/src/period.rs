//! Calendar periods for timelines: day, ISO week, month, quarter, year. An article is placed in
//! a period only when its date is at least as precise as the period; otherwise it is counted as
//! *imprecise* (a month-dated article in a daily timeline), as undated articles are counted as
//! *undated* — never put on a default day.

use broadsheet_model::Precision;
use jiff::civil::Date;

/// A timeline's granularity.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    ts_rs::TS,
)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

impl Period {
    /// The period as written: `day`, `week`, `month`, `quarter`, `year`.
    pub fn name(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Year => "year",
        }
    }
}

impl std::str::FromStr for Period {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "day" => Period::Day,
            "week" => Period::Week,
            "month" => Period::Month,
            "quarter" => Period::Quarter,
            "year" => Period::Year,
            _ => {
                return Err(format!(
                    "`{s}`: periods are day, week, month, quarter, year"
                ))
            }
        })
    }
}

/// The label of articles without a date.
pub const UNDATED: &str = "undated";
/// The label of articles dated less precisely than the period.
pub const IMPRECISE: &str = "imprecise";

/// A period as a sortable number (days since 1970 of its first day) and its label.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PeriodKey(pub i32);

/// Year, month (1–12) and day of a day number (days since 1970-01-01), proleptic Gregorian
/// (H. Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The day number of a civil date (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
fn date_of(ts: i64) -> Option<Date> {
    let t = jiff::Timestamp::from_second(ts).ok()?;
    Some(t.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())
}

fn days(d: Date) -> i32 {
    d.since(jiff::civil::date(1970, 1, 1))
        .map(|s| s.get_days())
        .unwrap_or(0)
}

/// The date of a day number, by [`civil_from_days`] (jiff's span arithmetic costs about a
/// microsecond a call, and a timeline labels every period of every series).
fn from_days(n: i32) -> Date {
    let (y, m, d) = civil_from_days(n as i64);
    Date::new(y as i16, m as i8, d as i8).unwrap_or(jiff::civil::date(1970, 1, 1))
}

impl Period {
    /// Whether a date of this precision can be placed in this period.
    pub fn accepts(self, p: Precision) -> bool {
        let need = match self {
            Period::Day | Period::Week => 2,
            Period::Month | Period::Quarter => 1,
            Period::Year => 0,
        };
        let have = match p {
            Precision::Second | Precision::Day => 2,
            Precision::Month => 1,
            Precision::Year => 0,
            Precision::Unknown => return false,
        };
        have >= need
    }

    /// The first day of the period containing `d`, by jiff: the reference the fast
    /// [`Period::start_day`] is tested against.
    #[cfg(test)]
    fn start(self, d: Date) -> Date {
        match self {
            Period::Day => d,
            Period::Week => {
                let back = d.weekday().to_monday_zero_offset() as i64;
                d.checked_sub(jiff::Span::new().days(back)).unwrap_or(d)
            }
            Period::Month => d.first_of_month(),
            Period::Quarter => {
                let m = ((d.month() - 1) / 3) * 3 + 1;
                Date::new(d.year(), m, 1).unwrap_or(d)
            }
            Period::Year => d.first_of_year(),
        }
    }

    /// The period of a timestamp with its precision, or `None` when the date is not precise
    /// enough (or absent).
    pub fn key(self, ts: Option<i64>, precision: Precision) -> Option<PeriodKey> {
        if !self.accepts(precision) {
            return None;
        }
        Some(PeriodKey(self.start_day(ts?.div_euclid(86_400))))
    }

    /// The first day (days since 1970-01-01) of the period containing day `d`: plain calendar
    /// arithmetic, as timelines place every article of the corpus on each run.
    fn start_day(self, d: i64) -> i32 {
        let d = d.clamp(-1_000_000_000, 1_000_000_000);
        let start = match self {
            Period::Day => d,
            // 1970-01-01 was a Thursday: (d + 3) mod 7 is the offset from Monday.
            Period::Week => d - (d + 3).rem_euclid(7),
            Period::Month => {
                let (y, m, _) = civil_from_days(d);
                days_from_civil(y, m, 1)
            }
            Period::Quarter => {
                let (y, m, _) = civil_from_days(d);
                days_from_civil(y, (m - 1) / 3 * 3 + 1, 1)
            }
            Period::Year => days_from_civil(civil_from_days(d).0, 1, 1),
        };
        start as i32
    }

    /// The period after `k`.
    pub fn next(self, k: &PeriodKey) -> PeriodKey {
        let d = from_days(k.0);
        let n = match self {
            Period::Day => d.checked_add(jiff::Span::new().days(1)),
            Period::Week => d.checked_add(jiff::Span::new().days(7)),
            Period::Month => d.checked_add(jiff::Span::new().months(1)),
            Period::Quarter => d.checked_add(jiff::Span::new().months(3)),
            Period::Year => d.checked_add(jiff::Span::new().years(1)),
        };
        PeriodKey(days(n.unwrap_or(d)))
    }

    /// Every period from `first` to `last`, inclusive.
    pub fn range(self, first: &PeriodKey, last: &PeriodKey) -> Vec<PeriodKey> {
        let mut out = Vec::new();
        let mut k = first.clone();
        while k <= *last {
            out.push(k.clone());
            let n = self.next(&k);
            if n <= k {
                break;
            }
            k = n;
        }
        out
    }

    /// `2015-06-03`, `2015-W23`, `2015-06`, `2015-Q2`, `2015`.
    pub fn label(self, k: &PeriodKey) -> String {
        let d = from_days(k.0);
        match self {
            Period::Day => format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
            Period::Week => {
                let w = d.iso_week_date();
                format!("{:04}-W{:02}", w.year(), w.week())
            }
            Period::Month => format!("{:04}-{:02}", d.year(), d.month()),
            Period::Quarter => format!("{:04}-Q{}", d.year(), (d.month() - 1) / 3 + 1),
            Period::Year => format!("{:04}", d.year()),
        }
    }

    /// The first day of the period, as `YYYY-MM-DD` (for charts' time axes).
    pub fn start_date(self, k: &PeriodKey) -> String {
        let d = from_days(k.0);
        format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
    }
}

/// Period keys of many articles: each day's period looked up in a table over the days from
/// the first to the last date given, instead of calendar arithmetic (divisions) per article.
/// At a million articles the arithmetic was 9% of a whole-process timeline.
pub struct PeriodKeys {
    period: Period,
    first_day: i64,
    starts: Vec<i32>,
}

impl PeriodKeys {
    /// Spans (last day − first day) below this many days get a table: 4 bytes a day, 1 MiB
    /// for about 718 years.
    const MAX_DAYS: i64 = 1 << 18;

    /// A table for the timestamps `stamps` (the absent ones skipped); a span of
    /// [`Self::MAX_DAYS`] or more gets no table, and every key is computed.
    pub fn new(period: Period, stamps: impl Iterator<Item = Option<i64>>) -> Self {
        let (lo, hi) = stamps
            .flatten()
            .map(|t| t.div_euclid(86_400))
            .fold((i64::MAX, i64::MIN), |(lo, hi), d| (lo.min(d), hi.max(d)));
        let starts = match hi.checked_sub(lo) {
            Some(span) if (0..Self::MAX_DAYS).contains(&span) => {
                (lo..=hi).map(|d| period.start_day(d)).collect()
            }
            _ => Vec::new(),
        };
        PeriodKeys {
            period,
            first_day: lo,
            starts,
        }
    }

    /// As [`Period::key`].
    pub fn key(&self, ts: Option<i64>, precision: Precision) -> Option<PeriodKey> {
        if !self.period.accepts(precision) {
            return None;
        }
        let d = ts?.div_euclid(86_400);
        let hit = d
            .checked_sub(self.first_day)
            .and_then(|i| usize::try_from(i).ok())
            .and_then(|i| self.starts.get(i));
        Some(PeriodKey(match hit {
            Some(&start) => start,
            None => self.period.start_day(d),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PERIODS: [Period; 5] = [
        Period::Day,
        Period::Week,
        Period::Month,
        Period::Quarter,
        Period::Year,
    ];

    fn ts(s: &str) -> i64 {
        broadsheet_model::parse_date(s).unwrap().timestamp
    }

    fn check(p: Period, date: &str, expected: &str) {
        let k = p.key(Some(ts(date)), Precision::Second).unwrap();
        assert_eq!(p.label(&k), expected, "{p:?} {date}");
    }

    #[test]
    fn labels() {
        check(Period::Day, "2015-06-03T23:59:59Z", "2015-06-03");
        check(Period::Week, "2015-06-03", "2015-W23");
        check(Period::Week, "2021-01-03", "2020-W53");
        check(Period::Month, "2015-06-30", "2015-06");
        check(Period::Quarter, "2015-06-30", "2015-Q2");
        check(Period::Quarter, "2015-07-01", "2015-Q3");
        check(Period::Year, "2015-12-31", "2015");
    }

    #[test]
    fn precision_gates_placement() {
        let t = Some(ts("2015-06-01"));
        assert!(Period::Day.key(t, Precision::Month).is_none());
        assert!(Period::Month.key(t, Precision::Month).is_some());
        assert!(Period::Quarter.key(t, Precision::Month).is_some());
        assert!(Period::Month.key(t, Precision::Year).is_none());
        assert!(Period::Year.key(t, Precision::Year).is_some());
        assert!(Period::Year.key(None, Precision::Unknown).is_none());
    }

    /// Regression: period keys are computed with plain arithmetic (jiff's time-zone conversion
    /// was most of a timeline's time at 100k articles); they must agree with jiff's calendar
    /// everywhere, before 1970 and across leap years and centuries included.
    #[test]
    fn fast_period_keys_agree_with_jiff() {
        // Every day from 1899 to 2101, at 00:00:00 and 23:59:59, and some seconds far away.
        let mut stamps: Vec<i64> = Vec::new();
        let mut t = ts("1899-01-01");
        let end = ts("2101-01-01");
        while t < end {
            stamps.push(t);
            stamps.push(t + 86_399);
            t += 86_400;
        }
        stamps.extend([-62_135_510_400, 253_383_811_200, 0, -1, 951_782_400]);
        for ts in stamps {
            let d = date_of(ts).unwrap();
            for p in PERIODS {
                assert_eq!(
                    p.key(Some(ts), Precision::Second).unwrap().0,
                    days(p.start(d)),
                    "{p:?} at {ts}"
                );
            }
        }
    }

    #[test]
    fn ranges_are_continuous() {
        let a = Period::Month
            .key(Some(ts("2015-11-20")), Precision::Day)
            .unwrap();
        let b = Period::Month
            .key(Some(ts("2016-02-02")), Precision::Day)
            .unwrap();
        let labels: Vec<String> = Period::Month
            .range(&a, &b)
            .iter()
            .map(|k| Period::Month.label(k))
            .collect();
        assert_eq!(labels, vec!["2015-11", "2015-12", "2016-01", "2016-02"]);
        let a = Period::Week
            .key(Some(ts("2015-12-28")), Precision::Day)
            .unwrap();
        let b = Period::Week
            .key(Some(ts("2016-01-11")), Precision::Day)
            .unwrap();
        assert_eq!(Period::Week.range(&a, &b).len(), 3);
    }

    /// The table of [`PeriodKeys`] must give [`Period::key`]'s answer for every date, those
    /// outside the span it was built for, absent ones and imprecise ones included.
    #[test]
    fn period_key_tables_agree_with_the_arithmetic() {
        let built_for = [
            Some(ts("1999-12-20")),
            None,
            Some(ts("2001-03-02T23:00:00Z")),
        ];
        let mut probes: Vec<Option<i64>> = vec![None, Some(i64::MIN), Some(i64::MAX), Some(-1)];
        let mut t = ts("1999-11-01");
        while t < ts("2001-05-01") {
            probes.extend([Some(t), Some(t + 86_399)]);
            t += 86_400;
        }
        let precisions = [
            Precision::Second,
            Precision::Day,
            Precision::Month,
            Precision::Year,
            Precision::Unknown,
        ];
        for p in PERIODS {
            let tables = [
                PeriodKeys::new(p, built_for.iter().copied()),
                PeriodKeys::new(p, std::iter::empty()),
                PeriodKeys::new(p, [Some(i64::MIN), Some(i64::MAX)].into_iter()),
            ];
            for table in &tables {
                for &probe in &probes {
                    for prec in precisions {
                        assert_eq!(
                            table.key(probe, prec),
                            p.key(probe, prec),
                            "{p:?} {probe:?} {prec:?}"
                        );
                    }
                }
            }
        }
    }
}
