//! The command line: argument definitions and one module per subcommand.
//!
//! Library errors are typed; here they are reported to the user with context (anyhow)
//! and turned into exit codes.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use gaztag::gazetteer::Gazetteer;

/// Prints a message and a newline on stderr, like `eprintln`, with control characters
/// (from file names and document ids) escaped; see [`stderr`].
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cli::stderr::print(format_args!($($arg)*))
    };
}

mod check;
mod convert;
mod cooc;
mod corpus;
mod eval;
mod guard;
mod merge;
mod progress;
mod reading;
mod report;
mod shell;
mod stats;
mod stderr;
mod suggest;
mod tag;

pub use check::CheckArgs;
pub use convert::ConvertArgs;
pub use cooc::CoocArgs;
pub use eval::EvalArgs;
pub use merge::MergeArgs;
pub use report::HtmlReportArgs;
pub use shell::{CompletionsArgs, ManArgs};
pub use stats::StatsArgs;
pub use suggest::SuggestArgs;
pub use tag::TagArgs;

/// Every input was processed.
pub const EXIT_OK: u8 = 0;
/// Some inputs failed (each reported on stderr); the rest were processed and written.
pub const EXIT_PARTIAL: u8 = 1;
/// Usage or gazetteer error: nothing was written.
pub const EXIT_ERROR: u8 = 2;

const EXIT_CODES: &str = "\
Exit codes:
  0  every input was processed
  1  some inputs failed (each is reported on stderr); the rest were written. When no
     input could be read at all, nothing is written: an old output file stays
  2  usage or gazetteer error, an output that is also an input, or the output could
     not be written; no output file or folder was created or replaced
  130  interrupted (Ctrl-C or SIGTERM); no output file or folder was created or
     replaced";

/// gaztag: fast gazetteer-based named-entity tagging for news.
///
/// Finds every mention of the people, organizations and places of a gazetteer in a
/// batch of articles, links each to one canonical entity, and writes one JSON record
/// per article. Works with no options on the built-in gazetteers.
#[derive(Debug, Parser)]
#[command(name = "gaztag", version, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Tag(TagArgs),
    Stats(StatsArgs),
    Cooc(CoocArgs),
    Merge(MergeArgs),
    Eval(EvalArgs),
    Report(HtmlReportArgs),
    Suggest(SuggestArgs),
    Check(CheckArgs),
    Convert(ConvertArgs),
    Completions(CompletionsArgs),
    Man(ManArgs),
}

/// Which gazetteers to load.
#[derive(Debug, Clone, Args)]
pub struct GazetteerArgs {
    /// Gazetteer file, or folder of them (read recursively, in sorted order): YAML,
    /// TSV/CSV tables, spaCy patterns (.jsonl) or a GATE lists.def. Repeatable.
    /// Replaces the built-in gazetteers.
    #[arg(short = 'g', long = "gazetteers", value_name = "PATH")]
    pub gazetteers: Vec<PathBuf>,

    /// Read every -g file as this format instead of going by its extension.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub gazetteer_format: Option<GazetteerFormatArg>,
}

impl GazetteerArgs {
    pub fn load(&self) -> Result<Gazetteer, gaztag::gazetteer::GazetteerError> {
        if self.gazetteers.is_empty() {
            return Gazetteer::embedded();
        }
        let gazetteer =
            Gazetteer::load_as(&self.gazetteers, self.gazetteer_format.map(Into::into))?;
        for warning in &gazetteer.warnings {
            say!("gaztag: warning: {warning}");
        }
        Ok(gazetteer)
    }
}

/// Most threads `-j` gets per core: past a few per core, threads only add start-up
/// and switching cost (`-j 5000` on a tiny file ran for over a minute).
pub const THREADS_PER_CORE: usize = 4;

/// Sizes rayon's global pool, which all parallel work uses (`-j`; default: all cores).
/// Only the first call in a process can size it: `run` calls it before anything else
/// may start the pool (building the tagger uses it).
fn init_threads(threads: Option<u16>) -> Result<(), rayon::ThreadPoolBuildError> {
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        let (asked, used) = (usize::from(n), capped_threads(n, cores));
        if used < asked {
            say!(
                "gaztag: warning: -j {asked} is more than {THREADS_PER_CORE} threads per core ({cores} cores): using {used}"
            );
        }
        pool = pool.num_threads(used);
    }
    pool.build_global()
}

impl Command {
    /// The `-j` of a command that tags in parallel: `Some(None)` when not given;
    /// `None` for a command without one.
    fn threads(&self) -> Option<Option<u16>> {
        match self {
            Command::Tag(args) => Some(args.reading.threads),
            Command::Stats(args) => Some(args.corpus.reading.threads),
            Command::Cooc(args) => Some(args.corpus.reading.threads),
            Command::Report(args) => Some(args.corpus.reading.threads),
            Command::Suggest(args) => Some(args.reading.threads),
            _ => None,
        }
    }
}

