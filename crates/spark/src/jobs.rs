//! Each analysis as Spark SQL, in two submissions: the first learns what the second needs (the
//! shards' languages, the vocabulary each language's word map is made from, keyness's languages
//! and sizes), the second counts. Timelines and regions come back as cells, word lists and
//! keyness as per-word counts, and each is finished by the desktop engine's own functions.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;
use serde_json::{json, Value};

use broadsheet_analysis::entry::{auto_period, AUTO_PERIODS};
use broadsheet_analysis::keyness::{
    default_reference, keyness_frame, lang_list, KeynessSpec, Rest,
};
use broadsheet_analysis::terms::{terms_table, Count, Counts, WordTotals};
use broadsheet_analysis::timeline::{
    timeline_from_cells, CellCount, GroupBy, TimelineSpec, TimelineTotals,
};
use broadsheet_analysis::{Kind, Period, Table};
use broadsheet_lexis::TextSettings;
use broadsheet_query::Concepts;

use crate::driver::{str_of, submit, u64_of, Plan, Results, View};
use crate::sql::{lit, query_set, subcorpus};
use crate::{Computed, Engine, Job, Result, SparkError};

/// Computes every job on Spark. Jobs Spark cannot compute come back as errors naming them;
/// a failure of Spark itself fails the whole run.
pub fn compute(engine: &Engine, jobs: &[Job], progress: &dyn Fn(&str)) -> Result<Computed> {
    let mut first = Plan::default();
    first.query(
        "languages",
        "SELECT DISTINCT coalesce(language, '') AS language FROM corpus ORDER BY language",
    );
    if jobs.iter().any(|j| j.entry.kind.counts_words()) {
        first.query(
            "vocabulary",
            "SELECT DISTINCT coalesce(a.language, '') AS language, t.term FROM term_counts t
             JOIN corpus a ON a.shard = t.shard AND a.id = t.article_id",
        );
    }
    let mut prepared: Vec<Result<Prepared>> = jobs
        .iter()
        .enumerate()
        .map(|(i, j)| prepare(i, j, &mut first))
        .collect();
    progress("spark: languages and vocabulary");
    let facts = submit(engine, first, progress)?;
    let languages: Vec<String> = facts
        .of("languages")
        .iter()
        .map(|r| str_of(r, "language").to_string())
        .filter(|l| !l.is_empty())
        .collect();
    let settings: Vec<TextSettings> = jobs
        .iter()
        .map(|j| j.settings.resolved(&languages))
        .collect();
    let mut second = Plan::default();
    let maps = word_maps(&facts, &settings, jobs, &mut second)?;
    for (i, p) in prepared.iter_mut().enumerate() {
        if let Ok(p) = p {
            if let Err(e) = p.count(i, &facts, maps.get(&i).map(String::as_str), &mut second) {
                *p = Prepared::Failed(e);
            }
        }
    }
    progress("spark: counting");
    let counted = submit(engine, second, progress)?;
    let tables = prepared
        .into_iter()
        .zip(jobs)
        .enumerate()
        .map(|(i, (p, j))| p.and_then(|p| p.finish(i, j, &counted)))
        .zip(settings)
        .collect();
    Ok(Computed {
        tables,
        languages,
        spark: counted.info,
    })
}

/// A job between the submissions.
enum Prepared {
    Timeline {
        spec: TimelineSpec,
        auto: bool,
        /// The base's articles with the concepts they match, cached once.
        arts: String,
        /// Each period's cells and totals queries (every period an automatic one may choose).
        queries: Vec<(Period, String, String)>,
    },
    Terms {
        sub: String,
        min_freq: u64,
        limit: usize,
    },
    Keyness {
        spec: KeynessSpec,
        target: String,
        reference: Option<String>,
        /// The reference chosen from the first submission's sizes.
        chosen: Option<Reference>,
    },
    Failed(SparkError),
}

fn what(j: &Job) -> String {
    format!("analysis `{}`", j.entry.name)
}

