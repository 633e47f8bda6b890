//! One serialisable description of any analysis — its kind, subcorpus and parameters — as a
//! project file records it (`[[analyses]]` in `broadsheet.toml`), the command line builds it
//! and the desktop app sends it (its TypeScript type is derived from this one).
//! [`AnalysisEntry::compute`] turns it into a table, so every front end runs an analysis the
//! same way.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use broadsheet_store::{Filters, Subcorpus};

use crate::colloc::{CollocSpec, Measure};
use crate::dispersion::DispersionSpec;
use crate::keyness::KeynessSpec;
use crate::kwic::{KwicSort, KwicSpec};
use crate::terms::TermsSpec;
use crate::timeline::{GroupBy, TimelineSpec};
use crate::{AnalysisError, Analyzer, Concept, ConceptSet, Period, Result, Table};

/// The analyses there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, TS)]
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
    /// Whether the analysis counts words, so that stop words change it (terms, keyness,
    /// collocations).
    pub fn counts_words(self) -> bool {
        matches!(self, Kind::Terms | Kind::Keyness | Kind::Collocations)
    }

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

/// A subcorpus: a query and the filters. In a project file, the `subcorpus` table of an
/// analysis.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SubcorpusEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub query: Option<String>,
    /// A year, month or day: `2015`, `2015-06`, `2015-06-01`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub from: Option<String>,
    /// Up to the end of this year, month or day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub to: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub sources: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub languages: Vec<String>,
    /// ISO country codes (`KG`) or region ids (`central-asia`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub places: Vec<String>,
    /// Count each near-duplicate cluster once.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[ts(optional, as = "Option<bool>")]
    pub dedup: bool,
}

impl SubcorpusEntry {
    pub fn subcorpus(&self) -> Subcorpus {
        Subcorpus {
            query: self.query.clone().filter(|q| !q.trim().is_empty()),
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
        self.describe_beside(None)
    }

    /// [`describe`](Self::describe) in a title that already shows `shown` (a concordance's
    /// node): the query is not repeated when it is the same.
    pub fn describe_beside(&self, shown: Option<&str>) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(q) = self
            .query
            .as_deref()
            .filter(|q| Some(q.trim()) != shown.map(str::trim))
        {
            parts.push(format!("\"{}\"", title_text(q)));
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

/// The longest user text (a query, a node) a title shows before cutting it with an ellipsis.
const TITLE_TEXT_CHARS: usize = 80;

/// User text as a title shows it: cut to [`TITLE_TEXT_CHARS`] characters, and isolated
/// (U+2068 … U+2069) when it holds right-to-left letters, so that the text after it (a period
/// such as `2014-01 to 2014-03`) keeps its order beside Persian or Arabic words.
fn title_text(s: &str) -> String {
    let s = s.trim();
    let cut: String = if s.chars().count() > TITLE_TEXT_CHARS {
        let head: String = s.chars().take(TITLE_TEXT_CHARS - 1).collect();
        format!("{}…", head.trim_end())
    } else {
        s.to_string()
    };
    if cut.chars().any(is_rtl) {
        format!("\u{2068}{cut}\u{2069}")
    } else {
        cut
    }
}

/// Letters of the right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko and their
/// presentation forms).
fn is_rtl(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// What the series of a timeline are (the regions of `by = "region"` are the entry's
/// `regions`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum By {
    /// One series for all articles.
    None,
    #[default]
    Source,
    Country,
    Region,
    Concept,
}

impl By {
    pub fn name(self) -> &'static str {
        match self {
            By::None => "none",
            By::Source => "source",
            By::Country => "country",
            By::Region => "region",
            By::Concept => "concept",
        }
    }

    fn group_by(self, regions: &[String]) -> GroupBy {
        match self {
            By::None => GroupBy::None,
            By::Source => GroupBy::Source,
            By::Country => GroupBy::Country,
            By::Region => GroupBy::Region(regions.to_vec()),
            By::Concept => GroupBy::Concept,
        }
    }
}

/// The files `broadsheet run` writes for an analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    Csv,
    Json,
    Parquet,
    Svg,
    Png,
}

impl OutputFormat {
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Csv => "csv",
            OutputFormat::Json => "json",
            OutputFormat::Parquet => "parquet",
            OutputFormat::Svg => "svg",
            OutputFormat::Png => "png",
        }
    }

    pub fn is_chart(self) -> bool {
        matches!(self, OutputFormat::Svg | OutputFormat::Png)
    }

    /// The format a file name's extension says.
    pub fn of_path(path: &std::path::Path) -> Option<OutputFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "csv" => OutputFormat::Csv,
            "json" => OutputFormat::Json,
            "parquet" => OutputFormat::Parquet,
            "svg" => OutputFormat::Svg,
            "png" => OutputFormat::Png,
            _ => return None,
        })
    }
}

