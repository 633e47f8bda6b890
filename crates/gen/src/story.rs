//! The story corpus: the first project a new user opens. Four dated outlets, one per language
//! (English, Russian, Persian, Kyrgyz), 15–20 articles each per month from January 2019 to
//! December 2024, where security coverage of Central Asia rises around real kinds of events at
//! different heights per outlet (see [`planted_share`]) and every other story is free of the
//! security vocabulary that [`SECURITY_QUERY`] looks for. Texts and quotes are invented.

use std::io;
use std::path::Path;

use serde_json::json;

use crate::demo::{FIRST_EN, GOODS_EN, LAST_EN, NAMES_RU, SAID_EN, SURNAMES_RU, TIMES_EN};
use crate::places::slots;
use crate::rng::Rng;
use crate::story_text::{FA, KY, RU};
use crate::template::{article, slug, with_persian_digits, Details, Kind, Shape};

/// The default seed of the story corpus.
pub const STORY_SEED: u64 = 20_190_101;

/// The Broadsheet query of the planted security concept, in the four languages' vocabulary
/// (prefixes take inflection: Russian cases, Kyrgyz suffixes; Persian forms are listed).
pub const SECURITY_QUERY: &str = "security OR military OR militant* OR border* OR troops OR \
soldier* OR army OR armed OR defence OR CSTO OR Taliban OR clash* OR unrest OR ceasefire OR \
peacekeep* OR безопасност* OR военн* OR войск* OR границ* OR погранич* OR ОДКБ OR талиб* OR \
боевик* OR силовик* OR вооруж* OR миротвор* OR беспорядк* OR امنیت* OR نظامی* OR مرز OR \
مرزی OR مرزها OR مرزهای OR مرزبان* OR ارتش* OR طالبان OR سرباز* OR رزمایش* OR ناآرامی* OR \
درگیری* OR коопсуз* OR \"чек ара\"* OR аскер* OR куралдуу* OR кагылыш* OR талиптер* OR \
башаламандык* OR ЖККУ*";

/// What a month's security stories are about.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Event {
    /// Arrests, defence budgets, ministers' talks.
    General,
    /// Kyrgyz–Tajik border clashes (April–May 2021, September–October 2022).
    BorderClash,
    /// The Taliban's takeover as US troops left Afghanistan (July–September 2021).
    Afghanistan,
    /// The January 2022 unrest in Kazakhstan and the CSTO deployment.
    KazakhUnrest,
    /// The CSTO's autumn exercises (every October).
    CstoDrills,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Topic {
    Security(Event),
    Economy,
    Energy,
    Culture,
    Sport,
    Weather,
}

impl Topic {
    fn index(self) -> usize {
        match self {
            Topic::Security(e) => e as usize,
            Topic::Economy => 5,
            Topic::Energy => 6,
            Topic::Culture => 7,
            Topic::Sport => 8,
            Topic::Weather => 9,
        }
    }
}

/// One language's templates: the ten kinds of story (five security events, then economy,
/// energy, culture, sport, weather), section names, details and closing lines.
pub(crate) struct Voice {
    pub(crate) kinds: [Kind; 10],
    pub(crate) sections: [&'static str; 6],
    pub(crate) details: Details,
    pub(crate) closers: &'static [&'static str],
}

impl Voice {
    fn section(&self, t: Topic) -> &'static str {
        self.sections[t.index().saturating_sub(4)]
    }
}

/// The four outlets, in the order of [`planted_share`]'s `outlet` argument.
pub const OUTLETS: [(&str, &str, &str); 4] = [
    ("Central Asia Monitor", "central_asia_monitor.jsonl", "en"),
    ("Евразия Сегодня", "evraziya_segodnya.json", "ru"),
    ("Sedaye Asia", "sedaye_asia.jsonl", "fa"),
    ("Ала-Тоо Кабар", "ala_too_kabar.csv", "ky"),
];

/// The first and last year of the corpus.
pub const YEARS: (i32, i32) = (2019, 2024);

struct Episode {
    event: Event,
    month: i32,
    share: [f64; 4],
}

const fn ep(event: Event, month: i32, share: [f64; 4]) -> Episode {
    Episode {
        event,
        month,
        share,
    }
}

