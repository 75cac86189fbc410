//! The incloud command line: the only part of incloud that reads arguments, prints or exits.

mod catalog;
mod params;
mod scan;

use clap::{Parser, Subcommand};
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
    Scan(scan::ScanArgs),
    /// List the rules.
    Rules(catalog::RulesArgs),
    /// Show a rule's documentation, by name or code.
    Explain(catalog::ExplainArgs),
    /// Write (or with --check, verify) the rule documentation pages.
    Docs(catalog::DocsArgs),
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
        Command::Scan(args) => scan::run(args),
        Command::Rules(args) => catalog::rules(args),
        Command::Explain(args) => catalog::explain(args),
        Command::Docs(args) => catalog::docs(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("incloud: {e:#}");
            ExitCode::from(2)
        }
    }
}
