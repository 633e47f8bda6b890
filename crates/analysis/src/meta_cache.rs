//! The metadata every analysis loads first (each article's source, date, cluster, language and
//! token count; the term dictionary), kept as Arrow IPC files beside the corpus so that a
//! command reads two compact files instead of a million rows through SQLite.
//!
//! A file is named after the corpus's [`metadata key`](Store::metadata_key): its unique id and
//! the generation that triggers advance in every transaction changing the metadata. A file of
//! another key, a missing, unreadable or inconsistent one is never used: the metadata is read
//! from SQLite, and the file written again when the project is writable.

use std::fs;
use std::path::{Path, PathBuf};

use polars::prelude::*;
use polars_arrow::bitmap::Bitmap;
use polars_arrow::datatypes::Metadata;
use polars_io::ipc::{IpcReader, IpcWriter};
use polars_io::{SerReader, SerWriter};

use broadsheet_model::Precision;
use broadsheet_store::{ArticleMeta, CorpusMeta, Store, StoreError};

/// The layout of the files; a change makes earlier files unused.
const FORMAT: u32 = 1;

const PRECISIONS: [Precision; 5] = [
    Precision::Second,
    Precision::Day,
    Precision::Month,
    Precision::Year,
    Precision::Unknown,
];

/// The corpus's metadata: from the cache file if it is current, else from SQLite (and the file
/// written for the next command).
pub fn corpus_meta(store: &Store) -> Result<CorpusMeta, StoreError> {
    load(store, "meta", read_meta, write_meta, |s| s.corpus_meta())
}

/// The term dictionary, the same way.
pub fn term_dictionary(store: &Store) -> Result<Vec<String>, StoreError> {
    load(store, "terms", read_terms, write_terms, |s| {
        s.term_dictionary()
    })
}

/// The language codes of the corpus's articles, sorted, unknown left out (as
/// [`Store::language_codes`]): from the current cache file's header when there is one, which
/// spares a scan of every article.
pub fn language_codes(store: &Store) -> Result<Vec<String>, StoreError> {
    let cached = store.read_snapshot(|s| {
        Ok(s.metadata_key()?.and_then(|k| {
            let meta = header(&file(store, "meta", &k))?;
            serde_json::from_str::<Vec<String>>(meta.get("languages")?.as_str()).ok()
        }))
    })?;
    match cached {
        Some(mut codes) => {
            codes.retain(|c| !c.is_empty());
            codes.sort();
            Ok(codes)
        }
        None => store.language_codes(),
    }
}

/// What the cache files of `store` are kept in.
pub fn cache_dir(store: &Store) -> PathBuf {
    let mut name = store.path().as_os_str().to_owned();
    name.push(".cache");
    PathBuf::from(name)
}

/// A frame and its file's schema metadata (names that are not per row).
type Frame = (DataFrame, Metadata);

fn load<T>(
    store: &Store,
    kind: &str,
    read: fn(Frame) -> Option<T>,
    write: fn(&T) -> PolarsResult<Frame>,
    from_store: fn(&Store) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let (key, value) = store.read_snapshot(|s| {
        let key = s.metadata_key()?;
        let path = key.as_ref().map(|k| file(store, kind, k));
        if let Some(v) = path.as_deref().and_then(|p| read_file(p, read)) {
            return Ok((None, v));
        }
        Ok((key, from_store(s)?))
    })?;
    if let Some(key) = key {
        if !store.is_read_only() {
            // A cache that cannot be written only costs the next command the same load.
            let _ = write_file(store, kind, &key, &value, write);
        }
    }
    Ok(value)
}

fn file(store: &Store, kind: &str, key: &str) -> PathBuf {
    cache_dir(store).join(format!("{kind}-v{FORMAT}-{key}.arrow"))
}

