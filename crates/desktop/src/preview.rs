//! Import previews: the first records of the chosen files, read by the real `broadsheet_ingest`
//! readers into a collecting sink and normalized as the import would, with the detected format,
//! encoding and the field mapping in use. Nothing is written to the corpus.
//!
//! Large plain files are previewed from a copy of their opening bytes, so that a preview of a
//! multi-gigabyte export does not read (and hash) the whole file.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use serde_json::{Map, Value};

use broadsheet_ingest::mapping::{map_json_object, value_text};
use broadsheet_ingest::readers::csv::sniff_delimiter;
use broadsheet_ingest::readers::json::first_record;
use broadsheet_ingest::{
    discover, format_date, normalize, read_file, Diagnostic, Field, Flow, Format, InputFile,
    Locator, NormalizeOptions, RawRecord, ReadOptions, Recipe, Selector, Sink,
};

use crate::ipc::{FieldMapping, FilePreview, ImportPreview, SampleRecord};
use crate::views::{diagnostic, short_value, shorten};
use crate::{DesktopError, Result};

/// Files larger than this are previewed from a copy of their first [`HEAD_BYTES`].
const LARGE_FILE: u64 = 4 << 20;
const HEAD_BYTES: u64 = 1 << 20;

/// A sink that keeps the first `want` records and every diagnostic until then.
struct Collect {
    want: usize,
    records: Vec<(RawRecord, Locator)>,
    diagnostics: Vec<Diagnostic>,
}

impl Sink for Collect {
    fn record(&mut self, record: RawRecord, at: Locator) -> Flow {
        if self.records.len() < self.want {
            self.records.push((record, at));
        }
        if self.records.len() >= self.want {
            Flow::Stop
        } else {
            Flow::Continue
        }
    }
    fn diagnostic(&mut self, d: Diagnostic) -> Flow {
        if self.diagnostics.len() < 50 {
            self.diagnostics.push(d);
        }
        Flow::Continue
    }
}

/// Previews what importing `paths` with `recipe` would read: up to `records` records from at
/// most `max_files` files.
pub fn preview(
    paths: &[PathBuf],
    recipe: &Recipe,
    records: usize,
    max_files: usize,
) -> Result<ImportPreview> {
    let (files, notes) = discover(paths, recipe.format, &recipe.include)
        .map_err(|e| DesktopError::Invalid(e.to_string()))?;
    let read_opts = recipe.read_options();
    let norm_opts = recipe
        .normalize_options()
        .map_err(|e| DesktopError::Invalid(format!("recipe: {e}")))?;
    let mut out = ImportPreview {
        files_total: files.len() as u64,
        bytes_total: files.iter().map(|f| f.size).sum(),
        files: Vec::new(),
        skipped: notes.iter().map(diagnostic).collect(),
        recipe_toml: recipe.to_toml(),
        suggestions: Vec::new(),
    };
    let mut collected = 0usize;
    for f in files.iter().take(max_files.max(1)) {
        if collected >= records.max(1) {
            break;
        }
        let fp = preview_file(
            f,
            recipe,
            &read_opts,
            &norm_opts,
            records.max(1) - collected,
        );
        collected += fp.records.len();
        out.files.push(fp);
    }
    Ok(out)
}

fn is_archive(f: &InputFile) -> bool {
    let name = f.path.to_string_lossy().to_ascii_lowercase();
    name.ends_with(".zip") || name.ends_with(".gz") || name.ends_with(".gzip")
}

/// A copy of the opening of a large plain file, in a temporary folder, under the same name.
fn head_copy(f: &InputFile) -> Option<(tempfile::TempDir, InputFile)> {
    if f.size <= LARGE_FILE || is_archive(f) {
        return None;
    }
    let dir = tempfile::tempdir().ok()?;
    let name = f.path.file_name()?;
    let copy = dir.path().join(name);
    let mut head = Vec::new();
    std::fs::File::open(&f.path)
        .ok()?
        .take(HEAD_BYTES)
        .read_to_end(&mut head)
        .ok()?;
    std::fs::write(&copy, &head).ok()?;
    let input = InputFile {
        path: copy,
        size: head.len() as u64,
        ..f.clone()
    };
    Some((dir, input))
}

