//! Concordance tests: the one-pass concordance against the implementation it replaced (kept here
//! as the oracle), over random texts in several scripts and over whole random corpora, and the
//! work a concordance and collocations do on long articles.

use proptest::prelude::*;

use broadsheet_gen::Rng;
use broadsheet_lexis::TextSettings;
use broadsheet_store::Filters;
use broadsheet_text::{search_fold, token_spans, token_work};

use super::*;
use crate::colloc::{CollocSpec, Measure};
use crate::testutil::store_with;

#[test]
fn context_windows() {
    let text = "one two three Daesh four five six";
    let s = text.find("Daesh").unwrap();
    assert_eq!(
        context_line(text, s, s + 5, 2),
        "two three [Daesh] four five"
    );
    assert_eq!(
        context_line(text, s, s + 5, 10),
        "one two three [Daesh] four five six"
    );
    assert_eq!(context_line("Daesh", 0, 5, 3), "[Daesh]");
    let (l, pos, r) = split_context(text, s, s + 5, 0);
    assert_eq!((l.as_str(), pos, r.as_str()), ("", 3, ""));
}

#[test]
fn left_contexts_begin_at_a_word_not_inside_one() {
    let text = "Officials said the U.S. would resume talks (Reuters) soon";
    let s = text.find("resume").unwrap();
    let (l, _, r) = split_context(text, s, s + 6, 2);
    // Two tokens back is the `S` of `U.S.`: the context starts at the word.
    assert_eq!(l, "U.S. would");
    // Two tokens on end inside `(Reuters)`: the context ends with it.
    assert_eq!(r, "talks (Reuters)");
    // Chinese characters are words of their own: nothing is added.
    let zh = "北京大学 security 北京大学";
    let s = zh.find("security").unwrap();
    assert_eq!(
        split_context(zh, s, s + 8, 1),
        ("学".into(), 4, "北".into())
    );
}

// ---- The implementation before the one-pass cursor: the oracle. ----

fn old_match_ranges(text: &str, patterns: &[Pattern]) -> Vec<(usize, usize)> {
    if patterns.is_empty() {
        return Vec::new();
    }
    let toks: Vec<(usize, usize, String)> = token_spans(text)
        .map(|t| (t.start, t.end, search_fold(t.text(text))))
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let mut matched = 0;
        for p in patterns {
            let n = p.tokens.len();
            if i + n > toks.len() {
                continue;
            }
            let ok = p.tokens.iter().enumerate().all(|(k, want)| {
                let have = &toks[i + k].2;
                if k == n - 1 && p.prefix {
                    have.starts_with(want.as_str())
                } else {
                    have == want
                }
            });
            if ok && n > matched {
                matched = n;
            }
        }
        if matched > 0 {
            out.push((toks[i].0, toks[i + matched - 1].1));
            i += matched;
        } else {
            i += 1;
        }
    }
    out
}

fn old_context_line(text: &str, s: usize, e: usize, width: usize) -> String {
    let (l, _, r) = old_split_context(text, s, e, width);
    format!("{} [{}] {}", l, &text[s..e], r)
        .trim()
        .replace('\n', " ")
}

fn old_split_context(text: &str, s: usize, e: usize, width: usize) -> (String, u64, String) {
    let toks: Vec<_> = token_spans(text).collect();
    let first = toks.iter().position(|t| t.start >= s).unwrap_or(toks.len());
    let after = toks.iter().position(|t| t.start >= e).unwrap_or(toks.len());
    let lstart = if first >= width {
        toks[first - width].start
    } else {
        0
    };
    let rend = if after + width <= toks.len() {
        if after + width == 0 {
            e
        } else {
            toks[(after + width).saturating_sub(1)].end
        }
    } else {
        text.len()
    };
    let (lstart, rend) = old_widened(text, s, e, lstart, rend.max(e));
    let left = text[lstart..s]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let right = text[e..rend.max(e)]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (left, first as u64, right)
}

/// The context bounds widened to whole words: back from `lstart` and on from `rend` while
/// the characters are neither white space nor Chinese or Japanese, 48 bytes at most; an empty
/// side stays empty.
fn old_widened(text: &str, s: usize, e: usize, lstart: usize, rend: usize) -> (usize, usize) {
    let is_edge = |c: char| c.is_whitespace() || broadsheet_text::tokens::is_cjk(c);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut l = lstart;
    if lstart < s {
        while let Some(&(j, c)) = chars.iter().rev().find(|(j, _)| *j < l) {
            if is_edge(c) || lstart - j > 48 {
                break;
            }
            l = j;
        }
    }
    let mut r = rend;
    if rend > e {
        while let Some(&(j, c)) = chars.iter().find(|(j, _)| *j >= r) {
            if is_edge(c) || j - rend >= 48 {
                break;
            }
            r = j + c.len_utf8();
        }
    }
    (l, r)
}

