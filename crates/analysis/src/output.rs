//! Tables out: CSV (RFC 4180, UTF-8, optionally with a byte-order mark for Excel), JSON (an
//! array of row objects) and Parquet, chosen by the file's extension, and JSON rows for
//! standard output. The same table always gives the same bytes.

use std::io::Write;
use std::path::Path;

use polars::prelude::*;
use serde_json::{Map, Number, Value};

use crate::{AnalysisError, Result, Table};

/// A table file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    Csv,
    Json,
    Parquet,
}

impl TableFormat {
    /// The format a file name's extension names, if it is a table format.
    pub fn of_path(path: &Path) -> Option<TableFormat> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "csv" => Some(TableFormat::Csv),
            "json" => Some(TableFormat::Json),
            "parquet" => Some(TableFormat::Parquet),
            _ => None,
        }
    }
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> AnalysisError + '_ {
    move |source| AnalysisError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// A cell as JSON: integers as integers, floats as numbers (non-finite ones as null), text as
/// strings, missing values as null.
fn cell(v: AnyValue) -> Value {
    match v {
        AnyValue::Null => Value::Null,
        AnyValue::Boolean(b) => Value::Bool(b),
        AnyValue::String(s) => Value::String(s.to_string()),
        AnyValue::StringOwned(s) => Value::String(s.to_string()),
        AnyValue::UInt8(x) => Value::from(x),
        AnyValue::UInt16(x) => Value::from(x),
        AnyValue::UInt32(x) => Value::from(x),
        AnyValue::UInt64(x) => Value::from(x),
        AnyValue::Int8(x) => Value::from(x),
        AnyValue::Int16(x) => Value::from(x),
        AnyValue::Int32(x) => Value::from(x),
        AnyValue::Int64(x) => Value::from(x),
        AnyValue::Float32(x) => Number::from_f64(x as f64).map_or(Value::Null, Value::Number),
        AnyValue::Float64(x) => Number::from_f64(x).map_or(Value::Null, Value::Number),
        other => Value::String(other.to_string()),
    }
}

/// The rows of a frame as JSON objects, columns in order.
pub fn rows_json(df: &DataFrame) -> Vec<Value> {
    let cols = df.columns();
    (0..df.height())
        .map(|i| {
            let mut m = Map::new();
            for c in cols {
                m.insert(
                    c.name().to_string(),
                    c.get(i).map(cell).unwrap_or(Value::Null),
                );
            }
            Value::Object(m)
        })
        .collect()
}

/// How CSV files are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CsvOptions {
    /// A UTF-8 byte-order mark first (Excel then reads UTF-8 correctly).
    pub bom: bool,
    /// Text cells exactly as they are, even those a spreadsheet would run as a formula.
    pub raw: bool,
}

