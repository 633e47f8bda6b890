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

/// Writes a table to `path` in the format its extension names. `bom` puts a UTF-8 byte-order
/// mark before CSV (Excel then reads UTF-8 correctly).
pub fn write_table(table: &Table, path: &Path, bom: bool) -> Result<()> {
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
            CsvWriter::new(&mut w)
                .include_bom(bom)
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
        write_table(&table(), &p, false).unwrap();
        let text = std::fs::read_to_string(&p).unwrap();
        assert_eq!(
            text,
            "term,freq,share\r\ndaesh,3,0.5\r\n\"Kyrgyz, \"\"army\"\"\",2,\r\nرییس,1,0.3333333333333333\r\n"
        );
        write_table(&table(), &p, true).unwrap();
        assert!(std::fs::read(&p).unwrap().starts_with(&[0xEF, 0xBB, 0xBF]));
        assert!(!dir.path().join("t.csv.part").exists());
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
        write_table(&table(), &a, false).unwrap();
        write_table(&table(), &b, false).unwrap();
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
        let err = write_table(&table(), Path::new("/tmp/x.xlsx"), false).unwrap_err();
        assert!(err.to_string().contains(".csv, .json or .parquet"));
    }
}
