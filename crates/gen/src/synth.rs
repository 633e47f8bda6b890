//! Synthetic benchmark corpora of any size: news-like articles in English, Russian and Persian
//! from twenty fictitious outlets, 2015 to 2024, written as JSON Lines, one file per outlet, so
//! that the normal import path is what a benchmark measures.
//!
//! * **Vocabulary.** Each language has a Zipfian vocabulary (Zipf–Mandelbrot, exponent 1,
//!   offset 2.7) of 40,000 types: real function and news words at the head, then made-up words
//!   built from the language's syllables. Topic words and place names are kept out of it, so
//!   that a concept query counts exactly what was planted.
//! * **Planted trend.** An article is about *security in Central Asia* with the probability
//!   [`security_share`] of its month (4% baseline, raised in three episodes); such an article
//!   carries security words and Central Asian place names (the concept [`CONCEPT_QUERY`]
//!   finds it). Other security stories name other places.
//! * **Planted near-duplicates.** About [`DUPLICATE_RATE`] of articles are reprints of an
//!   earlier article in the same language by another outlet: a new headline, the last paragraph
//!   replaced, a day later.
//! * **Size.** Bodies are 1,000 to 4,400 bytes and more (about 3 KB on average).
//!
//! Every article is a pure function of `(seed, index)`, so blocks of articles are made in
//! parallel and written in order: the output is streamed (memory is bounded by one block) and
//! the same seed always gives the same bytes.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::sync::OnceLock;

use rayon::prelude::*;

use crate::rng::Rng;

/// Share of articles that are reprints of an earlier one.
pub const DUPLICATE_RATE: f64 = 0.02;

/// The concept the benchmarks and the side-by-side script count: security coverage naming
/// Central Asia, in the three languages.
pub const CONCEPT_QUERY: &str = "(security OR militants OR insurgents OR безопасность OR боевики OR امنیت OR شورشیان) AND (kyrgyzstan OR tajikistan OR uzbekistan OR kazakhstan OR turkmenistan OR кыргызстан OR таджикистан OR узбекистан OR казахстан OR туркменистан OR قرقیزستان OR تاجیکستان OR ازبکستان OR قزاقستان OR ترکمنستان)";

/// The planted share of *security in Central Asia* stories in a month: 4%, except January –
/// June 2016 (12%), August 2021 – February 2022 (20%) and September – October 2022 (25%).
pub fn security_share(year: i32, month: u32) -> f64 {
    match year * 100 + month as i32 {
        201601..=201606 => 0.12,
        202108..=202202 => 0.20,
        202209..=202210 => 0.25,
        _ => 0.04,
    }
}

/// First and last year of the dates.
pub const YEARS: (i32, i32) = (2015, 2024);

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Lang {
    En,
    Ru,
    Fa,
}

/// An outlet: name, file stem, language, relative weight, and whether its records name their
/// language (the others are detected at import, as with many real exports).
struct Outlet {
    name: &'static str,
    stem: &'static str,
    lang: Lang,
    weight: u32,
    names_language: bool,
}

const fn outlet(
    name: &'static str,
    stem: &'static str,
    lang: Lang,
    weight: u32,
    names_language: bool,
) -> Outlet {
    Outlet {
        name,
        stem,
        lang,
        weight,
        names_language,
    }
}

static OUTLETS: &[Outlet] = &[
    outlet("Steppe Herald", "steppe_herald", Lang::En, 14, true),
    outlet("Caspian Wire", "caspian_wire", Lang::En, 12, true),
    outlet("Tien Shan Times", "tien_shan_times", Lang::En, 9, false),
    outlet(
        "Silk Road Observer",
        "silk_road_observer",
        Lang::En,
        8,
        true,
    ),
    outlet(
        "Eurasia Daily Ledger",
        "eurasia_daily_ledger",
        Lang::En,
        7,
        true,
    ),
    outlet("Pamir Post", "pamir_post", Lang::En, 6, true),
    outlet("Aral Review", "aral_review", Lang::En, 5, false),
    outlet("Oxus Monitor", "oxus_monitor", Lang::En, 5, true),
    outlet("Global Desk", "global_desk", Lang::En, 4, true),
    outlet("Frontier Bulletin", "frontier_bulletin", Lang::En, 4, true),
    outlet("Mountain Courier", "mountain_courier", Lang::En, 3, false),
    outlet("Northern Gazette", "northern_gazette", Lang::En, 3, true),
    outlet("Новости Евразии", "novosti_evrazii", Lang::Ru, 9, true),
    outlet("Азия Сегодня", "aziya_segodnya", Lang::Ru, 6, true),
    outlet("Степной Вестник", "stepnoy_vestnik", Lang::Ru, 4, false),
    outlet(
        "Региональное Обозрение",
        "regionalnoe_obozrenie",
        Lang::Ru,
        3,
        true,
    ),
    outlet("Вечерний Курьер", "vecherniy_kurier", Lang::Ru, 2, true),
    outlet("Payam-e Asia", "payam_asia", Lang::Fa, 5, true),
    outlet("Khabar-e Shargh", "khabar_shargh", Lang::Fa, 3, false),
    outlet("Ruznameh-ye Mihan", "ruznameh_mihan", Lang::Fa, 2, true),
];

