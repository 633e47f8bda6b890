//! Recipe suggestions: when files imported without a recipe look like a collection a recipe is
//! for (the keys its `[map]` names, its SGML records, the marks it declares under `[signals]`),
//! say which recipe fits and what it would change against the automatic import. Everything is
//! judged on a sample: the opening [`HEAD_BYTES`] of at most [`SAMPLE_FILES`] files, at most
//! [`SAMPLE_RECORDS`] records from each, never whole files.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::Read;
use std::path::PathBuf;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::input::{discover, format_of, read_sample, wildcard, Format, InputFile};
use crate::mapping::{normalize_key, Field};
use crate::normalize::{normalize, strip_markdown, Article, LanguageOrigin, NormalizeOptions};
use crate::readers::{Flow, ReadOptions, Sink};
use crate::recipe::{builtin, DateFrom, Recipe, BUILTIN};
use crate::record::{Diagnostic, Locator, RawRecord};

/// Records read from the opening of each sampled file (more when fewer files are sampled, up
/// to [`SAMPLE_TOTAL`] from a single file).
pub const SAMPLE_RECORDS: usize = 50;
/// Files sampled, spread evenly over the files found.
pub const SAMPLE_FILES: usize = 24;
/// Records sampled in all; no further file is read once this many are in.
pub const SAMPLE_TOTAL: usize = 400;
/// Bytes read from the opening of each sampled file.
pub const HEAD_BYTES: u64 = 1 << 20;

/// A recipe that fits the files, with what fits and what it would change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct RecipeSuggestion {
    /// The recipe's name (`huffpost_news_category`).
    pub name: String,
    /// What the sample has that the recipe expects: `headline → title`, `<REUTERS> records`,
    /// `URLs on www.huffpost.com, www.huffingtonpost.com`.
    pub matched_fields: Vec<String>,
    /// What importing with the recipe would change against importing without one, in words.
    pub changes: Vec<String>,
}

/// The built-in recipes that fit the files or folders in `paths`, best fit first (most matched
/// marks, then by name). Empty when none fits well, or when `paths` cannot be read.
pub fn suggest_recipes(paths: &[PathBuf]) -> Vec<RecipeSuggestion> {
    let recipes: Vec<Recipe> = BUILTIN
        .iter()
        .filter_map(|(n, _)| builtin(n).ok())
        .collect();
    suggest_among(paths, &recipes)
}

/// [`suggest_recipes`] among the given recipes (a user's own, say); recipes without a name
/// are never suggested.
pub fn suggest_among(paths: &[PathBuf], recipes: &[Recipe]) -> Vec<RecipeSuggestion> {
    let Ok((files, _)) = discover(paths, None, &[]) else {
        return Vec::new();
    };
    let mut sampler = Sampler::default();
    let mut out: Vec<(usize, RecipeSuggestion)> = recipes
        .iter()
        .filter_map(|r| fit(r, &files, &mut sampler))
        .collect();
    out.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.name.cmp(&b.1.name)));
    out.into_iter().map(|(_, s)| s).collect()
}

/// A sink that keeps the first records and ignores diagnostics (a cut-off record at the end of
/// a sample is the sample's, not the file's).
struct Take(Vec<(RawRecord, Locator)>, usize);

impl Sink for Take {
    fn record(&mut self, record: RawRecord, at: Locator) -> Flow {
        self.0.push((record, at));
        if self.0.len() >= self.1 {
            Flow::Stop
        } else {
            Flow::Continue
        }
    }
    fn diagnostic(&mut self, _: Diagnostic) -> Flow {
        Flow::Continue
    }
}

/// One sampled file: its opening, its format, and the records the automatic import reads.
struct Sampled {
    head: Vec<u8>,
    format: Option<Format>,
    auto: Vec<(RawRecord, Locator)>,
}

/// Each file's opening is read once (for as many records), however many recipes are tried.
#[derive(Default)]
struct Sampler(BTreeMap<(PathBuf, usize), Sampled>);

impl Sampler {
    fn load(&mut self, f: &InputFile, want: usize) {
        self.0.entry((f.path.clone(), want)).or_insert_with(|| {
            let mut head = Vec::new();
            if let Ok(file) = File::open(&f.path) {
                let _ = file.take(HEAD_BYTES).read_to_end(&mut head);
            }
            let format = format_of(f, &head, None);
            let mut sink = Take(Vec::new(), want);
            let _ = read_sample(f, &head, None, &ReadOptions::default(), &mut sink);
            Sampled {
                head,
                format,
                auto: sink.0,
            }
        });
    }
}