/// How an analysis's chart is drawn.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ChartEntry {
    /// The chart's title (default: made from the analysis: what was counted, how, over what).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub subtitle: Option<String>,
    /// Timelines and regions that count a concept: draw the counts instead of the shares.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[ts(optional, as = "Option<bool>")]
    pub counts: bool,
    /// Timelines: print the counts behind each point (`points`: "count/total" over the points;
    /// `table`: a small table under each panel). Hidden by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub show_n: Option<ShowCounts>,
}

/// Where a timeline prints the counts behind its points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ShowCounts {
    /// `count/total` over each point, where the labels do not overlap.
    Points,
    /// A small table under each panel: a row per series, a cell per period.
    Table,
}

impl std::str::FromStr for ShowCounts {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "points" => Ok(ShowCounts::Points),
            "table" => Ok(ShowCounts::Table),
            _ => Err(format!("`{s}`: the counts go on the points or in a table")),
        }
    }
}

impl ChartEntry {
    pub fn is_empty(&self) -> bool {
        *self == ChartEntry::default()
    }
}

/// An analysis with its parameters: one type from the app's screen and the command line to the
/// engine, and what a project file's `[[analyses]]` entry holds. Fields a kind does not use are
/// ignored by it (and left out when saved); missing ones take the documented defaults.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct AnalysisEntry {
    /// Names the outputs: `outputs/<name>.csv`.
    pub name: String,
    pub kind: Kind,
    /// The subcorpus: for keyness the target; for timelines and regions the base, whose
    /// articles are the denominator of every share.
    #[serde(default, skip_serializing_if = "SubcorpusEntry::is_empty")]
    #[ts(optional, as = "Option<SubcorpusEntry>")]
    pub subcorpus: SubcorpusEntry,
    /// Keyness: the reference; absent means the rest of the corpus.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reference: Option<SubcorpusEntry>,
    /// KWIC and collocations: the word, phrase or query looked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub node: Option<String>,
    /// Dispersion: the terms.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub terms: Vec<String>,
    /// Timeline, regions, audit: saved concepts by name, counted (the numerators).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub concepts: Vec<String>,
    /// Timeline and regions: a query counted as a concept.
    #[serde(default, rename = "match", skip_serializing_if = "Option::is_none")]
    #[ts(optional, rename = "match")]
    pub match_query: Option<String>,
    /// Timeline: the series (default: one per source).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub by: Option<By>,
    /// Timeline by region and regions: the region ids (default: every region found).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub regions: Vec<String>,
    /// Timeline (default month) and regions (default year).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub period: Option<Period>,
    /// Timeline: flag periods with fewer articles (default 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub min_total: Option<u64>,
    /// Terms: n-gram length (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub n: Option<u8>,
    /// Terms (default 1), collocations (3), keyness (5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub min_freq: Option<u64>,
    /// Rows (default: 100 for terms, collocations and keyness; 0 = all for the rest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub limit: Option<usize>,
    /// KWIC: lines skipped before the first one shown (a page of a long concordance).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub offset: Option<usize>,
    /// KWIC: words of context (default 7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub width: Option<usize>,
    /// KWIC: `corpus` (default), `left`, `right`, `left2`, `right3`…
    #[serde(
        default,
        with = "kwic_sort_text",
        skip_serializing_if = "Option::is_none"
    )]
    #[ts(optional, type = "string")]
    pub sort: Option<KwicSort>,
    /// Collocations: the window (default 5 each side).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub left: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub right: Option<usize>,
    /// Collocations: `logdice` (default), `mi`, `t`, `ll`, `freq`.
    #[serde(
        default,
        with = "measure_text",
        skip_serializing_if = "Option::is_none"
    )]
    #[ts(optional, type = "\"logdice\" | \"mi\" | \"t\" | \"ll\" | \"freq\"")]
    pub measure: Option<Measure>,
    /// Terms, keyness and collocations: leave out the stop words of the corpus's languages
    /// (`true`) or none (`false`); absent: the project's `[text]` settings (new projects leave
    /// them out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub stop_words: Option<bool>,
    /// Audit: sample size (default 20) and seed (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sample: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub seed: Option<u64>,
    /// How the chart is drawn.
    #[serde(default, skip_serializing_if = "ChartEntry::is_empty")]
    #[ts(optional, as = "Option<ChartEntry>")]
    pub chart: ChartEntry,
    /// What `broadsheet run` writes (default: csv).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(optional, as = "Option<Vec<OutputFormat>>")]
    pub formats: Vec<OutputFormat>,
}