fn read_file<T>(path: &Path, read: fn(Frame) -> Option<T>) -> Option<T> {
    let f = fs::File::open(path).ok()?;
    // A damaged file must not stop an analysis: any failure, a panic included, means "load
    // from the database".
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: a cache file is never changed in place: it is written under a temporary
        // name and renamed, and removed only by unlinking, so the mapped bytes stay as they
        // are while mapped. Mapping spares copying 40 MB at a million articles (and the
        // kernel's zeroing of the pages it would be copied into).
        let mut reader = unsafe { IpcReader::new(f).memory_mapped(Some(path.to_path_buf())) };
        // A file written without schema metadata (the term dictionary's) has none to read.
        let meta = reader.custom_metadata().ok()?;
        let meta = meta.map(|m| (*m).clone()).unwrap_or_default();
        let df = reader.finish().ok()?;
        read((df, meta))
    }))
    .ok()
    .flatten()
}

/// The schema metadata of a file alone (its footer), never failing: `None` when unreadable.
fn header(path: &Path) -> Option<Metadata> {
    let f = fs::File::open(path).ok()?;
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let meta = IpcReader::new(f).custom_metadata().ok()??;
        Some((*meta).clone())
    }))
    .ok()
    .flatten()
}

/// Writes the file through a temporary name and a rename (a reader sees a whole file or none),
/// then removes the files of earlier keys.
fn write_file<T>(
    store: &Store,
    kind: &str,
    key: &str,
    value: &T,
    write: fn(&T) -> PolarsResult<Frame>,
) -> std::io::Result<()> {
    let dir = cache_dir(store);
    fs::create_dir_all(&dir)?;
    let path = file(store, kind, key);
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let (mut df, meta) = write(value).map_err(std::io::Error::other)?;
    {
        let mut out = std::io::BufWriter::new(fs::File::create(&tmp)?);
        let mut w = IpcWriter::new(&mut out);
        w.set_custom_schema_metadata(Arc::new(meta));
        w.finish(&mut df).map_err(std::io::Error::other)?;
    }
    fs::rename(&tmp, &path)?;
    let prefix = format!("{kind}-");
    for entry in fs::read_dir(&dir)?.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(&prefix) && entry.path() != path && !name.contains(".tmp") {
            let _ = fs::remove_file(entry.path());
        }
    }
    Ok(())
}

/// One row per article (precision and language as `u32`: polars is built without the narrower
/// types); the sources and languages as JSON lists in the schema metadata.
fn write_meta(m: &CorpusMeta) -> PolarsResult<Frame> {
    let a = &m.articles;
    let df = DataFrame::new(
        a.len(),
        vec![
            Column::new("id".into(), a.iter().map(|x| x.id).collect::<Vec<_>>()),
            Column::new(
                "source".into(),
                a.iter().map(|x| x.source).collect::<Vec<_>>(),
            ),
            Column::new(
                "published_at".into(),
                a.iter().map(|x| x.published_at).collect::<Vec<_>>(),
            ),
            Column::new(
                "precision".into(),
                a.iter()
                    .map(|x| {
                        PRECISIONS
                            .iter()
                            .position(|p| *p == x.precision)
                            .unwrap_or(4) as u32
                    })
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "cluster_id".into(),
                a.iter().map(|x| x.cluster_id).collect::<Vec<_>>(),
            ),
            Column::new(
                "tokens".into(),
                a.iter().map(|x| x.tokens).collect::<Vec<_>>(),
            ),
            Column::new(
                "language".into(),
                a.iter().map(|x| u32::from(x.language)).collect::<Vec<_>>(),
            ),
        ],
    )?;
    let json = |v: &Vec<String>| serde_json::to_string(v).unwrap_or_default();
    let meta = Metadata::from([
        ("sources".into(), json(&m.sources).into()),
        ("languages".into(), json(&m.languages).into()),
    ]);
    Ok((df, meta))
}

