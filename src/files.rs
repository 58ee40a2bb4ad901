//! Output paths checked before anything runs: an output may not be one of the command's
//! inputs or another of its outputs (compared as files, after links and `.` are
//! resolved), must be writable, and must have a name the file system accepts.
//!
//! What a path names decides how it is written ([`crate::report::Batch`]): `-` is
//! standard output; a FIFO, a character device or a socket (after following links) is a
//! stream, written directly; anything else is a file, replaced whole by a rename, its
//! symbolic link (if it is one) left in place and its mode kept. A read-only file is
//! refused rather than replaced.

use std::path::{Path, PathBuf};

/// The longest file name (one path component) common file systems accept, in bytes.
pub const MAX_NAME_BYTES: usize = 255;
/// The longest path the operating system accepts, in bytes.
pub const MAX_PATH_BYTES: usize = 4095;

/// At most `limit + 1` bytes of `path`: one more than allowed tells the caller it is
/// too large without reading the rest, so `/dev/zero` or a huge file never fills memory.
/// Works on pipes and FIFOs too (`/dev/stdin`).
pub fn read_at_most(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// An output refused before the run: the flag that named it, the path, and why.
#[derive(Debug, thiserror::Error)]
#[error("{flag} {}: {reason}", path.display())]
pub struct OutputRefused {
    pub flag: String,
    pub path: PathBuf,
    pub reason: String,
}

/// What a path is, as far as overwriting goes.
#[derive(Debug, Clone, PartialEq)]
enum Identity {
    /// `-`.
    Stdout,
    /// A character device (`/dev/null`): writing to it twice harms nothing.
    Device,
    /// An existing file, FIFO or socket: its canonical path and (on Unix) device and inode,
    /// so a hard link is the same file too.
    Existing {
        canonical: PathBuf,
        key: Option<(u64, u64)>,
    },
    /// A file to be created: its canonical folder joined with its name.
    New(PathBuf),
}

impl Identity {
    fn same_as(&self, other: &Identity) -> bool {
        match (self, other) {
            (Identity::Stdout, Identity::Stdout) => true,
            (
                Identity::Existing {
                    canonical: a,
                    key: ka,
                },
                Identity::Existing {
                    canonical: b,
                    key: kb,
                },
            ) => a == b || (ka.is_some() && ka == kb),
            (Identity::New(a), Identity::New(b)) => a == b,
            _ => false,
        }
    }
}

/// The inputs of one command and the outputs accepted so far.
#[derive(Debug, Default)]
pub struct OutputPlan {
    inputs: Vec<(PathBuf, Identity)>,
    outputs: Vec<(String, Identity)>,
}

impl OutputPlan {
    /// A plan for a command that reads `inputs` (paths that do not exist are left to the
    /// loader to report).
    pub fn new<'a>(inputs: impl IntoIterator<Item = &'a Path>) -> OutputPlan {
        let inputs = inputs
            .into_iter()
            .filter_map(|p| Some((p.to_path_buf(), existing(p, &std::fs::metadata(p).ok()?)?)))
            .collect();
        OutputPlan {
            inputs,
            outputs: Vec::new(),
        }
    }

    /// Standard output carries something already (`what`, e.g. "the table"), so `-`
    /// may not name another output.
    pub fn stdout_taken(&mut self, what: &str) {
        self.outputs.push((what.to_string(), Identity::Stdout));
    }

    /// Accepts `path` as the output named by `flag`, or says why not.
    pub fn output(&mut self, flag: &str, path: &Path) -> Result<(), OutputRefused> {
        let refuse = |reason: String| OutputRefused {
            flag: flag.to_string(),
            path: path.to_path_buf(),
            reason,
        };
        let identity = check(path).map_err(refuse)?;
        if let Some((input, _)) = self.inputs.iter().find(|(_, i)| i.same_as(&identity)) {
            return Err(refuse(format!(
                "is also an input ({}); salesim never overwrites its inputs: choose another output file",
                input.display()
            )));
        }
        if let Some((other, _)) = self.outputs.iter().find(|(_, i)| i.same_as(&identity)) {
            return Err(refuse(format!(
                "is also written by {other}; give each output its own file"
            )));
        }
        self.outputs.push((flag.to_string(), identity));
        Ok(())
    }
}

