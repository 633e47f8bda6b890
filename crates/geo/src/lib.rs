//! Offline gazetteer and region tagger: which countries (ISO 3166-1 alpha-2) and regions a text
//! mentions, and how often, from names, adjectives and places in English, Russian, Persian and
//! Arabic (and Polish, Kazakh, Kyrgyz, Tajik, Uzbek, Turkish for the region) shipped in `data/`.
//! Matching uses the engine's tokens and search folding; an article is matched against its own
//! language's names plus the international (English) country names.
//!
//! Ambiguous names follow the rules in `data/README.md`: `^` (Turkey, China, Chad…) must be
//! capitalised, `=` (US, UK) must match case exactly, `~` (Jordan, Chad, Georgia) must not stand
//! next to another capitalised word, `?` (Georgia) needs a strong mention of the same country.

mod data;
mod dateline;
mod pattern;
mod tagger;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

pub use dateline::{place_part, split_dateline};
pub use pattern::{parse_name, Expanded, Flags, TokenPattern};
use tagger::{Entry, Index, Mention, Scope, Target};

/// Errors of the gazetteer: bad data lines, bad names, bad custom entries.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum GeoError {
    #[error("{file}:{line}: {why}")]
    Data {
        file: String,
        line: usize,
        why: String,
    },
    #[error("bad name {name:?}: {why}")]
    BadName { name: String, why: String },
    #[error("custom entry for {target:?}: {why}")]
    Custom { target: String, why: String },
}

/// What a name is: the country's own name, an adjective or demonym, a place inside it, or a form
/// used only in datelines (`Calif.`, `N.Y.`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum NameKind {
    #[default]
    Name,
    Adj,
    City,
    Dateline,
}