/// Whether a spreadsheet opening the CSV would take a text cell for a formula (or a DDE
/// command): it begins with `=`, `+`, `-`, `@`, a tab or a carriage return (OWASP's list).
fn formula_like(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// The frame with every text cell that a spreadsheet would run as a formula prefixed with a
/// single quote, which spreadsheets show as text (OWASP's CSV injection advice). Article text is
/// untrusted: a title or a concordance context `=HYPERLINK(…)` must stay text. Numbers are not
/// text cells and stay as they are.
pub fn neutralise_formulas(df: &DataFrame) -> Result<DataFrame> {
    let mut out = df.clone();
    for name in df.get_column_names_owned() {
        let c = df.column(&name)?;
        if c.dtype() != &DataType::String {
            continue;
        }
        let ca = c.str()?;
        if !ca.iter().flatten().any(formula_like) {
            continue;
        }
        let safe: StringChunked = ca.apply_values(|s| {
            if formula_like(s) {
                std::borrow::Cow::Owned(format!("'{s}"))
            } else {
                std::borrow::Cow::Borrowed(s)
            }
        });
        out.replace(
            &name,
            safe.into_series().with_name(name.clone()).into_column(),
        )?;
    }
    Ok(out)
}

/// Writes a table to `path` in the format its extension names. CSV follows `csv` (a
/// byte-order mark; formula-like cells neutralised unless raw); JSON and Parquet are written as
/// the table is.
pub fn write_table(table: &Table, path: &Path, csv: CsvOptions) -> Result<()> {
    let format = TableFormat::of_path(path).ok_or_else(|| {
        AnalysisError::Invalid(format!(
            "{}: give a file ending in .csv, .json or .parquet",
            path.display()
        ))
    })?;
    let mut df = table.frame.clone();
    // Write to a temporary file beside the target, then rename: a failed export never leaves a
    // half-written file under the final name.
    let tmp = path.with_extension(format!(
        "{}.part",
        path.extension().and_then(|e| e.to_str()).unwrap_or("out")
    ));
    let file = std::fs::File::create(&tmp).map_err(io_err(&tmp))?;
    let mut w = std::io::BufWriter::new(file);
    match format {
        TableFormat::Csv => {
            if !csv.raw {
                df = neutralise_formulas(&df)?;
            }
            CsvWriter::new(&mut w)
                .include_bom(csv.bom)
                .include_header(true)
                .with_line_terminator("\r\n".into())
                .finish(&mut df)?;
        }
        TableFormat::Json => {
            serde_json::to_writer_pretty(&mut w, &rows_json(&df))
                .map_err(|e| AnalysisError::Invalid(format!("{}: {e}", path.display())))?;
            w.write_all(b"\n").map_err(io_err(path))?;
        }
        TableFormat::Parquet => {
            ParquetWriter::new(&mut w)
                .with_statistics(StatisticsOptions::empty())
                .finish(&mut df)?;
        }
    }
    w.flush().map_err(io_err(&tmp))?;
    drop(w);
    std::fs::rename(&tmp, path).map_err(io_err(path))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table::new(
            DataFrame::new(
                3,
                vec![
                    Column::new("term".into(), ["daesh", "Kyrgyz, \"army\"", "رییس"]),
                    Column::new("freq".into(), [3u64, 2, 1]),
                    Column::new("share".into(), [Some(0.5f64), None, Some(1.0 / 3.0)]),
                ],
            )
            .unwrap(),
        )
    }

    #[test]
    fn csv_is_rfc4180_utf8_with_an_optional_bom() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.csv");
        write_table(&table(), &p, CsvOptions::default()).unwrap();
        let text = std::fs::read_to_string(&p).unwrap();
        assert_eq!(
            text,
            "term,freq,share\r\ndaesh,3,0.5\r\n\"Kyrgyz, \"\"army\"\"\",2,\r\nرییس,1,0.3333333333333333\r\n"
        );
        write_table(
            &table(),
            &p,
            CsvOptions {
                bom: true,
                raw: false,
            },
        )
        .unwrap();
        assert!(std::fs::read(&p).unwrap().starts_with(&[0xEF, 0xBB, 0xBF]));
        assert!(!dir.path().join("t.csv.part").exists());
    }

    /// Issue 19 item 3: titles and concordance contexts beginning with `=`, `+`, `-`, `@`, a
    /// tab or a carriage return were written as they were, and a spreadsheet ran them.
    #[test]
    fn csv_formula_injection_is_neutralised_unless_raw() {
        let cells = [
            "=HYPERLINK(\"http://x\",\"a\")",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\tcmd",
            "\rcmd",
            "a=b",
            "",
        ];
        let t = Table::new(
            DataFrame::new(
                cells.len(),
                vec![
                    Column::new("title".into(), cells),
                    Column::new("n".into(), [-1i64, 2, 3, 4, 5, 6, 7, 8]),
                ],
            )
            .unwrap(),
        );
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.csv");
        write_table(&t, &p, CsvOptions::default()).unwrap();
        let read = |p: &Path| -> Vec<String> {
            CsvReadOptions::default()
                .try_into_reader_with_file_path(Some(p.to_path_buf()))
                .unwrap()
                .finish()
                .unwrap()
                .column("title")
                .unwrap()
                .str()
                .unwrap()
                .iter()
                .map(|v| v.unwrap_or("").to_string())
                .collect()
        };
        let safe = read(&p);
        for (got, cell) in safe.iter().zip(cells) {
            let risky = !cell.is_empty() && "=+-@\t\r".contains(cell.chars().next().unwrap());
            let want = if risky {
                format!("'{cell}")
            } else {
                cell.to_string()
            };
            assert_eq!(got, &want);
        }
        // Numbers are not text: a negative count stays a number.
        assert!(std::fs::read_to_string(&p).unwrap().contains(",-1\r\n"));
        write_table(
            &t,
            &p,
            CsvOptions {
                bom: false,
                raw: true,
            },
        )
        .unwrap();
        assert_eq!(read(&p)[..7], cells[..7]);
        // JSON keeps the text as it is.
        let j = dir.path().join("t.json");
        write_table(&t, &j, CsvOptions::default()).unwrap();
        assert!(std::fs::read_to_string(&j)
            .unwrap()
            .contains("\"=HYPERLINK("));
    }

    #[test]
    fn json_rows_keep_types_and_nulls() {
        let rows = rows_json(&table().frame);
        assert_eq!(
            rows[0],
            serde_json::json!({"term": "daesh", "freq": 3, "share": 0.5})
        );
        assert_eq!(rows[1]["share"], Value::Null);
    }

    #[test]
    fn parquet_is_byte_identical_across_runs_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.parquet");
        let b = dir.path().join("b.parquet");
        write_table(&table(), &a, CsvOptions::default()).unwrap();
        write_table(&table(), &b, CsvOptions::default()).unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
        let back = ParquetReader::new(std::fs::File::open(&a).unwrap())
            .finish()
            .unwrap();
        assert_eq!(back.height(), 3);
        assert_eq!(
            back.column("term").unwrap().str().unwrap().get(2),
            Some("رییس")
        );
    }

    #[test]
    fn unknown_extensions_are_refused() {
        let err =
            write_table(&table(), Path::new("/tmp/x.xlsx"), CsvOptions::default()).unwrap_err();
        assert!(err.to_string().contains(".csv, .json or .parquet"));
    }
}
