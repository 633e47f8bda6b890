//! A timeline's data made ready to draw: series without any dated article set aside (and named
//! in a note), the largest kept under the cap, values per period with their intervals, counts and
//! moving averages, and each series' coverage (its first and last period with articles and its
//! gaps of [`MIN_GAP`] or more periods without any).

use std::collections::BTreeSet;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::layout::clean;
use crate::palette::{self, Paint};
use crate::ticks::{day_number, format_number};
use crate::timeline::{Measure, Panels, PeriodUnit, Timeline, TimelinePoint};

/// A gap in coverage is at least this many periods without any article.
pub const MIN_GAP: i64 = 2;

/// A period's number (days, weeks from Monday 1970-01-05, months, quarters or years since year 0).
pub(crate) fn period_index(d: Date, unit: PeriodUnit) -> i64 {
    let months = d.year() as i64 * 12 + d.month() as i64 - 1;
    match unit {
        PeriodUnit::Day => day_number(d),
        PeriodUnit::Week => (day_number(d) - 4).div_euclid(7),
        PeriodUnit::Month => months,
        PeriodUnit::Quarter => months.div_euclid(3),
        PeriodUnit::Year => d.year() as i64,
    }
}

/// The first day of period `i`.
pub(crate) fn period_start(i: i64, unit: PeriodUnit) -> Option<Date> {
    let from_days = |n: i64| {
        let span = jiff::Span::new().try_days(n).ok()?;
        jiff::civil::date(1970, 1, 1).checked_add(span).ok()
    };
    let from_months = |m: i64| {
        let year = i16::try_from(m.div_euclid(12)).ok()?;
        Date::new(year, (m.rem_euclid(12) + 1) as i8, 1).ok()
    };
    match unit {
        PeriodUnit::Day => from_days(i),
        PeriodUnit::Week => from_days(i.checked_mul(7)? + 4),
        PeriodUnit::Month => from_months(i),
        PeriodUnit::Quarter => from_months(i.checked_mul(3)?),
        PeriodUnit::Year => from_months(i.checked_mul(12)?),
    }
}

fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|v| v.is_finite())
}

/// Whether the point's period had articles. In a series with denominators, a period had them
/// when its `total` is above 0 (0 or `None`: none); in a series without any denominator, when its
/// `count` (or, without one, its value) is above 0.
fn had_articles(p: &TimelinePoint, denominators: bool) -> bool {
    match (denominators, p.total, p.count) {
        (true, t, _) => t.is_some_and(|t| t > 0),
        (false, _, Some(c)) => c > 0,
        (false, _, None) => finite(p.value).is_some_and(|v| v > 0.0),
    }
}

/// When a series had articles.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Coverage {
    /// The first and last period with articles (`None` when none has any).
    pub first: Option<Date>,
    pub last: Option<Date>,
    /// Runs of at least [`MIN_GAP`] periods without any article between them: the first and
    /// last empty period of each run.
    pub gaps: Vec<(Date, Date)>,
}

/// The coverage of a series of `period` points: in a series with denominators, the periods
/// whose `total` is above 0 (0 or `None` meaning no articles); in one without any, those whose
/// count or value is. Points may come in any order; periods without a point have no articles.
pub fn coverage(points: &[TimelinePoint], period: PeriodUnit) -> Coverage {
    let denominators = points.iter().any(|p| p.total.is_some());
    let dates: BTreeSet<Date> = points
        .iter()
        .filter(|p| had_articles(p, denominators))
        .map(|p| p.start)
        .collect();
    let idx: BTreeSet<i64> = dates.iter().map(|d| period_index(*d, period)).collect();
    let idx: Vec<i64> = idx.into_iter().collect();
    let gaps = idx
        .windows(2)
        .filter(|w| w[1] - w[0] > MIN_GAP)
        .filter_map(|w| {
            Some((
                period_start(w[0] + 1, period)?,
                period_start(w[1] - 1, period)?,
            ))
        })
        .collect();
    Coverage {
        first: dates.first().copied(),
        last: dates.last().copied(),
        gaps,
    }
}