fn old_words(s: &str) -> Vec<String> {
    token_spans(s).map(|t| search_fold(t.text(s))).collect()
}

/// A line as the old concordance made it: id, field, position, left, node, right.
type OldLine = (i64, String, u64, String, String, String);

/// The old `Analyzer::kwic`: its lines and its `lines` note.
fn old_kwic(a: &Analyzer, spec: &KwicSpec) -> (Vec<OldLine>, String) {
    struct Line {
        id: i64,
        order: usize,
        field: &'static str,
        position: u64,
        left: String,
        node: String,
        right: String,
        left_words: Vec<String>,
        right_words: Vec<String>,
    }
    let expr = broadsheet_query::parse(&spec.query).unwrap();
    let pats = patterns(&expr);
    let sc = Subcorpus {
        query: Some(
            match spec
                .subcorpus
                .query
                .as_deref()
                .filter(|q| !q.trim().is_empty())
            {
                Some(q) => format!("({}) AND ({q})", spec.query),
                None => spec.query.clone(),
            },
        ),
        filters: spec.subcorpus.filters.clone(),
    };
    let meta = a.meta().unwrap();
    let mut ids = a.ids(&sc).unwrap();
    ids.sort_by_cached_key(|id| {
        let a = meta.index_of(*id).map(|i| &meta.articles[i]);
        (
            a.and_then(|a| a.published_at).is_none(),
            a.and_then(|a| a.published_at),
            *id,
        )
    });
    let want = spec.offset
        + if spec.limit == 0 {
            usize::MAX / 2
        } else {
            spec.limit
        };
    let need_all = spec.sort != KwicSort::Corpus;
    let mut lines: Vec<Line> = Vec::new();
    let mut complete = true;
    for (order, id) in ids.iter().enumerate() {
        if !need_all && lines.len() >= want {
            complete = false;
            break;
        }
        let (title, body, _) = a.store().article_text(*id).unwrap();
        for (field, text) in [("title", &title), ("body", &body)] {
            for (s, e) in old_match_ranges(text, &pats) {
                let (left, position, right) = old_split_context(text, s, e, spec.width);
                let (lw, rw) = if need_all {
                    let mut l = old_words(&left);
                    l.reverse();
                    (l, old_words(&right))
                } else {
                    (Vec::new(), Vec::new())
                };
                lines.push(Line {
                    id: *id,
                    order,
                    field,
                    position,
                    left,
                    node: text[s..e].to_string(),
                    right,
                    left_words: lw,
                    right_words: rw,
                });
            }
        }
    }
    let total = lines.len();
    match spec.sort {
        KwicSort::Corpus => {}
        KwicSort::Left(n) | KwicSort::Right(n) => {
            let left = matches!(spec.sort, KwicSort::Left(_));
            let n = n.max(1);
            lines.sort_by(|a, b| {
                let key = |l: &Line| -> Vec<String> {
                    let w = if left { &l.left_words } else { &l.right_words };
                    w.iter().skip(n - 1).cloned().collect()
                };
                key(a)
                    .cmp(&key(b))
                    .then(a.order.cmp(&b.order))
                    .then(a.position.cmp(&b.position))
            });
        }
    }
    let page = lines
        .into_iter()
        .skip(spec.offset)
        .take(if spec.limit == 0 {
            usize::MAX
        } else {
            spec.limit
        })
        .map(|l| {
            (
                l.id,
                l.field.to_string(),
                l.position,
                l.left,
                l.node,
                l.right,
            )
        })
        .collect();
    let note = if complete {
        total.to_string()
    } else {
        format!("more than {total}")
    };
    (page, note)
}

// ---- Random texts in several scripts. ----

/// Words in several scripts and spellings that fold together (case, ё, Arabic and Persian
/// letters, Latin diacritics), CJK characters, a ZWNJ word, a lone tatweel.
const WORDS: &[&str] = &[
    "security",
    "Security",
    "SECURITY",
    "secure",
    "sec",
    "Daesh",
    "militants",
    "islamic",
    "State",
    "the",
    "of",
    "Бишкек",
    "бишкек",
    "безопасность",
    "Безопасность",
    "ёлка",
    "елка",
    "رئيس",
    "رییس",
    "امنیت",
    "كتاب",
    "می\u{200C}شود",
    "北",
    "京",
    "北京大学",
    "カタカナ",
    "Bişkek",
    "biskek",
    "café",
    "cafe\u{301}",
    "25",
    "000",
    "ـ",
    "x",
];

