//! Saved HTML article pages: decoded (BOM, then the declared charset checked against the bytes,
//! else sniffed), metadata read from meta tags, JSON-LD and markup, and the main text found with
//! `dom_smoothie` (a port of Mozilla Readability) as plain paragraphs. Pages are untrusted: a
//! depth guard ([`guard`]) drops tags nested too deep before html5ever parses the page, and
//! elements still too deep after are flattened to their text (`limit_depth`).

use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};

use dom_query::{Document, NodeData, NodeRef};
use dom_smoothie::{Config, Readability};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};
use serde_json::Value;

use crate::encoding::{sniff, FileEncoding};

mod guard;

pub use guard::MAX_ELEMENTS;
use guard::{cap_nesting, MAX_DEPTH};

/// Pages larger than this are refused rather than parsed.
pub const MAX_PAGE_BYTES: usize = 64 * 1024 * 1024;

/// How far into the page a `<meta charset>` is looked for.
const CHARSET_SCAN_BYTES: usize = 64 * 1024;

/// What was found in one saved article page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HtmlArticle {
    pub title: Option<String>,
    pub byline: Option<String>,
    pub site_name: Option<String>,
    /// The publication date as the page states it (raw string), from
    /// `article:published_time`, JSON-LD `datePublished`, `itemprop=datePublished`, `<time>`...
    pub published: Option<String>,
    /// Where `published` came from: `meta:<name>`, `json-ld`, `itemprop` or `time`.
    pub published_from: Option<&'static str>,
    /// `<html lang>`, else `og:locale`, else a content-language declaration.
    pub language: Option<String>,
    pub canonical_url: Option<String>,
    pub description: Option<String>,
    /// `article:section`, else JSON-LD `articleSection`.
    pub section: Option<String>,
    /// The main text: paragraphs separated by one blank line, line breaks inside a paragraph
    /// kept; no navigation, scripts, styles or other page furniture.
    pub text: String,
    /// How the main text was found: `readability`, or `body` when Readability found no article
    /// and the page's body text (less navigation, headers, footers and forms) was kept.
    pub text_from: &'static str,
    /// Start and end tags left out because they nested deeper than the parser is allowed to
    /// go (hostile or broken markup); 0 for real pages.
    pub tags_dropped: usize,
    /// The charset label the page declares (`<meta charset>`, `http-equiv`), as written.
    pub charset_declared: Option<String>,
    /// The encoding the page was read with (`UTF-8`, `windows-1252`, ...).
    pub charset_used: String,
}

/// A page that could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum HtmlError {
    #[error("the page is empty")]
    Empty,
    #[error("the page is {size} bytes, more than the {limit} bytes allowed")]
    TooLarge { size: usize, limit: usize },
    #[error("the page would make {elements} HTML elements, more than the {limit} allowed")]
    TooComplex { elements: usize, limit: usize },
    #[error("the page could not be analysed: {0}")]
    Internal(String),
}

/// Extracts the metadata and main text of a saved article page. `url`, when known, is the
/// page's address: it fills `canonical_url` when the page names none and resolves a relative one.
pub fn extract(bytes: &[u8], url: Option<&str>) -> Result<HtmlArticle, HtmlError> {
    if bytes.len() > MAX_PAGE_BYTES {
        return Err(HtmlError::TooLarge {
            size: bytes.len(),
            limit: MAX_PAGE_BYTES,
        });
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(HtmlError::Empty);
    }
    let decoded = decode(bytes);
    // The parser and the extractor are third-party code over untrusted input: a panic in them
    // becomes an error for this page, never a crash of the import.
    let result = catch_unwind(AssertUnwindSafe(|| analyse(&decoded.text, url)));
    let mut article = match result {
        Ok(a) => a?,
        Err(p) => {
            let msg = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic in the HTML extractor".into());
            return Err(HtmlError::Internal(msg));
        }
    };
    article.charset_declared = decoded.declared;
    article.charset_used = decoded.used;
    Ok(article)
}

// ---------------------------------------------------------------------------------------------
// HTML fragments

/// Reduces an HTML fragment — a feed's description, a field of a JSON or CSV export, a mail's
/// HTML part — to plain text, as the page extractor does for a page's main text: tags
/// removed, paragraphs and headings separated by a blank line, list items and `<br>` on lines of
/// their own, scripts, styles, images and forms dropped, entities decoded, whitespace
/// collapsed as a browser would. Every reader that meets HTML uses this one function, so the
/// same markup gives the same text whatever format carried it.
pub fn html_to_text(fragment: &str) -> String {
    let result = catch_unwind(AssertUnwindSafe(|| {
        let capped = cap_nesting(fragment);
        if capped.elements > MAX_ELEMENTS {
            return None;
        }
        let doc = Document::fragment(capped.html.as_ref());
        limit_depth(&doc, MAX_DEPTH);
        Some(block_text(&doc.root()))
    }));
    match result {
        Ok(Some(text)) => text,
        // Markup too complex to parse within the limits, or a panic in the parser: the text
        // between the tags, which is never worse than the markup itself.
        _ => strip_tags(fragment),
    }
}

/// Whether a field's text is HTML rather than text that happens to hold a `<`: it has a
/// closing tag of an HTML element (`</p>`), a `<br>`, an `<img …>`, a `<p>`, or an element
/// with attributes (`<a href=…>`), of the elements news markup uses. `a < b`, `<Cominco Ltd>`
/// (a Reuters company tag) and `<S and P>` are text.
pub fn looks_like_html(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        let lt = i + off;
        i = lt + 1;
        let closing = b.get(lt + 1) == Some(&b'/');
        let start = lt + 1 + usize::from(closing);
        let end = b[start..]
            .iter()
            .position(|c| !c.is_ascii_alphanumeric())
            .map_or(b.len(), |p| start + p);
        if end == start || end - start > 10 {
            continue;
        }
        let name = s[start..end].to_ascii_lowercase();
        if !is_news_element(&name) {
            continue;
        }
        let after = b.get(end).copied();
        let tag_ends = matches!(after, Some(b'>') | Some(b'/'));
        let has_attribute = after.is_some_and(|c| c.is_ascii_whitespace())
            && b[end..]
                .iter()
                .take(200)
                .take_while(|c| **c != b'>' && **c != b'<')
                .any(|c| *c == b'=');
        let standalone = matches!(name.as_str(), "br" | "p" | "hr" | "img" | "li" | "div");
        if (tag_ends && (closing || standalone)) || has_attribute {
            return true;
        }
    }
    false
}

