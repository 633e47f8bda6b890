//! The five Central Asian states with three cities each, named in English, Russian (three
//! cases), Persian and Kyrgyz (three cases), and the slots of one article drawn from them:
//! the place names and slot values the generated corpora share.

use crate::rng::Rng;
use crate::template::{capitalize, Slots};

pub(crate) struct City {
    pub(crate) en: &'static str,
    pub(crate) ru: [&'static str; 3], // nominative, genitive, prepositional
    pub(crate) fa: &'static str,
    pub(crate) ky: [&'static str; 3], // nominative, genitive, locative
}

pub(crate) struct Country {
    pub(crate) en: &'static str,
    pub(crate) adj: &'static str,
    pub(crate) ru: [&'static str; 3],
    pub(crate) fa: &'static str,
    pub(crate) ky: [&'static str; 3],
    pub(crate) cities: &'static [City],
    pub(crate) river: &'static str,
}

const fn city(
    en: &'static str,
    ru: [&'static str; 3],
    fa: &'static str,
    ky: [&'static str; 3],
) -> City {
    City { en, ru, fa, ky }
}

pub(crate) static COUNTRIES: &[Country] = &[
    Country {
        en: "Kyrgyzstan",
        ky: ["Кыргызстан", "Кыргызстандын", "Кыргызстанда"],
        adj: "Kyrgyz",
        ru: ["Кыргызстан", "Кыргызстана", "Кыргызстане"],
        fa: "قرقیزستان",
        cities: &[
            city(
                "Bishkek",
                ["Бишкек", "Бишкека", "Бишкеке"],
                "بیشکک",
                ["Бишкек", "Бишкектин", "Бишкекте"],
            ),
            city("Osh", ["Ош", "Оша", "Оше"], "اوش", ["Ош", "Оштун", "Ошто"]),
            city(
                "Batken",
                ["Баткен", "Баткена", "Баткене"],
                "باتکن",
                ["Баткен", "Баткендин", "Баткенде"],
            ),
        ],
        river: "Naryn",
    },
    Country {
        en: "Kazakhstan",
        ky: ["Казакстан", "Казакстандын", "Казакстанда"],
        adj: "Kazakh",
        ru: ["Казахстан", "Казахстана", "Казахстане"],
        fa: "قزاقستان",
        cities: &[
            city(
                "Astana",
                ["Астана", "Астаны", "Астане"],
                "آستانه",
                ["Астана", "Астананын", "Астанада"],
            ),
            city(
                "Almaty",
                ["Алматы", "Алматы", "Алматы"],
                "آلماتی",
                ["Алматы", "Алматынын", "Алматыда"],
            ),
            city(
                "Shymkent",
                ["Шымкент", "Шымкента", "Шымкенте"],
                "شیمکنت",
                ["Шымкент", "Шымкенттин", "Шымкентте"],
            ),
        ],
        river: "Ili",
    },
    Country {
        en: "Tajikistan",
        ky: ["Тажикстан", "Тажикстандын", "Тажикстанда"],
        adj: "Tajik",
        ru: ["Таджикистан", "Таджикистана", "Таджикистане"],
        fa: "تاجیکستان",
        cities: &[
            city(
                "Dushanbe",
                ["Душанбе", "Душанбе", "Душанбе"],
                "دوشنبه",
                ["Душанбе", "Душанбенин", "Душанбеде"],
            ),
            city(
                "Khujand",
                ["Худжанд", "Худжанда", "Худжанде"],
                "خجند",
                ["Кожент", "Кожендин", "Кожентте"],
            ),
            city(
                "Khorog",
                ["Хорог", "Хорога", "Хороге"],
                "خاروغ",
                ["Хорог", "Хорогдун", "Хорогдо"],
            ),
        ],
        river: "Vakhsh",
    },
    Country {
        en: "Uzbekistan",
        ky: ["Өзбекстан", "Өзбекстандын", "Өзбекстанда"],
        adj: "Uzbek",
        ru: ["Узбекистан", "Узбекистана", "Узбекистане"],
        fa: "ازبکستان",
        cities: &[
            city(
                "Tashkent",
                ["Ташкент", "Ташкента", "Ташкенте"],
                "تاشکند",
                ["Ташкент", "Ташкенттин", "Ташкентте"],
            ),
            city(
                "Samarkand",
                ["Самарканд", "Самарканда", "Самарканде"],
                "سمرقند",
                ["Самарканд", "Самарканддын", "Самаркандда"],
            ),
            city(
                "Andijan",
                ["Андижан", "Андижана", "Андижане"],
                "اندیجان",
                ["Анжиян", "Анжияндын", "Анжиянда"],
            ),
        ],
        river: "Amu Darya",
    },
    Country {
        en: "Turkmenistan",
        ky: ["Түркмөнстан", "Түркмөнстандын", "Түркмөнстанда"],
        adj: "Turkmen",
        ru: ["Туркменистан", "Туркменистана", "Туркменистане"],
        fa: "ترکمنستان",
        cities: &[
            city(
                "Ashgabat",
                ["Ашхабад", "Ашхабада", "Ашхабаде"],
                "عشق\u{200C}آباد",
                ["Ашхабад", "Ашхабаддын", "Ашхабадда"],
            ),
            city(
                "Mary",
                ["Мары", "Мары", "Мары"],
                "مرو",
                ["Мары", "Марынын", "Марыда"],
            ),
            city(
                "Turkmenabat",
                ["Туркменабат", "Туркменабата", "Туркменабате"],
                "ترکمن\u{200C}آباد",
                ["Түркмөнабат", "Түркмөнабаттын", "Түркмөнабатта"],
            ),
        ],
        river: "Murghab",
    },
];

pub(crate) const GROUPS_EN: &[&str] = &[
    "Daesh",
    "the Islamic State group",
    "the Taliban",
    "Hizb ut-Tahrir",
    "Jamaat Ansarullah",
    "the Islamic Movement of Uzbekistan",
];
pub(crate) const GROUPS_RU: &[&str] = &[
    "Исламское государство",
    "Талибан",
    "Хизб ут-Тахрир",
    "Джамаат Ансаруллах",
];
pub(crate) const ORGS_EN: &[&str] = &[
    "Collective Security Treaty Organization (CSTO)",
    "CSTO",
    "Shanghai Cooperation Organisation",
];
pub(crate) const WEEKDAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

/// Slot values for one article: a country, a second one, a city of the first and another
/// city of it, named in every language, with names, numbers and a weekday.
pub(crate) fn slots(rng: &mut Rng) -> Slots {
    let idx = rng.below(5) as usize;
    let c = &COUNTRIES[idx];
    let mut idx2 = rng.below(5) as usize;
    if idx2 == idx {
        idx2 = (idx2 + 1) % 5;
    }
    let c2 = &COUNTRIES[idx2];
    let ci = rng.pick(c.cities);
    let ci2 = c.cities.iter().find(|x| x.en != ci.en).unwrap_or(ci);
    let group = *rng.pick(GROUPS_EN);
    let group_short = match group {
        "the Islamic State group" => "Islamic State",
        "the Taliban" => "Taliban",
        "the Islamic Movement of Uzbekistan" => "IMU",
        g => g,
    };
    let n = rng.range(3, 40);
    let vals = vec![
        ("country", c.en.to_string()),
        ("Country", c.en.to_string()),
        ("country2", c2.en.to_string()),
        ("adj", c.adj.to_string()),
        ("Adj", c.adj.to_string()),
        ("city", ci.en.to_string()),
        ("City", ci.en.to_string()),
        ("city2", ci2.en.to_string()),
        ("river", c.river.to_string()),
        ("group", group.to_string()),
        ("group_short", group_short.to_string()),
        ("group_ru", rng.pick(GROUPS_RU).to_string()),
        ("org", rng.pick(ORGS_EN).to_string()),
        ("Org", capitalize(rng.pick::<&str>(&ORGS_EN[1..]))),
        ("weekday", rng.pick(WEEKDAYS).to_string()),
        ("n", n.to_string()),
        ("big", (rng.range(2, 60) * 100).to_string()),
        ("pct", rng.range(2, 18).to_string()),
        ("ru_nom", c.ru[0].to_string()),
        ("ru_gen", c.ru[1].to_string()),
        ("ru_loc", c.ru[2].to_string()),
        ("ru2_gen", c2.ru[1].to_string()),
        ("city_gen", ci.ru[1].to_string()),
        ("city_loc", ci.ru[2].to_string()),
        ("fa", c.fa.to_string()),
        ("city_fa", ci.fa.to_string()),
        ("fa2", c2.fa.to_string()),
        ("ky_nom", c.ky[0].to_string()),
        ("ky_gen", c.ky[1].to_string()),
        ("ky_loc", c.ky[2].to_string()),
        ("ky2_nom", c2.ky[0].to_string()),
        ("ky2_gen", c2.ky[1].to_string()),
        ("kcity", ci.ky[0].to_string()),
        ("kcity_gen", ci.ky[1].to_string()),
        ("kcity_loc", ci.ky[2].to_string()),
    ];
    Slots { vals }
}
