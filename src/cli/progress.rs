//! The progress bar (on standard error, only when it is a terminal and not --quiet)
//! and the signal flags that stop a long run cleanly.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub fn bar(total: u64, quiet: bool) -> ProgressBar {
    bar_counting(total, quiet, "trials")
}

/// A bar whose count is of `what` ("trials", or "trial runs (500 trials x 2 designs)").
pub fn bar_counting(total: u64, quiet: bool, what: &str) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(&format!(
        "{{bar:40}} {{pos}}/{{len}} {what}, {{elapsed}} elapsed, ~{{eta}} left"
    )) {
        bar.set_style(style);
    }
    bar
}

/// Flags raised by SIGINT and SIGTERM.
pub struct Signals {
    pub interrupt: Arc<AtomicBool>,
    pub terminate: Arc<AtomicBool>,
    pub any: Arc<AtomicBool>,
}

impl Signals {
    pub fn install() -> Signals {
        let signals = Signals {
            interrupt: Arc::new(AtomicBool::new(false)),
            terminate: Arc::new(AtomicBool::new(false)),
            any: Arc::new(AtomicBool::new(false)),
        };
        use signal_hook::consts::{SIGINT, SIGTERM};
        for (signal, flag) in [(SIGINT, &signals.interrupt), (SIGTERM, &signals.terminate)] {
            let _ = signal_hook::flag::register(signal, Arc::clone(flag));
            let _ = signal_hook::flag::register(signal, Arc::clone(&signals.any));
        }
        signals
    }

    /// The signal number that stopped the run.
    pub fn which(&self) -> i32 {
        if self.terminate.load(Ordering::Relaxed) {
            15
        } else {
            2
        }
    }
}