impl NameKind {
    pub fn parse(s: &str) -> Option<NameKind> {
        Some(match s {
            "name" => NameKind::Name,
            "adj" => NameKind::Adj,
            "city" => NameKind::City,
            "dateline" => NameKind::Dateline,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            NameKind::Name => "name",
            NameKind::Adj => "adj",
            NameKind::City => "city",
            NameKind::Dateline => "dateline",
        }
    }
}

/// One name in the data syntax (see `data/README.md`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Name {
    pub kind: NameKind,
    /// ISO 639-1 code of the language (`en`, `ru`, `fa`, `ar`, …).
    pub lang: String,
    pub pattern: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Country {
    /// ISO 3166-1 alpha-2.
    pub code: String,
    /// ISO 3166-1 alpha-3.
    pub alpha3: String,
    /// English short name.
    pub name: String,
    pub names: Vec<Name>,
}

impl Country {
    /// The names of one kind and language.
    pub fn names_in<'a>(
        &'a self,
        kind: NameKind,
        lang: &'a str,
    ) -> impl Iterator<Item = &'a str> + 'a {
        self.names
            .iter()
            .filter(move |n| n.kind == kind && n.lang == lang)
            .map(|n| n.pattern.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RegionKind {
    Continent,
    /// A geographic subregion (UN M49 style, plus the Middle East and the South Caucasus).
    Geo,
    /// A political grouping (EU, NATO, CSTO…).
    Political,
}

impl RegionKind {
    pub fn parse(s: &str) -> Option<RegionKind> {
        Some(match s {
            "continent" => RegionKind::Continent,
            "geo" => RegionKind::Geo,
            "political" => RegionKind::Political,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Region {
    pub id: String,
    pub kind: RegionKind,
    /// English label.
    pub name: String,
    /// Member alpha-2 codes, sorted.
    pub members: Vec<String>,
    /// Names that count as mentions of the region itself.
    pub names: Vec<Name>,
}

/// A project-specific addition. `target` is a country code (names are added to it), a region id
/// (names added, `members` appended) or a new region id (`members` required, `label` optional).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CustomEntry {
    pub target: String,
    /// Names in the data syntax (`Kyrgyz Republic`, `кыргыз*`, `^Jordan`).
    #[serde(default)]
    pub names: Vec<String>,
    #[serde(default = "default_lang")]
    pub lang: String,
    #[serde(default)]
    pub kind: NameKind,
    #[serde(default)]
    pub members: Vec<String>,
    #[serde(default)]
    pub label: Option<String>,
}

fn default_lang() -> String {
    "und".to_string()
}

/// Mentions in one text: `(alpha-2, count)` and `(region id, count)`, by count descending then
/// code. Region counts are mentions of the region's own names only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tags {
    pub countries: Vec<(String, u32)>,
    pub regions: Vec<(String, u32)>,
}

impl Tags {
    /// The most mentioned country.
    pub fn top_country(&self) -> Option<&str> {
        self.countries.first().map(|(c, _)| c.as_str())
    }

    pub fn count(&self, code: &str) -> u32 {
        self.countries
            .iter()
            .find(|(c, _)| c == code)
            .map_or(0, |(_, n)| *n)
    }

    pub fn is_empty(&self) -> bool {
        self.countries.is_empty() && self.regions.is_empty()
    }
}

/// Tags of an article with its dateline read apart.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleTags {
    pub tags: Tags,
    /// The country of the dateline, if one was found and recognised.
    pub dateline: Option<String>,
}

/// What a dateline weighs in [`ArticleTags::primary`], in mentions.
pub const DATELINE_WEIGHT: u32 = 2;

impl ArticleTags {
    /// The country the article is most about: counts in the text, with the dateline's country
    /// worth [`DATELINE_WEIGHT`] extra mentions; ties go to the dateline, then to the order of
    /// `tags.countries`.
    pub fn primary(&self) -> Option<&str> {
        let mut best: Option<(&str, u32)> = None;
        if let Some(d) = &self.dateline {
            best = Some((d.as_str(), self.tags.count(d) + DATELINE_WEIGHT));
        }
        for (c, n) in &self.tags.countries {
            if best.is_none_or(|(_, b)| *n > b) {
                best = Some((c.as_str(), *n));
            }
        }
        best.map(|(c, _)| c)
    }
}

struct Inner {
    countries: Vec<Country>,
    regions: Vec<Region>,
    country_ix: HashMap<String, usize>,
    region_ix: HashMap<String, usize>,
    index: Index,
}

/// The gazetteer: countries, regions and the name index. Cheap to clone (shared).
#[derive(Clone)]
pub struct Gazetteer {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("countries", &self.inner.countries.len())
            .field("regions", &self.inner.regions.len())
            .field("patterns", &self.inner.index.entries.len())
            .finish()
    }
}

impl Gazetteer {
    /// The data shipped with Broadsheet, parsed once per process.
    pub fn builtin() -> Gazetteer {
        static BUILTIN: OnceLock<Gazetteer> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                Gazetteer::from_text(data::COUNTRIES_TXT, data::REGIONS_TXT)
                    .expect("the built-in gazetteer data is checked by the crate's tests")
            })
            .clone()
    }

    /// A gazetteer from texts in the data format (`countries.txt`, `regions.txt`).
    pub fn from_text(countries: &str, regions: &str) -> Result<Gazetteer, GeoError> {
        let countries = data::parse_countries("countries.txt", countries)?;
        let regions = data::parse_regions("regions.txt", regions)?;
        Gazetteer::build(countries, regions, &[])
    }

    fn build(
        mut countries: Vec<Country>,
        mut regions: Vec<Region>,
        custom_names: &[(Target, Name)],
    ) -> Result<Gazetteer, GeoError> {
        countries.sort_by(|a, b| a.code.cmp(&b.code));
        regions.sort_by(|a, b| a.id.cmp(&b.id));
        for r in &mut regions {
            r.members.sort();
            r.members.dedup();
        }
        let mut country_ix = HashMap::new();
        for (i, c) in countries.iter().enumerate() {
            if country_ix.insert(c.code.clone(), i).is_some() {
                return Err(GeoError::Data {
                    file: "countries.txt".into(),
                    line: 0,
                    why: format!("duplicate code {}", c.code),
                });
            }
        }
        let mut region_ix = HashMap::new();
        for (i, r) in regions.iter().enumerate() {
            if region_ix.insert(r.id.clone(), i).is_some() {
                return Err(GeoError::Data {
                    file: "regions.txt".into(),
                    line: 0,
                    why: format!("duplicate region {}", r.id),
                });
            }
            if let Some(m) = r.members.iter().find(|m| !country_ix.contains_key(*m)) {
                return Err(GeoError::Data {
                    file: "regions.txt".into(),
                    line: 0,
                    why: format!("region {} has unknown member {m}", r.id),
                });
            }
        }
        let mut index = Index::default();
        let mut add = |target: Target, name: &Name, priority: u8| -> Result<(), GeoError> {
            let e = pattern::parse_name(&name.pattern)?;
            let lang = index.lang_id(&name.lang);
            for tokens in e.variants {
                index.push(Entry {
                    tokens,
                    target,
                    flags: e.flags,
                    arabic: name.lang == "ar",
                    dateline_only: name.kind == NameKind::Dateline,
                    priority,
                    kind: name.kind,
                    lang,
                    international: is_international(name),
                });
            }
            Ok(())
        };
        for (i, c) in countries.iter().enumerate() {
            for n in &c.names {
                add(Target::Country(i as u32), n, 0)?;
            }
        }
        for (i, r) in regions.iter().enumerate() {
            for n in &r.names {
                add(Target::Region(i as u32), n, 0)?;
            }
        }
        for (t, n) in custom_names {
            add(*t, n, 1)?;
        }
        index.finish();
        Ok(Gazetteer {
            inner: Arc::new(Inner {
                countries,
                regions,
                country_ix,
                region_ix,
                index,
            }),
        })
    }

    /// A copy with project-specific names and regions added. Custom names win over built-in ones
    /// where both match the same words.
    pub fn with_custom(&self, entries: &[CustomEntry]) -> Result<Gazetteer, GeoError> {
        let mut countries = self.inner.countries.clone();
        let mut regions = self.inner.regions.clone();
        for e in entries {
            let bad = |why: String| GeoError::Custom {
                target: e.target.clone(),
                why,
            };
            if let Some(m) = e.members.iter().find(|m| self.country(m).is_none()) {
                return Err(bad(format!("unknown member {m:?}")));
            }
            let names = e.names.iter().map(|p| Name {
                kind: e.kind,
                lang: e.lang.clone(),
                pattern: p.clone(),
            });
            for n in e.names.iter() {
                pattern::parse_name(n)?;
            }
            if let Some(&i) = self.inner.country_ix.get(&e.target) {
                if !e.members.is_empty() {
                    return Err(bad("a country has no members".into()));
                }
                countries[i].names.extend(names);
            } else if let Some(r) = regions.iter_mut().find(|r| r.id == e.target) {
                r.members.extend(e.members.iter().cloned());
                r.names.extend(names);
            } else if e.members.is_empty() {
                return Err(bad(
                    "neither a known country code nor a region id, and no members for a new region"
                        .into(),
                ));
            } else if !data::valid_region_id(&e.target) {
                return Err(bad(
                    "region ids are lower-case letters, digits and hyphens".into()
                ));
            } else {
                regions.push(Region {
                    id: e.target.clone(),
                    kind: RegionKind::Political,
                    name: e.label.clone().unwrap_or_else(|| e.target.clone()),
                    members: e.members.clone(),
                    names: names.collect(),
                });
            }
        }
        // Custom names get priority: rebuild with them marked.
        let mut custom = Vec::new();
        for (i, c) in countries.iter_mut().enumerate() {
            let builtin = self.inner.countries[i].names.len();
            for n in c.names.drain(builtin..) {
                custom.push((Target::Country(i as u32), n));
            }
        }
        let mut regions_sorted = regions;
        regions_sorted.sort_by(|a, b| a.id.cmp(&b.id));
        for (i, r) in regions_sorted.iter_mut().enumerate() {
            let builtin = self
                .inner
                .region_ix
                .get(&r.id)
                .map_or(0, |&j| self.inner.regions[j].names.len());
            for n in r.names.drain(builtin..) {
                custom.push((Target::Region(i as u32), n));
            }
        }
        let mut g = Gazetteer::build(countries, regions_sorted, &custom)?;
        // Put the custom names back on the records so that callers can list them.
        let inner = Arc::get_mut(&mut g.inner).expect("just built, not shared");
        for (t, n) in custom {
            match t {
                Target::Country(i) => inner.countries[i as usize].names.push(n),
                Target::Region(i) => inner.regions[i as usize].names.push(n),
            }
        }
        Ok(g)
    }

    /// A country by ISO alpha-2 code (case-insensitive).
    pub fn country(&self, code: &str) -> Option<&Country> {
        let i = match self.inner.country_ix.get(code) {
            Some(i) => *i,
            None => *self.inner.country_ix.get(&code.to_ascii_uppercase())?,
        };
        self.inner.countries.get(i)
    }

    /// Every country, sorted by code.
    pub fn countries(&self) -> &[Country] {
        &self.inner.countries
    }

    /// A region by id.
    pub fn region(&self, id: &str) -> Option<&Region> {
        self.inner
            .region_ix
            .get(id)
            .and_then(|&i| self.inner.regions.get(i))
    }

    /// Every region, sorted by id.
    pub fn regions(&self) -> &[Region] {
        &self.inner.regions
    }

    /// The regions a country belongs to, sorted by id.
    pub fn regions_of(&self, code: &str) -> Vec<&Region> {
        let Some(c) = self.country(code) else {
            return Vec::new();
        };
        self.inner
            .regions
            .iter()
            .filter(|r| r.members.binary_search(&c.code).is_ok())
            .collect()
    }

    /// Countries and regions mentioned in `text`, with counts, in an unknown language: every
    /// language's names, with one-word `^` cities weak ([`Gazetteer::tag_in`] with `None`).
    pub fn tag(&self, text: &str) -> Tags {
        self.tag_in(text, None)
    }

    /// Countries and regions mentioned in `text` written in `language` (ISO 639-1): the names of
    /// that language plus the international ones (`data/README.md`, "Languages").
    pub fn tag_in(&self, text: &str, language: Option<&str>) -> Tags {
        let scope = self.inner.index.scope(language);
        let mentions = self.inner.index.find(text, false, scope);
        self.tags_of(&mentions, None)
    }

    /// The languages the gazetteer has names for (ISO 639-1), sorted.
    pub fn languages(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.inner.index.langs.iter().map(String::as_str).collect();
        v.sort_unstable();
        v
    }

    /// Every name found in `text` in `language`, in order: for data checks and the corpus scan.
    pub fn explain(&self, text: &str, language: Option<&str>) -> Vec<Found> {
        let index = &self.inner.index;
        let scope = index.scope(language);
        index
            .find(text, false, scope)
            .into_iter()
            .map(|m| {
                let e = &index.entries[m.entry as usize];
                Found {
                    start: m.start,
                    end: m.end,
                    target: self.target_id(m.target),
                    kind: e.kind,
                    lang: index.langs[e.lang as usize].clone(),
                    weak: m.weak,
                }
            })
            .collect()
    }

    fn target_id(&self, t: Target) -> String {
        match t {
            Target::Country(i) => self.inner.countries[i as usize].code.clone(),
            Target::Region(i) => self.inner.regions[i as usize].id.clone(),
        }
    }

    /// The country of a dateline (`TOKYO, March 3 -`, `SAN JOSE, Calif.`): its comma-separated
    /// place parts are read from the last to the first, with dateline-only names allowed. A
    /// dateline is a place by construction, so every language's names are tried.
    pub fn dateline_country(&self, dateline: &str) -> Option<String> {
        let place = place_part(dateline);
        for part in place.rsplit(',') {
            let mentions = self.inner.index.find(part, true, Scope::Unknown);
            let countries: Vec<u32> = mentions
                .iter()
                .filter_map(|m| match m.target {
                    Target::Country(i) => Some(i),
                    Target::Region(_) => None,
                })
                .collect();
            if let Some(&i) = countries.last() {
                return Some(self.inner.countries[i as usize].code.clone());
            }
        }
        None
    }

    /// Tags an article written in `language` (ISO 639-1, `None` when unknown; see
    /// [`Gazetteer::tag_in`]). The dateline is given (as Reuters keeps it apart) or looked for at
    /// the start of `text` ([`split_dateline`]), in which case the rest of the text is tagged, so
    /// that the dateline counts once, through [`ArticleTags::primary`].
    pub fn tag_article(
        &self,
        dateline: Option<&str>,
        text: &str,
        language: Option<&str>,
    ) -> ArticleTags {
        let (found, body) = match dateline {
            Some(d) => (Some(d), text),
            None => match split_dateline(text) {
                Some((d, rest)) => (Some(d), rest),
                None => (None, text),
            },
        };
        let dateline = found.and_then(|d| self.dateline_country(d));
        let scope = self.inner.index.scope(language);
        let mentions = self.inner.index.find(body, false, scope);
        let support = dateline
            .as_deref()
            .and_then(|c| self.inner.country_ix.get(c));
        ArticleTags {
            tags: self.tags_of(&mentions, support.map(|&i| i as u32)),
            dateline,
        }
    }

    /// [`Gazetteer::tag_article`] with the dateline looked for at the start of `text`.
    pub fn tag_with_dateline(&self, text: &str, language: Option<&str>) -> ArticleTags {
        self.tag_article(None, text, language)
    }

    /// Mentions per region, counting the region's own names plus every mention of its members.
    pub fn rollup(&self, tags: &Tags) -> Vec<(String, u32)> {
        let mut counts: BTreeMap<&str, u32> = BTreeMap::new();
        for (id, n) in &tags.regions {
            *counts.entry(id.as_str()).or_default() += n;
        }
        for (code, n) in &tags.countries {
            for r in self.regions_of(code) {
                *counts.entry(r.id.as_str()).or_default() += n;
            }
        }
        sorted(counts.into_iter().map(|(k, v)| (k.to_string(), v)))
    }

    fn tags_of(&self, mentions: &[Mention], supported: Option<u32>) -> Tags {
        let strong: BTreeSet<Target> = mentions
            .iter()
            .filter(|m| !m.weak)
            .map(|m| m.target)
            .chain(supported.map(Target::Country))
            .collect();
        let mut counts: BTreeMap<Target, u32> = BTreeMap::new();
        for m in mentions {
            if m.weak && !strong.contains(&m.target) {
                continue;
            }
            *counts.entry(m.target).or_default() += 1;
        }
        let (mut countries, mut regions) = (Vec::new(), Vec::new());
        for (t, n) in counts {
            match t {
                Target::Country(i) => {
                    countries.push((self.inner.countries[i as usize].code.clone(), n))
                }
                Target::Region(i) => regions.push((self.inner.regions[i as usize].id.clone(), n)),
            }
        }
        Tags {
            countries: sorted(countries),
            regions: sorted(regions),
        }
    }

    /// Every expanded pattern with what it counts for, for data checks: `(search form of the
    /// words, `*` marking prefixes, target code or region id, dateline-only)`.
    pub fn patterns(&self) -> Vec<(String, String, bool)> {
        self.inner
            .index
            .entries
            .iter()
            .map(|e| {
                let words: Vec<String> = e
                    .tokens
                    .iter()
                    .map(|t| format!("{}{}", t.folded, if t.prefix { "*" } else { "" }))
                    .collect();
                let target = match e.target {
                    Target::Country(i) => self.inner.countries[i as usize].code.clone(),
                    Target::Region(i) => self.inner.regions[i as usize].id.clone(),
                };
                (words.join(" "), target, e.dateline_only)
            })
            .collect()
    }
}

/// Names that every article is matched against, whatever its language: the English names of
/// countries and regions (largely shared by Latin-script languages: `Kazakhstan`, `NATO`), and
/// custom names given without a language (`und`).
fn is_international(name: &Name) -> bool {
    (name.lang == "en" && name.kind == NameKind::Name) || name.lang == "und"
}

/// One name found in a text ([`Gazetteer::explain`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Byte range in the text.
    pub start: usize,
    pub end: usize,
    /// Country code or region id.
    pub target: String,
    pub kind: NameKind,
    /// The language of the name that matched.
    pub lang: String,
    pub weak: bool,
}

fn sorted(v: impl IntoIterator<Item = (String, u32)>) -> Vec<(String, u32)> {
    let mut v: Vec<(String, u32)> = v.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

#[cfg(test)]
mod tests;
