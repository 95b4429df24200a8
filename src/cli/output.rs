//! Where reports go and how they are written: standard output or a file named by `-o` or an
//! `--export-*` flag. Owns the rules that keep a run harmless to the files it touches: no
//! output is a file the run reads or another output of the same run (files are compared, not
//! their spellings), a report replaces a regular file only once it is complete (written to a
//! temporary file beside it and renamed over it), and a reader that closes standard output
//! early never changes the verdict. Knows nothing of what a report holds.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::fileid::{FileId, Stream};

/// Where one output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Stdout,
    File(PathBuf),
}

impl Target {
    /// `-o`'s value: none or `-` is standard output.
    pub fn of(path: Option<&Path>) -> Target {
        match path {
            None => Target::Stdout,
            Some(p) if p.as_os_str() == "-" => Target::Stdout,
            Some(p) => Target::File(p.to_path_buf()),
        }
    }

    pub fn is_stdout(&self) -> bool {
        *self == Target::Stdout
    }

    fn shown(&self) -> String {
        match self {
            Target::Stdout => "standard output".into(),
            Target::File(p) => p.display().to_string(),
        }
    }
}

/// What identifies a file whatever its spelling: the file itself when it exists (so links
/// and hard links compare equal), else the absolute path it would be created at.
#[derive(PartialEq, Eq)]
enum Identity {
    Existing(FileId),
    New(PathBuf),
}

fn identity(path: &Path) -> Option<Identity> {
    // A link's target, also when that does not exist yet.
    let path = &resolve(path);
    if let Some(id) = FileId::of_path(path) {
        return Some(Identity::Existing(id));
    }
    // Not there yet: where it would be made.
    let name = path.file_name()?;
    fs::canonicalize(folder(path))
        .ok()
        .map(|p| Identity::New(p.join(name)))
}

/// Checks every output before anything is read or written: each can be written, none is one
/// of `inputs` (the standards files and logs of the run), and no two are the same file (or
/// both standard output). `outputs` pairs each target with the flag that named it.
pub fn check(outputs: &[(&str, &Target)], inputs: &[PathBuf]) -> Result<()> {
    let mut read: Vec<(String, Identity)> = inputs
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .filter_map(|p| identity(p).map(|id| (p.display().to_string(), id)))
        .collect();
    // A log read from standard input is a file when the shell redirected one (`< log.csv`).
    if inputs.iter().any(|p| p.as_os_str() == "-") {
        if let Some(id) = FileId::of_stream(Stream::Stdin) {
            read.push(("standard input".to_string(), Identity::Existing(id)));
        }
    }
    // Standard output redirected to a file (`> r.txt`, `>> log.csv`) is that file.
    let stdout = outputs
        .iter()
        .any(|(_, t)| t.is_stdout())
        .then(|| FileId::of_stream(Stream::Stdout).map(Identity::Existing))
        .flatten();
    let mut seen: Vec<(&str, &Target, Option<Identity>)> = Vec::new();
    for &(flag, target) in outputs {
        let id = match target {
            Target::Stdout => {
                if let Some((input, _)) = read.iter().find(|(_, i)| Some(i) == stdout.as_ref()) {
                    return Err(Error::usage(format!(
                        "standard output is the file {input}, which this run reads; writing \
                         the report there would destroy it: redirect it to another file"
                    )));
                }
                None
            }
            Target::File(path) => {
                check_writable(flag, path)?;
                let id = identity(path);
                if let Some((input, _)) = read.iter().find(|(_, i)| Some(i) == id.as_ref()) {
                    return Err(Error::usage(format!(
                        "{flag} {}: is {}, which this run reads; writing the report there would \
                         destroy it: give another file name",
                        path.display(),
                        if *input == path.display().to_string() {
                            "an input".to_string()
                        } else {
                            format!("the same file as the input {input}")
                        }
                    )));
                }
                // A device or FIFO (`/dev/null`) may take several outputs.
                id.filter(|_| regular_or_new(&resolve(path)))
            }
        };
        let clash = seen.iter().find(|(_, t, i)| {
            (t.is_stdout() && target.is_stdout())
                || (id.is_some() && *i == id)
                // A file that standard output is redirected to.
                || (t.is_stdout() && id.is_some() && stdout == id)
                || (target.is_stdout() && i.is_some() && stdout == *i)
        });
        if let Some((other, t, _)) = clash {
            return Err(Error::usage(if target.is_stdout() && t.is_stdout() {
                format!("{flag} -: {other} writes to standard output too; give one of them a file")
            } else {
                format!(
                    "{flag} {}: {other} writes the same file; give each output its own file",
                    target.shown()
                )
            }));
        }
        seen.push((flag, target, id));
    }
    Ok(())
}

