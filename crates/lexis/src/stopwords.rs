//! Stop-word lists in Broadsheet's count form, for word lists, collocations and keyness that
//! leave out function words; with the researcher's own additions and removals, serialisable
//! settings, and a fingerprint a methods appendix can cite.
//!
//! # Sources and licences
//!
//! - **NLTK** stop-word corpus (mostly the Snowball project's lists, BSD licence; Romanian,
//!   Kazakh, Nepali, Azerbaijani, Greek, Indonesian and others added by NLTK contributors) for
//!   every language NLTK has: ar az be bn ca da de el en es eu fi fr he hu id it kk ne nl no pt
//!   ro ru sl sq sv ta tg tr uz zh.
//! - **Stopwords ISO** (github.com/stopwords-iso, MIT licence) for the others, Persian among
//!   them.
//! - **Broadsheet** for Kyrgyz (`ky`), which neither has (see `kyrgyz.rs` for how it was made).
//!
//! The NLTK and ISO lists come from the `stop-words` crate, version 0.10.1 exactly (MIT OR
//! Apache-2.0), so that a recorded fingerprint stays reproducible. Where both sources have a
//! language the NLTK list is used: the ISO lists for English, Russian, German and others are
//! unions of several lists that include content words (the Russian one has война "war", россия,
//! москва, советский), which would silently remove news vocabulary.
//!
//! # Revisions
//!
//! Reviewed against the shared Russian Telegram news and Fars News corpora (word frequencies of
//! the lists' entries and of frequent words missing from them):
//!
//! - Russian (NLTK): added the function words it lacks that are among the most frequent words
//!   of Russian news: это and the forms of этот, который, свой, весь, сам, тот and the future of
//!   быть; также, однако, лишь, кроме, именно, поэтому, около, среди, против, пока; and spellings
//!   with ё (её, ещё, всё, неё, своё), which Broadsheet's count form keeps distinct from е.
//! - Persian (ISO): removed content words — مردم "people", خدمات "services", جناح "faction", حق
//!   "right", جلوگیری "prevention", امور "affairs", راه "road, way", آباد (the second half of place
//!   names), بزرگ "big", جدید "new"; added the present-tense forms of the list's auxiliaries and
//!   light verbs with the prefix می/نمی (میکند, نمیشود …), because the count form joins می‌ and
//!   the verb across the zero-width non-joiner while the list has only the split spellings.
//! - Arabic (NLTK): removed currency names (دولار, ريال, يورو …), which are content in economic
//!   news, and words whose other reading is content in news: ذهب "gold", علم "flag, science",
//!   عين "eye, spring", يمين "right (wing), oath", شمال "north", جمعة "Friday", حبيب.
//!
//! # Normalisation
//!
//! Every entry is stored in its count form ([`broadsheet_text::count_form`] with the list's
//! language: lower case, NFC, Arabic-script marks and joiners removed, and for Persian ي/ك as
//! ی/ک), so that it matches counted tokens. Entries that Broadsheet's tokenizer would not keep
//! as one token (`aren't`, `می شود`, punctuation) are dropped — they could never match — except
//! Chinese and Japanese entries of one or two characters, which match the characters and the
//! character bigrams the analyses count.

use std::collections::BTreeSet;

use broadsheet_text::{count_form, token_spans, tokens::is_cjk};
use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};

use crate::LexisError;

/// Where a language's base list comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopWordSource {
    /// The NLTK stop-word corpus (Snowball lists and contributions; BSD licence).
    Nltk,
    /// Stopwords ISO (MIT licence).
    StopwordsIso,
    /// Written for Broadsheet (Kyrgyz).
    Broadsheet,
}

/// The languages for which the `stop-words` crate (with its `nltk` feature) takes NLTK's list.
const NLTK_CODES: &[&str] = &[
    "ar", "az", "be", "bn", "ca", "da", "de", "el", "en", "es", "eu", "fi", "fr", "he", "hu", "id",
    "it", "kk", "ne", "nl", "no", "pt", "ro", "ru", "sl", "sq", "sv", "ta", "tg", "tr", "uz", "zh",
];

/// Changes to a base list after review (see the module documentation).
struct Revision {
    lang: &'static str,
    add: &'static [&'static str],
    remove: &'static [&'static str],
}

