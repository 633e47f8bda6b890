//! The records readers produce, where they came from, and the diagnostics that name a file, a
//! record and a reason.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;
use serde_json::Value;

/// Where a record sits inside its file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "at", rename_all = "lowercase")]
pub enum RecordPos {
    /// A whole file is one record.
    File,
    /// 1-based line (JSON Lines, CSV: the line the record starts on).
    Line(u64),
    /// 1-based position of the record in its file (JSON arrays, XML elements).
    Index(u64),
    /// The 1-based record inside a JSON document that stands on one line of a JSON Lines file
    /// (`{"articles": [...]}` per line).
    LineItem(u64, u64),
    /// The 1-based record inside the 1-based element of a top-level JSON array (an array of
    /// API responses, each holding records).
    IndexItem(u64, u64),
}

impl fmt::Display for RecordPos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordPos::File => write!(f, "whole file"),
            RecordPos::Line(n) => write!(f, "line {n}"),
            RecordPos::Index(n) => write!(f, "record {n}"),
            RecordPos::LineItem(l, n) => write!(f, "line {l}, record {n}"),
            RecordPos::IndexItem(i, n) => write!(f, "record {i}, item {n}"),
        }
    }
}

/// A file (or an archive member, shown as `archive.zip!/member`) and a position inside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Locator {
    pub file: String,
    pub pos: RecordPos,
}

impl fmt::Display for Locator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.pos {
            RecordPos::File => write!(f, "{}", self.file),
            _ => write!(f, "{}: {}", self.file, self.pos),
        }
    }
}

/// One record as a reader found it: mapped fields still raw (uncleaned, dates unparsed) and every
/// unmapped field kept in `extra`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RawRecord {
    pub title: Option<String>,
    pub body: Option<String>,
    pub date: Option<Value>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub id: Option<String>,
    pub author: Option<String>,
    pub section: Option<String>,
    pub language: Option<String>,
    /// Sorted, so that stored JSON is the same on every run.
    pub extra: BTreeMap<String, Value>,
    /// Set by the file reader: the folder name the file sits in, for folder-per-category layouts.
    pub folder: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something noteworthy that changed nothing (an encoding guessed, a file skipped by name).
    Info,
    /// The record or file was kept, but something in it was not as expected (an unparsed date).
    Warning,
    /// The record or file was not stored.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A problem or note about one file or record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable machine-readable code, e.g. `bad-json`, `date-unparsed`, `duplicate`.
    pub code: &'static str,
    pub locator: Locator,
    pub message: String,
}

impl Diagnostic {
    pub fn new(
        severity: Severity,
        code: &'static str,
        locator: Locator,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            code,
            locator,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {} [{}]",
            self.locator, self.severity, self.message, self.code
        )
    }
}
