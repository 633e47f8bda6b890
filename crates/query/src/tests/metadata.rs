//! Metadata terms, date ranges, concepts expanded inside queries, and lowering into plans.

use super::{check_err, lower};
use crate::*;

fn meta(input: &str) -> Meta {
    match parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}")) {
        Expr::Meta(m) => m,
        other => panic!("{input:?} is not one metadata term: {other:?}"),
    }
}

fn span(start: usize, end: usize) -> Span {
    Span { start, end }
}

/// Every key: its value as written, the spans of the term and of the value, the canonical form.
#[test]
fn every_key_parses_with_its_spans() {
    let cases: &[(&str, MetaKey, &str, Span, Span, &str)] = &[
        (
            "place:KG",
            MetaKey::Place,
            "KG",
            span(0, 8),
            span(6, 8),
            "place:KG",
        ),
        (
            "place:central-asia",
            MetaKey::Place,
            "central-asia",
            span(0, 18),
            span(6, 18),
            "place:central-asia",
        ),
        (
            "concept:\"regional security\"",
            MetaKey::Concept,
            "regional security",
            span(0, 27),
            span(9, 26),
            "concept:\"regional security\"",
        ),
        (
            "source:\"Moscow Times\"",
            MetaKey::Source,
            "Moscow Times",
            span(0, 21),
            span(8, 20),
            "source:\"Moscow Times\"",
        ),
        (
            "lang:ru",
            MetaKey::Lang,
            "ru",
            span(0, 7),
            span(5, 7),
            "lang:ru",
        ),
        (
            "language:en-US",
            MetaKey::Lang,
            "en-US",
            span(0, 14),
            span(9, 14),
            "lang:en-US",
        ),
        (
            "LANG:fa",
            MetaKey::Lang,
            "fa",
            span(0, 7),
            span(5, 7),
            "lang:fa",
        ),
        (
            "section:World",
            MetaKey::Section,
            "World",
            span(0, 13),
            span(8, 13),
            "section:World",
        ),
        (
            "date:2023-01..2023-06",
            MetaKey::Date,
            "2023-01..2023-06",
            span(0, 21),
            span(5, 21),
            "date:2023-01..2023-06",
        ),
        // Letters of any script in a value; positions are characters.
        (
            "source:Азаттык",
            MetaKey::Source,
            "Азаттык",
            span(0, 14),
            span(7, 14),
            "source:Азаттык",
        ),
    ];
    for (input, key, value, whole, v, canonical) in cases {
        let m = meta(input);
        assert_eq!((m.key, m.value.as_str()), (*key, *value), "{input}");
        assert_eq!((m.span, m.value_span), (*whole, *v), "{input}");
        assert_eq!(m.to_string(), *canonical, "{input}");
        // The canonical form reads back the same.
        assert_eq!(meta(canonical).value, *value, "{canonical}");
    }
}

#[test]
fn metadata_terms_compose_with_operators() {
    let e = parse("place:central-asia AND concept:\"regional security\"").unwrap();
    assert_eq!(
        e.to_string(),
        "(place:central-asia AND concept:\"regional security\")"
    );
    let e = parse("(lang:ru OR lang:ky) -source:\"Moscow Times\" security").unwrap();
    assert_eq!(
        e.to_string(),
        "((lang:ru OR lang:ky) AND NOT source:\"Moscow Times\" AND security)"
    );
    let e = parse("NOT date:2021.. OR section:World").unwrap();
    assert_eq!(e.to_string(), "(NOT date:2021.. OR section:World)");
    // Metadata terms mark nothing: only the text terms are highlighted.
    let e = parse("security place:KG title:border").unwrap();
    let words: Vec<&str> = e.positive_terms().iter().map(|t| t.text.as_str()).collect();
    assert_eq!(words, ["security", "border"]);
}

