//! Datelines (`TOKYO, March 3 -`, `BISHKEK, Kyrgyzstan (Reuters) —`): finding one at the start of
//! a text and reading its place, last part first (`BIRMINGHAM, Ala.` is in the United States), with
//! the dateline-only names of the data (state and province abbreviations) allowed.

/// Month names and abbreviations that end the place part of a dateline.
const MONTHS: &[&str] = &[
    "jan",
    "january",
    "feb",
    "february",
    "mar",
    "march",
    "apr",
    "april",
    "may",
    "jun",
    "june",
    "jul",
    "july",
    "aug",
    "august",
    "sep",
    "sept",
    "september",
    "oct",
    "october",
    "nov",
    "november",
    "dec",
    "december",
    "январь",
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

/// The place part of a dateline: everything before the date, the agency in brackets or the dash.
pub fn place_part(dateline: &str) -> &str {
    let mut end = dateline.len();
    for (i, c) in dateline.char_indices() {
        if c == '(' || c == '-' && dateline[i..].starts_with("- ") || matches!(c, '—' | '–') {
            end = i;
            break;
        }
        if c.is_ascii_digit() {
            end = i;
            break;
        }
    }
    let head = &dateline[..end];
    // Cut at a month name that stands as its own word after a comma or space.
    let mut cut = head.len();
    let mut offset = 0;
    for word in head.split_inclusive(|c: char| c == ',' || c.is_whitespace()) {
        let w = word
            .trim_matches(|c: char| c == ',' || c == '.' || c.is_whitespace())
            .to_lowercase();
        if offset > 0 && MONTHS.contains(&w.as_str()) {
            cut = offset;
            break;
        }
        offset += word.len();
    }
    head[..cut].trim().trim_end_matches(',').trim()
}

/// Finds a dateline at the start of `text`: a short run (at most 60 bytes) starting with a capital
/// letter and ending in ` - `, ` — ` or ` – `, which holds a comma, a month name or an agency in
/// brackets. Returns the dateline and the rest of the text.
pub fn split_dateline(text: &str) -> Option<(&str, &str)> {
    let start = text.len() - text.trim_start().len();
    let t = &text[start..];
    if !t.chars().next()?.is_uppercase() {
        return None;
    }
    let limit = t.char_indices().nth(90).map(|(i, _)| i).unwrap_or(t.len());
    let window = &t[..limit];
    let dash = [" - ", " — ", " – ", " -- "]
        .iter()
        .filter_map(|d| window.find(d).map(|i| (i, d.len())))
        .min()?;
    let head = &t[..dash.0];
    if head.contains('\n') && head.trim_end().lines().count() > 2 {
        return None;
    }
    let lower = head.to_lowercase();
    let has_month = lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| MONTHS.contains(&w));
    if head.contains(',') || head.contains('(') || has_month {
        Some((head.trim(), &t[dash.0 + dash.1..]))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn place_parts() {
        assert_eq!(place_part("    TOKYO, March 3 - "), "TOKYO");
        assert_eq!(
            place_part("SAN JOSE, Calif., March 3 -"),
            "SAN JOSE, Calif."
        );
        assert_eq!(
            place_part("BISHKEK, Kyrgyzstan (Reuters) -"),
            "BISHKEK, Kyrgyzstan"
        );
        assert_eq!(place_part("МОСКВА, 3 марта"), "МОСКВА");
        assert_eq!(
            place_part("WINSTON-SALEM, N.C., Feb 3"),
            "WINSTON-SALEM, N.C."
        );
    }

    #[test]
    fn split() {
        let (d, rest) = split_dateline("TOKYO, March 3 - Japan said").unwrap();
        assert_eq!((d, rest), ("TOKYO, March 3", "Japan said"));
        let (d, _) = split_dateline("Bishkek (AKIpress) — The government").unwrap();
        assert_eq!(d, "Bishkek (AKIpress)");
        assert!(split_dateline("The minister said - nothing").is_none());
        assert!(split_dateline("").is_none());
        assert!(split_dateline("no capital, here - x").is_none());
    }
}