/// Fails unless `path` can be written: its folder exists, it is not a folder, and a file can
/// be made in its folder (or, for a file that exists, written in place).
fn check_writable(flag: &str, path: &Path) -> Result<()> {
    let real = resolve(path);
    let parent = folder(&real);
    if !parent.is_dir() {
        return Err(Error::usage(format!(
            "{flag} {}: the folder {} does not exist",
            path.display(),
            parent.display()
        )));
    }
    if real.is_dir() {
        return Err(Error::usage(format!(
            "{flag} {}: is a folder; give a file name",
            path.display()
        )));
    }
    if !regular_or_new(&real) {
        return Ok(());
    }
    // A report the user made read-only is not to be replaced behind their back.
    if fs::metadata(&real).is_ok_and(|m| m.permissions().readonly()) {
        return Err(Error::usage(format!(
            "{flag} {}: is read-only; make it writable or give another file name",
            path.display()
        )));
    }
    let can_replace = tempfile::Builder::new()
        .prefix(".yardstick-check-")
        .tempfile_in(parent)
        .is_ok();
    let can_write_in_place = real.exists()
        && fs::OpenOptions::new()
            .write(true)
            .truncate(false)
            .open(&real)
            .is_ok();
    if can_replace || can_write_in_place {
        return Ok(());
    }
    let e = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(&real)
        .err()
        .map_or_else(|| "permission denied".to_string(), |e| e.to_string());
    Err(Error::usage(format!(
        "{flag} {}: cannot be written: {e}",
        path.display()
    )))
}

/// The file a path names: a symbolic link's target (the report replaces the file the link
/// points to, and the link stays).
fn resolve(path: &Path) -> PathBuf {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => fs::canonicalize(path).unwrap_or_else(|_| {
            // A dangling link: the file it names, relative to the link's folder.
            match fs::read_link(path) {
                Ok(t) if t.is_relative() => folder(path).join(t),
                Ok(t) => t,
                Err(_) => path.to_path_buf(),
            }
        }),
        _ => path.to_path_buf(),
    }
}

fn folder(path: &Path) -> PathBuf {
    match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(p) => p.to_path_buf(),
        None => PathBuf::from("."),
    }
}

/// A regular file or nothing yet: written by replacement. A FIFO or a device is written to.
fn regular_or_new(path: &Path) -> bool {
    match fs::metadata(path) {
        Ok(m) => m.is_file(),
        Err(_) => true,
    }
}

/// Writes one output: standard output as it is rendered (a reader that goes away early is no
/// error), a file whole (see the module's doc).
pub fn write(target: &Target, render: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    match target {
        Target::Stdout => {
            let stdout = io::stdout();
            let mut w = io::BufWriter::new(stdout.lock());
            quiet_pipe(render(&mut w).and_then(|()| w.flush()))
        }
        Target::File(path) => {
            let mut buf = Vec::new();
            render(&mut buf).map_err(|e| Error::io(path.display().to_string(), e))?;
            write_file(path, &buf).map_err(|e| Error::io(path.display().to_string(), e))
        }
    }
}

/// Text for standard output (a listing, a trace).
pub fn print(text: &[u8]) -> Result<()> {
    write(&Target::Stdout, |w| w.write_all(text))
}