/// What stands between words; the empty gap runs two words into one token (or not, in CJK).
const GAPS: &[&str] = &[
    " ", " ", " ", "  ", "\n", "\n\n", ", ", ". ", "-", "'", " «", "» ", "\t", "", "،",
];

fn random_text(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for _ in 0..words {
        s.push_str(rng.pick::<&str>(WORDS));
        s.push_str(rng.pick::<&str>(GAPS));
    }
    s
}

fn text_strategy() -> impl Strategy<Value = String> {
    proptest::collection::vec((0..WORDS.len(), 0..GAPS.len()), 0..40).prop_map(|parts| {
        let mut s = String::new();
        for (w, g) in parts {
            s.push_str(WORDS[w]);
            s.push_str(GAPS[g]);
        }
        s
    })
}

/// Patterns as `patterns()` makes them from a query: folded tokens, a prefix pattern ending in
/// the first characters of a folded token; phrases of up to three words.
fn patterns_strategy() -> impl Strategy<Value = Vec<Pattern>> {
    let pattern = (
        proptest::collection::vec(0..WORDS.len(), 1..4),
        any::<bool>(),
        1..6usize,
    )
        .prop_map(|(words, prefix, cut)| {
            let mut tokens: Vec<String> = words
                .iter()
                .flat_map(|w| old_words(&search_fold(WORDS[*w])))
                .collect();
            if prefix {
                if let Some(last) = tokens.last_mut() {
                    *last = last.chars().take(cut).collect();
                }
            }
            Pattern { tokens, prefix }
        });
    proptest::collection::vec(pattern, 1..4)
}

/// A text with a node at its very start or end now and then.
fn case_strategy() -> impl Strategy<Value = (String, Vec<Pattern>)> {
    (text_strategy(), patterns_strategy(), 0..4u8).prop_map(|(mut text, pats, edges)| {
        let node = pats[0].tokens.join(" ");
        if edges & 1 == 1 {
            text = format!("{node}{}", if text.is_empty() { "" } else { " " }) + &text;
        }
        if edges & 2 == 2 {
            text = format!("{text} {node}");
        }
        (text, pats)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, .. ProptestConfig::default() })]

    /// Every line's position and strings, `context_line` and the order of the sort keys are the
    /// old ones, byte for byte.
    #[test]
    fn lines_match_the_old_concordance(
        (text, pats) in case_strategy(),
        width in 0..9usize,
        n in 1..4usize,
    ) {
        let old = old_match_ranges(&text, &pats);
        let mut cur = MatchCursor::new(&text, &pats, width, width);
        let mut keys = Vec::new();
        let mut k = 0;
        while let Some(m) = cur.next_match() {
            prop_assert_eq!((m.start, m.end), old[k]);
            let line = Line::at(&cur, &m, width, 1, "body");
            let (l, pos, r) = old_split_context(&text, m.start, m.end, width);
            prop_assert_eq!(&line.left, &l);
            prop_assert_eq!(line.position, pos);
            prop_assert_eq!(&line.right, &r);
            prop_assert_eq!(&line.node, &text[m.start..m.end]);
            prop_assert_eq!(
                context_line(&text, m.start, m.end, width),
                old_context_line(&text, m.start, m.end, width)
            );
            prop_assert_eq!(split_context(&text, m.start, m.end, width), (l.clone(), pos, r.clone()));
            let mut lw = old_words(&l);
            lw.reverse();
            let old_left: Vec<String> = lw.into_iter().skip(n - 1).collect();
            let old_right: Vec<String> = old_words(&r).into_iter().skip(n - 1).collect();
            keys.push((old_left, sort_key(&l, true, n), old_right, sort_key(&r, false, n)));
            k += 1;
        }
        prop_assert_eq!(k, old.len());
        for a in &keys {
            for b in &keys {
                prop_assert_eq!(a.0.cmp(&b.0), a.1.cmp(&b.1));
                prop_assert_eq!(a.2.cmp(&b.2), a.3.cmp(&b.3));
            }
        }
    }
}

