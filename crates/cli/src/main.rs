//! The `broadsheet` command: a thin layer over the engine crates. It parses arguments, finds
//! the project, calls one library function per command, and prints the result as text or as
//! one JSON document (`--json`). Progress goes to standard error, only on a terminal.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};

use broadsheet_ingest::{recipe, FieldMap, Format, Recipe};
use broadsheet_project::Project;
use broadsheet_store::{Filters, SearchRequest, Sort, Subcorpus};

mod analyses;
mod output;
mod progress;
mod timings;

#[derive(Parser)]
#[command(
    name = "broadsheet",
    version,
    about = "Broadsheet: a workbench for studying news coverage",
    long_about = "Broadsheet stores news collections in a project folder and finds, counts and charts what they say.\n\nEvery command except `new` works on the project in the current folder, or on -p/--project DIR."
)]
struct Cli {
    /// The project folder (default: the current folder).
    #[arg(short, long, global = true, value_name = "DIR")]
    project: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per run
enum Command {
    /// Create a project folder with an empty corpus.
    New {
        dir: PathBuf,
        /// A name for the project (default: the folder's name).
        #[arg(long)]
        name: Option<String>,
    },
    /// Import files or folders (text, CSV/TSV, JSON/JSON Lines, and these inside .zip or .gz).
    Import(ImportArgs),
    /// List the sources (outlets) with their article counts and date ranges; rename or merge
    /// them.
    Sources(SourcesArgs),
    /// List articles, oldest first.
    List(ListArgs),
    /// Show one article in full, with where its date came from.
    Show {
        id: i64,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Search with the query language; hits with highlighted snippets.
    Search(SearchArgs),
    /// Corpus statistics: articles per source and year, dated and undated, dates by origin.
    Stats(JsonFlag),
    /// List the built-in recipes, or print one (to copy and adapt).
    Recipes {
        /// Print this recipe as TOML.
        name: Option<String>,
    },
    #[command(flatten)]
    Analysis(analyses::AnalysisCmd),
    /// Rebuild what is stale and write every analysis of broadsheet.toml into outputs/, with
    /// outputs/manifest.json and outputs/METHODS.md.
    Run {
        /// The project folder (default: -p, or the current folder).
        dir: Option<PathBuf>,
        /// Inputs changed since they were recorded: rebuild from them as they are now.
        #[arg(long)]
        accept_changes: bool,
        /// Rebuild the corpus from the sources even when nothing changed.
        #[arg(long)]
        fresh: bool,
        #[arg(long)]
        json: bool,
        /// Where the analyses are computed: `local` (the project's corpus) or `spark` (Apache
        /// Spark over the shards of `broadsheet convert` in --data; see docs/SCALE.md).
        #[arg(long, default_value = "local", value_parser = ["local", "spark"])]
        engine: String,
        /// With --engine spark: the Spark master (`local[2]`, `spark://host:7077`).
        #[arg(long, default_value = "local[2]")]
        master: String,
        /// With --engine spark: the folder of shards `broadsheet convert` wrote.
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// List the lines left out of search and counts as source boilerplate (footers, share
    /// bars, subscription lines repeated across a source's articles), with their counts. The
    /// project's [text.boilerplate] settings turn detection off, keep lines or add lines.
    Boilerplate {
        /// Only this source's lines.
        #[arg(long)]
        source: Option<String>,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Compare every input file with the hash the project recorded.
    Check {
        #[arg(long)]
        json: bool,
    },
    /// Convert files or folders to Parquet without a project: each input becomes one shard in
    /// the export's layout (with the full-text index's tokens), named by a hash of its files, for
    /// `broadsheet run --engine spark` (see docs/SCALE.md). Shards already there are kept.
    Convert {
        #[command(flatten)]
        import: ImportArgs,
        /// The folder the shards are written to (created).
        #[arg(long)]
        out: PathBuf,
    },
    /// Write the whole corpus as Parquet partitioned by year and month (Hive-style folders):
    /// articles, per-article term counts, place tags and duplicate clusters, for DuckDB, Spark
    /// or polars (see docs/EXPORT.md).
    Export {
        /// The folder to write (created).
        dir: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Time the interactive analyses in one process (for docs/PERFORMANCE.md).
    #[command(hide = true)]
    Timings(timings::TimingsArgs),
    /// List past imports, or show one import's report with its diagnostics.
    Imports {
        /// Show this import's report.
        id: Option<i64>,
        #[command(flatten)]
        json: JsonFlag,
    },
}

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
struct SourcesArgs {
    #[command(subcommand)]
    action: Option<SourcesCmd>,
    #[command(flatten)]
    json: JsonFlag,
}

/// Source names are kept in broadsheet.toml (`[source_names]`): every later import, and
/// `broadsheet run --fresh`, gives the new name.
#[derive(Subcommand)]
enum SourcesCmd {
    /// Rename a source (to a name another source has: merge them).
    Rename {
        old: String,
        new: String,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Merge sources into one, e.g. one outlet's feed under its http:// and https:// addresses.
    Merge {
        /// The sources to merge.
        #[arg(required = true)]
        sources: Vec<String>,
        /// The merged source's name (one of them, another source, or a new name).
        #[arg(long, value_name = "NAME")]
        into: String,
        #[command(flatten)]
        json: JsonFlag,
    },
}

#[derive(Args, Clone, Copy)]
struct JsonFlag {
    /// Print one JSON document on standard output.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct ImportArgs {
    /// Files or folders to import.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// A recipe: a TOML file, or the name of a built-in one (`broadsheet recipes` lists them).
    /// The options below override it.
    #[arg(long)]
    recipe: Option<String>,
    /// The language of every record that does not name one (an ISO code: en, ru, fa…);
    /// detection is skipped.
    #[arg(long)]
    language: Option<String>,
    /// The format of every file: text, csv, json, sgml, feed, html or mail (also inside zip
    /// and gzip files, which are recognised by themselves); detected per file when absent.
    #[arg(long)]
    format: Option<Format>,
    /// One source name for every imported article.
    #[arg(long)]
    source: Option<String>,
    /// Map a field to a column or key: FIELD=COLUMN, where FIELD is one of title, body, date,
    /// source, url, id, author, section, language and COLUMN is a header name, a dotted JSON
    /// path or a 1-based column number. Repeatable.
    #[arg(long = "map", value_name = "FIELD=COLUMN", value_parser = FieldMap::parse_entry)]
    map: Vec<(broadsheet_ingest::Field, broadsheet_ingest::Selector)>,
    /// CSV files have no header row (use --map with column numbers).
    #[arg(long)]
    no_header: bool,
    /// CSV delimiter (default: sniffed from the first line).
    #[arg(long, value_parser = parse_delimiter)]
    delimiter: Option<u8>,
    /// JSON: the dotted path of the list of records inside each document
    /// (`response.docs`), or `.` when each document is one record (found by itself otherwise).
    #[arg(long, value_name = "PATH")]
    records: Option<String>,
    /// Text files: where the title comes from: first-line, filename or none (default: the
    /// first line, unless it is the whole text or too long to be a title).
    #[arg(long, value_name = "RULE", value_parser = parse_title_rule)]
    title: Option<broadsheet_ingest::readers::text::TitleRule>,
    /// Keep the original of every field whose HTML was reduced to text (as FIELD_html).
    #[arg(long)]
    keep_html: bool,
    /// Print every diagnostic, not only the first ones.
    #[arg(long)]
    all_diagnostics: bool,
    #[command(flatten)]
    json: JsonFlag,
}

fn parse_title_rule(s: &str) -> Result<broadsheet_ingest::readers::text::TitleRule, String> {
    use broadsheet_ingest::readers::text::TitleRule;
    match s {
        "auto" => Ok(TitleRule::Auto),
        "first-line" => Ok(TitleRule::FirstLine),
        "filename" => Ok(TitleRule::Filename),
        "none" => Ok(TitleRule::None),
        _ => Err(format!(
            "`{s}`: the title comes from first-line, filename or none (or auto)"
        )),
    }
}

fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "\\t" | "tab" => Ok(b'\t'),
        s if s.len() == 1 && s.is_ascii() => Ok(s.as_bytes()[0]),
        _ => Err(format!(
            "`{s}` is not a one-character delimiter (use `tab` for tabs)"
        )),
    }
}

/// The subcorpus options every listing and analysis takes.
#[derive(Args, Clone, Default)]
pub(crate) struct FilterArgs {
    /// Only articles dated on or after this date (2015, 2015-06, 2015-06-01).
    #[arg(long)]
    from: Option<String>,
    /// Only articles dated up to the end of this date (2015 = through 2015-12-31).
    #[arg(long)]
    to: Option<String>,
    /// Only articles from this source (repeatable).
    #[arg(long = "source")]
    sources: Vec<String>,
    /// Only articles in this language, as an ISO code such as en, ru, fa (repeatable).
    #[arg(long = "language")]
    languages: Vec<String>,
    /// Only articles mentioning this place: an ISO country code (KG) or a region id
    /// (central-asia), a region counting its member countries too (repeatable).
    #[arg(long = "place")]
    places: Vec<String>,
    /// Count each near-duplicate cluster once.
    #[arg(long)]
    dedup: bool,
}

impl FilterArgs {
    /// The filters with a query, as an analysis's subcorpus.
    pub(crate) fn entry(
        &self,
        query: Option<String>,
    ) -> broadsheet_analysis::entry::SubcorpusEntry {
        broadsheet_analysis::entry::SubcorpusEntry {
            query,
            from: self.from.clone(),
            to: self.to.clone(),
            sources: self.sources.clone(),
            languages: self.languages.clone(),
            places: self.places.clone(),
            dedup: self.dedup,
        }
    }

    pub(crate) fn filters(&self) -> Filters {
        Filters {
            from: self.from.clone(),
            to: self.to.clone(),
            sources: self.sources.clone(),
            languages: self.languages.clone(),
            places: self.places.clone(),
            dedup: self.dedup,
        }
    }
}

#[derive(Args)]
struct ListArgs {
    /// Only articles matching this query.
    #[arg(short, long)]
    query: Option<String>,
    #[command(flatten)]
    filters: FilterArgs,
    /// Order: date (oldest first), newest, id.
    #[arg(long, default_value = "date", value_parser = parse_sort)]
    sort: Sort,
    #[arg(long, default_value_t = 50)]
    limit: usize,
    #[arg(long, default_value_t = 0)]
    offset: usize,
    #[command(flatten)]
    json: JsonFlag,
}

#[derive(Args)]
struct SearchArgs {
    /// The query, e.g. '(security OR militant*) AND Kyrgyz*' (see docs/QUERY.md).
    query: String,
    #[command(flatten)]
    filters: FilterArgs,
    /// Order: relevance, date (oldest first), newest, id.
    #[arg(long, default_value = "relevance", value_parser = parse_sort)]
    sort: Sort,
    #[arg(long, default_value_t = 20)]
    limit: usize,
    #[arg(long, default_value_t = 0)]
    offset: usize,
    #[command(flatten)]
    json: JsonFlag,
}

fn parse_sort(s: &str) -> Result<Sort, String> {
    match s {
        "relevance" => Ok(Sort::Relevance),
        "date" | "oldest" => Ok(Sort::Date),
        "newest" => Ok(Sort::Newest),
        "id" => Ok(Sort::Id),
        _ => Err(format!("`{s}`: sort by relevance, date, newest or id")),
    }
}

/// What `broadsheet import` asks for: the recipe named (a file, or a built-in by name) and
/// what the options say beyond it.
fn import_spec(args: &ImportArgs) -> Result<broadsheet_project::ImportSpec> {
    let recipe = match &args.recipe {
        None => broadsheet_project::RecipeRef::Auto,
        Some(r) if std::path::Path::new(r).is_file() || r.ends_with(".toml") => {
            broadsheet_project::RecipeRef::File { path: r.into() }
        }
        Some(r) => {
            recipe::builtin(r)?;
            broadsheet_project::RecipeRef::Builtin { name: r.clone() }
        }
    };
    let mut options = Recipe {
        format: args.format,
        source: args.source.clone(),
        language: args.language.clone(),
        no_header: args.no_header,
        delimiter: args.delimiter.map(|d| d as char),
        records: args.records.clone(),
        title: args.title.unwrap_or_default(),
        keep_html: args.keep_html,
        ..Recipe::default()
    };
    let mut seen = std::collections::BTreeSet::new();
    for (f, s) in &args.map {
        if !seen.insert(*f) {
            bail!("--map {f}=… is given twice");
        }
        options.map.insert(*f, s.clone());
    }
    Ok(broadsheet_project::ImportSpec {
        paths: args.paths.clone(),
        recipe,
        options,
    })
}

fn main() -> ExitCode {
    // Like other Unix tools: when the reader of our output goes away (`broadsheet list | head`),
    // stop quietly instead of failing to print.
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            // One line: the error and its causes, for people and for scripts.
            let mut msg = format!("broadsheet: {e}");
            for cause in e.chain().skip(1) {
                msg.push_str(&format!(": {cause}"));
            }
            // Errors name files, sources and queries the user or the corpus wrote.
            eprintln!("{}", output::field(&msg));
            ExitCode::FAILURE
        }
    }
}

fn project_dir(cli_project: &Option<PathBuf>) -> PathBuf {
    cli_project.clone().unwrap_or_else(|| PathBuf::from("."))
}

pub(crate) fn open_project(p: &Option<PathBuf>) -> Result<Project> {
    Ok(Project::open(&project_dir(p))?)
}

/// Cancellation on Ctrl-C: the first stops the work cleanly, a second exits at once.
fn install_ctrlc() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let presses = Arc::new(AtomicUsize::new(0));
    let f = flag.clone();
    let _ = ctrlc::set_handler(move || {
        if presses.fetch_add(1, Ordering::SeqCst) > 0 {
            eprintln!("\nbroadsheet: stopped");
            std::process::exit(130);
        }
        eprintln!("\nbroadsheet: stopping after the current batch (Ctrl-C again to quit at once)…");
        f.store(true, Ordering::SeqCst);
    });
    flag
}

/// `broadsheet sources rename` and `merge`: one call into the application layer.
fn rename_sources(project: &Option<PathBuf>, action: SourcesCmd) -> Result<()> {
    let (from, into, json) = match action {
        SourcesCmd::Rename { old, new, json } => (vec![old], new, json),
        SourcesCmd::Merge {
            sources,
            into,
            json,
        } => (sources, into, json),
    };
    let merge = open_project(project)?.rename_sources(&from, &into)?;
    if json.json {
        output::json(&merge)?;
    } else {
        output::source_merge(&merge);
    }
    Ok(())
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::New { dir, name } => {
            let p = Project::create(&dir, name.as_deref())?;
            println!(
                "Created project \"{}\" in {}\nNext: broadsheet -p {} import FILES_OR_FOLDERS",
                p.file.name,
                dir.display(),
                dir.display()
            );
        }
        Command::Import(args) => {
            let mut project = open_project(&cli.project)?;
            let spec = import_spec(&args)?;
            let cancel = install_ctrlc();
            let bar = progress::ImportBar::new(std::io::stderr().is_terminal() && !args.json.json);
            let report = project
                .import(&spec, &bar, &cancel)
                .context("import failed; articles stored before the failure are kept")?;
            bar.finish();
            if args.json.json {
                output::json(&report)?;
            } else {
                output::import_report(&report, args.all_diagnostics);
                if args.recipe.is_none() {
                    // Issue 20: a known export imported without its recipe is told which fits.
                    output::recipe_suggestions(&broadsheet_ingest::suggest_recipes(&args.paths));
                }
            }
            if report.status == broadsheet_store::ImportStatus::Cancelled {
                return Ok(ExitCode::from(130));
            }
        }
        Command::Sources(SourcesArgs {
            action: Some(action),
            ..
        }) => rename_sources(&cli.project, action)?,
        Command::Sources(SourcesArgs { json: j, .. }) => {
            let store = open_project(&cli.project)?.read_store()?;
            let rows = store.sources()?;
            if j.json {
                output::json(&rows)?;
            } else {
                output::sources(&rows);
            }
        }
        Command::List(args) => {
            let store = open_project(&cli.project)?.read_store()?;
            let sc = Subcorpus {
                query: args.query.clone(),
                filters: args.filters.filters(),
            };
            let rows = store.list(&sc, args.sort, args.limit, args.offset)?;
            if args.json.json {
                let total = store.count(&sc)?;
                output::json(&serde_json::json!({ "total": total, "articles": rows }))?;
            } else {
                output::articles(&rows);
            }
        }
        Command::Show { id, json } => {
            let store = open_project(&cli.project)?.read_store()?;
            let a = store.article(id)?;
            if json.json {
                output::json(&a)?;
            } else {
                output::article(&a);
            }
        }
        Command::Search(args) => {
            let store = open_project(&cli.project)?.read_store()?;
            let req = SearchRequest {
                subcorpus: Subcorpus {
                    query: Some(args.query.clone()),
                    filters: args.filters.filters(),
                },
                sort: args.sort,
                limit: args.limit,
                offset: args.offset,
            };
            let res = match store.search(&req) {
                Err(broadsheet_store::StoreError::Query(e)) => {
                    // On a terminal, the query with a caret under the problem first; scripts
                    // (and --json) get the one-line error only.
                    if !args.json.json && std::io::stderr().is_terminal() {
                        eprintln!("{}", output::text(&e.pointer(&args.query)));
                    }
                    bail!("query: {}", e);
                }
                other => other?,
            };
            if args.json.json {
                output::json(&res)?;
            } else {
                output::search(&res, args.offset, std::io::stdout().is_terminal());
            }
        }
        Command::Recipes { name } => match name {
            None => {
                for (n, _) in recipe::BUILTIN {
                    let r = recipe::builtin(n)?;
                    println!("{n:<24} {}", r.description.unwrap_or_default());
                }
            }
            Some(n) => {
                let text = recipe::BUILTIN
                    .iter()
                    .find(|(k, _)| *k == n)
                    .map(|(_, t)| *t)
                    .ok_or_else(|| recipe::builtin(&n).unwrap_err())?;
                print!("{text}");
            }
        },
        Command::Stats(j) => {
            let store = open_project(&cli.project)?.read_store()?;
            let s = store.stats()?;
            if j.json {
                output::json(&s)?;
            } else {
                output::stats(&s);
            }
        }
        Command::Analysis(cmd) => analyses::run(&cli.project, cmd)?,
        Command::Run {
            dir,
            accept_changes,
            fresh,
            json,
            engine,
            master,
            data,
        } => {
            let mut project = open_project(&dir.or(cli.project.clone()))?;
            let quiet = json;
            let progress = |msg: &str| {
                if !quiet {
                    eprintln!("{}", output::text(msg));
                }
            };
            let report = if engine == "spark" {
                let data = data.ok_or_else(|| {
                    anyhow::anyhow!(
                        "--engine spark needs --data DIR, the shards of `broadsheet convert`"
                    )
                })?;
                broadsheet_project::spark::run_on_spark(&project, &master, &data, &progress)?
            } else {
                broadsheet_project::run(
                    &mut project,
                    &broadsheet_project::RunOptions {
                        accept_changes,
                        fresh,
                    },
                    &progress,
                )?
            };
            if json {
                output::json(&report)?;
            } else {
                for c in &report.changes {
                    println!("accepted {c}");
                }
                println!(
                    "{} analyses, {} outputs written to {}{}",
                    report.analyses.len(),
                    report.outputs.len(),
                    broadsheet_project::run::outputs_dir(&project).display(),
                    if report.rebuilt_corpus {
                        " (corpus rebuilt from the sources)"
                    } else {
                        ""
                    }
                );
            }
        }
        Command::Boilerplate { source, json } => {
            let project = open_project(&cli.project)?;
            let mut store = project.read_store()?;
            if let Some(s) = &source {
                store.check_filters(&Filters {
                    sources: vec![s.clone()],
                    ..Filters::default()
                })?;
            }
            let cancel = install_ctrlc();
            let mut lines = store
                .prepare(
                    &project.file.text.boilerplate,
                    Some(project.file.duplicates.threshold),
                    &|_, _| {},
                    &cancel,
                )?
                .boilerplate
                .lines;
            if let Some(s) = &source {
                lines.retain(|l| &l.source == s);
            }
            if json.json {
                output::json(&lines)?;
            } else if lines.is_empty() {
                println!("No boilerplate lines: no line repeats in enough of a source's articles.");
            } else {
                output::boilerplate_lines(&lines, 0);
            }
        }
        Command::Check { json } => {
            let project = open_project(&cli.project)?;
            let changes = project.check_inputs()?;
            if json {
                output::json(&changes)?;
            } else if changes.is_empty() {
                let files: usize = project.file.sources.iter().map(|s| s.files.len()).sum();
                println!("All {files} input files match their recorded hashes.");
            } else {
                for c in &changes {
                    println!("{c}");
                }
            }
            if !changes.is_empty() {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Convert { import, out } => {
            let spec = import_spec(&import)?;
            let recipe = broadsheet_project::convert::recipe_of(&spec)?;
            let cancel = install_ctrlc();
            let bar =
                progress::ImportBar::new(std::io::stderr().is_terminal() && !import.json.json);
            let shards =
                broadsheet_project::convert::convert(&spec.paths, &recipe, &out, &bar, &cancel)
                    .context("convert failed; shards finished before the failure are kept")?;
            bar.finish();
            if import.json.json {
                output::json(&shards)?;
            } else {
                output::convert_report(&shards);
            }
        }
        Command::Export { dir, json } => {
            let project = open_project(&cli.project)?;
            let mut store = project.read_store()?;
            let cancel = install_ctrlc();
            store.prepare(
                &project.file.text.boilerplate,
                Some(project.file.duplicates.threshold),
                &|_, _| {},
                &cancel,
            )?;
            let r = broadsheet_analysis::export::export_corpus(&store, &dir, &|_, _| {}, &cancel)?;
            if json {
                output::json(&r)?;
            } else {
                println!(
                    "Exported {} articles in {} partitions ({} term-count rows, {} place rows) to {}",
                    output::n(r.articles),
                    r.partitions,
                    output::n(r.term_rows),
                    output::n(r.place_rows),
                    dir.display()
                );
            }
        }
        Command::Timings(args) => {
            let project = open_project(&cli.project)?;
            timings::run(&project, &args)?;
        }
        Command::Imports { id, json } => {
            let store = open_project(&cli.project)?.read_store()?;
            match id {
                None => {
                    let rows = store.imports()?;
                    if json.json {
                        output::json(&rows)?;
                    } else {
                        output::imports(&rows);
                    }
                }
                Some(id) => {
                    let r = store.import_record(id)?;
                    if json.json {
                        output::json(&r)?;
                    } else {
                        output::import_record(&r);
                    }
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
