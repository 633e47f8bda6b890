//! The analysis commands: `terms`, `kwic`, `collocations`, `keyness`, `dispersion`, `timeline`,
//! `concepts`, `regions`, `duplicates`. Each builds a request from its arguments, calls one
//! library function, and prints the table, or writes it with `--out FILE` (.csv, .json,
//! .parquet).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use anyhow::{bail, Result};
use clap::{Args, Subcommand};

use broadsheet_analysis::colloc::Measure;
use broadsheet_analysis::entry::{By, OutputFormat, SubcorpusEntry};
use broadsheet_analysis::kwic::KwicSort;
use broadsheet_analysis::output::{rows_json, write_table, CsvOptions};
use broadsheet_analysis::{AnalysisEntry, Concept, Kind, Period, Table};
use broadsheet_lexis::TextSettings;
use broadsheet_project::{Analysed, Workbench};

use crate::FilterArgs;

/// Text-settings overrides for one run (the project's `[text]` settings otherwise).
#[derive(Args, Clone, Default)]
pub struct TextArgs {
    /// Stop words left out: `auto` (the lists of the corpus's languages; new projects' default),
    /// languages comma-separated (`en,ru`), or `none`.
    #[arg(long, value_name = "LANGS")]
    stopwords: Option<String>,
    /// An extra stop word (repeatable).
    #[arg(long = "stop", value_name = "WORD")]
    stop: Vec<String>,
    /// Snowball stemming where the language has a stemmer.
    #[arg(long)]
    stem: bool,
    /// Count pure numbers as words.
    #[arg(long)]
    numbers: bool,
    /// Leave out words shorter than this.
    #[arg(long, value_name = "N")]
    min_length: Option<usize>,
}

impl TextArgs {
    fn apply(&self, mut s: TextSettings) -> TextSettings {
        if let Some(l) = &self.stopwords {
            s.stop_words.languages = if l == "none" {
                Vec::new()
            } else {
                l.split(',')
                    .map(|x| x.trim().to_string())
                    .filter(|x| !x.is_empty())
                    .collect()
            };
        }
        s.stop_words.extra.extend(self.stop.iter().cloned());
        if self.stem {
            s.stemming = true;
        }
        if self.numbers {
            s.numbers_are_words = true;
        }
        if let Some(n) = self.min_length {
            s.min_token_length = n;
        }
        s
    }
}

/// Where a table goes.
#[derive(Args, Clone, Default)]
pub struct OutArgs {
    /// Print one JSON document (`{"notes": {…}, "rows": […]}`) on standard output.
    #[arg(long)]
    json: bool,
    /// Write to this file; the extension picks the format: .csv, .json, .parquet for the
    /// table, .svg or .png for the chart (timeline, regions --by-period, terms, keyness,
    /// dispersion).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// With a chart: also write the table behind it, as FILE.csv.
    #[arg(long)]
    data: bool,
    /// PNG scale, 1 to 8 (2 = twice the pixels, for print).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=8))]
    scale: u32,
    /// Start CSV files with a byte-order mark, for Excel.
    #[arg(long)]
    bom: bool,
    /// Write CSV text cells as they are: by default a cell that a spreadsheet would run as a
    /// formula (it begins with =, +, -, @, a tab or a carriage return) gets a leading '.
    #[arg(long)]
    raw_csv: bool,
    /// Also save this analysis in broadsheet.toml under NAME, so that `broadsheet run`
    /// computes it into outputs/ (its table, and its chart when it has one).
    #[arg(long, value_name = "NAME")]
    save: Option<String>,
    /// The chart's title (default: what was counted, how, over what).
    #[arg(long)]
    title: Option<String>,
    /// The chart's subtitle (default: what the table counted).
    #[arg(long)]
    subtitle: Option<String>,
    /// Timeline charts: print the counts behind each point, `points` (count/total over each
    /// point) or `table` (a small table under each panel).
    #[arg(long, value_name = "WHERE")]
    show_n: Option<broadsheet_analysis::entry::ShowCounts>,
}

