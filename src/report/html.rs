//! The HTML comparison report (see `render_html`).
use super::Comparison;

/// Renders the self-contained HTML report.
pub fn render_html(c: &Comparison) -> Vec<u8> {
    format!(
        "<!doctype html><title>salesim</title><p>{} scenarios</p>",
        c.scenarios.len()
    )
    .into_bytes()
}