/// A sampled file as the automatic import and the recipe read it.
struct FileSample<'a> {
    file: &'a InputFile,
    sampled: &'a Sampled,
    recipe: Vec<(RawRecord, Locator)>,
}

/// Whether the import under `recipe` reads `f` at all: its include patterns, and a file whose
/// extension names another format than the recipe's is skipped (as `discover` does).
fn admits(recipe: &Recipe, f: &InputFile) -> bool {
    let name = f.path.file_name().map(|n| n.to_string_lossy().into_owned());
    let name = name.unwrap_or_default();
    if !recipe.include.is_empty() && !recipe.include.iter().any(|p| wildcard(p, &name)) {
        return false;
    }
    match (recipe.format, Format::by_extension(&name)) {
        (Some(Format::Mail), Some(Format::Text)) => true,
        (Some(want), Some(ext)) => want == ext || matches!(ext, Format::Zip | Format::Gzip),
        _ => true,
    }
}

/// At most `n` items spread evenly over `items`, in order.
fn spread<'a>(items: &[&'a InputFile], n: usize) -> Vec<&'a InputFile> {
    if items.len() <= n {
        return items.to_vec();
    }
    (0..n).map(|i| items[i * items.len() / n]).collect()
}

/// The recipe's suggestion with its score (how many marks matched), when it fits.
fn fit(
    recipe: &Recipe,
    all: &[InputFile],
    sampler: &mut Sampler,
) -> Option<(usize, RecipeSuggestion)> {
    let name = recipe.name.clone()?;
    let admitted: Vec<&InputFile> = all.iter().filter(|f| admits(recipe, f)).collect();
    let picked = spread(&admitted, SAMPLE_FILES);
    let want = (SAMPLE_TOTAL / picked.len().max(1)).max(SAMPLE_RECORDS);
    for f in &picked {
        sampler.load(f, want);
    }
    let read_opts = recipe.read_options();
    let mut sample = Vec::new();
    let mut total = 0;
    for f in picked {
        if total >= SAMPLE_TOTAL {
            break;
        }
        let sampled = &sampler.0[&(f.path.clone(), want)];
        if let Some(want) = recipe.format {
            let archive = matches!(sampled.format, Some(Format::Zip | Format::Gzip));
            if sampled.format != Some(want) && !archive {
                return None;
            }
        }
        let mut sink = Take(Vec::new(), want);
        let _ = read_sample(f, &sampled.head, recipe.format, &read_opts, &mut sink);
        total += sink.0.len();
        sample.push(FileSample {
            file: f,
            sampled,
            recipe: sink.0,
        });
    }
    if sample.is_empty() {
        return None;
    }
    let matched = evidence(recipe, &sample)?;
    let auto = auto_articles(&sample);
    if !language_agrees(recipe, &auto) {
        return None;
    }
    let changes = changes(recipe, all.len(), admitted.len(), &sample, &auto);
    if changes.is_empty() {
        return None;
    }
    Some((
        matched.len(),
        RecipeSuggestion {
            name,
            matched_fields: matched,
            changes,
        },
    ))
}

/// Key names every export has: alone they never make a recipe fit.
const GENERIC_KEYS: &[&str] = &[
    "title",
    "text",
    "body",
    "content",
    "date",
    "url",
    "link",
    "id",
    "author",
    "authors",
    "source",
    "section",
    "category",
    "description",
    "summary",
    "language",
    "lang",
    "name",
    "type",
    "time",
    "tags",
];

/// What in the sample matches what the recipe expects, or `None` when it does not fit: a field
/// the `[map]` names that is empty in more than half the sampled records, a `[signals]` mark
/// that does not hold, fewer than two fields matched (recipes with fields) or no mark at all
/// (recipes without), or nothing but generic key names.
fn evidence(recipe: &Recipe, sample: &[FileSample]) -> Option<Vec<String>> {
    let recs: Vec<&RawRecord> = sample
        .iter()
        .flat_map(|s| s.recipe.iter().map(|(r, _)| r))
        .collect();
    let n = recs.len();
    let mostly = |field: Field| {
        let filled = recs.iter().filter(|r| value_of(r, field).is_some()).count();
        n > 0 && filled * 2 >= n
    };
    let mut fields = Vec::new();
    let mut distinctive = false;
    for (field, sel) in &recipe.map {
        if !mostly(*field) {
            return None;
        }
        fields.push(format!("{sel} → {field}"));
        distinctive |= !GENERIC_KEYS.contains(&normalize_key(&sel.to_string()).as_str());
    }
    if let Some(cfg) = &recipe.sgml {
        if n == 0 {
            return None;
        }
        fields.push(format!("<{}> records", cfg.record));
        distinctive = true;
        let mut by_target: BTreeMap<Field, Vec<&str>> = BTreeMap::new();
        for f in &cfg.fields {
            if let Ok(field) = f.target.parse::<Field>() {
                by_target.entry(field).or_default().push(&f.path);
            }
        }
        for (field, paths) in by_target {
            if mostly(field) {
                fields.push(format!("{} → {field}", paths.join(" or ")));
            }
        }
    }
    let signals = signal_evidence(recipe, sample, &recs)?;
    distinctive |= !signals.is_empty();
    let has_fields = !recipe.map.is_empty() || recipe.sgml.is_some();
    let enough = if has_fields {
        fields.len() >= 2
    } else {
        !signals.is_empty()
    };
    if !enough || !distinctive {
        return None;
    }
    fields.extend(signals);
    Some(fields)
}