/// The threads `-j asked` gets on `cores` cores.
fn capped_threads(asked: u16, cores: usize) -> usize {
    usize::from(asked).min(cores.saturating_mul(THREADS_PER_CORE))
}

/// Which gazetteers to load and which resolution heuristics to run.
#[derive(Debug, Clone, Args)]
pub struct TaggingArgs {
    #[command(flatten)]
    pub gazetteer: GazetteerArgs,

    /// Do not link surnames and acronyms to people and organizations named in full
    /// earlier in the document.
    #[arg(long)]
    pub no_coref: bool,

    /// Do not choose among entities sharing a name from the document's context; the
    /// first loaded wins.
    #[arg(long)]
    pub no_disambiguation: bool,

    /// Do not find names that no gazetteer knows by their shape ("Governor Kay Ivey",
    /// "Georgia State University", "Rustaveli Avenue"); their ids start `discovered:`.
    #[arg(long)]
    pub no_discovery: bool,

    /// File of surface forms never to tag (one a line), or to tag only when written
    /// exactly so (`FORM<TAB>exact`); added to the built-in list. Repeatable.
    #[arg(long, value_name = "FILE")]
    pub stop: Vec<PathBuf>,

    /// How an alias's case must show in the text. smart: capitals of names must be
    /// capitals, acronyms of up to 5 letters all-caps ("WHO" never matches "who"),
    /// lowercase aliases match any case; insensitive: any case (a plain
    /// case-insensitive tagger); sensitive: every letter as in the alias.
    #[arg(long, value_enum, default_value = "smart", value_name = "MODE")]
    pub case: CaseArg,
}

/// `--gazetteer-format`: the library's `FileFormat` as clap parses it, so that the
/// library needs no clap. Each value's doc line is its `--help` text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GazetteerFormatArg {
    Yaml,
    Tsv,
    Csv,
    /// spaCy EntityRuler / PhraseMatcher patterns, JSONL.
    Spacy,
    /// A GATE `lists.def` naming `.lst` files.
    Gate,
}