/// The number of outlets (one file each).
pub fn outlet_count() -> usize {
    OUTLETS.len()
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Topic {
    SecurityCa,
    Security,
    Economy,
    Politics,
    Energy,
    Culture,
    Sport,
}

impl Topic {
    fn section(self) -> &'static str {
        match self {
            Topic::SecurityCa | Topic::Security => "security",
            Topic::Economy => "economy",
            Topic::Politics => "politics",
            Topic::Energy => "energy",
            Topic::Culture => "culture",
            Topic::Sport => "sport",
        }
    }
}

struct Words {
    head: &'static [&'static str],
    security: &'static [&'static str],
    central_asia: &'static [&'static str],
    elsewhere: &'static [&'static str],
    economy: &'static [&'static str],
    politics: &'static [&'static str],
    energy: &'static [&'static str],
    culture: &'static [&'static str],
    sport: &'static [&'static str],
    first: &'static [&'static str],
    last: &'static [&'static str],
    onsets: &'static [&'static str],
    vowels: &'static [&'static str],
    codas: &'static [&'static str],
    reprint: &'static str,
}

static EN: Words = Words {
    head: &[
        "the",
        "of",
        "and",
        "to",
        "a",
        "in",
        "that",
        "is",
        "for",
        "on",
        "it",
        "with",
        "was",
        "as",
        "he",
        "said",
        "at",
        "by",
        "from",
        "his",
        "an",
        "be",
        "have",
        "has",
        "are",
        "but",
        "not",
        "they",
        "this",
        "were",
        "which",
        "would",
        "their",
        "been",
        "will",
        "who",
        "more",
        "its",
        "after",
        "had",
        "one",
        "new",
        "also",
        "two",
        "year",
        "first",
        "government",
        "people",
        "last",
        "over",
        "years",
        "could",
        "into",
        "than",
        "other",
        "some",
        "there",
        "about",
        "when",
        "up",
        "out",
        "all",
        "we",
        "she",
        "her",
        "no",
        "time",
        "against",
        "state",
        "president",
        "country",
        "week",
        "officials",
        "told",
        "report",
        "city",
        "region",
        "minister",
        "between",
        "while",
        "under",
        "since",
        "public",
        "national",
        "local",
        "according",
        "plans",
        "group",
        "made",
        "many",
        "three",
        "month",
        "later",
        "percent",
        "million",
        "agency",
        "statement",
        "deputy",
        "committee",
        "announced",
        "meeting",
        "talks",
        "foreign",
        "international",
        "officials",
        "capital",
        "district",
        "spokesman",
        "visit",
        "agreement",
        "programme",
        "project",
        "support",
        "development",
        "cooperation",
        "trade",
    ],
    security: &[
        "security",
        "militants",
        "insurgents",
        "attack",
        "troops",
        "border",
        "weapons",
        "clashes",
        "extremism",
        "counterterrorism",
    ],
    central_asia: &[
        "Kyrgyzstan",
        "Tajikistan",
        "Uzbekistan",
        "Kazakhstan",
        "Turkmenistan",
        "Bishkek",
        "Dushanbe",
        "Tashkent",
        "Astana",
        "Fergana",
    ],
    elsewhere: &[
        "Brussels",
        "Washington",
        "Beijing",
        "Ankara",
        "Berlin",
        "Nairobi",
        "Lima",
        "Jakarta",
        "Oslo",
        "Dakar",
    ],
    economy: &[
        "inflation",
        "exports",
        "budget",
        "investment",
        "tariffs",
        "currency",
        "remittances",
        "growth",
    ],
    politics: &[
        "election",
        "parliament",
        "coalition",
        "referendum",
        "opposition",
        "constitution",
        "cabinet",
        "ballot",
    ],
    energy: &[
        "pipeline",
        "gas",
        "oil",
        "electricity",
        "hydropower",
        "reserves",
        "refinery",
        "grid",
    ],
    culture: &[
        "festival",
        "museum",
        "theatre",
        "novel",
        "film",
        "heritage",
        "exhibition",
        "poet",
    ],
    sport: &[
        "match",
        "championship",
        "coach",
        "league",
        "tournament",
        "goal",
        "stadium",
        "athletes",
    ],
    first: &[
        "Anna", "David", "Maria", "James", "Laura", "Peter", "Sarah", "Daniel", "Elena", "Tom",
        "Aigul", "Timur", "Nadia", "Omar", "Claire", "Rustam",
    ],
    last: &[
        "Smith",
        "Walker",
        "Brennan",
        "Holt",
        "Morgan",
        "Fischer",
        "Ortega",
        "Kowalski",
        "Hayes",
        "Lindqvist",
        "Abdullaev",
        "Nazarova",
        "Sato",
        "Reed",
        "Grant",
        "Moreau",
    ],
    onsets: &[
        "b", "br", "c", "ch", "cl", "d", "dr", "f", "fl", "g", "gr", "h", "j", "k", "l", "m", "n",
        "p", "pr", "qu", "r", "s", "sh", "st", "t", "th", "tr", "v", "w",
    ],
    vowels: &["a", "e", "i", "o", "u", "ea", "ou", "ai", "ee"],
    codas: &[
        "", "", "n", "r", "s", "t", "nd", "st", "ng", "l", "m", "ck", "rt",
    ],
    reprint: "Wire services contributed to this report.",
};