#[test]
fn metadata_errors_point_at_the_problem() {
    check_err(
        "plac:KG",
        "unknown field `plac:`; fields are title, body, place, concept, source, lang, section, date",
        0,
    );
    let err = parse("security plac:KG").unwrap_err();
    assert_eq!(err.span, span(9, 14), "the key and its colon");
    check_err("place:", "needs a value", 0);
    check_err("a date:", "needs a value", 2);
    check_err("place:(KG OR RU)", "takes one value", 0);
    check_err("place:K*", "without `*`", 7);
    check_err("source:\"BBC\"*", "without `*`", 12);
    check_err("date:..", "at least one side", 5);
    check_err("date:2021..2022..2023", "one `..`", 15);
    check_err("title:(a place:KG)", "cannot go inside `title:( … )`", 9);
    check_err("NEAR(a place:KG)", "takes only words", 7);
    check_err("place:KG NEAR/3 x", "needs a word or phrase before", 9);
    check_err("x NEAR/3 lang:ru", "needs a word or phrase after", 2);
    check_err("concept:\"a", "never closed", 8);
    check_err("source:\"\"", "empty phrase", 7);
}

#[test]
fn words_with_colons_that_are_not_fields() {
    // A colon after something that is not a name of letters is part of an ordinary word.
    let e = parse("10:30 ::x").unwrap();
    assert_eq!(e.to_string(), "(10:30 AND ::x)");
    // Quoted, any text is searched as text.
    let e = parse("\"plac:KG\"").unwrap();
    assert!(matches!(e, Expr::Term(_)), "{e:?}");
}

fn range(input: &str) -> (Option<String>, Option<String>) {
    let r = meta(input).date_range().unwrap();
    (r.from.map(|b| b.text), r.to.map(|b| b.text))
}

#[test]
fn date_ranges_at_every_form() {
    let s = |x: &str| Some(x.to_string());
    assert_eq!(range("date:2023"), (s("2023"), s("2023")));
    assert_eq!(range("date:2023-03"), (s("2023-03"), s("2023-03")));
    assert_eq!(range("date:2023-03-08"), (s("2023-03-08"), s("2023-03-08")));
    assert_eq!(range("date:2023-01..2023-06"), (s("2023-01"), s("2023-06")));
    assert_eq!(range("date:..2022-06"), (None, s("2022-06")));
    assert_eq!(range("date:2021.."), (s("2021"), None));
    assert_eq!(range("date:\"2021 .. 2022\""), (s("2021"), s("2022")));
    // Each end's span is its place in the query, for errors about one end.
    let r = meta("date:2023-01..2023-13").date_range().unwrap();
    assert_eq!(r.from.unwrap().span, span(5, 12));
    assert_eq!(r.to.unwrap().span, span(14, 21));
    let r = meta("date:\"2021 .. 2022\"").date_range().unwrap();
    assert_eq!(r.to.unwrap().span, span(14, 18));
}

fn defs(list: &[(&str, &str)]) -> Concepts {
    list.iter()
        .map(|(n, q)| (n.to_string(), ConceptDef::general(*q)))
        .collect()
}

fn expanded(q: &str, c: &Concepts) -> Result<Expr, QueryError> {
    parse_expanded(q, c)
}

#[test]
fn a_concept_expands_to_its_query() {
    let c = defs(&[("security", "security OR militant*")]);
    let e = expanded("concept:security place:KG", &c).unwrap();
    // The canonical form keeps the reference; the highlighter gets the concept's words.
    assert_eq!(e.to_string(), "(concept:security AND place:KG)");
    let words: Vec<&str> = e.positive_terms().iter().map(|t| t.text.as_str()).collect();
    assert_eq!(words, ["security", "militant"]);
    // A concept of text alone is one FTS5 expression.
    let e = expanded("concept:SECURITY", &c).unwrap();
    assert_eq!(
        e.to_fts(&lower).unwrap().as_deref(),
        Some("(\"security\" OR \"militant\" *)")
    );
    // Negated, its words are not marked.
    let e = expanded("border NOT concept:security", &c).unwrap();
    assert_eq!(e.positive_terms().len(), 1);
}

