//! One serialisable description of any analysis — its kind, subcorpus and parameters — as a
//! project file records it (`[[analyses]]` in `broadsheet.toml`), the command line builds it
//! and the desktop app saves it. [`AnalysisEntry::compute`] turns it into a table, so every
//! front end runs an analysis the same way.

use serde::{Deserialize, Serialize};

use broadsheet_store::{Filters, Subcorpus};

use crate::colloc::{CollocSpec, Measure};
use crate::dispersion::DispersionSpec;
use crate::keyness::KeynessSpec;
use crate::kwic::{KwicSort, KwicSpec};
use crate::terms::TermsSpec;
use crate::timeline::{GroupBy, TimelineSpec};
use crate::{AnalysisError, Analyzer, Concept, ConceptSet, Period, Result, Table};

/// The analyses there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    #[default]
    Terms,
    Kwic,
    Collocations,
    Keyness,
    Dispersion,
    Timeline,
    /// Place tags per article.
    Places,
    /// The region × period table.
    Regions,
    /// A concept's precision audit sample.
    Audit,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Terms => "terms",
            Kind::Kwic => "kwic",
            Kind::Collocations => "collocations",
            Kind::Keyness => "keyness",
            Kind::Dispersion => "dispersion",
            Kind::Timeline => "timeline",
            Kind::Places => "places",
            Kind::Regions => "regions",
            Kind::Audit => "audit",
        }
    }
}

/// A subcorpus written flat, as in a project file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubcorpusEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dedup: bool,
}

impl SubcorpusEntry {
    pub fn subcorpus(&self) -> Subcorpus {
        Subcorpus {
            query: self.query.clone(),
            filters: Filters {
                from: self.from.clone(),
                to: self.to.clone(),
                sources: self.sources.clone(),
                languages: self.languages.clone(),
                places: self.places.clone(),
                dedup: self.dedup,
            },
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == SubcorpusEntry::default()
    }

    /// A short description for chart legends: `2021-08 to 2022-02, en`.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(q) = &self.query {
            parts.push(format!("\"{q}\""));
        }
        match (&self.from, &self.to) {
            (Some(a), Some(b)) if a == b => parts.push(a.clone()),
            (Some(a), Some(b)) => parts.push(format!("{a} to {b}")),
            (Some(a), None) => parts.push(format!("from {a}")),
            (None, Some(b)) => parts.push(format!("up to {b}")),
            (None, None) => {}
        }
        for v in [&self.sources, &self.languages, &self.places] {
            if !v.is_empty() {
                parts.push(v.join(", "));
            }
        }
        if parts.is_empty() {
            "all articles".into()
        } else {
            parts.join("; ")
        }
    }
}

/// An analysis with its parameters. Fields a kind does not use are ignored by it (and left
/// out when saved); missing ones take the documented defaults.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnalysisEntry {
    /// Names the outputs: `outputs/<name>.csv`.
    pub name: String,
    pub kind: Kind,
    /// The subcorpus (for keyness, the target; for timelines and regions, the base): a query
    /// and filters, written flat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dedup: bool,
    /// Keyness: the reference; absent means the rest of the corpus.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<SubcorpusEntry>,
    /// KWIC and collocations: the word, phrase or query looked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    /// Dispersion: the terms.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<String>,
    /// Timeline, regions, audit: saved concepts by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub concepts: Vec<String>,
    /// Timeline: an ad-hoc query counted as a concept.
    #[serde(default, rename = "match", skip_serializing_if = "Option::is_none")]
    pub match_query: Option<String>,
    /// Timeline: none, source (default), country, region, concept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// Timeline by region and regions: the region ids (default: every region found).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    /// Timeline and regions: day, week, month (default), quarter, year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// Timeline: flag periods with fewer articles (default 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_total: Option<u64>,
    /// Terms: n-gram length (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<u8>,
    /// Terms (default 1), collocations (3), keyness (5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_freq: Option<u64>,
    /// Rows (default: 100 for terms, collocations and keyness; 0 = all for the rest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
    /// KWIC: words of context (default 7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<usize>,
    /// KWIC: corpus (default), left, right, left2…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
    /// Collocations: window (default 5 each side).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub right: Option<usize>,
    /// Collocations: logdice (default), mi, t, ll, freq.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<String>,
    /// Audit: sample size (default 20) and seed (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Output formats: csv (default), json, parquet, and for charts svg, png.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub formats: Vec<String>,
}