static RU: Words = Words {
    head: &[
        "и",
        "в",
        "не",
        "на",
        "что",
        "с",
        "по",
        "он",
        "как",
        "это",
        "к",
        "из",
        "о",
        "за",
        "для",
        "от",
        "так",
        "же",
        "все",
        "его",
        "но",
        "также",
        "был",
        "года",
        "при",
        "после",
        "уже",
        "будет",
        "может",
        "который",
        "до",
        "словам",
        "сообщил",
        "было",
        "время",
        "году",
        "правительство",
        "страны",
        "президент",
        "министр",
        "заявил",
        "более",
        "области",
        "города",
        "между",
        "против",
        "власти",
        "января",
        "региона",
        "представитель",
        "процентов",
        "миллионов",
        "сотрудничество",
        "развития",
        "встречи",
        "проекта",
        "решение",
        "вопрос",
        "стороны",
        "работы",
        "заседании",
        "комитета",
        "агентство",
    ],
    security: &[
        "безопасность",
        "боевики",
        "нападение",
        "войска",
        "граница",
        "оружие",
        "столкновения",
        "экстремизм",
    ],
    central_asia: &[
        "Кыргызстан",
        "Таджикистан",
        "Узбекистан",
        "Казахстан",
        "Туркменистан",
        "Бишкек",
        "Душанбе",
        "Ташкент",
    ],
    elsewhere: &[
        "Брюссель",
        "Вашингтон",
        "Пекин",
        "Анкара",
        "Берлин",
        "Найроби",
        "Лима",
        "Осло",
    ],
    economy: &[
        "инфляция",
        "экспорт",
        "бюджет",
        "инвестиции",
        "тарифы",
        "валюта",
        "переводы",
    ],
    politics: &[
        "выборы",
        "парламент",
        "коалиция",
        "референдум",
        "оппозиция",
        "конституция",
    ],
    energy: &[
        "газопровод",
        "газ",
        "нефть",
        "электроэнергия",
        "гидроэнергетика",
        "запасы",
    ],
    culture: &["фестиваль", "музей", "театр", "роман", "фильм", "наследие"],
    sport: &["матч", "чемпионат", "тренер", "лига", "турнир", "стадион"],
    first: &[
        "Анна",
        "Дмитрий",
        "Мария",
        "Иван",
        "Елена",
        "Сергей",
        "Ольга",
        "Тимур",
        "Айгуль",
        "Рустам",
    ],
    last: &[
        "Иванов",
        "Петрова",
        "Смирнов",
        "Кузнецова",
        "Абдуллаев",
        "Назарова",
        "Орлов",
        "Волкова",
    ],
    onsets: &[
        "б", "в", "г", "д", "ж", "з", "к", "л", "м", "н", "п", "р", "с", "т", "ф", "х", "ч", "ш",
        "ст", "пр", "кр", "тр",
    ],
    vowels: &["а", "е", "и", "о", "у", "ы", "я", "ю"],
    codas: &[
        "", "", "н", "р", "л", "в", "ст", "к", "м", "ов", "ами", "ого", "ный",
    ],
    reprint: "В подготовке материала участвовали информационные агентства.",
};

