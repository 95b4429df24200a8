//! The `yardstick` binary: parse arguments, run, map the outcome to an exit status.

use std::process::ExitCode;

use clap::Parser;
use yardstick::render::escape::terminal;
use yardstick::{Cli, Status};

fn main() -> ExitCode {
    // A bug must still end as an error a user can report, never as a Rust panic message or a
    // backtrace: say what happened and where, and exit 2 (the audit could not be done).
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown failure".into());
        let place = info
            .location()
            .map(|l| format!(" ({}:{})", l.file(), l.line()))
            .unwrap_or_default();
        let message = format!(
            "internal error in yardstick {}: {what}{place}; this is a bug, please report it with the command and input that caused it",
            env!("CARGO_PKG_VERSION")
        );
        yardstick::cli::say(&format!("error: {}", terminal(&message)));
    }));
    match std::panic::catch_unwind(run) {
        Ok(code) => code,
        Err(_) => ExitCode::from(2),
    }
}

fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with status 0; usage errors are status 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match yardstick::run(cli) {
        Ok(Status::Passed) => ExitCode::SUCCESS,
        Ok(Status::Failed) => ExitCode::from(1),
        Err(e) => {
            // Messages quote the logs and the standards; escaped at the edge, so that none of
            // it reaches the terminal or the CI log raw (see `render::escape`).
            yardstick::cli::report_error(&e);
            ExitCode::from(2)
        }
    }
}
