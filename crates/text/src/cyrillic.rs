//! The Cyrillic languages whatlang does not know, told apart by the letters only some of them
//! use (Kyrgyz ң ө ү without the Kazakh-only ә ғ қ ұ һ і; Tajik ӣ ӯ ҳ ҷ; Uzbek ў қ ғ ҳ; …) and
//! by their most frequent function words. Each language is a Poisson model of how often each
//! marked letter occurs; the likeliest language wins when its posterior is high enough.

use crate::lang::{round3, Detected, Insufficient};

/// The letters some Cyrillic alphabets add to Russian's, and four that Russian has but the
/// others use much more or much less (ы, э, х, ъ: Mongolian writes х where Kyrgyz has none, Tajik
/// and Uzbek have no ы, Ukrainian neither ы nor э, Bulgarian no ы or э but many ъ).
const MARKED: [char; 25] = [
    'ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ', 'і', 'ӣ', 'ӯ', 'ҳ', 'ҷ', 'ў', 'җ', 'ҙ', 'ҫ', 'ҡ', 'є',
    'ї', 'ґ', 'ы', 'э', 'х', 'ъ',
];

/// A letter a language does not use still turns up in names and quotations: this rate per
/// letter keeps one such letter from ruling a language out.
const FOREIGN_RATE: f64 = 1e-4;

/// What one matched function word adds to a language's log-likelihood.
const WORD_WEIGHT: f64 = 2.0;

/// The posterior the best language needs; below it the text is [`Insufficient::Unclear`].
const MIN_POSTERIOR: f64 = 0.95;

struct Model {
    code: &'static str,
    /// Marked letters with their approximate share of the language's Cyrillic letters (from
    /// published letter frequencies, rounded; the exact values matter little against the
    /// foreign rate).
    rates: &'static [(char, f64)],
    /// Frequent words that the other languages here do not share.
    words: &'static [&'static str],
}