impl OutArgs {
    /// How this command writes CSV.
    fn csv(&self) -> CsvOptions {
        CsvOptions {
            bom: self.bom,
            raw: self.raw_csv,
        }
    }
}

/// A subcorpus: a query and the filters.
#[derive(Args, Clone, Default)]
pub struct SubArgs {
    /// Only articles matching this query.
    #[arg(short, long)]
    query: Option<String>,
    #[command(flatten)]
    filters: FilterArgs,
}

impl SubArgs {
    fn entry(&self) -> SubcorpusEntry {
        self.filters.entry(self.query.clone())
    }
}

#[derive(Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per run
pub enum ConceptCmd {
    /// List the project's concepts.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Add (or replace) a concept: a name and a query, or a copy of a lexicon entry.
    Add {
        name: String,
        /// The terms for articles of any language (with --lexicon: instead of the entry's).
        #[arg(required_unless_present = "lexicon")]
        query: Option<String>,
        #[arg(long)]
        description: Option<String>,
        /// Copy the built-in lexicon's entry ID, with its terms per language (`broadsheet
        /// concepts lexicon` lists them), to edit in broadsheet.toml.
        #[arg(long, value_name = "ID")]
        lexicon: Option<String>,
    },
    /// The built-in multilingual lexicon: concepts ready to copy with `add NAME --lexicon ID`.
    Lexicon {
        #[arg(long)]
        json: bool,
    },
    /// Remove a concept.
    Remove { name: String },
    /// The precision audit: a reproducible random sample of matching articles with the words
    /// that matched, for reading and judging (export it and fill in the `relevant` column).
    Audit {
        name: String,
        /// Articles in the sample.
        #[arg(long, default_value_t = 20)]
        sample: usize,
        /// The random seed; the same seed draws the same sample.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[command(flatten)]
        sub: SubArgs,
        #[command(flatten)]
        out: OutArgs,
    },
}

