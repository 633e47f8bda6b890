//! Language tags as exports write them (`en-US`, `pt_BR`, `eng`, `per`, `English`, `Русский`,
//! `فارسی`) turned into the one code Broadsheet stores and filters on: ISO 639-1 where the
//! language has one, else ISO 639-3. The ISO 639 tables (codes, English names, autonyms) are
//! isolang's; 639-2/B codes, macrolanguage members and the usual other spellings of the region's
//! names are added here.

use std::collections::HashMap;
use std::sync::LazyLock;

/// Tags that say "no particular language": treated as no tag at all (the text is detected).
const UNDETERMINED: &[&str] = &[
    "und", "mul", "zxx", "mis", "unknown", "n/a", "none", "null", "-",
];

/// ISO 639-2/B codes (bibliographic) that differ from the /T ones isolang knows.
const ISO639_2B: &[(&str, &str)] = &[
    ("alb", "sq"),
    ("arm", "hy"),
    ("baq", "eu"),
    ("bur", "my"),
    ("chi", "zh"),
    ("cze", "cs"),
    ("dut", "nl"),
    ("fre", "fr"),
    ("geo", "ka"),
    ("ger", "de"),
    ("gre", "el"),
    ("ice", "is"),
    ("mac", "mk"),
    ("mao", "mi"),
    ("may", "ms"),
    ("per", "fa"),
    ("rum", "ro"),
    ("slo", "sk"),
    ("tib", "bo"),
    ("wel", "cy"),
];

/// ISO 639-3 individual languages folded into their macrolanguage's 639-1 code, as detectors
/// and most tools do. Dari (`prs`) is written Persian as used in Afghanistan: same script, same
/// written standard, detected as Persian and folded, searched and stop-worded as Persian, so it
/// is `fa`; the raw tag stays in `extra.language_raw` for who needs to tell them apart.
const MACRO_MEMBERS: &[(&str, &str)] = &[
    ("arb", "ar"),
    ("azb", "az"),
    ("azj", "az"),
    ("cmn", "zh"),
    ("ekk", "et"),
    ("khk", "mn"),
    ("kmr", "ku"),
    ("lvs", "lv"),
    ("npi", "ne"),
    ("ory", "or"),
    ("pbt", "ps"),
    ("pbu", "ps"),
    ("pes", "fa"),
    ("plt", "mg"),
    ("prs", "fa"),
    ("pst", "ps"),
    ("swh", "sw"),
    ("uzn", "uz"),
    ("uzs", "uz"),
    ("ydd", "yi"),
    ("zsm", "ms"),
];