/// True when `path` is standard output (`-`) or, after following links, a FIFO, a
/// character device or a socket: written directly, never renamed onto, and a CSV
/// written there has no manifest beside it (as on standard output).
pub fn is_stream(path: &Path) -> bool {
    path.as_os_str() == "-" || std::fs::metadata(path).is_ok_and(|m| stream_kind(&m).is_some())
}

#[cfg(unix)]
fn stream_kind(meta: &std::fs::Metadata) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_char_device() {
        Some("device")
    } else if t.is_fifo() {
        Some("fifo")
    } else if t.is_socket() {
        Some("socket")
    } else {
        None
    }
}

#[cfg(not(unix))]
fn stream_kind(_meta: &std::fs::Metadata) -> Option<&'static str> {
    None
}

#[cfg(unix)]
fn file_key(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_key(_meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

fn existing(path: &Path, meta: &std::fs::Metadata) -> Option<Identity> {
    Some(Identity::Existing {
        canonical: std::fs::canonicalize(path).ok()?,
        key: file_key(meta),
    })
}

/// What `path` is, if it can be written; otherwise the reason, for the message.
fn check(path: &Path) -> Result<Identity, String> {
    if path.as_os_str().is_empty() {
        return Err("an empty file name".into());
    }
    if path.as_os_str() == "-" {
        return Ok(Identity::Stdout);
    }
    check_length(path)?;
    let cannot = |why: String| format!("cannot write there: {why}");
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Err(cannot("it is a folder".into())),
        Ok(meta) => match stream_kind(&meta) {
            Some("device") => Ok(Identity::Device),
            Some(_) => existing(path, &meta).ok_or_else(|| cannot("cannot resolve it".into())),
            None if meta.permissions().readonly() => Err(
                "is read-only; salesim does not replace a read-only file: make it writable (chmod u+w) or choose another output file"
                    .into(),
            ),
            None if !meta.is_file() => Err(cannot("it is not a regular file".into())),
            None => {
                let identity = existing(path, &meta).ok_or_else(|| cannot("cannot resolve it".into()))?;
                if let Identity::Existing { canonical, .. } = &identity {
                    probe_folder(folder_of(canonical)).map_err(|e| cannot(e.to_string()))?;
                }
                Ok(identity)
            }
        },
        Err(_) if std::fs::symlink_metadata(path).is_ok() => Err(cannot(
            "it is a symbolic link to a missing file; name the target itself or remove the link".into(),
        )),
        Err(_) => {
            let folder = folder_of(path);
            if !folder.is_dir() {
                return Err(cannot(format!(
                    "the folder {} does not exist; create it first",
                    folder.display()
                )));
            }
            probe_folder(folder).map_err(|e| cannot(e.to_string()))?;
            let canonical = std::fs::canonicalize(folder).map_err(|e| cannot(e.to_string()))?;
            let name = path.file_name().ok_or_else(|| cannot("it names no file".into()))?;
            Ok(Identity::New(canonical.join(name)))
        }
    }
}

/// Over-long names fail here, before the run, not at the rename after it.
fn check_length(path: &Path) -> Result<(), String> {
    if let Some(name) = path
        .components()
        .map(|c| c.as_os_str())
        .find(|c| c.len() > MAX_NAME_BYTES)
    {
        return Err(format!(
            "a file or folder name of {} bytes; a file system accepts at most {MAX_NAME_BYTES}",
            name.len()
        ));
    }
    let full = std::path::absolute(path).map_or(path.as_os_str().len(), |p| p.as_os_str().len());
    if full > MAX_PATH_BYTES {
        return Err(format!(
            "a path of {full} bytes; the system accepts at most {MAX_PATH_BYTES}"
        ));
    }
    Ok(())
}

/// The folder a file is in (`.` for a bare name).
pub fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Can a temporary file be made in `folder`? (It is removed at once.)
fn probe_folder(folder: &Path) -> std::io::Result<()> {
    crate::report::temporary_file_in(folder).map(|_| ())
}