/// Russian and Bulgarian are here so that their texts are not taken for the others; Serbian and
/// Macedonian (no ы, э, ъ) come out between the two, too close to tell, and go to whatlang.
const MODELS: &[Model] = &[
    Model {
        code: "ru",
        rates: &[('ы', 0.019), ('э', 0.003), ('х', 0.010), ('ъ', 0.0003)],
        words: &[
            "и",
            "в",
            "на",
            "что",
            "не",
            "по",
            "с",
            "для",
            "это",
            "как",
            "из",
            "от",
            "о",
            "к",
            "за",
            "при",
            "также",
        ],
    },
    Model {
        code: "bg",
        rates: &[('х', 0.008), ('ъ', 0.025)],
        words: &["и", "в", "на", "че", "за", "от", "се", "да", "е", "са", "с"],
    },
    Model {
        code: "uk",
        rates: &[
            ('і', 0.055),
            ('ї', 0.006),
            ('є', 0.004),
            ('ґ', 0.0002),
            ('х', 0.010),
        ],
        words: &["і", "та", "що", "це", "від", "які", "який", "було"],
    },
    Model {
        code: "be",
        rates: &[
            ('і', 0.050),
            ('ў', 0.015),
            ('ы', 0.045),
            ('э', 0.018),
            ('х', 0.010),
            ('ъ', 0.0001),
        ],
        words: &["і", "ў", "што", "гэта", "ад", "які"],
    },
    Model {
        code: "kk",
        rates: &[
            ('ә', 0.020),
            ('ғ', 0.008),
            ('қ', 0.028),
            ('ң', 0.008),
            ('ө', 0.006),
            ('ұ', 0.010),
            ('ү', 0.008),
            ('һ', 0.0003),
            ('і', 0.035),
            ('ы', 0.045),
            ('э', 0.001),
            ('х', 0.003),
            ('ъ', 0.0001),
        ],
        words: &[
            "және",
            "үшін",
            "бойынша",
            "болып",
            "бұл",
            "бірақ",
            "тарапынан",
            "оның",
            "олар",
            "ғана",
            "тағы",
            "жатыр",
            "сондай-ақ",
            "жаңа",
            "бір",
            "екі",
        ],
    },
    Model {
        code: "ky",
        rates: &[
            ('ң', 0.008),
            ('ө', 0.020),
            ('ү', 0.026),
            ('ы', 0.065),
            ('э', 0.010),
            ('х', 0.001),
            ('ъ', 0.0001),
        ],
        words: &[
            "жана",
            "менен",
            "үчүн",
            "боюнча",
            "болуп",
            "бул",
            "бирок",
            "тарабынан",
            "анын",
            "алар",
            "эле",
            "дагы",
            "жатат",
            "жаңы",
            "жылы",
            "бир",
            "эки",
            "деп",
        ],
    },
    Model {
        code: "tg",
        rates: &[
            ('ғ', 0.006),
            ('ӣ', 0.012),
            ('қ', 0.009),
            ('ӯ', 0.008),
            ('ҳ', 0.015),
            ('ҷ', 0.009),
            ('э', 0.006),
            ('х', 0.015),
            ('ъ', 0.004),
        ],
        words: &[
            "ва",
            "дар",
            "ки",
            "бо",
            "аз",
            "барои",
            "шуд",
            "мебошад",
            "карда",
            "кард",
            "низ",
            "мешавад",
            "буд",
            "ин",
            "он",
            "ба",
            "нав",
            "як",
            "сол",
        ],
    },
    Model {
        code: "uz",
        rates: &[
            ('ў', 0.020),
            ('қ', 0.012),
            ('ғ', 0.007),
            ('ҳ', 0.010),
            ('э', 0.006),
            ('х', 0.018),
            ('ъ', 0.004),
        ],
        words: &[
            "ва",
            "билан",
            "учун",
            "бўйича",
            "бу",
            "ҳам",
            "эди",
            "қилди",
            "бўлди",
            "этди",
            "деб",
            "янги",
            "йил",
            "бир",
            "икки",
            "қилишди",
            "қилинди",
        ],
    },
    Model {
        code: "mn",
        rates: &[
            ('ө', 0.015),
            ('ү', 0.019),
            ('ы', 0.018),
            ('э', 0.050),
            ('х', 0.032),
            ('ъ', 0.0005),
        ],
        words: &[
            "нь",
            "юм",
            "байна",
            "болон",
            "энэ",
            "гэж",
            "бол",
            "байсан",
            "тэр",
            "гэсэн",
        ],
    },
    Model {
        code: "tt",
        rates: &[
            ('ә', 0.030),
            ('ө', 0.008),
            ('ү', 0.015),
            ('җ', 0.005),
            ('ң', 0.007),
            ('һ', 0.005),
            ('ы', 0.030),
            ('э', 0.002),
            ('х', 0.003),
            ('ъ', 0.0005),
        ],
        words: &["һәм", "белән", "өчен", "буенча", "ул", "иде"],
    },
    Model {
        code: "ba",
        rates: &[
            ('ә', 0.025),
            ('ө', 0.008),
            ('ү', 0.013),
            ('ҙ', 0.015),
            ('ҫ', 0.009),
            ('ғ', 0.007),
            ('ҡ', 0.018),
            ('ң', 0.007),
            ('һ', 0.010),
            ('ы', 0.035),
            ('э', 0.002),
            ('х', 0.004),
            ('ъ', 0.0005),
        ],
        words: &["менән", "өсөн", "буйынса", "һәм", "ине"],
    },
];

/// Counts of the marked letters, of all Cyrillic letters and of all letters in a sample.
struct Counts {
    marked: [u32; MARKED.len()],
    cyrillic: u32,
    letters: u32,
}

fn count(sample: &str) -> Counts {
    let mut c = Counts {
        marked: [0; MARKED.len()],
        cyrillic: 0,
        letters: 0,
    };
    for ch in sample.chars().flat_map(char::to_lowercase) {
        if !crate::lang::is_letter(ch) {
            continue;
        }
        c.letters += 1;
        if ('\u{0400}'..='\u{04FF}').contains(&ch) {
            c.cyrillic += 1;
            if let Some(i) = MARKED.iter().position(|m| *m == ch) {
                c.marked[i] += 1;
            }
        }
    }
    c
}