/// The `[signals]` marks and include patterns that hold, or `None` when one does not.
fn signal_evidence(
    recipe: &Recipe,
    sample: &[FileSample],
    recs: &[&RawRecord],
) -> Option<Vec<String>> {
    let sig = &recipe.signals;
    let mut out = Vec::new();
    if !recipe.include.is_empty() {
        out.push(format!("file names {}", recipe.include.join(", ")));
    }
    if !sig.hosts.is_empty() {
        let hosts: Vec<String> = recs
            .iter()
            .filter_map(|r| r.url.as_deref().map(host_of))
            .collect();
        let on = |h: &String| {
            sig.hosts
                .iter()
                .any(|x| h == x || h.ends_with(&format!(".{x}")))
        };
        let matching: BTreeSet<&String> = hosts.iter().filter(|h| on(h)).collect();
        let count = hosts.iter().filter(|h| on(h)).count();
        if hosts.is_empty() || count * 10 < hosts.len() * 9 {
            return None;
        }
        out.push(format!("URLs on {}", join(matching)));
    }
    if !sig.folders.is_empty() {
        let mut seen = BTreeSet::new();
        for s in sample {
            let folder = s.file.folder.as_deref().unwrap_or(&s.file.root_name);
            let known = sig
                .folders
                .iter()
                .find(|f| f.eq_ignore_ascii_case(folder))?;
            seen.insert(known);
        }
        out.push(format!("folders {}", join(seen)));
    }
    if !sig.files.is_empty() {
        for s in sample {
            let name = s.file.path.file_name()?.to_string_lossy();
            sig.files.iter().find(|p| wildcard(p, &name))?;
        }
        out.push(format!("file names like {}", sig.files.join(", ")));
    }
    for pattern in &sig.text {
        let re = Regex::new(pattern).ok()?;
        let hits = sample
            .iter()
            .filter(|s| re.is_match(&String::from_utf8_lossy(&s.sampled.head)))
            .count();
        if hits * 2 < sample.len() {
            return None;
        }
        out.push(format!("text matching `{pattern}`"));
    }
    Some(out)
}

fn join<T: std::fmt::Display>(items: impl IntoIterator<Item = T>) -> String {
    let v: Vec<String> = items.into_iter().map(|x| x.to_string()).collect();
    v.join(", ")
}

/// The host of a URL, lower case, without user or port (`""` when there is none).
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or("");
    host.split(':').next().unwrap_or("").to_ascii_lowercase()
}

/// A record's value for an article field, when it has one.
fn value_of(r: &RawRecord, field: Field) -> Option<String> {
    let v = match field {
        Field::Title => r.title.clone(),
        Field::Body => r.body.clone(),
        Field::Date => r
            .date
            .as_ref()
            .filter(|v| !v.is_null())
            .map(|v| v.to_string()),
        Field::Source => r.source.clone(),
        Field::Url => r.url.clone(),
        Field::Id => r.id.clone(),
        Field::Author => r.author.clone(),
        Field::Section => r.section.clone(),
        Field::Language => r.language.clone(),
    };
    v.filter(|s| !s.trim().is_empty())
}

/// Whether the language a recipe declares is not contradicted by the sample: it is wrong when
/// most of the sampled articles whose language can be told are in another one (a Ukrainian
/// channel exported like the Russian ones).
fn language_agrees(recipe: &Recipe, auto: &[Option<Article>]) -> bool {
    let Ok(Some(code)) = recipe.language_code() else {
        return true;
    };
    let detected: Vec<&String> = auto
        .iter()
        .flatten()
        .filter(|a| a.language_origin == Some(LanguageOrigin::Detected))
        .filter_map(|a| a.language.as_ref())
        .collect();
    let same = detected.iter().filter(|l| l.as_str() == code).count();
    detected.is_empty() || same * 2 >= detected.len()
}

