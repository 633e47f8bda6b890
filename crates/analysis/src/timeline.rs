//! Timelines: articles matching a concept per period, grouped by source, country, region or
//! concept. Every row carries the count, its denominator (all articles of that group and period
//! in the base subcorpus) and the share; periods whose denominator is below a threshold are
//! flagged; undated and imprecisely dated articles have rows of their own.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use polars::prelude::*;

use broadsheet_store::Subcorpus;

use crate::period::{PeriodKey, PeriodKeys, IMPRECISE, UNDATED};
use crate::{AnalysisError, Analyzer, Concept, Period, Result, Table};

/// What the series of a timeline are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "by", content = "values")]
pub enum GroupBy {
    /// One series: `all`.
    None,
    /// One series per source.
    Source,
    /// One series per country mentioned (ISO code); an article counts for every country it
    /// mentions.
    Country,
    /// One series per region (ids, or every region found when empty); an article counts for
    /// every region it mentions by name or through a member country.
    Region(Vec<String>),
    /// One series per concept; the denominator is the same for all.
    Concept,
}

/// A timeline request.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TimelineSpec {
    /// The concepts counted. With [`GroupBy::Concept`] each is a series; otherwise the first is
    /// counted (none: every article of the base counts, and the share is 1).
    pub concepts: Vec<Concept>,
    /// The articles that make the denominators: a query and filters.
    pub base: Subcorpus,
    pub period: Period,
    pub group_by: GroupBy,
    /// Periods whose denominator is below this are flagged `low_total`.
    pub min_total: u64,
}

/// The articles counted into the timeline's cells: for each cell — its series, row kind and the
/// period's first day packed into one integer ([`cell`]) — its denominator and how many of its
/// articles match, and the first and last dated day. Counted here rather than by a polars
/// `group_by` over one row per (article, series): at 100k articles the hash map takes 0.3 ms
/// and polars' group-by 2.7–4.4 ms, a third of the whole timeline (ARCHITECTURE.md, "What
/// polars computes").
#[derive(Default)]
struct Cells {
    counts: FxHashMap<i64, (u64, u64)>,
    span: Option<(i32, i32)>,
}

impl Cells {
    fn push(&mut self, group: u32, day: i32, kind: i32, matched: bool) {
        let (total, count) = self.counts.entry(cell(group, day, kind)).or_default();
        *total += 1;
        *count += u64::from(matched);
        if kind == DATED {
            let (f, l) = self.span.get_or_insert((day, day));
            (*f, *l) = ((*f).min(day), (*l).max(day));
        }
    }

    fn frame(self) -> Result<DataFrame> {
        let mut rows: Vec<(i64, (u64, u64))> = self.counts.into_iter().collect();
        rows.sort_unstable();
        Ok(DataFrame::new(
            rows.len(),
            vec![
                Column::new("cell".into(), rows.iter().map(|r| r.0).collect::<Vec<_>>()),
                Column::new(
                    "total".into(),
                    rows.iter().map(|r| r.1 .0).collect::<Vec<_>>(),
                ),
                Column::new(
                    "count".into(),
                    rows.iter().map(|r| r.1 .1).collect::<Vec<_>>(),
                ),
            ],
        )?)
    }
}

/// A timeline cell as one integer: the series in the high bits, then the row kind (2 bits),
/// then the day (32 bits), so that the cells join the grid on one column.
fn cell(group: u32, day: i32, kind: i32) -> i64 {
    ((group as i64) << 34) | ((kind as i64) << 32) | (day as u32 as i64)
}

/// The day of the special rows (undated, imprecise): join keys are never null, so the grid's
/// special rows meet their counts.
const NO_DAY: i32 = i32::MIN;

/// Row kinds: 0 = dated period, 1 = imprecise, 2 = undated.
const DATED: i32 = 0;
const IMPRECISE_ROW: i32 = 1;
const UNDATED_ROW: i32 = 2;