/// Names as people write them that ISO's English names or isolang's autonyms do not cover:
/// common English spellings, names with and without "language", and the region's languages in
/// their own scripts (both Uzbek alphabets, Kazakh and Kyrgyz as people call them).
const NAMES: &[(&str, &str)] = &[
    ("farsi", "fa"),
    ("dari", "fa"),
    ("parsi", "fa"),
    ("فارسی", "fa"),
    ("فارسي", "fa"),
    ("دری", "fa"),
    ("پارسی", "fa"),
    ("kyrgyz", "ky"),
    ("kirgiz", "ky"),
    ("kirghiz", "ky"),
    ("кыргызча", "ky"),
    ("кыргыз тили", "ky"),
    ("кыргызский", "ky"),
    ("киргизский", "ky"),
    ("қазақша", "kk"),
    ("казахский", "kk"),
    ("казакча", "kk"),
    ("qazaqsha", "kk"),
    ("qazaq tili", "kk"),
    ("тоҷикӣ", "tg"),
    ("тоҷики", "tg"),
    ("забони тоҷикӣ", "tg"),
    ("таджикский", "tg"),
    ("tajiki", "tg"),
    ("tojiki", "tg"),
    ("o'zbekcha", "uz"),
    ("o'zbek tili", "uz"),
    ("ozbekcha", "uz"),
    ("ўзбекча", "uz"),
    ("ўзбек тили", "uz"),
    ("узбекский", "uz"),
    ("uzbek (latin)", "uz"),
    ("uzbek (cyrillic)", "uz"),
    ("türkmençe", "tk"),
    ("turkmence", "tk"),
    ("туркменский", "tk"),
    ("русский", "ru"),
    ("русский язык", "ru"),
    ("russkiy", "ru"),
    ("pashto", "ps"),
    ("pushtu", "ps"),
    ("پښتو", "ps"),
    ("urdu", "ur"),
    ("اردو", "ur"),
    ("العربية", "ar"),
    ("عربي", "ar"),
    ("türkçe", "tr"),
    ("turkce", "tr"),
    ("azeri", "az"),
    ("azərbaycanca", "az"),
    ("azərbaycan dili", "az"),
    ("монгол хэл", "mn"),
    ("уйгурча", "ug"),
    ("uyghur", "ug"),
    ("uighur", "ug"),
    ("ئۇيغۇرچە", "ug"),
    ("татарча", "tt"),
    ("башҡортса", "ba"),
    ("українська мова", "uk"),
    ("беларуская", "be"),
    ("greek", "el"),
    ("ελληνικά", "el"),
    ("punjabi", "pa"),
    ("khmer", "km"),
    ("sinhala", "si"),
    ("castilian", "es"),
    ("español", "es"),
    ("castellano", "es"),
    ("português", "pt"),
    ("portugues", "pt"),
    ("brazilian portuguese", "pt"),
    ("français", "fr"),
    ("francais", "fr"),
    ("italiano", "it"),
    ("nederlands", "nl"),
    ("flemish", "nl"),
    ("svenska", "sv"),
    ("norsk", "no"),
    ("norwegian", "no"),
    ("dansk", "da"),
    ("suomi", "fi"),
    ("čeština", "cs"),
    ("slovenčina", "sk"),
    ("magyar", "hu"),
    ("română", "ro"),
    ("romana", "ro"),
    ("moldovan", "ro"),
    ("български", "bg"),
    ("српски", "sr"),
    ("srpski", "sr"),
    ("hrvatski", "hr"),
    ("bosanski", "bs"),
    ("македонски", "mk"),
    ("עברית", "he"),
    ("हिन्दी", "hi"),
    ("বাংলা", "bn"),
    ("bahasa indonesia", "id"),
    ("bahasa melayu", "ms"),
    ("malay", "ms"),
    ("tiếng việt", "vi"),
    ("ภาษาไทย", "th"),
    ("日本語", "ja"),
    ("한국어", "ko"),
    ("中文", "zh"),
    ("汉语", "zh"),
    ("漢語", "zh"),
    ("简体中文", "zh"),
    ("繁體中文", "zh"),
    ("mandarin", "zh"),
    ("chinese (simplified)", "zh"),
    ("chinese (traditional)", "zh"),
    ("kiswahili", "sw"),
    ("swahili", "sw"),
    ("ქართული", "ka"),
    ("հայերեն", "hy"),
    ("persian (farsi)", "fa"),
];

/// Every spelling this module understands, folded by [`key`], with its code.
static TABLE: LazyLock<HashMap<String, &'static str>> = LazyLock::new(build_table);

fn build_table() -> HashMap<String, &'static str> {
    let mut t: HashMap<String, &'static str> = HashMap::new();
    // ISO names and autonyms of the languages that have a 639-1 code; other ISO names are
    // thousands of small languages whose names are also English words ("Even", "Are").
    for lang in isolang::languages() {
        let Some(code) = lang.to_639_1() else {
            continue;
        };
        for name in [Some(lang.to_name()), lang.to_autonym()]
            .into_iter()
            .flatten()
        {
            t.entry(key(name)).or_insert(code);
            // "Modern Greek (1453-)", "Kirghiz; Kyrgyz"-style qualifiers.
            if let Some(short) = name.split(['(', ';', ',']).next() {
                t.entry(key(short)).or_insert(code);
            }
        }
    }
    // Explicit names win over the generated ones.
    for (name, code) in NAMES {
        t.insert(key(name), code);
    }
    t
}