fn read_meta((df, meta): Frame) -> Option<CorpusMeta> {
    let names = |k: &str| serde_json::from_str::<Vec<String>>(meta.get(k)?.as_str()).ok();
    let (sources, languages) = (names("sources")?, names("languages")?);
    let column = |name: &str| {
        df.column(name)
            .ok()
            .map(|c| c.as_materialized_series().rechunk())
    };
    let (id, source, published, precision, cluster, tokens, language) = (
        column("id")?,
        column("source")?,
        column("published_at")?,
        column("precision")?,
        column("cluster_id")?,
        column("tokens")?,
        column("language")?,
    );
    // Every column as a slice, the two with nulls with their validity ([`nullable`]): `get(i)`
    // would look for its chunk again for every value.
    let id = id.i64().ok()?.cont_slice().ok()?;
    let source = source.u32().ok()?.cont_slice().ok()?;
    let precision = precision.u32().ok()?.cont_slice().ok()?;
    let tokens = tokens.u32().ok()?.cont_slice().ok()?;
    let language = language.u32().ok()?.cont_slice().ok()?;
    let published = nullable(published.i64().ok()?)?;
    let cluster = nullable(cluster.i64().ok()?)?;
    let n = id.len();
    if [
        source.len(),
        precision.len(),
        tokens.len(),
        language.len(),
        published.0.len(),
        cluster.0.len(),
    ]
    .iter()
    .any(|&l| l != n)
    {
        return None;
    }
    let mut articles = Vec::with_capacity(n);
    for i in 0..n {
        let a = ArticleMeta {
            id: id[i],
            source: source[i],
            published_at: value_at(published, i),
            precision: *PRECISIONS.get(precision[i] as usize)?,
            cluster_id: value_at(cluster, i),
            tokens: tokens[i],
            language: u16::try_from(language[i]).ok()?,
        };
        if a.source as usize >= sources.len().max(1) || a.language as usize >= languages.len() {
            return None;
        }
        articles.push(a);
    }
    if !articles.windows(2).all(|w| w[0].id < w[1].id) {
        return None;
    }
    Some(CorpusMeta {
        sources,
        languages,
        articles,
    })
}

/// A column with nulls as its values and validity, read by position: polars' iterator over
/// such a column costs a call per value (at a million articles, 4% of a timeline command).
type Nullable<'a> = (&'a [i64], Option<&'a Bitmap>);

fn nullable(c: &Int64Chunked) -> Option<Nullable<'_>> {
    let mut chunks = c.downcast_iter();
    let Some(array) = chunks.next() else {
        return Some((&[], None));
    };
    if chunks.next().is_some() {
        return None;
    }
    Some((array.values().as_slice(), array.validity()))
}

fn value_at((values, validity): Nullable<'_>, i: usize) -> Option<i64> {
    validity.is_none_or(|v| v.get_bit(i)).then(|| values[i])
}

// `&Vec`: the generic loader hands its value as `&T`.
#[allow(clippy::ptr_arg)]
fn write_terms(d: &Vec<String>) -> PolarsResult<Frame> {
    let df = DataFrame::new(
        d.len(),
        vec![Column::new(
            "term".into(),
            d.iter().map(String::as_str).collect::<Vec<_>>(),
        )],
    )?;
    Ok((df, Metadata::new()))
}

