//! Axis ticks: "nice" numeric steps (1, 2, 2.5, 5 × 10ⁿ) with fixed-decimal labels, and a date
//! tick chooser that takes the finest calendar step (days, weeks, months, quarters, years,
//! decades, centuries) whose labels fit, labelling the year once where it changes.

use jiff::civil::Date;

/// Numeric ticks from 0 (or the data minimum when negative) to a nice maximum.
#[derive(Debug, Clone, PartialEq)]
pub struct NumTicks {
    pub values: Vec<f64>,
    pub step: f64,
    /// The axis range: `lo` to `hi`, both multiples of `step`.
    pub lo: f64,
    pub hi: f64,
}

fn power_of_ten(exp: i32) -> f64 {
    let mut p = 1.0f64;
    if exp >= 0 {
        for _ in 0..exp {
            p *= 10.0;
        }
    } else {
        for _ in 0..(-exp) {
            p /= 10.0;
        }
    }
    p
}

/// Ticks covering [min, max] with at most `max_count` intervals (at least 1). The range always
/// includes 0. Non-finite inputs are treated as 0; an empty range becomes [0, 1].
pub fn nice_ticks(min: f64, max: f64, max_count: usize) -> NumTicks {
    let min = if min.is_finite() { min.min(0.0) } else { 0.0 };
    let mut max = if max.is_finite() { max.max(0.0) } else { 0.0 };
    if max - min <= 0.0 {
        max = min + 1.0;
    }
    let span = max - min;
    let max_count = max_count.clamp(1, 50) as f64;
    // The smallest power of ten at or above span / max_count, then the nicest step under it.
    let raw = span / max_count;
    let mut exp = 0i32;
    while power_of_ten(exp) < raw && exp < 300 {
        exp += 1;
    }
    while power_of_ten(exp - 1) >= raw && exp > -300 {
        exp -= 1;
    }
    let mut step = power_of_ten(exp);
    for m in [0.1, 0.2, 0.25, 0.5, 1.0] {
        let s = power_of_ten(exp) * m;
        if s >= raw {
            step = s;
            break;
        }
    }
    let lo = (min / step).floor() * step;
    let hi = (max / step).ceil() * step;
    let n = ((hi - lo) / step).round() as i64;
    let values = (0..=n).map(|i| lo + i as f64 * step).collect();
    NumTicks {
        values,
        step,
        lo,
        hi,
    }
}

/// How many decimals a tick step needs (0 for whole steps, 1 for 0.5, 2 for 0.25 …).
pub fn decimals_for(step: f64) -> usize {
    if !step.is_finite() || step <= 0.0 {
        return 0;
    }
    for d in 0..10 {
        let scaled = step * power_of_ten(d as i32);
        if (scaled - scaled.round()).abs() < 1e-6 * scaled.max(1.0) {
            return d;
        }
    }
    10
}

/// `v` with `decimals` decimals and thousands separated by commas ("12,500", "0.25", "−3").
/// Non-finite values are "–".
pub fn format_number(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return "–".to_string();
    }
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s.clone(), None),
    };
    let mut grouped = String::new();
    let digits: Vec<char> = int.chars().collect();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(*c);
    }
    let zero = s.chars().all(|c| c == '0' || c == '.');
    let mut out = String::new();
    if v < 0.0 && !zero {
        out.push('−');
    }
    out.push_str(&grouped);
    if let Some(f) = frac {
        out.push('.');
        out.push_str(&f);
    }
    out
}

/// A share (0 to 1) as a percentage with the decimals a percent step needs ("12.5%").
pub fn format_percent(share: f64, step_share: f64) -> String {
    let d = decimals_for(step_share * 100.0);
    format!("{}%", format_number(share * 100.0, d))
}

/// A compact count for value labels: "950", "12,345".
pub fn format_count(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 || v.abs() >= 100.0 {
        format_number(v, 0)
    } else if v.abs() >= 10.0 {
        format_number(v, 1)
    } else {
        format_number(v, 2)
    }
}

/// A calendar step between date ticks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateStep {
    Days(i32),
    /// Weeks starting on Mondays.
    Weeks(i32),
    Months(i32),
    Years(i32),
}