/// A closed pipe (`| head`) ends the output quietly; the run's verdict stands.
fn quiet_pipe(r: io::Result<()>) -> Result<()> {
    match r {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        r => r.map_err(|e| Error::io("<stdout>", e)),
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let real = resolve(path);
    if !regular_or_new(&real) {
        return fs::OpenOptions::new()
            .write(true)
            .open(&real)
            .and_then(|mut f| f.write_all(bytes).and_then(|()| f.flush()));
    }
    let old = fs::metadata(&real).ok();
    let made = tempfile::Builder::new()
        .prefix(".yardstick-")
        .suffix(".tmp")
        .permissions(default_permissions())
        .tempfile_in(folder(&real));
    let mut tmp = match made {
        Ok(t) => t,
        // A folder that takes no new file, with a report there that can be written: replace
        // its contents in place.
        Err(e) if old.is_some() => {
            return fs::write(&real, bytes).map_err(|_| e);
        }
        Err(e) => return Err(e),
    };
    tmp.write_all(bytes)?;
    tmp.flush()?;
    if let Some(old) = old {
        // The report keeps the mode of the file it replaces.
        fs::set_permissions(tmp.path(), old.permissions())?;
    }
    tmp.persist(&real).map(|_| ()).map_err(|e| e.error)
}

/// What a new file gets: read and write for all, less the umask (as `fs::write` gives).
fn default_permissions() -> fs::Permissions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::Permissions::from_mode(0o666)
    }
    #[cfg(not(unix))]
    {
        // Elsewhere a new file's default permissions are those of a file just made.
        tempfile::tempfile()
            .and_then(|f| f.metadata())
            .map(|m| m.permissions())
            .unwrap_or_else(|_| fs::metadata(".").expect("the current folder").permissions())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(p: &Path) -> Target {
        Target::File(p.to_path_buf())
    }

    #[test]
    fn dash_is_standard_output() {
        assert_eq!(Target::of(Some(Path::new("-"))), Target::Stdout);
        assert_eq!(Target::of(None), Target::Stdout);
        assert_eq!(
            Target::of(Some(Path::new("r.json"))),
            Target::File("r.json".into())
        );
    }

    #[test]
    fn an_input_by_any_spelling_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log.csv");
        fs::write(&log, "a\n").unwrap();
        let dotted = dir.path().join(".").join("log.csv");
        let link = dir.path().join("link.csv");
        let hard = dir.path().join("hard.csv");
        #[cfg(unix)]
        std::os::unix::fs::symlink(&log, &link).unwrap();
        fs::hard_link(&log, &hard).unwrap();
        for spelling in [&log, &dotted, &link, &hard] {
            if !spelling.exists() {
                continue;
            }
            let e = check(&[("-o", &file(spelling))], std::slice::from_ref(&log))
                .unwrap_err()
                .to_string();
            assert!(e.contains("which this run reads"), "{e}");
        }
        assert_eq!(fs::read(&log).unwrap(), b"a\n");
        let other = dir.path().join("report.json");
        check(&[("-o", &file(&other))], &[log]).unwrap();
        assert!(!other.exists(), "checking leaves nothing behind");
    }

    #[test]
    fn two_outputs_to_one_file_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("r.out");
        let b = dir.path().join(".").join("r.out");
        let e = check(
            &[("--export-html", &file(&a)), ("--export-json", &file(&b))],
            &[],
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("--export-json "), "{e}");
        assert!(e.contains("--export-html writes the same file"), "{e}");
        let e = check(
            &[("-o", &Target::Stdout), ("--export-json", &Target::Stdout)],
            &[],
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("-o writes to standard output too"), "{e}");
    }

    #[test]
    fn a_failed_render_leaves_the_old_report_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.json");
        fs::write(&path, "old").unwrap();
        let e = write(&file(&path), |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("failed"))
        });
        assert!(e.is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        write(&file(&path), |w| w.write_all(b"new")).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        // Nothing but the report is left in the folder.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_read_only_report_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.json");
        fs::write(&path, "old").unwrap();
        let mut perms = fs::metadata(&path).unwrap().permissions();
        perms.set_readonly(true);
        fs::set_permissions(&path, perms).unwrap();
        let e = check(&[("-o", &file(&path))], &[]).unwrap_err().to_string();
        assert!(e.contains("is read-only"), "{e}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
    }

    #[test]
    fn a_dangling_link_and_its_target_are_one_output() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("dl");
        #[cfg(unix)]
        std::os::unix::fs::symlink("x.json", &link).unwrap();
        #[cfg(unix)]
        {
            let target = dir.path().join("x.json");
            let e = check(
                &[
                    ("--export-json", &file(&link)),
                    ("--export-html", &file(&target)),
                ],
                &[],
            )
            .unwrap_err()
            .to_string();
            assert!(e.contains("--export-json writes the same file"), "{e}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_link_keeps_pointing_at_the_replaced_report_and_its_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        fs::write(&real, "old").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write(&file(&link), |w| w.write_all(b"new")).unwrap();
        assert!(fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
        assert_eq!(
            fs::metadata(&real).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }
}