/// The form names are compared in: trimmed, lower case, apostrophe-like letters as `'`, runs of
/// spaces as one, a trailing "language"/"язык" dropped.
fn key(s: &str) -> String {
    let lower: String = s
        .trim()
        .chars()
        .map(|c| match c {
            'ʻ' | 'ʼ' | '‘' | '’' | '`' | '´' => '\'',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let words = match words.split_last() {
        Some((last, rest)) if !rest.is_empty() && matches!(*last, "language" | "язык") => rest,
        _ => &words[..],
    };
    words.join(" ")
}

/// Whether a tag says "no particular language" (`und`, `mul`, `zxx`, `unknown`, empty).
pub fn is_undetermined_tag(tag: &str) -> bool {
    let k = key(tag);
    k.is_empty() || UNDETERMINED.contains(&k.as_str())
}

/// The code of a language tag or name: ISO 639-1 where the language has one (`en-US` → `en`,
/// `eng` → `en`, `per` → `fa`, `Русский` → `ru`), else ISO 639-3 (`Dungan` → `dng`). `None`
/// when the tag names no language this module knows (and for undetermined tags such as `und`).
pub fn language_code(tag: &str) -> Option<&'static str> {
    if is_undetermined_tag(tag) {
        return None;
    }
    code_from_subtags(tag).or_else(|| TABLE.get(&key(tag)).copied())
}

/// A BCP 47 tag or POSIX locale (`zh-Hans-CN`, `pt_BR.UTF-8`, `sr@latin`): its primary subtag
/// read as an ISO 639 code.
fn code_from_subtags(tag: &str) -> Option<&'static str> {
    let tag = tag.trim();
    let tag = tag.split(['.', '@']).next().unwrap_or(tag);
    let mut parts = tag.split(['-', '_']);
    let primary = parts.next()?.to_ascii_lowercase();
    if !(2..=3).contains(&primary.len()) || !primary.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    // The remaining subtags must look like BCP 47 ones (script, region, variant): `en-US`, not
    // `en dash`.
    if !parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric())) {
        return None;
    }
    iso_code(&primary)
}

