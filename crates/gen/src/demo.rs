//! The demo corpus: machine-written coverage of Central Asia by five fictitious outlets, 2014
//! to 2024, in English, Russian and Persian, as JSON Lines, CSV, a JSON array and a folder of
//! text files. Security coverage is planted to rise in three known episodes (see
//! [`security_share`]) so that a timeline shows something real to find. Every event, quote and
//! person in it is invented.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::Path;

use serde_json::json;

use crate::places::slots;
use crate::rng::Rng;
use crate::template::{article, slug, with_persian_digits, Details, Kind, Shape, MONTHS};

/// The demo's stories: three to six body sentences and two to four details.
const DEMO_SHAPE: Shape = Shape {
    sentences: (3, 6),
    details: (2, 4),
};

/// The seed of the committed demo corpus.
pub const DEMO_SEED: u64 = 20_151_202;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Topic {
    Security,
    Economy,
    Politics,
    Energy,
    Culture,
}

impl Topic {
    fn name(self) -> &'static str {
        match self {
            Topic::Security => "security",
            Topic::Economy => "economy",
            Topic::Politics => "politics",
            Topic::Energy => "energy",
            Topic::Culture => "culture",
        }
    }
}

/// The planted share of security stories in a month: a baseline of 15%, raised while Daesh
/// spread into northern Afghanistan (June 2015 – May 2016: 35%), after the Taliban took Kabul
/// (August 2021 – February 2022: 50%), and during the Kyrgyz–Tajik border clashes
/// (September – October 2022: 60%).
pub fn security_share(year: i32, month: u32) -> f64 {
    let ym = year * 100 + month as i32;
    match ym {
        201506..=201605 => 0.35,
        202108..=202202 => 0.50,
        202209..=202210 => 0.60,
        _ => 0.15,
    }
}

type Templates = &'static [&'static str];