const REVISIONS: &[Revision] = &[
    Revision {
        lang: "ru",
        add: &[
            "это",
            "эта",
            "эти",
            "этих",
            "этим",
            "этими",
            "этому",
            "эту",
            "этот",
            "этой",
            "этом",
            "который",
            "которая",
            "которое",
            "которые",
            "которого",
            "которой",
            "которому",
            "которым",
            "которыми",
            "котором",
            "которых",
            "свой",
            "своя",
            "своё",
            "свое",
            "свои",
            "своего",
            "своей",
            "своему",
            "своим",
            "своими",
            "своих",
            "своём",
            "своем",
            "свою",
            "весь",
            "вся",
            "всё",
            "всем",
            "всеми",
            "всему",
            "сама",
            "само",
            "сами",
            "самой",
            "самого",
            "самим",
            "самих",
            "та",
            "те",
            "ту",
            "той",
            "тех",
            "теми",
            "тому",
            "будут",
            "буду",
            "будем",
            "будете",
            "будешь",
            "её",
            "ещё",
            "неё",
            "также",
            "однако",
            "лишь",
            "кроме",
            "именно",
            "поэтому",
            "около",
            "среди",
            "против",
            "пока",
            "оно",
            "ими",
            "ею",
        ],
        remove: &[],
    },
    Revision {
        lang: "fa",
        add: &[
            "میکند",
            "میکنند",
            "میکنیم",
            "میکنم",
            "نمیکند",
            "نمیکنند",
            "میشود",
            "میشوند",
            "نمیشود",
            "نمیشوند",
            "میدهد",
            "میدهند",
            "میگیرد",
            "میگیرند",
            "میتواند",
            "میتوانند",
            "نمیتواند",
            "نمیتوانند",
            "میباشد",
            "میباشند",
            "میرسد",
            "میرود",
        ],
        remove: &[
            "مردم",
            "خدمات",
            "جناح",
            "حق",
            "جلوگیری",
            "امور",
            "راه",
            "آباد",
            "بزرگ",
            "جدید",
        ],
    },
    Revision {
        lang: "ar",
        add: &[],
        remove: &[
            "دولار",
            "دينار",
            "ريال",
            "درهم",
            "ليرة",
            "جنيه",
            "قرش",
            "مليم",
            "فلس",
            "هللة",
            "سنتيم",
            "يورو",
            "ين",
            "يوان",
            "شيكل",
            "ذهب",
            "علم",
            "عين",
            "يمين",
            "شمال",
            "جمعة",
            "حبيب",
        ],
    },
];

/// Whether a language code names a list of the `stop-words` crate that we expose (ISO 639-1
/// codes only, not NLTK's `hinglish`).
fn is_iso_639_1(code: &str) -> bool {
    code.len() == 2 && code.bytes().all(|b| b.is_ascii_lowercase())
}

/// The language codes (ISO 639-1) for which a stop-word list exists, sorted.
pub fn available_languages() -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = stop_words::available_languages()
        .iter()
        .copied()
        .filter(|c| is_iso_639_1(c))
        .chain(std::iter::once("ky"))
        .collect();
    codes.sort_unstable();
    codes.dedup();
    codes
}

/// Where the list for `code` comes from, or `None` if there is no list for it.
pub fn source(code: &str) -> Option<StopWordSource> {
    if code == "ky" {
        Some(StopWordSource::Broadsheet)
    } else if !is_iso_639_1(code) || stop_words::lookup(code).is_none() {
        None
    } else if NLTK_CODES.contains(&code) {
        Some(StopWordSource::Nltk)
    } else {
        Some(StopWordSource::StopwordsIso)
    }
}

/// Whether `word` is something the analyses count as one unit: a single token of Broadsheet's
/// tokenizer spanning the whole word, or one or two CJK characters (a character or a bigram).
fn is_countable(word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    let n = word.chars().count();
    if n <= 2 && word.chars().all(is_cjk) {
        return true;
    }
    let mut tokens = token_spans(word);
    matches!((tokens.next(), tokens.next()), (Some(t), None) if t.start == 0 && t.end == word.len())
}