/// The moving average of `k` periods: at each slot, the mean of the values present among the
/// `k` periods ending with the slot's (`idx` are the slots' period numbers, ascending), where at
/// least half of them (rounded up) have a value.
pub(crate) fn moving_average(values: &[Option<f64>], idx: &[i64], k: u32) -> Vec<Option<f64>> {
    let k = k.max(1) as i64;
    let need = (k as usize).div_ceil(2);
    let mut out = Vec::with_capacity(values.len());
    let mut from = 0;
    for j in 0..values.len() {
        while idx[from] <= idx[j] - k {
            from += 1;
        }
        let present: Vec<f64> = values[from..=j].iter().filter_map(|v| *v).collect();
        out.push(
            (present.len() >= need && !present.is_empty())
                .then(|| present.iter().sum::<f64>() / present.len() as f64),
        );
    }
    out
}

/// A series ready to draw, one slot per date of the chart.
pub(crate) struct Prepared {
    pub name: String,
    pub colour: Paint,
    pub values: Vec<Option<f64>>,
    /// The point rests on a small denominator (drawn hollow).
    pub low: Vec<bool>,
    /// The interval around the value, low ≤ high.
    pub band: Vec<Option<(f64, f64)>>,
    /// (count, denominator) where known.
    pub n: Vec<(Option<u64>, Option<u64>)>,
    pub average: Option<Vec<Option<f64>>>,
    pub coverage: Coverage,
}

/// What a timeline draws.
pub(crate) struct Plan {
    pub dates: Vec<Date>,
    pub series: Vec<Prepared>,
    pub notes: Vec<String>,
    pub small: bool,
    pub any_low: bool,
    pub any_band: bool,
    /// Denominators are known: coverage is drawn.
    pub totals: bool,
}

/// Panels of one chart show at most this many series.
pub(crate) const SINGLE_MAX: usize = 8;
/// `Panels::Auto` draws small multiples above this many series.
pub(crate) const AUTO_SINGLE_MAX: usize = 3;

fn is_low(p: &TimelinePoint, min_total: Option<u64>) -> bool {
    p.low_total || matches!((p.total, min_total), (Some(t), Some(m)) if t < m)
}

fn display_name(name: &str) -> String {
    let n = clean(name);
    if n.is_empty() {
        "(unnamed)".to_string()
    } else {
        n
    }
}

/// A list of names for a note: all of them up to ten, else the first ten and how many more.
fn name_list(names: &[String]) -> String {
    if names.len() <= 10 {
        return names.join(", ");
    }
    format!(
        "{} and {} more",
        names[..10].join(", "),
        format_number((names.len() - 10) as f64, 0)
    )
}

pub(crate) fn plan(data: &Timeline) -> Plan {
    let mut notes = Vec::new();
    let covered: Vec<Coverage> = data
        .series
        .iter()
        .map(|s| coverage(&s.points, data.period))
        .collect();
    let (dated, undated): (Vec<usize>, Vec<usize>) =
        (0..data.series.len()).partition(|&i| covered[i].first.is_some());
    let small = match data.panels {
        Panels::Auto => dated.len() > AUTO_SINGLE_MAX,
        Panels::Single => false,
        Panels::SmallMultiples => true,
    };
    let cap = if small {
        data.max_series.clamp(1, 64)
    } else {
        data.max_series.clamp(1, SINGLE_MAX)
    };
    // Keep the largest series (by total of positive finite values), in their given order.
    let mut keep = dated.clone();
    if keep.len() > cap {
        let sum = |i: usize| -> f64 {
            let values = data.series[i].points.iter().filter_map(|p| finite(p.value));
            values.filter(|v| *v > 0.0).sum()
        };
        let mut ranked: Vec<(f64, usize)> = keep.iter().map(|&i| (sum(i), i)).collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        keep = ranked[..cap].iter().map(|r| r.1).collect();
        keep.sort_unstable();
        notes.push(format!(
            "Showing {} of {} series (the largest by total).",
            cap,
            format_number(dated.len() as f64, 0)
        ));
    }
    if !undated.is_empty() {
        let names: Vec<String> = undated
            .iter()
            .map(|&i| display_name(&data.series[i].name))
            .collect();
        notes.push(format!("No dated articles: {}.", name_list(&names)));
    }
    let dates: Vec<Date> = keep
        .iter()
        .flat_map(|&i| data.series[i].points.iter().map(|p| p.start))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let idx: Vec<i64> = dates
        .iter()
        .map(|d| period_index(*d, data.period))
        .collect();
    let series: Vec<Prepared> = keep
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            let colour = palette::series(if small { 0 } else { k });
            prepare(data, i, &dates, &idx, colour, covered[i].clone())
        })
        .collect();
    let mut not_shown = Vec::new();
    if data.undated > 0 {
        let noun = if data.undated == 1 {
            "article"
        } else {
            "articles"
        };
        not_shown.push(format!(
            "{} undated {noun}",
            format_number(data.undated as f64, 0)
        ));
    }
    if data.imprecise > 0 {
        not_shown.push(format!(
            "{} dated less precisely than a {}",
            format_number(data.imprecise as f64, 0),
            data.period.name()
        ));
    }
    if !not_shown.is_empty() {
        notes.push(format!("Not shown: {}.", not_shown.join("; ")));
    }
    if series.is_empty() || dates.is_empty() {
        notes.push("No data to show.".to_string());
    }
    let any = |f: &dyn Fn(&Prepared, usize) -> bool| {
        series
            .iter()
            .any(|s| (0..dates.len()).any(|j| s.values[j].is_some() && f(s, j)))
    };
    Plan {
        any_low: any(&|s, j| s.low[j]),
        any_band: any(&|s, j| s.band[j].is_some()),
        totals: keep
            .iter()
            .any(|&i| data.series[i].points.iter().any(|p| p.total.is_some())),
        dates,
        series,
        notes,
        small,
    }
}

