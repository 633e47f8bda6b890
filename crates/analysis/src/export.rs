//! The whole corpus out, for bigger engines: articles with their metadata, per-article term
//! counts and place tags, and near-duplicate clusters, as Parquet files partitioned by year and
//! month in Hive-style folders (`articles/year=2015/month=06/part-0.parquet`), so that Spark,
//! DuckDB or polars can analyse a corpus that outgrows one machine without Broadsheet.
//! Undated articles are in `year=undated/month=undated`: never placed on a default date.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use polars::prelude::*;
use serde::Serialize;

use broadsheet_store::derive::decode_terms;
use broadsheet_store::Store;

use crate::{AnalysisError, Result};

/// What an export wrote.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ExportReport {
    pub articles: u64,
    pub term_rows: u64,
    pub place_rows: u64,
    pub partitions: u64,
    pub files: Vec<String>,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> AnalysisError + '_ {
    move |source| AnalysisError::Io {
        path: path.display().to_string(),
        source,
    }
}

fn write(df: &mut DataFrame, path: &Path) -> Result<()> {
    std::fs::create_dir_all(path.parent().unwrap_or(Path::new("."))).map_err(io(path))?;
    let f = std::fs::File::create(path).map_err(io(path))?;
    ParquetWriter::new(std::io::BufWriter::new(f))
        .with_statistics(StatisticsOptions::empty())
        .finish(df)?;
    Ok(())
}

type Row = (
    i64,
    String,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
    String,
);

/// How an export names its files and what it adds.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The part files' name, `part-<part>.parquet`, and every row's `shard`: a project's export
    /// is shard `0`; `broadsheet convert` names each shard after its input, so that shards
    /// written apart sit side by side in one layout and `(shard, id)` is unique across them.
    pub part: String,
    /// Also write `search_terms`: every token of the full-text index with its positions, what
    /// another engine matches a query's words, prefixes and phrases on.
    pub search_terms: bool,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            part: "0".into(),
            search_terms: false,
        }
    }
}

/// Exports the corpus into `dir` (created; existing partition files are replaced). Calls
/// `progress(articles done, total)`.
pub fn export_corpus(
    store: &Store,
    dir: &Path,
    progress: &dyn Fn(u64, u64),
    cancel: &AtomicBool,
) -> Result<ExportReport> {
    export_corpus_with(store, dir, &ExportOptions::default(), progress, cancel)
}

/// One token of an article in the index: its column (0 title, 1 body), text and positions.
type IndexToken = (u8, String, Vec<u32>);

/// The index tokens of each article, in the index's order.
type IndexTokens = rustc_hash::FxHashMap<i64, Vec<IndexToken>>;

fn index_tokens(store: &Store) -> Result<IndexTokens> {
    let mut out = IndexTokens::default();
    store.for_each_index_token(|doc, col, term, pos| {
        let v = out.entry(doc).or_default();
        match v.last_mut() {
            // Instances come by token, article, column, position: a run is one entry.
            Some((c, t, ps)) if *c == col && t == term => ps.push(pos),
            _ => v.push((col, term.to_string(), vec![pos])),
        }
    })?;
    Ok(out)
}

