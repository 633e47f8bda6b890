//! Language detection (whatlang: trigram profiles, no model files) with ISO 639-1 codes.

use whatlang::Lang;

/// A detected language: an ISO 639-1 code where one exists (else 639-3) and whatlang's
/// confidence between 0 and 1.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Detected {
    pub code: &'static str,
    pub confidence: f64,
}

/// How many characters of an article are enough to tell its language.
const SAMPLE_CHARS: usize = 3000;

/// Below this confidence a detection is dropped (the article's language stays unknown).
pub const MIN_CONFIDENCE: f64 = 0.5;

/// Detects the language of a text from its first few thousand characters; `None` when the text
/// is too short or ambiguous to say.
pub fn detect_language(text: &str) -> Option<Detected> {
    let end = text
        .char_indices()
        .nth(SAMPLE_CHARS)
        .map(|(i, _)| i)
        .unwrap_or(text.len());
    let sample = &text[..end];
    if sample.chars().filter(|c| c.is_alphabetic()).count() < 8 {
        return None;
    }
    let info = whatlang::detect(sample)?;
    // Short news blurbs give weak guesses (Afrikaans for an English headline); an unknown
    // language is better than a wrong one.
    if info.confidence() < MIN_CONFIDENCE {
        return None;
    }
    // whatlang rounds confidence; keep three decimals so stored values are stable.
    let confidence = (info.confidence() * 1000.0).round() / 1000.0;
    Some(Detected {
        code: iso639_1(info.lang()),
        confidence,
    })
}

/// ISO 639-1 code of a whatlang language, or its 639-3 code where 639-1 has none.
pub fn iso639_1(lang: Lang) -> &'static str {
    use Lang::*;
    match lang {
        Eng => "en",
        Rus => "ru",
        Pes => "fa",
        Ara => "ar",
        Deu => "de",
        Fra => "fr",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Nld => "nl",
        Tur => "tr",
        Ukr => "uk",
        Bel => "be",
        Bul => "bg",
        Srp => "sr",
        Mkd => "mk",
        Pol => "pl",
        Ces => "cs",
        Slk => "sk",
        Slv => "sl",
        Hrv => "hr",
        Hun => "hu",
        Ron => "ro",
        Ell => "el",
        Heb => "he",
        Yid => "yi",
        Urd => "ur",
        Hin => "hi",
        Ben => "bn",
        Pan => "pa",
        Guj => "gu",
        Ori => "or",
        Tam => "ta",
        Tel => "te",
        Kan => "kn",
        Mal => "ml",
        Sin => "si",
        Mar => "mr",
        Nep => "ne",
        Cmn => "zh",
        Jpn => "ja",
        Kor => "ko",
        Vie => "vi",
        Tha => "th",
        Khm => "km",
        Mya => "my",
        Ind => "id",
        Jav => "jv",
        Tgl => "tl",
        Swe => "sv",
        Dan => "da",
        Nob => "nb",
        Fin => "fi",
        Est => "et",
        Lav => "lv",
        Lit => "lt",
        Kat => "ka",
        Hye => "hy",
        Aze => "az",
        Uzb => "uz",
        Tuk => "tk",
        Amh => "am",
        Afr => "af",
        Zul => "zu",
        Sna => "sn",
        Aka => "ak",
        Lat => "la",
        Epo => "eo",
        Cat => "ca",
        other => other.code(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn weak_guesses_are_dropped() {
        // One short Russian sentence scores 0.42 against Ukrainian and Belarusian.
        assert_eq!(
            detect_language(
                "Министр обороны России заявил, что Москва перевооружает армию Киргизии."
            ),
            None
        );
    }

    #[test]
    fn too_short_is_unknown() {
        assert_eq!(detect_language("ok"), None);
        assert_eq!(detect_language(""), None);
    }
}
