//! Optional Snowball stemming (the `rust-stemmers` crate, MIT / BSD-3-Clause), chosen by ISO
//! 639-1 code. Languages without a Snowball stemmer — Persian, Kyrgyz, Chinese and most others —
//! have none: [`stem_word`] passes their words through unchanged.
//!
//! Stemmers expect lower-case input: give them tokens in Broadsheet's count form. They are
//! algorithmic suffix strippers, not lemmatizers: `running` → `run` but `ran` stays `ran`, and
//! stems are not always words (`happiness` → `happi`).

use std::borrow::Cow;

use rust_stemmers::Algorithm;

/// ISO 639-1 codes with a Snowball stemmer, and the algorithm for each (sorted by code).
const ALGORITHMS: &[(&str, Algorithm)] = &[
    ("ar", Algorithm::Arabic),
    ("da", Algorithm::Danish),
    ("de", Algorithm::German),
    ("el", Algorithm::Greek),
    ("en", Algorithm::English),
    ("es", Algorithm::Spanish),
    ("fi", Algorithm::Finnish),
    ("fr", Algorithm::French),
    ("hu", Algorithm::Hungarian),
    ("it", Algorithm::Italian),
    ("nb", Algorithm::Norwegian),
    ("nl", Algorithm::Dutch),
    ("no", Algorithm::Norwegian),
    ("pt", Algorithm::Portuguese),
    ("ro", Algorithm::Romanian),
    ("ru", Algorithm::Russian),
    ("sv", Algorithm::Swedish),
    ("ta", Algorithm::Tamil),
    ("tr", Algorithm::Turkish),
];

/// The language codes that have a stemmer, sorted.
pub fn stemmer_languages() -> Vec<&'static str> {
    ALGORITHMS.iter().map(|(code, _)| *code).collect()
}

/// A Snowball stemmer for one language.
pub struct Stemmer {
    code: &'static str,
    inner: rust_stemmers::Stemmer,
}

impl std::fmt::Debug for Stemmer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stemmer").field("code", &self.code).finish()
    }
}

impl Stemmer {
    /// The stemmer for an ISO 639-1 code (`"en"`, `"ru"`, `"ar"` …; Norwegian as `"no"` or
    /// `"nb"`), or `None` where Snowball has none (`"fa"`, `"ky"`, `"zh"` …).
    pub fn for_language(code: &str) -> Option<Stemmer> {
        ALGORITHMS
            .iter()
            .find(|(c, _)| *c == code)
            .map(|&(code, algorithm)| Stemmer {
                code,
                inner: rust_stemmers::Stemmer::create(algorithm),
            })
    }

    /// The language code this stemmer was made for.
    pub fn language(&self) -> &'static str {
        self.code
    }

    /// The stem of a lower-case word.
    ///
    /// For Russian, ё is read as е first, as the current Snowball Russian algorithm does: the
    /// algorithm in `rust-stemmers` predates that and leaves words with ё unstemmed (`ёлка`),
    /// while Broadsheet's count form keeps ё.
    pub fn stem<'a>(&self, word: &'a str) -> Cow<'a, str> {
        if self.code == "ru" && word.contains('ё') {
            let word = word.replace('ё', "е");
            return Cow::Owned(self.inner.stem(&word).into_owned());
        }
        self.inner.stem(word)
    }
}

/// The stem of `word` in language `lang`, or the word unchanged where the language has no
/// stemmer. Makes the (cheap) stemmer on each call; keep a [`Stemmer`] for many words.
pub fn stem_word<'a>(word: &'a str, lang: &str) -> Cow<'a, str> {
    match Stemmer::for_language(lang) {
        Some(s) => s.stem(word),
        None => Cow::Borrowed(word),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(lang: &str, pairs: &[(&str, &str)]) {
        let s = Stemmer::for_language(lang).unwrap();
        assert_eq!(s.language(), lang);
        for (word, stem) in pairs {
            assert_eq!(s.stem(word), *stem, "{lang}: {word}");
        }
    }

    #[test]
    fn english() {
        check(
            "en",
            &[
                ("running", "run"),
                ("elections", "elect"),
                ("militants", "milit"),
                ("happiness", "happi"),
                ("ran", "ran"),
            ],
        );
    }

    #[test]
    fn russian() {
        check(
            "ru",
            &[
                ("выборы", "выбор"),
                ("выборов", "выбор"),
                ("министра", "министр"),
                ("министром", "министр"),
                ("заявил", "заяв"),
                // ё is read as е.
                ("ёлка", "елк"),
                ("елка", "елк"),
            ],
        );
    }

    #[test]
    fn german_french_spanish_portuguese() {
        check("de", &[("regierungen", "regier"), ("wahlen", "wahl")]);
        check(
            "fr",
            &[("élections", "élect"), ("gouvernements", "gouvern")],
        );
        check(
            "es",
            // Snowball's quirks are kept: the -nos of gobiernos is taken for an enclitic.
            &[
                ("elecciones", "eleccion"),
                ("gobierno", "gobiern"),
                ("gobiernos", "gobi"),
            ],
        );
        check("pt", &[("eleições", "eleiçõ"), ("governos", "govern")]);
    }

    #[test]
    fn arabic() {
        // الحكومة "the government" and حكومة "a government" meet.
        let s = Stemmer::for_language("ar").unwrap();
        assert_eq!(s.stem("الحكومة"), s.stem("حكومة"));
    }

    #[test]
    fn languages_without_a_stemmer_pass_through() {
        assert!(Stemmer::for_language("fa").is_none());
        assert!(Stemmer::for_language("ky").is_none());
        assert!(Stemmer::for_language("").is_none());
        assert_eq!(stem_word("کتابها", "fa"), "کتابها");
        assert_eq!(stem_word("өкмөттүн", "ky"), "өкмөттүн");
        assert_eq!(stem_word("running", "en"), "run");
        assert!(matches!(stem_word("x", "fa"), Cow::Borrowed(_)));
    }

    #[test]
    fn codes_are_sorted_and_unique() {
        let codes = stemmer_languages();
        assert!(codes.windows(2).all(|w| w[0] < w[1]));
        for code in ["en", "ru", "de", "fr", "es", "pt", "ar"] {
            assert!(codes.contains(&code));
        }
    }

    #[test]
    fn odd_input_does_not_panic() {
        for lang in stemmer_languages() {
            let s = Stemmer::for_language(lang).unwrap();
            for w in ["", "x", "123", "北京", "ـــ", "e\u{301}", "\u{200C}"] {
                let _ = s.stem(w);
            }
        }
    }
}