#[derive(Subcommand)]
pub enum AnalysisCmd {
    /// Word list (or n-grams): frequency, per million, documents, TF-IDF.
    Terms {
        #[command(flatten)]
        sub: SubArgs,
        /// Words (1) or n-grams of 2 to 5 words.
        #[arg(short, long, default_value_t = 1)]
        n: u8,
        #[arg(long, default_value_t = 1)]
        min_freq: u64,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[command(flatten)]
        text: TextArgs,
        #[command(flatten)]
        out: OutArgs,
    },
    /// Concordance (KWIC) of a word, phrase or query.
    Kwic {
        /// What to look for: a word, a "phrase", milit*, or a query.
        node: String,
        #[command(flatten)]
        sub: SubArgs,
        /// Words of context on each side.
        #[arg(long, default_value_t = 7)]
        width: usize,
        /// corpus (date order), left, right, left2, right3… (the n-th word on that side).
        #[arg(long, default_value = "corpus", value_parser = parse_kwic_sort)]
        sort: KwicSort,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long, default_value_t = 0)]
        offset: usize,
        #[command(flatten)]
        out: OutArgs,
    },
    /// Collocations of a node within a window: MI, t-score, log-likelihood, logDice.
    Collocations {
        node: String,
        #[command(flatten)]
        sub: SubArgs,
        /// Tokens on each side (shorthand for --left N --right N).
        #[arg(long, default_value_t = 5)]
        window: usize,
        #[arg(long)]
        left: Option<usize>,
        #[arg(long)]
        right: Option<usize>,
        #[arg(long, default_value_t = 3)]
        min_freq: u64,
        /// logdice, mi, t, ll, freq.
        #[arg(long, default_value = "logdice", value_parser = parse_measure)]
        measure: Measure,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[command(flatten)]
        text: TextArgs,
        #[command(flatten)]
        out: OutArgs,
    },
    /// Keywords of a target subcorpus (the query and filters) against a reference (the
    /// --ref-* options) or, without them, the rest of the corpus.
    Keyness {
        #[command(flatten)]
        sub: SubArgs,
        #[arg(long)]
        ref_query: Option<String>,
        #[arg(long)]
        ref_from: Option<String>,
        #[arg(long)]
        ref_to: Option<String>,
        #[arg(long = "ref-source")]
        ref_sources: Vec<String>,
        #[arg(long = "ref-language")]
        ref_languages: Vec<String>,
        #[arg(long = "ref-place")]
        ref_places: Vec<String>,
        #[arg(long, default_value_t = 5)]
        min_freq: u64,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[command(flatten)]
        text: TextArgs,
        #[command(flatten)]
        out: OutArgs,
    },
    /// Where terms occur across the corpus ordered by date.
    Dispersion {
        #[arg(required = true)]
        terms: Vec<String>,
        #[command(flatten)]
        sub: SubArgs,
        #[command(flatten)]
        out: OutArgs,
    },
    /// Articles matching a concept per period, with denominators and shares.
    Timeline {
        /// A saved concept (repeatable; with --by concept each is a series).
        #[arg(long = "concept")]
        concepts: Vec<String>,
        /// An ad-hoc query to count instead of a saved concept.
        #[arg(long = "match", value_name = "QUERY")]
        match_query: Option<String>,
        /// The base (denominators): a query and filters.
        #[command(flatten)]
        sub: SubArgs,
        /// none, source, country, region, concept.
        #[arg(long, default_value = "source", value_parser = parse_by)]
        by: By,
        /// With --by region: the regions, comma-separated (default: every region found).
        #[arg(long, value_name = "IDS")]
        regions: Option<String>,
        /// day, week, month, quarter, year (default: chosen from the data, the finest period
        /// whose median articles per group and period reach --min-total).
        #[arg(long)]
        period: Option<Period>,
        /// Flag periods whose denominator is below this (default 5).
        #[arg(long)]
        min_total: Option<u64>,
        #[command(flatten)]
        out: OutArgs,
    },
    /// Concepts: named, saved queries.
    #[command(subcommand)]
    Concepts(ConceptCmd),
    /// Regions: the gazetteer (--list), each article's place tags, or the region × period table
    /// (--by-period).
    Regions {
        /// List the regions and their member countries.
        #[arg(long)]
        list: bool,
        /// The region × period table (a timeline by region).
        #[arg(long)]
        by_period: bool,
        #[arg(long, default_value = "year")]
        period: Period,
        /// Regions for --by-period, comma-separated (default: every region found).
        #[arg(long, value_name = "IDS")]
        regions: Option<String>,
        /// Count only articles matching this concept (with --by-period).
        #[arg(long)]
        concept: Option<String>,
        #[command(flatten)]
        sub: SubArgs,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[command(flatten)]
        out: OutArgs,
    },
    /// Near-duplicate clusters: how many, and the largest.
    Duplicates {
        /// Recompute with this similarity threshold (and keep it for the project).
        #[arg(long)]
        threshold: Option<f64>,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
}

fn parse_kwic_sort(s: &str) -> std::result::Result<KwicSort, String> {
    broadsheet_analysis::entry::parse_kwic_sort(s)
}

fn parse_measure(s: &str) -> std::result::Result<Measure, String> {
    s.parse()
}

fn parse_by(s: &str) -> std::result::Result<By, String> {
    serde_json::from_value(serde_json::Value::String(s.to_string()))
        .map_err(|_| format!("`{s}`: group by none, source, country, region or concept"))
}

/// How a finished analysis is printed on a terminal.
#[derive(Clone, Copy, PartialEq)]
enum View {
    Table,
    Timeline,
    Kwic,
}

/// An analysis command as the engine's one description of it, with where its output goes and
/// the text settings it overrides.
struct Request {
    entry: AnalysisEntry,
    out: OutArgs,
    text: Option<TextArgs>,
    view: View,
}

fn request(kind: Kind, sub: &SubArgs, out: OutArgs, entry: AnalysisEntry) -> Request {
    Request {
        entry: AnalysisEntry {
            name: out.save.clone().unwrap_or_else(|| kind.name().into()),
            kind,
            subcorpus: sub.entry(),
            chart: broadsheet_analysis::entry::ChartEntry {
                title: out.title.clone(),
                subtitle: out.subtitle.clone(),
                show_n: out.show_n,
                ..Default::default()
            },
            ..entry
        },
        out,
        text: None,
        view: View::Table,
    }
}

