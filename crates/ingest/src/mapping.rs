//! Field mapping: which column or JSON key becomes the title, body, date, source, URL, id,
//! author, section and language. Common names are recognised automatically; an explicit
//! mapping (`--map body=text`, a column number, or a dotted JSON path) overrides them.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::record::RawRecord;

/// The article fields a mapping can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Title,
    Body,
    Date,
    Source,
    Url,
    Id,
    Author,
    Section,
    Language,
}

impl Field {
    pub const ALL: [Field; 9] = [
        Field::Title,
        Field::Body,
        Field::Date,
        Field::Source,
        Field::Url,
        Field::Id,
        Field::Author,
        Field::Section,
        Field::Language,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Body => "body",
            Field::Date => "date",
            Field::Source => "source",
            Field::Url => "url",
            Field::Id => "id",
            Field::Author => "author",
            Field::Section => "section",
            Field::Language => "language",
        }
    }

    /// Names recognised automatically, best first, compared after [`normalize_key`].
    pub fn synonyms(self) -> &'static [&'static str] {
        match self {
            Field::Title => &[
                "title", "headline", "heading", "head", "subject", "webtitle",
            ],
            Field::Body => &[
                "text",
                "body",
                "content",
                "articletext",
                "article",
                "fulltext",
                "story",
                "paragraphs",
                "maintext",
                "bodytext",
                "contenttext",
                "contenthtml",
                "leadparagraph",
                "description",
                "shortdescription",
                "summary",
                "abstract",
                "snippet",
                "message",
                "trailtext",
                "standfirst",
            ],
            Field::Date => &[
                "date",
                "published",
                "publishedat",
                "pubdate",
                "publicationdate",
                "publishdate",
                "datepublished",
                "publisheddate",
                "datetime",
                "timestamp",
                "time",
                "createdat",
                "created",
                "webpublicationdate",
                "seendate",
                "firstpublished",
            ],
            Field::Source => &[
                "source",
                "publication",
                "outlet",
                "channel",
                "site",
                "sitename",
                "publisher",
                "sourcename",
                "media",
                "newspaper",
                "domain",
            ],
            Field::Url => &[
                "url",
                "link",
                "weburl",
                "articleurl",
                "href",
                "permalink",
                "uri",
            ],
            Field::Id => &[
                "id",
                "messageid",
                "guid",
                "uuid",
                "articleid",
                "docid",
                "newsid",
                "itemid",
            ],
            Field::Author => &["author", "authors", "byline", "creator", "writer", "by"],
            Field::Section => &[
                "section",
                "sectionname",
                "category",
                "categories",
                "cat",
                "desk",
                "rubric",
                "newsdesk",
            ],
            Field::Language => &["language", "lang", "locale", "languagecode"],
        }
    }
}

impl FromStr for Field {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Field::ALL
            .iter()
            .copied()
            .find(|f| f.name() == s.to_ascii_lowercase())
            .ok_or_else(|| {
                format!(
                    "`{s}` is not a field; fields are {}",
                    Field::ALL.map(|f| f.name()).join(", ")
                )
            })
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Lower case, letters and digits only: `Published At` and `published_at` both become
/// `publishedat`.
pub fn normalize_key(k: &str) -> String {
    k.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// Where a field's value is: a column header or JSON key (dotted for nested JSON), or a
/// 1-based column number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Selector {
    Column(usize),
    Name(String),
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Selector::Column(n) => write!(f, "{n}"),
            Selector::Name(s) => f.write_str(s),
        }
    }
}

/// An explicit mapping, as given by `--map FIELD=COLUMN` options or a recipe.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldMap(pub BTreeMap<Field, Selector>);

impl FieldMap {
    /// Parses one `FIELD=COLUMN` option.
    pub fn parse_entry(s: &str) -> Result<(Field, Selector), String> {
        let (f, c) = s
            .split_once('=')
            .ok_or_else(|| format!("`{s}` should be FIELD=COLUMN, e.g. title=headline"))?;
        let field: Field = f.trim().parse()?;
        let c = c.trim();
        if c.is_empty() {
            return Err(format!("`{s}` names no column"));
        }
        let sel = match c.parse::<usize>() {
            Ok(0) => return Err(format!("`{s}`: columns are numbered from 1")),
            Ok(n) => Selector::Column(n),
            Err(_) => Selector::Name(c.to_string()),
        };
        Ok((field, sel))
    }

    pub fn get(&self, f: Field) -> Option<&Selector> {
        self.0.get(&f)
    }
}