/// The revised list of one language in count form, sorted; `None` for an unknown code.
pub fn language_list(code: &str) -> Option<Vec<String>> {
    let base: &[&str] = if code == "ky" {
        crate::kyrgyz::KYRGYZ
    } else if is_iso_639_1(code) {
        stop_words::lookup(code)?
    } else {
        return None;
    };
    let revision = REVISIONS.iter().find(|r| r.lang == code);
    let removed: BTreeSet<String> = revision
        .map(|r| r.remove.iter().map(|w| count_form(w, code)).collect())
        .unwrap_or_default();
    let added = revision.map(|r| r.add).unwrap_or_default();
    let words: BTreeSet<String> = base
        .iter()
        .chain(added)
        .filter(|w| is_countable(w))
        .map(|w| count_form(w, code))
        .filter(|w| !w.is_empty() && !removed.contains(w))
        .collect();
    Some(words.into_iter().collect())
}

/// What a project records about its stop words: the languages whose lists are used, the
/// researcher's own additions (`extra`) and the words kept although a list has them (`keep`).
/// [`StopWords::from_settings`] rebuilds exactly the same list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StopWordSettings {
    /// ISO 639-1 codes, e.g. `["en", "ru"]`; [`AUTO`] stands for the languages of the corpus
    /// (those that have a list), resolved by [`StopWordSettings::resolved`] when an analysis
    /// runs.
    pub languages: Vec<String>,
    /// Words added to the lists.
    pub extra: Vec<String>,
    /// Words removed from the lists (and from `extra`): `keep` wins.
    pub keep: Vec<String>,
}

/// The language entry that stands for the corpus's own languages: new projects use it, so
/// that word lists leave out function words in every language of the corpus without setup.
pub const AUTO: &str = "auto";

impl StopWordSettings {
    /// The stop words of every language in the corpus (the default of new projects).
    pub fn corpus_languages() -> Self {
        StopWordSettings {
            languages: vec![AUTO.to_string()],
            ..Self::default()
        }
    }

    /// Whether the languages include [`AUTO`].
    pub fn is_auto(&self) -> bool {
        self.languages
            .iter()
            .any(|l| l.trim().eq_ignore_ascii_case(AUTO))
    }

    /// These settings with [`AUTO`] replaced by `corpus` (the corpus's language codes), kept
    /// only where a list exists: a corpus language without one (or unknown, `""`) adds
    /// nothing.
    pub fn resolved(&self, corpus: &[String]) -> Self {
        if !self.is_auto() {
            return self.clone();
        }
        let mut languages: Vec<String> = self
            .languages
            .iter()
            .filter(|l| !l.trim().eq_ignore_ascii_case(AUTO))
            .cloned()
            .collect();
        languages.extend(
            corpus
                .iter()
                .filter(|l| !l.is_empty() && language_list(l).is_some())
                .cloned(),
        );
        StopWordSettings {
            languages: sorted_unique(languages.into_iter()),
            ..self.clone()
        }
    }
}

/// A compiled stop-word list: the union of the chosen languages' lists and the extra words,
/// minus the kept words, all in count form.
#[derive(Debug, Clone)]
pub struct StopWords {
    settings: StopWordSettings,
    words: Vec<String>,
    set: FxHashSet<String>,
}

impl Default for StopWords {
    fn default() -> Self {
        Self::none()
    }
}

impl StopWords {
    /// No stop words at all.
    pub fn none() -> Self {
        Self {
            settings: StopWordSettings::default(),
            words: Vec::new(),
            set: FxHashSet::default(),
        }
    }

    /// The lists of `languages` plus `extra` minus `keep`.
    ///
    /// Extra and kept words are put in count form for each chosen language (only Persian's
    /// differs: ي/ك become ی/ک), so `keep` removes a word whatever its language. An extra word
    /// must be something the analyses count as one token (`LexisError::NotAToken` otherwise:
    /// `"new york"` could never match). Errors for an unknown language code.
    pub fn new(languages: &[&str], extra: &[&str], keep: &[&str]) -> Result<Self, LexisError> {
        Self::from_settings(&StopWordSettings {
            languages: languages.iter().map(|s| s.to_string()).collect(),
            extra: extra.iter().map(|s| s.to_string()).collect(),
            keep: keep.iter().map(|s| s.to_string()).collect(),
        })
    }

