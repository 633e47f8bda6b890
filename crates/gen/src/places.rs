//! The five Central Asian states with three cities each, named in English, Russian (three
//! cases), Persian and Kyrgyz (three cases): the place names the generated corpora share.

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
