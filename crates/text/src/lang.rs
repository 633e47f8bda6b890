//! Language detection: whatlang (trigram profiles, no model files) for the languages it knows,
//! a letter-and-word model for the Cyrillic languages of Central Asia and its neighbours that
//! whatlang lacks (Kyrgyz, Kazakh, Tajik, Uzbek, Mongolian, Tatar, Bashkir), and a
//! minimum-evidence rule: a text too short, too numeric or too close between two languages is
//! [`Insufficient`], never a confident guess. Codes are ISO 639-1 (else 639-3).

use whatlang::Lang;

use crate::cyrillic;

/// A detected language: an ISO 639-1 code where one exists (else 639-3) and the detector's
/// confidence between 0 and 1.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Detected {
    pub code: &'static str,
    pub confidence: f64,
}

/// Why a text's language was not told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Insufficient {
    /// Fewer than [`MIN_LETTERS`] letters.
    TooShort,
    /// Letters are a small share of the text (tables of figures, codes).
    TooNumeric,
    /// The two best guesses are too close (or no language fits).
    Unclear,
}

/// How many characters of an article are read to tell its language (chosen by measurement:
/// docs/ARCHITECTURE.md, "Languages: tags, detection, minimum evidence").
pub const SAMPLE_CHARS: usize = 1000;

/// Fewer letters than this are too few to tell a language.
pub const MIN_LETTERS: usize = 40;

/// Below this share of word tokens (two letters or more, letters outnumbering other
/// characters) among all tokens a text is too numeric to tell.
pub const MIN_WORD_SHARE: f64 = 0.6;

/// At this share of digits among letters and digits or more, a text is too numeric to tell
/// (Reuters earnings tables: "Shr 30 cts vs 25 cts Net 1,234,000 vs 1,100,000").
pub const MAX_DIGIT_SHARE: f64 = 0.2;

/// Below this confidence a detection is insufficient: whatlang's confidence is the relative gap
/// between its two best languages' scores, scaled by the text's length.
pub const MIN_CONFIDENCE: f64 = 0.9;

/// [`char::is_alphabetic`], without the table search for ASCII, the Cyrillic letters and the
/// Arabic letters (a test holds it equal for every character).
pub(crate) fn is_letter(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_alphabetic(),
        0x400..=0x481 | 0x48A..=0x4FF | 0x620..=0x64A => true,
        _ => c.is_alphabetic(),
    }
}

/// Detects the language of a text from its first [`SAMPLE_CHARS`] characters.
pub fn detect_language(text: &str) -> Result<Detected, Insufficient> {
    detect_language_in(text, SAMPLE_CHARS)
}

/// [`detect_language`] on the first `max_chars` characters.
pub fn detect_language_in(text: &str, max_chars: usize) -> Result<Detected, Insufficient> {
    let sample = prefix(text, max_chars);
    check_evidence(sample)?;
    if let Some(verdict) = cyrillic::classify(sample) {
        return verdict;
    }
    whatlang_guess(sample)
}

/// whatlang alone on the first `max_chars` characters, with only the confidence threshold and
/// an 8-letter minimum (the detector before the regional model; kept for measurements).
pub fn detect_whatlang_only(text: &str, max_chars: usize) -> Option<Detected> {
    let sample = prefix(text, max_chars);
    if sample.chars().filter(|c| is_letter(*c)).count() < 8 {
        return None;
    }
    whatlang_guess(sample).ok()
}

/// Whether a text is written in a script that language `code` is written in: at least a third
/// of the letters of its first [`SAMPLE_CHARS`] characters, links left out, are in one of that
/// language's scripts. An English text does not fit Kyrgyz; a Russian post full of Latin links
/// and handles fits Russian. A text with no letters fits every language.
pub fn fits_script(code: &str, text: &str) -> bool {
    let (mut fit, mut all) = (0usize, 0usize);
    for token in prefix(text, SAMPLE_CHARS).split_whitespace() {
        if token.contains("://") || token.contains("www.") {
            continue;
        }
        let Some(script) = whatlang::detect_script(token) else {
            continue;
        };
        let letters = token.chars().filter(|c| is_letter(*c)).count();
        all += letters;
        if (script == whatlang::Script::Cyrillic && cyrillic::is_modelled(code))
            || script.langs().iter().any(|l| iso639_1(*l) == code)
        {
            fit += letters;
        }
    }
    all == 0 || 3 * fit >= all
}

fn prefix(text: &str, max_chars: usize) -> &str {
    let end = text
        .char_indices()
        .nth(max_chars)
        .map(|(i, _)| i)
        .unwrap_or(text.len());
    &text[..end]
}

/// Whether a sample has enough letters, and enough words among its tokens, to tell.
fn check_evidence(sample: &str) -> Result<(), Insufficient> {
    let letters = sample.chars().filter(|c| is_letter(*c)).count();
    if letters < MIN_LETTERS {
        return Err(Insufficient::TooShort);
    }
    let digits = sample.chars().filter(char::is_ascii_digit).count();
    if digits as f64 >= MAX_DIGIT_SHARE * (letters + digits) as f64 {
        return Err(Insufficient::TooNumeric);
    }
    let (mut tokens, mut words) = (0usize, 0usize);
    for t in sample.split_whitespace() {
        tokens += 1;
        let l = t.chars().filter(|c| is_letter(*c)).count();
        if l >= 2 && 2 * l > t.chars().count() {
            words += 1;
        }
    }
    if (words as f64) < MIN_WORD_SHARE * tokens as f64 {
        return Err(Insufficient::TooNumeric);
    }
    Ok(())
}