impl Analyzer<'_> {
    /// Computes a timeline. Columns: `period` (label, or `undated`/`imprecise`), `start` (first
    /// day of the period, empty for the special rows), `group`, `count`, `total`, `share`
    /// (null when `total` is 0), `low_total`.
    pub fn timeline(&self, spec: &TimelineSpec) -> Result<Table> {
        for c in &spec.concepts {
            c.validate()?;
        }
        if spec.group_by == GroupBy::Concept && spec.concepts.is_empty() {
            return Err(AnalysisError::Invalid(
                "a timeline by concept needs at least one concept".into(),
            ));
        }
        let meta = self.meta()?;
        // Articles are handled by their position in the metadata: the base as positions, each
        // counted concept as a mask over positions (within the base).
        let base_pos = if spec.base.is_everything() {
            (0..meta.articles.len()).collect()
        } else {
            positions(meta, &self.ids(&spec.base)?)
        };
        let counted: Vec<&Concept> = match spec.group_by {
            GroupBy::Concept => spec.concepts.iter().collect(),
            _ => spec.concepts.iter().take(1).collect(),
        };
        let (matches, matched_counts) = self.concept_masks(spec, &counted, &base_pos)?;
        let mut groups = Groups::new(self, spec)?;
        let mut members = Cells::default();
        let (mut undated, mut imprecise) = (0u64, 0u64);
        let mut article_groups: Vec<(u32, bool)> = Vec::new();
        let keys = PeriodKeys::new(
            spec.period,
            base_pos.iter().map(|&ix| meta.articles[ix].published_at),
        );
        for &ix in &base_pos {
            let a = &meta.articles[ix];
            let key = keys.key(a.published_at, a.precision);
            let (day, kind) = match (&key, a.published_at) {
                (Some(k), _) => (k.0, DATED),
                (None, Some(_)) => (NO_DAY, IMPRECISE_ROW),
                (None, None) => (NO_DAY, UNDATED_ROW),
            };
            match kind {
                UNDATED_ROW => undated += 1,
                IMPRECISE_ROW => imprecise += 1,
                _ => {}
            }
            article_groups.clear();
            groups.of_article(meta, ix, &counted, &matches, &mut article_groups);
            for &(g, m) in &article_groups {
                members.push(g, day, kind, m);
            }
        }
        let order = groups.order(spec, &counted);
        let frame = timeline_frame(spec, members, &groups.names, &order)?;
        let matched_total: usize = matched_counts.first().copied().unwrap_or(base_pos.len());
        Ok(Table::new(frame)
            .note("articles", base_pos.len())
            .note("matching", matched_total)
            .note("undated", undated)
            .note("imprecise", imprecise)
            .note("period", format!("{:?}", spec.period).to_lowercase()))
    }

    /// For each counted concept, a mask over metadata positions of the base articles it
    /// matches, and how many those are.
    fn concept_masks(
        &self,
        spec: &TimelineSpec,
        counted: &[&Concept],
        base_pos: &[usize],
    ) -> Result<(Vec<Vec<bool>>, Vec<usize>)> {
        let n = self.meta()?.articles.len();
        let mut matches = Vec::new();
        let mut matched_counts = Vec::new();
        for c in counted {
            let ids = self.ids(&Subcorpus {
                query: Some(c.full_query()),
                filters: spec.base.filters.clone(),
            })?;
            let mut mask = vec![false; n];
            for p in positions(self.meta()?, &ids) {
                mask[p] = true;
            }
            let mut in_base = vec![false; n];
            let mut matched = 0;
            for &p in base_pos {
                if mask[p] {
                    in_base[p] = true;
                    matched += 1;
                }
            }
            matches.push(in_base);
            matched_counts.push(matched);
        }
        Ok((matches, matched_counts))
    }

    /// The places of every article (country codes and region ids mentioned by name).
    pub(crate) fn places_by_article(&self) -> Result<FxHashMap<i64, Vec<(String, String)>>> {
        let mut out: FxHashMap<i64, Vec<(String, String)>> = FxHashMap::default();
        for (id, place, kind, _) in self.store().place_tags()? {
            out.entry(id).or_default().push((place, kind));
        }
        Ok(out)
    }
}

/// One counted cell of a timeline computed elsewhere (another engine): the series, the row kind
/// (0 dated, 1 imprecise, 2 undated), the period's first day (days since 1970; any value for
/// the special rows), the articles of the base and how many of them match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellCount {
    pub series: String,
    pub kind: i32,
    pub day: i32,
    pub total: u64,
    pub count: u64,
}

/// The totals a timeline's notes give: articles in the base, how many match the first counted
/// concept, and how many are undated or dated less precisely than the period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TimelineTotals {
    pub articles: u64,
    pub matching: u64,
    pub undated: u64,
    pub imprecise: u64,
}

