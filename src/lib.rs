//! yardstick: audit customer-service standards (SMART objectives in TOML) against ticket and
//! order logs (CSV). The binary is a thin shell around [`cli::run`]; `ARCHITECTURE.md` at the
//! root is the map of the modules.

pub mod app;
pub mod cli;
pub mod error;
pub mod evaluate;
pub mod explain;
pub mod fileid;
pub mod ingest;
pub mod init;
pub mod render;
pub mod report;
pub mod sql;
pub mod standards;
pub mod time;

pub use cli::{run, Cli, Status};
pub use error::{Error, Result};