/// Checks a job and adds what its counting needs to the first submission.
fn prepare(i: usize, j: &Job, first: &mut Plan) -> Result<Prepared> {
    let e = &j.entry;
    let defs = j.concepts.definitions();
    match e.kind {
        Kind::Timeline | Kind::Regions => {
            let spec = e.timeline_spec(&j.concepts)?;
            for c in &spec.concepts {
                c.validate()?;
            }
            let auto = e.kind == Kind::Timeline && e.period.is_none();
            let periods = if auto {
                AUTO_PERIODS.to_vec()
            } else {
                vec![spec.period]
            };
            let table = format!("j{i}_arts");
            let arts = timeline_arts(&spec, &defs, &what(j), &table)?;
            let queries = periods
                .into_iter()
                .map(|p| {
                    let s = TimelineSpec {
                        period: p,
                        ..spec.clone()
                    };
                    let (cells, totals) = timeline_sql(&s, &table);
                    (p, cells, totals)
                })
                .collect();
            Ok(Prepared::Timeline {
                spec,
                auto,
                arts,
                queries,
            })
        }
        Kind::Terms => {
            if e.n.unwrap_or(1) != 1 {
                return Err(SparkError::Unsupported(format!(
                    "{}: n-grams are counted from the texts, which the Spark engine does not read yet; single words only",
                    what(j)
                )));
            }
            Ok(Prepared::Terms {
                sub: subcorpus(&e.subcorpus.subcorpus(), &defs, &what(j))?,
                min_freq: e.min_freq.unwrap_or(1),
                limit: e.limit.unwrap_or(100),
            })
        }
        Kind::Keyness => {
            let spec = KeynessSpec {
                target: e.subcorpus.subcorpus(),
                reference: e.reference.as_ref().map(|r| r.subcorpus()),
                min_freq: e.min_freq.unwrap_or(5),
                limit: e.limit.unwrap_or(100),
            };
            let target = subcorpus(&spec.target, &defs, &what(j))?;
            let reference = match &spec.reference {
                Some(r) => Some(subcorpus(r, &defs, &what(j))?),
                None => None,
            };
            first.query(
                format!("j{i}-cache"),
                format!("CACHE TABLE j{i}_target AS {target}"),
            );
            first.query(
                format!("j{i}-target"),
                format!("SELECT coalesce(language, '') AS language, count(*) AS n FROM j{i}_target GROUP BY 1"),
            );
            let other = match &reference {
                Some(r) => format!("SELECT coalesce(language, '') AS language, count(*) AS n FROM ({r}) GROUP BY 1"),
                None => format!(
                    "SELECT coalesce(r.language, '') AS language, count(*) AS n FROM corpus r
                     LEFT ANTI JOIN j{i}_target t ON r.shard = t.shard AND r.id = t.id GROUP BY 1"
                ),
            };
            first.query(format!("j{i}-other"), other);
            Ok(Prepared::Keyness {
                spec,
                target,
                reference,
                chosen: None,
            })
        }
        k => Err(SparkError::Unsupported(format!(
            "{}: {} analyses are not computed by the Spark engine (it computes timelines, regions, word lists and keyness); run it with the local engine",
            what(j),
            k.name()
        ))),
    }
}

/// The word map of each job that counts words, as views of the second submission: for every
/// (language, term) of the shards, the word the job's settings make of it (stop words and
/// dropped tokens left out). Jobs with the same settings share a map.
fn word_maps(
    facts: &Results,
    settings: &[TextSettings],
    jobs: &[Job],
    second: &mut Plan,
) -> Result<BTreeMap<usize, String>> {
    let mut by_settings: BTreeMap<String, String> = BTreeMap::new();
    let mut out = BTreeMap::new();
    for (i, (s, j)) in settings.iter().zip(jobs).enumerate() {
        if !j.entry.kind.counts_words() {
            continue;
        }
        let key = serde_json::to_string(s).unwrap_or_default();
        if let Some(name) = by_settings.get(&key) {
            out.insert(i, name.clone());
            continue;
        }
        let filter = s
            .compile()
            .map_err(broadsheet_analysis::AnalysisError::from)?;
        let rows: Vec<Value> = facts
            .of("vocabulary")
            .iter()
            .filter_map(|r| {
                let (lang, term) = (str_of(r, "language"), str_of(r, "term"));
                let word = filter.normalize_token(term, lang)?;
                Some(json!({"language": lang, "term": term, "word": word}))
            })
            .collect();
        let name = format!("word_map_{}", by_settings.len());
        second.views.push(View {
            name: name.clone(),
            schema: "language STRING, term STRING, word STRING".into(),
            rows,
        });
        by_settings.insert(key, name.clone());
        out.insert(i, name);
    }
    Ok(out)
}

