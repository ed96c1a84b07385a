//! The `contractor` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use contractor::spec::LoadOptions;

/// OpenAPI contract testing: load a spec, generate conformance scenarios, run them.
#[derive(Parser)]
#[command(name = "contractor", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Load specs or API listings and report versions, operations, error codes and diagnostics.
    Lint {
        /// Spec files (OpenAPI 3.0/3.1, Swagger 2.0; YAML, JSON, Markdown) or API listings.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Print JSON (one object per file) instead of text.
        #[arg(long)]
        json: bool,
        /// A folder to look up the files a listing names (repeatable).
        #[arg(long = "mirror", value_name = "DIR")]
        mirrors: Vec<PathBuf>,
        /// Allow downloading listed specs and remote $refs over HTTP(S).
        #[arg(long)]
        fetch: bool,
    },
}

fn main() -> ExitCode {
    contractor::install_crypto_provider();
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Lint {
            paths,
            json,
            mirrors,
            fetch,
        } => {
            let reports = contractor::lint::run(&paths, &LoadOptions { mirrors, fetch });
            if json {
                let out = contractor::lint::render_json(&reports);
                println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
            } else {
                print!("{}", contractor::lint::render_text(&reports));
            }
            contractor::lint::exit_code(&reports)
        }
    };
    ExitCode::from(code as u8)
}