impl AnalysisCmd {
    /// The analysis this command asks for; `None` for the commands that are not analyses
    /// (concepts list, add and remove; regions --list; duplicates).
    fn request(self) -> Option<Request> {
        Some(match self {
            AnalysisCmd::Terms {
                sub,
                n,
                min_freq,
                limit,
                text,
                out,
            } => Request {
                text: Some(text),
                ..request(
                    Kind::Terms,
                    &sub,
                    out,
                    AnalysisEntry {
                        n: Some(n),
                        min_freq: Some(min_freq),
                        limit: Some(limit),
                        ..Default::default()
                    },
                )
            },
            AnalysisCmd::Kwic {
                node,
                sub,
                width,
                sort,
                limit,
                offset,
                out,
            } => Request {
                view: View::Kwic,
                ..request(
                    Kind::Kwic,
                    &sub,
                    out,
                    AnalysisEntry {
                        node: Some(node),
                        width: Some(width),
                        sort: Some(sort),
                        limit: Some(limit),
                        offset: Some(offset),
                        ..Default::default()
                    },
                )
            },
            AnalysisCmd::Collocations {
                node,
                sub,
                window,
                left,
                right,
                min_freq,
                measure,
                limit,
                text,
                out,
            } => Request {
                text: Some(text),
                ..request(
                    Kind::Collocations,
                    &sub,
                    out,
                    AnalysisEntry {
                        node: Some(node),
                        left: Some(left.unwrap_or(window)),
                        right: Some(right.unwrap_or(window)),
                        min_freq: Some(min_freq),
                        measure: Some(measure),
                        limit: Some(limit),
                        ..Default::default()
                    },
                )
            },
            AnalysisCmd::Keyness {
                sub,
                ref_query,
                ref_from,
                ref_to,
                ref_sources,
                ref_languages,
                ref_places,
                min_freq,
                limit,
                text,
                out,
            } => {
                let reference = SubcorpusEntry {
                    query: ref_query,
                    from: ref_from,
                    to: ref_to,
                    sources: ref_sources,
                    languages: ref_languages,
                    places: ref_places,
                    dedup: false,
                };
                let reference = (!reference.is_empty()).then_some(SubcorpusEntry {
                    dedup: sub.filters.dedup,
                    ..reference
                });
                Request {
                    text: Some(text),
                    ..request(
                        Kind::Keyness,
                        &sub,
                        out,
                        AnalysisEntry {
                            reference,
                            min_freq: Some(min_freq),
                            limit: Some(limit),
                            ..Default::default()
                        },
                    )
                }
            }
            AnalysisCmd::Dispersion { terms, sub, out } => request(
                Kind::Dispersion,
                &sub,
                out,
                AnalysisEntry {
                    terms,
                    ..Default::default()
                },
            ),
            AnalysisCmd::Timeline {
                concepts,
                match_query,
                sub,
                by,
                regions,
                period,
                min_total,
                out,
            } => Request {
                view: View::Timeline,
                ..request(
                    Kind::Timeline,
                    &sub,
                    out,
                    AnalysisEntry {
                        concepts,
                        match_query,
                        by: Some(by),
                        regions: split_list(&regions),
                        period,
                        min_total,
                        ..Default::default()
                    },
                )
            },
            AnalysisCmd::Concepts(ConceptCmd::Audit {
                name,
                sample,
                seed,
                sub,
                out,
            }) => request(
                Kind::Audit,
                &sub,
                out,
                AnalysisEntry {
                    concepts: vec![name],
                    sample: Some(sample),
                    seed: Some(seed),
                    ..Default::default()
                },
            ),
            AnalysisCmd::Regions {
                list: false,
                by_period: true,
                period,
                regions,
                concept,
                sub,
                out,
                ..
            } => Request {
                view: View::Timeline,
                ..request(
                    Kind::Regions,
                    &sub,
                    out,
                    AnalysisEntry {
                        concepts: concept.into_iter().collect(),
                        regions: split_list(&regions),
                        period: Some(period),
                        ..Default::default()
                    },
                )
            },
            AnalysisCmd::Regions {
                list: false,
                by_period: false,
                sub,
                limit,
                out,
                ..
            } => {
                // Printed: the first rows; written or saved for `broadsheet run`: all of them.
                let limit = (out.out.is_none() && !out.json && out.save.is_none()).then_some(limit);
                request(
                    Kind::Places,
                    &sub,
                    out,
                    AnalysisEntry {
                        limit,
                        ..Default::default()
                    },
                )
            }
            AnalysisCmd::Regions { list: true, .. }
            | AnalysisCmd::Concepts(_)
            | AnalysisCmd::Duplicates { .. } => return None,
        })
    }
}