/// Periods tried for a timeline without one, finest first.
pub const AUTO_PERIODS: [Period; 4] = [Period::Week, Period::Month, Period::Quarter, Period::Year];

/// A timeline at the finest period whose median denominator (articles per group and dated
/// period, over the periods a group has articles in) reaches the small-n threshold, so that
/// most points rest on enough articles to be read; yearly when none does. The table's notes say
/// the period was chosen, and why.
pub fn auto_period(
    spec: TimelineSpec,
    mut timeline: impl FnMut(&TimelineSpec) -> Result<Table>,
) -> Result<Table> {
    let min = spec.min_total.max(1);
    let mut last = None;
    for p in AUTO_PERIODS {
        let t = timeline(&TimelineSpec {
            period: p,
            ..spec.clone()
        })?;
        let median = median_dated_total(&t)?;
        let enough = median.is_some_and(|m| m >= min as f64);
        if enough || p == Period::Year {
            let why = match median {
                Some(m) => format!(
                    "chosen from the data: the finest period whose median articles per group and period ({m:.1}) reach {min}"
                ),
                None => "chosen from the data: no dated articles".to_string(),
            };
            return Ok(t.note("period_chosen", why));
        }
        last = Some(t);
    }
    last.ok_or_else(|| AnalysisError::Invalid("no period to try".into()))
}

/// The median of the dated rows' denominators that are above zero.
fn median_dated_total(t: &Table) -> Result<Option<f64>> {
    let df = &t.frame;
    let start = df.column("start")?.str()?.clone();
    let total = df
        .column("total")?
        .cast(&polars::prelude::DataType::UInt64)?;
    let total = total.u64()?;
    let mut v: Vec<u64> = start
        .iter()
        .zip(total.iter())
        .filter_map(|(s, n)| match (s, n) {
            (Some(s), Some(n)) if !s.is_empty() && n > 0 => Some(n),
            _ => None,
        })
        .collect();
    if v.is_empty() {
        return Ok(None);
    }
    v.sort_unstable();
    let m = v.len() / 2;
    Ok(Some(if v.len() % 2 == 1 {
        v[m] as f64
    } else {
        (v[m - 1] + v[m]) as f64 / 2.0
    }))
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

/// A KWIC sort order as written: the inverse of [`parse_kwic_sort`].
pub fn kwic_sort_name(s: KwicSort) -> String {
    match s {
        KwicSort::Corpus => "corpus".into(),
        KwicSort::Left(1) => "left".into(),
        KwicSort::Right(1) => "right".into(),
        KwicSort::Left(n) => format!("left{n}"),
        KwicSort::Right(n) => format!("right{n}"),
    }
}

/// A collocation measure as written (`logdice`, `mi`, `t`, `ll`, `freq`).
pub fn measure_name(m: Measure) -> &'static str {
    match m {
        Measure::LogDice => "logdice",
        Measure::Mi => "mi",
        Measure::TScore => "t",
        Measure::LogLikelihood => "ll",
        Measure::Freq => "freq",
    }
}

