//! The depth guard in front of the HTML parser. html5ever keeps its open elements on a stack
//! and walks it for every "in scope" check, so hostile nesting costs it time quadratic in the
//! depth, and formatting elements reopened after every block can multiply the elements. One pass
//! over the page's tags keeps a *conservative* stack: it closes an element only where the parser
//! certainly does (an end tag with nothing between that could stop it, the few start tags that
//! close a `<p>`, `<li>`, cell or `<option>`), and counts every element the parser may create.
//! Start tags that would nest deeper than [`MAX_DEPTH`], or keep more than
//! `MAX_ACTIVE_FORMATTING` formatting elements open, are dropped with their end tags. Where the
//! guard cannot tell (inside `<select>`, SVG, MathML, `<template>`, `<frameset>`) it errs deep:
//! raw-text elements are read as markup and self-closed tags count as open. Real pages never come
//! near either limit and pass through untouched; the tree is flattened at `MAX_DEPTH` after
//! parsing as well (`limit_depth`), so the guard need only be right within a small factor.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

/// Start tags that would nest deeper than this are dropped before parsing, and elements still
/// deeper after parsing (the parser adds some of its own) are flattened to their text.
pub(super) const MAX_DEPTH: usize = 512;

/// Formatting elements (`<b>`, `<font>`...) open at once beyond this are dropped: the parser
/// reopens all of them after every block, which hostile pages use to multiply elements.
const MAX_ACTIVE_FORMATTING: usize = 16;

/// Pages whose markup would make more elements than this are refused (memory stays bounded).
pub const MAX_ELEMENTS: usize = 1_000_000;

// What the guard knows of an element name (one hash lookup per tag).
const VOID: u16 = 1;
/// Read as text up to its end tag by the tokenizer.
const RAW: u16 = 1 << 1;
/// The parser's formatting elements (reopened by reconstruction).
const FORMATTING: u16 = 1 << 2;
/// Puts a marker in the list of active formatting elements.
const MARKER: u16 = 1 << 3;
/// Its start tag closes an open `<p>`.
const CLOSES_P: u16 = 1 << 4;
/// Certainly one of the parser's "special" elements (its end tag is stopped only by scope).
const SPECIAL: u16 = 1 << 5;
/// Certainly not special: it stops no end tag.
const PHRASING: u16 = 1 << 6;
/// Bounds "in scope" (a superset of the parser's list, so that the guard closes less).
const SCOPE: u16 = 1 << 7;
/// While open, the parser may ignore or reinterpret tags: raw text is no longer certain.
const UNSURE: u16 = 1 << 8;
/// A start tag that leaves SVG or MathML for HTML.
const BREAKOUT: u16 = 1 << 9;
/// A foreign element inside which HTML resumes.
const INTEGRATION: u16 = 1 << 10;

const NAMES: &[(u16, &str)] = &[
    (VOID, "area base basefont bgsound br col embed frame hr img image input keygen link meta param source track wbr"),
    (RAW, "script style textarea title xmp iframe noembed noframes"),
    (FORMATTING, "a b big code em font i nobr s small strike strong tt u"),
    (MARKER, "applet marquee object td th caption template"),
    (CLOSES_P, "address article aside blockquote center details dialog dir div dl fieldset figcaption figure footer form header hgroup main menu nav ol p search section summary ul h1 h2 h3 h4 h5 h6 pre listing table hr xmp plaintext li dd dt"),
    (SPECIAL, "address applet area article aside base basefont bgsound blockquote body br button caption center col colgroup dd details dir div dl dt embed fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html iframe img input keygen li link listing main marquee menu meta nav noembed noframes noscript object ol p param plaintext pre script search section select source style summary table tbody td template textarea tfoot th thead title tr track ul wbr xmp"),
    (PHRASING, "a abbr b bdi bdo big cite code data del dfn em font i ins kbd label mark nobr q s samp small span strike strong sub sup time tt u var"),
    (SCOPE, "applet caption html table td th marquee object template button select svg math mi mo mn ms mtext annotation-xml foreignobject desc title"),
    (UNSURE, "select svg math template frameset"),
    (BREAKOUT, "b big blockquote body br center code dd div dl dt em embed font h1 h2 h3 h4 h5 h6 head hr i img li listing menu meta nobr ol p pre ruby s small span strong strike sub sup table tt u ul var"),
    (INTEGRATION, "mi mo mn ms mtext foreignobject desc title annotation-xml"),
];

