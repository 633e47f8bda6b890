//! Text settings: what a project records so that a word list, collocation or keyness run
//! repeats exactly (stop words, stemming, minimum length, numbers, n-grams, CJK bigrams), and
//! the compiled [`TokenFilter`] that applies them to one token.
//!
//! The rules, in the order [`TokenFilter::normalize_token`] applies them:
//!
//! 1. **Count form**: [`broadsheet_text::count_form`] with the text's language (lower case, NFC;
//!    Arabic-script marks and joiners removed; Persian ي/ك → ی/ک).
//! 2. **Numbers**: unless `numbers_are_words`, a token made only of digits (any script: `2024`,
//!    `۱۳۹۴`) is dropped. Off by default because the tokenizer splits numbers at separators
//!    (`25,000` → `25`, `000`), so number tokens are mostly fragments.
//! 3. **Minimum length**: a token with fewer than `min_token_length` characters (Unicode scalar
//!    values of the count form) is dropped. 1 by default, which drops nothing; 2 drops single
//!    letters, but also single CJK characters, which are words in Chinese.
//! 4. **Stop words**: a token whose count form is in the stop-word list is dropped. The lists
//!    hold surface forms, so this comes before stemming.
//! 5. **Stemming**: if `stemming` is on and the language has a Snowball stemmer, the count form
//!    is replaced by its stem; other languages (Persian, Kyrgyz …) keep the count form.
//!
//! `ngrams` and `cjk_bigrams` are recorded here and applied by the analyses that build n-grams.

use std::borrow::Cow;

use broadsheet_text::count_form;
use serde::{Deserialize, Serialize};

use crate::stem::Stemmer;
use crate::stopwords::{StopWordSettings, StopWords};
use crate::LexisError;

/// The longest n-gram an analysis may count.
pub const MAX_NGRAM: u8 = 5;

/// Everything about turning tokens into counted words that a project records. Serialised with
/// every field named; missing fields take their defaults, so older records still load.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TextSettings {
    /// Stop words to drop (none by default).
    pub stop_words: StopWordSettings,
    /// Snowball stemming where the language has a stemmer (off by default).
    pub stemming: bool,
    /// Tokens shorter than this many characters are dropped (default 1: none).
    pub min_token_length: usize,
    /// Whether tokens made only of digits count as words (default false).
    pub numbers_are_words: bool,
    /// The n-gram lengths counted, `min..=max` within `1..=5` (default `[1, 1]`: single words).
    pub ngrams: [u8; 2],
    /// Whether Chinese and Japanese text is counted as character bigrams (default true), since
    /// the tokenizer makes one token per ideograph.
    pub cjk_bigrams: bool,
    /// Lines that repeat across a source's articles (a licence footer, a share bar), left out
    /// of search, counts, concordances and charts.
    pub boilerplate: BoilerplateSettings,
}

/// Which lines of a source's articles are site furniture rather than text: detected as lines
/// repeated verbatim in a large share of one source's articles, plus lines the researcher
/// adds, less lines the researcher keeps. The stored text keeps them; search, counts,
/// concordances and charts leave them out. Serialised with every field named; missing fields
/// take their defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BoilerplateSettings {
    /// Detect repeated lines per source (on by default).
    pub detect: bool,
    /// A line is detected when it appears in at least this percentage of its source's
    /// articles (default 30) …
    pub min_percent: u8,
    /// … and in at least this many of them (default 5).
    pub min_articles: u32,
    /// Lines always left out, in every source (compared after collapsing whitespace).
    pub add: Vec<String>,
    /// Lines never left out although detected.
    pub keep: Vec<String>,
}

impl Default for BoilerplateSettings {
    fn default() -> Self {
        BoilerplateSettings {
            detect: true,
            min_percent: 30,
            min_articles: 5,
            add: Vec::new(),
            keep: Vec::new(),
        }
    }
}

