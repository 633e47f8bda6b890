//! Reading the gazetteer's text files (`data/countries.txt`, `data/regions.txt`): blocks opened by
//! an unindented header line, followed by indented `kind.lang: name | name` lines. The format is
//! described in `data/README.md`; errors carry the file and line so that data edits fail clearly.

use crate::{Country, GeoError, Name, NameKind, Region, RegionKind};

pub const COUNTRIES_TXT: &str = include_str!("../data/countries.txt");
pub const REGIONS_TXT: &str = include_str!("../data/regions.txt");

fn err(file: &str, line: usize, why: impl Into<String>) -> GeoError {
    GeoError::Data {
        file: file.to_string(),
        line,
        why: why.into(),
    }
}

/// Splits an indented `kind.lang: a | b` line.
fn parse_names_line(file: &str, no: usize, line: &str) -> Result<(String, Vec<String>), GeoError> {
    let (key, rest) = line
        .split_once(':')
        .ok_or_else(|| err(file, no, "expected `kind.lang: names`"))?;
    let names = rest
        .split('|')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect();
    Ok((key.trim().to_string(), names))
}

fn names_of(file: &str, no: usize, key: &str, names: Vec<String>) -> Result<Vec<Name>, GeoError> {
    let (kind, lang) = key
        .split_once('.')
        .ok_or_else(|| err(file, no, format!("expected `kind.lang`, found `{key}`")))?;
    let kind = NameKind::parse(kind).ok_or_else(|| {
        err(
            file,
            no,
            format!("unknown kind `{kind}` (name, adj, city, dateline)"),
        )
    })?;
    if lang.is_empty() || !lang.chars().all(|c| c.is_ascii_lowercase()) {
        return Err(err(file, no, format!("bad language code `{lang}`")));
    }
    Ok(names
        .into_iter()
        .map(|pattern| Name {
            kind,
            lang: lang.to_string(),
            pattern,
        })
        .collect())
}

fn content_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end()))
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
}

/// Parses `countries.txt`.
pub fn parse_countries(file: &str, text: &str) -> Result<Vec<Country>, GeoError> {
    let mut out: Vec<Country> = Vec::new();
    for (no, line) in content_lines(text) {
        if !line.starts_with(char::is_whitespace) {
            let mut parts = line.splitn(3, char::is_whitespace);
            let (code, alpha3, name) = (parts.next(), parts.next(), parts.next());
            let (Some(code), Some(alpha3), Some(name)) = (code, alpha3, name) else {
                return Err(err(file, no, "expected `XX XXX English name`"));
            };
            let ok = |s: &str, n: usize| s.len() == n && s.chars().all(|c| c.is_ascii_uppercase());
            if !ok(code, 2) || !ok(alpha3, 3) {
                return Err(err(
                    file,
                    no,
                    "codes must be ISO alpha-2 and alpha-3 in capitals",
                ));
            }
            out.push(Country {
                code: code.to_string(),
                alpha3: alpha3.to_string(),
                name: name.trim().to_string(),
                names: Vec::new(),
            });
        } else {
            let country = out
                .last_mut()
                .ok_or_else(|| err(file, no, "names before the first country"))?;
            let (key, names) = parse_names_line(file, no, line.trim())?;
            country.names.extend(names_of(file, no, &key, names)?);
        }
    }
    Ok(out)
}

/// Parses `regions.txt`.
pub fn parse_regions(file: &str, text: &str) -> Result<Vec<Region>, GeoError> {
    let mut out: Vec<Region> = Vec::new();
    for (no, line) in content_lines(text) {
        if !line.starts_with(char::is_whitespace) {
            let mut parts = line.splitn(3, char::is_whitespace);
            let (id, kind, label) = (parts.next(), parts.next(), parts.next());
            let (Some(id), Some(kind), Some(label)) = (id, kind, label) else {
                return Err(err(file, no, "expected `id kind Label`"));
            };
            let kind = RegionKind::parse(kind).ok_or_else(|| {
                err(
                    file,
                    no,
                    format!("unknown region kind `{kind}` (continent, geo, political)"),
                )
            })?;
            if !valid_region_id(id) {
                return Err(err(file, no, format!("bad region id `{id}`")));
            }
            out.push(Region {
                id: id.to_string(),
                kind,
                name: label.trim().to_string(),
                members: Vec::new(),
                names: Vec::new(),
            });
        } else {
            let region = out
                .last_mut()
                .ok_or_else(|| err(file, no, "names before the first region"))?;
            let line = line.trim();
            if let Some(rest) = line.strip_prefix("members:") {
                region
                    .members
                    .extend(rest.split_whitespace().map(str::to_string));
            } else {
                let (key, names) = parse_names_line(file, no, line)?;
                region.names.extend(names_of(file, no, &key, names)?);
            }
        }
    }
    Ok(out)
}

/// Region ids: lower-case ASCII letters, digits and hyphens.
pub fn valid_region_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}