static CLASSES: LazyLock<HashMap<&'static str, u16>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    for (class, names) in NAMES {
        for name in names.split(' ') {
            *m.entry(name).or_default() |= class;
        }
    }
    m
});

fn class_of(name: &str) -> u16 {
    CLASSES.get(name).copied().unwrap_or(0)
}

/// What stops an end tag of a special element ("in scope").
fn scope(o: &Open) -> bool {
    o.class & SCOPE != 0
}

/// What stops the end of a table part: the scope boundaries other than cells.
fn table_scope(o: &Open) -> bool {
    scope(o) && !matches!(&*o.name, "td" | "th")
}

/// What stops an end tag of any other element: an element that is or may be special.
fn not_phrasing(o: &Open) -> bool {
    o.class & PHRASING == 0
}

/// What stops `<li>`, `<dd>` and `<dt>` from closing their kind: special elements other than
/// address, div and p.
fn not_soft(o: &Open) -> bool {
    not_phrasing(o) && !matches!(&*o.name, "address" | "div" | "p")
}

struct Open {
    name: Box<str>,
    class: u16,
    /// An SVG or MathML element (as far as the guard can tell).
    foreign: bool,
    /// Increasing from the bottom of the stack up, so an id is found by binary search.
    id: u64,
}

enum Active {
    Marker,
    Element {
        name: Box<str>,
        attrs: Box<str>,
        id: u64,
    },
}

#[derive(Default)]
struct Guard {
    stack: Vec<Open>,
    active: Vec<Active>,
    /// Open elements with the `UNSURE` class.
    unsure: usize,
    /// Start tags dropped, by name, whose end tags are to be dropped too.
    dropped: HashMap<Box<str>, usize>,
    next_id: u64,
    /// Elements the parser may create, reconstructed ones included.
    created: usize,
}

impl Guard {
    fn push(&mut self, name: &str, class: u16) -> u64 {
        self.next_id += 1;
        self.created += 1;
        if class & UNSURE != 0 {
            self.unsure += 1;
        }
        let in_foreign = self
            .stack
            .last()
            .is_some_and(|o| o.foreign && o.class & INTEGRATION == 0);
        let foreign = matches!(name, "svg" | "math") || in_foreign && class & BREAKOUT == 0;
        self.stack.push(Open {
            name: name.into(),
            class,
            foreign,
            id: self.next_id,
        });
        self.next_id
    }

    /// Pops the elements from position `at` up.
    fn pop_to(&mut self, at: usize) {
        while self.stack.len() > at {
            let open = self.stack.pop().expect("a non-empty stack");
            if open.class & UNSURE != 0 {
                self.unsure -= 1;
            }
            if open.class & MARKER != 0 {
                // Leaving a cell (or caption, object...) clears the formatting list to its marker.
                while let Some(a) = self.active.pop() {
                    if matches!(a, Active::Marker) {
                        break;
                    }
                }
            }
        }
    }

    fn is_open(&self, id: u64) -> bool {
        self.stack.binary_search_by_key(&id, |o| o.id).is_ok()
    }

    /// The position of the topmost open element named one of `targets`, when nothing above it
    /// could stop the parser from closing it (`stops` says what can).
    fn closable(&self, targets: &[&str], stops: impl Fn(&Open) -> bool) -> Option<usize> {
        for (at, open) in self.stack.iter().enumerate().rev() {
            if targets.contains(&&*open.name) {
                return Some(at);
            }
            if stops(open) {
                return None;
            }
        }
        None
    }