/// The sampled records as the automatic import normalizes them (`None`: not stored).
fn auto_articles(sample: &[FileSample]) -> Vec<Option<Article>> {
    let opts = NormalizeOptions::default();
    sample
        .iter()
        .flat_map(|s| {
            s.sampled.auto.iter().map(|(r, at)| {
                normalize(r.clone(), at, &s.file.root_name, &opts)
                    .ok()
                    .map(|(a, _)| a)
            })
        })
        .collect()
}

/// The sampled records as the import under `recipe` normalizes them.
fn recipe_articles(recipe: &Recipe, sample: &[FileSample]) -> Vec<Option<Article>> {
    let Ok(opts) = recipe.normalize_options() else {
        return Vec::new();
    };
    sample
        .iter()
        .flat_map(|s| {
            s.recipe.iter().map(|(r, at)| {
                normalize(r.clone(), at, &s.file.root_name, &opts)
                    .ok()
                    .map(|(a, _)| a)
            })
        })
        .collect()
}

/// An article field's value, for comparing two readings.
fn article_value(a: &Article, field: Field) -> Option<String> {
    match field {
        Field::Title => Some(a.title.clone()).filter(|t| !t.is_empty()),
        Field::Body => Some(a.body.clone()).filter(|t| !t.is_empty()),
        Field::Date => a.date.map(|d| format!("{}:{:?}", d.timestamp, d.precision)),
        Field::Source => Some(a.source.clone()),
        Field::Url => a.url.clone(),
        Field::Id => a.external_id.clone(),
        Field::Author => a.byline.clone(),
        Field::Section => a.section.clone(),
        Field::Language => a.language.clone(),
    }
}

/// Counts of values, most frequent first, in words: `“www.huffpost.com” 43, “www.huffingtonpost.com” 7`.
fn tally(values: impl IntoIterator<Item = Option<String>>) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for v in values {
        *counts
            .entry(v.map_or("none".into(), |v| format!("“{v}”")))
            .or_default() += 1;
    }
    let mut v: Vec<(String, usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let shown: Vec<String> = v.iter().take(4).map(|(k, n)| format!("{k} {n}")).collect();
    match v.len() {
        0..=4 => shown.join(", "),
        more => format!("{}, and {} others", shown.join(", "), more - 4),
    }
}

/// What importing with `recipe` changes against the automatic import, in sentences derived
/// from the recipe's contents and measured on the sample.
fn changes(
    recipe: &Recipe,
    found: usize,
    admitted: usize,
    sample: &[FileSample],
    auto: &[Option<Article>],
) -> Vec<String> {
    let mine = recipe_articles(recipe, sample);
    let pairs: Vec<(&Article, &Article)> = auto
        .iter()
        .zip(&mine)
        .filter_map(|(a, m)| Some((a.as_ref()?, m.as_ref()?)))
        .collect();
    let n = mine.iter().flatten().count();
    let differs = |f: Field| {
        pairs
            .iter()
            .filter(|(a, m)| article_value(a, f) != article_value(m, f))
            .count()
    };
    let mut out = Vec::new();
    if admitted < found {
        let which = if recipe.include.is_empty() {
            format!(
                "the {} files",
                recipe.format.map_or("readable", |f| f.name())
            )
        } else {
            format!("those named {}", recipe.include.join(", "))
        };
        out.push(format!(
            "reads only {which}: {admitted} of the {found} files found ({} skipped)",
            found - admitted
        ));
    }
    if differs(Field::Source) > 0 {
        let before = tally(auto.iter().flatten().map(|a| Some(a.source.clone())));
        let how = match (&recipe.source, recipe.map.get(&Field::Source)) {
            (Some(s), _) => format!("sets the source to “{s}” for every article"),
            (None, Some(sel)) => format!("takes the source from the field `{sel}`"),
            (None, None) => "names the sources differently".into(),
        };
        out.push(format!("{how} (the automatic import names {before})"));
    }
    if let Ok(Some(code)) = recipe.language_code() {
        let before = tally(auto.iter().flatten().map(|a| a.language.clone()));
        out.push(format!(
            "declares the language {code} for every article (automatic detection would guess per article: {before} in the sample)"
        ));
    }
    out.extend(field_changes(recipe, &pairs));
    out.extend(date_changes(recipe, auto, &mine, n));
    if recipe.strip_markdown {
        let k = auto
            .iter()
            .flatten()
            .filter(|a| strip_markdown(&a.body) != a.body)
            .count();
        if k > 0 {
            out.push(format!(
                "removes Markdown emphasis and links from the texts ({k} of {} sampled articles have some)",
                auto.iter().flatten().count()
            ));
        }
    }
    out.extend(extra_changes(&pairs));
    out
}

