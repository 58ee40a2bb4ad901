//! The one place output is written: every output of a command is staged first (files
//! to temporary `.salesim-*.tmp` files in their destination folder), then, unless a
//! signal arrived meanwhile, put in place in order by renames, and streams written.
//!
//! A file is replaced whole or not at all; a symbolic link keeps pointing where it did
//! (its target is replaced) and an existing file keeps its mode. Standard output (`-`),
//! FIFOs and character devices are written directly (see [`crate::files::is_stream`]).
//! A temporary file that a SIGKILL leaves behind is named `.salesim-XXXXXX.tmp`.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::files::{folder_of, is_stream};

/// Why the outputs are not in place.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A signal arrived before the outputs were put in place; none was.
    #[error("stopped by a signal before the output was in place")]
    Interrupted,
    /// Writing failed; `path` is `-` for standard output.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

enum Staged {
    File {
        temp: tempfile::NamedTempFile,
        target: PathBuf,
    },
    Stream {
        path: PathBuf,
        sink: Option<File>,
        bytes: Vec<u8>,
    },
}

/// Outputs staged for one command, put in place together by [`Batch::commit`].
#[derive(Default)]
pub struct Batch {
    staged: Vec<Staged>,
}

impl Batch {
    pub fn new() -> Batch {
        Batch::default()
    }

    /// Stages `bytes` for `path` (`-`: standard output).
    pub fn add(&mut self, path: &Path, bytes: Vec<u8>) -> Result<(), WriteError> {
        let io = |source| WriteError::Io {
            path: path.to_path_buf(),
            source,
        };
        let staged = if path.as_os_str() == "-" {
            Staged::Stream {
                path: path.to_path_buf(),
                sink: None,
                bytes,
            }
        } else if is_stream(path) {
            // Opening a FIFO waits for its reader; the bytes go at commit.
            let sink = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(io)?;
            Staged::Stream {
                path: path.to_path_buf(),
                sink: Some(sink),
                bytes,
            }
        } else {
            let target = resolve_link(path).map_err(io)?;
            let mut temp = temporary_file_in(folder_of(&target)).map_err(io)?;
            keep_mode(&target, temp.as_file()).map_err(io)?;
            temp.write_all(&bytes).map_err(io)?;
            temp.as_file().sync_all().map_err(io)?;
            Staged::File { temp, target }
        };
        self.staged.push(staged);
        Ok(())
    }

    /// Stages a CSV and its manifest: at commit the data is renamed first and the
    /// manifest second, so a manifest never describes rows that are not there yet. A
    /// CSV written to a stream has no manifest (as on standard output).
    pub fn add_pair(
        &mut self,
        data_path: &Path,
        data: Vec<u8>,
        manifest_path: &Path,
        manifest: Vec<u8>,
    ) -> Result<(), WriteError> {
        let streamed = is_stream(data_path);
        self.add(data_path, data)?;
        if !streamed {
            self.add(manifest_path, manifest)?;
        }
        Ok(())
    }

    /// True when one of the outputs is standard output.
    pub fn writes_stdout(&self) -> bool {
        self.staged
            .iter()
            .any(|s| matches!(s, Staged::Stream { sink: None, .. }))
    }

    /// Puts every staged output in place, in the order staged, unless `stop` is raised
    /// first: then the temporary files are removed and nothing is written.
    pub fn commit(self, stop: &AtomicBool) -> Result<(), WriteError> {
        if stop.load(Ordering::SeqCst) {
            return Err(WriteError::Interrupted);
        }
        for staged in self.staged {
            match staged {
                Staged::File { temp, target } => {
                    temp.persist(&target).map_err(|e| WriteError::Io {
                        path: target.clone(),
                        source: e.error,
                    })?;
                }
                Staged::Stream { path, sink, bytes } => {
                    let written = match sink {
                        Some(mut file) => file.write_all(&bytes).and_then(|_| file.flush()),
                        None => {
                            let mut out = std::io::stdout().lock();
                            out.write_all(&bytes).and_then(|_| out.flush())
                        }
                    };
                    written.map_err(|source| WriteError::Io { path, source })?;
                }
            }
        }
        Ok(())
    }
}

/// Writes `bytes` to `path` whole or not at all.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let mut batch = Batch::new();
    batch.add(path, bytes.to_vec())?;
    batch.commit(&AtomicBool::new(false))
}

/// Writes a CSV and its manifest as a pair: data renamed first, manifest second.
pub fn write_pair(
    data_path: &Path,
    data: &[u8],
    manifest_path: &Path,
    manifest: &[u8],
    stop: &AtomicBool,
) -> Result<(), WriteError> {
    let mut batch = Batch::new();
    batch.add_pair(data_path, data.to_vec(), manifest_path, manifest.to_vec())?;
    batch.commit(stop)
}

/// The file a rename must replace: a symbolic link's target, so the link stays.
fn resolve_link(path: &Path) -> std::io::Result<PathBuf> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => std::fs::canonicalize(path),
        _ => Ok(path.to_path_buf()),
    }
}

/// An existing output keeps its mode (set explicitly: the umask does not apply).
fn keep_mode(target: &Path, temp: &File) -> std::io::Result<()> {
    match std::fs::metadata(target) {
        Ok(meta) => temp.set_permissions(meta.permissions()),
        Err(_) => Ok(()),
    }
}

/// A temporary file that becomes the output, named `.salesim-XXXXXX.tmp`: created with
/// the mode a plain new file gets (0666 less the umask), not the owner-only mode
/// temporary files have, so a report can be shared or served like any file the user
/// writes.
pub fn temporary_file_in(folder: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".salesim-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(folder)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_files_and_refuses_missing_folders() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        write_atomic(&path, b"a,b\n").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"a,b\n");
        let missing = dir.path().join("nope").join("out.csv");
        assert!(write_atomic(&missing, b"x").is_err());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left behind"
        );
    }

    #[test]
    fn a_raised_stop_flag_leaves_neither_file_of_a_pair() {
        let dir = tempfile::tempdir().unwrap();
        let (data, manifest) = (dir.path().join("a.csv"), dir.path().join("a.json"));
        let stop = AtomicBool::new(true);
        let result = write_pair(&data, b"x", &manifest, b"{}", &stop);
        assert!(matches!(result, Err(WriteError::Interrupted)));
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    /// Output files are as readable as any file the user creates, not owner-only.
    #[cfg(unix)]
    #[test]
    fn written_files_get_the_mode_of_a_plain_new_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain.txt");
        std::fs::write(&plain, b"x").unwrap();
        let written = dir.path().join("report.html");
        write_atomic(&written, b"<html></html>").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&written), mode(&plain));
    }
}