/// Prints or writes a finished analysis: `--out FILE` writes the table (.csv, .json,
/// .parquet) or draws the chart (.svg, .png; with `--data`, the table beside it as CSV).
fn emit(done: &Analysed, out: &OutArgs, view: View) -> Result<()> {
    if let Some(path) = &out.out {
        let Some(format) = OutputFormat::of_path(path) else {
            bail!(
                "{}: write .csv, .json, .parquet, .svg or .png",
                path.display()
            );
        };
        done.write(path, format, out.scale, out.csv())?;
        if format.is_chart() {
            eprintln!("drew {}", path.display());
            if out.data {
                let csv = path.with_extension("csv");
                write_table(&done.table, &csv, out.csv())?;
                eprintln!("wrote the data behind it to {}", csv.display());
            }
        } else {
            eprintln!(
                "wrote {} rows to {}",
                done.table.frame.height(),
                path.display()
            );
        }
        return Ok(());
    }
    print_table(&done.table, out, view)
}

/// Prints a table: one JSON document with `--json`, else aligned text and its notes.
fn print_table(table: &Table, out: &OutArgs, view: View) -> Result<()> {
    if out.json {
        let notes: serde_json::Map<String, serde_json::Value> = table
            .notes
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect();
        crate::output::json(
            &serde_json::json!({ "notes": notes, "rows": rows_json(&table.frame) }),
        )?;
        return Ok(());
    }
    match view {
        View::Timeline => {
            crate::output::timeline(table)?;
            return Ok(());
        }
        View::Kwic => crate::output::kwic(&table.frame),
        View::Table => crate::output::frame(&table.frame),
    }
    if !table.notes.is_empty() {
        let notes: Vec<String> = table
            .notes
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        println!("({})", notes.join("; "));
    }
    Ok(())
}