impl From<GazetteerFormatArg> for gaztag::gazetteer::FileFormat {
    fn from(f: GazetteerFormatArg) -> Self {
        use gaztag::gazetteer::FileFormat;
        match f {
            GazetteerFormatArg::Yaml => FileFormat::Yaml,
            GazetteerFormatArg::Tsv => FileFormat::Tsv,
            GazetteerFormatArg::Csv => FileFormat::Csv,
            GazetteerFormatArg::Spacy => FileFormat::Spacy,
            GazetteerFormatArg::Gate => FileFormat::Gate,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CaseArg {
    Smart,
    Insensitive,
    Sensitive,
}

impl TaggingArgs {
    /// Loads the gazetteers and builds the tagger with these heuristics.
    pub fn tagger(&self) -> anyhow::Result<gaztag::Tagger> {
        use anyhow::Context;
        let case = match self.case {
            CaseArg::Smart => gaztag::Case::Smart,
            CaseArg::Insensitive => gaztag::Case::Insensitive,
            CaseArg::Sensitive => gaztag::Case::Sensitive,
        };
        let mut builder = gaztag::Tagger::builder();
        builder
            .case(case)
            .coreference(!self.no_coref)
            .disambiguation(!self.no_disambiguation)
            .discovery(!self.no_discovery);
        for path in &self.stop {
            let list = gaztag::StopList::from_path(path).context("cannot read the stop list")?;
            builder.stop_list(list);
        }
        let gazetteer = self.gazetteer.load().context("invalid gazetteer")?;
        builder.build(gazetteer).context("cannot build the tagger")
    }
}

/// Parses the command line, exiting on `--help`, `--version` or a usage error as clap
/// does. clap echoes a wrong argument back: when an argument holds a control
/// character, the message is built without clap's colours (escape sequences too) and
/// printed escaped.
pub fn parse() -> Cli {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let hostile = args
        .iter()
        .any(|a| a.to_string_lossy().chars().any(char::is_control));
    if !hostile {
        return Cli::parse_from(args);
    }
    use clap::{CommandFactory, FromArgMatches};
    let command = Cli::command().styles(clap::builder::Styles::plain());
    let parsed = command
        .try_get_matches_from(args)
        .and_then(|matches| Cli::from_arg_matches(&matches));
    match parsed {
        Ok(cli) => cli,
        Err(err) if !err.use_stderr() => err.exit(),
        Err(err) => {
            stderr::print_block(err.render().ansi().to_string().as_bytes());
            std::process::exit(err.exit_code());
        }
    }
}

/// Runs a parsed command line and returns the process exit code.
/// The exit code of a run stopped by Ctrl-C or `kill`, as shells report SIGINT.
pub const EXIT_INTERRUPTED: u8 = 130;

pub fn run(cli: Cli) -> ExitCode {
    // Before any thread starts (the worker pool's, then the Ctrl-C handler's): reading
    // the umask may briefly change it.
    gaztag::io::output::umask::init();
    // Next, before anything can start rayon's pool with its default size.
    if let Some(threads) = cli.command.threads()
        && let Err(err) = init_threads(threads)
    {
        say!("gaztag: error: cannot start the worker threads: {err}");
        return ExitCode::from(EXIT_ERROR);
    }
    // A panic is a bug of ours: one line naming where, not a Rust backtrace dump. The
    // batch turns a panic while tagging a document into an error for that document.
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        say!("gaztag: internal error{location} (please report it)");
    }));
    // Ctrl-C and SIGTERM: delete the temporary outputs (any older output file stays as
    // it was) and stop. Without a handler the process would die leaving them behind.
    let handler = ctrlc::set_handler(|| {
        gaztag::io::output::remove_pending_files();
        say!("gaztag: interrupted: no output file or folder was replaced");
        std::process::exit(i32::from(EXIT_INTERRUPTED));
    });
    if let Err(err) = handler {
        say!(
            "gaztag: warning: cannot catch Ctrl-C ({err}); an interrupted run may leave a temporary file"
        );
    }
    let result = match cli.command {
        Command::Tag(args) => tag::run(args),
        Command::Stats(args) => stats::run(args),
        Command::Cooc(args) => cooc::run(args),
        Command::Merge(args) => merge::run(args),
        Command::Eval(args) => eval::run(args),
        Command::Report(args) => report::run(args),
        Command::Suggest(args) => suggest::run(args),
        Command::Check(args) => check::run(args),
        Command::Convert(args) => convert::run(args),
        Command::Completions(args) => shell::completions(args),
        Command::Man(args) => shell::man(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            say!("gaztag: error: {}", error_chain(&err));
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// The error and its causes, joined by ": " as anyhow's `{:#}` does, but without a
/// cause that the message before it already ends with (our error types print their
/// I/O cause themselves: "dd: Is a directory").
fn error_chain(err: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if out.ends_with(&text) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&text);
    }
    out
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn error_chains_do_not_repeat_a_cause() {
        let io = std::io::Error::new(std::io::ErrorKind::IsADirectory, "Is a directory");
        let typed = gaztag::analyze::eval::EvalError::Io {
            path: "dd".into(),
            source: io,
        };
        let err = anyhow::Error::new(typed).context("cannot read the gold file");
        assert_eq!(
            super::error_chain(&err),
            "cannot read the gold file: dd: Is a directory"
        );
    }

    /// Every example in every command's --help parses as the arguments it shows.
    #[test]
    fn help_examples_parse() {
        use clap::Parser;
        let mut root = super::Cli::command();
        let mut examples = 0;
        for sub in root.get_subcommands_mut() {
            let help = sub.render_long_help().to_string();
            let Some((_, rest)) = help.split_once("Examples:\n") else {
                continue;
            };
            for line in rest.lines().take_while(|l| l.starts_with("  ")) {
                // The command, before any two-space comment; after a pipe if any.
                let command = line.trim().split("  ").next().unwrap_or_default();
                let command = command.rsplit("| ").next().unwrap_or_default();
                let words: Vec<&str> = command.split_whitespace().collect();
                super::Cli::try_parse_from(&words).unwrap_or_else(|e| panic!("{line}: {e}"));
                examples += 1;
            }
        }
        assert!(examples >= 20, "{examples} examples");
    }

    /// `-j` is read from the command line before anything runs (issue 19: it was lost
    /// when the tagger, which starts the pool, was built first).
    #[test]
    fn every_command_that_tags_in_parallel_gives_its_threads() {
        use clap::Parser;
        let threads = |args: &[&str]| super::Cli::parse_from(args).command.threads();
        for command in ["tag", "stats", "cooc", "report", "suggest"] {
            assert_eq!(
                threads(&["gaztag", command, "-j", "3"]),
                Some(Some(3)),
                "{command}"
            );
            assert_eq!(threads(&["gaztag", command]), Some(None), "{command}");
        }
        assert_eq!(threads(&["gaztag", "check"]), None);
    }

    #[test]
    fn threads_are_capped_at_four_per_core() {
        assert_eq!(super::capped_threads(3, 2), 3);
        assert_eq!(super::capped_threads(8, 2), 8);
        assert_eq!(super::capped_threads(60_000, 2), 8);
        assert_eq!(super::capped_threads(u16::MAX, 1), 4);
    }

    #[test]
    fn argument_definitions_are_consistent() {
        super::Cli::command().debug_assert();
    }
}