fn read_terms((df, _): Frame) -> Option<Vec<String>> {
    let terms = df.column("term").ok()?.str().ok()?;
    terms.iter().map(|t| t.map(str::to_string)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::store_with;

    const RECORDS: &str = r#"{"title": "Border talks", "body": "Kyrgyz and Tajik officials met at the border.", "date": "2021-04-29", "source": "Wire A", "language": "en"}
{"title": "Border talks", "body": "Kyrgyz and Tajik officials met at the border.", "date": "2021-04-30", "source": "Wire B", "language": "en"}
{"title": "Учения", "body": "Совместные учения прошли в Бишкеке.", "date": "2022-09", "source": "Wire B"}
{"title": "Undated", "body": "No date here at all.", "source": "Wire C"}
"#;

    fn files(store: &Store) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(cache_dir(store))
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }

    fn same(a: &CorpusMeta, b: &CorpusMeta) -> bool {
        a.sources == b.sources && a.languages == b.languages && a.articles == b.articles
    }

    #[test]
    fn the_cache_gives_what_the_database_gives() {
        let (_dir, store) = store_with(RECORDS);
        let fresh = store.corpus_meta().unwrap();
        assert!(fresh.articles.iter().any(|a| a.published_at.is_none()));
        let first = corpus_meta(&store).unwrap();
        assert!(same(&first, &fresh));
        assert_eq!(files(&store).len(), 1, "{:?}", files(&store));
        // What the file holds is what the database holds.
        let cached = read_file(&file(&store, "meta", &key(&store)), read_meta).unwrap();
        assert!(same(&cached, &fresh));
        assert_eq!(
            term_dictionary(&store).unwrap(),
            store.term_dictionary().unwrap()
        );
        assert_eq!(files(&store).len(), 2);
    }

    /// Regression: the term dictionary's file has no schema metadata, and its reader took that
    /// for a damaged file, so every command read the dictionary from SQLite and wrote the file
    /// again (at a million articles, a tenth of a word list's time).
    #[test]
    fn the_term_dictionary_is_read_from_its_file() {
        let (_dir, store) = store_with(RECORDS);
        let written = term_dictionary(&store).unwrap();
        let path = file(&store, "terms", &key(&store));
        assert_eq!(read_file(&path, read_terms), Some(written));
    }

    fn key(store: &Store) -> String {
        store.metadata_key().unwrap().unwrap()
    }

    #[test]
    fn a_change_to_the_metadata_makes_the_cache_stale() {
        let (_dir, mut store) = store_with(RECORDS);
        corpus_meta(&store).unwrap();
        let before = key(&store);
        store
            .merge_sources(&["Wire C".to_string()], "Wire A")
            .unwrap();
        assert_ne!(key(&store), before);
        let after = corpus_meta(&store).unwrap();
        assert!(same(&after, &store.corpus_meta().unwrap()));
        assert!(!after.sources.contains(&"Wire C".to_string()));
        // The stale file is gone; one file of the new key is left.
        let names = files(&store);
        assert_eq!(names.len(), 1);
        assert!(names[0].contains(&key(&store)), "{names:?}");
        // Clusters are metadata too.
        let k = key(&store);
        store.ensure_clusters(Some(0.5)).unwrap();
        assert_ne!(key(&store), k);
        let clustered = corpus_meta(&store).unwrap();
        assert!(clustered.articles.iter().any(|a| a.cluster_id.is_some()));
        assert!(same(&clustered, &store.corpus_meta().unwrap()));
    }

    #[test]
    fn a_damaged_cache_file_is_read_from_the_database_instead() {
        let (_dir, store) = store_with(RECORDS);
        corpus_meta(&store).unwrap();
        let path = file(&store, "meta", &key(&store));
        for damage in [
            &b""[..],
            b"ARROW1 not really",
            &fs::read(&path).unwrap()[..40],
        ] {
            fs::write(&path, damage).unwrap();
            assert!(same(
                &corpus_meta(&store).unwrap(),
                &store.corpus_meta().unwrap()
            ));
            assert!(read_file(&path, read_meta).is_some(), "written again");
        }
    }

    #[test]
    fn a_new_database_at_the_same_path_does_not_read_the_old_cache() {
        let (dir, store) = store_with(RECORDS);
        corpus_meta(&store).unwrap();
        let old = key(&store);
        let path = store.path().to_path_buf();
        drop(store);
        for ext in ["", "-wal", "-shm"] {
            let _ = fs::remove_file(format!("{}{ext}", path.display()));
        }
        let store = Store::open(&path).unwrap();
        assert_ne!(key(&store), old);
        assert!(corpus_meta(&store).unwrap().articles.is_empty());
        drop(dir);
    }

    #[test]
    fn a_read_only_project_reads_without_writing_a_cache() {
        let (_dir, store) = store_with(RECORDS);
        let path = store.path().to_path_buf();
        drop(store);
        let ro = Store::open_read_only(&path).unwrap();
        assert!(same(&corpus_meta(&ro).unwrap(), &ro.corpus_meta().unwrap()));
        assert!(files(&ro).is_empty());
    }
}