/// The planted episodes: (event, YYYYMM, share of security stories per outlet).
const EPISODES: &[Episode] = &[
    ep(Event::BorderClash, 202104, [0.35, 0.40, 0.25, 0.55]),
    ep(Event::BorderClash, 202105, [0.25, 0.25, 0.18, 0.40]),
    ep(Event::Afghanistan, 202107, [0.30, 0.30, 0.40, 0.22]),
    ep(Event::Afghanistan, 202108, [0.55, 0.50, 0.60, 0.40]),
    ep(Event::Afghanistan, 202109, [0.45, 0.40, 0.55, 0.35]),
    ep(Event::KazakhUnrest, 202201, [0.45, 0.55, 0.25, 0.45]),
    ep(Event::KazakhUnrest, 202202, [0.22, 0.25, 0.16, 0.20]),
    ep(Event::BorderClash, 202209, [0.40, 0.45, 0.25, 0.60]),
    ep(Event::BorderClash, 202210, [0.25, 0.30, 0.18, 0.40]),
];
const BASE: [f64; 4] = [0.15, 0.15, 0.14, 0.15];
const OCTOBER: [f64; 4] = [0.20, 0.28, 0.16, 0.24];

/// The planted share of security stories of `outlet` (an index into [`OUTLETS`]) in a month,
/// with the event they are mostly about: a base of 14–15%, raised in the episodes above and
/// each October (CSTO exercises).
pub fn planted_share(outlet: usize, year: i32, month: u32) -> (f64, Event) {
    let ym = year * 100 + month as i32;
    if let Some(e) = EPISODES.iter().find(|e| e.month == ym) {
        return (e.share[outlet], e.event);
    }
    if month == 10 {
        return (OCTOBER[outlet], Event::CstoDrills);
    }
    (BASE[outlet], Event::General)
}

/// The topics of one outlet's `n` articles in a month: the planted share of them (rounded at
/// random, so that the expected count is exact) are security stories, mostly about the month's
/// event, in random order; the rest are other news.
fn month_topics(rng: &mut Rng, outlet: usize, year: i32, month: u32, n: u64) -> Vec<Topic> {
    let (share, event) = planted_share(outlet, year, month);
    let security = (share * n as f64 + rng.unit()).floor() as u64;
    let mut topics: Vec<Topic> = (0..n)
        .map(|i| {
            if i >= security {
                *rng.pick(&[
                    Topic::Economy,
                    Topic::Economy,
                    Topic::Energy,
                    Topic::Culture,
                    Topic::Sport,
                    Topic::Weather,
                ])
            } else if event != Event::General && rng.chance(0.75) {
                Topic::Security(event)
            } else {
                Topic::Security(Event::General)
            }
        })
        .collect();
    for i in (1..topics.len()).rev() {
        topics.swap(i, rng.below(i as u64 + 1) as usize);
    }
    topics
}

/// Two to four body sentences and one or two details: shorter than the demo's, to keep the
/// corpus under 8 MB.
const STORY_SHAPE: Shape = Shape {
    sentences: (2, 4),
    details: (1, 2),
};

/// Counts of what [`write_story`] wrote, per outlet in the order of [`OUTLETS`].
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct StorySummary {
    pub articles: [usize; 4],
    pub security: [usize; 4],
    pub bytes: u64,
}

/// The four outlets' files while they are written.
struct Files {
    monitor: String,
    evraziya: Vec<serde_json::Value>,
    sedaye: String,
    ala_too: csv::Writer<Vec<u8>>,
}

/// One generated article before it is written in its outlet's format.
struct Item {
    year: i32,
    month: u32,
    day: u32,
    hour: u64,
    minute: u64,
    title: String,
    paras: Vec<String>,
    section: &'static str,
    number: usize,
}

/// Writes the story corpus into `out` (created if needed) and returns what it wrote.
pub fn write_story(out: &Path, seed: u64) -> io::Result<StorySummary> {
    std::fs::create_dir_all(out)?;
    let mut rng = Rng::new(seed);
    let mut sum = StorySummary::default();
    let mut files = Files {
        monitor: String::new(),
        evraziya: Vec::new(),
        sedaye: String::new(),
        ala_too: csv::WriterBuilder::new().from_writer(Vec::new()),
    };
    files.ala_too.write_record([
        "id", "source", "title", "date", "author", "category", "body",
    ])?;
    let voices: [&Voice; 4] = [&EN, &RU, &FA, &KY];
    for year in YEARS.0..=YEARS.1 {
        for month in 1..=12u32 {
            let mut month_rng = rng.fork((year * 100) as u64 + month as u64);
            for (outlet, voice) in voices.iter().enumerate() {
                let n = month_rng.range(15, 20);
                for topic in month_topics(&mut month_rng, outlet, year, month, n) {
                    let s = slots(&mut month_rng);
                    let kind = &voice.kinds[topic.index()];
                    let (title, paras) = article(
                        &mut month_rng,
                        &s,
                        kind,
                        &voice.details,
                        voice.closers,
                        &STORY_SHAPE,
                    );
                    sum.articles[outlet] += 1;
                    sum.security[outlet] += matches!(topic, Topic::Security(_)) as usize;
                    let item = Item {
                        year,
                        month,
                        day: month_rng.range(1, 28) as u32,
                        hour: month_rng.range(8, 22),
                        minute: month_rng.range(0, 59),
                        title,
                        paras,
                        section: voice.section(topic),
                        number: sum.articles[outlet],
                    };
                    write_item(&mut files, outlet, item, &mut month_rng)?;
                }
            }
        }
    }
    sum.bytes = finish(out, files)?;
    Ok(sum)
}

