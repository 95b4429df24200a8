//! yardstick: audit customer-service standards (SMART objectives in TOML) against ticket and
//! order logs (CSV). The binary is a thin shell around [`cli::run`].

pub mod calendar;
pub mod cli;
pub mod duration;
pub mod error;
pub mod evaluate;
pub mod explain;
pub mod ingest;
pub mod output;
pub mod render;
pub mod report;
pub mod standards;
pub mod threads;
pub mod timefmt;

pub use cli::{run, Cli, Status};
pub use error::{Error, Result};