fn read_some(
    f: &InputFile,
    recipe: &Recipe,
    read_opts: &ReadOptions,
    want: usize,
) -> (
    Collect,
    std::result::Result<broadsheet_ingest::FileInfo, String>,
) {
    let progress = Arc::new(AtomicU64::new(0));
    let mut sink = Collect {
        want,
        records: Vec::new(),
        diagnostics: Vec::new(),
    };
    if let Some((_dir, head)) = head_copy(f) {
        let r = read_file(&head, recipe.format, read_opts, &progress, &mut sink);
        if !sink.records.is_empty() {
            // Problems at the cut end of the copy are not the file's.
            sink.diagnostics
                .retain(|d| d.code != "bad-json" && d.code != "bad-csv");
            return (sink, r.map_err(|e| e.to_string()));
        }
        sink = Collect {
            want,
            records: Vec::new(),
            diagnostics: Vec::new(),
        };
    }
    let r = read_file(f, recipe.format, read_opts, &progress, &mut sink);
    (sink, r.map_err(|e| e.to_string()))
}

fn preview_file(
    f: &InputFile,
    recipe: &Recipe,
    read_opts: &ReadOptions,
    norm_opts: &NormalizeOptions,
    want: usize,
) -> FilePreview {
    let (sink, info) = read_some(f, recipe, read_opts, want);
    let (format, encoding, error) = match info {
        Ok(i) => (i.format, i.encoding, None),
        Err(e) => (String::new(), String::new(), Some(e)),
    };
    let format = if format.is_empty() {
        Format::by_extension(&f.display)
            .map(|x| x.name().to_string())
            .unwrap_or_default()
    } else {
        format
    };
    let (columns, mut mapping, records_at) = describe_mapping(f, &format, recipe, read_opts);
    let records: Vec<SampleRecord> = sink
        .records
        .iter()
        .map(|(r, at)| sample(r.clone(), at, &f.root_name, norm_opts))
        .collect();
    // A field no mapping fills, but which the sample records have (from a reader's own layout).
    for m in &mut mapping {
        if m.how == "none" && filled(&sink.records, &m.field) {
            m.how = "layout".into();
            m.from = Some(layout_name(&format, &m.field));
        }
    }
    FilePreview {
        file: f.display.clone(),
        size: f.size,
        format,
        encoding,
        columns,
        records_at,
        mapping,
        records,
        diagnostics: sink.diagnostics.iter().map(diagnostic).collect(),
        error,
    }
}

fn layout_name(format: &str, field: &str) -> String {
    match (format, field) {
        ("text", "title") => "the first line".into(),
        ("text", "body") => "the rest of the file".into(),
        ("text", "section") => "a breadcrumb line before the title".into(),
        ("feed", f) => format!("the feed item's {f}"),
        ("sgml", f) => format!("the record's {f} element"),
        ("mail", "title") => "the Subject header".into(),
        ("mail", "author") => "the From header (the name, else the address)".into(),
        ("mail", "date") => "the Date header".into(),
        ("mail", "section") => "the first of the Newsgroups, else the folder".into(),
        ("mail", "id") => "the Message-ID header".into(),
        ("mail", "body") => "the first text part, without the signature".into(),
        _ => "the reader".into(),
    }
}

fn field_value(r: &RawRecord, field: &str) -> Option<String> {
    match field {
        "title" => r.title.clone(),
        "body" => r.body.clone(),
        "date" => r.date.as_ref().map(|v| short_value(v, 80)),
        "source" => r.source.clone(),
        "url" => r.url.clone(),
        "id" => r.id.clone(),
        "author" => r.author.clone(),
        "section" => r.section.clone(),
        "language" => r.language.clone(),
        _ => None,
    }
}

fn filled(records: &[(RawRecord, Locator)], field: &str) -> bool {
    records
        .iter()
        .any(|(r, _)| field_value(r, field).is_some_and(|v| !v.trim().is_empty()))
}