/// The timeline table from cells counted by another engine, assembled exactly as
/// [`Analyzer::timeline`] assembles its own (the same grid, zero-filling, shares and flags).
pub fn timeline_from_cells(
    spec: &TimelineSpec,
    cells: &[CellCount],
    totals: TimelineTotals,
) -> Result<Table> {
    let mut names: Vec<String> = Vec::new();
    let mut index: FxHashMap<String, u32> = FxHashMap::default();
    let mut intern = |name: &str, names: &mut Vec<String>| -> u32 {
        *index.entry(name.to_string()).or_insert_with(|| {
            names.push(name.to_string());
            (names.len() - 1) as u32
        })
    };
    let mut members = Cells::default();
    for c in cells {
        let g = intern(&c.series, &mut names);
        let day = if c.kind == DATED { c.day } else { NO_DAY };
        let (total, count) = members.counts.entry(cell(g, day, c.kind)).or_default();
        *total += c.total;
        *count += c.count;
        if c.kind == DATED {
            let (f, l) = members.span.get_or_insert((day, day));
            (*f, *l) = ((*f).min(day), (*l).max(day));
        }
    }
    let asked: Option<Vec<String>> = match &spec.group_by {
        GroupBy::Region(r) if !r.is_empty() => Some(r.clone()),
        GroupBy::Concept => Some(spec.concepts.iter().map(|c| c.name.clone()).collect()),
        _ => None,
    };
    let order: Vec<u32> = match asked {
        Some(asked) => asked.iter().map(|n| intern(n, &mut names)).collect(),
        None => {
            let mut order: Vec<u32> = (0..names.len() as u32).collect();
            order.sort_by(|a, b| names[*a as usize].cmp(&names[*b as usize]));
            order
        }
    };
    let frame = timeline_frame(spec, members, &names, &order)?;
    Ok(Table::new(frame)
        .note("articles", totals.articles)
        .note("matching", totals.matching)
        .note("undated", totals.undated)
        .note("imprecise", totals.imprecise)
        .note("period", format!("{:?}", spec.period).to_lowercase()))
}

/// The positions in the metadata of sorted article ids (ids it does not know are left out).
fn positions(meta: &broadsheet_store::CorpusMeta, ids: &[i64]) -> Vec<usize> {
    let mut out = Vec::with_capacity(ids.len());
    let mut j = 0;
    for &id in ids {
        while j < meta.articles.len() && meta.articles[j].id < id {
            j += 1;
        }
        if j < meta.articles.len() && meta.articles[j].id == id {
            out.push(j);
        }
    }
    out
}

/// The series of a timeline: their names (interned) and which of them each article is in.
struct Groups<'a> {
    by: &'a GroupBy,
    names: Vec<String>,
    index: FxHashMap<String, u32>,
    /// Each source's series, interned once per source rather than once per article.
    of_source: Vec<Option<u32>>,
    places: Option<FxHashMap<i64, Vec<(String, String)>>>,
    gazetteer: broadsheet_geo::Gazetteer,
    wanted_regions: Option<&'a [String]>,
}

impl<'a> Groups<'a> {
    fn new(an: &Analyzer<'_>, spec: &'a TimelineSpec) -> Result<Self> {
        let gazetteer = broadsheet_geo::Gazetteer::builtin();
        let wanted_regions = match &spec.group_by {
            GroupBy::Region(r) if !r.is_empty() => {
                if let Some(id) = r.iter().find(|id| gazetteer.region(id).is_none()) {
                    return Err(AnalysisError::Invalid(format!(
                        "`{id}` is not a region id (`broadsheet regions --list` lists them)"
                    )));
                }
                Some(r.as_slice())
            }
            _ => None,
        };
        let places = match spec.group_by {
            GroupBy::Country | GroupBy::Region(_) => Some(an.places_by_article()?),
            _ => None,
        };
        Ok(Groups {
            by: &spec.group_by,
            names: Vec::new(),
            index: FxHashMap::default(),
            of_source: vec![None; an.meta()?.sources.len()],
            places,
            gazetteer,
            wanted_regions,
        })
    }

    fn intern(&mut self, name: &str) -> u32 {
        if let Some(i) = self.index.get(name) {
            return *i;
        }
        let i = self.names.len() as u32;
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), i);
        i
    }

    /// The series the article at metadata position `ix` belongs to, with whether it matches
    /// in each.
    fn of_article(
        &mut self,
        meta: &broadsheet_store::CorpusMeta,
        ix: usize,
        counted: &[&Concept],
        matches: &[Vec<bool>],
        out: &mut Vec<(u32, bool)>,
    ) {
        let a = &meta.articles[ix];
        let matched = matches.first().is_none_or(|m| m[ix]);
        match self.by {
            GroupBy::None => out.push((self.intern("all"), matched)),
            GroupBy::Source => {
                let slot = a.source as usize;
                let g = match self.of_source.get(slot).copied().flatten() {
                    Some(g) => g,
                    None => {
                        let g = self.intern(meta.source_name(a));
                        if let Some(s) = self.of_source.get_mut(slot) {
                            *s = Some(g);
                        }
                        g
                    }
                };
                out.push((g, matched))
            }
            GroupBy::Concept => {
                for (ci, c) in counted.iter().enumerate() {
                    out.push((self.intern(&c.name), matches[ci][ix]));
                }
            }
            GroupBy::Country => {
                let countries: Vec<String> = self
                    .places_of(a.id)
                    .filter(|(_, kind)| kind == "country")
                    .map(|(p, _)| p.clone())
                    .collect();
                if countries.is_empty() {
                    out.push((self.intern("(none)"), matched));
                }
                for p in countries {
                    out.push((self.intern(&p), matched));
                }
            }
            GroupBy::Region(_) => {
                let mut regions: Vec<String> = Vec::new();
                for (p, kind) in self.places_of(a.id) {
                    if kind == "region" {
                        regions.push(p.clone());
                    } else {
                        let of = self.gazetteer.regions_of(p);
                        regions.extend(of.into_iter().map(|r| r.id.clone()));
                    }
                }
                regions.sort();
                regions.dedup();
                regions.retain(|r| self.wanted_regions.is_none_or(|w| w.contains(r)));
                for r in regions {
                    out.push((self.intern(&r), matched));
                }
            }
        }
    }

    fn places_of(&self, id: i64) -> impl Iterator<Item = &(String, String)> {
        self.places
            .as_ref()
            .and_then(|p| p.get(&id))
            .into_iter()
            .flatten()
    }

    /// The series in the order they are shown: regions and concepts in the order asked for
    /// (those with no article included), everything else by name.
    fn order(&mut self, spec: &TimelineSpec, counted: &[&Concept]) -> Vec<u32> {
        let asked: Vec<String> = match &spec.group_by {
            GroupBy::Region(r) if !r.is_empty() => r.clone(),
            GroupBy::Concept => counted.iter().map(|c| c.name.clone()).collect(),
            _ => {
                let mut order: Vec<u32> = (0..self.names.len() as u32).collect();
                order.sort_by(|a, b| self.names[*a as usize].cmp(&self.names[*b as usize]));
                return order;
            }
        };
        asked.iter().map(|name| self.intern(name)).collect()
    }
}

