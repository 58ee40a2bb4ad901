//! SVG primitives for the report's hand-made charts: escaping, coordinates, round
//! axis ticks, ranges and legends, plus an empty chart for missing data. The charts
//! themselves live in `boxplot`, `lines` and `bars`. Output depends only on the input.

use std::fmt::Write;

pub const FONT: f64 = 11.0;
/// Estimated width of one character of the chart font.
pub const CHAR: f64 = 6.2;
pub const GRID: &str = "#e5e7eb";
pub const INK: &str = "#334155";
pub const MUTED: &str = "#64748b";

/// Escapes text for SVG content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

/// A coordinate to one decimal; 0 for a value that does not exist.
pub fn f(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.is_finite() && r != 0.0 {
        format!("{r}")
    } else {
        "0".into()
    }
}

pub fn open(title: &str, width: f64, height: f64) -> String {
    format!(
        r#"<svg class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{t}" font-size="{FONT}"><title>{t}</title>"#,
        w = f(width),
        h = f(height),
        t = esc(title)
    )
}

pub fn text(out: &mut String, x: f64, y: f64, anchor: &str, fill: &str, content: &str) {
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" text-anchor="{anchor}" fill="{fill}">{}</text>"#,
        f(x),
        f(y),
        esc(content)
    );
}

pub fn truncate(s: &str, chars: usize) -> String {
    if s.chars().count() <= chars {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(chars.saturating_sub(1)).collect();
        t.push('\u{2026}');
        t
    }
}

/// A tick label centred on `x`, kept inside `0..width`.
pub fn tick_label(out: &mut String, x: f64, y: f64, width: f64, label: &str) {
    let half = label.chars().count() as f64 * CHAR / 2.0;
    if x + half > width {
        text(out, width - 2.0, y, "end", MUTED, label);
    } else if x - half < 0.0 {
        text(out, 2.0, y, "start", MUTED, label);
    } else {
        text(out, x, y, "middle", MUTED, label);
    }
}

/// A chart with nothing to draw: a frame and a message.
pub fn empty_chart(title: &str, width: f64, height: f64, message: &str) -> String {
    let mut out = open(title, width, height);
    let _ = write!(
        out,
        r##"<rect x="0.5" y="0.5" width="{}" height="{}" fill="#f8fafc" stroke="{GRID}"/>"##,
        f(width - 1.0),
        f(height - 1.0)
    );
    text(
        &mut out,
        width / 2.0,
        height / 2.0 + 4.0,
        "middle",
        MUTED,
        message,
    );
    out.push_str("</svg>");
    out
}

/// Round tick values covering `lo..=hi`, about `target` of them.
pub fn nice_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    if !lo.is_finite() || !hi.is_finite() || hi < lo {
        return Vec::new();
    }
    if hi == lo {
        return vec![lo];
    }
    let step = nice_step(hi - lo, target);
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last)
        .map(|i| {
            let t = i as f64 * step;
            if t == 0.0 { 0.0 } else { t }
        })
        .collect()
}

fn nice_step(span: f64, target: usize) -> f64 {
    let raw = span / target.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let norm = raw / magnitude;
    let nice = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 2.5 {
        2.5
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

/// A rounded axis range holding every finite value, or `None` if there is none.
pub fn range(values: impl Iterator<Item = f64>, from_zero: bool) -> Option<(f64, f64)> {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if lo > hi {
        return None;
    }
    if from_zero {
        lo = lo.min(0.0);
        hi = hi.max(0.0);
    }
    if lo == hi {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        lo = if lo == 0.0 { 0.0 } else { lo - pad };
        hi += pad;
    }
    let step = nice_step(hi - lo, 5);
    Some(((lo / step).floor() * step, (hi / step).ceil() * step))
}

/// Maps a data interval onto a pixel interval.
#[derive(Clone, Copy)]
pub struct Scale {
    pub d0: f64,
    pub d1: f64,
    pub r0: f64,
    pub r1: f64,
}

impl Scale {
    pub fn at(&self, v: f64) -> f64 {
        self.r0 + (v - self.d0) / (self.d1 - self.d0) * (self.r1 - self.r0)
    }
}

/// A row of coloured swatches with labels, wrapped to `width`; returns its height.
pub fn legend(out: &mut String, items: &[(&str, &str)], x0: f64, y0: f64, width: f64) -> f64 {
    if items.is_empty() {
        return 0.0;
    }
    let (mut x, mut y) = (x0, y0);
    for (label, color) in items {
        let w = 16.0 + label.chars().count() as f64 * CHAR + 14.0;
        if x > x0 && x + w > x0 + width {
            x = x0;
            y += 16.0;
        }
        let _ = write!(
            out,
            r#"<rect x="{}" y="{}" width="10" height="10" rx="2" fill="{}"/>"#,
            f(x),
            f(y - 9.0),
            esc(color)
        );
        text(out, x + 14.0, y, "start", INK, label);
        x += w;
    }
    y - y0 + 16.0
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// Checks that `s` is one balanced, well-formed element tree without NaN or
    /// infinite numbers and with every `&` an entity.
    pub fn assert_well_formed(s: &str) {
        assert!(
            !s.contains("NaN") && !s.contains("inf"),
            "bad number in {s}"
        );
        let mut stack: Vec<String> = Vec::new();
        let mut rest = s;
        while let Some(start) = rest.find('<') {
            let content = &rest[..start];
            assert!(!content.contains('>'), "stray > in {content:?}");
            check_entities(content);
            let end = rest[start..].find('>').expect("unclosed tag") + start;
            let tag = &rest[start + 1..end];
            assert_eq!(
                tag.matches('"').count() % 2,
                0,
                "unbalanced quotes in <{tag}>"
            );
            assert!(!tag.contains('<'), "< inside tag <{tag}>");
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop().as_deref(), Some(name), "mismatched </{name}>");
            } else if !tag.ends_with('/') {
                let name = tag.split_whitespace().next().expect("tag name");
                stack.push(name.to_string());
            }
            rest = &rest[end + 1..];
        }
        assert!(stack.is_empty(), "unclosed {stack:?}");
        assert!(s.starts_with("<svg") && s.ends_with("</svg>"));
    }

    fn check_entities(text: &str) {
        for (i, _) in text.match_indices('&') {
            let tail = &text[i..];
            let semi = tail.find(';').expect("& without ;");
            assert!(semi < 8, "bare & in {text:?}");
        }
    }

    pub fn fmt(v: f64) -> String {
        format!("{v}")
    }

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(
            nice_ticks(0.0, 10.0, 5),
            vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
        );
        assert_eq!(nice_ticks(3.0, 3.0, 5), vec![3.0]);
        assert!(nice_ticks(f64::NAN, 1.0, 5).is_empty());
        let (lo, hi) = range([5.0].into_iter(), false).unwrap();
        assert!(lo < 5.0 && hi > 5.0);
        assert_eq!(range([0.0].into_iter(), true), Some((0.0, 1.0)));
        assert_eq!(range([f64::NAN].into_iter(), true), None);
        assert_eq!(esc("<a & 'b'>"), "&lt;a &amp; &#39;b&#39;&gt;");
    }
}
