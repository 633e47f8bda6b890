use super::*;

mod metadata;

fn lower(s: &str) -> String {
    s.to_lowercase()
}

/// Parses `input` and compares the canonical rendering and the FTS5 compilation.
fn check(input: &str, canonical: &str, fts: Option<&str>) {
    let e = parse(input).unwrap_or_else(|err| panic!("{input:?}: {err}"));
    assert_eq!(e.to_string(), canonical, "canonical form of {input:?}");
    assert_eq!(
        e.to_fts(&lower).unwrap().as_deref(),
        fts,
        "FTS5 form of {input:?}"
    );
}

/// Parses `input`, expecting an error whose message contains `msg` at character `at` (0-based).
fn check_err(input: &str, msg: &str, at: usize) {
    let err = parse(input).expect_err(input);
    assert!(
        err.message.contains(msg),
        "{input:?}: message {:?} lacks {msg:?}",
        err.message
    );
    assert_eq!(
        err.span.start, at,
        "{input:?}: position of {:?}",
        err.message
    );
}

#[test]
fn single_terms_and_phrases() {
    check("Daesh", "Daesh", Some("\"daesh\""));
    check("milit*", "milit*", Some("\"milit\" *"));
    check(
        "\"Islamic State\"",
        "\"Islamic State\"",
        Some("\"islamic state\""),
    );
    check("title:Kyrgyz", "title:Kyrgyz", Some("title : \"kyrgyz\""));
    check(
        "title:\"Central Asia\"",
        "title:\"Central Asia\"",
        Some("title : \"central asia\""),
    );
}

#[test]
fn implicit_and_explicit_boolean() {
    check(
        "security Kyrgyzstan",
        "(security AND Kyrgyzstan)",
        Some("((\"security\" AND \"kyrgyzstan\"))"),
    );
    check(
        "a AND b OR c",
        "((a AND b) OR c)",
        Some("(((\"a\" AND \"b\")) OR \"c\")"),
    );
    check(
        "(security OR militant*) AND Kyrgyz*",
        "((security OR militant*) AND Kyrgyz*)",
        Some("(((\"security\" OR \"militant\" *) AND \"kyrgyz\" *))"),
    );
    check(
        "Daesh NOT Syria",
        "(Daesh AND NOT Syria)",
        Some("((\"daesh\") NOT \"syria\")"),
    );
    check(
        "Daesh -Syria",
        "(Daesh AND NOT Syria)",
        Some("((\"daesh\") NOT \"syria\")"),
    );
}

#[test]
fn lowercase_operators_are_words() {
    check(
        "war and peace",
        "(war AND and AND peace)",
        Some("((\"war\" AND \"and\" AND \"peace\"))"),
    );
}

#[test]
fn pure_negation_is_not_fts_expressible() {
    let e = parse("NOT Syria").unwrap();
    assert_eq!(e.to_fts(&lower).unwrap(), None);
    let c = e.to_sql("fts", "a.id", &lower).unwrap();
    assert_eq!(
        c.sql,
        "(NOT a.id IN (SELECT rowid FROM fts WHERE fts MATCH ?))"
    );
    assert_eq!(c.params, vec!["\"syria\"".to_string()]);
    assert_eq!(c.fts, None);
}

#[test]
fn or_with_negated_branch_compiles_to_sql() {
    let e = parse("Daesh OR NOT Syria").unwrap();
    let c = e.to_sql("fts", "id", &lower).unwrap();
    assert_eq!(
        c.sql,
        "(id IN (SELECT rowid FROM fts WHERE fts MATCH ?) OR (NOT id IN (SELECT rowid FROM fts WHERE fts MATCH ?)))"
    );
    assert_eq!(c.params, vec!["\"daesh\"", "\"syria\""]);
}

#[test]
fn near_forms() {
    check(
        "NEAR(Russia Kyrgyzstan, 5)",
        "NEAR(Russia Kyrgyzstan, 5)",
        Some("NEAR(\"russia\" \"kyrgyzstan\", 5)"),
    );
    check(
        "NEAR(Russia \"armed forces\")",
        "NEAR(Russia \"armed forces\", 10)",
        Some("NEAR(\"russia\" \"armed forces\", 10)"),
    );
    check(
        "Russia NEAR/3 arms",
        "NEAR(Russia arms, 3)",
        Some("NEAR(\"russia\" \"arms\", 3)"),
    );
    check(
        "title:(NEAR(a b))",
        "title:NEAR(a b, 10)",
        Some("title : NEAR(\"a\" \"b\", 10)"),
    );
}