/// The code of one ISO 639 code (639-1, 639-2/T, 639-2/B or 639-3), lower case.
fn iso_code(code: &str) -> Option<&'static str> {
    let lookup =
        |list: &[(&str, &'static str)]| list.iter().find(|(c, _)| *c == code).map(|(_, to)| *to);
    if let Some(c) = lookup(ISO639_2B).or_else(|| lookup(MACRO_MEMBERS)) {
        return Some(c);
    }
    // "iw", "in", "ji": withdrawn 639-1 codes still written by old Java locales.
    match code {
        "iw" => return Some("he"),
        "in" => return Some("id"),
        "ji" => return Some("yi"),
        "mo" => return Some("ro"),
        _ => {}
    }
    let lang = match code.len() {
        2 => isolang::Language::from_639_1(code)?,
        _ => isolang::Language::from_639_3(code)?,
    };
    Some(lang.to_639_1().unwrap_or_else(|| lang.to_639_3()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (tag as found in exports, code) — every form the issue names, and the usual others.
    const CASES: &[(&str, &str)] = &[
        // BCP 47 and locales, any case, `-` or `_`.
        ("en", "en"),
        ("EN", "en"),
        ("en-US", "en"),
        ("en-gb", "en"),
        ("pl-PL", "pl"),
        ("fa-IR", "fa"),
        ("pt_BR", "pt"),
        ("zh-Hans-CN", "zh"),
        ("zh-TW", "zh"),
        ("sr-Latn", "sr"),
        ("uz-Cyrl-UZ", "uz"),
        ("ky-KG", "ky"),
        ("de_DE.UTF-8", "de"),
        ("sr@latin", "sr"),
        ("iw", "he"),
        // ISO 639-2/T, /B and 639-3.
        ("eng", "en"),
        ("ENG", "en"),
        ("rus", "ru"),
        ("fas", "fa"),
        ("per", "fa"),
        ("pes", "fa"),
        ("prs", "fa"),
        ("kir", "ky"),
        ("kaz", "kk"),
        ("tgk", "tg"),
        ("uzb", "uz"),
        ("uzn", "uz"),
        ("ara", "ar"),
        ("arb", "ar"),
        ("tur", "tr"),
        ("tuk", "tk"),
        ("ger", "de"),
        ("deu", "de"),
        ("fre", "fr"),
        ("chi", "zh"),
        ("zho", "zh"),
        ("cmn", "zh"),
        ("pus", "ps"),
        ("urd", "ur"),
        ("uig", "ug"),
        ("dng", "dng"),
        ("dng-KG", "dng"),
        // Names in English and in the language itself.
        ("English", "en"),
        ("english", "en"),
        ("ENGLISH", "en"),
        ("English language", "en"),
        ("Russian", "ru"),
        ("Русский", "ru"),
        ("русский язык", "ru"),
        ("Persian", "fa"),
        ("Farsi", "fa"),
        ("فارسی", "fa"),
        ("Dari", "fa"),
        ("Kyrgyz", "ky"),
        ("Kirghiz", "ky"),
        ("Кыргызча", "ky"),
        ("Kazakh", "kk"),
        ("Қазақша", "kk"),
        ("қазақ тілі", "kk"),
        ("Tajik", "tg"),
        ("Тоҷикӣ", "tg"),
        ("Uzbek", "uz"),
        ("Oʻzbekcha", "uz"),
        ("O‘zbekcha", "uz"),
        ("O'zbekcha", "uz"),
        ("Ўзбекча", "uz"),
        ("Arabic", "ar"),
        ("العربية", "ar"),
        ("Turkish", "tr"),
        ("Türkçe", "tr"),
        ("Turkmen", "tk"),
        ("Türkmen dili", "tk"),
        ("Azerbaijani", "az"),
        ("Pashto", "ps"),
        ("Pushto", "ps"),
        ("پښتو", "ps"),
        ("Urdu", "ur"),
        ("اردو", "ur"),
        ("Uyghur", "ug"),
        ("Mongolian", "mn"),
        ("Ukrainian", "uk"),
        ("Українська", "uk"),
        ("Chinese", "zh"),
        ("中文", "zh"),
        ("German", "de"),
        ("Deutsch", "de"),
        ("Polish", "pl"),
        ("Polski", "pl"),
        ("French", "fr"),
        ("Français", "fr"),
        ("Spanish", "es"),
        ("Español", "es"),
        ("Portuguese", "pt"),
        ("Português", "pt"),
        ("Italian", "it"),
        ("Dutch", "nl"),
        ("Greek", "el"),
        ("Japanese", "ja"),
        ("日本語", "ja"),
        ("Korean", "ko"),
        ("Hindi", "hi"),
        ("Bengali", "bn"),
        ("Indonesian", "id"),
        ("Vietnamese", "vi"),
        ("Thai", "th"),
        ("Hebrew", "he"),
        ("Swedish", "sv"),
        ("Czech", "cs"),
        ("Hungarian", "hu"),
        ("Romanian", "ro"),
        ("Bulgarian", "bg"),
        ("Serbian", "sr"),
        ("Croatian", "hr"),
        ("Georgian", "ka"),
        ("Armenian", "hy"),
        ("Swahili", "sw"),
        ("Malay", "ms"),
        ("Finnish", "fi"),
        ("Danish", "da"),
        ("Norwegian", "no"),
        ("Belarusian", "be"),
        ("Tatar", "tt"),
        ("Bashkir", "ba"),
        ("  Kyrgyz  ", "ky"),
    ];

    #[test]
    fn tags_and_names_become_codes() {
        let wrong: Vec<String> = CASES
            .iter()
            .filter(|(tag, want)| language_code(tag) != Some(*want))
            .map(|(tag, want)| format!("{tag:?}: want {want}, got {:?}", language_code(tag)))
            .collect();
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn nonsense_and_undetermined_tags_are_not_codes() {
        for tag in [
            "",
            "und",
            "UND",
            "mul",
            "zxx",
            "unknown",
            "xx",
            "qqq",
            "e",
            "english-ish",
            "en dash",
            "12",
            "Klingonese",
            "xx-YY",
            "Shr 30 cts",
        ] {
            assert_eq!(language_code(tag), None, "{tag:?}");
        }
        assert!(is_undetermined_tag("und"));
        assert!(is_undetermined_tag(" "));
        assert!(!is_undetermined_tag("xx"));
    }

    #[test]
    fn every_code_is_its_own_code() {
        // What we store must read back as itself, so filters on stored codes always work.
        for (_, code) in CASES {
            assert_eq!(language_code(code), Some(*code), "{code}");
        }
    }
}