/// A JSON value as field text: strings as they are, numbers printed, lists joined (paragraphs
/// by blank lines for the body, `, ` for authors and categories), Telegram-style rich text
/// (`[{"type":…,"text":…}]`) flattened, and `{"name": …}` objects by their name.
pub fn value_text(v: &Value, field: Field) -> Option<String> {
    let s = match v {
        Value::Null => return None,
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .filter_map(|x| value_text(x, field))
                .filter(|s| !s.trim().is_empty())
                .collect();
            let rich_text = items.iter().any(|x| x.is_object());
            let sep = match field {
                Field::Body if rich_text => "",
                Field::Body => "\n\n",
                Field::Title => " ",
                _ => ", ",
            };
            parts.join(sep)
        }
        Value::Object(o) => {
            // `{"name": …}` (a NewsAPI source), `{"text": …}` (Telegram rich text),
            // `{"value": …}` (a feedparser content), `{"main": …}` (an NYT headline),
            // `{"original": …}` (an NYT byline), `{"content": …}` (a Feedly summary).
            let inner = [
                "name", "text", "value", "main", "original", "content", "title",
            ]
            .iter()
            .find_map(|k| o.get(*k).filter(|v| !v.is_null()))?;
            return value_text(inner, field);
        }
    };
    if s.trim().is_empty() {
        None
    } else {
        Some(s)
    }
}