    /// Closes the topmost `targets` where the parser certainly would.
    fn close(&mut self, targets: &[&str], stops: impl Fn(&Open) -> bool) {
        if let Some(at) = self.closable(targets, stops) {
            self.pop_to(at);
        }
    }

    fn last_marker(&self) -> usize {
        self.active
            .iter()
            .rposition(|a| matches!(a, Active::Marker))
            .map_or(0, |i| i + 1)
    }

    /// Reopens formatting elements that were closed by a block, as the parser does before
    /// inserting text or an element.
    fn reconstruct(&mut self) {
        let floor = self.last_marker();
        let mut first = self.active.len();
        while first > floor {
            match &self.active[first - 1] {
                Active::Element { id, .. } if !self.is_open(*id) => first -= 1,
                _ => break,
            }
        }
        for k in first..self.active.len() {
            if let Active::Element { name, .. } = &self.active[k] {
                let name = name.clone();
                let new_id = self.push(&name, class_of(&name));
                if let Active::Element { id, .. } = &mut self.active[k] {
                    *id = new_id;
                }
            }
        }
    }

    /// Drops a start tag; its end tag goes too (a raw-text element's goes with its content).
    fn drop_start(&mut self, name: &str, class: u16) -> bool {
        if class & RAW == 0 {
            *self.dropped.entry(name.into()).or_default() += 1;
        }
        false
    }

    /// Whether the start tag is kept. `raw`: the element's content is text, up to its end tag.
    fn start(&mut self, name: &str, attrs: &str, self_closing: bool, raw: bool) -> bool {
        let class = class_of(name);
        if matches!(name, "html" | "body" | "head") {
            return true;
        }
        self.implied_closes(name, class);
        if class & CLOSES_P == 0 {
            self.reconstruct();
        }
        let foreign_root = matches!(name, "svg" | "math");
        let leaves_nothing_open = class & VOID != 0 || self_closing && foreign_root || raw;
        if leaves_nothing_open && self.unsure == 0 {
            return true;
        }
        let floor = self.last_marker();
        let too_many_formatting =
            class & FORMATTING != 0 && self.active.len() - floor >= MAX_ACTIVE_FORMATTING;
        if self.stack.len() >= MAX_DEPTH || too_many_formatting {
            return self.drop_start(name, class);
        }
        let id = self.push(name, class);
        if class & FORMATTING != 0 {
            // Noah's Ark: at most three identical entries after the last marker.
            let attrs = attrs.trim();
            let same: Vec<usize> = (floor..self.active.len())
                .filter(|&k| {
                    matches!(&self.active[k], Active::Element { name: n, attrs: a, .. }
                        if **n == *name && **a == *attrs)
                })
                .collect();
            if same.len() >= 3 {
                self.active.remove(same[0]);
            }
            self.active.push(Active::Element {
                name: name.into(),
                attrs: attrs.into(),
                id,
            });
        } else if class & MARKER != 0 {
            self.active.push(Active::Marker);
        }
        true
    }

    /// The closing the parser certainly does before inserting `name`.
    fn implied_closes(&mut self, name: &str, class: u16) {
        if class & CLOSES_P != 0 {
            self.close(&["p"], scope);
        }
        match name {
            "li" => self.close(&["li"], not_soft),
            "dd" | "dt" => self.close(&["dd", "dt"], not_soft),
            "td" | "th" | "tr" | "tbody" | "thead" | "tfoot" => {
                self.close(&["td", "th"], table_scope);
                if !matches!(name, "td" | "th") {
                    self.close(&["tr"], table_scope);
                }
                if matches!(name, "tbody" | "thead" | "tfoot") {
                    self.close(&["tbody", "thead", "tfoot"], table_scope);
                }
            }
            // A new link closes one still open (as its end tag would).
            "a" | "nobr" => {
                let floor = self.last_marker();
                let open = self.active[floor..]
                    .iter()
                    .any(|a| matches!(a, Active::Element { name: n, .. } if **n == *name));
                if open {
                    self.end_formatting(name);
                }
            }
            "option" | "optgroup" if self.stack.last().is_some_and(|o| &*o.name == "option") => {
                self.pop_to(self.stack.len() - 1);
            }
            _ => {}
        }
    }