struct Lang {
    /// One sentence of circumstantial detail (who said what, where, when).
    details: &'static Details,
    /// Headlines, each with the lead sentence that opens its story.
    titles: [&'static [(&'static str, &'static str)]; 5],
    sentences: [Templates; 5],
    closers: Templates,
}

fn topic_index(t: Topic) -> usize {
    t as usize
}

static EN: Lang = Lang {
    details: &DETAILS_EN,
    titles: [
        &[
            ("{Adj} security forces detain {n} suspected {group_short} members", "Security forces in {country} detained {n} people suspected of links to {group}, the interior ministry said on {weekday}."),
            ("{Org} holds joint military drills near {city}", "The {org} began joint exercises near {city} involving about {big} troops, armoured vehicles and aircraft."),
            ("{Country} tightens security on Afghan border", "{Country} has reinforced its posts along the frontier with Afghanistan amid reports of fighting in the northern provinces."),
            ("Officials warn of rising militant threat in Central Asia", "Militant attacks in northern Afghanistan have raised concern in neighbouring capitals about the spread of violence."),
            ("Russia to supply new weapons to {country}'s armed forces", "Russia has pledged to supply helicopters, armoured vehicles and small arms to the armed forces of {country}, officials in Moscow said."),
            ("{Country} and {country2} agree on border security cooperation", "{Country} and {country2} signed an agreement on joint border patrols and the exchange of intelligence on militant groups."),
            ("Border clash between {country} and {country2} leaves {n} wounded", "Border guards of {country} and {country2} exchanged fire near a disputed section of the frontier, leaving {n} people wounded, officials said."),
        ],
        &[
            ("{Country} signs new gas supply deal with China", "The agreement foresees annual deliveries of up to {big} million cubic metres of gas from {country} to China."),
            ("Remittances to {country} fall as rouble weakens", "Remittances from migrant workers in Russia, a large share of {country}'s economy, fell by {pct} percent as the rouble weakened."),
            ("New rail link to connect {city} and {city2}", "Officials said the new railway would cut travel times between {city} and {city2} by half."),
            ("{Country} seeks foreign investment in mining", "The government of {country} invited foreign companies to bid for licences to develop gold and copper deposits."),
            ("Inflation in {country} reaches {pct} percent", "Consumer prices in {country} rose {pct} percent over the past year, the statistics agency said."),
        ],
        &[
            ("{Country} votes in parliamentary election", "Voters in {country} went to the polls on {weekday} to elect a new parliament."),
            ("Protesters gather in {city} over rising prices", "Several hundred people gathered in central {city} to protest against rising food and fuel prices."),
            ("{Country}'s president meets Chinese leader in Beijing", "The two leaders discussed trade, energy and regional security, according to a statement."),
            ("Parliament in {country} approves constitutional changes", "The president said the reforms would strengthen parliament and the rule of law."),
        ],
        &[
            ("Hydropower plant on the {river} delayed again", "The dam on the {river} is expected to produce up to {big} megawatts once completed."),
            ("{Country} raises electricity tariffs", "The energy ministry of {country} said tariffs had not covered the cost of generation for years."),
            ("Winter power cuts hit {city}", "Power cuts are common in {city} in winter, when demand for heating peaks."),
        ],
        &[
            ("Nowruz celebrated across {country}", "Thousands of people gathered in {city} to celebrate Nowruz, the spring new year."),
            ("{City} hosts international film festival", "The festival in {city} brought together film makers from across Central Asia and beyond."),
            ("Archaeologists uncover Silk Road settlement near {city}", "Archaeologists said the finds near {city} shed new light on trade along the Silk Road."),
        ],
    ],
    sentences: [
        &[
            "Security forces in {country} detained {n} people suspected of links to {group}, the interior ministry said on {weekday}.",
            "Officials said the suspects had planned attacks in {city} and were recruiting fighters to travel abroad.",
            "The {org} began joint exercises near {city} involving about {big} troops, armoured vehicles and aircraft.",
            "Defence officials said the drills were meant to test the response to an incursion by militants from Afghanistan.",
            "{Country} has reinforced its posts along the frontier with Afghanistan amid reports of fighting in the northern provinces.",
            "Analysts say the threat from militant groups in the region is often overstated by governments seeking to justify tighter controls.",
            "Russia, which keeps a military base in Kyrgyzstan, has pledged to supply helicopters, armoured vehicles and small arms.",
            "The defence minister said the situation on the southern borders remained tense but under control.",
            "Human rights groups have criticised the security services for using terrorism charges against peaceful believers.",
            "Residents of {city} reported an increased police presence and new checkpoints on the main roads.",
            "Border guards of {country} and {country2} exchanged fire near a disputed section of the frontier, officials said.",
            "The two governments agreed to withdraw troops from the area and to continue talks on demarcating the border.",
            "Militant attacks in northern Afghanistan have raised concern in neighbouring capitals about the spread of violence.",
            "A spokesman for the security service said {n} weapons caches had been found since the start of the year.",
        ],
        &[
            "Remittances from migrant workers in Russia account for a large share of {country}'s economy.",
            "The central bank of {country} raised its key interest rate to {pct} percent to contain inflation.",
            "Officials said the new railway would cut travel times between {city} and {city2} by half.",
            "China has become the largest trading partner of several Central Asian states.",
            "The agreement foresees annual deliveries of up to {big} million cubic metres of gas.",
            "Economists warned that dependence on a few commodities leaves the economy exposed to price swings.",
            "Trade between {country} and {country2} grew by {pct} percent last year, according to official figures.",
            "The government plans to sell stakes in several state-owned companies over the next few years.",
        ],
        &[
            "Voters in {country} went to the polls on {weekday} to elect a new parliament.",
            "International observers said the vote was orderly but lacked genuine competition.",
            "Several hundred people gathered in central {city} to protest against rising food and fuel prices.",
            "The president said the reforms would strengthen parliament and the rule of law.",
            "Opposition politicians said they had been denied access to state media during the campaign.",
            "The two leaders discussed trade, energy and regional security, according to a statement.",
            "Police detained several activists, according to local media.",
        ],
        &[
            "The dam on the {river} is expected to produce up to {big} megawatts once completed.",
            "Downstream neighbours have long voiced concern about the effect of new dams on water for farming.",
            "Power cuts are common in winter when demand for heating peaks.",
            "The energy ministry said tariffs had not covered the cost of generation for years.",
            "Engineers blamed the delays on a shortage of funding and equipment.",
        ],
        &[
            "Thousands of people gathered in {city} to celebrate Nowruz, the spring new year.",
            "The festival brought together film makers from across Central Asia and beyond.",
            "Archaeologists said the finds shed new light on trade along the Silk Road.",
            "Organisers said attendance had grown every year since the event was first held.",
            "Musicians, craftsmen and cooks from every region took part in the celebrations.",
        ],
    ],
    closers: &[
        "The ministry did not give further details.",
        "Officials in {city} declined to comment.",
        "The report could not be independently verified.",
        "More talks are expected later this year.",
    ],
};

static RU: Lang = Lang {
    details: &DETAILS_RU,
    titles: [
        &[
            ("Силовики {ru_gen} задержали {n} подозреваемых в связях с боевиками", "Сотрудники спецслужб {ru_gen} задержали {n} человек, подозреваемых в причастности к деятельности запрещённой группировки «{group_ru}», сообщило МВД."),
            ("ОДКБ проведёт учения вблизи {city_gen}", "Совместные учения ОДКБ вблизи {city_gen} пройдут с участием около {big} военнослужащих."),
            ("{ru_nom} усиливает охрану границы с Афганистаном", "{ru_nom} усилил пограничные посты на границе с Афганистаном на фоне сообщений о боях в северных провинциях."),
            ("Россия передаст армии {ru_gen} новое вооружение", "Россия обещала поставить армии {ru_gen} вертолёты, бронетехнику и стрелковое оружие."),
            ("На границе {ru_gen} и {ru2_gen} произошла перестрелка", "Пограничники {ru_gen} и {ru2_gen} открыли огонь на спорном участке границы, сообщили официальные лица."),
        ],
        &[
            ("{ru_nom} подписал новое газовое соглашение с Китаем", "Соглашение предусматривает ежегодные поставки до {big} млн кубометров газа в Китай."),
            ("Денежные переводы мигрантов в {ru_nom} сократились", "Денежные переводы трудовых мигрантов из России в {ru_nom} сократились на {pct}%."),
            ("Инфляция в {ru_loc} достигла {pct}%", "Потребительские цены в {ru_loc} выросли на {pct}% за год, сообщило статистическое агентство."),
        ],
        &[
            ("В {ru_loc} прошли парламентские выборы", "Избиратели {ru_gen} выбрали новый состав парламента."),
            ("В {city_loc} прошла акция протеста против роста цен", "Несколько сотен человек собрались в центре {city_gen} с требованием снизить цены на продукты и топливо."),
        ],
        &[
            ("Строительство ГЭС в {ru_loc} снова отложено", "В министерстве энергетики {ru_gen} объяснили задержку нехваткой финансирования."),
            ("В {city_loc} отключили электричество", "Зимой в {city_loc} нередко отключают электричество."),
        ],
        &[
            ("В {city_loc} отметили Навруз", "Тысячи жителей {city_gen} отметили Навруз — праздник весеннего равноденствия."),
            ("В {city_loc} открылся международный кинофестиваль", "Фестиваль в {city_loc} собрал кинематографистов со всей Центральной Азии."),
        ],
    ],
    sentences: [
        &[
            "Сотрудники спецслужб {ru_gen} задержали {n} человек, подозреваемых в причастности к деятельности запрещённой группировки «{group_ru}», сообщило МВД.",
            "По данным ведомства, задержанные планировали теракты в {city_loc}.",
            "Совместные учения ОДКБ вблизи {city_gen} проходят с участием около {big} военнослужащих.",
            "Министр обороны заявил, что обстановка на южных рубежах остаётся напряжённой, но контролируемой.",
            "{ru_nom} усилил пограничные посты на границе с Афганистаном на фоне сообщений о боях в северных провинциях.",
            "Эксперты отмечают, что угроза со стороны радикальных группировок в регионе нередко преувеличивается.",
            "Россия, сохраняющая военную базу в Кыргызстане, обещала поставить вертолёты, бронетехнику и стрелковое оружие.",
            "Жители {city_gen} сообщают об усилении присутствия полиции и новых блокпостах на дорогах.",
            "Пограничники {ru_gen} и {ru2_gen} открыли огонь на спорном участке границы, сообщили официальные лица.",
            "Стороны договорились отвести войска и продолжить переговоры о делимитации границы.",
        ],
        &[
            "Денежные переводы трудовых мигрантов из России составляют значительную долю экономики {ru_gen}.",
            "Национальный банк {ru_gen} повысил учётную ставку до {pct}%.",
            "Китай стал крупнейшим торговым партнёром ряда государств Центральной Азии.",
            "Товарооборот {ru_gen} и {ru2_gen} вырос на {pct}% по итогам года.",
            "Экономисты предупреждают, что зависимость от сырьевого экспорта делает экономику уязвимой.",
        ],
        &[
            "Избиратели {ru_gen} выбрали новый состав парламента.",
            "Международные наблюдатели отметили, что голосование прошло спокойно, но без реальной конкуренции.",
            "Несколько сотен человек собрались в центре {city_gen} с требованием снизить цены на продукты и топливо.",
            "Оппозиция заявила, что не получила доступа к государственным СМИ во время кампании.",
        ],
        &[
            "Соседние страны обеспокоены влиянием новых плотин на водоснабжение сельского хозяйства.",
            "Зимой в {ru_loc} нередко отключают электричество.",
            "В министерстве энергетики объяснили задержку нехваткой финансирования.",
        ],
        &[
            "Тысячи жителей {city_gen} отметили Навруз — праздник весеннего равноденствия.",
            "Фестиваль собрал кинематографистов со всей Центральной Азии.",
            "Организаторы отмечают, что число посетителей растёт с каждым годом.",
        ],
    ],
    closers: &[
        "Подробности не сообщаются.",
        "Информацию пока не удалось проверить независимо.",
        "Переговоры планируется продолжить в ближайшее время.",
    ],
};

static FA: Lang = Lang {
    details: &DETAILS_FA,
    titles: [
        &[
            ("بازداشت {n} عضو گروه داعش در {fa}", "نیروهای امنیتی {fa} {n} نفر را به اتهام عضویت در گروه تروریستی داعش بازداشت کردند."),
            ("رزمایش مشترک پیمان امنیت جمعی در نزدیکی {city_fa}", "سازمان پیمان امنیت جمعی رزمایش مشترکی در نزدیکی {city_fa} برگزار کرد."),
            ("افزایش تدابیر امنیتی در مرز {fa} با افغانستان", "مقامات {fa} از افزایش تدابیر امنیتی در مرز با افغانستان خبر دادند."),
        ],
        &[
            ("افزایش حجم تجارت ایران و {fa}", "حجم تجارت میان ایران و {fa} در سال جاری {pct} درصد افزایش یافت."),
            ("طرح جدید راه\u{200C}آهن در {fa}", "دولت {fa} طرح جدیدی برای توسعه خطوط راه\u{200C}آهن اعلام کرد."),
        ],
        &[("سفر رئیس جمهور {fa} به تهران", "رئیس جمهور {fa} در سفری رسمی وارد تهران شد.")],
        &[("ساخت نیروگاه برق\u{200C}آبی در {fa}", "ساخت نیروگاه برق\u{200C}آبی بزرگ در {fa} ادامه دارد.")],
        &[("برگزاری جشن نوروز در {city_fa}", "جشن نوروز با حضور هزاران نفر در {city_fa} برگزار شد.")],
    ],
    sentences: [
        &[
            "نیروهای امنیتی {fa} {n} نفر را به اتهام عضویت در گروه تروریستی داعش بازداشت کردند.",
            "به گفته مقامات، این افراد قصد انجام حملات تروریستی در {city_fa} را داشتند.",
            "وزیر دفاع {fa} گفت که وضعیت امنیتی در مرزهای جنوبی این کشور نگران\u{200C}کننده است.",
            "مقامات {fa} از افزایش تدابیر امنیتی در مرز با افغانستان خبر دادند.",
            "سازمان پیمان امنیت جمعی رزمایش مشترکی در نزدیکی {city_fa} برگزار کرد.",
            "کارشناسان می\u{200C}گویند تهدید گروه\u{200C}های افراطی در آسیای مرکزی رو به افزایش است.",
        ],
        &[
            "حجم تجارت میان ایران و {fa} در سال جاری {pct} درصد افزایش یافت.",
            "دولت {fa} طرح جدیدی برای توسعه خطوط راه\u{200C}آهن اعلام کرد.",
            "این خط راه\u{200C}آهن {city_fa} را به بنادر ایران متصل خواهد کرد.",
        ],
        &[
            "رئیس جمهور {fa} در سفری رسمی وارد تهران شد.",
            "دو طرف درباره همکاری\u{200C}های اقتصادی و امنیتی گفت\u{200C}وگو کردند.",
        ],
        &[
            "ساخت نیروگاه برق\u{200C}آبی بزرگ در {fa} ادامه دارد.",
            "کمبود برق در زمستان یکی از مشکلات اصلی این کشور است.",
        ],
        &[
            "جشن نوروز با حضور هزاران نفر در {city_fa} برگزار شد.",
            "نوروز در کشورهای آسیای مرکزی جشن گرفته می\u{200C}شود.",
        ],
    ],
    closers: &["جزئیات بیشتری منتشر نشده است."],
};

pub(crate) const FIRST_EN: &[&str] = &[
    "Aibek", "Dinara", "Rustam", "Gulnara", "Bakyt", "Zarina", "Timur", "Aigerim", "Farhod",
    "Malika", "Nurlan", "Saule", "Jamshid", "Madina", "Erlan", "Kamila", "Daniyar", "Lola",
];
pub(crate) const LAST_EN: &[&str] = &[
    "Abdullaev",
    "Omurbekova",
    "Karimov",
    "Sadykova",
    "Toktogulov",
    "Yusupova",
    "Nazarov",
    "Beisenova",
    "Rahimov",
    "Usmonova",
    "Dzhumabaev",
    "Ismailova",
    "Khodjaev",
    "Alieva",
];
const ROLES_EN: &[&str] = &[
    "a spokesman for the interior ministry",
    "a regional governor",
    "an analyst at a think tank",
    "a local trader",
    "a border guard commander",
    "a member of parliament",
    "a farmer",
    "an economist",
    "a retired colonel",
    "a teacher",
    "a deputy minister",
    "a taxi driver",
    "a human rights lawyer",
    "a district official",
    "a shop owner",
    "an engineer",
];
const CLAIMS_EN: &[&str] = &[
    "the situation in {city} was calm but tense",
    "talks would resume {time}",
    "{n} more officers would be sent to {city} {time}",
    "prices for {goods} had risen {pct} percent",
    "residents of {city} were worried about the coming winter",
    "the new rules would be reviewed {time}",
    "the roads around {city} had been closed for {n} hours",
    "nobody had been told in advance",
    "the decision was taken at a closed meeting",
    "similar measures had failed before",
    "{n} families had left the area {time}",
    "the queues at the border had grown longer",
    "the ministry would publish the figures {time}",
    "the region needed investment more than soldiers",
    "the price of {goods} in {city} markets had doubled",
    "the harvest was expected to be poor",
];
pub(crate) const GOODS_EN: &[&str] = &[
    "bread",
    "fuel",
    "flour",
    "meat",
    "cement",
    "cotton",
    "sugar",
    "rice",
    "coal",
    "vegetables",
];
pub(crate) const TIMES_EN: &[&str] = &[
    "next week",
    "in the spring",
    "after the holidays",
    "before the end of the year",
    "within days",
    "later this month",
    "in the autumn",
    "by the summer",
];
pub(crate) const SAID_EN: &[&str] = &[
    "told reporters",
    "said in an interview",
    "told a news conference",
    "wrote on social media",
    "said by telephone",
];

static DETAILS_EN: Details = Details {
    claims: CLAIMS_EN,
    times: TIMES_EN,
    goods: GOODS_EN,
    parts: &[FIRST_EN, LAST_EN, ROLES_EN, SAID_EN],
    pattern: "{0} {1}, {2}, {3} that {claim}.",
};

const ROLES_RU: &[&str] = &[
    "представитель МВД",
    "губернатор области",
    "политолог",
    "местный предприниматель",
    "командир пограничной заставы",
    "депутат парламента",
    "фермер",
    "экономист",
    "отставной полковник",
    "учитель",
    "заместитель министра",
    "правозащитник",
];
const CLAIMS_RU: &[&str] = &[
    "обстановка в {city_loc} остаётся спокойной, но напряжённой",
    "переговоры возобновятся {time}",
    "в {city_loc} дополнительно направят {n} сотрудников",
    "цены на {goods} выросли на {pct}%",
    "жители {city_gen} опасаются предстоящей зимы",
    "решение было принято на закрытом совещании",
    "дороги вокруг {city_gen} были перекрыты {n} часов",
    "очереди на границе стали длиннее",
    "министерство опубликует данные {time}",
    "региону нужны инвестиции больше, чем военные",
];
pub(crate) const GOODS_RU: &[&str] = &[
    "хлеб",
    "топливо",
    "муку",
    "мясо",
    "цемент",
    "хлопок",
    "сахар",
    "рис",
    "уголь",
];
pub(crate) const TIMES_RU: &[&str] = &[
    "на следующей неделе",
    "весной",
    "после праздников",
    "до конца года",
    "в ближайшие дни",
    "осенью",
];
pub(crate) const NAMES_RU: &[&str] = &[
    "Айбек",
    "Динара",
    "Рустам",
    "Гульнара",
    "Бакыт",
    "Зарина",
    "Тимур",
    "Айгерим",
    "Нурлан",
];
pub(crate) const SURNAMES_RU: &[&str] = &[
    "Абдуллаев",
    "Омурбекова",
    "Каримов",
    "Садыкова",
    "Токтогулов",
    "Юсупова",
    "Назаров",
];

static DETAILS_RU: Details = Details {
    claims: CLAIMS_RU,
    times: TIMES_RU,
    goods: GOODS_RU,
    parts: &[NAMES_RU, SURNAMES_RU, ROLES_RU],
    pattern: "{0} {1}, {2}, сообщил журналистам, что {claim}.",
};

const CLAIMS_FA: &[&str] = &[
    "وضعیت در {city_fa} آرام است",
    "گفت\u{200C}وگوها {time} از سر گرفته می\u{200C}شود",
    "قیمت {goods} {pct} درصد افزایش یافته است",
    "مردم {city_fa} نگران زمستان هستند",
    "این تصمیم در یک نشست غیرعلنی گرفته شد",
    "صف\u{200C}ها در مرز طولانی\u{200C}تر شده است",
];
pub(crate) const GOODS_FA: &[&str] = &["نان", "سوخت", "آرد", "گوشت", "سیمان", "شکر", "برنج"];
pub(crate) const TIMES_FA: &[&str] = &[
    "هفته آینده",
    "در بهار",
    "پس از تعطیلات",
    "تا پایان سال",
    "در روزهای آینده",
];
const ROLES_FA: &[&str] = &[
    "یک کارشناس",
    "یک مقام محلی",
    "یک بازرگان",
    "یک نماینده مجلس",
    "یک استاد دانشگاه",
];

static DETAILS_FA: Details = Details {
    claims: CLAIMS_FA,
    times: TIMES_FA,
    goods: GOODS_FA,
    parts: &[ROLES_FA],
    pattern: "{0} گفت که {claim}.",
};

fn pick_topic(rng: &mut Rng, year: i32, month: u32) -> Topic {
    if rng.chance(security_share(year, month)) {
        return Topic::Security;
    }
    *rng.pick(&[
        Topic::Economy,
        Topic::Economy,
        Topic::Politics,
        Topic::Politics,
        Topic::Energy,
        Topic::Culture,
    ])
}

/// Title and paragraphs of one article in `lang`.
fn compose(rng: &mut Rng, lang: &Lang, topic: Topic, persian: bool) -> (String, Vec<String>) {
    let s = slots(rng);
    let kind = Kind {
        titles: lang.titles[topic_index(topic)],
        sentences: lang.sentences[topic_index(topic)],
    };
    let (title, paras) = article(rng, &s, &kind, lang.details, lang.closers, &DEMO_SHAPE);
    if persian {
        let paras = paras.iter().map(|p| with_persian_digits(p)).collect();
        return (with_persian_digits(&title), paras);
    }
    (title, paras)
}

/// Writes Persian with the Arabic letters ي and ك, as many Iranian sites did.
fn arabic_letters(s: &str) -> String {
    s.replace('\u{06CC}', "\u{064A}")
        .replace('\u{06A9}', "\u{0643}")
}

const EN_BYLINES: &[&str] = &[
    "Aida Sultanova",
    "James Whitford",
    "Nurlan Bekov",
    "Maria Chen",
    "Timur Rakhimov",
    "Sarah Okafor",
];

/// Counts of what [`write_demo`] wrote.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub steppe_herald: usize,
    pub caspian_wire: usize,
    pub caspian_wire_reprints: usize,
    pub novosti: usize,
    pub payam: usize,
    pub tien_shan: usize,
    pub security_by_month: Vec<(String, usize, usize)>,
}

