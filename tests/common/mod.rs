//! What the integration tests share: the one way of running the `salesim` binary (in a
//! temporary folder, so file names in messages are relative), the small scenarios
//! several files use ([`scenarios`]), and the library calls that build a comparison
//! ([`library`]), kept in one place because those entry points move now and then.
//!
//! Each test file says `mod common;` and uses part of this; the rest is dead code in
//! that test crate, hence the allowance below rather than one per helper.
#![allow(dead_code)]

pub mod library;
pub mod scenarios;

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

/// `salesim` as a plain process started in `dir`: for tests that must signal or wait
/// on it themselves. Everything else uses [`salesim`] or a [`Folder`].
pub fn salesim_process(dir: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_salesim"));
    cmd.current_dir(dir);
    cmd
}

/// `salesim` started in `dir`, ready for arguments and `assert_cmd` assertions.
pub fn salesim(dir: &Path) -> Command {
    Command::from_std(salesim_process(dir))
}

/// A temporary folder of scenario files that `salesim` runs in; removed when dropped.
pub struct Folder {
    dir: TempDir,
}

impl Folder {
    /// Writes the desk's shards `p0.csv`..`p{n-1}.csv` of a 4-trial run, seed 1.
    pub fn desk_parts(&self, n: usize) -> Vec<String> {
        (0..n)
            .map(|k| {
                let name = format!("p{k}.csv");
                self.ok(&[
                    "run",
                    "desk.toml",
                    "--trials",
                    "4",
                    "--seed",
                    "1",
                    "--quiet",
                    "--shard",
                    &format!("{k}/{n}"),
                    "--out",
                    &name,
                ]);
                name
            })
            .collect()
    }

    /// An empty temporary folder.
    pub fn new() -> Folder {
        Folder {
            dir: tempfile::tempdir().expect("temporary folder"),
        }
    }

    /// A temporary folder holding `name` with `text` in it.
    pub fn holding(name: &str, text: &str) -> Folder {
        let folder = Folder::new();
        folder.write(name, text);
        folder
    }

    /// A temporary folder holding the small desk ([`scenarios::DESK`]) as `desk.toml`.
    pub fn with_desk() -> Folder {
        Folder::holding("desk.toml", scenarios::DESK)
    }

    /// Writes `name` (text or bytes) into the folder and returns its full path.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, contents).unwrap_or_else(|e| panic!("write {name}: {e}"));
        path
    }

    /// The full path of `name` in the folder (which need not exist).
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The folder itself.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.path(name)).unwrap_or_else(|e| panic!("read {name}: {e}"))
    }

    pub fn read_text(&self, name: &str) -> String {
        String::from_utf8(self.read(name)).unwrap_or_else(|e| panic!("{name} is not UTF-8: {e}"))
    }

    /// The names of the files in the folder, sorted.
    pub fn files(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.dir.path())
            .expect("list folder")
            .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        names
    }

    /// `salesim ARGS` run inside the folder, so file names in messages are relative.
    pub fn salesim(&self, args: &[&str]) -> Command {
        let mut cmd = salesim(self.dir.path());
        cmd.args(args);
        cmd
    }

    /// Runs `salesim ARGS` to the end, whatever the outcome.
    pub fn output(&self, args: &[&str]) -> Output {
        self.salesim(args).output().expect("salesim runs")
    }

    /// Runs `salesim ARGS`, expects success, and returns standard output.
    pub fn ok(&self, args: &[&str]) -> Vec<u8> {
        self.salesim(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    }

    /// Runs `salesim ARGS`, expects exit 2 with nothing on standard output, and returns
    /// standard error.
    pub fn bad(&self, args: &[&str]) -> String {
        let out = self
            .salesim(args)
            .assert()
            .code(2)
            .stdout(predicate::str::is_empty())
            .get_output()
            .clone();
        let stderr = String::from_utf8(out.stderr).expect("UTF-8 stderr");
        assert!(!stderr.contains("panicked"), "{stderr}");
        stderr
    }
}

/// Output bytes as text (results are always UTF-8).
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}
