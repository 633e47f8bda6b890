//! Pages of a subcorpus for tables that scroll through millions of rows: the total, and one
//! page by offset in the same order as [`Store::list`], fetched so that a deep page costs an
//! index walk rather than a sort of the whole corpus (dated articles through the date index,
//! then the undated ones; ids first, whole rows only for the page).

use serde::Serialize;

use crate::search::{date_of, Sort, Subcorpus};
use crate::stats::ArticleRow;
use crate::{Store, StoreError};

/// One page of a listing and the number of articles in all.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ArticlePage {
    pub total: u64,
    pub rows: Vec<ArticleRow>,
}

impl Store {
    /// The articles of a subcorpus at `offset..offset + limit`, in the order [`Store::list`]
    /// gives (date and newest: undated last), with the total.
    pub fn page(
        &self,
        sc: &Subcorpus,
        sort: Sort,
        limit: usize,
        offset: usize,
    ) -> Result<ArticlePage, StoreError> {
        let c = self.compile(sc)?;
        let params = rusqlite::params_from_iter(c.params.iter());
        let (total, dated): (i64, i64) = self
            .conn
            .query_row(
                &format!(
                    "SELECT count(*), count(a.published_at) FROM articles a WHERE {}",
                    c.where_sql
                ),
                params,
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.name_busy(e.into()))?;
        let (total, dated) = (total as usize, dated as usize);
        let end = offset.saturating_add(limit).min(total);
        let mut ids: Vec<i64> = Vec::with_capacity(end.saturating_sub(offset));
        let mut ids_where = |cond: &str,
                             order: &str,
                             lim: usize,
                             off: usize|
         -> Result<(), StoreError> {
            if lim == 0 {
                return Ok(());
            }
            let sql = format!(
                "SELECT a.id FROM articles a WHERE ({}) AND {cond} ORDER BY {order} LIMIT {lim} OFFSET {off}",
                c.where_sql
            );
            let mut st = self.conn.prepare(&sql)?;
            let rows = st.query_map(rusqlite::params_from_iter(c.params.iter()), |r| r.get(0))?;
            for id in rows {
                ids.push(id?);
            }
            Ok(())
        };
        match sort {
            Sort::Id => ids_where("1", "a.id", end.saturating_sub(offset), offset)?,
            Sort::Date | Sort::Relevance | Sort::Newest => {
                let order = if sort == Sort::Newest {
                    "a.published_at DESC, a.id"
                } else {
                    "a.published_at, a.id"
                };
                // Dated articles first, through the date index…
                let dated_end = end.min(dated);
                if offset < dated_end {
                    ids_where(
                        "a.published_at IS NOT NULL",
                        order,
                        dated_end - offset,
                        offset,
                    )?;
                }
                // …then the undated ones, in id order.
                if end > dated && end > offset {
                    let from = offset.max(dated);
                    ids_where("a.published_at IS NULL", "a.id", end - from, from - dated)?;
                }
            }
        }
        let mut rows = Vec::with_capacity(ids.len());
        let mut st = self.conn.prepare_cached(
            "SELECT a.id, s.name, a.published_at, a.date_precision, a.title, a.language, a.chars
             FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.id = ?1",
        )?;
        for id in ids {
            rows.push(st.query_row([id], |r| {
                Ok(ArticleRow {
                    id: r.get(0)?,
                    source: r.get(1)?,
                    date: date_of(r.get(2)?, &r.get::<_, String>(3)?),
                    title: r.get(4)?,
                    language: r.get(5)?,
                    chars: r.get::<_, i64>(6)? as u64,
                })
            })?);
        }
        Ok(ArticlePage {
            total: total as u64,
            rows,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicBool;

    use broadsheet_ingest::Recipe;

    use super::*;
    use crate::{import, Filters, ImportRequest};

    #[test]
    fn pages_agree_with_the_plain_listing_across_the_undated_boundary() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("mixed.jsonl");
        let mut lines = String::new();
        for i in 0..57 {
            // Repeated dates (ties broken by id) and every fifth record undated.
            let date = if i % 5 == 0 {
                String::new()
            } else {
                format!(",\"date\":\"2015-0{}-1{}\"", 1 + i % 3, i % 4)
            };
            let src = if i % 2 == 0 { "A" } else { "B" };
            lines.push_str(&format!(
                "{{\"title\":\"T{i}\",\"text\":\"Security body {i}\",\"source\":\"{src}\"{date}}}\n"
            ));
        }
        std::fs::write(&data, lines).unwrap();
        let mut store = Store::open(&dir.path().join("c.sqlite")).unwrap();
        import(
            &mut store,
            &ImportRequest::new(vec![data], Recipe::default()),
            &(),
            &AtomicBool::new(false),
        )
        .unwrap();
        let subcorpora = [
            Subcorpus::default(),
            Subcorpus {
                query: None,
                filters: Filters {
                    sources: vec!["B".into()],
                    ..Filters::default()
                },
            },
            Subcorpus::query_only("security"),
        ];
        for sc in &subcorpora {
            let total = store.count(sc).unwrap();
            for sort in [Sort::Date, Sort::Newest, Sort::Id] {
                let all = store.list(sc, sort, 0, 0).unwrap();
                assert_eq!(all.len() as u64, total);
                for (offset, limit) in [(0, 7), (40, 9), (44, 20), (50, 50), (0, 100), (90, 5)] {
                    let p = store.page(sc, sort, limit, offset).unwrap();
                    assert_eq!(p.total, total);
                    let want: Vec<_> = all.iter().skip(offset).take(limit).cloned().collect();
                    assert_eq!(p.rows, want, "{sort:?} {offset}+{limit}");
                }
            }
        }
    }
}
