//! What identifies a file whatever its spelling: its device and inode (on other systems the
//! handle `same-file` gives), taken without opening it, since opening a FIFO waits for a
//! writer. The one way yardstick tells two paths, or a path and a redirected standard stream,
//! apart: `cli::output` keeps reports off the files a run reads, `app` refuses a log given
//! twice. Knows nothing of what the files hold.

use std::fs;
use std::path::Path;

#[cfg(not(unix))]
use same_file::Handle;

/// A file's identity; equal for two paths to one file (links, hard links, `./a` and `a`).
#[derive(Debug, PartialEq, Eq)]
pub struct FileId(#[cfg(unix)] (u64, u64), #[cfg(not(unix))] Handle);

/// The standard stream a [`FileId::of_stream`] asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdin,
    Stdout,
}

impl FileId {
    /// The file at `path` (a link's target), `None` when there is none.
    pub fn of_path(path: &Path) -> Option<FileId> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            fs::metadata(path).ok().map(|m| FileId((m.dev(), m.ino())))
        }
        #[cfg(not(unix))]
        {
            Handle::from_path(path).ok().map(FileId)
        }
    }

    /// The regular file behind standard input or output (a redirection `< log.csv`,
    /// `> r.txt`); `None` for a terminal or a pipe, which no report could harm.
    pub fn of_stream(stream: Stream) -> Option<FileId> {
        #[cfg(unix)]
        {
            use std::os::fd::AsFd;
            use std::os::unix::fs::MetadataExt;
            let fd = match stream {
                Stream::Stdin => std::io::stdin().as_fd().try_clone_to_owned(),
                Stream::Stdout => std::io::stdout().as_fd().try_clone_to_owned(),
            };
            let m = fs::File::from(fd.ok()?).metadata().ok()?;
            m.is_file().then(|| FileId((m.dev(), m.ino())))
        }
        #[cfg(not(unix))]
        {
            match stream {
                Stream::Stdin => Handle::stdin(),
                Stream::Stdout => Handle::stdout(),
            }
            .ok()
            .map(FileId)
        }
    }
}

/// Whether two paths name one existing file.
pub fn same_file(a: &Path, b: &Path) -> bool {
    matches!((FileId::of_path(a), FileId::of_path(b)), (Some(x), Some(y)) if x == y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_and_links_of_one_file_are_one_file() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.csv");
        fs::write(&a, "x").unwrap();
        let b = dir.path().join("b.csv");
        fs::write(&b, "x").unwrap();
        assert!(same_file(&a, &dir.path().join(".").join("a.csv")));
        assert!(!same_file(&a, &b));
        assert!(!same_file(&a, &dir.path().join("missing.csv")));
        #[cfg(unix)]
        {
            let link = dir.path().join("link.csv");
            std::os::unix::fs::symlink(&a, &link).unwrap();
            assert!(same_file(&a, &link));
            let hard = dir.path().join("hard.csv");
            fs::hard_link(&a, &hard).unwrap();
            assert!(same_file(&hard, &link));
        }
    }
}