impl Prepared {
    /// Adds the job's counting queries to the second submission.
    fn count(
        &mut self,
        i: usize,
        facts: &Results,
        word_map: Option<&str>,
        second: &mut Plan,
    ) -> Result<()> {
        match self {
            Prepared::Timeline {
                spec,
                arts,
                queries,
                ..
            } => {
                if matches!(spec.group_by, GroupBy::Region(_))
                    && !second.views.iter().any(|v| v.name == "region_members")
                {
                    second.views.push(region_members());
                }
                second.query(format!("j{i}-arts"), arts.clone());
                for (p, cells, totals) in queries.iter() {
                    second.query(format!("j{i}-{}-cells", p.name()), cells.clone());
                    second.query(format!("j{i}-{}-totals", p.name()), totals.clone());
                }
            }
            Prepared::Terms {
                sub,
                min_freq,
                limit,
            } => {
                let map = word_map.unwrap_or("word_map_0");
                second.query(
                    format!("j{i}-sub"),
                    format!("CACHE TABLE j{i}_sub AS {sub}"),
                );
                let with = format!(
                    "WITH sub AS (SELECT * FROM j{i}_sub), {}",
                    word_rows("sub", "tv", map)
                );
                second.query(
                    format!("j{i}-count"),
                    format!("CACHE TABLE j{i}_words AS {with} SELECT word, CAST(sum(count) AS BIGINT) AS freq, count(DISTINCT shard, article_id) AS docs FROM w GROUP BY word"),
                );
                let limit = if *limit > 0 {
                    format!(" LIMIT {limit}")
                } else {
                    String::new()
                };
                second.query(
                    format!("j{i}-words"),
                    format!(
                        "SELECT word, freq, docs FROM j{i}_words WHERE freq >= {} ORDER BY freq DESC, word{limit}",
                        (*min_freq).max(1)
                    ),
                );
                second.query(
                    format!("j{i}-totals"),
                    format!(
                        "{with} SELECT (SELECT CAST(coalesce(sum(tokens), 0) AS BIGINT) FROM tv) AS tokens, (SELECT count(*) FROM tv) AS articles, (SELECT count(*) FROM j{i}_words) AS types"
                    ),
                );
            }
            Prepared::Keyness {
                spec,
                target,
                reference,
                chosen,
            } => {
                let reference = keyness_reference(i, facts, target, reference.as_deref())?;
                let map = word_map.unwrap_or("word_map_0");
                second.query(
                    format!("j{i}-tgt"),
                    format!("CACHE TABLE j{i}_tgt AS {target}"),
                );
                second.query(
                    format!("j{i}-ref"),
                    format!("CACHE TABLE j{i}_ref AS {}", reference.sql),
                );
                let (tgt, rf) = (
                    format!("SELECT * FROM j{i}_tgt"),
                    format!("SELECT * FROM j{i}_ref"),
                );
                second.query(format!("j{i}-words"), keyness_sql(spec, &tgt, &rf, map));
                second.query(
                    format!("j{i}-totals"),
                    format!(
                        "WITH tgt AS ({tgt}), ref AS ({rf}) SELECT
                         (SELECT CAST(coalesce(sum(tokens), 0) AS BIGINT) FROM tgt WHERE tokens IS NOT NULL) AS target_tokens,
                         (SELECT CAST(coalesce(sum(tokens), 0) AS BIGINT) FROM ref WHERE tokens IS NOT NULL) AS reference_tokens"
                    ),
                );
                *chosen = Some(reference);
            }
            Prepared::Failed(_) => {}
        }
        Ok(())
    }