/// Sort keys order as lists of words do, including empty words (a lone tatweel folds to
/// nothing) and words that are prefixes of others.
#[test]
fn sort_keys_order_as_word_lists() {
    let lists: Vec<Vec<&str>> = vec![
        vec![],
        vec![""],
        vec!["", ""],
        vec!["", "a"],
        vec!["a"],
        vec!["a", ""],
        vec!["a", "b"],
        vec!["ab"],
        vec!["ab", "a"],
        vec!["b"],
    ];
    let key = |l: &[&str]| -> String { l.iter().map(|w| format!("{w}\0")).collect() };
    for a in &lists {
        for b in &lists {
            assert_eq!(a.cmp(b), key(a).cmp(&key(b)), "{a:?} {b:?}");
        }
    }
}

fn record(rng: &mut Rng, id: usize) -> String {
    let title_words = rng.below(6) as usize;
    let mut title = random_text(rng, title_words);
    let body_words = rng.range(0, 80) as usize;
    let mut body = random_text(rng, body_words);
    // Nodes at the very start and end of a field, now and then.
    if rng.chance(0.3) {
        body = format!("Security {body}");
    }
    if rng.chance(0.3) {
        body.push_str(" security");
    }
    if rng.chance(0.2) {
        title = format!("{title} Бишкек");
    }
    let date =
        (!rng.chance(0.15)).then(|| format!("2020-{:02}-{:02}", rng.range(1, 12), 1 + id % 28));
    let mut v =
        serde_json::json!({"title": title, "text": body, "source": "S", "id": id.to_string()});
    if let Some(d) = date {
        v["date"] = serde_json::json!(d);
    }
    v.to_string() + "\n"
}

fn frame_lines(t: &Table) -> Vec<OldLine> {
    let df = &t.frame;
    let s = |name: &str| -> Vec<String> {
        df.column(name)
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .map(|v| v.unwrap_or("").to_string())
            .collect()
    };
    let ids: Vec<i64> = df
        .column("id")
        .unwrap()
        .i64()
        .unwrap()
        .into_no_null_iter()
        .collect();
    let pos: Vec<u64> = df
        .column("position")
        .unwrap()
        .u64()
        .unwrap()
        .into_no_null_iter()
        .collect();
    let (field, left, node, right) = (s("field"), s("left"), s("node"), s("right"));
    (0..ids.len())
        .map(|i| {
            (
                ids[i],
                field[i].clone(),
                pos[i],
                left[i].clone(),
                node[i].clone(),
                right[i].clone(),
            )
        })
        .collect()
}

/// Whole concordances over random corpora (several scripts, nodes at the edges of titles and
/// bodies, undated articles) equal the old ones: lines, order, strings; the `lines` note is the
/// old count when every line was read, and says `more than offset + limit` only when there are
/// more lines than that.
#[test]
fn concordances_match_the_old_ones_over_random_corpora() {
    let queries = [
        "security",
        "secur*",
        "бишкек OR رییس",
        "\"islamic state\" OR militants",
        "sec* OR \"the security\"",
        "北",
        "biskek OR cafe OR ёлка",
        "x OR 25",
    ];
    let sorts = [
        KwicSort::Corpus,
        KwicSort::Left(1),
        KwicSort::Left(2),
        KwicSort::Right(1),
        KwicSort::Right(3),
    ];
    let pages = [(0, 1), (0, 3), (2, 3), (4, 50), (1, 0)];
    let (mut checked, mut exact, mut cut) = (0, 0, 0);
    for seed in 1..=2u64 {
        let mut rng = Rng::new(seed);
        let records: String = (1..=30).map(|i| record(&mut rng, i)).collect();
        let (_d, store) = store_with(&records);
        let a = Analyzer::new(&store, &TextSettings::default()).unwrap();
        for q in queries {
            for sort in sorts {
                for width in [0, 2, 7] {
                    let spec = KwicSpec {
                        query: q.into(),
                        subcorpus: Subcorpus::default(),
                        width,
                        sort,
                        limit: 0,
                        offset: 0,
                    };
                    let (all, total) = old_kwic(&a, &spec);
                    let t = a.kwic(&spec).unwrap();
                    assert_eq!(frame_lines(&t), all, "seed {seed} {spec:?}");
                    assert_eq!(t.note_value("lines"), Some(total.as_str()));
                    let total: usize = total.parse().unwrap();
                    for (offset, limit) in pages {
                        let spec = KwicSpec {
                            limit,
                            offset,
                            ..spec.clone()
                        };
                        let t = a.kwic(&spec).unwrap();
                        let (old, _) = old_kwic(&a, &spec);
                        assert_eq!(frame_lines(&t), old, "seed {seed} {spec:?}");
                        let note = t.note_value("lines").unwrap();
                        match note.strip_prefix("more than ") {
                            None => {
                                assert_eq!(note, total.to_string(), "{spec:?}");
                                exact += 1;
                            }
                            Some(n) => {
                                assert_eq!(n.parse::<usize>().unwrap(), offset + limit);
                                assert!(total > offset + limit, "{spec:?}");
                                cut += 1;
                            }
                        }
                        checked += old.len();
                    }
                }
            }
        }
    }
    assert!(exact > 100 && cut > 100, "{exact} pages counted, {cut} cut");
    assert!(checked > 1000, "only {checked} lines compared");
}