/// The mapped fields (and SGML fields, and the title rule) that read differently.
fn field_changes(recipe: &Recipe, pairs: &[(&Article, &Article)]) -> Vec<String> {
    // Markdown removed is said once, by itself, not as a different title or body.
    let before = |a: &Article, f: Field| {
        let v = article_value(a, f);
        match f {
            Field::Title | Field::Body if recipe.strip_markdown => v.map(|t| strip_markdown(&t)),
            _ => v,
        }
    };
    let differs = |f: Field| {
        pairs
            .iter()
            .filter(|(a, m)| before(a, f) != article_value(m, f))
            .count()
    };
    let mut out = Vec::new();
    let n = pairs.len();
    for field in [
        Field::Title,
        Field::Body,
        Field::Url,
        Field::Id,
        Field::Author,
        Field::Section,
    ] {
        let k = differs(field);
        if k == 0 {
            continue;
        }
        let empty = pairs
            .iter()
            .filter(|(a, m)| article_value(a, field).is_none() && article_value(m, field).is_some())
            .count();
        let before = if empty == k {
            format!("the automatic import leaves it empty in {k} of {n} sampled articles")
        } else {
            format!("the automatic import reads it otherwise in {k} of {n} sampled articles")
        };
        let sgml_paths: Vec<&str> = recipe
            .sgml
            .iter()
            .flat_map(|c| c.fields.iter())
            .filter(|f| f.target == field.name())
            .map(|f| f.path.as_str())
            .collect();
        let how = if let Some(sel) = recipe.map.get(&field) {
            format!("takes the {field} from the field `{sel}`")
        } else if !sgml_paths.is_empty() {
            format!("takes the {field} from {}", sgml_paths.join(" or "))
        } else if field == Field::Title && recipe.title != Default::default() {
            let rule = serde_json::to_value(recipe.title).unwrap_or_default();
            format!("takes titles by the rule {rule}")
        } else {
            continue;
        };
        out.push(format!("{how} ({before})"));
    }
    out
}

/// The recipe's date rules, and how many sampled articles each reading dates.
fn date_changes(
    recipe: &Recipe,
    auto: &[Option<Article>],
    mine: &[Option<Article>],
    n: usize,
) -> Vec<String> {
    let dated = |v: &[Option<Article>]| v.iter().flatten().filter(|a| a.date.is_some()).count();
    let (before, after) = (dated(auto), dated(mine));
    let same = auto.iter().zip(mine).all(|(a, m)| {
        a.as_ref().and_then(|a| a.date.map(|d| d.timestamp))
            == m.as_ref().and_then(|m| m.date.map(|d| d.timestamp))
    });
    if recipe.dates.is_empty() || same {
        return Vec::new();
    }
    let mut out: Vec<String> = recipe
        .dates
        .iter()
        .map(|r| {
            let from = match (&r.from, &r.field) {
                (DateFrom::Field, Some(f)) => format!("the field `{f}`"),
                (DateFrom::Url, _) => "the URL".into(),
                (DateFrom::Filename, _) => "the file name".into(),
                (DateFrom::Id, _) => "the id".into(),
                (DateFrom::Text, _) | (DateFrom::Field, None) => "the text".into(),
            };
            let calendar = match r.calendar {
                crate::recipe::Calendar::SolarHijri => ", in the Solar Hijri calendar",
                crate::recipe::Calendar::Gregorian => "",
            };
            format!(
                "reads dates from {from} by the pattern `{}`{calendar}",
                r.pattern
            )
        })
        .collect();
    out.push(format!(
        "dates {after} of {n} sampled articles (the automatic import dates {before})"
    ));
    out
}