struct Wire {
    day: u32,
    title: String,
    paras: Vec<String>,
}

/// Writes the demo corpus into `out` (created if needed) and returns what it wrote.
pub fn write_demo(out: &Path) -> io::Result<DemoSummary> {
    std::fs::create_dir_all(out)?;
    let mut rng = Rng::new(DEMO_SEED);
    let mut sum = DemoSummary::default();
    let mut herald = String::new();
    let mut wire_csv = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    wire_csv.write_record([
        "id", "source", "title", "date", "author", "category", "body",
    ])?;
    let mut novosti = Vec::new();
    let mut payam = String::new();
    let mut msg_id = 4100u64;
    let mut payam_counter = 0u64;
    for year in 2014..=2024 {
        for month in 1..=12u32 {
            let mut month_rng = rng.fork((year * 100) as u64 + month as u64);
            let mut security = 0;
            let mut total = 0;
            let mut month_wires: Vec<Wire> = Vec::new();
            // Steppe Herald: English, JSON Lines, ISO timestamps in Almaty time.
            for _ in 0..month_rng.range(3, 5) {
                let topic = pick_topic(&mut month_rng, year, month);
                let (title, paras) = compose(&mut month_rng, &EN, topic, false);
                // Up to the 27th, so that a reprint the next day stays in the month.
                let day = month_rng.range(1, 27) as u32;
                let (h, mi) = (month_rng.range(6, 22), month_rng.range(0, 59));
                let rec = json!({
                    "url": format!("https://steppe-herald.example/{year}/{month:02}/{day:02}/{}-{}", slug(&title), sum.steppe_herald + 1),
                    "headline": title,
                    "byline": month_rng.pick(EN_BYLINES),
                    "outlet": "Steppe Herald",
                    "published": format!("{year}-{month:02}-{day:02}T{h:02}:{mi:02}:00+06:00"),
                    "section": topic.name(),
                    "text": paras.join("\n\n"),
                });
                herald.push_str(&rec.to_string());
                herald.push('\n');
                month_wires.push(Wire {
                    day,
                    title: title.clone(),
                    paras: paras.clone(),
                });
                sum.steppe_herald += 1;
                total += 1;
                security += (topic == Topic::Security) as usize;
            }
            // Caspian Wire: English, CSV, "Month D, YYYY"; some reprints of Herald copy.
            for _ in 0..month_rng.range(2, 4) {
                let day;
                let (title, paras, topic_name);
                if month_rng.chance(0.08) && !month_wires.is_empty() {
                    let w = &month_wires[month_rng.below(month_wires.len() as u64) as usize];
                    // The next day (a day-precision date on the same day could not be ordered
                    // after the original's timestamp).
                    day = w.day + 1;
                    let mut p = w.paras.clone();
                    // A reprint: same story, a new headline and the last paragraph changed.
                    if let Some(last) = p.last_mut() {
                        *last = "Caspian Wire contributed to this report.".to_string();
                    }
                    title = format!("{} (report)", w.title);
                    paras = p;
                    topic_name = "wire";
                    sum.caspian_wire_reprints += 1;
                } else {
                    let topic = pick_topic(&mut month_rng, year, month);
                    let (t, p) = compose(&mut month_rng, &EN, topic, false);
                    title = t;
                    paras = p;
                    topic_name = topic.name();
                    day = month_rng.range(1, 28) as u32;
                    total += 1;
                    security += (topic == Topic::Security) as usize;
                }
                sum.caspian_wire += 1;
                wire_csv.write_record([
                    format!("CW-{:05}", sum.caspian_wire),
                    "Caspian Wire".to_string(),
                    title,
                    format!("{} {day}, {year}", MONTHS[month as usize - 1]),
                    month_rng.pick(EN_BYLINES).to_string(),
                    topic_name.to_string(),
                    paras.join("\n\n"),
                ])?;
            }
            // Новости Евразии: Russian, a JSON array, Moscow time.
            for _ in 0..month_rng.range(2, 4) {
                let topic = pick_topic(&mut month_rng, year, month);
                let (title, paras) = compose(&mut month_rng, &RU, topic, false);
                let day = month_rng.range(1, 28) as u32;
                let (h, mi, s) = (
                    month_rng.range(6, 23),
                    month_rng.range(0, 59),
                    month_rng.range(0, 59),
                );
                msg_id += month_rng.range(3, 40);
                novosti.push(json!({
                    "message_id": msg_id,
                    "channel": "Новости Евразии",
                    "date": format!("{year}-{month:02}-{day:02}T{h:02}:{mi:02}:{s:02}+03:00"),
                    "title": title,
                    "text": paras.join("\n\n"),
                    "category": topic.name(),
                }));
                sum.novosti += 1;
            }
            // Payam-e Asia: Persian, JSON Lines, the date only in the link (Solar Hijri).
            for _ in 0..month_rng.range(1, 2) {
                let topic = pick_topic(&mut month_rng, year, month);
                let (mut title, mut paras) = compose(&mut month_rng, &FA, topic, true);
                if month_rng.chance(0.4) {
                    title = arabic_letters(&title);
                    paras = paras.iter().map(|p| arabic_letters(p)).collect();
                }
                let day = month_rng.range(1, 28) as u8;
                let (jy, jm, jd) =
                    broadsheet_ingest::jalali::from_gregorian(year as i64, month as u8, day);
                payam_counter += 1;
                let rec = json!({
                    "title": title,
                    "paragraphs": paras,
                    "link": format!("https://payam-asia.example/news/{jy:04}{jm:02}{jd:02}{payam_counter:06}"),
                    "service": "آسیای مرکزی",
                    "source": "Payam-e Asia",
                });
                payam.push_str(&rec.to_string());
                payam.push('\n');
                sum.payam += 1;
            }
            sum.security_by_month
                .push((format!("{year}-{month:02}"), security, total));
        }
    }
    std::fs::write(out.join("steppe_herald.jsonl"), herald)?;
    std::fs::write(
        out.join("caspian_wire.csv"),
        wire_csv
            .into_inner()
            .map_err(|e| io::Error::other(e.to_string()))?,
    )?;
    let mut nv = serde_json::to_string_pretty(&novosti).map_err(io::Error::other)?;
    nv.push('\n');
    std::fs::write(out.join("novosti_evrazii.json"), nv)?;
    std::fs::write(out.join("payam_asia.jsonl"), payam)?;

    // Tien Shan Times: undated plain-text files with a section line, captions and a footer.
    let tst = out.join("tien_shan_times");
    for (i, topic) in [
        Topic::Security,
        Topic::Economy,
        Topic::Politics,
        Topic::Culture,
    ]
    .iter()
    .cycle()
    .take(40)
    .enumerate()
    {
        let mut r = rng.fork(9_000 + i as u64);
        let (title, paras) = compose(&mut r, &EN, *topic, false);
        let dir = tst.join(topic.name());
        std::fs::create_dir_all(&dir)?;
        let mut text = String::new();
        let _ = write!(text, "News   /   Central Asia\n\n{title}\n\n");
        for (k, p) in paras.iter().enumerate() {
            text.push_str(p);
            text.push_str("\n\n");
            if k == 0 && r.chance(0.5) {
                text.push_str("A view of the city centre at dusk. (Photo: Tien Shan Times)\n\n");
            }
        }
        text.push_str("\nSHARE THIS ARTICLE\nTien Shan Times · Bishkek\n");
        let mut f = std::fs::File::create(dir.join(format!("{:03}.txt", i + 1)))?;
        f.write_all(text.as_bytes())?;
        sum.tien_shan += 1;
    }
    Ok(sum)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn planted_shares() {
        assert_eq!(security_share(2014, 5), 0.15);
        assert_eq!(security_share(2015, 6), 0.35);
        assert_eq!(security_share(2016, 5), 0.35);
        assert_eq!(security_share(2021, 8), 0.50);
        assert_eq!(security_share(2022, 10), 0.60);
        assert_eq!(security_share(2022, 11), 0.15);
    }

    #[test]
    fn same_seed_same_bytes() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let sa = write_demo(a.path()).unwrap();
        let sb = write_demo(b.path()).unwrap();
        assert_eq!(sa, sb);
        for f in [
            "steppe_herald.jsonl",
            "caspian_wire.csv",
            "novosti_evrazii.json",
            "payam_asia.jsonl",
            "tien_shan_times/security/001.txt",
        ] {
            assert_eq!(
                std::fs::read(a.path().join(f)).unwrap(),
                std::fs::read(b.path().join(f)).unwrap(),
                "{f}"
            );
        }
        assert_eq!(sa.tien_shan, 40);
        assert!(
            sa.steppe_herald > 400 && sa.novosti > 250 && sa.payam > 100,
            "{sa:?}"
        );
    }
}