impl TextSettings {
    /// The settings of a new project: the defaults, with the stop words of every language in
    /// the corpus left out of word lists, keyness and collocations.
    pub fn research_default() -> Self {
        TextSettings {
            stop_words: StopWordSettings::corpus_languages(),
            ..Self::default()
        }
    }

    /// These settings with the stop-word languages' [`crate::stopwords::AUTO`] resolved to
    /// `corpus`, the corpus's language codes.
    pub fn resolved(&self, corpus: &[String]) -> Self {
        TextSettings {
            stop_words: self.stop_words.resolved(corpus),
            ..self.clone()
        }
    }
}

impl Default for TextSettings {
    fn default() -> Self {
        Self {
            stop_words: StopWordSettings::default(),
            stemming: false,
            min_token_length: 1,
            numbers_are_words: false,
            ngrams: [1, 1],
            cjk_bigrams: true,
            boilerplate: BoilerplateSettings::default(),
        }
    }
}

impl TextSettings {
    /// Checks the settings (the n-gram range within `1..=5` with `min <= max`, the stop-word
    /// languages known) and builds the filter that applies them.
    pub fn compile(&self) -> Result<TokenFilter, LexisError> {
        let [min, max] = self.ngrams;
        if min == 0 || min > max || max > MAX_NGRAM {
            return Err(LexisError::NgramRange { min, max });
        }
        Ok(TokenFilter {
            settings: self.clone(),
            stop_words: StopWords::from_settings(&self.stop_words)?,
        })
    }

    /// The n-gram lengths as a range.
    pub fn ngram_range(&self) -> std::ops::RangeInclusive<u8> {
        self.ngrams[0]..=self.ngrams[1]
    }
}

/// [`TextSettings`] ready for use: the stop-word list built. Shareable between threads.
#[derive(Debug, Clone)]
pub struct TokenFilter {
    settings: TextSettings,
    stop_words: StopWords,
}

impl TokenFilter {
    /// The settings this filter applies (stop-word settings normalised).
    pub fn settings(&self) -> TextSettings {
        TextSettings {
            stop_words: self.stop_words.settings().clone(),
            ..self.settings.clone()
        }
    }

    /// The compiled stop-word list.
    pub fn stop_words(&self) -> &StopWords {
        &self.stop_words
    }

    /// The word a token of a text in language `lang` counts as, or `None` if the settings drop
    /// it (see the module documentation for the rules and their order).
    pub fn normalize_token<'a>(&self, token: &'a str, lang: &str) -> Option<Cow<'a, str>> {
        let form: Cow<'a, str> = if is_count_form_ascii(token) {
            Cow::Borrowed(token)
        } else {
            Cow::Owned(count_form(token, lang))
        };
        if form.is_empty() {
            return None;
        }
        if !self.settings.numbers_are_words && form.chars().all(char::is_numeric) {
            return None;
        }
        if self.settings.min_token_length > 1
            && form.chars().count() < self.settings.min_token_length
        {
            return None;
        }
        if self.stop_words.contains(&form) {
            return None;
        }
        if !self.settings.stemming {
            return Some(form);
        }
        // Making a stemmer only picks a function for the language: no cost worth caching.
        let stemmer = Stemmer::for_language(lang);
        match stemmer {
            None => Some(form),
            Some(s) => Some(match form {
                Cow::Borrowed(b) => s.stem(b),
                Cow::Owned(o) => Cow::Owned(s.stem(&o).into_owned()),
            }),
        }
    }
}

