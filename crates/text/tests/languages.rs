//! Detection on the fixtures of short news items (`fixtures/languages/*.txt`, one
//! `headline | text` per line, written for these tests): each item told right or left
//! insufficient, never told wrong, and the fixtures themselves spelled in their alphabets.

use broadsheet_text::detect_language;

/// (fixture, its language, the letters its alphabet has beyond the basic Cyrillic or Latin
/// ones, the letters it must not contain, items told right, items insufficient).
const FIXTURES: &[(&str, &str, &str, &str, usize, usize)] = &[
    ("ky", "ky", "ңөү", "әғқұһіӣӯҳҷўҗ", 59, 3),
    ("kk", "kk", "әғқңөұүһі", "ӣӯҳҷўҗ", 63, 0),
    ("tg", "tg", "ғӣқӯҳҷ", "әңөұүһіўщыць", 61, 0),
    ("uz-cyrl", "uz", "ўқғҳ", "әңөұүһіӣӯҷыщ", 59, 3),
    (
        "uz-latn",
        "uz",
        "ʻʼ",
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        62,
        0,
    ),
    ("ru", "ru", "ё", "әғқңөұүһіӣӯҳҷўҗ", 57, 5),
];

fn items(name: &str) -> Vec<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/languages")
        .join(format!("{name}.txt"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (title, text) = l.split_once(" | ").expect("headline | text");
            // As the normalizer builds its sample for a short text: the title, then the text.
            format!("{title}\n{text}")
        })
        .collect()
}

#[test]
fn fixtures_are_spelled_in_their_alphabets() {
    for (name, _, own, foreign, _, _) in FIXTURES {
        let items = items(name);
        assert!(items.len() >= 60, "{name}: {} items", items.len());
        let text = items.concat().to_lowercase();
        for c in foreign.chars() {
            assert!(!text.contains(c), "{name} contains `{c}`");
        }
        for c in own.chars().filter(|c| !"ʼё".contains(*c)) {
            assert!(text.contains(c), "{name} never uses `{c}`");
        }
    }
}

#[test]
fn fixtures_are_told_right_or_left_insufficient() {
    for (name, code, _, _, right, insufficient) in FIXTURES {
        let (mut ok, mut none, mut wrong) = (0, 0, Vec::new());
        for item in items(name) {
            match detect_language(&item) {
                Ok(d) if d.code == *code => ok += 1,
                Ok(d) => wrong.push(format!("{}: {item}", d.code)),
                Err(_) => none += 1,
            }
        }
        assert!(wrong.is_empty(), "{name} told wrong: {wrong:#?}");
        assert_eq!((ok, none), (*right, *insufficient), "{name}");
    }
}

/// The other languages of the region and its neighbours, one short item each: told right, and
/// never taken for Kyrgyz, Kazakh, Tajik or Uzbek because they share some letters.
#[test]
fn neighbours_are_not_taken_for_the_regions_languages() {
    let items = [
        ("mn", "Монгол Улсын Засгийн газар өнөөдөр хуралдаж, улсын төсвийн тухай хуулийн төслийг хэлэлцэн баталлаа. Энэ нь ирэх оны эдийн засгийн өсөлтийг хангах зорилготой юм."),
        ("tt", "Татарстан Республикасы Дәүләт Советы бүген җыелышта киләсе елга бюджет турындагы канунны кабул итте. Депутатлар мәктәпләр һәм хастаханәләр өчен өстәмә акча бүлеп бирүне хупладылар."),
        ("ba", "Башҡортостан Республикаһы Хөкүмәте бөгөн ултырышта киләһе йылға бюджет тураһында ҡанун проектын ҡараны. Депутаттар мәктәптәр һәм дауаханалар өсөн өҫтәмә аҡса бүлеүҙе хупланы."),
        ("uk", "Уряд України у вівторок затвердив проєкт державного бюджету на наступний рік. Міністр фінансів заявив, що видатки на освіту та охорону здоров'я зростуть."),
        ("tr", "Hükümet salı günü gelecek yılın bütçesini açıkladı. Maliye bakanı, eğitim ve sağlık harcamalarının önümüzdeki yıl artacağını söyledi."),
        ("tk", "Türkmenistanyň Prezidenti şu gün Hökümetiň mejlisini geçirdi. Mejlisde geljek ýylyň döwlet býujeti we ykdysadyýetiň ösüşi barada gürrüň edildi."),
        ("az", "Azərbaycan hökuməti çərşənbə axşamı gələn ilin dövlət büdcəsini təsdiq etdi. Maliyyə naziri təhsil və səhiyyə xərclərinin artacağını bildirdi."),
        ("fa", "دولت روز سه‌شنبه لایحه بودجه سال آینده را به مجلس ارائه کرد. وزیر اقتصاد گفت هزینه‌های آموزش و بهداشت در سال آینده افزایش خواهد یافت."),
        ("ar", "قدمت الحكومة يوم الثلاثاء مشروع ميزانية العام المقبل إلى البرلمان. وقال وزير المالية إن الإنفاق على التعليم والصحة سيزداد في العام المقبل."),
    ];
    let got: Vec<(&str, String)> = items
        .iter()
        .map(|(code, text)| {
            let d = detect_language(text).map(|d| d.code.to_string());
            (*code, d.unwrap_or_else(|e| format!("{e:?}")))
        })
        .collect();
    let want: Vec<(&str, String)> = items.iter().map(|(c, _)| (*c, c.to_string())).collect();
    assert_eq!(got, want);
}