    /// Builds the list that `settings` describe (see [`StopWords::new`]). The stored settings
    /// are normalised: each field sorted, duplicates removed, language codes in lower case.
    pub fn from_settings(settings: &StopWordSettings) -> Result<Self, LexisError> {
        let languages: Vec<String> = sorted_unique(
            settings
                .languages
                .iter()
                .map(|l| l.trim().to_ascii_lowercase()),
        );
        let mut words = BTreeSet::new();
        for lang in &languages {
            let list =
                language_list(lang).ok_or_else(|| LexisError::UnknownLanguage(lang.clone()))?;
            words.extend(list);
        }
        let forms = |w: &str| -> BTreeSet<String> {
            let w = w.trim();
            std::iter::once(count_form(w, ""))
                .chain(languages.iter().map(|l| count_form(w, l)))
                .collect()
        };
        for w in &settings.extra {
            if !is_countable(w.trim()) {
                return Err(LexisError::NotAToken(w.clone()));
            }
            words.extend(forms(w));
        }
        for w in &settings.keep {
            for form in forms(w) {
                words.remove(&form);
            }
        }
        let words: Vec<String> = words.into_iter().filter(|w| !w.is_empty()).collect();
        let set = words.iter().cloned().collect();
        Ok(Self {
            settings: StopWordSettings {
                languages,
                extra: sorted_unique(settings.extra.iter().map(|w| w.trim().to_string())),
                keep: sorted_unique(settings.keep.iter().map(|w| w.trim().to_string())),
            },
            words,
            set,
        })
    }

    /// Whether `word`, already in count form, is a stop word (one hash lookup).
    pub fn contains(&self, word: &str) -> bool {
        self.set.contains(word)
    }

    /// Whether a token as it stands in a text of language `lang` is a stop word: its count
    /// form is looked up.
    pub fn contains_token(&self, token: &str, lang: &str) -> bool {
        !self.set.is_empty() && self.set.contains(&count_form(token, lang))
    }

    /// The languages whose lists are included, sorted.
    pub fn languages(&self) -> &[String] {
        &self.settings.languages
    }

    /// The (normalised) settings this list was built from.
    pub fn settings(&self) -> &StopWordSettings {
        &self.settings
    }

    /// All stop words, sorted (by code point).
    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// How many stop words there are.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// BLAKE3 (hex) of the sorted list, each word followed by a newline: the same words give
    /// the same fingerprint whichever settings produced them, so a methods appendix can cite
    /// exactly the list used.
    pub fn fingerprint(&self) -> String {
        let mut hasher = blake3::Hasher::new();
        for w in &self.words {
            hasher.update(w.as_bytes());
            hasher.update(b"\n");
        }
        hasher.finalize().to_hex().to_string()
    }
}