fn write_item(f: &mut Files, outlet: usize, it: Item, rng: &mut Rng) -> io::Result<()> {
    let (y, m, d) = (it.year, it.month, it.day);
    let time = format!("{:02}:{:02}", it.hour, it.minute);
    match outlet {
        0 => {
            let rec = json!({
                "url": format!("https://ca-monitor.example/{y}/{m:02}/{d:02}/{}-{}", slug(&it.title), it.number),
                "headline": it.title,
                "byline": format!("{} {}", rng.pick(FIRST_EN), rng.pick(LAST_EN)),
                "outlet": OUTLETS[0].0,
                "published": format!("{y}-{m:02}-{d:02}T{time}:00+05:00"),
                "section": it.section,
                "text": it.paras.join("\n\n"),
            });
            f.monitor.push_str(&rec.to_string());
            f.monitor.push('\n');
        }
        1 => f.evraziya.push(json!({
            "message_id": 20_000 + it.number * 7,
            "channel": OUTLETS[1].0,
            "date": format!("{y}-{m:02}-{d:02}T{time}:00+03:00"),
            "title": it.title,
            "text": it.paras.join("\n\n"),
            "category": it.section,
        })),
        2 => {
            let paras: Vec<String> = it.paras.iter().map(|p| with_persian_digits(p)).collect();
            let rec = json!({
                "title": with_persian_digits(&it.title),
                "paragraphs": paras,
                "date": format!("{y}-{m:02}-{d:02}T{time}:00+03:30"),
                "link": format!("https://sedaye-asia.example/fa/news/{}", 70_000 + it.number),
                "service": it.section,
                "source": OUTLETS[2].0,
            });
            f.sedaye.push_str(&rec.to_string());
            f.sedaye.push('\n');
        }
        _ => f.ala_too.write_record([
            format!("AT-{:05}", it.number),
            OUTLETS[3].0.to_string(),
            it.title,
            format!("{d:02}.{m:02}.{y}"),
            format!("{} {}", rng.pick(NAMES_RU), rng.pick(SURNAMES_RU)),
            it.section.to_string(),
            it.paras.join("\n\n"),
        ])?,
    }
    Ok(())
}

/// Writes the four files and returns their total size in bytes.
fn finish(out: &Path, f: Files) -> io::Result<u64> {
    let mut ev = serde_json::to_string_pretty(&f.evraziya).map_err(io::Error::other)?;
    ev.push('\n');
    let csv = f
        .ala_too
        .into_inner()
        .map_err(|e| io::Error::other(e.to_string()))?;
    let contents: [&[u8]; 4] = [
        f.monitor.as_bytes(),
        ev.as_bytes(),
        f.sedaye.as_bytes(),
        &csv,
    ];
    let mut bytes = 0;
    for ((_, file, _), c) in OUTLETS.iter().zip(contents) {
        std::fs::write(out.join(file), c)?;
        bytes += c.len() as u64;
    }
    Ok(bytes)
}

const ROLES_EN: &[&str] = &[
    "an economist",
    "a farmer",
    "a teacher",
    "a local trader",
    "a city council member",
    "a deputy minister",
    "an engineer",
    "a doctor",
    "a shop owner",
    "a taxi driver",
];
const CLAIMS_EN: &[&str] = &[
    "prices for {goods} had risen {pct} percent",
    "residents of {city} were preparing for winter",
    "the new rules would be reviewed {time}",
    "the ministry would publish the figures {time}",
    "the price of {goods} in {city} markets had doubled",
    "the harvest was expected to be poor",
    "dozens of families would move into new homes {time}",
    "nobody had been told in advance",
    "the decision was taken at a closed meeting",
    "the roads around {city} had been closed for {n} hours",
];