// ---- The work concordances and collocations do on long articles (issue 19). ----

/// `kwic --limit 3` took 65 s on a 1 MB article and did not finish on 50 MB: every hit
/// tokenized the whole article again, and every hit of the article was made into a line
/// before the page was cut. Now a page of 3 reads the article up to its fourth hit, a sorted
/// page reads it twice at most, and collocations read every token once: the work is counted
/// through the tokenizer (no timing).
#[test]
fn kwic_and_collocations_retokenized_the_article_per_hit() {
    // One worker thread: the collocations' parallel loop runs on the thread that counts.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    pool.install(|| {
        const MB: usize = 1 << 20;
        let short = broadsheet_gen::long_text(MB, 1);
        let long = broadsheet_gen::long_text(5 * MB, 2);
        let records: String = [("short", &short), ("long", &long)]
            .iter()
            .map(|(src, text)| {
                serde_json::json!({"title": "Transcript", "text": text, "source": src, "language": "en"})
                    .to_string()
                    + "\n"
            })
            .collect();
        let (_d, store) = store_with(&records);
        let a = Analyzer::new(&store, &TextSettings::default()).unwrap();
        let only = |src: &str| Subcorpus {
            query: None,
            filters: Filters {
                sources: vec![src.into()],
                ..Filters::default()
            },
        };
        let (_, stored_long, _) = store.article_text(2).unwrap();
        assert!(stored_long.len() > 4 * MB);
        let long_tokens = token_spans(&stored_long).count() as u64;
        let node = broadsheet_gen::LONG_TEXT_NODE;
        let kwic = |sort: KwicSort| {
            let spec = KwicSpec {
                query: node.into(),
                subcorpus: only("long"),
                width: 7,
                sort,
                limit: 3,
                offset: 0,
            };
            let before = token_work();
            let t = a.kwic(&spec).unwrap();
            let after = token_work();
            assert_eq!(t.frame.height(), 3);
            (t, after.tokens - before.tokens, after.bytes - before.bytes)
        };

        // Corpus order: the page and one more hit, a few hundred words into the article.
        let (t, tokens, bytes) = kwic(KwicSort::Corpus);
        assert_eq!(t.note_value("lines"), Some("more than 3"));
        assert!(tokens < 2_000, "{tokens} tokens read for a page of 3");
        assert!(bytes < stored_long.len() as u64 + 1_000, "{bytes} bytes handed to the tokenizer");

        // Sorted by context: every hit's key (one pass), then the page's article again.
        let (t, tokens, bytes) = kwic(KwicSort::Left(1));
        let hits: u64 = t.note_value("lines").unwrap().parse().unwrap();
        assert!(hits > 4_000, "{hits} hits");
        assert!(tokens <= 2 * long_tokens + 20 * hits, "{tokens} tokens, {long_tokens} in the article");
        assert!(bytes <= 2 * stored_long.len() as u64 + 200 * hits, "{bytes} bytes");

        // Collocations: every token once; 5 MB costs five times 1 MB, give or take.
        let colloc = |src: &str| {
            let before = token_work();
            let t = a
                .collocations(&CollocSpec {
                    node: node.into(),
                    subcorpus: only(src),
                    left: 5,
                    right: 5,
                    min_freq: 1,
                    sort: Measure::LogDice,
                    limit: 10,
                })
                .unwrap();
            assert!(t.frame.height() > 0);
            token_work().tokens - before.tokens
        };
        let (small, large) = (colloc("short"), colloc("long"));
        assert!(large <= long_tokens + 100, "{large} tokens read, {long_tokens} in the article");
        assert!(large < small * 6, "1 MB: {small} tokens read, 5 MB: {large}");
    });
}