/// `sort` in a project file and in the app's requests: a word, not a tagged object.
mod kwic_sort_text {
    use super::*;

    pub fn serialize<S: serde::Serializer>(
        v: &Option<KwicSort>,
        s: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        match v {
            Some(k) => s.serialize_str(&kwic_sort_name(*k)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> std::result::Result<Option<KwicSort>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|t| parse_kwic_sort(&t).map_err(serde::de::Error::custom))
            .transpose()
    }
}

/// `measure` in a project file and in the app's requests: the short words users write.
mod measure_text {
    use super::*;

    pub fn serialize<S: serde::Serializer>(
        v: &Option<Measure>,
        s: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        match v {
            Some(m) => s.serialize_str(measure_name(*m)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> std::result::Result<Option<Measure>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|t| t.parse::<Measure>().map_err(serde::de::Error::custom))
            .transpose()
    }
}

/// A name usable as an output file name: letters, digits, `-` and `_`; spaces, dots and
/// slashes become `-`; the kind's name when nothing is left.
pub fn file_name_of(name: &str, kind: Kind) -> String {
    let mut out = String::new();
    for c in name.trim().chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            out.push(c);
        } else if (c.is_whitespace() || c == '.' || c == '/') && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        kind.name().to_string()
    } else {
        out
    }
}

