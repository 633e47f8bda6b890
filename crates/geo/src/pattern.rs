//! The name syntax of the gazetteer data: flags (`^ = ~ ?`), alternatives (`{a,b}`) and prefix
//! words (`word*`), turned into sequences of folded token patterns that the tagger matches against
//! `broadsheet_text::token_spans` + `search_fold`, so that names meet text exactly as search does.

use broadsheet_text::{search_fold, token_spans};

use crate::GeoError;

/// How one name must appear in the original (unfolded) text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flags {
    /// `^`: the first letter of the match is not lower case (proper noun: `Turkey`, not `turkey`).
    pub capitalized: bool,
    /// `=`: every word exactly as written, case included (`US`, not `us`).
    pub exact_case: bool,
    /// `~`: not directly next to another capitalised word (`Michael Jordan`, `Jordan Peterson`).
    pub person_guard: bool,
    /// `?`: weak; counts only if the same text has a strong mention of the same country.
    pub weak: bool,
}

/// One word of a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenPattern {
    /// The search form of the word (or of its prefix).
    pub folded: String,
    /// The word as written in the data, for `=` names.
    pub original: String,
    /// `word*`: any token starting with `folded`.
    pub prefix: bool,
}

impl TokenPattern {
    pub fn matches(&self, folded_token: &str) -> bool {
        if self.prefix {
            folded_token.starts_with(&self.folded)
        } else {
            folded_token == self.folded
        }
    }
}

/// A name expanded into its alternatives, each a sequence of token patterns.
#[derive(Debug, Clone)]
pub struct Expanded {
    pub flags: Flags,
    pub variants: Vec<Vec<TokenPattern>>,
}

/// Shortest prefix (in characters) a `word*` may have when it is the first word of a name.
pub const MIN_PREFIX_CHARS: usize = 3;
/// Alternatives a single name may expand to (guards against typos that explode).
const MAX_VARIANTS: usize = 256;

/// Parses one name of the data syntax.
pub fn parse_name(raw: &str) -> Result<Expanded, GeoError> {
    let bad = |why: &str| GeoError::BadName {
        name: raw.to_string(),
        why: why.to_string(),
    };
    let mut flags = Flags::default();
    let mut body = raw.trim();
    loop {
        match body.chars().next() {
            Some('^') => flags.capitalized = true,
            Some('=') => flags.exact_case = true,
            Some('~') => flags.person_guard = true,
            Some('?') => flags.weak = true,
            _ => break,
        }
        body = &body[1..];
    }
    let body = body.trim();
    if body.is_empty() {
        return Err(bad("empty name"));
    }
    let mut variants = Vec::new();
    for text in expand_braces(body).map_err(bad)? {
        let tokens = tokenize(&text);
        if tokens.is_empty() {
            return Err(bad("no word in name"));
        }
        let first = &tokens[0];
        if first.prefix && first.folded.chars().count() < MIN_PREFIX_CHARS {
            return Err(bad("a leading `word*` needs at least 3 letters"));
        }
        if !variants.contains(&tokens) {
            variants.push(tokens);
        }
    }
    if variants.len() > MAX_VARIANTS {
        return Err(bad("too many alternatives"));
    }
    Ok(Expanded { flags, variants })
}

/// Splits a name into token patterns with the engine's tokenizer; a `*` right after a token makes
/// it a prefix.
fn tokenize(text: &str) -> Vec<TokenPattern> {
    token_spans(text)
        .map(|t| {
            let original = &text[t.start..t.end];
            TokenPattern {
                folded: search_fold(original),
                original: original.to_string(),
                prefix: text[t.end..].starts_with('*'),
            }
        })
        .collect()
}

/// Expands `{a,b}` groups (not nested) into every combination.
fn expand_braces(s: &str) -> Result<Vec<String>, &'static str> {
    let mut out = vec![String::new()];
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').ok_or("unclosed `{`")? + open;
        let head = &rest[..open];
        if head.contains('}') {
            return Err("`}` without `{`");
        }
        let inner = &rest[open + 1..close];
        if inner.contains('{') {
            return Err("nested `{`");
        }
        let alts: Vec<&str> = inner.split(',').collect();
        let mut next = Vec::with_capacity(out.len() * alts.len());
        for prefix in &out {
            for alt in &alts {
                next.push(format!("{prefix}{head}{alt}"));
            }
        }
        if next.len() > MAX_VARIANTS {
            return Err("too many alternatives");
        }
        out = next;
        rest = &rest[close + 1..];
    }
    if rest.contains('}') {
        return Err("`}` without `{`");
    }
    for o in &mut out {
        o.push_str(rest);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(e: &Expanded) -> Vec<String> {
        e.variants
            .iter()
            .map(|v| {
                v.iter()
                    .map(|t| format!("{}{}", t.folded, if t.prefix { "*" } else { "" }))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn flags_braces_prefixes() {
        let e = parse_name("^~?Georgia").unwrap();
        assert!(e.flags.capitalized && e.flags.person_guard && e.flags.weak);
        assert!(!e.flags.exact_case);
        assert_eq!(words(&e), ["georgia"]);
        let e = parse_name("южн* коре{я,и}").unwrap();
        assert_eq!(words(&e), ["южн* корея", "южн* кореи"]);
        let e = parse_name("=U.S.").unwrap();
        assert_eq!(words(&e), ["u s"]);
        assert_eq!(e.variants[0][0].original, "U");
        let e = parse_name("Afghan{,s}").unwrap();
        assert_eq!(words(&e), ["afghan", "afghans"]);
        let e = parse_name("Côte d'Ivoire").unwrap();
        assert_eq!(words(&e), ["cote d ivoire"]);
        let e = parse_name("أفغانستان*").unwrap();
        assert_eq!(words(&e), ["افغانستان*"]);
    }

    #[test]
    fn bad_names_are_errors_not_panics() {
        for bad in ["", "^", "{a,b", "a}b", "{a{b}}", "ab*", " , "] {
            assert!(parse_name(bad).is_err(), "{bad:?} should be rejected");
        }
    }
}