static FA: Words = Words {
    head: &[
        "و",
        "در",
        "به",
        "از",
        "که",
        "این",
        "را",
        "با",
        "است",
        "برای",
        "آن",
        "یک",
        "تا",
        "بر",
        "هم",
        "نیز",
        "شده",
        "می",
        "کرد",
        "شد",
        "دولت",
        "کشور",
        "رئیس",
        "گفت",
        "سال",
        "وزیر",
        "اعلام",
        "امروز",
        "منطقه",
        "مردم",
        "پس",
        "همکاری",
        "توسعه",
        "نشست",
        "گزارش",
        "شهر",
        "خبرگزاری",
        "درصد",
        "میلیون",
        "هفته",
        "ملی",
        "بین",
        "قرار",
        "داد",
        "باید",
        "دیدار",
    ],
    security: &["امنیت", "شورشیان", "حمله", "نیروها", "مرز", "سلاح", "درگیری"],
    central_asia: &[
        "قرقیزستان",
        "تاجیکستان",
        "ازبکستان",
        "قزاقستان",
        "ترکمنستان",
        "بیشکک",
        "دوشنبه",
        "تاشکند",
    ],
    elsewhere: &["بروکسل", "واشنگتن", "پکن", "آنکارا", "برلین", "نایروبی"],
    economy: &["تورم", "صادرات", "بودجه", "سرمایه‌گذاری", "تعرفه", "ارز"],
    politics: &[
        "انتخابات",
        "پارلمان",
        "ائتلاف",
        "همه‌پرسی",
        "مخالفان",
        "قانون",
    ],
    energy: &["خط‌لوله", "گاز", "نفت", "برق", "ذخایر", "پالایشگاه"],
    culture: &["جشنواره", "موزه", "تئاتر", "رمان", "فیلم", "میراث"],
    sport: &["مسابقه", "قهرمانی", "مربی", "لیگ", "تورنمنت", "ورزشگاه"],
    first: &[
        "علی",
        "مریم",
        "رضا",
        "زهرا",
        "حسین",
        "فاطمه",
        "فرهاد",
        "شیرین",
    ],
    last: &[
        "احمدی",
        "حسینی",
        "رضایی",
        "کریمی",
        "محمدی",
        "نوری",
        "صادقی",
        "رحیمی",
    ],
    onsets: &[
        "ب", "پ", "ت", "د", "ر", "ز", "س", "ش", "ک", "گ", "ل", "م", "ن", "خ", "ف", "ق",
    ],
    vowels: &["ا", "و", "ی", "", "ا"],
    codas: &["", "", "ن", "ر", "د", "م", "ست", "ان", "ه"],
    reprint: "خبرگزاری‌ها در تهیه این گزارش همکاری داشتند.",
};

fn words(l: Lang) -> &'static Words {
    match l {
        Lang::En => &EN,
        Lang::Ru => &RU,
        Lang::Fa => &FA,
    }
}

fn lang_code(l: Lang) -> &'static str {
    match l {
        Lang::En => "en",
        Lang::Ru => "ru",
        Lang::Fa => "fa",
    }
}

/// Types in each language's vocabulary.
pub const VOCABULARY: usize = 40_000;

/// A Zipfian vocabulary: the words by rank and the cumulative weights (scaled to `u64`).
struct Vocab {
    words: Vec<String>,
    cumulative: Vec<u64>,
}