/// [`export_corpus`] with the part name and tables chosen.
pub fn export_corpus_with(
    store: &Store,
    dir: &Path,
    opts: &ExportOptions,
    progress: &dyn Fn(u64, u64),
    cancel: &AtomicBool,
) -> Result<ExportReport> {
    let conn = store.connection();
    let file_name = format!("part-{}.parquet", opts.part);
    let shard = opts.part.as_str();
    let mut search = if opts.search_terms {
        Some(index_tokens(store)?)
    } else {
        None
    };
    let sq = |e: rusqlite::Error| AnalysisError::from(broadsheet_store::StoreError::from(e));
    let dict = store.term_dictionary()?;
    let total: i64 = conn
        .query_row("SELECT count(*) FROM articles", [], |r| r.get(0))
        .map_err(sq)?;
    // Partitions: (year, month) of dated articles, then the undated.
    let mut parts: Vec<(Option<String>, Option<String>)> = {
        let mut st = conn
            .prepare(
                "SELECT DISTINCT strftime('%Y', published_at, 'unixepoch'), strftime('%m', published_at, 'unixepoch')
                 FROM articles ORDER BY 1, 2",
            )
            .map_err(sq)?;
        let rows = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(sq)?;
        rows.collect::<std::result::Result<_, _>>().map_err(sq)?
    };
    // NULLs sort first in SQLite; put the undated partition last.
    parts.sort_by_key(|(y, m)| (y.is_none(), y.clone(), m.clone()));
    let mut report = ExportReport {
        articles: 0,
        term_rows: 0,
        place_rows: 0,
        partitions: 0,
        files: Vec::new(),
    };
    progress(0, total as u64);
    for (year, month) in parts {
        if cancel.load(Ordering::Relaxed) {
            return Err(AnalysisError::Cancelled);
        }
        let (ylabel, mlabel) = (
            year.clone().unwrap_or_else(|| "undated".into()),
            month.clone().unwrap_or_else(|| "undated".into()),
        );
        let part_dir = PathBuf::from(format!("year={ylabel}/month={mlabel}"));
        let cond = if year.is_some() {
            "strftime('%Y', a.published_at, 'unixepoch') = ?1 AND strftime('%m', a.published_at, 'unixepoch') = ?2"
        } else {
            "a.published_at IS NULL AND ?1 IS NULL AND ?2 IS NULL"
        };
        let rows: Vec<Row> = {
            let mut st = conn
                .prepare(&format!(
                    "SELECT a.id, s.name, a.url, a.external_id, a.title, a.byline, a.section, a.language,
                            a.published_at, a.date_precision, a.date_origin, a.body, a.cluster_id, a.country,
                            lower(hex(a.identity))
                     FROM articles a JOIN sources s ON s.id = a.source_id WHERE {cond} ORDER BY a.id"
                ))
                .map_err(sq)?;
            let r = st
                .query_map(rusqlite::params![year, month], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                        r.get(8)?,
                        r.get(9)?,
                        r.get(10)?,
                        r.get(11)?,
                        r.get(12)?,
                        r.get(13)?,
                        r.get(14)?,
                    ))
                })
                .map_err(sq)?;
            r.collect::<std::result::Result<_, _>>().map_err(sq)?
        };
        let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
        let n = rows.len();
        // Term counts.
        let (mut t_id, mut t_term, mut t_count) = (Vec::new(), Vec::new(), Vec::new());
        let mut tokens: rustc_hash::FxHashMap<i64, u32> = Default::default();
        store.for_each_term_vector(Some(&ids), |id, n, blob| {
            tokens.insert(id, n);
            let mut pairs: Vec<(&str, u32)> = Vec::new();
            decode_terms(blob, |t, c| {
                if let Some(term) = dict.get(t as usize) {
                    pairs.push((term.as_str(), c));
                }
            });
            pairs.sort_unstable();
            for (term, c) in pairs {
                t_id.push(id);
                t_term.push(term.to_string());
                t_count.push(c);
            }
        })?;
        report.term_rows += t_id.len() as u64;
        let mut terms = DataFrame::new(
            t_id.len(),
            vec![
                Column::new("shard".into(), vec![shard; t_id.len()]),
                Column::new("article_id".into(), t_id),
                Column::new("term".into(), t_term),
                Column::new("count".into(), t_count),
            ],
        )?;
        let p = Path::new("term_counts").join(&part_dir).join(&file_name);
        write(&mut terms, &dir.join(&p))?;
        report.files.push(p.display().to_string());
        let mut articles = frame!(rows,
            "id" => |r| r.0,
            "shard" => |_r| shard,
            "source" => |r| r.1.as_str(),
            "url" => |r| r.2.clone(),
            "external_id" => |r| r.3.clone(),
            "title" => |r| r.4.as_str(),
            "byline" => |r| r.5.clone(),
            "section" => |r| r.6.clone(),
            "language" => |r| r.7.clone(),
            "published_at" => |r| r.8,
            "date_precision" => |r| r.9.as_str(),
            "date_origin" => |r| r.10.as_str(),
            "body" => |r| r.11.as_str(),
            "cluster_id" => |r| r.12,
            "canonical" => |r| r.12.is_none_or(|c| c == r.0),
            "country" => |r| r.13.clone(),
            "identity" => |r| r.14.as_str(),
            "tokens" => |r| tokens.get(&r.0).copied(),
        )?;
        let p = Path::new("articles").join(&part_dir).join(&file_name);
        write(&mut articles, &dir.join(&p))?;
        report.files.push(p.display().to_string());
        if let Some(search) = search.as_mut() {
            let p = Path::new("search_terms").join(&part_dir).join(&file_name);
            write(&mut search_terms_frame(search, &ids, shard)?, &dir.join(&p))?;
            report.files.push(p.display().to_string());
        }
        // Places.
        let (mut p_id, mut p_place, mut p_kind, mut p_n) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        {
            let mut st = conn
                .prepare_cached("SELECT place, kind, mentions FROM article_places WHERE article_id = ?1 ORDER BY place")
                .map_err(sq)?;
            for id in &ids {
                let rows = st
                    .query_map([id], |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, i64>(2)?,
                        ))
                    })
                    .map_err(sq)?;
                for row in rows {
                    let (pl, k, m) = row.map_err(sq)?;
                    p_id.push(*id);
                    p_place.push(pl);
                    p_kind.push(k);
                    p_n.push(m as u32);
                }
            }
        }
        report.place_rows += p_id.len() as u64;
        let mut places = DataFrame::new(
            p_id.len(),
            vec![
                Column::new("shard".into(), vec![shard; p_id.len()]),
                Column::new("article_id".into(), p_id),
                Column::new("place".into(), p_place),
                Column::new("kind".into(), p_kind),
                Column::new("mentions".into(), p_n),
            ],
        )?;
        let p = Path::new("places").join(&part_dir).join(&file_name);
        write(&mut places, &dir.join(&p))?;
        report.files.push(p.display().to_string());
        report.articles += n as u64;
        report.partitions += 1;
        progress(report.articles, total as u64);
    }
    Ok(report)
}