fn whatlang_guess(sample: &str) -> Result<Detected, Insufficient> {
    let info = whatlang::detect(sample).ok_or(Insufficient::Unclear)?;
    // Short news blurbs give weak guesses (Afrikaans for an English headline); an unknown
    // language is better than a wrong one.
    if info.confidence() < MIN_CONFIDENCE {
        return Err(Insufficient::Unclear);
    }
    Ok(Detected {
        code: iso639_1(info.lang()),
        confidence: round3(info.confidence()),
    })
}

/// Confidence kept to three decimals so stored values are stable.
pub(crate) fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// ISO 639-1 code of a whatlang language, or its 639-3 code where 639-1 has none (whatlang's
/// `pes` and `cmn` are the macrolanguages' `fa` and `zh`).
pub fn iso639_1(lang: Lang) -> &'static str {
    crate::langtag::language_code(lang.code()).unwrap_or(lang.code())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_letters_are_the_alphabetic_characters() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_letter(c), c.is_alphabetic(), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn detects_the_project_languages() {
        let en = detect_language(
            "Russian Defense Minister Sergei Shoigu says Moscow is actively re-equipping the armed forces of Kyrgyzstan.",
        )
        .unwrap();
        assert_eq!(en.code, "en");
        let ru = detect_language(
            "Министр обороны России заявил, что Москва перевооружает армию Киргизии. \
             По его словам, ситуация в Афганистане ухудшается из-за появления там боевиков.",
        )
        .unwrap();
        assert_eq!(ru.code, "ru");
        let fa = detect_language("به گزارش خبرگزاری فارس، رئیس اداره کل دفاتر خدمات بانکی پست بانک گفت که این طرح اجرا می‌شود").unwrap();
        assert_eq!(fa.code, "fa");
        assert!(fa.confidence > 0.0 && fa.confidence <= 1.0);
    }

    #[test]
    fn short_russian_is_told_by_its_letters() {
        // whatlang alone scores this 0.42 against Ukrainian and Belarusian; ы and э, with no
        // і, ў or ъ, leave no doubt.
        let text = "Министр обороны России заявил, что Москва перевооружает армию Киргизии.";
        assert_eq!(detect_whatlang_only(text, 1000), None);
        assert_eq!(detect_language(text).unwrap().code, "ru");
    }

    #[test]
    fn a_text_fits_only_the_languages_of_its_script() {
        assert!(!fits_script(
            "ky",
            "Officials in Bishkek said the talks would resume"
        ));
        assert!(fits_script(
            "en",
            "Officials in Bishkek said the talks would resume"
        ));
        assert!(fits_script(
            "ky",
            "Бишкекте сүйлөшүүлөр кийинки жумада уланат"
        ));
        assert!(fits_script("ru", "Бишкекте"));
        assert!(!fits_script("ru", "گفتگوها ادامه می‌یابد"));
        assert!(fits_script("fa", "گفتگوها ادامه می‌یابد"));
        assert!(fits_script("ky", "12 345 — 6,7%"));
        // Links and handles do not outvote the words around them.
        assert!(fits_script(
            "ru",
            "Тарифы [взлетят](https://riamo.ru/news/zhkh/tarify-na-elektroenergiju) в Москве с 1 июля"
        ));
        assert!(fits_script(
            "ru",
            "Победители конкурса получают наушники: @zhekka1 @fettily @nenad070794 @arissawf"
        ));
    }

    #[test]
    fn too_short_is_insufficient() {
        assert_eq!(detect_language("ok"), Err(Insufficient::TooShort));
        assert_eq!(detect_language(""), Err(Insufficient::TooShort));
        // Letters are counted, not bytes: 30 Cyrillic letters are 60 bytes.
        assert_eq!(
            detect_language("Бишкекте жамгыр жаады бүгүн кечинде"),
            Err(Insufficient::TooShort)
        );
    }

    #[test]
    fn numeric_earnings_table_is_insufficient() {
        // Reuters earnings items: whatlang calls many of them French or Latin.
        let table = "Shr 30 cts vs 25 cts\nNet 1,234,000 vs 1,100,000\nRevs 12.3 mln vs 11.1 mln\n\
                     Nine mths\nShr 1.06 dlrs vs 84 cts\nNet 8,939,000 vs 7,345,000\nRevs 214.7 mln vs 175.4 mln";
        assert_eq!(detect_language(table), Err(Insufficient::TooNumeric));
    }

    #[test]
    fn whatlang_codes_read_back_as_themselves() {
        // Every code the detector can store is what tag normalisation makes of it, so a filter
        // on a detected language always matches.
        for lang in Lang::all() {
            let code = iso639_1(*lang);
            assert_eq!(crate::language_code(code), Some(code), "{lang:?}");
        }
    }
}
