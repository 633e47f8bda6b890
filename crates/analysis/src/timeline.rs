//! Timelines: articles matching a concept per period, grouped by source, country, region or
//! concept. Every row carries the count, its denominator (all articles of that group and period
//! in the base subcorpus) and the share; periods whose denominator is below a threshold are
//! flagged; undated and imprecisely dated articles have rows of their own.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use polars::prelude::*;

use broadsheet_store::Subcorpus;

use crate::period::{PeriodKey, IMPRECISE, UNDATED};
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

struct Series {
    count: FxHashMap<(u32, Option<PeriodKey>, u8), u64>,
    total: FxHashMap<(u32, Option<PeriodKey>, u8), u64>,
}

/// Row kinds: 0 = dated period, 1 = imprecise, 2 = undated.
const DATED: u8 = 0;
const IMPRECISE_ROW: u8 = 1;
const UNDATED_ROW: u8 = 2;

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
        let base_ids = self.ids(&spec.base)?;
        // Articles are handled by their position in the metadata: the base as positions, each
        // counted concept as a mask over positions (within the base).
        let base_pos = positions(meta, &base_ids);
        let counted: Vec<&Concept> = match spec.group_by {
            GroupBy::Concept => spec.concepts.iter().collect(),
            _ => spec.concepts.iter().take(1).collect(),
        };
        let mut matches: Vec<Vec<bool>> = Vec::new();
        let mut matched_counts: Vec<usize> = Vec::new();
        for c in &counted {
            let ids = self.ids(&Subcorpus {
                query: Some(c.full_query()),
                filters: spec.base.filters.clone(),
            })?;
            let mut mask = vec![false; meta.articles.len()];
            for p in positions(meta, &ids) {
                mask[p] = true;
            }
            let mut in_base = vec![false; meta.articles.len()];
            let mut n = 0;
            for &p in &base_pos {
                if mask[p] {
                    in_base[p] = true;
                    n += 1;
                }
            }
            matches.push(in_base);
            matched_counts.push(n);
        }
        // The series of each source, interned once per source rather than once per article.
        let mut source_group: Vec<Option<u32>> = vec![None; meta.sources.len()];
        // Group names and each article's groups.
        let mut group_names: Vec<String> = Vec::new();
        let mut group_ix: FxHashMap<String, u32> = FxHashMap::default();
        let mut intern = |name: &str, names: &mut Vec<String>| -> u32 {
            if let Some(i) = group_ix.get(name) {
                return *i;
            }
            let i = names.len() as u32;
            names.push(name.to_string());
            group_ix.insert(name.to_string(), i);
            i
        };
        let places = match spec.group_by {
            GroupBy::Country | GroupBy::Region(_) => Some(self.places_by_article()?),
            _ => None,
        };
        let gaz = broadsheet_geo::Gazetteer::builtin();
        let wanted_regions: Option<Vec<String>> = match &spec.group_by {
            GroupBy::Region(r) if !r.is_empty() => {
                for id in r {
                    if gaz.region(id).is_none() {
                        return Err(AnalysisError::Invalid(format!(
                            "`{id}` is not a region id (`broadsheet regions --list` lists them)"
                        )));
                    }
                }
                Some(r.clone())
            }
            _ => None,
        };
        let mut series = Series {
            count: FxHashMap::default(),
            total: FxHashMap::default(),
        };
        let mut first: Option<PeriodKey> = None;
        let mut last: Option<PeriodKey> = None;
        let (mut undated, mut imprecise) = (0u64, 0u64);
        let mut groups: Vec<(u32, bool)> = Vec::new();
        for &ix in &base_pos {
            let a = &meta.articles[ix];
            let id = &a.id;
            let key = spec.period.key(a.published_at, a.precision);
            let kind = match (&key, a.published_at) {
                (Some(_), _) => DATED,
                (None, Some(_)) => IMPRECISE_ROW,
                (None, None) => UNDATED_ROW,
            };
            match kind {
                UNDATED_ROW => undated += 1,
                IMPRECISE_ROW => imprecise += 1,
                _ => {
                    let k = key.clone().expect("dated");
                    if first.as_ref().is_none_or(|f| k < *f) {
                        first = Some(k.clone());
                    }
                    if last.as_ref().is_none_or(|l| k > *l) {
                        last = Some(k);
                    }
                }
            }
            // The groups this article belongs to, with whether it matches in each.
            groups.clear();
            let matched0 = matches.first().is_none_or(|m| m[ix]);
            match &spec.group_by {
                GroupBy::None => groups.push((intern("all", &mut group_names), matched0)),
                GroupBy::Source => {
                    let g = match source_group.get(a.source as usize).copied().flatten() {
                        Some(g) => g,
                        None => {
                            let g = intern(meta.source_name(a), &mut group_names);
                            if let Some(slot) = source_group.get_mut(a.source as usize) {
                                *slot = Some(g);
                            }
                            g
                        }
                    };
                    groups.push((g, matched0))
                }
                GroupBy::Concept => {
                    for (ci, c) in counted.iter().enumerate() {
                        groups.push((intern(&c.name, &mut group_names), matches[ci][ix]));
                    }
                }
                GroupBy::Country => {
                    let ps = places.as_ref().and_then(|p| p.get(id));
                    let mut any = false;
                    for (p, kind) in ps.into_iter().flatten() {
                        if kind == "country" {
                            groups.push((intern(p, &mut group_names), matched0));
                            any = true;
                        }
                    }
                    if !any {
                        groups.push((intern("(none)", &mut group_names), matched0));
                    }
                }
                GroupBy::Region(_) => {
                    let ps = places.as_ref().and_then(|p| p.get(id));
                    let mut regions: Vec<String> = Vec::new();
                    for (p, kind) in ps.into_iter().flatten() {
                        if kind == "region" {
                            regions.push(p.clone());
                        } else {
                            regions.extend(gaz.regions_of(p).into_iter().map(|r| r.id.clone()));
                        }
                    }
                    regions.sort();
                    regions.dedup();
                    for r in regions {
                        if wanted_regions.as_ref().is_none_or(|w| w.contains(&r)) {
                            groups.push((intern(&r, &mut group_names), matched0));
                        }
                    }
                }
            }
            for &(g, m) in &groups {
                let k = (g, key.clone(), kind);
                *series.total.entry(k.clone()).or_default() += 1;
                if m {
                    *series.count.entry(k).or_default() += 1;
                }
            }
        }
        // Every group gets every period from the first to the last dated one (zeros included),
        // then its undated row, and its imprecise row when there is one.
        let periods: Vec<PeriodKey> = match (&first, &last) {
            (Some(f), Some(l)) => spec.period.range(f, l),
            _ => Vec::new(),
        };
        let mut order: Vec<u32> = (0..group_names.len() as u32).collect();
        if let GroupBy::Region(r) = &spec.group_by {
            if !r.is_empty() {
                // Series in the order asked for, even those with no articles.
                for id in r {
                    intern(id, &mut group_names);
                }
                order = r.iter().map(|id| group_ix_of(&group_names, id)).collect();
            } else {
                order.sort_by(|a, b| group_names[*a as usize].cmp(&group_names[*b as usize]));
            }
        } else if spec.group_by != GroupBy::Concept {
            order.sort_by(|a, b| group_names[*a as usize].cmp(&group_names[*b as usize]));
        } else {
            // Concepts in the order given.
            order = counted
                .iter()
                .map(|c| group_ix_of(&group_names, &c.name))
                .collect();
        }
        let (
            mut c_period,
            mut c_start,
            mut c_group,
            mut c_count,
            mut c_total,
            mut c_share,
            mut c_low,
        ) = (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
        let mut push =
            |label: String, start: String, g: &str, count: u64, total: u64, low: bool| {
                c_period.push(label);
                c_start.push(start);
                c_group.push(g.to_string());
                c_count.push(count);
                c_total.push(total);
                c_share.push(if total == 0 {
                    None
                } else {
                    Some(count as f64 / total as f64)
                });
                c_low.push(low);
            };
        for g in order {
            let name = group_names[g as usize].clone();
            for k in &periods {
                let key = (g, Some(k.clone()), DATED);
                let total = series.total.get(&key).copied().unwrap_or(0);
                let count = series.count.get(&key).copied().unwrap_or(0);
                push(
                    spec.period.label(k),
                    spec.period.start_date(k),
                    &name,
                    count,
                    total,
                    total < spec.min_total,
                );
            }
            for (kind, label) in [(UNDATED_ROW, UNDATED), (IMPRECISE_ROW, IMPRECISE)] {
                let key = (g, None, kind);
                let total = series.total.get(&key).copied().unwrap_or(0);
                if kind == IMPRECISE_ROW && total == 0 {
                    continue;
                }
                let count = series.count.get(&key).copied().unwrap_or(0);
                push(label.to_string(), String::new(), &name, count, total, false);
            }
        }
        let n = c_period.len();
        let frame = DataFrame::new(
            n,
            vec![
                Column::new("period".into(), c_period),
                Column::new("start".into(), c_start),
                Column::new("group".into(), c_group),
                Column::new("count".into(), c_count),
                Column::new("total".into(), c_total),
                Column::new("share".into(), c_share),
                Column::new("low_total".into(), c_low),
            ],
        )?;
        let matched_total: usize = matched_counts.first().copied().unwrap_or(base_pos.len());
        Ok(Table::new(frame)
            .note("articles", base_ids.len())
            .note("matching", matched_total)
            .note("undated", undated)
            .note("imprecise", imprecise)
            .note("period", format!("{:?}", spec.period).to_lowercase()))
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

fn group_ix_of(names: &[String], name: &str) -> u32 {
    names.iter().position(|n| n == name).unwrap_or(0) as u32
}