#[test]
fn a_concept_inside_a_concept() {
    let c = defs(&[
        ("security", "security OR militant*"),
        ("orgs", "CSTO OR SCO"),
        ("regional security", "concept:security OR concept:orgs"),
    ]);
    let e = expanded("concept:\"regional security\"", &c).unwrap();
    let words: Vec<&str> = e.positive_terms().iter().map(|t| t.text.as_str()).collect();
    assert_eq!(words, ["security", "militant", "CSTO", "SCO"]);
    assert_eq!(
        e.to_fts(&lower).unwrap().as_deref(),
        Some("((\"security\" OR \"militant\" *) OR (\"csto\" OR \"sco\"))")
    );
}

#[test]
fn a_cycle_is_an_error_naming_it() {
    let c = defs(&[
        ("a", "x OR concept:b"),
        ("b", "concept:c y"),
        ("c", "concept:a"),
    ]);
    let err = expanded("z OR concept:a", &c).unwrap_err();
    assert_eq!(
        err.message,
        "concept `a` uses itself: `a` → `b` → `c` → `a`"
    );
    assert_eq!(err.span, span(5, 14), "at the term in the query");
    let c = defs(&[("self", "concept:self")]);
    let err = expanded("concept:self", &c).unwrap_err();
    assert!(err.message.contains("`self` → `self`"), "{}", err.message);
}

#[test]
fn errors_inside_a_concept_point_at_the_concept_term() {
    let c = defs(&[("broken", "security OR"), ("uses", "a OR concept:missing")]);
    let err = expanded("x concept:broken", &c).unwrap_err();
    assert_eq!(err.span, span(2, 16));
    assert_eq!(
        err.message,
        "concept `broken`, at character 10: `OR` needs a term after it"
    );
    let err = expanded("concept:uses", &c).unwrap_err();
    assert_eq!(err.span, span(0, 12));
    assert!(
        err.message.starts_with(
            "concept `uses`, at character 14: no concept `missing`; concepts are `broken`, `uses`"
        ),
        "{}",
        err.message
    );
    let err = expanded("concept:nothing", &Concepts::new()).unwrap_err();
    assert_eq!(err.span, span(8, 15), "at the name");
    assert!(err.message.contains("none is defined"), "{}", err.message);
    // Unexpanded, a concept cannot be compiled.
    let err = parse("concept:x")
        .unwrap()
        .to_sql("f", "id", &lower)
        .unwrap_err();
    assert_eq!(err.span, span(8, 9));
    // An error found while compiling a concept's words also points at the term.
    let c = defs(&[("marks", "security !!!")]);
    let err = expanded("concept:marks", &c)
        .unwrap()
        .to_fts(&lower)
        .unwrap_err();
    assert_eq!(err.span, span(0, 13));
    assert!(
        err.message.contains("character 10: `!!!` has no letters"),
        "{}",
        err.message
    );
}

#[test]
fn concepts_may_not_nest_without_bound() {
    let mut c = Concepts::new();
    for i in 0..20 {
        c.insert(
            format!("c{i}"),
            ConceptDef::general(format!("w{i} concept:c{}", i + 1)),
        );
    }
    c.insert("c20", ConceptDef::general("end"));
    let err = expanded("concept:c0", &c).unwrap_err();
    assert!(err.message.contains("nest more than 8"), "{}", err.message);
    assert_eq!(err.span, span(0, 10));
    // Fan-out: each level multiplies the words by five (5^7 > 20,000).
    let mut c = Concepts::new();
    for i in 0..7 {
        let q = vec![format!("concept:d{}", i + 1); 5].join(" OR ");
        c.insert(format!("d{i}"), ConceptDef::general(q));
    }
    c.insert("d7", ConceptDef::general("w"));
    let err = expanded("concept:d0", &c).unwrap_err();
    assert!(
        err.message.contains("more than 20000 words"),
        "{}",
        err.message
    );
}

fn multilingual() -> ConceptDef {
    ConceptDef {
        query: "CSTO".into(),
        languages: [
            ("ru".to_string(), "безопасност* OR боевик*".to_string()),
            ("fa".to_string(), "امنیت*".to_string()),
        ]
        .into_iter()
        .collect(),
    }
}