/// The `search_terms` rows of a partition's articles (taken out of `search`): `shard`,
/// `article_id`, `field` (`title` or `body`), `term`, `positions` (token offsets in the field).
fn search_terms_frame(search: &mut IndexTokens, ids: &[i64], shard: &str) -> Result<DataFrame> {
    let rows: Vec<(i64, IndexToken)> = ids
        .iter()
        .flat_map(|id| {
            let mut v = search.remove(id).unwrap_or_default();
            v.sort_unstable();
            v.into_iter().map(move |e| (*id, e))
        })
        .collect();
    let values: usize = rows.iter().map(|(_, (_, _, ps))| ps.len()).sum();
    let mut positions = ListPrimitiveChunkedBuilder::<UInt32Type>::new(
        "positions".into(),
        rows.len(),
        values,
        DataType::UInt32,
    );
    for (_, (_, _, ps)) in &rows {
        positions.append_slice(ps);
    }
    let mut df = frame!(rows,
        "shard" => |_r| shard,
        "article_id" => |r| r.0,
        "field" => |r| if r.1 .0 == 0 { "title" } else { "body" },
        "term" => |r| r.1 .1.as_str(),
    )?;
    df.with_column(positions.finish().into_series().into_column())?;
    Ok(df)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::store_with;

    fn read(path: &Path) -> DataFrame {
        ParquetReader::new(std::fs::File::open(path).unwrap())
            .finish()
            .unwrap()
    }

    #[test]
    fn partitions_by_year_and_month_with_undated_apart() {
        let (_d, store) = store_with(concat!(
            "{\"title\":\"a\",\"text\":\"security in Bishkek\",\"date\":\"2015-06-03\",\"source\":\"S\",\"id\":\"1\"}\n",
            "{\"title\":\"b\",\"text\":\"trade\",\"date\":\"2015-06-20\",\"source\":\"S\",\"id\":\"2\"}\n",
            "{\"title\":\"c\",\"text\":\"security\",\"date\":\"2016-01-02\",\"source\":\"T\",\"id\":\"3\"}\n",
            "{\"title\":\"d\",\"text\":\"undated security\",\"source\":\"T\",\"id\":\"4\"}\n",
        ));
        let out = tempfile::tempdir().unwrap();
        let r = export_corpus(&store, out.path(), &|_, _| {}, &AtomicBool::new(false)).unwrap();
        assert_eq!((r.articles, r.partitions), (4, 3));
        let june = read(
            &out.path()
                .join("articles/year=2015/month=06/part-0.parquet"),
        );
        assert_eq!(june.height(), 2);
        let undated = read(
            &out.path()
                .join("articles/year=undated/month=undated/part-0.parquet"),
        );
        assert_eq!(undated.height(), 1);
        let terms = read(
            &out.path()
                .join("term_counts/year=2015/month=06/part-0.parquet"),
        );
        let t: Vec<&str> = terms
            .column("term")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .flatten()
            .collect();
        assert!(t.contains(&"security") && t.contains(&"bishkek"));
        let places = read(&out.path().join("places/year=2015/month=06/part-0.parquet"));
        let p: Vec<&str> = places
            .column("place")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .flatten()
            .collect();
        assert!(p.contains(&"KG"));
        // The same corpus exports to the same bytes.
        let again = tempfile::tempdir().unwrap();
        export_corpus(&store, again.path(), &|_, _| {}, &AtomicBool::new(false)).unwrap();
        for f in &r.files {
            assert_eq!(
                std::fs::read(out.path().join(f)).unwrap(),
                std::fs::read(again.path().join(f)).unwrap(),
                "{f}"
            );
        }
    }
}
