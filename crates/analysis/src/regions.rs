//! Regions: the gazetteer's countries and regions, and each article's place tags (the countries
//! and regions it mentions, how often, and the country it is most about). The region × period
//! table is a timeline grouped by region (`timeline` with `GroupBy::Region`).

use polars::prelude::*;

use broadsheet_geo::Gazetteer;
use broadsheet_store::Subcorpus;

use crate::{Analyzer, Result, Table};

/// The regions of the built-in gazetteer. Columns: `id`, `name`, `kind`, `members`.
pub fn regions_table() -> Result<Table> {
    let g = Gazetteer::builtin();
    let rs = g.regions();
    let frame = DataFrame::new(
        rs.len(),
        vec![
            Column::new(
                "id".into(),
                rs.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "name".into(),
                rs.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
            ),
            Column::new(
                "kind".into(),
                rs.iter()
                    .map(|r| format!("{:?}", r.kind).to_lowercase())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "members".into(),
                rs.iter().map(|r| r.members.join(" ")).collect::<Vec<_>>(),
            ),
        ],
    )?;
    Ok(Table::new(frame).note("regions", rs.len()))
}

impl Analyzer<'_> {
    /// Place tags of a subcorpus's articles. Columns: `id`, `source`, `date`, `country` (the
    /// country it is most about), `countries` (`KG:3 RU:1`, by mentions), `regions` (every
    /// region it belongs to, by name or through a member country).
    pub fn place_tags(&self, sc: &Subcorpus) -> Result<Table> {
        let meta = self.meta()?;
        let ids = self.ids(sc)?;
        let places = self.places_by_article()?;
        let gaz = Gazetteer::builtin();
        let countries: std::collections::BTreeMap<i64, Option<String>> = {
            let mut st = self
                .store()
                .connection()
                .prepare("SELECT id, country FROM articles")
                .map_err(broadsheet_store::StoreError::from)?;
            let rows = st
                .query_map([], |r| {
                    Ok((r.get::<_, i64>(0)?, r.get::<_, Option<String>>(1)?))
                })
                .map_err(broadsheet_store::StoreError::from)?;
            rows.collect::<std::result::Result<_, _>>()
                .map_err(broadsheet_store::StoreError::from)?
        };
        let mentions: std::collections::BTreeMap<i64, Vec<(String, u32)>> = {
            let mut m: std::collections::BTreeMap<i64, Vec<(String, u32)>> = Default::default();
            for (id, place, kind, n) in self.store().place_tags()? {
                if kind == "country" && n > 0 {
                    m.entry(id).or_default().push((place, n));
                }
            }
            m
        };
        let (mut c_id, mut c_source, mut c_date, mut c_country, mut c_countries, mut c_regions) =
            (vec![], vec![], vec![], vec![], vec![], vec![]);
        for id in &ids {
            let Some(ix) = meta.index_of(*id) else {
                continue;
            };
            let a = &meta.articles[ix];
            let mut cs = mentions.get(id).cloned().unwrap_or_default();
            cs.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
            let mut regions: Vec<String> = Vec::new();
            for (p, kind) in places.get(id).into_iter().flatten() {
                if kind == "region" {
                    regions.push(p.clone());
                } else {
                    regions.extend(gaz.regions_of(p).into_iter().map(|r| r.id.clone()));
                }
            }
            regions.sort();
            regions.dedup();
            c_id.push(*id);
            c_source.push(meta.source_name(a).to_string());
            c_date.push(
                a.published_at
                    .map(|t| broadsheet_model::format_date(t, a.precision)),
            );
            c_country.push(countries.get(id).cloned().flatten());
            c_countries.push(
                cs.iter()
                    .map(|(c, n)| format!("{c}:{n}"))
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            c_regions.push(regions.join(" "));
        }
        let frame = DataFrame::new(
            c_id.len(),
            vec![
                Column::new("id".into(), c_id),
                Column::new("source".into(), c_source),
                Column::new("date".into(), c_date),
                Column::new("country".into(), c_country),
                Column::new("countries".into(), c_countries),
                Column::new("regions".into(), c_regions),
            ],
        )?;
        Ok(Table::new(frame).note("articles", ids.len()))
    }
}