fn split_list(s: &Option<String>) -> Vec<String> {
    s.as_deref()
        .map(|x| {
            x.split(',')
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// A progress bar on a terminal while the corpus is prepared for analyses.
fn prepare(bench: &mut Workbench) -> Result<()> {
    let bar = std::io::stderr().is_terminal().then(|| {
        let b = indicatif::ProgressBar::new(0);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "preparing analyses {wide_bar} {pos}/{len} articles",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    });
    bench.prepare(
        &|done, total| {
            if let Some(b) = &bar {
                b.set_length(total);
                b.set_position(done);
            }
        },
        &AtomicBool::new(false),
    )?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok(())
}

pub fn run(project_dir: &Option<PathBuf>, cmd: AnalysisCmd) -> Result<()> {
    let mut project = crate::open_project(project_dir)?;
    match &cmd {
        AnalysisCmd::Concepts(ConceptCmd::List { json }) => {
            let cs = project.concepts();
            if *json {
                crate::output::json(&cs.0)?;
            } else if cs.0.is_empty() {
                println!("No concepts yet; add one with `broadsheet concepts add NAME QUERY`.");
            } else {
                for c in &cs.0 {
                    println!(
                        "{:<24} {}",
                        crate::output::field(&c.name),
                        crate::output::field(&c.query)
                    );
                }
            }
            return Ok(());
        }
        AnalysisCmd::Concepts(ConceptCmd::Add {
            name,
            query,
            description,
            lexicon,
        }) => {
            let mut c = match lexicon {
                Some(id) => {
                    broadsheet_analysis::concepts::lexicon::entry(id)?.to_concept(Some(name))
                }
                None => Concept {
                    name: name.clone(),
                    ..Default::default()
                },
            };
            if let Some(q) = query {
                c.query = q.clone();
            }
            if description.is_some() {
                c.description = description.clone();
            }
            let languages = c.languages.len();
            project.set_concept(c)?;
            println!("Saved concept `{name}` in broadsheet.toml ({languages} languages with terms of their own)");
            return Ok(());
        }
        AnalysisCmd::Concepts(ConceptCmd::Lexicon { json }) => {
            let entries = broadsheet_analysis::concepts::lexicon::entries();
            if *json {
                crate::output::json(&entries)?;
            } else {
                for e in entries {
                    let langs: Vec<&str> = e.languages.keys().map(String::as_str).collect();
                    println!("{:<22} {} [{}]", e.id, e.name, langs.join(" "));
                }
            }
            return Ok(());
        }
        AnalysisCmd::Concepts(ConceptCmd::Remove { name }) => {
            if !project.remove_concept(name)? {
                bail!("no concept `{name}`");
            }
            println!("Removed concept `{name}`");
            return Ok(());
        }
        AnalysisCmd::Regions {
            list: true, out, ..
        } => {
            let t = broadsheet_analysis::regions::regions_table()?;
            return print_or_write_table(&t, out);
        }
        AnalysisCmd::Duplicates {
            threshold,
            limit,
            json,
        } => {
            if let Some(t) = threshold {
                project.file.duplicates.threshold = *t;
                project.save()?;
            }
            return duplicates(Workbench::open(project)?, *limit, *json);
        }
        _ => {}
    }
    let Some(req) = cmd.request() else {
        unreachable!("every other command is an analysis")
    };
    let text: Option<TextSettings> = req
        .text
        .as_ref()
        .map(|t| t.apply(project.file.text.clone()));
    if req.out.save.is_some() {
        if text.as_ref().is_some_and(|t| *t != project.file.text) {
            anyhow::bail!(
                "--stopwords, --stop, --stem, --numbers and --min-length change this run only, and `broadsheet run` computes saved analyses with the project's [text] settings: set them in broadsheet.toml (docs/PROJECT.md) to save this analysis, or leave out --save"
            );
        }
        project.save_analysis(&req.entry)?;
        eprintln!(
            "saved `{}` in broadsheet.toml; `broadsheet run` writes it into outputs/",
            req.entry.clone().tidy().name
        );
    }
    let mut bench = Workbench::open(project)?;
    prepare(&mut bench)?;
    let done = bench.analyse(&req.entry, text.as_ref(), &AtomicBool::new(false))?;
    emit(&done, &req.out, req.view)
}

/// A table that is not an analysis (the regions list), printed or written.
fn print_or_write_table(t: &Table, out: &OutArgs) -> Result<()> {
    match &out.out {
        Some(path) => {
            write_table(t, path, out.csv())?;
            eprintln!("wrote {} rows to {}", t.frame.height(), path.display());
            Ok(())
        }
        None => print_table(t, out, View::Table),
    }
}

/// `broadsheet duplicates`: the clusters at the project's threshold.
fn duplicates(mut bench: Workbench, limit: usize, json: bool) -> Result<()> {
    prepare(&mut bench)?;
    let store = bench.store();
    let report = store.cluster_report()?;
    let clusters = store.clusters(limit)?;
    if json {
        crate::output::json(&serde_json::json!({
            "report": report,
            "clusters": clusters.iter().map(|(id, m)| serde_json::json!({"id": id, "members": m})).collect::<Vec<_>>(),
        }))?;
        return Ok(());
    }
    println!(
        "{} clusters of near-duplicates (threshold {}), {} articles in them; counting each cluster once leaves out {}",
        report.clusters, report.threshold, report.articles_in_clusters, report.redundant
    );
    for (id, members) in clusters {
        let a = store.article(id)?;
        println!(
            "  cluster #{id} ({} articles): {}",
            members.len(),
            crate::output::field(&a.title)
        );
    }
    Ok(())
}