/// KWIC sort orders as written: `corpus`, `left`, `right`, `left2`, `right3`.
pub fn parse_kwic_sort(s: &str) -> std::result::Result<KwicSort, String> {
    let (side, n) = s.split_at(s.find(|c: char| c.is_ascii_digit()).unwrap_or(s.len()));
    let n: usize = if n.is_empty() {
        1
    } else {
        n.parse().map_err(|_| format!("`{s}`"))?
    };
    match side {
        "corpus" | "date" => Ok(KwicSort::Corpus),
        "left" | "l" => Ok(KwicSort::Left(n)),
        "right" | "r" => Ok(KwicSort::Right(n)),
        _ => Err(format!(
            "`{s}`: sort by corpus, left, right, left2, right3…"
        )),
    }
}

/// Timeline groupings as written.
pub fn parse_group_by(
    by: Option<&str>,
    regions: &[String],
) -> std::result::Result<GroupBy, String> {
    Ok(match by.unwrap_or("source") {
        "none" | "all" => GroupBy::None,
        "source" => GroupBy::Source,
        "country" => GroupBy::Country,
        "region" => GroupBy::Region(regions.to_vec()),
        "concept" => GroupBy::Concept,
        other => {
            return Err(format!(
                "by = `{other}`: group by none, source, country, region or concept"
            ))
        }
    })
}

impl AnalysisEntry {
    /// The subcorpus the analysis runs over.
    pub fn subcorpus(&self) -> SubcorpusEntry {
        SubcorpusEntry {
            query: self.query.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            sources: self.sources.clone(),
            languages: self.languages.clone(),
            places: self.places.clone(),
            dedup: self.dedup,
        }
    }

    fn invalid(&self, msg: impl std::fmt::Display) -> AnalysisError {
        AnalysisError::Invalid(format!("analysis `{}`: {msg}", self.name))
    }

    fn resolve_concepts(&self, set: &ConceptSet) -> Result<Vec<Concept>> {
        let mut out = Vec::new();
        for n in &self.concepts {
            out.push(set.require(n)?.clone());
        }
        if let Some(q) = &self.match_query {
            out.push(Concept {
                name: q.clone(),
                query: q.clone(),
                description: None,
            });
        }
        Ok(out)
    }

    /// The chart of this analysis's table: timelines and region tables as shares when a concept
    /// is counted (counts otherwise), keyness labelled with its two subcorpora.
    pub fn chart(&self, t: &Table) -> Result<Option<broadsheet_chart::Chart>> {
        let counted = !self.concepts.is_empty() || self.match_query.is_some();
        let scale = if counted {
            crate::charts::Scale::Share
        } else {
            crate::charts::Scale::Count
        };
        let labels = crate::charts::Labels {
            target: self.subcorpus().describe(),
            reference: self
                .reference
                .as_ref()
                .map(SubcorpusEntry::describe)
                .unwrap_or_else(|| "rest of the corpus".into()),
        };
        crate::charts::chart_of(self.kind, t, scale, self.min_total.or(Some(5)), &labels)
    }

    /// A title for the chart: what was counted, how, over what.
    pub fn title(&self) -> String {
        let what = match self.kind {
            Kind::Timeline | Kind::Regions => {
                let mut c = self.concepts.join(", ");
                if let Some(q) = &self.match_query {
                    if !c.is_empty() {
                        c.push_str(", ");
                    }
                    c.push_str(q);
                }
                let by = match self.kind {
                    Kind::Regions => "by region".to_string(),
                    _ => format!("by {}", self.by.as_deref().unwrap_or("source")),
                };
                if c.is_empty() {
                    format!("Articles {by}")
                } else {
                    format!("{c}, {by}")
                }
            }
            Kind::Terms => format!(
                "Most frequent {}",
                if self.n.unwrap_or(1) > 1 {
                    "n-grams"
                } else {
                    "words"
                }
            ),
            Kind::Keyness => "Keywords".into(),
            Kind::Dispersion => format!("Dispersion of {}", self.terms.join(", ")),
            Kind::Kwic | Kind::Collocations => self.node.clone().unwrap_or_default(),
            Kind::Places | Kind::Audit => self.kind.name().into(),
        };
        let over = self.subcorpus().describe();
        if over == "all articles" {
            what
        } else {
            format!("{what} ({over})")
        }
    }

    /// Whether this analysis can be drawn as a chart.
    pub fn has_chart(&self) -> bool {
        matches!(
            self.kind,
            Kind::Terms | Kind::Keyness | Kind::Dispersion | Kind::Timeline | Kind::Regions
        )
    }