fn log_likelihood(m: &Model, c: &Counts, sample_words: &[String]) -> f64 {
    let n = f64::from(c.cyrillic);
    let mut ll = 0.0;
    for (i, letter) in MARKED.iter().enumerate() {
        let rate = m
            .rates
            .iter()
            .find(|(l, _)| l == letter)
            .map_or(FOREIGN_RATE, |(_, r)| *r);
        ll += f64::from(c.marked[i]) * rate.ln() - n * rate;
    }
    let hits = sample_words
        .iter()
        .filter(|w| m.words.contains(&w.as_str()))
        .count();
    ll + WORD_WEIGHT * hits as f64
}

/// For a mostly Cyrillic sample: `Some(Ok)` with a language whatlang does not know (or Russian
/// beyond doubt), `Some(Err)` when the likeliest two are too close to tell, `None` when the text
/// is not Cyrillic or is likeliest a Slavic language whatlang tells apart.
/// Whether `code` is one of the Cyrillic languages modelled here.
pub(crate) fn is_modelled(code: &str) -> bool {
    MODELS.iter().any(|m| m.code == code)
}

pub(crate) fn classify(sample: &str) -> Option<Result<Detected, Insufficient>> {
    let c = count(sample);
    if c.cyrillic * 2 < c.letters {
        return None;
    }
    let words: Vec<String> = sample
        .split(|ch: char| !(crate::lang::is_letter(ch) || ch == '-'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let mut scored: Vec<(f64, &'static str)> = MODELS
        .iter()
        .map(|m| (log_likelihood(m, &c, &words), m.code))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    let (best, code) = scored[0];
    let posterior = 1.0 / scored.iter().map(|(ll, _)| (ll - best).exp()).sum::<f64>();
    // Ukrainian, Belarusian, Bulgarian (and Serbian and Macedonian, not modelled here) are
    // whatlang's to tell; so is Russian when it is doubtful against them only.
    let slavic = |c: &str| matches!(c, "uk" | "be" | "bg");
    if slavic(code) || (code == "ru" && posterior < MIN_POSTERIOR && slavic(scored[1].1)) {
        return None;
    }
    Some(if posterior >= MIN_POSTERIOR {
        Ok(Detected {
            code,
            confidence: round3(posterior),
        })
    } else {
        Err(Insufficient::Unclear)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> Option<Result<&'static str, Insufficient>> {
        classify(s).map(|r| r.map(|d| d.code))
    }

    #[test]
    fn marked_letters_tell_the_languages_apart() {
        assert_eq!(
            code("Кыргызстандын экспорту өстү. Улуттук статистика комитетинин маалыматы боюнча, быйыл экспорттун көлөмү өсүп жатат."),
            Some(Ok("ky"))
        );
        assert_eq!(
            code("Қазақстанның экспорты өсті. Ұлттық статистика бюросының мәліметі бойынша, биыл экспорт көлемі артты."),
            Some(Ok("kk"))
        );
        assert_eq!(
            code("Содироти Тоҷикистон афзоиш ёфт. Тибқи маълумоти Агентии омор, имсол ҳаҷми содирот зиёд шуд."),
            Some(Ok("tg"))
        );
        assert_eq!(
            code("Ўзбекистон экспорти ўсди. Статистика агентлиги маълумотига кўра, бу йил экспорт ҳажми ошди."),
            Some(Ok("uz"))
        );
    }

    #[test]
    fn russian_with_a_kazakh_name_stays_russian() {
        assert_eq!(
            code("Президент Казахстана Қасым-Жомарт Тоқаев провёл встречу с министрами и обсудил с ними вопросы экономики."),
            Some(Ok("ru"))
        );
        // Ukrainian is whatlang's to tell.
        assert_eq!(
            code("Президент України провів зустріч з міністрами і обговорив з ними питання економіки та її розвитку."),
            None
        );
        assert_eq!(code("This is English text entirely."), None);
    }
}