/// The text between the tags, entities decoded and whitespace collapsed: the fallback of
/// [`html_to_text`] for markup it cannot parse within its limits.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let after = &rest[lt + 1..];
        let is_tag = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?');
        match after.find('>') {
            Some(gt) if is_tag => {
                out.push(' ');
                rest = &after[gt + 1..];
            }
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    let decoded = broadsheet_text::clean::decode_entities(&out);
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Elements seen in the HTML of news fields.
fn is_news_element(name: &str) -> bool {
    matches!(
        name,
        "a" | "abbr"
            | "article"
            | "aside"
            | "b"
            | "blockquote"
            | "br"
            | "caption"
            | "cite"
            | "code"
            | "dd"
            | "div"
            | "dl"
            | "dt"
            | "em"
            | "figcaption"
            | "figure"
            | "font"
            | "footer"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hr"
            | "i"
            | "iframe"
            | "img"
            | "li"
            | "noscript"
            | "ol"
            | "p"
            | "picture"
            | "pre"
            | "q"
            | "script"
            | "section"
            | "small"
            | "source"
            | "span"
            | "strong"
            | "style"
            | "sub"
            | "sup"
            | "table"
            | "tbody"
            | "td"
            | "th"
            | "thead"
            | "time"
            | "tr"
            | "u"
            | "ul"
            | "video"
    )
}

// ---------------------------------------------------------------------------------------------
// Character encoding

/// A page's text and how it was decoded.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub declared: Option<String>,
    pub used: String,
}

/// Decodes a page: a BOM wins; then the declared charset, unless the bytes are valid UTF-8 with
/// non-ASCII content (pages often declare a legacy charset and are saved as UTF-8); a page
/// that declares nothing is sniffed.
pub fn decode(bytes: &[u8]) -> Decoded {
    let declared = declared_charset(bytes);
    let declared_label = declared.as_ref().map(|(label, _)| label.clone());
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return Decoded {
            text: text.into_owned(),
            declared: declared_label,
            used: format!("{} (BOM)", enc.name()),
        };
    }
    let declared_enc = declared.and_then(|(_, e)| e);
    let valid_utf8 = std::str::from_utf8(bytes).is_ok();
    if let Some(enc) = declared_enc {
        // A meta tag cannot truthfully declare UTF-16 (it would not be readable as ASCII).
        let enc = if enc == UTF_16LE || enc == UTF_16BE {
            UTF_8
        } else {
            enc
        };
        let use_utf8 = enc == UTF_8 || (valid_utf8 && !bytes.is_ascii());
        if use_utf8 {
            // Declared UTF-8 but plainly in a legacy encoding: trust the bytes.
            if !valid_utf8 {
                if let FileEncoding::Other { encoding, .. } = sniff(bytes, true) {
                    if encoding != UTF_16LE && encoding != UTF_16BE {
                        return decode_with(bytes, encoding, declared_label, " (detected)");
                    }
                }
            }
            return decode_with(bytes, UTF_8, declared_label, "");
        }
        return decode_with(bytes, enc, declared_label, "");
    }
    match sniff(bytes, true) {
        FileEncoding::Utf8 { .. } => decode_with(bytes, UTF_8, declared_label, ""),
        FileEncoding::Other { encoding, .. } => {
            decode_with(bytes, encoding, declared_label, " (detected)")
        }
    }
}

fn decode_with(
    bytes: &[u8],
    enc: &'static Encoding,
    declared: Option<String>,
    note: &str,
) -> Decoded {
    let (text, _) = enc.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        declared,
        used: format!("{}{}", enc.name(), note),
    }
}

/// The charset a page declares in its first bytes: the label as written and the encoding it
/// names (None for an unknown label).
fn declared_charset(bytes: &[u8]) -> Option<(String, Option<&'static Encoding>)> {
    let head = &bytes[..bytes.len().min(CHARSET_SCAN_BYTES)];
    let mut i = 0;
    while i < head.len() {
        let Some(lt) = memchr::memchr(b'<', &head[i..]) else {
            break;
        };
        let start = i + lt;
        let rest = &head[start..];
        if rest.starts_with(b"<!--") {
            i = match memchr::memmem::find(&rest[4..], b"-->") {
                Some(e) => start + 4 + e + 3,
                None => break,
            };
            continue;
        }
        if rest.len() > 5 && rest[1..5].eq_ignore_ascii_case(b"meta") && is_tag_end(rest[5]) {
            let (attrs, end) = tag_attributes(&rest[5..]);
            if let Some(found) = charset_from_meta(&attrs) {
                let enc = Encoding::for_label(found.as_bytes());
                return Some((found, enc));
            }
            i = start + 5 + end;
            continue;
        }
        if rest.len() > 5 && rest[1..5].eq_ignore_ascii_case(b"body") && is_tag_end(rest[5]) {
            break;
        }
        i = start + 1;
    }
    None
}

fn is_tag_end(b: u8) -> bool {
    b.is_ascii_whitespace() || b == b'/' || b == b'>'
}