/// ASCII with no upper-case letters: already its own count form.
fn is_count_form_ascii(token: &str) -> bool {
    token.is_ascii() && !token.bytes().any(|b| b.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(settings: TextSettings) -> TokenFilter {
        settings.compile().unwrap()
    }

    #[test]
    fn defaults_keep_words_and_drop_numbers() {
        let f = filter(TextSettings::default());
        assert_eq!(
            f.normalize_token("Kyrgyzstan", "en").as_deref(),
            Some("kyrgyzstan")
        );
        assert_eq!(f.normalize_token("the", "en").as_deref(), Some("the"));
        assert_eq!(f.normalize_token("a", "en").as_deref(), Some("a"));
        assert_eq!(f.normalize_token("2024", "en"), None);
        assert_eq!(f.normalize_token("۱۳۹۴", "fa"), None);
        assert_eq!(f.normalize_token("", "en"), None);
        // Only marks: the count form is empty.
        assert_eq!(f.normalize_token("\u{064E}", "ar"), None);
        // Letters and digits mixed are words.
        assert_eq!(f.normalize_token("G20", "en").as_deref(), Some("g20"));
        // Persian letters, ZWNJ removed.
        assert_eq!(f.normalize_token("بانكي", "fa").as_deref(), Some("بانکی"));
        assert!(matches!(
            f.normalize_token("word", "en"),
            Some(Cow::Borrowed(_))
        ));
    }

    #[test]
    fn each_rule() {
        let f = filter(TextSettings {
            stop_words: StopWordSettings {
                languages: vec!["en".into(), "ru".into()],
                extra: vec!["said".into()],
                keep: vec![],
            },
            stemming: true,
            min_token_length: 3,
            numbers_are_words: true,
            ..TextSettings::default()
        });
        // Stop words, before stemming and whatever the case.
        assert_eq!(f.normalize_token("The", "en"), None);
        assert_eq!(f.normalize_token("Said", "en"), None);
        assert_eq!(f.normalize_token("Также", "ru"), None);
        // Minimum length on the count form.
        assert_eq!(f.normalize_token("UN", "en"), None);
        // Numbers are words here (and long enough).
        assert_eq!(f.normalize_token("2024", "en").as_deref(), Some("2024"));
        // Stemming by language; Persian passes through.
        assert_eq!(
            f.normalize_token("Elections", "en").as_deref(),
            Some("elect")
        );
        assert_eq!(f.normalize_token("выборов", "ru").as_deref(), Some("выбор"));
        assert_eq!(
            f.normalize_token("انتخابات", "fa").as_deref(),
            Some("انتخابات")
        );
        // Unknown language: count form only.
        assert_eq!(
            f.normalize_token("Elections", "").as_deref(),
            Some("elections")
        );
    }

    #[test]
    fn ngram_range_is_checked() {
        for (ngrams, ok) in [
            ([1, 1], true),
            ([1, 5], true),
            ([2, 3], true),
            ([0, 2], false),
            ([3, 2], false),
            ([1, 6], false),
        ] {
            let s = TextSettings {
                ngrams,
                ..TextSettings::default()
            };
            assert_eq!(s.compile().is_ok(), ok, "{ngrams:?}");
        }
        assert_eq!(TextSettings::default().ngram_range(), 1..=1);
        let bad = TextSettings {
            stop_words: StopWordSettings {
                languages: vec!["xx".into()],
                ..StopWordSettings::default()
            },
            ..TextSettings::default()
        };
        assert_eq!(
            bad.compile().unwrap_err(),
            LexisError::UnknownLanguage("xx".into())
        );
    }

    #[test]
    fn serde_round_trip_and_defaults() {
        let s = TextSettings {
            stop_words: StopWordSettings {
                languages: vec!["en".into()],
                extra: vec![],
                keep: vec!["not".into()],
            },
            stemming: true,
            min_token_length: 2,
            numbers_are_words: true,
            ngrams: [1, 3],
            cjk_bigrams: false,
            boilerplate: BoilerplateSettings {
                detect: false,
                add: vec!["Share this article".into()],
                ..BoilerplateSettings::default()
            },
        };
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<TextSettings>(&json).unwrap(), s);
        // An empty record is the defaults.
        assert_eq!(
            serde_json::from_str::<TextSettings>("{}").unwrap(),
            TextSettings::default()
        );
        // The compiled filter reports normalised settings.
        let f = filter(TextSettings {
            stop_words: StopWordSettings {
                languages: vec!["ru".into(), "en".into()],
                ..StopWordSettings::default()
            },
            ..TextSettings::default()
        });
        assert_eq!(f.settings().stop_words.languages, ["en", "ru"]);
    }
}