fn prepare(
    data: &Timeline,
    i: usize,
    dates: &[Date],
    idx: &[i64],
    colour: Paint,
    coverage: Coverage,
) -> Prepared {
    let s = &data.series[i];
    let n = dates.len();
    let mut p = Prepared {
        name: display_name(&s.name),
        colour,
        values: vec![None; n],
        low: vec![false; n],
        band: vec![None; n],
        n: vec![(None, None); n],
        average: None,
        coverage,
    };
    let mut seen = vec![false; n];
    for pt in &s.points {
        let Ok(j) = dates.binary_search(&pt.start) else {
            continue;
        };
        if std::mem::replace(&mut seen[j], true) {
            continue;
        }
        p.values[j] = finite(pt.value);
        p.low[j] = is_low(pt, data.min_total);
        if let (Some(a), Some(b), Some(_)) = (finite(pt.low), finite(pt.high), p.values[j]) {
            p.band[j] = Some((a.min(b), a.max(b)));
        }
        let count = pt.count.or_else(|| match data.measure {
            Measure::Count => finite(pt.value)
                .filter(|v| *v >= 0.0)
                .map(|v| v.round() as u64),
            Measure::Share => None,
        });
        p.n[j] = (count, pt.total);
    }
    if let Some(k) = data.moving_average.filter(|k| *k > 1) {
        p.average = Some(moving_average(&p.values, idx, k));
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn periods_round_trip() {
        for (d, unit) in [
            (date(2021, 3, 1), PeriodUnit::Month),
            (date(2021, 4, 1), PeriodUnit::Quarter),
            (date(1969, 12, 29), PeriodUnit::Week),
            (date(2020, 2, 29), PeriodUnit::Day),
            (date(-44, 1, 1), PeriodUnit::Year),
        ] {
            assert_eq!(
                period_start(period_index(d, unit), unit),
                Some(d),
                "{d} {unit:?}"
            );
        }
        assert_eq!(
            period_index(date(2021, 12, 1), PeriodUnit::Month)
                - period_index(date(2021, 1, 1), PeriodUnit::Month),
            11
        );
        assert_eq!(period_start(i64::MAX, PeriodUnit::Quarter), None);
    }

    #[test]
    fn moving_average_of_three_periods() {
        let v = [
            Some(3.0),
            Some(6.0),
            None,
            Some(9.0),
            Some(12.0),
            None,
            None,
            None,
        ];
        let idx = [0, 1, 2, 3, 4, 5, 6, 10];
        let ma = moving_average(&v, &idx, 3);
        // Two of three periods are needed: the first slot has one value.
        assert_eq!(
            ma,
            vec![
                None,
                Some(4.5),
                Some(4.5),
                Some(7.5),
                Some(10.5),
                Some(10.5),
                None,
                None
            ]
        );
        assert_eq!(moving_average(&v, &idx, 1)[3], Some(9.0));
    }
}