fn json_path<'a>(obj: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    if let Some(v) = obj.get(path) {
        return Some(v);
    }
    let mut parts = path.split('.');
    let mut cur = obj.get(parts.next()?)?;
    for p in parts {
        cur = match cur {
            Value::Object(o) => o.get(p)?,
            Value::Array(a) => a.get(p.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn set_field(rec: &mut RawRecord, field: Field, v: &Value) {
    if field == Field::Date {
        if !v.is_null() {
            rec.date = Some(v.clone());
        }
        return;
    }
    let text = value_text(v, field);
    let slot = match field {
        Field::Title => &mut rec.title,
        Field::Body => &mut rec.body,
        Field::Source => &mut rec.source,
        Field::Url => &mut rec.url,
        Field::Id => &mut rec.id,
        Field::Author => &mut rec.author,
        Field::Section => &mut rec.section,
        Field::Language => &mut rec.language,
        Field::Date => unreachable!(),
    };
    *slot = text;
}

/// Whether `key` (normalised) is a recognised name of any field.
fn names_a_field(key: &str) -> bool {
    Field::ALL.iter().any(|f| f.synonyms().contains(&key))
}

/// Fields looked for one level down, inside an object whose key names no field: the
/// Guardian's `fields.bodyText`, `fields.byline`; a JSON Feed author's name.
const NESTED_FIELDS: [Field; 3] = [Field::Title, Field::Body, Field::Author];

/// The first key of `obj` that is a recognised name of `field` and usable for it, best name
/// first. A body candidate with no words in it (`"."`, `[]`) gives way to the next one, e.g. an
/// abstract when the paragraphs are empty.
fn find_synonym<'a>(
    obj: &'a Map<String, Value>,
    field: Field,
    taken: &dyn Fn(&str) -> bool,
) -> Option<(&'a String, &'a Value)> {
    let keys: Vec<(String, &String)> = obj.keys().map(|k| (normalize_key(k), k)).collect();
    for syn in field.synonyms() {
        for (n, k) in &keys {
            if n != syn || taken(k) {
                continue;
            }
            let v = &obj[k.as_str()];
            if field == Field::Body
                && !value_text(v, field).is_some_and(|t| t.chars().any(char::is_alphanumeric))
            {
                continue;
            }
            return Some((k, v));
        }
    }
    None
}

/// Maps one JSON object to a record: explicit entries first, then the first recognised name for
/// each remaining field (top level first, then one level down for title, body and author);
/// every key not used goes to `extra`.
pub fn map_json_object(obj: Map<String, Value>, map: &FieldMap) -> RawRecord {
    let mut rec = RawRecord::default();
    let mut used: Vec<String> = Vec::new();
    let mut nested_used: Vec<(String, String)> = Vec::new();
    let claimed: Vec<String> = map.0.values().map(|s| s.to_string()).collect();
    for field in Field::ALL {
        if let Some(sel) = map.get(field) {
            let path = sel.to_string();
            if let Some(v) = json_path(&obj, &path) {
                set_field(&mut rec, field, v);
            }
            if obj.contains_key(&path) {
                used.push(path);
            }
            continue;
        }
        // A key an explicit mapping claimed for another field is not reused.
        let taken = |k: &str| used.iter().any(|u| u == k) || claimed.iter().any(|c| c == k);
        if let Some((k, v)) = find_synonym(&obj, field, &taken) {
            set_field(&mut rec, field, v);
            used.push(k.clone());
            continue;
        }
        if !NESTED_FIELDS.contains(&field) {
            continue;
        }
        let found = obj.iter().find_map(|(outer, v)| {
            let inner = v.as_object()?;
            if taken(outer) || names_a_field(&normalize_key(outer)) {
                return None;
            }
            let taken_inner = |k: &str| nested_used.iter().any(|(o, i)| o == outer && i == k);
            let (k, v) = find_synonym(inner, field, &taken_inner)?;
            Some((outer.clone(), k.clone(), v.clone()))
        });
        if let Some((outer, inner, v)) = found {
            set_field(&mut rec, field, &v);
            nested_used.push((outer, inner));
        }
    }
    for (k, v) in obj {
        if used.contains(&k) {
            continue;
        }
        let v = match v {
            Value::Object(mut inner) if nested_used.iter().any(|(o, _)| *o == k) => {
                for (_, i) in nested_used.iter().filter(|(o, _)| *o == k) {
                    inner.remove(i);
                }
                if inner.is_empty() {
                    continue;
                }
                Value::Object(inner)
            }
            v => v,
        };
        rec.extra.insert(k, v);
    }
    rec
}

/// Whether an object has a title or a text that [`map_json_object`] would find: what tells a
/// record from a wrapper around records. Returns `(has title, text length in bytes)`.
pub fn article_evidence(obj: &Map<String, Value>, map: &FieldMap) -> (bool, usize) {
    let text_of = |field: Field| -> Option<String> {
        if let Some(sel) = map.get(field) {
            return json_path(obj, &sel.to_string()).and_then(|v| value_text(v, field));
        }
        let none = |_: &str| false;
        find_synonym(obj, field, &none).and_then(|(_, v)| value_text(v, field))
    };
    let title = text_of(Field::Title).is_some_and(|t| !t.trim().is_empty());
    let body = text_of(Field::Body).map_or(0, |b| b.trim().len());
    (title, body)
}

/// A mapping resolved against a CSV header: the column index of each field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnMap {
    pub fields: BTreeMap<Field, usize>,
    pub names: Vec<String>,
}

impl ColumnMap {
    /// Resolves `map` (and automatic names) against a header; an explicit entry that names a
    /// missing column is an error that lists the columns there are.
    pub fn resolve(header: &[String], map: &FieldMap) -> Result<ColumnMap, String> {
        let mut fields = BTreeMap::new();
        for (field, sel) in &map.0 {
            let idx = match sel {
                Selector::Column(n) if *n >= 1 && *n <= header.len() => n - 1,
                Selector::Column(n) => {
                    return Err(format!(
                        "--map {field}={n}: the file has {} columns",
                        header.len()
                    ))
                }
                Selector::Name(name) => header
                    .iter()
                    .position(|h| h == name)
                    .or_else(|| {
                        let n = normalize_key(name);
                        header.iter().position(|h| normalize_key(h) == n)
                    })
                    .ok_or_else(|| {
                        format!(
                            "--map {field}={name}: there is no column `{name}` (columns: {})",
                            header.join(", ")
                        )
                    })?,
            };
            fields.insert(*field, idx);
        }
        let norm: Vec<String> = header.iter().map(|h| normalize_key(h)).collect();
        for field in Field::ALL {
            if fields.contains_key(&field) {
                continue;
            }
            for syn in field.synonyms() {
                if let Some(i) = norm.iter().position(|n| n == syn) {
                    if !fields.values().any(|v| *v == i) {
                        fields.insert(field, i);
                        break;
                    }
                }
            }
        }
        Ok(ColumnMap {
            fields,
            names: header.to_vec(),
        })
    }

    /// Builds a record from one row's cells.
    pub fn record(&self, cells: &[String]) -> RawRecord {
        let mut rec = RawRecord::default();
        for (field, idx) in &self.fields {
            if let Some(c) = cells.get(*idx) {
                if !c.trim().is_empty() {
                    set_field(&mut rec, *field, &Value::String(c.clone()));
                }
            }
        }
        for (i, c) in cells.iter().enumerate() {
            if self.fields.values().any(|v| *v == i) || c.is_empty() {
                continue;
            }
            let name = self
                .names
                .get(i)
                .filter(|n| !n.is_empty())
                .cloned()
                .unwrap_or_else(|| format!("column_{}", i + 1));
            rec.extra.insert(name, Value::String(c.clone()));
        }
        rec
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn huffpost_keys_map_automatically() {
        let r = map_json_object(
            obj(
                json!({"link": "https://h.com/a", "headline": "H", "category": "U.S. NEWS",
                       "short_description": "D", "authors": "A, B", "date": "2022-09-23"}),
            ),
            &FieldMap::default(),
        );
        assert_eq!(r.title.as_deref(), Some("H"));
        assert_eq!(r.body.as_deref(), Some("D"));
        assert_eq!(r.url.as_deref(), Some("https://h.com/a"));
        assert_eq!(r.section.as_deref(), Some("U.S. NEWS"));
        assert_eq!(r.author.as_deref(), Some("A, B"));
        assert_eq!(r.date, Some(json!("2022-09-23")));
        assert!(r.extra.is_empty());
    }

    #[test]
    fn telegram_and_fars_keys() {
        let r = map_json_object(
            obj(
                json!({"message_id": 5, "sender_id": -1, "text": "T", "date": "2024-11-22T18:12:19+00:00",
                       "channel": "RIA", "category": "moscow"}),
            ),
            &FieldMap::default(),
        );
        assert_eq!(r.id.as_deref(), Some("5"));
        assert_eq!(r.source.as_deref(), Some("RIA"));
        assert_eq!(r.section.as_deref(), Some("moscow"));
        assert_eq!(r.extra.keys().collect::<Vec<_>>(), vec!["sender_id"]);

        let r = map_json_object(
            obj(
                json!({"title": "T", "abstract": "A", "paragraphs": ["p1", "p2"], "tags": [],
                       "link": "https://www.farsnews.ir/news/8707060255"}),
            ),
            &FieldMap::default(),
        );
        assert_eq!(r.body.as_deref(), Some("p1\n\np2"));
        assert_eq!(r.extra.get("abstract"), Some(&json!("A")));
    }

    #[test]
    fn an_empty_body_candidate_gives_way_to_the_next() {
        let r = map_json_object(
            obj(json!({"title": "T", "abstract": "The abstract.", "paragraphs": ["."]})),
            &FieldMap::default(),
        );
        assert_eq!(r.body.as_deref(), Some("The abstract."));
        assert_eq!(r.extra.get("paragraphs"), Some(&json!(["."])));
    }

    #[test]
    fn explicit_mapping_and_dotted_paths() {
        let mut m = FieldMap::default();
        m.0.insert(Field::Body, Selector::Name("abstract".into()));
        m.0.insert(Field::Source, Selector::Name("meta.outlet.name".into()));
        let r = map_json_object(
            obj(json!({"text": "full", "abstract": "short", "meta": {"outlet": {"name": "Fars"}}})),
            &m,
        );
        assert_eq!(r.body.as_deref(), Some("short"));
        assert_eq!(r.source.as_deref(), Some("Fars"));
        assert_eq!(r.extra.get("text"), Some(&json!("full")));
    }

    #[test]
    fn rich_text_and_source_objects() {
        let r = map_json_object(
            obj(
                json!({"text": ["Hello ", {"type": "bold", "text": "world"}, "!"],
                       "source": {"id": "x", "name": "Reuters"}}),
            ),
            &FieldMap::default(),
        );
        assert_eq!(r.body.as_deref(), Some("Hello world!"));
        assert_eq!(r.source.as_deref(), Some("Reuters"));
    }

    #[test]
    fn csv_columns() {
        let header: Vec<String> = ["Headline", "Published At", "Outlet", "Body", "Mood"]
            .map(String::from)
            .to_vec();
        let cm = ColumnMap::resolve(&header, &FieldMap::default()).unwrap();
        let r = cm.record(&["H", "2015-01-02", "O", "B", "calm"].map(String::from));
        assert_eq!(r.title.as_deref(), Some("H"));
        assert_eq!(r.date, Some(json!("2015-01-02")));
        assert_eq!(r.source.as_deref(), Some("O"));
        assert_eq!(r.extra.get("Mood"), Some(&json!("calm")));

        let mut m = FieldMap::default();
        let (f, s) = FieldMap::parse_entry("body=5").unwrap();
        m.0.insert(f, s);
        let cm = ColumnMap::resolve(&header, &m).unwrap();
        assert_eq!(cm.fields[&Field::Body], 4);
        let err = ColumnMap::resolve(&header, &{
            let mut m = FieldMap::default();
            m.0.insert(Field::Title, Selector::Name("nope".into()));
            m
        })
        .unwrap_err();
        assert!(
            err.contains("no column `nope`") && err.contains("Headline"),
            "{err}"
        );
    }

    #[test]
    fn map_entries_parse() {
        assert_eq!(
            FieldMap::parse_entry("title=headline").unwrap(),
            (Field::Title, Selector::Name("headline".into()))
        );
        assert!(FieldMap::parse_entry("colour=x")
            .unwrap_err()
            .contains("not a field"));
        assert!(FieldMap::parse_entry("title").is_err());
        assert!(FieldMap::parse_entry("body=0").is_err());
    }
}