    /// Whether the end tag is kept.
    fn end(&mut self, name: &str) -> bool {
        if let Some(n) = self.dropped.get_mut(name).filter(|n| **n > 0) {
            *n -= 1;
            return false;
        }
        let class = class_of(name);
        if matches!(name, "html" | "body" | "head" | "br") {
            return true;
        }
        // In SVG and MathML an end tag closes its element among the foreign ones on top; past
        // them it is read as HTML.
        let foreign_top = self
            .stack
            .iter()
            .rposition(|o| !o.foreign)
            .map_or(0, |i| i + 1);
        if let Some(at) = (foreign_top..self.stack.len())
            .rev()
            .find(|&at| &*self.stack[at].name == name)
        {
            self.pop_to(at);
            return true;
        }
        match name {
            _ if class & FORMATTING != 0 => self.end_formatting(name),
            "table" | "tbody" | "thead" | "tfoot" | "tr" | "td" | "th" | "caption" | "colgroup" => {
                self.close(&[name], table_scope)
            }
            "li" => self.close(&[name], |o| scope(o) || matches!(&*o.name, "ol" | "ul")),
            _ if class & SPECIAL != 0 => self.close(&[name], scope),
            // Any other end tag: an element that is or may be special between stops it.
            _ => self.close(&[name], not_phrasing),
        }
        true
    }

    /// A formatting end tag: the element is closed (with what is above it) only when no
    /// special element stands above it (otherwise the parser moves elements around without
    /// deepening the tree); its entry goes once its element is closed.
    fn end_formatting(&mut self, name: &str) {
        self.close(&[name], not_phrasing);
        let floor = self.last_marker();
        let entry = (floor..self.active.len())
            .rev()
            .find(|&k| matches!(&self.active[k], Active::Element { name: n, .. } if **n == *name));
        if let Some(k) = entry {
            if let Active::Element { id, .. } = self.active[k] {
                if !self.is_open(id) {
                    self.active.remove(k);
                }
            }
        }
    }
}

/// Where a comment that starts at `from` (just after `<!--`) ends.
fn comment_end(b: &[u8], from: usize) -> usize {
    let rest = &b[from.min(b.len())..];
    if rest.starts_with(b">") {
        return from + 1;
    }
    if rest.starts_with(b"->") {
        return from + 2;
    }
    let a = memchr::memmem::find(rest, b"-->").map(|i| i + 3);
    let c = memchr::memmem::find(rest, b"--!>").map(|i| i + 4);
    match (a, c) {
        (Some(x), Some(y)) => from + x.min(y),
        (Some(x), None) | (None, Some(x)) => from + x,
        (None, None) => b.len(),
    }
}

/// Reads a tag's name from `from`: (lower-cased name, position after it).
fn tag_name(b: &[u8], from: usize) -> (String, usize) {
    let mut i = from;
    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'/' && b[i] != b'>' {
        i += 1;
    }
    (String::from_utf8_lossy(&b[from..i]).to_ascii_lowercase(), i)
}