    /// The job's table from the counted rows, by the desktop engine's functions.
    fn finish(self, i: usize, j: &Job, counted: &Results) -> Result<Table> {
        match self {
            Prepared::Failed(e) => Err(e),
            Prepared::Timeline { spec, auto, .. } => {
                let one = |s: &TimelineSpec| {
                    let p = s.period.name();
                    let cells: Vec<CellCount> = counted
                        .of(&format!("j{i}-{p}-cells"))
                        .iter()
                        .map(|r| CellCount {
                            series: str_of(r, "series").to_string(),
                            kind: u64_of(r, "kind") as i32,
                            day: r.get("day").and_then(Value::as_i64).unwrap_or(0) as i32,
                            total: u64_of(r, "total"),
                            count: u64_of(r, "count"),
                        })
                        .collect();
                    let t = counted.first(&format!("j{i}-{p}-totals"));
                    let totals = TimelineTotals {
                        articles: u64_of(&t, "articles"),
                        matching: u64_of(&t, "matching"),
                        undated: u64_of(&t, "undated"),
                        imprecise: u64_of(&t, "imprecise"),
                    };
                    Ok(timeline_from_cells(s, &cells, totals)?)
                };
                Ok(match (j.entry.kind, auto) {
                    (Kind::Regions, _) => one(&spec)?,
                    (_, true) => j.entry.with_share_note(auto_period(spec, |s| {
                        one(s).map_err(|e: SparkError| {
                            broadsheet_analysis::AnalysisError::Invalid(e.to_string())
                        })
                    })?),
                    (_, false) => j.entry.with_share_note(one(&spec)?),
                })
            }
            Prepared::Terms { .. } => {
                let rows: Vec<(String, Count)> = counted
                    .of(&format!("j{i}-words"))
                    .iter()
                    .map(|r| {
                        let c = Count {
                            freq: u64_of(r, "freq"),
                            docs: u64_of(r, "docs"),
                        };
                        (str_of(r, "word").to_string(), c)
                    })
                    .collect();
                let t = counted.first(&format!("j{i}-totals"));
                let totals = WordTotals {
                    tokens: u64_of(&t, "tokens"),
                    articles: u64_of(&t, "articles"),
                    types: u64_of(&t, "types"),
                };
                let refs: Vec<(&String, &Count)> = rows.iter().map(|(w, c)| (w, c)).collect();
                Ok(terms_table(1, &refs, totals)?)
            }
            Prepared::Keyness { spec, chosen, .. } => {
                let chosen = chosen
                    .ok_or_else(|| SparkError::Driver("keyness without its reference".into()))?;
                finish_keyness(i, &spec, &chosen, counted)
            }
        }
    }
}

/// The reference a keyness compares with, its size, and its notes.
struct Reference {
    sql: String,
    target_articles: u64,
    reference_articles: u64,
    notes: Vec<(String, String)>,
}

/// As the local engine chooses: the reference given (with a warning when its languages differ
/// from the target's), or the rest of the corpus in the target's languages.
fn keyness_reference(
    i: usize,
    facts: &Results,
    target: &str,
    reference: Option<&str>,
) -> Result<Reference> {
    let by_lang = |name: &str| -> BTreeMap<String, u64> {
        facts
            .of(name)
            .iter()
            .map(|r| (str_of(r, "language").to_string(), u64_of(r, "n")))
            .collect()
    };
    let t = by_lang(&format!("j{i}-target"));
    let o = by_lang(&format!("j{i}-other"));
    let langs: BTreeSet<String> = t.keys().cloned().collect();
    let target_articles: u64 = t.values().sum();
    let mut notes = Vec::new();
    let (sql, reference_articles) = match reference {
        Some(r) => {
            let ref_langs: BTreeSet<String> = o.keys().cloned().collect();
            if ref_langs != langs {
                notes.push((
                    "warning".to_string(),
                    format!(
                        "the target is in {} and the reference in {}: words of one language are key against another's",
                        lang_list(&langs),
                        lang_list(&ref_langs)
                    ),
                ));
            }
            (r.to_string(), o.values().sum())
        }
        None => {
            let same: u64 = o
                .iter()
                .filter(|(l, _)| langs.contains(*l))
                .map(|(_, n)| n)
                .sum();
            let rest: u64 = o.values().sum();
            let (choice, (k, v)) = default_reference(&langs, same, rest);
            notes.push((k.to_string(), v));
            let all = format!(
                "SELECT r.* FROM corpus r LEFT ANTI JOIN ({target}) t ON r.shard = t.shard AND r.id = t.id"
            );
            match choice {
                Rest::All => (all, rest),
                Rest::InLanguages => {
                    let list: Vec<String> = langs.iter().map(|l| lit(l)).collect();
                    let sql = format!(
                        "SELECT * FROM ({all}) WHERE coalesce(language, '') IN ({})",
                        list.join(", ")
                    );
                    (sql, same)
                }
            }
        }
    };
    if target_articles == 0 {
        return Err(SparkError::Query("the target subcorpus is empty".into()));
    }
    if reference_articles == 0 {
        return Err(SparkError::Query("the reference subcorpus is empty".into()));
    }
    Ok(Reference {
        sql,
        target_articles,
        reference_articles,
        notes,
    })
}