/// The steps tried, finest first.
pub const DATE_STEPS: [DateStep; 20] = [
    DateStep::Days(1),
    DateStep::Days(2),
    DateStep::Weeks(1),
    DateStep::Weeks(2),
    DateStep::Months(1),
    DateStep::Months(2),
    DateStep::Months(3),
    DateStep::Months(6),
    DateStep::Years(1),
    DateStep::Years(2),
    DateStep::Years(5),
    DateStep::Years(10),
    DateStep::Years(20),
    DateStep::Years(25),
    DateStep::Years(50),
    DateStep::Years(100),
    DateStep::Years(200),
    DateStep::Years(250),
    DateStep::Years(500),
    DateStep::Years(1000),
];

/// A date tick: its date, its label ("3 Mar", "Mar", "2020"), and the year to print under it
/// where the year changes (and at the first tick) for day, week and month steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateTick {
    pub date: Date,
    pub label: String,
    pub context: Option<String>,
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Days since 1970-01-01 (negative before).
pub fn day_number(d: Date) -> i64 {
    // Days-from-civil (Howard Hinnant's algorithm), exact for the proleptic Gregorian calendar.
    let y = d.year() as i64 - if d.month() <= 2 { 1 } else { 0 };
    let m = d.month() as i64;
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d.day() as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn first_of_month(year: i64, month: i64) -> Option<Date> {
    Date::new(i16::try_from(year).ok()?, month as i8, 1).ok()
}

/// Ticks of `step` between `start` and `end` (inclusive), at most `limit` of them (`None` when
/// there would be more).
pub fn date_ticks_with(start: Date, end: Date, step: DateStep, limit: usize) -> Option<Vec<Date>> {
    let (start, end) = if start <= end {
        (start, end)
    } else {
        (end, start)
    };
    let mut out = Vec::new();
    match step {
        DateStep::Days(n) | DateStep::Weeks(n) => {
            let period = match step {
                DateStep::Weeks(_) => 7 * n as i64,
                _ => n as i64,
            };
            let span = day_number(end) - day_number(start);
            if span / period > limit as i64 + 1 {
                return None;
            }
            // 1970-01-05 was a Monday; days align to multiples of n since 1970-01-01.
            let origin = if matches!(step, DateStep::Weeks(_)) {
                4
            } else {
                0
            };
            let s = day_number(start);
            let first = s + (origin - s).rem_euclid(period);
            let mut k = first;
            let e = day_number(end);
            while k <= e {
                let span = jiff::Span::new().try_days(k - s).ok()?;
                let d = start.checked_add(span).ok()?;
                out.push(d);
                if out.len() > limit {
                    return None;
                }
                k += period;
            }
        }
        DateStep::Months(n) => {
            let n = n as i64;
            let months = |d: Date| d.year() as i64 * 12 + d.month() as i64 - 1;
            let (ms, me) = (months(start), months(end));
            if (me - ms) / n > limit as i64 + 1 {
                return None;
            }
            let mut m = ms + (-ms).rem_euclid(n);
            if m == ms && start.day() != 1 {
                m += n;
            }
            while m <= me {
                let d = first_of_month(m.div_euclid(12), m.rem_euclid(12) + 1)?;
                if d >= start && d <= end {
                    out.push(d);
                    if out.len() > limit {
                        return None;
                    }
                }
                m += n;
            }
        }
        DateStep::Years(n) => {
            let n = n as i64;
            let (ys, ye) = (start.year() as i64, end.year() as i64);
            if (ye - ys) / n > limit as i64 + 1 {
                return None;
            }
            let mut y = ys + (-ys).rem_euclid(n);
            while y <= ye {
                if let Some(d) = first_of_month(y, 1) {
                    if d >= start && d <= end {
                        out.push(d);
                        if out.len() > limit {
                            return None;
                        }
                    }
                }
                y += n;
            }
        }
    }
    Some(out)
}

/// Labels for dates ticked at `step`.
pub fn label_dates(dates: &[Date], step: DateStep) -> Vec<DateTick> {
    let mut prev_year: Option<i16> = None;
    dates
        .iter()
        .map(|&d| {
            let month = MONTHS[(d.month() as usize).clamp(1, 12) - 1];
            let year_changed = prev_year != Some(d.year());
            prev_year = Some(d.year());
            let (label, context) = match step {
                DateStep::Days(_) | DateStep::Weeks(_) => (
                    format!("{} {}", d.day(), month),
                    year_changed.then(|| d.year().to_string()),
                ),
                DateStep::Months(_) => (
                    month.to_string(),
                    year_changed.then(|| d.year().to_string()),
                ),
                DateStep::Years(_) => (d.year().to_string(), None),
            };
            DateTick {
                date: d,
                label,
                context,
            }
        })
        .collect()
}

/// Chooses date ticks between `start` and `end`: the finest step whose labelled ticks `fit`
/// (the caller checks that labels do not overlap), among steps giving at least two ticks; else
/// the finest single tick that fits; else the coarsest step's ticks, thinned until they fit.
pub fn choose_date_ticks(
    start: Date,
    end: Date,
    steps: &[DateStep],
    fits: impl Fn(&[DateTick]) -> bool,
) -> (DateStep, Vec<DateTick>) {
    let mut single: Option<(DateStep, Vec<DateTick>)> = None;
    let mut last: Option<(DateStep, Vec<Date>)> = None;
    for &step in steps {
        let Some(dates) = date_ticks_with(start, end, step, 400) else {
            continue;
        };
        if dates.is_empty() {
            continue;
        }
        let ticks = label_dates(&dates, step);
        if fits(&ticks) {
            if dates.len() >= 2 {
                return (step, ticks);
            }
            if single.is_none() {
                single = Some((step, ticks));
            }
        }
        last = Some((step, dates));
    }
    if let Some(s) = single {
        return s;
    }
    let Some((step, mut dates)) = last else {
        return (DateStep::Days(1), Vec::new());
    };
    loop {
        let ticks = label_dates(&dates, step);
        if dates.len() <= 1 || fits(&ticks) {
            return (step, ticks);
        }
        dates = dates.into_iter().step_by(2).collect();
    }
}

/// [`choose_date_ticks`] over all steps with a simple limit on the number of ticks.
pub fn date_ticks(start: Date, end: Date, max_ticks: usize) -> (DateStep, Vec<DateTick>) {
    choose_date_ticks(start, end, &DATE_STEPS, |t| t.len() <= max_ticks)
}

/// The steps that suit data of a period: never finer than the period, and for quarters only
/// whole quarters (so that ticks fall on period starts).
pub fn steps_for(period: crate::PeriodUnit) -> Vec<DateStep> {
    use crate::PeriodUnit as P;
    DATE_STEPS
        .iter()
        .copied()
        .filter(|s| match (period, s) {
            (P::Day, _) => true,
            (P::Week, DateStep::Days(_)) => false,
            (P::Week, _) => true,
            (P::Month, DateStep::Days(_) | DateStep::Weeks(_)) => false,
            (P::Month, _) => true,
            (P::Quarter, DateStep::Months(n)) => n % 3 == 0,
            (P::Quarter, DateStep::Years(_)) => true,
            (P::Quarter, _) => false,
            (P::Year, DateStep::Years(_)) => true,
            (P::Year, _) => false,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn nice_ticks_basic() {
        let t = nice_ticks(0.0, 87.0, 6);
        assert_eq!(t.step, 20.0);
        assert_eq!(t.values, vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        let t = nice_ticks(0.0, 0.23, 5);
        assert_eq!(t.step, 0.05);
        assert_eq!(t.hi, 0.25);
        let t = nice_ticks(0.0, 1000.0, 4);
        assert_eq!(t.step, 250.0);
    }

    #[test]
    fn nice_ticks_degenerate() {
        for (lo, hi) in [
            (0.0, 0.0),
            (f64::NAN, f64::NAN),
            (5.0, 5.0),
            (0.0, f64::INFINITY),
        ] {
            let t = nice_ticks(lo, hi, 5);
            assert!(t.values.len() >= 2, "{lo} {hi}: {t:?}");
            assert!(t.values.iter().all(|v| v.is_finite()));
        }
        let t = nice_ticks(-3.0, 7.0, 5);
        assert!(t.lo <= -3.0 && t.hi >= 7.0);
        let t = nice_ticks(0.0, 1e-12, 5);
        assert!(t.values.len() >= 2 && t.values.len() <= 6);
    }

    #[test]
    fn number_formatting() {
        assert_eq!(format_number(12500.0, 0), "12,500");
        assert_eq!(format_number(1234567.891, 2), "1,234,567.89");
        assert_eq!(format_number(-3.0, 0), "−3");
        assert_eq!(format_number(-0.0001, 1), "0.0");
        assert_eq!(format_number(f64::NAN, 0), "–");
        assert_eq!(format_percent(0.125, 0.025), "12.5%");
        assert_eq!(format_percent(0.2, 0.05), "20%");
        assert_eq!(decimals_for(0.25), 2);
        assert_eq!(decimals_for(20.0), 0);
    }

    #[test]
    fn day_numbers() {
        assert_eq!(day_number(date(1970, 1, 1)), 0);
        assert_eq!(day_number(date(1970, 1, 5)), 4);
        assert_eq!(day_number(date(2000, 3, 1)), 11017);
        assert_eq!(day_number(date(1969, 12, 31)), -1);
    }

    #[test]
    fn days_for_a_fortnight() {
        let (step, t) = date_ticks(date(2020, 3, 1), date(2020, 3, 14), 14);
        assert_eq!(step, DateStep::Days(1));
        assert_eq!(t.len(), 14);
        assert_eq!(t[0].label, "1 Mar");
        assert_eq!(t[0].context.as_deref(), Some("2020"));
        assert_eq!(t[1].context, None);
    }

    #[test]
    fn weeks_start_on_mondays() {
        let (step, t) = date_ticks(date(2020, 3, 1), date(2020, 5, 31), 14);
        assert_eq!(step, DateStep::Weeks(1));
        for tick in &t {
            assert_eq!(tick.date.weekday(), jiff::civil::Weekday::Monday);
        }
        assert_eq!(t[0].date, date(2020, 3, 2));
    }

    #[test]
    fn months_over_a_few_years() {
        let (step, t) = date_ticks(date(2018, 1, 1), date(2020, 12, 1), 14);
        assert_eq!(step, DateStep::Months(3));
        assert_eq!(t[0].label, "Jan");
        assert_eq!(t[0].context.as_deref(), Some("2018"));
        assert_eq!(t[1].label, "Apr");
        assert_eq!(t[4].context.as_deref(), Some("2019"));
        let (step, _) = date_ticks(date(2018, 1, 1), date(2020, 12, 1), 40);
        assert_eq!(step, DateStep::Months(1));
    }

    #[test]
    fn years_over_decades() {
        let (step, t) = date_ticks(date(1990, 1, 1), date(2020, 12, 1), 10);
        assert_eq!(step, DateStep::Years(5));
        assert_eq!(t[0].label, "1990");
        assert_eq!(t.last().unwrap().label, "2020");
        let (step, _) = date_ticks(date(1800, 1, 1), date(2020, 1, 1), 12);
        assert_eq!(step, DateStep::Years(20));
        let (step, t) = date_ticks(date(2014, 1, 1), date(2023, 12, 1), 12);
        assert_eq!(step, DateStep::Years(1));
        assert_eq!(t.len(), 10);
    }

    #[test]
    fn quarterly_data_gets_quarter_ticks() {
        let steps = steps_for(crate::PeriodUnit::Quarter);
        let (step, t) = choose_date_ticks(date(2019, 1, 1), date(2021, 10, 1), &steps, |t| {
            t.len() <= 16
        });
        assert_eq!(step, DateStep::Months(3));
        assert!(t.iter().all(|t| (t.date.month() - 1) % 3 == 0));
        let steps = steps_for(crate::PeriodUnit::Year);
        let (step, _) = choose_date_ticks(date(2019, 1, 1), date(2021, 1, 1), &steps, |_| true);
        assert_eq!(step, DateStep::Years(1));
        let steps = steps_for(crate::PeriodUnit::Week);
        let (step, _) = choose_date_ticks(date(2020, 1, 6), date(2020, 2, 24), &steps, |_| true);
        assert_eq!(step, DateStep::Weeks(1));
    }

    #[test]
    fn single_day_and_reversed_ranges() {
        let (_, t) = date_ticks(date(2020, 6, 15), date(2020, 6, 15), 10);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].label, "15 Jun");
        let (_, t) = date_ticks(date(2020, 6, 30), date(2020, 6, 1), 10);
        assert!(!t.is_empty());
    }

    #[test]
    fn extreme_ranges_do_not_panic() {
        let (_, t) = date_ticks(date(-9999, 1, 1), date(9999, 12, 31), 10);
        assert!(!t.is_empty() && t.len() <= 10);
        let (_, t) = date_ticks(date(2020, 1, 1), date(2020, 1, 1), 0);
        assert!(t.len() <= 1);
    }
}