impl Vocab {
    fn build(w: &Words, seed: u64) -> Vocab {
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        let reserved = [
            w.security,
            w.central_asia,
            w.elsewhere,
            w.economy,
            w.politics,
            w.energy,
            w.culture,
            w.sport,
        ];
        for list in reserved {
            for x in list {
                seen.insert(x.to_lowercase());
            }
        }
        let mut words: Vec<String> = Vec::with_capacity(VOCABULARY);
        for h in w.head {
            if seen.insert(h.to_string()) {
                words.push(h.to_string());
            }
        }
        let mut rng = Rng::new(seed);
        while words.len() < VOCABULARY {
            let syllables = 1 + rng.below(2) + rng.chance(0.3) as u64;
            let mut s = String::new();
            for _ in 0..syllables {
                s.push_str(pick(&mut rng, w.onsets));
                s.push_str(pick(&mut rng, w.vowels));
                if rng.chance(0.4) {
                    s.push_str(pick(&mut rng, w.codas));
                }
            }
            if s.chars().count() >= 2 && seen.insert(s.clone()) {
                words.push(s);
            }
        }
        // Zipf–Mandelbrot weights 1 / (rank + 2.7).
        let weights: Vec<f64> = (0..words.len()).map(|r| 1.0 / (r as f64 + 2.7)).collect();
        let total: f64 = weights.iter().sum();
        let mut acc = 0.0;
        let cumulative = weights
            .iter()
            .map(|x| {
                acc += x / total;
                (acc.min(1.0) * u64::MAX as f64) as u64
            })
            .collect();
        Vocab { words, cumulative }
    }

    fn draw(&self, rng: &mut Rng) -> &str {
        let u = rng.next_u64();
        let i = self.cumulative.partition_point(|c| *c < u);
        &self.words[i.min(self.words.len() - 1)]
    }
}

fn vocab(l: Lang) -> &'static Vocab {
    static V: OnceLock<[Vocab; 3]> = OnceLock::new();
    let v = V.get_or_init(|| {
        [
            Vocab::build(&EN, 11),
            Vocab::build(&RU, 12),
            Vocab::build(&FA, 13),
        ]
    });
    match l {
        Lang::En => &v[0],
        Lang::Ru => &v[1],
        Lang::Fa => &v[2],
    }
}

/// Cumulative outlet weights.
fn pick_outlet(rng: &mut Rng, lang: Option<Lang>) -> usize {
    let total: u32 = OUTLETS
        .iter()
        .filter(|o| lang.is_none_or(|l| o.lang == l))
        .map(|o| o.weight)
        .sum();
    let mut x = rng.below(total as u64) as u32;
    for (i, o) in OUTLETS.iter().enumerate() {
        if lang.is_some_and(|l| o.lang != l) {
            continue;
        }
        if x < o.weight {
            return i;
        }
        x -= o.weight;
    }
    unreachable!()
}

const DAYS_IN_MONTH: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

fn days_in(year: i32, month: u32) -> u32 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    DAYS_IN_MONTH[month as usize - 1] + (month == 2 && leap) as u32
}

/// A date: year, month, day, hour, minute.
#[derive(Clone, Copy, Debug)]
struct When {
    y: i32,
    m: u32,
    d: u32,
    h: u32,
    mi: u32,
}

impl When {
    fn next_day(self) -> When {
        let mut w = self;
        w.d += 1;
        if w.d > days_in(w.y, w.m) {
            w.d = 1;
            w.m += 1;
            if w.m > 12 {
                w.m = 1;
                w.y += 1;
            }
        }
        w
    }
}

/// The story of an article, before it is dressed by an outlet.
struct Story {
    outlet: usize,
    when: When,
    topic: Topic,
    title: String,
    paragraphs: Vec<String>,
    byline: String,
}