/// Extra fields the recipe keeps that the automatic import does not, and the other way round.
fn extra_changes(pairs: &[(&Article, &Article)]) -> Vec<String> {
    let before: BTreeSet<&String> = pairs.iter().flat_map(|p| p.0.extra.keys()).collect();
    let after: BTreeSet<&String> = pairs.iter().flat_map(|p| p.1.extra.keys()).collect();
    let mut out = Vec::new();
    let added: Vec<&&String> = after.difference(&before).collect();
    if !added.is_empty() {
        out.push(format!("keeps {} as extra fields", join(added)));
    }
    let taken: Vec<&&String> = before.difference(&after).collect();
    if !taken.is_empty() {
        out.push(format!(
            "no longer keeps {} as extra fields (read into article fields)",
            join(taken)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN: &str = "The committee met on Tuesday to discuss the budget for the coming year, and members said the talks would continue next week after the holiday.";
    const EN2: &str = "Officials said the new bridge over the river would open in the spring, after two years of delays caused by flooding and a shortage of steel.";
    const FA: &str = "رئيس جمهور تركمنستان در سفري رسمي وارد تهران شد و با مقامات ايراني درباره همكاري‌هاي اقتصادي و انرژي گفت‌وگو كرد. دو طرف بر گسترش روابط تأكيد كردند.";
    const RU: &str = "**Срочно**: в Москве открыли новую станцию метро, которая соединит два района города. Власти обещают, что поезда будут ходить каждые три минуты.";
    const UK: &str = "**Терміново**: у Києві відкрили нову станцію метро, яка з'єднає два райони міста. Влада обіцяє, що потяги ходитимуть кожні три хвилини, а вхід буде безкоштовним.";

    fn huffpost_line(host: &str, i: usize) -> String {
        serde_json::json!({
            "link": format!("https://{host}/entry/story-{i}_n_632d719ee4b087fae6feaac9"),
            "headline": format!("Over {i} Million Americans Roll Up Sleeves"),
            "category": "U.S. NEWS",
            "short_description": "Health experts said it is too early to predict demand.",
            "authors": if i.is_multiple_of(3) { "" } else { "Jane Doe, AP" },
            "date": "2022-09-23",
        })
        .to_string()
    }

    fn fars_item(link: &str) -> serde_json::Value {
        serde_json::json!({
            "title": "ارائه خدمات بانكي در دفاتر روستايي",
            "abstract": "خبرگزاري فارس: رئيس اداره گفت.",
            "paragraphs": [FA, FA],
            "cat": "اقتصادي",
            "subcat": "",
            "tags": [],
            "link": link,
        })
    }

    fn telegram(text: &str, channel: &str) -> String {
        let items: Vec<serde_json::Value> = (0..4)
            .map(|i| {
                serde_json::json!({
                    "message_id": 65478 - i,
                    "sender_id": -1001003313758i64,
                    "text": text,
                    "date": "2024-11-22T18:12:19+00:00",
                    "channel": channel,
                    "category": "politics",
                })
            })
            .collect();
        serde_json::to_string_pretty(&items).unwrap()
    }

    fn reuters_record(id: u32) -> String {
        format!(
            "<REUTERS TOPICS=\"YES\" LEWISSPLIT=\"TRAIN\" CGISPLIT=\"TRAINING-SET\" OLDID=\"{}\" NEWID=\"{id}\">\n<DATE>26-FEB-1987 15:01:01.79</DATE>\n<TOPICS><D>cocoa</D></TOPICS>\n<PLACES><D>el-salvador</D><D>usa</D></PLACES>\n<PEOPLE></PEOPLE>\n<ORGS></ORGS>\n<EXCHANGES></EXCHANGES>\n<COMPANIES></COMPANIES>\n<TEXT>&#2;\n<TITLE>BAHIA COCOA REVIEW</TITLE>\n<DATELINE>    SALVADOR, Feb 26 - </DATELINE><BODY>{EN} {EN2}\n Reuter\n&#3;</BODY></TEXT>\n</REUTERS>\n",
            5544 + id
        )
    }

    fn page(title: &str) -> String {
        format!("<!DOCTYPE html><html><head><title>{title}</title><meta property=\"og:site_name\" content=\"Example Times\"></head><body><article><h1>{title}</h1><p>{EN}</p><p>{EN2}</p><p>{EN}</p></article></body></html>")
    }

    const PRESSTV: &str = "News   /   Russia\n\nMoscow re-equips Bishkek: minister\n\nMembers of a special police force march in Bishkek. (© AFP)\n\nThe committee met on Tuesday to discuss the budget for the coming year, and members said the talks would continue next week.\n\nOfficials said the new bridge over the river would open in the spring, after two years of delays.\n\n\nPress TV’s website can also be accessed at the following alternate addresses:\n\nwww.presstv.co.uk\n\nSHARE THIS ARTICLE\nPress TV News Roku";

    const RSS: &str = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Example Feed</title><link>https://example.org/</link><item><title>Talks resume</title><link>https://example.org/a</link><pubDate>Mon, 06 Sep 2021 16:45:00 +0000</pubDate><description>The committee met on Tuesday to discuss the budget for the coming year.</description></item></channel></rss>";

    /// A fixture: files (path below the named folder, content) and what must be suggested: the
    /// one recipe and a phrase one of its changes says, or nothing.
    struct Case {
        name: &'static str,
        files: Vec<(String, String)>,
        expect: Option<(&'static str, &'static str)>,
    }

    fn case(
        name: &'static str,
        files: Vec<(&str, String)>,
        expect: Option<(&'static str, &'static str)>,
    ) -> Case {
        Case {
            name,
            files: files.into_iter().map(|(p, c)| (p.to_string(), c)).collect(),
            expect,
        }
    }

    fn lines(v: impl IntoIterator<Item = String>) -> String {
        v.into_iter().collect::<Vec<_>>().join("\n")
    }

    fn cases() -> Vec<Case> {
        let huffpost = lines((1..=6).map(|i| {
            let host = if i < 5 {
                "www.huffpost.com"
            } else {
                "www.huffingtonpost.com"
            };
            huffpost_line(host, i)
        }));
        let fars = serde_json::to_string(&vec![
            fars_item("https://www.farsnews.ir/news/13940312000123/slug"),
            fars_item("https://www.farsnews.ir/news/8707060255"),
        ])
        .unwrap();
        let payam = lines((1..=3).map(|i| {
            serde_json::json!({
                "link": format!("https://payam-asia.example/news/1392110100000{i}"),
                "paragraphs": [FA],
                "title": "سفر رسمي به تهران",
            })
            .to_string()
        }));
        vec![
            case("huffpost", vec![("news.json", huffpost)], Some(("huffpost_news_category", "sets the source to “HuffPost”"))),
            case("fars", vec![("fars-news-1.json", fars)], Some(("farsnews_persian", "Solar Hijri"))),
            case("payam", vec![("payam.jsonl", payam)], Some(("payam_asia", "“Payam-e Asia”"))),
            case("telegram", vec![("1001_messages.json", telegram(RU, "Новости Москвы"))], Some(("ru_telegram_news", "Markdown"))),
            case(
                "bbc",
                vec![
                    ("bbc/business/001.txt", format!("Ad sales boost profits\n\n{EN}\n\n{EN2}\n")),
                    ("bbc/sport/001.txt", format!("Henman hopes ended\n\n{EN2}\n\n{EN}\n")),
                    ("bbc/tech/002.txt", format!("Mobiles rack up sales\n\n{EN}\n")),
                ],
                Some(("bbc_news", "“BBC News”")),
            ),
            case("presstv", vec![("moscow-re-equips.txt", PRESSTV.to_string())], Some(("presstv", "“Press TV”"))),
            case("reuters", vec![("reut2-000.sgm", format!("<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n{}{}", reuters_record(1), reuters_record(2)))], Some(("reuters21578", "“Reuters”"))),
            case(
                "readability",
                vec![
                    ("pages/a/source.html", page("Talks resume")),
                    ("pages/a/expected.html", format!("<div><p>{EN}</p></div>")),
                    ("pages/b/source.html", page("Bridge opens")),
                    ("pages/b/expected.html", format!("<div><p>{EN2}</p></div>")),
                ],
                Some(("readability_html", "source.html")),
            ),
            // Other exports: generic names (title, url, date) never bring a recipe.
            case("newsapi", vec![("newsapi.json", serde_json::json!({"status": "ok", "totalResults": 2, "articles": [
                {"source": {"id": "bbc-news", "name": "BBC News"}, "author": "BBC News", "title": "Talks resume", "description": EN, "url": "https://www.bbc.co.uk/news/world-1", "urlToImage": null, "publishedAt": "2024-01-02T10:00:00Z", "content": EN2},
                {"source": {"id": null, "name": "HuffPost"}, "author": null, "title": "Bridge opens", "description": EN2, "url": "https://www.huffpost.com/entry/bridge_n_1", "urlToImage": null, "publishedAt": "2024-01-03T10:00:00Z", "content": EN}]}).to_string())], None),
            case("guardian", vec![("guardian.json", serde_json::json!({"response": {"status": "ok", "results": [
                {"id": "world/2024/jan/02/talks", "type": "article", "sectionId": "world", "sectionName": "World news", "webPublicationDate": "2024-01-02T10:00:00Z", "webTitle": "Talks resume", "webUrl": "https://www.theguardian.com/world/2024/jan/02/talks", "apiUrl": "https://content.guardianapis.com/world/2024/jan/02/talks", "fields": {"headline": "Talks resume", "bodyText": EN, "byline": "Jane Doe"}}]}}).to_string())], None),
            case("nyt", vec![("nyt.json", serde_json::json!({"status": "OK", "response": {"docs": [
                {"abstract": EN, "web_url": "https://www.nytimes.com/2015/08/11/world/talks.html", "snippet": EN, "lead_paragraph": EN2, "source": "The New York Times", "headline": {"main": "Talks Resume"}, "pub_date": "2015-08-11T00:00:00Z", "section_name": "World", "byline": {"original": "By Jane Doe"}, "_id": "nyt://article/1"}]}}).to_string())], None),
            case("gdelt", vec![("gdelt.json", serde_json::json!({"articles": [
                {"url": "https://www.example.com/a", "url_mobile": "", "title": "Talks resume in the capital", "seendate": "20240101T120000Z", "socialimage": "", "domain": "example.com", "language": "English", "sourcecountry": "United States"}]}).to_string())], None),
            case("generic csv", vec![("export.csv", format!("title,body,date\nTalks resume,\"{EN}\",2024-01-02\nBridge opens,\"{EN2}\",2024-01-03\n"))], None),
            case("rss feed", vec![("feed.xml", RSS.to_string())], None),
            case("text folder", vec![("notes/a/one.txt", format!("Talks resume\n\n{EN}\n")), ("notes/b/two.txt", format!("Bridge opens\n\n{EN2}\n"))], None),
            // The shapes of built-in recipes from other outlets: the hosts, the language differ.
            case("fars shape, other outlet", vec![("other.json", serde_json::to_string(&vec![fars_item("https://www.tasnimnews.com/fa/news/1394/03/12/1")]).unwrap())], None),
            case("huffpost shape, other outlet", vec![("other.json", lines((1..=4).map(|i| huffpost_line("www.example-news.com", i))))], None),
            case("telegram shape, Ukrainian", vec![("1002_messages.json", telegram(UK, "Новини Києва"))], None),
        ]
    }

    #[test]
    fn each_fixture_gets_its_recipe_and_other_exports_none() {
        let mut failures = Vec::new();
        for c in cases() {
            let dir = tempfile::tempdir().unwrap();
            let root = dir.path().join("import");
            for (p, content) in &c.files {
                let path = root.join(p);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, content).unwrap();
            }
            let got = suggest_recipes(&[root]);
            let names: Vec<&str> = got.iter().map(|s| s.name.as_str()).collect();
            match c.expect {
                None if got.is_empty() => {}
                None => failures.push(format!("{}: suggested {names:?}: {got:#?}", c.name)),
                Some((want, phrase)) => {
                    let says = got
                        .first()
                        .is_some_and(|s| s.changes.iter().any(|ch| ch.contains(phrase)));
                    if names != [want] || !says {
                        failures.push(format!(
                            "{}: wanted only {want}, with a change saying {phrase:?}; got {got:#?}",
                            c.name
                        ));
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// The lookalikes above are refused for the reason intended: the same files are suggested
    /// the recipe once its host mark or its language is taken away.
    #[test]
    fn lookalikes_are_kept_out_by_the_hosts_and_the_language() {
        let all = cases();
        for (fixture, recipe) in [
            ("fars shape, other outlet", "farsnews_persian"),
            ("huffpost shape, other outlet", "huffpost_news_category"),
            ("telegram shape, Ukrainian", "ru_telegram_news"),
        ] {
            let c = all.iter().find(|c| c.name == fixture).unwrap();
            let dir = tempfile::tempdir().unwrap();
            let (p, content) = &c.files[0];
            let path = dir.path().join(p);
            std::fs::write(&path, content).unwrap();
            let mut r = builtin(recipe).unwrap();
            let paths = std::slice::from_ref(&path);
            assert!(
                suggest_among(paths, std::slice::from_ref(&r)).is_empty(),
                "{fixture}"
            );
            r.signals = Default::default();
            r.language = None;
            let got = suggest_among(paths, &[r]);
            assert_eq!(got.len(), 1, "{fixture}: {got:#?}");
        }
    }

    #[test]
    fn a_recipe_that_changes_nothing_is_not_suggested() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("feed.xml");
        std::fs::write(&path, RSS).unwrap();
        let rss = builtin("rss").unwrap();
        assert!(suggest_among(std::slice::from_ref(&path), &[rss]).is_empty());
    }

    #[test]
    fn missing_paths_give_no_suggestion() {
        assert!(suggest_recipes(&[PathBuf::from("/nonexistent/broadsheet")]).is_empty());
    }

    #[test]
    fn hosts_of_urls() {
        assert_eq!(
            host_of("https://user@www.HuffPost.com:443/entry/x?y#z"),
            "www.huffpost.com"
        );
        assert_eq!(host_of("www.farsnews.ir/news/1"), "www.farsnews.ir");
        assert_eq!(host_of(""), "");
    }

    #[test]
    fn suggestions_round_trip_through_json() {
        let s = RecipeSuggestion {
            name: "bbc_news".into(),
            matched_fields: vec!["folders sport".into()],
            changes: vec!["declares the language en".into()],
        };
        let back: RecipeSuggestion =
            serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(back, s);
    }
}