/// Reads a tag's attributes from `from` as the tokenizer does: (position after `>`, whether
/// the tag ends with `/>`), or None when the page ends inside the tag.
fn tag_rest(b: &[u8], from: usize) -> Option<(usize, bool)> {
    let n = b.len();
    let mut i = from;
    loop {
        while i < n && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= n {
            return None;
        }
        match b[i] {
            b'>' => return Some((i + 1, false)),
            b'/' if b.get(i + 1) == Some(&b'>') => return Some((i + 2, true)),
            b'/' => {
                i += 1;
                continue;
            }
            _ => {}
        }
        // An attribute name (a leading `=` belongs to it).
        i += 1;
        while i < n && !b[i].is_ascii_whitespace() && !matches!(b[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        while i < n && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < n && b[i] == b'=' {
            i += 1;
            while i < n && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < n && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                i = i + 1 + memchr::memchr(q, &b[i + 1..])? + 1;
            } else {
                while i < n && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
            }
        }
    }
}

/// Where the raw text of a `name` element starting at `from` ends: the `<` of its end tag.
fn raw_text_end(b: &[u8], from: usize, name: &str) -> usize {
    let mut i = from;
    while let Some(off) = memchr::memmem::find(&b[i..], b"</") {
        let at = i + off;
        let after = at + 2 + name.len();
        if after <= b.len()
            && b[at + 2..after].eq_ignore_ascii_case(name.as_bytes())
            && (after == b.len()
                || matches!(b[after], b'>' | b'/')
                || b[after].is_ascii_whitespace())
        {
            return at;
        }
        i = at + 2;
    }
    b.len()
}

/// What [`cap_nesting`] found.
pub(super) struct Capped<'a> {
    pub html: Cow<'a, str>,
    /// Elements the parser may create, as counted (the count stops past `MAX_ELEMENTS`).
    pub elements: usize,
    /// Tags left out.
    pub dropped: usize,
}

/// Drops the tags that would nest too deep (see the module's documentation).
pub(super) fn cap_nesting(html: &str) -> Capped<'_> {
    let b = html.as_bytes();
    let n = b.len();
    let mut guard = Guard::default();
    let mut cut: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    let mut text_from = 0;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        let lt = i + off;
        if lt > text_from {
            // Text before this tag: the parser reopens formatting elements for it.
            guard.reconstruct();
        }
        i = match b.get(lt + 1) {
            Some(b'!') if b[lt..].starts_with(b"<!--") => comment_end(b, lt + 4),
            Some(b'!' | b'?') => memchr::memchr(b'>', &b[lt..]).map_or(n, |e| lt + e + 1),
            Some(b'/') => match b.get(lt + 2) {
                Some(c) if c.is_ascii_alphabetic() => {
                    let (name, after) = tag_name(b, lt + 2);
                    let Some((end, _)) = tag_rest(b, after) else {
                        break;
                    };
                    if !guard.end(&name) {
                        cut.push((lt, end));
                    }
                    end
                }
                Some(b'>') => lt + 3,
                _ => memchr::memchr(b'>', &b[lt + 2..]).map_or(n, |e| lt + 2 + e + 1),
            },
            Some(c) if c.is_ascii_alphabetic() => {
                let (name, after) = tag_name(b, lt + 1);
                let Some((end, self_closing)) = tag_rest(b, after) else {
                    break;
                };
                let attrs = &html[after..end.saturating_sub(1).max(after)];
                let raw_class = class_of(&name) & RAW != 0;
                let raw = raw_class && guard.unsure == 0;
                if !guard.start(&name, attrs, self_closing, raw) {
                    // A dropped script, style... goes with its content and end tag, which the
                    // parser might otherwise read as text.
                    let to = if raw_class {
                        let close = raw_text_end(b, end, &name);
                        tag_rest(b, (close + 2 + name.len()).min(n)).map_or(n, |(e, _)| e)
                    } else {
                        end
                    };
                    cut.push((lt, to));
                    to
                } else if raw {
                    raw_text_end(b, end, &name)
                } else {
                    end
                }
            }
            _ => {
                i = lt + 1;
                continue;
            }
        };
        text_from = i;
        if i >= n || guard.created > MAX_ELEMENTS {
            break;
        }
    }
    let (elements, dropped) = (guard.created, cut.len());
    if cut.is_empty() {
        return Capped {
            html: Cow::Borrowed(html),
            elements,
            dropped,
        };
    }
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    for (s, e) in cut {
        out.push_str(&html[at..s]);
        at = e;
    }
    out.push_str(&html[at..]);
    Capped {
        html: Cow::Owned(out),
        elements,
        dropped,
    }
}