/// The generator of one article: seeded by a hash of `(seed, index)`, so that the streams of
/// neighbouring articles do not overlap (SplitMix64 seeded with `seed ^ index * γ` would give
/// article `i + 1` the stream of article `i` shifted by one draw).
/// One of `items` (the same draw as [`Rng::pick`], as a `&'static str`).
fn pick(rng: &mut Rng, items: &[&'static str]) -> &'static str {
    items[rng.below(items.len() as u64) as usize]
}

fn article_rng(seed: u64, index: u64) -> Rng {
    fn mix(mut z: u64) -> u64 {
        z = (z ^ (z >> 33)).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        z = (z ^ (z >> 33)).wrapping_mul(0xC4CE_B9FE_1A85_EC53);
        z ^ (z >> 33)
    }
    Rng::new(mix(
        mix(seed ^ 0x5EED) ^ index.wrapping_mul(0xA076_1D64_78BD_642F)
    ))
}

fn topic_words(w: &Words, t: Topic) -> &'static [&'static str] {
    match t {
        Topic::SecurityCa | Topic::Security => w.security,
        Topic::Economy => w.economy,
        Topic::Politics => w.politics,
        Topic::Energy => w.energy,
        Topic::Culture => w.culture,
        Topic::Sport => w.sport,
    }
}

fn capitalize_into(out: &mut String, word: &str) {
    let mut cs = word.chars();
    if let Some(c) = cs.next() {
        out.extend(c.to_uppercase());
        out.push_str(cs.as_str());
    }
}

/// One sentence of 7 to 20 words with topic words and places mixed in.
fn sentence(rng: &mut Rng, lang: Lang, topic: Topic, out: &mut String) {
    let w: &'static Words = words(lang);
    let v = vocab(lang);
    let n = rng.range(7, 20);
    let tw = topic_words(w, topic);
    // Where topic words and places go.
    let topic_at = if rng.chance(0.6) {
        rng.below(n)
    } else {
        u64::MAX
    };
    let place_at = match topic {
        Topic::SecurityCa => {
            if rng.chance(0.45) {
                rng.below(n)
            } else {
                u64::MAX
            }
        }
        Topic::Security | Topic::Politics => {
            if rng.chance(0.3) {
                rng.below(n)
            } else {
                u64::MAX
            }
        }
        _ => {
            if rng.chance(0.15) {
                rng.below(n)
            } else {
                u64::MAX
            }
        }
    };
    for i in 0..n {
        if i > 0 {
            out.push(' ');
        }
        let word: &str = if i == place_at {
            let places = match topic {
                Topic::SecurityCa => w.central_asia,
                Topic::Security => w.elsewhere,
                // Other topics name Central Asia sometimes too (without security words).
                _ if rng.chance(0.3) => w.central_asia,
                _ => w.elsewhere,
            };
            pick(rng, places)
        } else if i == topic_at {
            pick(rng, tw)
        } else {
            v.draw(rng)
        };
        if i == 0 {
            capitalize_into(out, word);
        } else {
            out.push_str(word);
        }
        if i + 1 < n && rng.chance(0.06) {
            out.push(',');
        }
    }
    out.push(if lang == Lang::Fa && rng.chance(0.1) {
        '؟'
    } else {
        '.'
    });
}

fn story(seed: u64, index: u64) -> Story {
    let mut rng = article_rng(seed, index);
    let outlet = pick_outlet(&mut rng, None);
    story_in(&mut rng, outlet)
}

fn story_in(rng: &mut Rng, outlet: usize) -> Story {
    let lang = OUTLETS[outlet].lang;
    let w = words(lang);
    let y = rng.range(YEARS.0 as u64, YEARS.1 as u64) as i32;
    let m = rng.range(1, 12) as u32;
    let d = rng.range(1, days_in(y, m) as u64) as u32;
    let when = When {
        y,
        m,
        d,
        h: rng.range(5, 23) as u32,
        mi: rng.below(60) as u32,
    };
    let topic = if rng.chance(security_share(y, m)) {
        Topic::SecurityCa
    } else {
        *rng.pick(&[
            Topic::Security,
            Topic::Economy,
            Topic::Economy,
            Topic::Politics,
            Topic::Politics,
            Topic::Energy,
            Topic::Culture,
            Topic::Sport,
        ])
    };
    // Title: 5 to 11 words with a topic word.
    let mut title = String::new();
    let n = rng.range(5, 11);
    let at = rng.below(n);
    let v = vocab(lang);
    for i in 0..n {
        if i > 0 {
            title.push(' ');
        }
        let word: &str = if i == at {
            pick(rng, topic_words(w, topic))
        } else if i == (at + 1) % n && topic == Topic::SecurityCa {
            pick(rng, w.central_asia)
        } else {
            v.draw(rng)
        };
        if i == 0 {
            capitalize_into(&mut title, word);
        } else {
            title.push_str(word);
        }
    }
    let target = rng.range(1000, 4400) as usize;
    let mut paragraphs = Vec::new();
    let mut len = 0;
    while len < target {
        let mut p = String::with_capacity(600);
        for k in 0..rng.range(2, 5) {
            if k > 0 {
                p.push(' ');
            }
            sentence(rng, lang, topic, &mut p);
        }
        len += p.len() + 2;
        paragraphs.push(p);
    }
    let byline = format!("{} {}", rng.pick(w.first), rng.pick(w.last));
    Story {
        outlet,
        when,
        topic,
        title,
        paragraphs,
        byline,
    }
}

/// The article at `index`: its own story, or (at [`DUPLICATE_RATE`]) a reprint of one of the
/// 1,000 articles before it, by another outlet in the same language, a day later.
fn article(seed: u64, index: u64) -> (Story, Option<u64>) {
    let mut rng = article_rng(seed ^ 0xD0_D0_D0, index);
    if index > 0 && rng.chance(DUPLICATE_RATE) {
        let back = 1 + rng.below(index.min(1000));
        let mut original = index - back;
        // The original must be an article written as itself (not a reprint), so that every
        // reprint has its original in the corpus.
        while original > 0 && is_reprint(seed, original) {
            original -= 1;
        }
        let mut s = story(seed, original);
        let lang = OUTLETS[s.outlet].lang;
        let mut other = pick_outlet(&mut rng, Some(lang));
        if other == s.outlet {
            other = pick_outlet(&mut rng, Some(lang));
        }
        s.outlet = other;
        s.when = s.when.next_day();
        s.title.push_str(match lang {
            Lang::En => " (report)",
            Lang::Ru => " (обзор)",
            Lang::Fa => " (گزارش)",
        });
        let note = words(lang).reprint.to_string();
        match s.paragraphs.len() {
            0 | 1 => s.paragraphs.push(note),
            _ => *s.paragraphs.last_mut().expect("paragraphs") = note,
        }
        return (s, Some(original));
    }
    (story(seed, index), None)
}

fn is_reprint(seed: u64, index: u64) -> bool {
    index > 0 && article_rng(seed ^ 0xD0_D0_D0, index).chance(DUPLICATE_RATE)
}

fn push_json_str(out: &mut String, s: &str) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: Option<&str> = match b {
            b'"' => Some("\\\""),
            b'\\' => Some("\\\\"),
            b'\n' => Some("\\n"),
            b'\r' => Some("\\r"),
            b'\t' => Some("\\t"),
            0..=0x1f => None,
            _ => continue,
        };
        out.push_str(&s[start..i]);
        match esc {
            Some(e) => out.push_str(e),
            None => {
                use std::fmt::Write as _;
                let _ = write!(out, "\\u{b:04x}");
            }
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// One JSON Lines record (with its newline).
fn record(index: u64, s: &Story) -> String {
    use std::fmt::Write as _;
    let o = &OUTLETS[s.outlet];
    let mut out =
        String::with_capacity(s.paragraphs.iter().map(|p| p.len() + 2).sum::<usize>() + 400);
    let _ = write!(
        out,
        "{{\"id\":\"{}-{index:08}\",\"url\":\"https://{}.example/{}/{:02}/a{index}\",\"source\":",
        o.stem,
        o.stem.replace('_', "-"),
        s.when.y,
        s.when.m
    );
    push_json_str(&mut out, o.name);
    out.push_str(",\"title\":");
    push_json_str(&mut out, &s.title);
    out.push_str(",\"byline\":");
    push_json_str(&mut out, &s.byline);
    let _ = write!(
        out,
        ",\"date\":\"{}-{:02}-{:02}T{:02}:{:02}:00Z\",\"section\":\"{}\"",
        s.when.y,
        s.when.m,
        s.when.d,
        s.when.h,
        s.when.mi,
        s.topic.section()
    );
    if o.names_language {
        let _ = write!(out, ",\"language\":\"{}\"", lang_code(o.lang));
    }
    out.push_str(",\"body\":");
    let body = s.paragraphs.join("\n\n");
    push_json_str(&mut out, &body);
    out.push_str("}\n");
    out
}

/// What [`write_synth`] wrote.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct SynthSummary {
    pub articles: u64,
    pub bytes: u64,
    pub seed: u64,
    /// Articles written as reprints of an earlier one.
    pub duplicates: u64,
    /// Articles planted as security coverage of Central Asia.
    pub security_central_asia: u64,
    /// `(file name, articles)` per outlet, in outlet order.
    pub files: Vec<(String, u64)>,
}

/// Articles made in parallel per block, then written in order.
const BLOCK: u64 = 4096;

/// Writes `articles` articles generated from `seed` into `out` (created): one
/// `<outlet>.jsonl` per outlet and `.manifest.json` describing the run (hidden, so that
/// importing the folder skips it).
pub fn write_synth(out: &Path, articles: u64, seed: u64) -> io::Result<SynthSummary> {
    std::fs::create_dir_all(out)?;
    let mut files: Vec<BufWriter<File>> = OUTLETS
        .iter()
        .map(|o| {
            File::create(out.join(format!("{}.jsonl", o.stem)))
                .map(|f| BufWriter::with_capacity(1 << 20, f))
        })
        .collect::<io::Result<_>>()?;
    let mut sum = SynthSummary {
        seed,
        files: OUTLETS
            .iter()
            .map(|o| (format!("{}.jsonl", o.stem), 0))
            .collect(),
        ..Default::default()
    };
    let mut start = 0;
    while start < articles {
        let end = (start + BLOCK).min(articles);
        let block: Vec<(usize, bool, bool, String)> = (start as usize..end as usize)
            .into_par_iter()
            .map(|i| {
                let i = i as u64;
                let (s, dup) = article(seed, i);
                (
                    s.outlet,
                    dup.is_some(),
                    s.topic == Topic::SecurityCa,
                    record(i, &s),
                )
            })
            .collect();
        for (o, dup, sec, line) in block {
            files[o].write_all(line.as_bytes())?;
            sum.articles += 1;
            sum.bytes += line.len() as u64;
            sum.duplicates += dup as u64;
            sum.security_central_asia += sec as u64;
            sum.files[o].1 += 1;
        }
        start = end;
    }
    for f in &mut files {
        f.flush()?;
    }
    let manifest = serde_json::to_string_pretty(&sum).map_err(io::Error::other)?;
    std::fs::write(out.join(".manifest.json"), manifest + "\n")?;
    Ok(sum)
}

/// The word [`long_text`] plants: a reserved security word, so the vocabulary never holds it.
pub const LONG_TEXT_NODE: &str = "security";

/// One long English text of about `bytes` bytes (a transcript, a report, a book extracted from
/// a PDF) for benchmarks of long articles: Zipfian vocabulary words in sentences and paragraphs,
/// with [`LONG_TEXT_NODE`] planted every 150 to 250 words (200 on average) and nowhere else.
pub fn long_text(bytes: usize, seed: u64) -> String {
    let v = vocab(Lang::En);
    let mut rng = Rng::new(seed ^ 0x4C4F_4E47);
    let mut out = String::with_capacity(bytes + 256);
    let mut until_node = rng.range(150, 250);
    while out.len() < bytes {
        for s in 0..rng.range(4, 8) {
            if s > 0 {
                out.push(' ');
            }
            let n = rng.range(7, 20);
            for i in 0..n {
                if i > 0 {
                    out.push(' ');
                }
                until_node -= 1;
                let word = if until_node == 0 {
                    until_node = rng.range(150, 250);
                    LONG_TEXT_NODE
                } else {
                    v.draw(&mut rng)
                };
                if i == 0 {
                    capitalize_into(&mut out, word);
                } else {
                    out.push_str(word);
                }
            }
            out.push('.');
        }
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabularies_are_full_and_exclude_planted_words() {
        for l in [Lang::En, Lang::Ru, Lang::Fa] {
            let v = vocab(l);
            assert_eq!(v.words.len(), VOCABULARY);
            let w = words(l);
            for x in w.security.iter().chain(w.central_asia) {
                assert!(!v.words.contains(&x.to_lowercase()), "{x}");
            }
        }
    }

    #[test]
    fn zipf_head_dominates() {
        let v = vocab(Lang::En);
        let mut rng = Rng::new(3);
        let n = 100_000;
        let the = (0..n).filter(|_| v.draw(&mut rng) == "the").count();
        // 1 / (2.7 * H) with H ≈ ln(40000) + …: about 3.5% of tokens.
        assert!((2_500..5_000).contains(&the), "{the}");
    }

    #[test]
    fn long_texts_plant_the_node_every_200_words() {
        let t = long_text(200_000, 1);
        assert!((200_000..200_400).contains(&t.len()), "{}", t.len());
        assert_eq!(t, long_text(200_000, 1));
        let words: Vec<&str> = t.split_whitespace().collect();
        let nodes = words
            .iter()
            .filter(|w| w.trim_end_matches('.').eq_ignore_ascii_case(LONG_TEXT_NODE))
            .count();
        let per = words.len() / nodes;
        assert!((180..=220).contains(&per), "a node every {per} words");
    }

    #[test]
    fn dates_roll_over() {
        let w = When {
            y: 2020,
            m: 12,
            d: 31,
            h: 1,
            mi: 0,
        }
        .next_day();
        assert_eq!((w.y, w.m, w.d), (2021, 1, 1));
        assert_eq!(days_in(2024, 2), 29);
    }
}
