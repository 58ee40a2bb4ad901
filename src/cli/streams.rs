//! Whether standard output was closed when salesim started (`>&-`): the Rust runtime
//! then opens `/dev/null` in its place, read-write, so writes succeed and the output
//! is silently lost; salesim says so and exits 1 instead.

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