    /// Runs the analysis.
    pub fn compute(&self, a: &Analyzer, concepts: &ConceptSet) -> Result<Table> {
        let sc = self.subcorpus().subcorpus();
        match self.kind {
            Kind::Terms => a.terms(&TermsSpec {
                subcorpus: sc,
                n: self.n.unwrap_or(1),
                min_freq: self.min_freq.unwrap_or(1),
                limit: self.limit.unwrap_or(100),
            }),
            Kind::Kwic => a.kwic(&KwicSpec {
                query: self
                    .node
                    .clone()
                    .ok_or_else(|| self.invalid("a KWIC needs `node`"))?,
                subcorpus: sc,
                width: self.width.unwrap_or(7),
                sort: parse_kwic_sort(self.sort.as_deref().unwrap_or("corpus"))
                    .map_err(|e| self.invalid(e))?,
                limit: self.limit.unwrap_or(0),
                offset: 0,
            }),
            Kind::Collocations => a.collocations(&CollocSpec {
                node: self
                    .node
                    .clone()
                    .ok_or_else(|| self.invalid("collocations need `node`"))?,
                subcorpus: sc,
                left: self.left.unwrap_or(5),
                right: self.right.unwrap_or(5),
                min_freq: self.min_freq.unwrap_or(3),
                sort: self
                    .measure
                    .as_deref()
                    .unwrap_or("logdice")
                    .parse::<Measure>()
                    .map_err(|e| self.invalid(e))?,
                limit: self.limit.unwrap_or(100),
            }),
            Kind::Keyness => a.keyness(&KeynessSpec {
                target: sc,
                reference: self.reference.as_ref().map(SubcorpusEntry::subcorpus),
                min_freq: self.min_freq.unwrap_or(5),
                limit: self.limit.unwrap_or(100),
            }),
            Kind::Dispersion => a.dispersion(&DispersionSpec {
                terms: self.terms.clone(),
                subcorpus: sc,
            }),
            Kind::Timeline => a.timeline(&TimelineSpec {
                concepts: self.resolve_concepts(concepts)?,
                base: sc,
                period: self.period.unwrap_or(Period::Month),
                group_by: parse_group_by(self.by.as_deref(), &self.regions)
                    .map_err(|e| self.invalid(e))?,
                min_total: self.min_total.unwrap_or(5),
            }),
            Kind::Regions => a.timeline(&TimelineSpec {
                concepts: self.resolve_concepts(concepts)?,
                base: sc,
                period: self.period.unwrap_or(Period::Year),
                group_by: GroupBy::Region(self.regions.clone()),
                min_total: self.min_total.unwrap_or(0),
            }),
            Kind::Places => a.place_tags(&sc),
            Kind::Audit => {
                let name = self
                    .concepts
                    .first()
                    .ok_or_else(|| self.invalid("an audit needs `concepts = [\"NAME\"]`"))?;
                a.concept_audit(
                    concepts.require(name)?,
                    &sc,
                    self.sample.unwrap_or(20),
                    self.seed.unwrap_or(1),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_through_toml() {
        let e = AnalysisEntry {
            name: "security-by-outlet".into(),
            kind: Kind::Timeline,
            places: vec!["central-asia".into()],
            concepts: vec!["regional security".into()],
            by: Some("source".into()),
            period: Some(Period::Month),
            formats: vec!["csv".into(), "svg".into()],
            ..Default::default()
        };
        #[derive(Serialize, Deserialize)]
        struct File {
            analyses: Vec<AnalysisEntry>,
        }
        let text = toml::to_string(&File {
            analyses: vec![e.clone()],
        })
        .unwrap();
        assert!(text.contains("kind = \"timeline\""), "{text}");
        assert!(text.contains("places = [\"central-asia\"]"), "{text}");
        let back: File = toml::from_str(&text).unwrap();
        assert_eq!(back.analyses[0], e);
    }

    #[test]
    fn sort_and_grouping_words() {
        assert_eq!(parse_kwic_sort("left2").unwrap(), KwicSort::Left(2));
        assert_eq!(parse_kwic_sort("right").unwrap(), KwicSort::Right(1));
        assert!(parse_kwic_sort("middle").is_err());
        assert_eq!(parse_group_by(None, &[]).unwrap(), GroupBy::Source);
        assert!(parse_group_by(Some("colour"), &[]).is_err());
    }
}