/// The per-article word rows of a subcorpus `sub`: `tv` its articles with a term vector, `w`
/// their terms as the word map makes them.
fn word_rows(sub: &str, tv: &str, map: &str) -> String {
    format!(
        "{tv} AS (SELECT shard, id, tokens, coalesce(language, '') AS language FROM {sub} WHERE tokens IS NOT NULL),
         w AS (SELECT t.shard, t.article_id, m.word, t.count FROM term_counts t
               JOIN {tv} ON t.shard = {tv}.shard AND t.article_id = {tv}.id
               JOIN {map} m ON m.language = {tv}.language AND m.term = t.term)"
    )
}

/// Keyness's per-word counts: frequency and articles on each side, and the target's
/// dispersion sums (Gries's DP over articles, finished by `dp_from_sums`).
fn keyness_sql(spec: &KeynessSpec, target: &str, reference: &str, map: &str) -> String {
    let side = |sub: &str, v: &str, per: &str| {
        format!(
            "{v} AS (SELECT shard, id, tokens, coalesce(language, '') AS language FROM {sub} WHERE tokens IS NOT NULL),
             {per} AS (SELECT t.shard, t.article_id, m.word, CAST(sum(t.count) AS BIGINT) AS f, first({v}.tokens) AS n
                 FROM term_counts t JOIN {v} ON t.shard = {v}.shard AND t.article_id = {v}.id
                 JOIN {map} m ON m.language = {v}.language AND m.term = t.term
                 GROUP BY t.shard, t.article_id, m.word)"
        )
    };
    format!(
        "WITH tgt AS ({target}), ref AS ({reference}),
         {}, {},
         ct AS (SELECT word, CAST(sum(f) AS BIGINT) AS freq, count(*) AS docs FROM wt GROUP BY word),
         cr AS (SELECT word, CAST(sum(f) AS BIGINT) AS freq, count(*) AS docs FROM wr GROUP BY word),
         nt AS (SELECT CAST(coalesce(sum(tokens), 0) AS BIGINT) AS n FROM tv),
         dp AS (SELECT wt.word, sum(abs(CAST(wt.f AS DOUBLE) / ct.freq - CAST(wt.n AS DOUBLE) / nt.n)) AS s,
                       CAST(sum(wt.n) AS BIGINT) AS hit
                FROM wt JOIN ct ON ct.word = wt.word CROSS JOIN nt GROUP BY wt.word)
         SELECT coalesce(ct.word, cr.word) AS word, coalesce(ct.freq, 0) AS freq_target,
                coalesce(cr.freq, 0) AS freq_reference, coalesce(ct.docs, 0) AS docs_target,
                coalesce(cr.docs, 0) AS docs_reference, dp.s AS dp_sum, dp.hit AS dp_hit
         FROM ct FULL OUTER JOIN cr ON ct.word = cr.word LEFT JOIN dp ON dp.word = ct.word
         WHERE coalesce(ct.freq, 0) + coalesce(cr.freq, 0) >= {}
         ORDER BY word",
        side("tgt", "tv", "wt"),
        side("ref", "rv", "wr"),
        spec.min_freq.max(1)
    )
}