static EN: Voice = Voice {
    kinds: [
        Kind {
            titles: &[
                ("{Country} raises defence spending by {pct} percent", "The government of {country} will raise military spending by {pct} percent next year, the defence ministry said on {weekday}."),
                ("Security services in {country} detain {n} suspects", "Security services in {country} detained {n} people suspected of planning attacks in {city}, officials said on {weekday}."),
                ("{Country} and {country2} hold talks on regional security", "Defence ministers of {country} and {country2} met in {city} to discuss regional security and border cooperation."),
            ],
            sentences: &[
                "Officials said the suspects had links to militant groups abroad.",
                "The defence ministry said new equipment would be delivered to army units in the south.",
                "Analysts say governments in the region often cite security threats to justify tighter controls.",
                "Russia keeps military bases in Kyrgyzstan and Tajikistan.",
                "Police and soldiers set up checkpoints on roads leading to {city}.",
            ],
        },
        Kind {
            titles: &[
                ("Deadly clashes on Kyrgyz–Tajik border", "Kyrgyz and Tajik border guards exchanged fire near Batken on {weekday}, leaving at least {n} people dead, officials in Bishkek said."),
                ("Kyrgyzstan evacuates villages as border fighting spreads", "Authorities in Kyrgyzstan evacuated thousands of residents from villages near the border with Tajikistan as fighting spread along the frontier."),
                ("Kyrgyz and Tajik leaders agree ceasefire", "The presidents of Kyrgyzstan and Tajikistan agreed a ceasefire and the withdrawal of troops from the disputed border section."),
            ],
            sentences: &[
                "The clashes began over a water intake on a disputed section of the border.",
                "Both sides accused each other of using mortars and armed drones against border posts.",
                "Residents said houses and a school in the border villages were burned during the fighting.",
                "About a third of the border between the two countries has not been demarcated.",
                "The security services of both countries said talks on the border would continue.",
            ],
        },
        Kind {
            titles: &[
                ("Central Asian states brace as Taliban take northern Afghanistan", "Governments in Central Asia reinforced their borders with Afghanistan as Taliban fighters seized districts along the frontier."),
                ("Tajikistan sends {big} troops to Afghan border", "Tajikistan called up {big} reservists and sent troops to its border with Afghanistan, the defence ministry said."),
                ("Uzbekistan to return Afghan military aircraft", "Uzbekistan said it would hand over Afghan military aircraft that crossed the border as Kabul fell to the Taliban."),
            ],
            sentences: &[
                "The withdrawal of US troops left the Taliban in control of Afghanistan.",
                "Russia held joint military exercises with Tajik and Uzbek forces near the Afghan border.",
                "Officials fear that militant groups could use northern Afghanistan as a base.",
                "The CSTO said it was ready to help defend Tajikistan's border if needed.",
                "Hundreds of Afghan soldiers crossed into Tajikistan and Uzbekistan to escape the fighting.",
            ],
        },
        Kind {
            titles: &[
                ("CSTO troops arrive in Kazakhstan after deadly unrest", "Troops of the Collective Security Treaty Organization arrived in Kazakhstan after protests over fuel prices turned into deadly unrest in Almaty."),
                ("Tokayev orders security forces to fire without warning", "President Kassym-Jomart Tokayev said he had ordered security forces to open fire without warning on armed groups in Almaty."),
                ("Kazakhstan says {n} killed in January unrest", "Officials in Kazakhstan said {n} people, among them members of the security forces, were killed in the January unrest."),
            ],
            sentences: &[
                "The protests began in western Kazakhstan after the price of liquefied gas doubled.",
                "Soldiers and armoured vehicles patrolled the streets of Almaty.",
                "The CSTO force included troops from Russia, Belarus, Armenia, Kyrgyzstan and Tajikistan.",
                "The authorities declared a state of emergency and cut internet access across the country.",
                "The former head of the national security committee was arrested on charges of treason.",
            ],
        },
        Kind {
            titles: &[
                ("CSTO holds military exercises in {country}", "The Collective Security Treaty Organization began its annual military exercises in {country} with about {big} troops."),
                ("Russian and Central Asian troops train near Afghan border", "Troops from Russia and Central Asian states held joint exercises at a range near the Afghan border."),
            ],
            sentences: &[
                "The exercises included artillery fire, air strikes and a paratroop landing.",
                "Defence officials said the drills rehearsed the response to an incursion by militants.",
                "Observers from China attended the exercises.",
                "The CSTO holds such drills every autumn.",
            ],
        },
        Kind {
            titles: &[
                ("{Country} posts {pct} percent growth", "The economy of {country} grew {pct} percent in the first half of the year, the statistics agency said on {weekday}."),
                ("Remittances to {country} rise", "Money sent home by migrant workers in Russia rose {pct} percent, the central bank of {country} said."),
                ("New freight route links {city} and China", "A new road and rail route between {city} and western China opened for freight on {weekday}."),
            ],
            sentences: &[
                "China has become the largest trading partner of several Central Asian states.",
                "The central bank of {country} kept its key rate at {pct} percent.",
                "Economists said higher prices for gold and cotton supported exports.",
                "Small businesses in {city} complained about high taxes and slow payments.",
                "The government plans to sell stakes in several state companies.",
            ],
        },
        Kind {
            titles: &[
                ("New hydropower plant in {country} reaches full capacity", "The new hydropower plant on the {river} produced {big} megawatts for the first time, the energy ministry said."),
                ("{Country} raises electricity tariffs", "Electricity tariffs in {country} will rise by {pct} percent from next month, the energy ministry said."),
                ("Gas exports from {country} to China grow", "Gas deliveries from {country} to China rose {pct} percent after a new compressor station opened."),
            ],
            sentences: &[
                "Downstream neighbours worry about the effect of new dams on water for farming.",
                "Power cuts are common in winter when demand for heating peaks.",
                "Engineers said the new turbines would cut losses on the grid.",
                "Solar panels are being installed on public buildings in {city}.",
                "The energy ministry said tariffs had not covered the cost of generation for years.",
            ],
        },
        Kind {
            titles: &[
                ("{City} hosts international film festival", "Film makers from across Central Asia gathered in {city} for the annual film festival."),
                ("Nowruz celebrated across {country}", "Thousands of people gathered in {city} to celebrate Nowruz, the spring new year."),
                ("Archaeologists uncover Silk Road settlement near {city}", "Archaeologists said finds near {city} shed new light on trade along the Silk Road."),
            ],
            sentences: &[
                "Musicians, craftsmen and cooks from every region took part.",
                "Organisers said attendance had grown every year.",
                "The national museum in {city} will show the finds next spring.",
                "Tickets for the closing concert sold out within hours.",
                "Storytellers recited passages from the Manas epic.",
            ],
        },
        Kind {
            titles: &[
                ("{Country} wins gold at World Nomad Games", "Athletes from {country} won several gold medals at the World Nomad Games, including in horseback wrestling."),
                ("{City} football club reaches cup final", "The football club from {city} reached the national cup final after a 2-1 win on {weekday}."),
                ("Wrestlers from {country} prepare for Olympics", "The national wrestling team of {country} began a training camp in {city} ahead of the Olympic Games."),
            ],
            sentences: &[
                "Kok-boru, a game played on horseback, drew the largest crowds.",
                "The coach said the team had trained twice a day for a month.",
                "A new stadium for {big} spectators is being built in {city}.",
                "Fans travelled from {city2} to watch the match.",
                "The federation said its best athletes had qualified for the championships.",
            ],
        },
        Kind {
            titles: &[
                ("Heavy snow closes mountain passes in {country}", "Heavy snowfall closed several mountain passes in {country} on {weekday}, the emergencies ministry said."),
                ("Heatwave hits {city}", "Temperatures in {city} have stayed above 40 degrees Celsius for a week."),
                ("Drought threatens harvest in {country}", "Farmers in {country} warned that a dry spring could cut the wheat harvest by {pct} percent."),
            ],
            sentences: &[
                "Forecasters expect temperatures to return to normal next week.",
                "Mudslides blocked the road between {city} and {city2} for several hours.",
                "Farmers said water for irrigation was running short.",
                "The emergencies ministry urged drivers to avoid mountain roads.",
                "Glaciers in the Tien Shan have shrunk by about a third in half a century.",
            ],
        },
    ],
    sections: ["security", "economy", "energy", "culture", "sport", "weather"],
    details: Details {
        claims: CLAIMS_EN,
        times: TIMES_EN,
        goods: GOODS_EN,
        parts: &[FIRST_EN, LAST_EN, ROLES_EN, SAID_EN],
        pattern: "{0} {1}, {2}, {3} that {claim}.",
    },
    closers: &[
        "The ministry did not give further details.",
        "Officials in {city} declined to comment.",
        "More figures are expected later this year.",
    ],
};