#[test]
fn user_quotes_cannot_escape_the_fts_string() {
    // A phrase containing a quote and FTS5 syntax stays one quoted string.
    let e = parse(r#""a \" OR b""#).unwrap();
    assert_eq!(
        e.to_fts(&lower).unwrap().as_deref(),
        Some("\"a \"\" or b\"")
    );
    check("\"col:umn\"", "\"col:umn\"", Some("\"col:umn\""));
    check_err("col:umn", "unknown field `col:`", 0);
    check("x^2", "x^2", Some("\"x^2\""));
}

#[test]
fn typographic_quotes_are_quotes() {
    check(
        "\u{201C}Islamic State\u{201D}",
        "\"Islamic State\"",
        Some("\"islamic state\""),
    );
}

#[test]
fn errors_point_at_the_problem() {
    check_err("", "empty", 0);
    check_err("   ", "empty", 0);
    check_err("(security OR", "needs a term after", 10);
    check_err("(security", "never closed", 0);
    check_err("security)", "no matching", 8);
    check_err("OR security", "needs a term before", 0);
    check_err("security AND", "needs a term after", 9);
    check_err("\"Islamic State", "never closed", 0);
    check_err("mil*tary", "may only end a word", 3);
    check_err("*", "at least one letter", 0);
    check_err("NEAR(a)", "at least two", 0);
    check_err("NEAR(a b, x)", "whole number", 10);
    check_err("NEAR(a b", "never closed", 0);
    check_err("a NEAR/x b", "distance", 2);
    check_err("NOT", "needs a term after", 0);
    check_err("()", "empty parentheses", 0);
    check_err("a, b", "only used inside NEAR", 1);
    check_err("title:", "needs a word", 0);
}

#[test]
fn terms_without_letters_are_rejected_at_compile_time() {
    let e = parse("security !!!").unwrap();
    let err = e.to_fts(&lower).unwrap_err();
    assert_eq!(err.span.start, 9);
    assert!(err.message.contains("no letters"));
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let q = format!("{}a{}", "(".repeat(1_000), ")".repeat(1_000));
    let err = parse(&q).unwrap_err();
    assert!(err.message.contains("nests deeper"), "{}", err.message);
    let q = "NOT ".repeat(1_000) + "a";
    assert!(parse(&q).unwrap_err().message.contains("nests deeper"));
    let q = "a ".repeat(6_000);
    assert!(parse(&q).unwrap_err().message.contains("longer than"));
}

#[test]
fn positions_are_in_characters_not_bytes() {
    // Cyrillic letters are two bytes each in UTF-8.
    check_err("Россия )", "no matching", 7);
}

#[test]
fn positive_terms_skip_negated_ones() {
    let e = parse("(Daesh OR \"Islamic State\") NOT Syria").unwrap();
    let texts: Vec<_> = e.positive_terms().iter().map(|t| t.text.as_str()).collect();
    assert_eq!(texts, vec!["Daesh", "Islamic State"]);
}

#[test]
fn pointer_marks_the_span() {
    let err = parse("a AND").unwrap_err();
    assert_eq!(err.pointer("a AND"), "a AND\n  ^^^");
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, .. ProptestConfig::default() })]
        /// Any text is either a query or a typed error with a span inside (or just past) the text.
        #[test]
        fn any_text_parses_or_errors(s in ".{0,60}") {
            let n = s.chars().count();
            match parse(&s) {
                Ok(e) => {
                    match e.to_sql("fts", "id", &lower) {
                        Ok(c) => prop_assert_eq!(c.sql.matches('?').count(), c.params.len()),
                        Err(err) => prop_assert!(err.span.start <= n),
                    }
                }
                Err(err) => prop_assert!(err.span.start <= n, "{:?} {:?}", s, err),
            }
        }

        #[test]
        fn operator_soup_never_panics(v in proptest::collection::vec(
            prop_oneof![Just("AND"), Just("OR"), Just("NOT"), Just("("), Just(")"), Just("\""),
                        Just("NEAR("), Just("NEAR/2"), Just(","), Just("a"), Just("b*"), Just("-"),
                        Just("title:"), Just("*"), Just(" ")], 0..20)) {
            let s = v.join(" ");
            let _ = parse(&s).map(|e| e.to_sql("fts", "id", &lower));
        }

        /// Metadata terms, concepts (some cyclic, some broken) and date ranges among operators:
        /// a plan or a typed error whose span lies in the query, never a panic.
        #[test]
        fn metadata_soup_plans_or_errors(v in proptest::collection::vec(
            (prop_oneof![Just("AND"), Just("OR"), Just("NOT"), Just("("), Just(")"), Just("\""),
                         Just("-"), Just("a"), Just("b*"), Just("place:"), Just("place:KG"),
                         Just("plac:KG"), Just("concept:"), Just("concept:good"),
                         Just("concept:loop"), Just("concept:broken"), Just("concept:multi"),
                         Just("concept:\"two words\""), Just("concept:none"), Just("lang:ru"),
                         Just("lang:"), Just("source:\"Moscow Times\""), Just("section:World"),
                         Just("date:"), Just("date:2021.."), Just("date:..2022-06"), Just(".."),
                         Just("date:2021..2022..2023"), Just("title:("), Just("NEAR("),
                         Just("NEAR/3"), Just(":"), Just("*"), Just("Кыргыз:")],
             prop_oneof![Just(""), Just(" ")]), 0..16)) {
            let s: String = v.iter().map(|(t, sep)| format!("{t}{sep}")).collect();
            let n = s.chars().count();
            let concepts: Concepts = [
                ("good", ConceptDef::general("security OR lang:ru")),
                ("loop", ConceptDef::general("x OR concept:loop")),
                ("broken", ConceptDef::general("a AND")),
                ("two words", ConceptDef::general("concept:good place:KG")),
                ("multi", ConceptDef {
                    query: String::new(),
                    languages: [("ru".to_string(), "a*".to_string())].into_iter().collect(),
                }),
            ]
            .into_iter()
            .map(|(k, d)| (k.to_string(), d))
            .collect();
            let in_query = |e: &QueryError| e.span.start <= n && e.span.start < e.span.end;
            match parse_expanded(&s, &concepts) {
                Err(e) => prop_assert!(in_query(&e), "{:?}: {:?}", s, e),
                Ok(e) => {
                    let r = e.plan(&lower, &mut |m: &Meta| {
                        if m.key == MetaKey::Date { m.date_range().map(|_| ()) } else { Ok(()) }
                    });
                    if let Err(err) = r {
                        prop_assert!(in_query(&err), "{:?}: {:?}", s, err);
                    }
                    // The canonical rendering parses again to the same rendering.
                    let shown = e.to_string();
                    if let Ok(again) = parse(&shown) {
                        prop_assert_eq!(again.to_string(), shown);
                    }
                }
            }
        }
    }
}