fn tidy_text(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

fn tidy_list(v: Vec<String>) -> Vec<String> {
    v.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

impl SubcorpusEntry {
    /// Blank text and list items removed.
    pub fn tidy(self) -> SubcorpusEntry {
        SubcorpusEntry {
            query: tidy_text(self.query),
            from: tidy_text(self.from),
            to: tidy_text(self.to),
            sources: tidy_list(self.sources),
            languages: tidy_list(self.languages),
            places: tidy_list(self.places),
            dedup: self.dedup,
        }
    }
}

impl AnalysisEntry {
    /// The entry as a form filled it, tidied: the name made a file name, blank text and list
    /// items removed, a keyness reference kept only when it says something (it then counts
    /// near-duplicates as the target does), and parameters other kinds use dropped.
    pub fn tidy(self) -> AnalysisEntry {
        let subcorpus = self.subcorpus.tidy();
        let reference = match self.kind {
            Kind::Keyness => self
                .reference
                .map(SubcorpusEntry::tidy)
                .filter(|r| {
                    !SubcorpusEntry {
                        dedup: false,
                        ..r.clone()
                    }
                    .is_empty()
                })
                .map(|r| SubcorpusEntry {
                    dedup: subcorpus.dedup,
                    ..r
                }),
            _ => None,
        };
        AnalysisEntry {
            name: file_name_of(&self.name, self.kind),
            subcorpus,
            reference,
            node: tidy_text(self.node),
            terms: tidy_list(self.terms),
            concepts: tidy_list(self.concepts),
            match_query: tidy_text(self.match_query),
            regions: tidy_list(self.regions),
            chart: ChartEntry {
                title: tidy_text(self.chart.title),
                subtitle: tidy_text(self.chart.subtitle),
                ..self.chart
            },
            ..self
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
            out.push(Concept::new(q.clone(), q.clone()));
        }
        Ok(out)
    }

    /// The chart of this analysis's table: timelines and region tables as shares when a concept
    /// is counted (counts otherwise), keyness labelled with its two subcorpora.
    pub fn chart(&self, t: &Table) -> Result<Option<broadsheet_chart::Chart>> {
        let counted = !self.concepts.is_empty() || self.match_query.is_some();
        let scale = if counted && !self.chart.counts {
            crate::charts::Scale::Share
        } else {
            crate::charts::Scale::Count
        };
        let labels = crate::charts::Labels {
            target: self.subcorpus.describe(),
            reference: self
                .reference
                .as_ref()
                .map(SubcorpusEntry::describe)
                .unwrap_or_else(|| "rest of the corpus".into()),
        };
        let mut chart =
            crate::charts::chart_of(self.kind, t, scale, self.min_total.or(Some(5)), &labels)?;
        if let Some(broadsheet_chart::Chart::Timeline(tl)) = &mut chart {
            tl.show_n = match self.chart.show_n {
                None => broadsheet_chart::ShowN::Hidden,
                Some(ShowCounts::Points) => broadsheet_chart::ShowN::Points,
                Some(ShowCounts::Table) => broadsheet_chart::ShowN::Table,
            };
            // The y-axis says which articles form each share, and the period the table used.
            let period = t.note_value("period").unwrap_or("period");
            let sentence = AnalysisEntry {
                period: period.parse().ok(),
                ..self.clone()
            }
            .share_sentence();
            // The title says what was counted; the axis says what it is a share of.
            let (counted, base) = sentence.split_once(" among ").unwrap_or((&sentence, ""));
            tl.y_label = Some(match scale {
                crate::charts::Scale::Share => format!("Share among {base}"),
                crate::charts::Scale::Count => {
                    let unit = base.rsplit_once(" in the ").map_or("period", |(_, p)| p);
                    format!("{} per {unit}", upper_first(counted))
                }
            });
        }
        Ok(chart)
    }

    /// A title for the chart: the one given, else what was counted, how, over what.
    pub fn title(&self) -> String {
        if let Some(t) = self.chart.title.as_ref().filter(|t| !t.trim().is_empty()) {
            return t.clone();
        }
        let what = match self.kind {
            Kind::Timeline | Kind::Regions => {
                let mut c = self.concepts.join(", ");
                if let Some(q) = &self.match_query {
                    if !c.is_empty() {
                        c.push_str(", ");
                    }
                    c.push_str(&title_text(q));
                }
                let by = match self.kind {
                    Kind::Regions => "by region".to_string(),
                    _ => format!("by {}", self.by.unwrap_or_default().name()),
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
            Kind::Kwic | Kind::Collocations => title_text(self.node.as_deref().unwrap_or_default()),
            Kind::Places | Kind::Audit => self.kind.name().into(),
        };
        let over = self.subcorpus.describe_beside(self.node.as_deref());
        if over == "all articles" {
            what
        } else {
            format!("{what} ({over})")
        }
    }

    /// What a timeline's or region table's share is, in words: the counted articles (the
    /// numerator) among which articles (the denominator): "articles matching «regional
    /// security» among all articles of the source in the month".
    pub fn share_sentence(&self) -> String {
        let mut counted: Vec<String> = self.concepts.iter().map(|c| format!("«{c}»")).collect();
        if let Some(q) = &self.match_query {
            counted.push(format!("«{q}»"));
        }
        let by = match self.kind {
            Kind::Regions => By::Region,
            _ => self.by.unwrap_or_default(),
        };
        let what = match (counted.len(), by) {
            (0, _) => "articles".to_string(),
            (_, By::Concept) => format!("articles matching each of {}", counted.join(", ")),
            _ => format!("articles matching {}", counted[0]),
        };
        let base = if self.subcorpus.is_empty() {
            "all articles".to_string()
        } else {
            format!("the articles of {}", self.subcorpus.describe())
        };
        let group = match by {
            By::None | By::Concept => String::new(),
            By::Source => " of the source".into(),
            By::Country => " mentioning the country".into(),
            By::Region => " mentioning the region".into(),
        };
        let period = match (self.kind, self.period) {
            (_, Some(p)) => format!("the {}", p.name()),
            (Kind::Regions, None) => "the year".into(),
            (_, None) => "the period".into(),
        };
        format!("{what} among {base}{group} in {period}")
    }

    /// Whether this analysis can be drawn as a chart.
    pub fn has_chart(&self) -> bool {
        matches!(
            self.kind,
            Kind::Terms | Kind::Keyness | Kind::Dispersion | Kind::Timeline | Kind::Regions
        )
    }

    /// The timeline a timeline or regions analysis computes (for a timeline without a period,
    /// the monthly one: [`auto_period`] chooses).
    pub fn timeline_spec(&self, concepts: &ConceptSet) -> Result<TimelineSpec> {
        let regions = self.kind == Kind::Regions;
        Ok(TimelineSpec {
            concepts: self.resolve_concepts(concepts)?,
            base: self.subcorpus.subcorpus(),
            period: self
                .period
                .unwrap_or(if regions { Period::Year } else { Period::Month }),
            group_by: if regions {
                GroupBy::Region(self.regions.clone())
            } else {
                self.by.unwrap_or_default().group_by(&self.regions)
            },
            min_total: self.min_total.unwrap_or(if regions { 0 } else { 5 }),
        })
    }

    /// A timeline's table with the sentence saying what its share is of.
    pub fn with_share_note(&self, t: Table) -> Table {
        let used = AnalysisEntry {
            period: t.note_value("period").and_then(|p| p.parse().ok()),
            ..self.clone()
        };
        t.note("share", used.share_sentence())
    }

    /// Runs the analysis.
    pub fn compute(&self, a: &Analyzer, concepts: &ConceptSet) -> Result<Table> {
        let sc = self.subcorpus.subcorpus();
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
                sort: self.sort.unwrap_or(KwicSort::Corpus),
                limit: self.limit.unwrap_or(0),
                offset: self.offset.unwrap_or(0),
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
                sort: self.measure.unwrap_or(Measure::LogDice),
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
            Kind::Timeline => {
                let spec = self.timeline_spec(concepts)?;
                let t = match self.period {
                    Some(_) => a.timeline(&spec)?,
                    None => auto_period(spec, |s| a.timeline(s))?,
                };
                Ok(self.with_share_note(t))
            }
            Kind::Regions => a.timeline(&self.timeline_spec(concepts)?),
            Kind::Places => {
                let mut t = a.place_tags(&sc)?;
                if let Some(n) = self.limit.filter(|n| *n > 0) {
                    t.frame = t.frame.head(Some(n));
                }
                Ok(t)
            }
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

/// The text with its first letter in upper case.
fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize, Deserialize)]
    struct File {
        analyses: Vec<AnalysisEntry>,
    }

    #[test]
    fn kwic_title_shows_a_long_query_once_and_keeps_the_period_in_order_beside_persian() {
        let query = format!("امنیت OR {}", vec!["security"; 40].join(" OR "));
        let e = AnalysisEntry {
            kind: Kind::Kwic,
            node: Some(query.clone()),
            subcorpus: SubcorpusEntry {
                query: Some(query),
                from: Some("2014-01".into()),
                to: Some("2014-03".into()),
                ..Default::default()
            },
            ..Default::default()
        };
        let title = e.title();
        assert_eq!(title.matches("امنیت").count(), 1, "{title}");
        assert!(title.chars().count() < 120, "{title}");
        // The node is isolated, so the period after it reads left to right.
        assert!(title.starts_with('\u{2068}'), "{title}");
        assert!(title.ends_with("…\u{2069} (2014-01 to 2014-03)"), "{title}");
        // Latin text is left as it is.
        let latin = AnalysisEntry {
            kind: Kind::Kwic,
            node: Some("border".into()),
            ..Default::default()
        };
        assert_eq!(latin.title(), "border");
    }

    #[test]
    fn entries_round_trip_through_toml() {
        let e = AnalysisEntry {
            name: "security-by-outlet".into(),
            kind: Kind::Timeline,
            subcorpus: SubcorpusEntry {
                places: vec!["central-asia".into()],
                ..Default::default()
            },
            concepts: vec!["regional security".into()],
            by: Some(By::Source),
            period: Some(Period::Month),
            sort: Some(KwicSort::Left(2)),
            measure: Some(Measure::TScore),
            formats: vec![OutputFormat::Csv, OutputFormat::Svg],
            ..Default::default()
        };
        let text = toml::to_string(&File {
            analyses: vec![e.clone()],
        })
        .unwrap();
        for line in [
            "kind = \"timeline\"",
            "by = \"source\"",
            "sort = \"left2\"",
            "measure = \"t\"",
            "formats = [\"csv\", \"svg\"]",
            "[analyses.subcorpus]",
            "places = [\"central-asia\"]",
        ] {
            assert!(text.contains(line), "{line} in {text}");
        }
        let back: File = toml::from_str(&text).unwrap();
        assert_eq!(back.analyses[0], e);
    }

    #[test]
    fn names_become_file_names() {
        assert_eq!(
            file_name_of(" Security by outlet ", Kind::Timeline),
            "Security-by-outlet"
        );
        assert_eq!(file_name_of("../../etc", Kind::Terms), "etc");
        assert_eq!(file_name_of("", Kind::Kwic), "kwic");
    }

    #[test]
    fn forms_are_tidied() {
        let e = AnalysisEntry {
            name: "t".into(),
            kind: Kind::Keyness,
            subcorpus: SubcorpusEntry {
                query: Some("  ".into()),
                sources: vec!["Steppe Herald".into(), " ".into()],
                dedup: true,
                ..Default::default()
            },
            reference: Some(SubcorpusEntry::default()),
            match_query: Some("".into()),
            ..Default::default()
        }
        .tidy();
        assert_eq!(e.subcorpus.query, None);
        assert_eq!(e.subcorpus.sources, vec!["Steppe Herald".to_string()]);
        assert!(e.subcorpus.dedup);
        assert_eq!(e.reference, None, "an empty reference is the rest");
        assert_eq!(e.match_query, None);
        let k = AnalysisEntry {
            kind: Kind::Keyness,
            subcorpus: SubcorpusEntry {
                dedup: true,
                ..Default::default()
            },
            reference: Some(SubcorpusEntry {
                from: Some("2020".into()),
                ..Default::default()
            }),
            ..Default::default()
        }
        .tidy();
        assert!(
            k.reference.unwrap().dedup,
            "the reference counts as the target does"
        );
    }

    #[test]
    fn written_words_are_read_and_wrong_ones_refused() {
        let read = |extra: &str| {
            toml::from_str::<File>(&format!(
                "[[analyses]]\nname = \"a\"\nkind = \"kwic\"\n{extra}\n"
            ))
        };
        let e = &read("sort = \"right\"\nmeasure = \"logdice\"\nby = \"none\"")
            .unwrap()
            .analyses[0];
        assert_eq!(
            (e.sort, e.measure, e.by),
            (
                Some(KwicSort::Right(1)),
                Some(Measure::LogDice),
                Some(By::None)
            )
        );
        for bad in [
            "sort = \"middle\"",
            "measure = \"cosine\"",
            "by = \"colour\"",
            "formats = [\"docx\"]",
            "query = \"flat fields are version 1\"",
        ] {
            assert!(read(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_kwic_sort("left2").unwrap(), KwicSort::Left(2));
        assert_eq!(kwic_sort_name(KwicSort::Left(2)), "left2");
        assert_eq!(kwic_sort_name(KwicSort::Right(1)), "right");
    }
}