/// The attributes of a tag, lower-cased names, from just after the tag name; and how many
/// bytes were read up to and including the closing `>`.
fn tag_attributes(s: &[u8]) -> (Vec<(String, String)>, usize) {
    let mut attrs = Vec::new();
    let mut i = 0;
    let n = s.len();
    loop {
        while i < n && (s[i].is_ascii_whitespace() || s[i] == b'/') {
            i += 1;
        }
        if i >= n {
            return (attrs, n);
        }
        if s[i] == b'>' {
            return (attrs, i + 1);
        }
        let name_start = i;
        while i < n && !s[i].is_ascii_whitespace() && !matches!(s[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = String::from_utf8_lossy(&s[name_start..i]).to_ascii_lowercase();
        while i < n && s[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < n && s[i] == b'=' {
            i += 1;
            while i < n && s[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < n && (s[i] == b'"' || s[i] == b'\'') {
                let q = s[i];
                let v_start = i + 1;
                let v_end = memchr::memchr(q, &s[v_start..]).map_or(n, |e| v_start + e);
                value = String::from_utf8_lossy(&s[v_start..v_end]).into_owned();
                i = (v_end + 1).min(n);
            } else {
                let v_start = i;
                while i < n && !s[i].is_ascii_whitespace() && s[i] != b'>' {
                    i += 1;
                }
                value = String::from_utf8_lossy(&s[v_start..i]).into_owned();
            }
        }
        if !name.is_empty() {
            attrs.push((name, value));
        }
    }
}

fn charset_from_meta(attrs: &[(String, String)]) -> Option<String> {
    let get = |k: &str| attrs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    if let Some(cs) = get("charset") {
        let cs = cs.trim();
        if !cs.is_empty() {
            return Some(cs.to_string());
        }
    }
    let http_equiv = get("http-equiv")?;
    if !http_equiv.trim().eq_ignore_ascii_case("content-type") {
        return None;
    }
    charset_from_content_type(get("content")?)
}

/// `text/html; charset=gb2312` → `gb2312`.
fn charset_from_content_type(content: &str) -> Option<String> {
    let lower = content.to_ascii_lowercase();
    let at = lower.find("charset")?;
    let rest = content[at + 7..].trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let end = rest
        .find(|c: char| c == ';' || c == '"' || c == '\'' || c.is_whitespace())
        .unwrap_or(rest.len());
    let cs = &rest[..end];
    (!cs.is_empty()).then(|| cs.to_string())
}

// ---------------------------------------------------------------------------------------------
// Analysis

fn analyse(html: &str, url: Option<&str>) -> Result<HtmlArticle, HtmlError> {
    let capped = cap_nesting(html);
    if capped.elements > MAX_ELEMENTS {
        return Err(HtmlError::TooComplex {
            elements: capped.elements,
            limit: MAX_ELEMENTS,
        });
    }
    let html = capped.html;
    let doc = Document::from(html.as_ref());
    limit_depth(&doc, MAX_DEPTH);
    let mut article = page_metadata(&doc, url);
    article.tags_dropped = capped.dropped;

    // Readability is given no address: it would only make links absolute, and links are not
    // kept in plain text.
    let mut parsed = None;
    if let Ok(mut r) = Readability::with_document(doc, None, Some(Config::default())) {
        if let Ok(a) = r.parse() {
            let root = r.doc.select("#readability-page-1");
            let text = root.nodes().first().map(block_text).unwrap_or_default();
            parsed = Some((a, text));
        }
    }
    match parsed {
        Some((a, text)) if !text.is_empty() => {
            article.text = text;
            article.text_from = "readability";
            // Readability's choices, which prefer JSON-LD and check the title against the page.
            article.title = non_empty(Some(&a.title)).or(article.title);
            article.byline = non_empty(a.byline.as_deref()).or(article.byline);
            article.site_name = non_empty(a.site_name.as_deref()).or(article.site_name);
            article.description = article.description.or(non_empty(a.excerpt.as_deref()));
        }
        _ => {
            // No article found: the body's text, less navigation and page furniture.
            let doc = Document::from(html.as_ref());
            limit_depth(&doc, MAX_DEPTH);
            article.text = doc.body().map(body_text).unwrap_or_default();
            article.text_from = "body";
        }
    }
    Ok(article)
}

/// Flattens elements deeper than `max` to their text (template contents included).
fn limit_depth(doc: &Document, max: usize) {
    let mut too_deep = Vec::new();
    let mut stack: Vec<(NodeRef, usize)> = vec![(doc.root(), 0)];
    while let Some((node, depth)) = stack.pop() {
        if depth >= max && node.is_element() {
            too_deep.push(node);
            continue;
        }
        if let Some(contents) = template_contents(&node) {
            stack.push((contents, depth + 1));
        }
        let mut child = node.first_child();
        while let Some(c) = child {
            child = c.next_sibling();
            stack.push((c, depth + 1));
        }
    }
    for node in too_deep {
        let text = block_text(&node);
        node.set_text(text.as_str());
    }
}

/// The document fragment holding a `<template>`'s contents.
fn template_contents<'a>(node: &NodeRef<'a>) -> Option<NodeRef<'a>> {
    let id = node
        .query(|n| match &n.data {
            NodeData::Element(e) => e.template_contents,
            _ => None,
        })
        .flatten()?;
    Some(NodeRef::new(id, node.tree))
}

// ---------------------------------------------------------------------------------------------
// Metadata

/// Metadata keys for the publication date, most specific first, with the provenance each gives.
const PUBLISHED_META: &[(&str, &str)] = &[
    ("article:published_time", "meta:article:published_time"),
    ("og:published_time", "meta:og:published_time"),
    ("parsely-pub-date", "meta:parsely-pub-date"),
    ("sailthru.date", "meta:sailthru.date"),
    ("dcterms.created", "meta:dcterms.created"),
    ("dcterms.issued", "meta:dcterms.issued"),
    ("dcterms.available", "meta:dcterms.available"),
    ("dc.date.issued", "meta:dc.date.issued"),
    ("dc.date", "meta:dc.date"),
    ("date", "meta:date"),
    ("pubdate", "meta:pubdate"),
    ("publishdate", "meta:publishdate"),
    ("publish-date", "meta:publish-date"),
    ("publish_date", "meta:publish_date"),
    ("article.published", "meta:article.published"),
    ("datepublished", "meta:datepublished"),
    ("weibo:article:create_at", "meta:weibo:article:create_at"),
];

/// Metadata keys naming the author (values that are addresses are passed over).
const BYLINE_META: &[&str] = &[
    "author",
    "article:author",
    "dc.creator",
    "dcterms.creator",
    "byl",
    "parsely-author",
    "sailthru.author",
    "twitter:creator",
];

/// The `<meta>` tags of a page: (lower-cased name or property, content), in page order.
fn meta_tags(doc: &Document) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for node in doc.select("meta").nodes() {
        let Some(content) = node.attr("content") else {
            continue;
        };
        let content = content.trim();
        if content.is_empty() {
            continue;
        }
        for key in ["property", "name", "itemprop", "http-equiv"] {
            if let Some(k) = node.attr(key) {
                // `property` may hold several space-separated names.
                for k in k.split_whitespace() {
                    out.push((k.to_ascii_lowercase(), content.to_string()));
                }
            }
        }
    }
    out
}

fn first_meta<'a>(metas: &'a [(String, String)], keys: &[&str]) -> Option<&'a str> {
    keys.iter()
        .find_map(|k| metas.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str()))
}

/// What a JSON-LD article object says.
#[derive(Default)]
struct JsonLd {
    date_published: Option<String>,
    section: Option<String>,
    url: Option<String>,
    description: Option<String>,
    publisher: Option<String>,
    author: Option<String>,
    language: Option<String>,
}

fn is_article_type(t: &Value) -> bool {
    let one = |s: &str| {
        s.ends_with("Article") || s.ends_with("Posting") || s == "Report" || s == "APIReference"
    };
    match t {
        Value::String(s) => one(s),
        Value::Array(a) => a.iter().any(|v| v.as_str().is_some_and(one)),
        _ => false,
    }
}

fn json_string(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Array(a) => a.iter().find_map(|x| json_string(Some(x))),
        Value::Object(o) => json_string(o.get("name").or_else(|| o.get("@value"))),
        _ => None,
    }
}

/// `"author": {"name": ...}` or a list of them (or of strings), joined with commas.
fn json_authors(v: Option<&Value>) -> Option<String> {
    let names: Vec<String> = match v? {
        Value::Array(a) => a.iter().filter_map(|x| json_string(Some(x))).collect(),
        other => json_string(Some(other)).into_iter().collect(),
    };
    (!names.is_empty()).then(|| names.join(", "))
}