fn finish_keyness(
    i: usize,
    spec: &KeynessSpec,
    reference: &Reference,
    counted: &Results,
) -> Result<Table> {
    let t = counted.first(&format!("j{i}-totals"));
    let (nt, nr) = (u64_of(&t, "target_tokens"), u64_of(&t, "reference_tokens"));
    let mut ct = Counts {
        tokens: nt,
        ..Default::default()
    };
    let mut cr = Counts {
        tokens: nr,
        ..Default::default()
    };
    let mut dps: FxHashMap<String, Option<f64>> = FxHashMap::default();
    for r in counted.of(&format!("j{i}-words")) {
        let word = str_of(r, "word").to_string();
        let (ft, fr) = (u64_of(r, "freq_target"), u64_of(r, "freq_reference"));
        if ft > 0 {
            ct.words.insert(
                word.clone(),
                Count {
                    freq: ft,
                    docs: u64_of(r, "docs_target"),
                },
            );
            let sum = r.get("dp_sum").and_then(Value::as_f64);
            let dp =
                sum.and_then(|s| broadsheet_lexis::stats::dp_from_sums(nt, u64_of(r, "dp_hit"), s));
            dps.insert(word.clone(), dp);
        }
        if fr > 0 {
            cr.words.insert(
                word,
                Count {
                    freq: fr,
                    docs: u64_of(r, "docs_reference"),
                },
            );
        }
    }
    let frame = keyness_frame(&ct, &cr, &dps, spec)?;
    let mut table = Table::new(frame)
        .note("target_articles", reference.target_articles)
        .note("target_tokens", nt)
        .note("reference_articles", reference.reference_articles)
        .note("reference_tokens", nr);
    for (k, v) in &reference.notes {
        table = table.note(k, v);
    }
    Ok(table)
}

/// Every (region, member country) pair of the gazetteer, as a view.
fn region_members() -> View {
    let g = broadsheet_geo::Gazetteer::builtin();
    let rows = g
        .regions()
        .iter()
        .flat_map(|r| {
            r.members
                .iter()
                .map(move |c| json!({"region": r.id, "country": c}))
        })
        .collect();
    View {
        name: "region_members".into(),
        schema: "region STRING, country STRING".into(),
        rows,
    }
}

/// The precisions a period accepts (as `Period::accepts`).
fn accepted(p: Period) -> &'static str {
    match p {
        Period::Day | Period::Week => "'second', 'day'",
        Period::Month | Period::Quarter => "'second', 'day', 'month'",
        Period::Year => "'second', 'day', 'month', 'year'",
    }
}

/// The first day of the period (days since 1970) of `published_at`, as `Period::start_day`.
fn period_start(p: Period) -> String {
    let d = "CAST((b.published_at - pmod(b.published_at, 86400)) / 86400 AS INT)";
    match p {
        Period::Day => d.to_string(),
        Period::Week => format!("{d} - pmod({d} + 3, 7)"),
        Period::Month => format!("unix_date(trunc(date_from_unix_date({d}), 'MM'))"),
        Period::Quarter => format!("unix_date(trunc(date_from_unix_date({d}), 'QUARTER'))"),
        Period::Year => format!("unix_date(trunc(date_from_unix_date({d}), 'YEAR'))"),
    }
}

/// The base's articles with whether each matches each counted concept (`hit0`, `hit1`…),
/// cached as `table`: what every period of the timeline is counted from.
fn timeline_arts(spec: &TimelineSpec, defs: &Concepts, what: &str, table: &str) -> Result<String> {
    let base = subcorpus(&spec.base, defs, what)?;
    let counted: Vec<_> = match spec.group_by {
        GroupBy::Concept => spec.concepts.iter().collect(),
        _ => spec.concepts.iter().take(1).collect(),
    };
    let mut joins = String::new();
    let mut hits = Vec::new();
    for (k, c) in counted.iter().enumerate() {
        let set = query_set(&c.full_query(), defs, what)?;
        joins.push_str(&format!(
            " LEFT JOIN (SELECT DISTINCT * FROM ({set})) m{k} ON m{k}.shard = b.shard AND m{k}.id = b.id"
        ));
        hits.push(format!(
            "CASE WHEN m{k}.id IS NULL THEN 0 ELSE 1 END AS hit{k}"
        ));
    }
    if hits.is_empty() {
        hits.push("1 AS hit0".into());
    }
    Ok(format!(
        "CACHE TABLE {table} AS SELECT b.shard, b.id, b.source, b.published_at, b.date_precision, {}
         FROM ({base}) b{joins}",
        hits.join(", ")
    ))
}