fn sorted_unique(items: impl Iterator<Item = String>) -> Vec<String> {
    let set: BTreeSet<String> = items.filter(|s| !s.is_empty()).collect();
    set.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_required_languages_are_available() {
        let available = available_languages();
        for code in ["en", "ru", "fa", "ar", "ky", "de", "fr", "es", "pt"] {
            assert!(available.contains(&code), "{code} missing");
            let list = language_list(code).unwrap();
            assert!(list.len() >= 100, "{code}: only {} words", list.len());
        }
        assert!(available.windows(2).all(|w| w[0] < w[1]), "sorted, unique");
        assert!(available.iter().all(|c| c.len() == 2));
        assert_eq!(source("en"), Some(StopWordSource::Nltk));
        assert_eq!(source("fa"), Some(StopWordSource::StopwordsIso));
        assert_eq!(source("ky"), Some(StopWordSource::Broadsheet));
        assert_eq!(source("xx"), None);
        assert_eq!(source("hinglish"), None);
        assert_eq!(language_list("xx"), None);
    }

    #[test]
    fn every_nltk_code_is_a_list() {
        for code in NLTK_CODES {
            assert!(stop_words::lookup(code).is_some(), "{code}");
        }
    }

    #[test]
    fn lists_hold_count_forms_of_single_tokens() {
        for code in available_languages() {
            for w in language_list(code).unwrap() {
                assert_eq!(
                    count_form(&w, code),
                    w,
                    "{code}: {w:?} is not in count form"
                );
                assert!(is_countable(&w), "{code}: {w:?} is not one token");
            }
        }
    }

    #[test]
    fn english() {
        let sw = StopWords::new(&["en"], &[], &[]).unwrap();
        for w in ["the", "and", "of", "don", "t", "aren"] {
            assert!(sw.contains(w), "{w}");
        }
        // "aren't" is two tokens in Broadsheet and cannot be a stop word.
        assert!(!sw.contains("aren't"));
        assert!(!sw.contains("kyrgyzstan"));
        assert!(sw.contains_token("The", "en"));
        assert!(!sw.contains("The"), "contains() expects the count form");
    }

    #[test]
    fn russian_review() {
        let ru = language_list("ru").unwrap();
        let has = |w: &str| ru.binary_search(&w.to_string()).is_ok();
        for w in [
            "и",
            "в",
            "не",
            "это",
            "который",
            "также",
            "её",
            "ее",
            "ещё",
            "еще",
            "всё",
        ] {
            assert!(has(w), "{w}");
        }
        for w in ["россия", "москва", "война", "путин", "украины"] {
            assert!(!has(w), "{w} is a content word");
        }
    }

    #[test]
    fn persian_review_and_letters() {
        let sw = StopWords::new(&["fa"], &[], &[]).unwrap();
        // Persian letters only: the ISO list's Arabic-letter spellings are folded.
        assert!(sw
            .words()
            .iter()
            .all(|w| !w.contains('\u{064A}') && !w.contains('\u{0643}')));
        // که with Arabic kaf in a Persian text is found through its count form.
        assert!(sw.contains("که"));
        assert!(sw.contains_token("\u{0643}\u{0647}", "fa"));
        // ZWNJ spellings and the added prefixed verbs.
        assert!(sw.contains_token("می\u{200C}شود", "fa"));
        assert!(sw.contains("میکند"));
        // Removed content words; punctuation and two-word entries dropped.
        for w in ["مردم", "خدمات", "جناح", "حق", "بزرگ", "جدید", "آباد"]
        {
            assert!(!sw.contains(w), "{w}");
        }
        assert!(sw
            .words()
            .iter()
            .all(|w| is_countable(w) && !w.contains(' ')));
        assert!(!sw.contains("،"));
    }

    #[test]
    fn arabic_review() {
        let sw = StopWords::new(&["ar"], &[], &[]).unwrap();
        assert!(sw.contains("في") && sw.contains("التي") && sw.contains("هذا"));
        // Harakat removed: هَذا in the list is stored as هذا.
        assert!(sw.words().iter().all(|w| !w.contains('\u{064E}')));
        for w in ["دولار", "ذهب", "علم", "شمال"] {
            assert!(!sw.contains(w), "{w}");
        }
        // Arabic keeps its own ي: not folded as for Persian.
        assert!(sw.contains("الذي"));
    }

    #[test]
    fn kyrgyz_list() {
        let ky = language_list("ky").unwrap();
        assert!(ky.len() >= 100);
        assert_eq!(ky.len(), crate::kyrgyz::KYRGYZ.len(), "no duplicates");
        // Cyrillic letters only, with the Kyrgyz ө ү ң.
        assert!(ky.iter().all(|w| w
            .chars()
            .all(|c| ('а'..='я').contains(&c) || matches!(c, 'ё' | 'ө' | 'ү' | 'ң'))));
        for w in [
            "жана",
            "менен",
            "үчүн",
            "бул",
            "ал",
            "да",
            "дагы",
            "деп",
            "эле",
            "болуп",
        ] {
            assert!(ky.binary_search(&w.to_string()).is_ok(), "{w}");
        }
    }

    #[test]
    fn extra_and_keep() {
        let sw = StopWords::new(&["en", "ru"], &["Said", "заявил"], &["not", "против"]).unwrap();
        assert!(sw.contains("said") && sw.contains("заявил"));
        assert!(!sw.contains("not") && !sw.contains("против"));
        assert!(sw.contains("the") && sw.contains("и"));
        assert_eq!(sw.languages(), ["en", "ru"]);
        // keep wins over extra.
        let sw = StopWords::new(&[], &["x"], &["x"]).unwrap();
        assert!(sw.is_empty());
        // A Persian extra with Arabic letters is stored in both forms when Persian is chosen,
        // and keep removes both.
        let sw = StopWords::new(&["fa", "ar"], &["\u{0643}\u{062A}\u{0628}"], &[]).unwrap();
        assert!(sw.contains("\u{0643}\u{062A}\u{0628}") && sw.contains("\u{06A9}\u{062A}\u{0628}"));
        let sw = StopWords::new(&["fa"], &[], &["\u{0643}\u{0647}"]).unwrap();
        assert!(!sw.contains("که"));
    }

    #[test]
    fn errors() {
        assert_eq!(
            StopWords::new(&["xx"], &[], &[]).unwrap_err(),
            LexisError::UnknownLanguage("xx".into())
        );
        assert_eq!(
            StopWords::new(&["en"], &["new york"], &[]).unwrap_err(),
            LexisError::NotAToken("new york".into())
        );
        assert!(StopWords::new(&["en"], &[""], &[]).is_err());
        // Codes are trimmed and lower-cased.
        assert!(StopWords::new(&[" EN "], &[], &[]).is_ok());
    }

    #[test]
    fn settings_round_trip_and_fingerprint() {
        let settings = StopWordSettings {
            languages: vec!["ru".into(), "en".into(), "en".into()],
            extra: vec!["said".into()],
            keep: vec!["not".into()],
        };
        let sw = StopWords::from_settings(&settings).unwrap();
        assert_eq!(sw.settings().languages, ["en", "ru"]);
        let json = serde_json::to_string(sw.settings()).unwrap();
        let back: StopWordSettings = serde_json::from_str(&json).unwrap();
        let again = StopWords::from_settings(&back).unwrap();
        assert_eq!(again.words(), sw.words());
        assert_eq!(again.fingerprint(), sw.fingerprint());
        assert_eq!(sw.fingerprint().len(), 64);
        // Missing fields default.
        let partial: StopWordSettings = serde_json::from_str(r#"{"languages":["de"]}"#).unwrap();
        assert!(StopWords::from_settings(&partial).unwrap().contains("und"));
        // Order of languages does not matter; contents do.
        let a = StopWords::new(&["en", "ru"], &[], &[]).unwrap();
        let b = StopWords::new(&["ru", "en"], &[], &[]).unwrap();
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert_ne!(
            a.fingerprint(),
            StopWords::new(&["en"], &[], &[]).unwrap().fingerprint()
        );
        // The empty list has the BLAKE3 hash of no bytes.
        assert_eq!(
            StopWords::none().fingerprint(),
            "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262"
        );
        assert!(a.words().windows(2).all(|w| w[0] < w[1]));
    }

    /// The shipped lists are data a methods appendix cites: a change to them (a new version of
    /// the `stop-words` crate, a revision, a change to the count form) must be deliberate and
    /// show up here.
    #[test]
    fn fingerprints_of_the_shipped_lists_are_pinned() {
        let pinned = [
            (
                "ar",
                612,
                "eaddea439900b727913335748db41802597f10e2831616866fae68b0a6cda24f",
            ),
            (
                "de",
                232,
                "d8ee98dfeae780d9448f2d8b072d79c7907ad4f3540a08711a92183bd2aa8c61",
            ),
            (
                "en",
                153,
                "e65e7c85a57854758394be39211c3ec723287236531bb70cba58bf422d001502",
            ),
            (
                "es",
                313,
                "20a35123765e33b1c249d853f1f5dca91c86a1c2d3534cfb78716940e3952065",
            ),
            (
                "fa",
                697,
                "6acf3768b8d5a4b6dad5c1bacadb778f2f17afeaf510b0ff8ae5a27793a88a19",
            ),
            (
                "fr",
                157,
                "aa3a587beb8adc50f5365316ada3613512a7d88b4b94119c3e0fa672025d0e31",
            ),
            (
                "ky",
                171,
                "672fa465a4a1126f500e397c9c55bfdd984d254a3409227c377eebf30c1dc9cf",
            ),
            (
                "pt",
                207,
                "6d8b3d5a2a7ae9941089d5757a2ff1f6ee9f1651b752225179743dda7da5c315",
            ),
            (
                "ru",
                222,
                "1e4b6707567afdfbc1b1caa63fcc56c286547c50bee948cf2fd54e12a13cd020",
            ),
        ];
        for (code, len, fingerprint) in pinned {
            let sw = StopWords::new(&[code], &[], &[]).unwrap();
            assert_eq!(
                (sw.len(), sw.fingerprint().as_str()),
                (len, fingerprint),
                "{code}"
            );
        }
    }

    #[test]
    fn cjk_entries_match_characters_and_bigrams() {
        let zh = language_list("zh").unwrap();
        assert!(!zh.is_empty());
        assert!(zh
            .iter()
            .all(|w| w.chars().count() <= 2 || !w.chars().all(is_cjk)));
    }
}
