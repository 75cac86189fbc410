//! The incloud command line: the only part of incloud that reads arguments, prints or exits.

mod baseline;
mod catalog;
mod config;
mod iam;
mod params;
mod scan;

use clap::{Parser, Subcommand};

// A scan allocates many small strings and vectors across threads; mimalloc spends about a third fewer
// instructions on them than the system allocator (measured with callgrind, see docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "incloud",
    version,
    about = "Checks the customer's half of the AWS shared responsibility model in CloudFormation, SAM and CDK",
    after_help = "Exit codes: 0 no finding at or above --fail-on; 1 findings; 2 an input could not be loaded or the command was wrong."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan templates, directories and CDK cloud assemblies (cdk.out).
    Scan(Box<scan::ScanArgs>),
    /// Write the project's SECURITY.md from its infrastructure: what is done, what is not, accepted deviations,
    /// and the customer-side practices code cannot show (to standard output, or --output FILE).
    Doc(Box<scan::ScanArgs>),
    /// List the rules.
    Rules(catalog::RulesArgs),
    /// Show a rule's documentation, by name or code.
    Explain(catalog::ExplainArgs),
    /// Write (or with --check, verify) the generated documentation: rule pages and the config schema.
    Docs(catalog::DocsArgs),
    /// Compare two JSON reports: new, fixed and unchanged findings (exit 1 when there are new ones).
    Diff(baseline::DiffArgs),
    /// The IAM engine on its own: decide a request (`eval`) or analyse one policy document (`analyze`).
    Iam {
        #[command(subcommand)]
        command: iam::IamCommand,
    },
    /// The configuration file: show the resolved configuration, or print its JSON schema.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Print the configuration that applies to PATH (incloud.toml found there or in its parents).
    Show {
        #[arg(default_value = ".")]
        path: std::path::PathBuf,
        #[arg(long, value_name = "FILE")]
        config: Option<std::path::PathBuf>,
    },
    /// Print the JSON schema of incloud.toml.
    Schema,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(2),
            };
        }
    };
    let result = match cli.command {
        Command::Scan(args) => scan::run(*args),
        Command::Doc(args) => scan::doc(*args),
        Command::Rules(args) => catalog::rules(args),
        Command::Explain(args) => catalog::explain(args),
        Command::Docs(args) => catalog::docs(args),
        Command::Diff(args) => baseline::diff(args),
        Command::Iam { command } => iam::run(command),
        Command::Config { command } => match command {
            ConfigCommand::Schema => {
                print!("{}", config::schema());
                Ok(0)
            }
            ConfigCommand::Show { path, config: file } => show_config(&path, file),
        },
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("incloud: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn show_config(path: &std::path::Path, file: Option<std::path::PathBuf>) -> anyhow::Result<u8> {
    let found = file.or_else(|| config::discover(path));
    let cfg = match &found {
        Some(p) => config::load(p)?,
        None => config::Config::default(),
    };
    match &found {
        Some(p) => println!("# from {}", p.display()),
        None => println!("# no {} found; defaults", config::FILE_NAME),
    }
    print!("{}", toml::to_string_pretty(&cfg)?);
    Ok(0)
}