/// A timeline's cells (series, kind, day, total, count) and totals at its period, as two
/// queries over the cached articles `table`.
fn timeline_sql(spec: &TimelineSpec, table: &str) -> (String, String) {
    let counted: Vec<_> = match spec.group_by {
        GroupBy::Concept => spec.concepts.iter().collect(),
        _ => spec.concepts.iter().take(1).collect(),
    };
    let hits: Vec<String> = (0..counted.len().max(1))
        .map(|k| format!("b.hit{k}"))
        .collect();
    let accepts = format!("b.date_precision IN ({})", accepted(spec.period));
    let arts = format!(
        "WITH arts AS (SELECT b.shard, b.id, b.source,
            CASE WHEN {accepts} THEN {} END AS day,
            CASE WHEN {accepts} THEN 0 WHEN b.published_at IS NOT NULL THEN 1 ELSE 2 END AS kind,
            {} FROM {table} b)",
        period_start(spec.period),
        hits.join(", ")
    );
    let rows = match &spec.group_by {
        GroupBy::None => "SELECT 'all' AS series, day, kind, hit0 AS hit FROM arts".to_string(),
        GroupBy::Source => "SELECT source AS series, day, kind, hit0 AS hit FROM arts".to_string(),
        GroupBy::Concept => counted
            .iter()
            .enumerate()
            .map(|(k, c)| format!("SELECT {} AS series, day, kind, hit{k} AS hit FROM arts", lit(&c.name)))
            .collect::<Vec<_>>()
            .join(" UNION ALL "),
        GroupBy::Country => "SELECT coalesce(p.place, '(none)') AS series, a.day, a.kind, a.hit0 AS hit FROM arts a
             LEFT JOIN (SELECT DISTINCT shard, article_id, place FROM places WHERE kind = 'country') p
             ON p.shard = a.shard AND p.article_id = a.id"
            .to_string(),
        GroupBy::Region(wanted) => {
            let keep = if wanted.is_empty() {
                String::new()
            } else {
                let list: Vec<String> = wanted.iter().map(|w| lit(w)).collect();
                format!(" WHERE region IN ({})", list.join(", "))
            };
            format!(
                "SELECT r.region AS series, a.day, a.kind, a.hit0 AS hit FROM arts a JOIN
                 (SELECT DISTINCT shard, article_id, region FROM (
                    SELECT shard, article_id, place AS region FROM places WHERE kind = 'region'
                    UNION ALL
                    SELECT p.shard, p.article_id, m.region FROM places p JOIN region_members m ON m.country = p.place
                    WHERE p.kind = 'country'){keep}) r
                 ON r.shard = a.shard AND r.article_id = a.id"
            )
        }
    };
    let cells = format!(
        "{arts} SELECT series, kind, day, count(*) AS total, CAST(sum(hit) AS BIGINT) AS count
         FROM ({rows}) GROUP BY series, kind, day ORDER BY series, kind, day"
    );
    let matching = if counted.is_empty() {
        "count(*)"
    } else {
        "CAST(coalesce(sum(hit0), 0) AS BIGINT)"
    };
    let totals = format!(
        "{arts} SELECT count(*) AS articles, {matching} AS matching,
            CAST(coalesce(sum(CASE WHEN kind = 2 THEN 1 ELSE 0 END), 0) AS BIGINT) AS undated,
            CAST(coalesce(sum(CASE WHEN kind = 1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS imprecise
         FROM arts"
    );
    (cells, totals)
}