/// The timeline table, computed by polars from the counted cells: every period from the first
/// to the last dated one zero-filled by a left join of the grid of series × periods (in the
/// order shown) with the cells, the imprecise rows without articles dropped, shares and the
/// small-denominator flag as expressions.
fn timeline_frame(
    spec: &TimelineSpec,
    members: Cells,
    names: &[String],
    order: &[u32],
) -> Result<DataFrame> {
    let periods = match members.span {
        Some((f, l)) => spec.period.range(&PeriodKey(f), &PeriodKey(l)),
        None => Vec::new(),
    };
    let counts = members.frame()?.lazy();
    let grid = timeline_grid(spec, &periods, names, order)?;
    let zero = lit(0u64);
    let table = grid
        .lazy()
        .join(
            counts,
            [col("cell")],
            [col("cell")],
            JoinArgs {
                maintain_order: MaintainOrderJoin::Left,
                ..JoinArgs::new(JoinType::Left)
            },
        )
        // An imprecise row only when there are imprecisely dated articles.
        .filter(
            col("kind")
                .neq(lit(IMPRECISE_ROW))
                .or(col("total").is_not_null()),
        )
        .select([
            col("period"),
            col("start"),
            col("group"),
            col("count").fill_null(zero.clone()),
            col("total").fill_null(zero),
            (col("count").cast(DataType::Float64) / col("total").cast(DataType::Float64))
                .alias("share"),
            col("kind")
                .eq(lit(DATED))
                .and(col("total").fill_null(lit(0u64)).lt(lit(spec.min_total)))
                .alias("low_total"),
        ])
        .collect()?;
    Ok(table)
}

/// Every row the timeline shows, in order: for each series, every period, then its undated
/// row and its imprecise row (kept only when it has articles).
fn timeline_grid(
    spec: &TimelineSpec,
    periods: &[PeriodKey],
    names: &[String],
    order: &[u32],
) -> Result<DataFrame> {
    let labels: Vec<(i32, String, String)> = periods
        .iter()
        .map(|k| (k.0, spec.period.label(k), spec.period.start_date(k)))
        .collect();
    let rows = order.len() * (periods.len() + 2);
    let (mut cells, mut kind) = (Vec::with_capacity(rows), Vec::with_capacity(rows));
    let (mut period, mut start, mut group) = (
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
    );
    // Borrowed labels: a grid has a row per series and period, and owned strings cost an
    // allocation each.
    let special = [(UNDATED_ROW, UNDATED), (IMPRECISE_ROW, IMPRECISE)]
        .map(|(k, label)| (NO_DAY, k, label, ""));
    for &s in order {
        let dated = labels
            .iter()
            .map(|(d, label, first)| (*d, DATED, label.as_str(), first.as_str()));
        for (d, k, label, first) in dated.chain(special) {
            cells.push(cell(s, d, k));
            kind.push(k);
            period.push(label);
            start.push(first);
            group.push(names[s as usize].as_str());
        }
    }
    let n = cells.len();
    Ok(DataFrame::new(
        n,
        vec![
            Column::new("cell".into(), cells),
            Column::new("kind".into(), kind),
            Column::new("period".into(), period),
            Column::new("start".into(), start),
            Column::new("group".into(), group),
        ],
    )?)
}