fn json_ld(doc: &Document) -> JsonLd {
    let mut out = JsonLd::default();
    for node in doc.select("script").nodes() {
        let is_ld = node
            .attr("type")
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"));
        if !is_ld {
            continue;
        }
        let text = node.text();
        let mut s = text.trim();
        s = s.strip_prefix("<![CDATA[").unwrap_or(s);
        s = s.strip_suffix("]]>").unwrap_or(s);
        s = s.strip_prefix("<!--").unwrap_or(s);
        s = s.strip_suffix("-->").unwrap_or(s);
        let Ok(v) = serde_json::from_str::<Value>(s.trim()) else {
            continue;
        };
        // Breadth-first over arrays and @graph, bounded.
        let mut queue: VecDeque<&Value> = VecDeque::new();
        queue.push_back(&v);
        let mut seen = 0;
        while let Some(item) = queue.pop_front() {
            seen += 1;
            if seen > 1000 {
                break;
            }
            match item {
                Value::Array(a) => queue.extend(a.iter()),
                Value::Object(o) => {
                    if let Some(g) = o.get("@graph") {
                        queue.push_back(g);
                    }
                    if !o.get("@type").is_some_and(is_article_type) {
                        continue;
                    }
                    if out.date_published.is_none() {
                        out.date_published = json_string(o.get("datePublished"));
                    }
                    if out.section.is_none() {
                        out.section = json_string(o.get("articleSection"));
                    }
                    if out.url.is_none() {
                        out.url = json_string(o.get("url"));
                    }
                    if out.description.is_none() {
                        out.description = json_string(o.get("description"));
                    }
                    if out.publisher.is_none() {
                        out.publisher = o.get("publisher").and_then(|p| match p {
                            Value::Object(p) => json_string(p.get("name")),
                            other => json_string(Some(other)),
                        });
                    }
                    if out.language.is_none() {
                        out.language = json_string(o.get("inLanguage"));
                    }
                    if out.author.is_none() {
                        out.author = json_authors(o.get("author"));
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// A one-line field: entities already decoded by the parser; whitespace collapsed.
fn clean_field(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn non_empty(s: Option<&str>) -> Option<String> {
    s.map(clean_field).filter(|s| !s.is_empty())
}

fn page_metadata(doc: &Document, url: Option<&str>) -> HtmlArticle {
    let metas = meta_tags(doc);
    let ld = json_ld(doc);
    let mut a = HtmlArticle {
        charset_used: String::new(),
        ..HtmlArticle::default()
    };

    a.title = non_empty(first_meta(&metas, &["og:title", "twitter:title"])).or_else(|| {
        doc.select("title")
            .nodes()
            .first()
            .and_then(|t| non_empty(Some(&t.text())))
    });
    a.byline = BYLINE_META
        .iter()
        .filter_map(|k| non_empty(first_meta(&metas, &[k])))
        .find(|v| !has_scheme(v))
        .or_else(|| ld.author.clone());
    a.site_name = non_empty(first_meta(&metas, &["og:site_name", "application-name"]))
        .or_else(|| ld.publisher.clone());
    a.description = non_empty(first_meta(
        &metas,
        &[
            "description",
            "og:description",
            "twitter:description",
            "dc.description",
        ],
    ))
    .or_else(|| ld.description.clone());
    a.section = non_empty(first_meta(&metas, &["article:section", "section"]))
        .or_else(|| ld.section.clone());

    // Publication date: JSON-LD first (it usually carries the zone), then meta tags.
    let mut published: Option<(String, &'static str)> =
        ld.date_published.clone().map(|d| (d, "json-ld"));
    if published.is_none() {
        published = PUBLISHED_META
            .iter()
            .find_map(|(key, from)| non_empty(first_meta(&metas, &[key])).map(|v| (v, *from)));
    }
    if published.is_none() {
        published = itemprop_date(doc).map(|d| (d, "itemprop"));
    }
    if published.is_none() {
        published = time_element(doc).map(|d| (d, "time"));
    }
    if let Some((d, from)) = published {
        a.published = Some(d);
        a.published_from = Some(from);
    }

    // Language.
    a.language = doc
        .select("html")
        .nodes()
        .first()
        .and_then(|h| non_empty(h.attr("lang").as_deref()))
        .or_else(|| non_empty(first_meta(&metas, &["og:locale"])))
        .or_else(|| {
            non_empty(first_meta(
                &metas,
                &["content-language", "language", "dc.language"],
            ))
        })
        .or_else(|| ld.language.clone());

    // Canonical address.
    let canonical = doc
        .select("link[rel]")
        .nodes()
        .iter()
        .find(|l| {
            l.attr("rel").is_some_and(|r| {
                r.split_whitespace()
                    .any(|x| x.eq_ignore_ascii_case("canonical"))
            })
        })
        .and_then(|l| non_empty(l.attr("href").as_deref()))
        .or_else(|| non_empty(first_meta(&metas, &["og:url"])))
        .or_else(|| ld.url.clone());
    a.canonical_url = canonical
        .and_then(|c| match url {
            Some(base) => resolve_url(base, &c),
            None => (!has_scheme(&c) || is_http(&c)).then_some(c),
        })
        .or_else(|| non_empty(url));
    a
}

/// `itemprop="datePublished"` on any element: its `content` or `datetime`, else its text.
fn itemprop_date(doc: &Document) -> Option<String> {
    for node in doc.select("[itemprop]").nodes() {
        let is_pub = node
            .attr("itemprop")
            .is_some_and(|p| p.split_whitespace().any(|x| x == "datePublished"));
        if !is_pub {
            continue;
        }
        let v = node
            .attr("content")
            .or_else(|| node.attr("datetime"))
            .map(|s| s.to_string())
            .unwrap_or_else(|| node.text().to_string());
        if let Some(v) = non_empty(Some(&v)) {
            return Some(v);
        }
    }
    None
}

/// The first `<time datetime>` marked as the publication time (`pubdate`), else the first one.
fn time_element(doc: &Document) -> Option<String> {
    let times = doc.select("time[datetime]");
    let nodes = times.nodes();
    let pick = nodes
        .iter()
        .find(|t| t.has_attr("pubdate"))
        .or_else(|| nodes.first())?;
    non_empty(pick.attr("datetime").as_deref())
}

/// Whether `s` starts with a URL scheme (`https:`, `javascript:`, `mailto:`...).
fn has_scheme(s: &str) -> bool {
    let s = s.trim_start();
    match s.find(':') {
        Some(i) if i > 0 => {
            let scheme = &s[..i];
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        _ => false,
    }
}

fn is_http(s: &str) -> bool {
    let l = s.trim_start().to_ascii_lowercase();
    l.starts_with("http://") || l.starts_with("https://")
}

/// Resolves `href` against `base` for the common cases (absolute, `//host`, `/path`,
/// relative); an address with a scheme other than http(s) (`javascript:`, `data:`) is refused.
fn resolve_url(base: &str, href: &str) -> Option<String> {
    let href = href.trim();
    if has_scheme(href) {
        return is_http(href).then(|| href.to_string());
    }
    let Some((scheme, rest)) = base.trim().split_once("://") else {
        return Some(href.to_string());
    };
    if let Some(h) = href.strip_prefix("//") {
        return Some(format!("{scheme}://{h}"));
    }
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let origin = format!("{scheme}://{}", &rest[..host_end]);
    if href.starts_with('/') {
        return Some(format!("{origin}{href}"));
    }
    let path = &rest[host_end..];
    let path = path.split(['?', '#']).next().unwrap_or("");
    let dir = match path.rfind('/') {
        Some(i) => &path[..=i],
        None => "/",
    };
    Some(format!("{origin}{dir}{href}"))
}

// ---------------------------------------------------------------------------------------------
// Text

/// Elements whose content is never text.
fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "iframe"
            | "template"
            | "svg"
            | "math"
            | "object"
            | "embed"
            | "canvas"
            | "video"
            | "audio"
            | "select"
            | "textarea"
            | "button"
            | "head"
            | "title"
            | "meta"
            | "link"
    )
}

/// Elements that start and end a paragraph.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "header"
            | "footer"
            | "aside"
            | "nav"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "dl"
            | "blockquote"
            | "pre"
            | "figure"
            | "figcaption"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "caption"
            | "hr"
            | "address"
            | "details"
            | "summary"
            | "form"
            | "fieldset"
            | "center"
            | "body"
            | "html"
    )
}

/// Elements on a line of their own, inside the paragraph of their list or table.
fn is_line(name: &str) -> bool {
    matches!(name, "li" | "dt" | "dd" | "tr")
}

/// Table cells: a space-separated run inside their row.
fn is_cell(name: &str) -> bool {
    matches!(name, "td" | "th")
}

enum Kind {
    Text(String),
    Element(String),
    Other,
}

fn kind(node: &NodeRef) -> Kind {
    node.query(|n| match &n.data {
        NodeData::Text { contents } => Kind::Text(contents.to_string()),
        NodeData::Element(e) => Kind::Element(e.name.local.to_string()),
        _ => Kind::Other,
    })
    .unwrap_or(Kind::Other)
}

/// Builds paragraphs from text runs.
#[derive(Default)]
struct TextBuilder {
    paras: Vec<String>,
    cur: String,
    pending_space: bool,
}

impl TextBuilder {
    fn push_text(&mut self, s: &str, pre: bool) {
        for c in s.chars() {
            if c.is_control() && c != '\n' && c != '\t' || c == '\u{FEFF}' {
                continue;
            }
            if pre && c == '\n' {
                self.line_break();
                continue;
            }
            if c.is_whitespace() {
                self.pending_space = true;
                continue;
            }
            if self.pending_space && !self.cur.is_empty() && !self.cur.ends_with('\n') {
                self.cur.push(' ');
            }
            self.pending_space = false;
            self.cur.push(c);
        }
    }

    fn line_break(&mut self) {
        if !self.cur.is_empty() && !self.cur.ends_with('\n') {
            self.cur.push('\n');
        }
        self.pending_space = false;
    }

    fn space(&mut self) {
        self.pending_space = true;
    }

    fn paragraph(&mut self) {
        let p = self.cur.trim_end().to_string();
        if !p.is_empty() {
            self.paras.push(p);
        }
        self.cur.clear();
        self.pending_space = false;
    }

    fn finish(mut self) -> String {
        self.paragraph();
        self.paras.join("\n\n")
    }
}

/// The text of a subtree, paragraph by paragraph, walked without recursion.
fn block_text(root: &NodeRef) -> String {
    walk_text(root, &|_| false)
}

/// The text of a page body when no article was found: navigation, headers, footers, asides
/// and forms left out.
fn body_text(body: NodeRef) -> String {
    walk_text(&body, &|name| {
        matches!(
            name,
            "nav" | "header" | "footer" | "aside" | "form" | "menu"
        )
    })
}

fn walk_text(root: &NodeRef, extra_skip: &dyn Fn(&str) -> bool) -> String {
    let mut b = TextBuilder::default();
    // (node, entering) pairs; leaving an element closes its paragraph.
    enum Step<'a> {
        Enter(NodeRef<'a>),
        Leave(String),
    }
    let mut pre_depth = 0usize;
    let mut stack = vec![Step::Enter(*root)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Leave(name) => {
                if name == "pre" {
                    pre_depth = pre_depth.saturating_sub(1);
                }
                if is_block(&name) {
                    b.paragraph();
                } else if is_line(&name) {
                    b.line_break();
                } else if is_cell(&name) {
                    b.space();
                }
            }
            Step::Enter(node) => match kind(&node) {
                Kind::Text(t) => b.push_text(&t, pre_depth > 0),
                Kind::Other => {
                    if node.is_document() || node.is_fragment() {
                        push_children(&node, &mut stack, Step::Enter);
                    }
                }
                Kind::Element(name) => {
                    if is_skipped(&name) || extra_skip(&name) {
                        continue;
                    }
                    if name == "br" {
                        b.line_break();
                        continue;
                    }
                    if is_block(&name) {
                        b.paragraph();
                    } else if is_line(&name) {
                        b.line_break();
                    } else if is_cell(&name) {
                        b.space();
                    }
                    if name == "pre" {
                        pre_depth += 1;
                    }
                    stack.push(Step::Leave(name));
                    push_children(&node, &mut stack, Step::Enter);
                }
            },
        }
    }
    b.finish()
}

fn push_children<'a, T>(node: &NodeRef<'a>, stack: &mut Vec<T>, f: impl Fn(NodeRef<'a>) -> T) {
    let start = stack.len();
    let mut child = node.first_child();
    while let Some(c) = child {
        child = c.next_sibling();
        stack.push(f(c));
    }
    stack[start..].reverse();
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    /// Four paragraphs of article prose, enough for Readability to take them as the article.
    const PARAS: [&str; 4] = [
        "The finance minister said on Tuesday that the government would not raise taxes this year, despite a widening budget deficit and pressure from the central bank.",
        "Speaking to reporters in the capital, she said the coalition had agreed to cut spending on defence and infrastructure instead, a decision that opposition leaders called reckless.",
        "Economists were divided. Some welcomed the restraint, while others warned that the cuts would slow growth at a time when unemployment is already rising in the north of the country.",
        "Parliament is expected to vote on the budget next month, and analysts said the outcome was far from certain given the narrow majority the coalition holds.",
    ];

    fn article_page(head: &str, before: &str, after: &str) -> String {
        let body: String = PARAS.iter().map(|p| format!("<p>{p}</p>\n")).collect();
        format!(
            "<!DOCTYPE html><html><head>{head}</head><body>\
             <nav><a href=\"/\">Home</a> <a href=\"/world\">World</a> <a href=\"/business\">Business</a></nav>\
             {before}<article><h1>Minister rules out tax rise</h1>{body}</article>{after}\
             <footer><p>Copyright 2024 Example News. All rights reserved.</p></footer></body></html>"
        )
    }

    fn extracted(html: &str) -> HtmlArticle {
        match extract(
            html.as_bytes(),
            Some("https://news.example.com/world/budget.html"),
        ) {
            Ok(a) => a,
            Err(e) => panic!("extract failed: {e}"),
        }
    }

    /// The main text of `html` is `want`.
    fn check(html: &str, want: &str) {
        assert_eq!(extracted(html).text, want, "for {html}");
    }

    #[test]
    fn main_text_is_the_article_in_paragraphs() {
        let want = PARAS.join("\n\n");
        check(&article_page("<title>Budget</title>", "", ""), &want);
        // Furniture around the article stays out.
        check(
            &article_page(
                "<title>Budget</title><style>p { color: red }</style><script>var tracking = 1;</script>",
                "<div class=\"share-buttons\"><a href=\"https://twitter.com/share\">Share on Twitter</a> <a href=\"mailto:?\">Email</a></div>",
                "<aside class=\"related\"><h3>Related stories</h3><ul><li><a href=\"/a\">Minister resigns</a></li><li><a href=\"/b\">Markets fall</a></li></ul></aside>\
                 <div id=\"comments\" class=\"comments\"><h3>Comments</h3><p>First!</p></div>",
            ),
            &want,
        );
    }

    #[test]
    fn line_breaks_lists_and_preformatted_text() {
        let extra = "<p>Line one<br>Line two</p><ul><li>First point</li><li>Second point</li></ul>";
        let html = article_page("<title>T</title>", "", "")
            .replace("</article>", &format!("{extra}</article>"));
        let text = extracted(&html).text;
        assert!(
            text.ends_with("Line one\nLine two\n\nFirst point\nSecond point"),
            "{text}"
        );
    }

    #[test]
    fn a_short_page_keeps_its_text() {
        let a = extracted("<html><body><p>Short note.</p></body></html>");
        assert_eq!(a.text, "Short note.");
        let a = extracted("<html><body><p>One<p>Two</body></html>");
        assert_eq!(a.text, "One\n\nTwo");
    }

    #[test]
    fn byline_from_meta_or_json_ld() {
        let cases = [
            (
                r#"<meta name="author" content="Jane Doe">"#,
                Some("Jane Doe"),
            ),
            (
                r#"<meta property="article:author" content="https://x.example/jane"><meta name="byl" content="By Jane Doe">"#,
                Some("By Jane Doe"),
            ),
            (
                r#"<script type="application/ld+json">{"@type":"NewsArticle","author":[{"@type":"Person","name":"A One"},{"name":"B Two"}]}</script>"#,
                Some("A One, B Two"),
            ),
            ("", None),
        ];
        for (head, want) in cases {
            let doc = Document::from(format!("<html><head>{head}</head><body></body></html>"));
            assert_eq!(page_metadata(&doc, None).byline.as_deref(), want, "{head}");
        }
    }

    #[test]
    fn body_text_leaves_out_page_furniture() {
        let doc = Document::from(
            "<body><header>Site</header><nav>Menu</nav><p>Kept <b>text</b></p><form><p>Search</p></form>\
             <aside>Ad</aside><div>More</div><footer>Footer</footer><script>x()</script></body>",
        );
        let text = doc.body().map(body_text).unwrap_or_default();
        assert_eq!(text, "Kept text\n\nMore");
    }

    #[test]
    fn metadata_from_meta_tags() {
        let head = r#"<meta charset="utf-8"><title>Minister rules out tax rise | Example News</title>
            <meta property="og:title" content="Minister rules out tax rise">
            <meta property="og:site_name" content="Example News">
            <meta name="author" content="Jane Doe">
            <meta name="description" content="No new taxes this year.">
            <meta property="article:published_time" content="2024-03-05T10:00:00+01:00">
            <meta property="article:section" content="Business">
            <meta property="og:locale" content="en_GB">
            <link rel="canonical" href="/world/budget">"#;
        let a = extracted(&article_page(head, "", ""));
        assert_eq!(a.title.as_deref(), Some("Minister rules out tax rise"));
        assert_eq!(a.byline.as_deref(), Some("Jane Doe"));
        assert_eq!(a.site_name.as_deref(), Some("Example News"));
        assert_eq!(a.description.as_deref(), Some("No new taxes this year."));
        assert_eq!(a.published.as_deref(), Some("2024-03-05T10:00:00+01:00"));
        assert_eq!(a.published_from, Some("meta:article:published_time"));
        assert_eq!(a.section.as_deref(), Some("Business"));
        assert_eq!(a.language.as_deref(), Some("en_GB"));
        assert_eq!(
            a.canonical_url.as_deref(),
            Some("https://news.example.com/world/budget")
        );
        assert_eq!(a.charset_declared.as_deref(), Some("utf-8"));
        assert_eq!(a.charset_used, "UTF-8");
    }

    #[test]
    fn published_date_sources_in_order() {
        let ld = r#"<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
            {"@type":"WebSite","name":"Example"},
            {"@type":["NewsArticle"],"headline":"Minister rules out tax rise","datePublished":"2024-03-05T09:00:00Z",
             "articleSection":["Economy","Budget"],"publisher":{"@type":"Organization","name":"Example News"}}]}</script>"#;
        let meta = r#"<meta property="article:published_time" content="2024-03-05 10:00">"#;
        let itemprop = r#"<span itemprop="datePublished" content="2024-03-04">4 March</span>"#;
        let time = r#"<time datetime="2024-03-03T08:00">3 March</time>"#;
        let cases: [(String, String, Option<&str>, Option<&str>); 5] = [
            (
                format!("{ld}{meta}"),
                String::new(),
                Some("2024-03-05T09:00:00Z"),
                Some("json-ld"),
            ),
            (
                meta.to_string(),
                itemprop.to_string(),
                Some("2024-03-05 10:00"),
                Some("meta:article:published_time"),
            ),
            (
                String::new(),
                format!("{time}{itemprop}"),
                Some("2024-03-04"),
                Some("itemprop"),
            ),
            (
                String::new(),
                time.to_string(),
                Some("2024-03-03T08:00"),
                Some("time"),
            ),
            (String::new(), String::new(), None, None),
        ];
        for (head, before, date, from) in cases {
            let a = extracted(&article_page(&head, &before, ""));
            assert_eq!(
                (a.published.as_deref(), a.published_from),
                (date, from),
                "{head} {before}"
            );
        }
        let a = extracted(&article_page(ld, "", ""));
        assert_eq!(a.section.as_deref(), Some("Economy"));
        assert_eq!(a.site_name.as_deref(), Some("Example News"));
    }

    #[test]
    fn language_sources() {
        let cases = [
            ("<html lang=\"de-AT\"><head></head><body><p>x</p></body></html>", Some("de-AT")),
            ("<html><head><meta http-equiv=\"content-language\" content=\"fr\"></head><body><p>x</p></body></html>", Some("fr")),
            ("<html><head></head><body><p>x</p></body></html>", None),
        ];
        for (html, want) in cases {
            assert_eq!(extracted(html).language.as_deref(), want, "{html}");
        }
    }

    #[test]
    fn urls_resolve_against_the_page() {
        let cases = [
            ("https://a.example/x/y.html", "/z", "https://a.example/z"),
            (
                "https://a.example/x/y.html",
                "z.html",
                "https://a.example/x/z.html",
            ),
            (
                "https://a.example/x/y.html",
                "//b.example/q",
                "https://b.example/q",
            ),
            ("https://a.example", "z", "https://a.example/z"),
            (
                "https://a.example/x/",
                "HTTP://c.example/",
                "HTTP://c.example/",
            ),
        ];
        for (base, href, want) in cases {
            assert_eq!(
                resolve_url(base, href).as_deref(),
                Some(want),
                "{base} + {href}"
            );
        }
        for bad in [
            "javascript:alert(1)",
            " JavaScript:x",
            "data:text/html,x",
            "mailto:a@b",
        ] {
            assert_eq!(resolve_url("https://a.example/", bad), None, "{bad}");
        }
    }

    fn check_charset(bytes: &[u8], declared: Option<&str>, used: &str, text_starts: &str) {
        let d = decode(bytes);
        assert_eq!(d.declared.as_deref(), declared);
        assert_eq!(d.used, used);
        let body = d.text.split("<p>").nth(1).unwrap_or("");
        assert!(body.starts_with(text_starts), "{:?}", d.text);
    }

    #[test]
    fn charsets() {
        let zh = "人工智能迈上新台阶，新电脑已可利用记忆自学。";
        // Declares gb2312 but is UTF-8: read as UTF-8.
        let page = format!("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\" /></head><body><p>{zh}</p></body></html>");
        check_charset(page.as_bytes(), Some("gb2312"), "UTF-8", zh);
        // Declares gb2312 and is: read as GBK.
        let (gbk, _, _) = encoding_rs::GBK.encode(&page);
        check_charset(&gbk, Some("gb2312"), "GBK", zh);
        // A BOM wins over the declaration.
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend(b"<meta charset=\"windows-1252\"><p>caf\xC3\xA9");
        check_charset(&bom, Some("windows-1252"), "UTF-8 (BOM)", "café");
        let mut le = vec![0xFF, 0xFE];
        le.extend(
            "<html><p>Grüße"
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        );
        check_charset(&le, None, "UTF-16LE (BOM)", "Grüße");
        // Nothing declared: sniffed.
        let ru = "<html><body><p>Министр обороны России заявил, что Москва перевооружает армию Киргизии.";
        let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode(ru);
        check_charset(&cp1251, None, "windows-1251 (detected)", "Министр");
        check_charset("<p>naïve café".as_bytes(), None, "UTF-8", "naïve café");
        // Latin-1 declared, unquoted, with an ASCII-only page.
        check_charset(
            b"<meta charset=iso-8859-1><p>caf\xE9",
            Some("iso-8859-1"),
            "windows-1252",
            "café",
        );
        // Declared UTF-8 over plainly legacy bytes: the bytes win.
        let fr = "<meta charset=\"utf-8\"><p>Le ministre a déclaré mercredi que l'économie française était à un tournant, après une année très difficile pour les entreprises et les ménages.";
        let (latin, _, _) = encoding_rs::WINDOWS_1252.encode(fr);
        check_charset(
            &latin,
            Some("utf-8"),
            "windows-1252 (detected)",
            "Le ministre a déclaré",
        );
        // A declaration inside a comment does not count; an unknown label is kept as written.
        check_charset(
            b"<!-- <meta charset=koi8-r> --><meta charset=\"x-unknown\"><p>ok",
            Some("x-unknown"),
            "UTF-8",
            "ok",
        );
    }

    #[test]
    fn empty_and_garbage_input() {
        assert!(matches!(extract(b"", None), Err(HtmlError::Empty)));
        assert!(matches!(extract(b" \n\t ", None), Err(HtmlError::Empty)));
        // Deterministic pseudo-random bytes, markup-like and not.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let pieces: [&[u8]; 14] = [
            b"<div>",
            b"</div>",
            b"<p>",
            b"<b>",
            b"</b>",
            b"<table><tr><td>",
            b"<!--",
            b"-->",
            b"<script>",
            b"</script>",
            b"<svg><g/>",
            b"text ",
            b"\"'=",
            b"<a href=x>",
        ];
        for round in 0..300 {
            let mut bytes = Vec::new();
            for _ in 0..(next() % 400) {
                if round % 2 == 0 {
                    bytes.extend_from_slice(pieces[(next() % pieces.len() as u64) as usize]);
                } else {
                    bytes.push(next() as u8);
                }
            }
            match extract(&bytes, None) {
                Ok(a) => assert!(!a.text.contains('<') || bytes.contains(&b'<')),
                Err(HtmlError::Empty) => {}
                Err(e) => panic!("round {round}: {e}"),
            }
        }
    }

    #[test]
    fn too_large_is_refused() {
        let big = vec![b'a'; MAX_PAGE_BYTES + 1];
        assert!(matches!(
            extract(&big, None),
            Err(HtmlError::TooLarge { .. })
        ));
    }

    #[test]
    fn hostile_markup() {
        let hostile = "<script>alert('script')</script>\
            <img src=x onerror=\"alert('img')\">\
            <a href=\"javascript:alert('link')\">a link</a>\
            <iframe src=\"https://tracker.example/\">iframe text</iframe>\
            <noscript><p>noscript text</p></noscript>\
            <style>body { background: url(javascript:alert('css')) }</style>\
            <object data=\"x.swf\"><embed src=\"x.swf\"></object>";
        let html = article_page(
            "<script>alert('head')</script>",
            hostile,
            "<div><p>Unclosed <b>bold <i>italic <table><tr><td>cell",
        );
        let a = extracted(&html);
        assert!(a.text.starts_with(PARAS[0]), "{}", a.text);
        for bad in [
            "alert",
            "javascript",
            "<",
            "onerror",
            "iframe text",
            "noscript text",
            "background",
        ] {
            assert!(!a.text.contains(bad), "{bad:?} in {}", a.text);
        }
        assert_eq!(a.tags_dropped, 0);
    }

    #[test]
    fn deep_nesting_neither_overflows_nor_takes_long() {
        let n = 100_000;
        let inner = article_page("", "", "");
        let cases = [
            format!("{}{inner}{}", "<div>".repeat(n), "</div>".repeat(n)),
            format!("{}{inner}", "<div>".repeat(n)),
            format!("{}{inner}", "<span>".repeat(n)),
            format!("{}{inner}", "<b>".repeat(n)),
            format!("{}{inner}", "<table><tr><td>".repeat(n / 3)),
            (0..n / 5)
                .map(|k| format!("<p><b id={k}><i id={k}><u id={k}><s id={k}>"))
                .collect::<String>()
                + &inner,
        ];
        for html in cases {
            let start = std::time::Instant::now();
            let a = extracted(&html);
            assert!(a.tags_dropped > 0, "{}", &html[..80]);
            assert!(
                a.text.contains(PARAS[3]),
                "{}: {}",
                &html[..80],
                &a.text[..a.text.len().min(300)]
            );
            assert!(start.elapsed().as_secs() < 60, "took {:?}", start.elapsed());
        }
        // Foreign content nested without end: its text is not article text, but the page
        // still reads.
        let html = format!("{}{inner}", "<svg><g><math><mi>".repeat(n / 4));
        assert!(extracted(&html).tags_dropped > 0);
    }

    /// Issue 15: hostile nesting must not overflow the stack of a small thread (the parser's
    /// own recursion, dom_smoothie's tree walks and drops): 200,000 nested `<div>`s, closed and
    /// unclosed, and 200,000 unclosed `<b>`s, through `html_to_text` and `extract` on a thread
    /// of 256 KiB.
    #[test]
    fn deeply_nested_markup_does_not_overflow_the_stack() {
        let n = 200_000;
        let inner = article_page("", "", "");
        let cases = [
            format!("{}{inner}{}", "<div>".repeat(n), "</div>".repeat(n)),
            format!("{}<p>deep text</p>", "<div>".repeat(n)),
            format!("{}{inner}", "<b>".repeat(n)),
            format!("{}deep text", "<b><div>".repeat(n / 2)),
        ];
        let worker = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                cases
                    .iter()
                    .map(|html| {
                        let text = html_to_text(html);
                        let page = extract(html.as_bytes(), None).map(|a| (a.text, a.tags_dropped));
                        (text, page)
                    })
                    .collect::<Vec<_>>()
            })
            .expect("a thread");
        let results = worker.join().expect("no stack overflow, no panic");
        for (k, (text, page)) in results.into_iter().enumerate() {
            let (page_text, dropped) = page.unwrap_or_else(|e| panic!("case {k}: {e}"));
            assert!(dropped > 0, "case {k}: nothing dropped");
            let want = if k == 0 || k == 2 {
                PARAS[3]
            } else {
                "deep text"
            };
            assert!(
                text.contains(want),
                "case {k}: {}",
                &text[..text.len().min(200)]
            );
            assert!(
                page_text.contains(want),
                "case {k}: {}",
                &page_text[..page_text.len().min(200)]
            );
        }
    }

    /// Markup that real pages use, including sloppy markup the parser repairs, is not touched.
    #[test]
    fn ordinary_markup_is_not_capped() {
        let cases = [
            "<p>one<p>two<p>three".repeat(2000),
            "<ul><li>a<li>b<li>c</ul>".repeat(2000),
            "<table><tr><td>a<td>b<tr><td>c</table>".repeat(2000),
            "<dl><dt>a<dd>b<dt>c<dd>d</dl>".repeat(2000),
            "<p><b>bold</p><p>still bold</b></p>".repeat(2000),
            "<p><font face=x>a font left open in each paragraph".repeat(2000),
            "<a href=1>one<a href=2>two".repeat(2000),
            "<select><option>a<option>b</select>".repeat(2000),
            "<h2>a<h3>b</h3></h2>".repeat(2000),
            "<svg><circle/><path d=\"M0\"/><title>t</title></svg>".repeat(2000),
            "<div><script>if (a < b) { x = '<div>'; }</script></div><!-- <div> --><!--><div></div>"
                .repeat(2000),
            format!("{}{}", "<div>".repeat(400), "</div>".repeat(400)),
        ];
        for html in cases {
            let capped = cap_nesting(&html);
            assert!(matches!(capped.html, Cow::Borrowed(_)), "{}", &html[..60]);
            assert_eq!(capped.dropped, 0);
        }
    }

    /// The deepest element of a document, template contents included.
    fn doc_depth(doc: &Document) -> usize {
        let mut max = 0;
        let mut stack = vec![(doc.root(), 0usize)];
        while let Some((node, d)) = stack.pop() {
            max = max.max(d);
            if let Some(contents) = template_contents(&node) {
                stack.push((contents, d + 1));
            }
            let mut child = node.first_child();
            while let Some(c) = child {
                child = c.next_sibling();
                stack.push((c, d + 1));
            }
        }
        max
    }

    fn parsed_depth(html: &str) -> usize {
        doc_depth(&Document::from(html))
    }

    /// Whatever the tag soup, the parsed tree stays within a small multiple of the cap once
    /// the page is capped (the parser adds elements of its own, such as `<tbody>`, template
    /// contents and the adoption agency's clones), however long the page; the flattening after
    /// parsing then bounds it exactly.
    #[test]
    fn capped_tag_soup_stays_shallow() {
        let pieces: [&str; 40] = [
            "<div>",
            "</div>",
            "<p>",
            "</p>",
            "<b>",
            "</b>",
            "<i class=c>",
            "</i>",
            "<a href=x>",
            "</a>",
            "<table>",
            "</table>",
            "<tr>",
            "<td>",
            "</td>",
            "<th>",
            "<caption>",
            "<ul>",
            "<li>",
            "</ul>",
            "<dl><dt>",
            "<dd>",
            "<span>",
            "</span>",
            "<svg>",
            "<g>",
            "</svg>",
            "<math><mi>",
            "<select><option>",
            "<button>",
            "<font face=f>",
            "<nobr>",
            "<h2>",
            "</h2>",
            "<form>",
            "<section>",
            "<object>",
            "<template>",
            "x ",
            "<u id=",
        ];
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for round in 0..8 {
            let mut html = String::new();
            for k in 0..30_000 {
                let p = pieces[(next() % pieces.len() as u64) as usize];
                html.push_str(p);
                if p.ends_with('=') {
                    html.push_str(&format!("{round}-{k}>"));
                }
            }
            if round == 0 {
                // Uncapped, such soup nests thousands of levels deep.
                assert!(parsed_depth(&html) > 10 * MAX_DEPTH);
            }
            let capped = cap_nesting(&html);
            let depth = parsed_depth(&capped.html);
            assert!(
                depth <= 8 * MAX_DEPTH,
                "round {round}: depth {depth} after capping"
            );
            let doc = Document::from(capped.html.as_ref());
            limit_depth(&doc, MAX_DEPTH);
            assert!(doc_depth(&doc) <= MAX_DEPTH + 1);
        }
    }

    #[test]
    fn a_page_nested_too_deep_keeps_its_text_and_structure_above_the_cap() {
        let html = format!("{}<p>deep</p>{}", "<div>".repeat(600), "</div>".repeat(600));
        let capped = cap_nesting(&html);
        // The divs beyond the cap and the paragraph inside them go, with their end tags.
        assert_eq!(capped.dropped, 2 * (600 - MAX_DEPTH + 1));
        assert_eq!(
            capped.html,
            format!(
                "{}deep{}",
                "<div>".repeat(MAX_DEPTH),
                "</div>".repeat(MAX_DEPTH)
            )
        );
    }

    #[test]
    fn a_fifty_megabyte_page() {
        let para = "<p>The minister said on Tuesday that the talks would continue next week, according to officials familiar with the matter.</p>\n";
        let mut html = String::from("<html><head><title>Big</title></head><body><article>");
        while html.len() < 50 * 1024 * 1024 {
            html.push_str("<div class=\"story\">");
            for _ in 0..5 {
                html.push_str(para);
            }
            html.push_str("</div>\n");
        }
        html.push_str("</article></body></html>");
        let a = extracted(&html);
        assert!(a.text.len() > 40 * 1024 * 1024);
        assert!(a.text.starts_with("The minister said"));
    }
}