#[test]
fn a_concept_with_languages_guards_each_language_part() {
    let c: Concepts = [("security".to_string(), multilingual())]
        .into_iter()
        .collect();
    let e = expanded("concept:security", &c).unwrap();
    assert_eq!(e.to_fts(&lower).unwrap(), None, "`lang:` is not text");
    let plan = e
        .plan(&lower, &mut |m: &Meta| {
            Ok(format!("{}={}", m.key.name(), m.value))
        })
        .unwrap();
    assert_eq!(
        plan,
        Plan::Or(vec![
            Plan::Fts("\"csto\"".into()),
            Plan::And(vec![
                Plan::Leaf("lang=fa".into()),
                Plan::Fts("\"امنیت\" *".into())
            ]),
            Plan::And(vec![
                Plan::Leaf("lang=ru".into()),
                Plan::Fts("(\"безопасност\" * OR \"боевик\" *)".into())
            ]),
        ])
    );
    let words: Vec<&str> = e.positive_terms().iter().map(|t| t.text.as_str()).collect();
    assert_eq!(words, ["CSTO", "امنیت", "безопасност", "боевик"]);
    // The same concept as one query string, for callers that pass a query on.
    let full = multilingual().full_query();
    assert_eq!(
        full,
        "(CSTO) OR (lang:fa AND (امنیت*)) OR (lang:ru AND (безопасност* OR боевик*))"
    );
    parse(&full).unwrap();
    // A language's error names the language.
    let mut bad = multilingual();
    bad.languages.insert("ky".into(), "коопсуз* AND".into());
    let c: Concepts = [("s".to_string(), bad.clone())].into_iter().collect();
    let err = expanded("concept:s", &c).unwrap_err();
    assert!(
        err.message
            .starts_with("concept `s` (its `ky` query), at character 10:"),
        "{}",
        err.message
    );
    assert!(bad.check_syntax("s").unwrap_err().message.contains("`ky`"));
    // And an error from the caller's leaf for the guard points at the concept term.
    let c: Concepts = [("security".to_string(), multilingual())]
        .into_iter()
        .collect();
    let err = expanded("x OR concept:security", &c)
        .unwrap()
        .plan(&lower, &mut |m: &Meta| {
            if m.value == "fa" {
                Err(QueryError::new(
                    "no such language",
                    m.value_span.start,
                    m.value_span.end,
                ))
            } else {
                Ok(())
            }
        })
        .unwrap_err();
    assert_eq!(err.span, span(5, 21));
    assert!(err.message.contains("(its `fa` query)"), "{}", err.message);
}

#[test]
fn plans_keep_text_in_as_few_fts5_expressions_as_possible() {
    let leaf = &mut |m: &Meta| Ok::<_, QueryError>(m.to_string());
    let plan = |q: &str, leaf: &mut dyn FnMut(&Meta) -> Result<String, QueryError>| {
        parse(q).unwrap().plan(&lower, leaf).unwrap()
    };
    assert_eq!(plan("a b", leaf), Plan::Fts("((\"a\" AND \"b\"))".into()));
    assert_eq!(
        plan("a b -c place:KG", leaf),
        Plan::And(vec![
            Plan::Fts("((\"a\" AND \"b\") NOT \"c\")".into()),
            Plan::Leaf("place:KG".into())
        ])
    );
    assert_eq!(
        plan("a OR b OR lang:ru", leaf),
        Plan::Or(vec![
            Plan::Fts("(\"a\" OR \"b\")".into()),
            Plan::Leaf("lang:ru".into())
        ])
    );
    assert_eq!(
        plan("NOT a NOT place:KG", leaf),
        Plan::And(vec![
            Plan::Not(Box::new(Plan::Leaf("place:KG".into()))),
            Plan::Not(Box::new(Plan::Fts("\"a\"".into()))),
        ])
    );
    // Metadata terms without the store are an error at the term, never SQL.
    let err = parse("a place:KG")
        .unwrap()
        .to_sql("f", "id", &lower)
        .unwrap_err();
    assert_eq!(err.span, span(2, 10));
}
