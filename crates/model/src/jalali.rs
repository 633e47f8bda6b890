//! The Solar Hijri (Jalali) calendar used in Iran and Afghanistan, converted to and from the
//! Gregorian calendar through day counts. Leap years follow the 33-year arithmetic rule, which
//! agrees with the official astronomical calendar for every year from 1244 to 1472 AP
//! (1865–2094 CE), well beyond any news archive.

/// Days since 1970-01-01 of a Gregorian date (jiff does the calendar arithmetic).
fn gregorian_days(y: i64, m: i64, d: i64) -> i64 {
    let epoch = jiff::civil::date(1970, 1, 1);
    jiff::civil::Date::new(y as i16, m as i8, d as i8)
        .ok()
        .and_then(|date| date.since(epoch).ok())
        .map(|span| span.get_days() as i64)
        .unwrap_or(0)
}

fn gregorian_from_days(n: i64) -> (i64, u8, u8) {
    let epoch = jiff::civil::date(1970, 1, 1);
    let d = epoch
        .checked_add(jiff::Span::new().days(n))
        .unwrap_or(epoch);
    (d.year() as i64, d.month() as u8, d.day() as u8)
}

/// Whether a Solar Hijri year is a leap year (30 days in Esfand) under the 33-year rule.
pub fn is_leap(jy: i64) -> bool {
    matches!((jy * 8 + 29).rem_euclid(33), 0..=7)
}

/// Days in a Solar Hijri month.
pub fn month_days(jy: i64, jm: u8) -> u8 {
    match jm {
        1..=6 => 31,
        7..=11 => 30,
        12 if is_leap(jy) => 30,
        12 => 29,
        _ => 0,
    }
}

/// Day count (as in [`gregorian_days`]) of 1 Farvardin of `jy`, counted from a known Nowruz
/// (1 Farvardin 1394 = 2015-03-21) by whole years.
fn nowruz_days(jy: i64) -> i64 {
    const ANCHOR_YEAR: i64 = 1394;
    let anchor = gregorian_days(2015, 3, 21);
    if jy >= ANCHOR_YEAR {
        anchor
            + (ANCHOR_YEAR..jy)
                .map(|y| 365 + is_leap(y) as i64)
                .sum::<i64>()
    } else {
        anchor
            - (jy..ANCHOR_YEAR)
                .map(|y| 365 + is_leap(y) as i64)
                .sum::<i64>()
    }
}

/// Converts a Solar Hijri date to Gregorian; `None` when the date does not exist.
pub fn to_gregorian(jy: i64, jm: u8, jd: u8) -> Option<(i64, u8, u8)> {
    if !(1..=3000).contains(&jy) || !(1..=12).contains(&jm) || jd == 0 || jd > month_days(jy, jm) {
        return None;
    }
    let before: i64 = (1..jm).map(|m| month_days(jy, m) as i64).sum();
    Some(gregorian_from_days(
        nowruz_days(jy) + before + jd as i64 - 1,
    ))
}

/// Converts a Gregorian date to Solar Hijri.
pub fn from_gregorian(y: i64, m: u8, d: u8) -> (i64, u8, u8) {
    let n = gregorian_days(y, m as i64, d as i64);
    let mut jy = y - 621;
    if n < nowruz_days(jy) {
        jy -= 1;
    }
    let mut rest = n - nowruz_days(jy);
    let mut jm = 1u8;
    while rest >= month_days(jy, jm) as i64 {
        rest -= month_days(jy, jm) as i64;
        jm += 1;
    }
    (jy, jm, rest as u8 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gregorian_day_counts_round_trip() {
        for (y, m, d) in [
            (1600, 2, 29),
            (1900, 3, 1),
            (1987, 2, 26),
            (2000, 2, 29),
            (2024, 12, 31),
        ] {
            assert_eq!(
                gregorian_from_days(gregorian_days(y, m, d)),
                (y, m as u8, d as u8)
            );
        }
        assert_eq!(gregorian_days(1970, 1, 2) - gregorian_days(1970, 1, 1), 1);
    }

    #[test]
    fn known_nowruz_dates() {
        // 1 Farvardin, as published by the Iranian calendar authority.
        for (jy, g) in [
            (1375, (1996, 3, 20)),
            (1382, (2003, 3, 21)),
            (1387, (2008, 3, 20)),
            (1394, (2015, 3, 21)),
            (1399, (2020, 3, 20)),
            (1400, (2021, 3, 21)),
            (1403, (2024, 3, 20)),
            (1404, (2025, 3, 21)),
        ] {
            assert_eq!(to_gregorian(jy, 1, 1), Some(g), "Nowruz {jy}");
            assert_eq!(from_gregorian(g.0, g.1, g.2), (jy, 1, 1));
        }
    }

    #[test]
    fn other_dates_and_refusals() {
        // 6 Mehr 1387 (a Fars News id 8707060255) = 27 September 2008.
        assert_eq!(to_gregorian(1387, 7, 6), Some((2008, 9, 27)));
        // 30 Esfand exists only in leap years: 1399 is one, 1400 is not.
        assert_eq!(to_gregorian(1399, 12, 30), Some((2021, 3, 20)));
        assert_eq!(to_gregorian(1400, 12, 30), None);
        assert_eq!(to_gregorian(1400, 13, 1), None);
        assert_eq!(to_gregorian(1400, 7, 31), None);
        // Every day of two years round-trips.
        let mut n = gregorian_days(2019, 1, 1);
        while n < gregorian_days(2021, 1, 1) {
            let (y, m, d) = gregorian_from_days(n);
            let (jy, jm, jd) = from_gregorian(y, m, d);
            assert_eq!(to_gregorian(jy, jm, jd), Some((y, m, d)));
            n += 1;
        }
    }
}