/// Parses `input`, renders it, and checks that the rendering parses to the same rendering.
fn renders_stably(input: &str) {
    let e = parse(input).unwrap_or_else(|err| panic!("{input:?}: {err}"));
    let shown = e.to_string();
    let again = parse(&shown).unwrap_or_else(|err| panic!("{shown:?}: {err}"));
    assert_eq!(again.to_string(), shown, "from {input:?}");
    assert_eq!(again.positive_terms()[0].text, e.positive_terms()[0].text);
}

/// Found by the `query` fuzz target (fuzz/regressions/query/phrase-ending-in-backslash): a
/// phrase whose text ends in a backslash rendered as `"a\"`, which does not parse again; curly
/// quotes inside a phrase were not escaped either.
#[test]
fn canonical_rendering_of_a_phrase_ending_in_a_backslash_parses_again() {
    for input in [
        "\"N\\\n\n\" x",
        "\"a \\\u{201C}b\\\u{201D}\"",
        "\"a\\\\\"\" b",
    ] {
        renders_stably(input);
    }
}

/// Found by the `query` fuzz target (fuzz/regressions/query/near-with-a-field): NEAR restricted
/// to a field rendered as `title:NEAR(a b, 5)`, the form the error messages recommend, but the
/// lexer read it as the word `NEAR` followed by a group. It now parses.
#[test]
fn near_with_a_field_parses_as_the_errors_recommend() {
    let e = parse("title:NEAR(a b, 5)").unwrap();
    assert!(
        matches!(
            e,
            Expr::Near {
                field: Some(Field::Title),
                distance: 5,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(
        e.to_fts(&lower).unwrap().unwrap(),
        "title : NEAR(\"a\" \"b\", 5)"
    );
    renders_stably("title:(NEAR(a b, 5)) c");
    renders_stably("body:(a NEAR/3 b) OR c");
    renders_stably("headline:NEAR(a \"b c\") d");
}

/// Found by the `query` fuzz target (fuzz/regressions/query/near-slash-with-a-fielded-word):
/// `title:a NEAR/5 b` made a NEAR whose first word kept its field, which the compiled query
/// silently ignored and the rendering `NEAR(title:a b, 5)` could not parse. A field on one word
/// of NEAR is now the same error as inside `NEAR(…)`.
#[test]
fn near_slash_with_a_fielded_word_is_an_error() {
    check_err("title:a NEAR/5 b", "put the field before NEAR", 0);
    check_err("a NEAR/5 body:b", "put the field before NEAR", 9);
}

/// Found by the store-level property test (crates/store/tests/query_props.rs): a NUL inside a
/// term reached FTS5, which reads its expression as a C string and failed with a raw
/// "unterminated string" error. Control characters now separate words, as in the index.
#[test]
fn control_characters_in_terms_never_reach_fts5() {
    let e = parse("a\u{0}b \"c\u{1}d\"").unwrap();
    let fts = e.to_fts(&lower).unwrap().unwrap();
    assert!(!fts.chars().any(char::is_control), "{fts:?}");
    assert_eq!(fts, "((\"a b\" AND \"c d\"))");
}
