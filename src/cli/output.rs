//! Where the commands' output goes: outputs accepted before the run (refused ones are
//! exit 2), staged and committed through the library's [`Batch`], standard output
//! written without panicking, and whether standard output was closed when salesim
//! started (`>&-`: the Rust runtime then opens `/dev/null` in its place, read-write, so
//! writes would succeed and the output be silently lost; salesim exits 1 instead).

use std::io::Write;
use std::path::Path;

use super::error::CliError;
use super::progress::Signals;
use salesim::experiment::Manifest;
use salesim::experiment::parts::manifest_path;
use salesim::files::{OutputPlan, is_stream};
use salesim::report::{Batch, WriteError, render_manifest_json};

fn bad(message: impl Into<String>) -> CliError {
    CliError::BadInput(message.into())
}

/// Accepts `path` as the output named by `flag` (refused: exit 2, before the run).
pub fn accept(plan: &mut OutputPlan, flag: &str, path: &Path) -> Result<(), CliError> {
    plan.output(flag, path).map_err(|e| bad(e.to_string()))
}

/// Accepts a CSV output and the manifest beside it (none beside a stream).
pub fn accept_pair(plan: &mut OutputPlan, flag: &str, path: &Path) -> Result<(), CliError> {
    accept(plan, flag, path)?;
    if is_stream(path) {
        return Ok(());
    }
    accept(
        plan,
        &format!("the manifest of {flag}"),
        &manifest_path(path),
    )
}

/// Stages `bytes` for `path` in `batch`.
pub fn stage(batch: &mut Batch, path: &Path, bytes: Vec<u8>) -> Result<(), CliError> {
    batch.add(path, bytes).map_err(write_error)
}

/// Stages a CSV and its manifest beside it, the manifest recording the CSV's sha256.
pub fn stage_pair(
    batch: &mut Batch,
    path: &Path,
    data: Vec<u8>,
    manifest: &Manifest,
) -> Result<(), CliError> {
    let manifest = render_manifest_json(&manifest.beside(&data));
    batch
        .add_pair(path, data, &manifest_path(path), manifest)
        .map_err(write_error)
}

/// Puts the staged outputs in place unless a signal arrived: then none is written.
pub fn commit(batch: Batch, signals: &Signals) -> Result<(), CliError> {
    if batch.writes_stdout() {
        ensure_stdout_open()?;
    }
    match batch.commit(&signals.any) {
        Err(WriteError::Interrupted) => Err(CliError::Interrupted {
            signal: signals.which(),
        }),
        Err(e) => Err(write_error(e)),
        Ok(()) => Ok(()),
    }
}

fn write_error(e: WriteError) -> CliError {
    match e {
        // A closed pipe (`| head`) is the reader's choice, not an error.
        WriteError::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe => {
            CliError::Quiet
        }
        WriteError::Io { path, source } if path.as_os_str() == "-" => {
            CliError::Other(format!("cannot write to standard output: {source}"))
        }
        e => CliError::Other(e.to_string()),
    }
}

/// Fails (exit 1) when standard output was closed (`>&-`): what goes there is lost.
pub fn ensure_stdout_open() -> Result<(), CliError> {
    if stdout_was_closed() {
        return Err(CliError::Other(
            "cannot write to standard output: it is closed, so the output would be lost; redirect it to a file or use --out FILE".into(),
        ));
    }
    Ok(())
}

/// Writes `bytes` to standard output now (a message line, say).
pub fn write_stdout(bytes: &[u8]) -> Result<(), CliError> {
    ensure_stdout_open()?;
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|_| out.flush())
        .map_err(|source| {
            write_error(WriteError::Io {
                path: "-".into(),
                source,
            })
        })
}

use std::sync::atomic::{AtomicBool, Ordering};

static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Records, once at start-up, whether standard output was closed.
pub fn note_closed_stdout() {
    STDOUT_CLOSED.store(replaced_by_runtime(), Ordering::Relaxed);
}

/// True when standard output was closed at start-up.
pub fn stdout_was_closed() -> bool {
    STDOUT_CLOSED.load(Ordering::Relaxed)
}

/// On Linux, descriptor 1 is `/dev/null` opened read-write: what the runtime puts in
/// place of a closed descriptor (a shell's `>/dev/null` opens it write-only). Elsewhere
/// this cannot be told without `fcntl`, and is assumed open.
#[cfg(target_os = "linux")]
fn replaced_by_runtime() -> bool {
    let is_null =
        std::fs::read_link("/proc/self/fd/1").is_ok_and(|p| p == std::path::Path::new("/dev/null"));
    if !is_null {
        return false;
    }
    let Ok(info) = std::fs::read_to_string("/proc/self/fdinfo/1") else {
        return false;
    };
    info.lines()
        .find_map(|l| l.strip_prefix("flags:"))
        .and_then(|f| u32::from_str_radix(f.trim(), 8).ok())
        .is_some_and(|flags| flags & 0o3 == 0o2)
}

#[cfg(not(target_os = "linux"))]
fn replaced_by_runtime() -> bool {
    false
}