/// The columns or keys of the file, and where each field comes from.
fn describe_mapping(
    f: &InputFile,
    format: &str,
    recipe: &Recipe,
    read_opts: &ReadOptions,
) -> (Vec<String>, Vec<FieldMapping>, Option<String>) {
    let explicit = |field: Field| recipe.map.get(&field).map(Selector::to_string);
    let mut columns = Vec::new();
    let mut records_at = None;
    let mut auto: Vec<(Field, String)> = Vec::new();
    if !is_archive(f) {
        match format {
            "csv" => {
                if let Some(header) = csv_header(&f.path, read_opts) {
                    if let Ok(cm) =
                        broadsheet_ingest::mapping::ColumnMap::resolve(&header, &read_opts.map)
                    {
                        for (field, idx) in &cm.fields {
                            auto.push((*field, header[*idx].clone()));
                        }
                    }
                    columns = header;
                }
            }
            "json" => {
                if let Some((obj, at)) = first_json_object(&f.path, read_opts) {
                    records_at = at;
                    columns = json_columns(&obj);
                    let rec = map_json_object(obj.clone(), &read_opts.map);
                    let used: Vec<&String> =
                        obj.keys().filter(|k| !rec.extra.contains_key(*k)).collect();
                    for field in Field::ALL {
                        let want = field_value(&rec, field.name());
                        let found = used.iter().find(|k| match field {
                            Field::Date => rec.date.as_ref() == obj.get(k.as_str()),
                            _ => want.is_some() && value_text(&obj[k.as_str()], field) == want,
                        });
                        if let Some(k) = found {
                            if rec.date.is_some() || field != Field::Date {
                                auto.push((field, (*k).clone()));
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let mapping = Field::ALL
        .iter()
        .map(|field| {
            if let Some(sel) = explicit(*field) {
                return FieldMapping {
                    field: field.name().into(),
                    from: Some(sel),
                    how: "recipe".into(),
                };
            }
            match auto.iter().find(|(f, _)| f == field) {
                Some((_, col)) => FieldMapping {
                    field: field.name().into(),
                    from: Some(col.clone()),
                    how: "auto".into(),
                },
                None => FieldMapping {
                    field: field.name().into(),
                    from: None,
                    how: "none".into(),
                },
            }
        })
        .collect();
    (columns, mapping, records_at)
}

fn read_head(path: &Path, n: u64) -> Option<String> {
    let mut head = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(n)
        .read_to_end(&mut head)
        .ok()?;
    let text = String::from_utf8_lossy(&head).into_owned();
    Some(text.trim_start_matches('\u{feff}').to_string())
}

/// The header row of a CSV file (or numbered columns without one).
fn csv_header(path: &Path, opts: &ReadOptions) -> Option<Vec<String>> {
    let text = read_head(path, 64 * 1024)?;
    let name = path.file_name()?.to_string_lossy().into_owned();
    let delim = opts
        .delimiter
        .unwrap_or_else(|| sniff_delimiter(text.as_bytes(), &name));
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let first = rdr.records().next()?.ok()?;
    if opts.no_header {
        return Some((1..=first.len()).map(|i| i.to_string()).collect());
    }
    Some(first.iter().map(str::to_string).collect())
}

/// The first record object of a JSON file as the reader finds it (a JSON Lines file's first
/// line; the first element of an array; the first record of the list a document wraps, found
/// by the reader's own rule or the recipe's `records` path), and the path of that list.
fn first_json_object(
    path: &Path,
    opts: &ReadOptions,
) -> Option<(Map<String, Value>, Option<String>)> {
    let text = read_head(path, 4 << 20)?;
    let t = text.trim_start();
    let records = opts.records.as_deref();
    if let Ok(v) = serde_json::from_str::<Value>(t) {
        return first_record(v, records, &opts.map);
    }
    // JSON Lines, or a document cut at the end of the head: its first complete value.
    let first = serde_json::Deserializer::from_str(t)
        .into_iter::<Value>()
        .next()
        .and_then(|v| v.ok());
    if let Some(v) = first {
        return first_record(v, records, &opts.map);
    }
    // A large array cut short: its first element.
    let v = serde_json::Deserializer::from_str(t.strip_prefix('[')?)
        .into_iter::<Value>()
        .next()?
        .ok()?;
    match v {
        Value::Object(o) => Some((o, Some(String::new()))),
        _ => None,
    }
}

/// Keys of a JSON object, with one level of nested keys as dotted paths.
fn json_columns(obj: &Map<String, Value>) -> Vec<String> {
    let mut out = Vec::new();
    for (k, v) in obj {
        out.push(k.clone());
        if let Value::Object(inner) = v {
            for ik in inner.keys() {
                out.push(format!("{k}.{ik}"));
            }
        }
    }
    out
}

fn sample(
    r: RawRecord,
    at: &Locator,
    default_source: &str,
    opts: &NormalizeOptions,
) -> SampleRecord {
    let locator = at.to_string();
    let raw_date = r.date.as_ref().map(|v| short_value(v, 80));
    match normalize(r.clone(), at, default_source, opts) {
        Ok((a, _)) => {
            let chars = a.body.chars().count() as u64;
            let precision = a.precision().as_str().to_string();
            SampleRecord {
                locator,
                title: Some(a.title).filter(|t| !t.is_empty()),
                body: Some(shorten(&a.body, 600)).filter(|b| !b.is_empty()),
                body_chars: chars,
                source: a.source,
                url: a.url,
                external_id: a.external_id,
                author: a.byline,
                section: a.section,
                language: a.language,
                date: a.date.map(|d| format_date(d.timestamp, d.precision)),
                date_origin: a.date_origin.as_str().into(),
                date_precision: precision,
                date_raw: a.date_raw.or(raw_date),
                extra: a
                    .extra
                    .iter()
                    .map(|(k, v)| (k.clone(), short_value(v, 120)))
                    .collect(),
                skipped: None,
            }
        }
        Err(d) => SampleRecord {
            locator,
            title: r.title.clone(),
            body: r.body.as_deref().map(|b| shorten(b, 600)),
            body_chars: r.body.as_deref().map_or(0, |b| b.chars().count() as u64),
            source: r.source.clone().unwrap_or_else(|| default_source.into()),
            url: r.url.clone(),
            external_id: r.id.clone(),
            author: r.author.clone(),
            section: r.section.clone(),
            language: r.language.clone(),
            date: None,
            date_origin: "none".into(),
            date_precision: "unknown".into(),
            date_raw: raw_date,
            extra: Vec::new(),
            skipped: Some(d.message),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../datasets/demo")
            .join(name)
    }

    fn mapped(p: &FilePreview, field: &str) -> (String, Option<String>) {
        let m = p.mapping.iter().find(|m| m.field == field).unwrap();
        (m.how.clone(), m.from.clone())
    }

    #[test]
    fn json_lines_preview_names_the_keys() {
        let p = preview(&[demo("steppe_herald.jsonl")], &Recipe::default(), 3, 5).unwrap();
        assert_eq!(p.files.len(), 1);
        let f = &p.files[0];
        assert_eq!(f.format, "json");
        assert_eq!(f.records.len(), 3);
        assert_eq!(mapped(f, "title"), ("auto".into(), Some("headline".into())));
        assert_eq!(mapped(f, "body"), ("auto".into(), Some("text".into())));
        assert_eq!(mapped(f, "date"), ("auto".into(), Some("published".into())));
        assert_eq!(mapped(f, "source"), ("auto".into(), Some("outlet".into())));
        assert_eq!(mapped(f, "language").0, "none");
        assert!(f.columns.contains(&"byline".to_string()));
        let r = &f.records[0];
        assert_eq!(r.date_origin, "field");
        assert_eq!(r.source, "Steppe Herald");
        assert!(r.title.as_deref().unwrap().starts_with("Tajikistan"));
    }

    #[test]
    fn csv_preview_resolves_the_header_and_overrides_win() {
        let mut recipe = Recipe::default();
        recipe
            .map
            .insert(Field::Section, Selector::Name("author".into()));
        let p = preview(&[demo("caspian_wire.csv")], &recipe, 2, 5).unwrap();
        let f = &p.files[0];
        assert_eq!(f.format, "csv");
        assert_eq!(
            f.columns,
            vec!["id", "source", "title", "date", "author", "category", "body"]
        );
        assert_eq!(
            mapped(f, "section"),
            ("recipe".into(), Some("author".into()))
        );
        assert_eq!(mapped(f, "body"), ("auto".into(), Some("body".into())));
        // The override puts the author column into the section (the expected name is read from
        // the file, so the test follows the generated demo data).
        let mut rows = csv::Reader::from_path(demo("caspian_wire.csv")).unwrap();
        let first_author = rows.records().next().unwrap().unwrap()[4].to_string();
        assert!(!first_author.is_empty());
        assert_eq!(f.records[0].section.as_deref(), Some(first_author.as_str()));
    }

    #[test]
    fn folders_of_text_files_and_limits() {
        let p = preview(&[demo("tien_shan_times")], &Recipe::default(), 4, 3).unwrap();
        assert!(p.files_total > 3);
        assert_eq!(p.files.len(), 3, "at most 3 files");
        let f = &p.files[0];
        assert_eq!(f.format, "text");
        assert_eq!(
            mapped(f, "title"),
            ("layout".into(), Some("the first line".into()))
        );
    }

    /// Issue 13: the preview read a wrapper document on one line by its own rule (the largest
    /// top-level list), so for `{"response": {"docs": [...]}}` it named the wrapper's keys as
    /// the columns and showed HTML in the body the import removes. It now finds the records as
    /// the reader does and shows the records as the import stores them.
    #[test]
    fn a_wrapped_json_export_is_previewed_as_the_import_reads_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nyt.json");
        std::fs::write(
            &path,
            r#"{"status":"OK","copyright":"(c) NYT","response":{"meta":{"hits":2},"docs":[{"headline":{"main":"Kyrgyz border talks"},"abstract":"<p>Talks <b>resumed</b> in Osh.</p>","pub_date":"2021-05-01T10:00:00+0000","web_url":"https://example.org/a"},{"headline":{"main":"Second"},"abstract":"<p>More.</p>","pub_date":"2021-05-02T10:00:00+0000","web_url":"https://example.org/b"}]}}"#,
        )
        .unwrap();
        let p = preview(std::slice::from_ref(&path), &Recipe::default(), 5, 1).unwrap();
        let f = &p.files[0];
        assert_eq!(f.records_at.as_deref(), Some("response.docs"));
        assert!(
            f.columns.contains(&"web_url".to_string()),
            "{:?}",
            f.columns
        );
        assert!(!f.columns.contains(&"copyright".to_string()));
        assert_eq!(f.records.len(), 2);
        let r = &f.records[0];
        assert_eq!(r.body.as_deref(), Some("Talks resumed in Osh."));
        assert_eq!(r.date.as_deref(), Some("2021-05-01T10:00:00Z"));

        // The options the Import screen sets reach the preview: the records' path, the HTML kept
        // beside the text.
        let recipe = Recipe {
            records: Some("response.docs".into()),
            keep_html: true,
            ..Recipe::default()
        };
        let p = preview(std::slice::from_ref(&path), &recipe, 5, 1).unwrap();
        assert_eq!(p.files[0].records_at.as_deref(), Some("response.docs"));
        let r = &p.files[0].records[0];
        assert_eq!(r.body.as_deref(), Some("Talks resumed in Osh."));
        let kept = r.extra.iter().find(|(k, _)| k == "body_html");
        assert!(
            kept.is_some_and(|(_, v)| v.contains("<b>")),
            "{:?}",
            r.extra
        );
        let recipe = Recipe {
            records: Some("response.meta".into()),
            ..Recipe::default()
        };
        let p = preview(std::slice::from_ref(&path), &recipe, 5, 1).unwrap();
        assert!(p.files[0].records.is_empty());
        assert!(
            p.files[0]
                .diagnostics
                .iter()
                .any(|d| d.code == "no-records"),
            "{:?}",
            p.files[0].diagnostics
        );
    }

    #[test]
    fn large_files_are_read_from_their_opening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.jsonl");
        let line = "{\"title\":\"T\",\"text\":\"some words here\",\"date\":\"2015-01-02\"}\n";
        std::fs::write(&path, line.repeat((LARGE_FILE as usize / line.len()) + 10)).unwrap();
        let p = preview(std::slice::from_ref(&path), &Recipe::default(), 5, 1).unwrap();
        assert_eq!(p.files[0].records.len(), 5);
        assert!(
            p.files[0].diagnostics.is_empty(),
            "{:?}",
            p.files[0].diagnostics
        );
        assert_eq!(p.files[0].size, std::fs::metadata(&path).unwrap().len());
    }
}
