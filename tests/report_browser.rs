//! The HTML report in a real browser: headless Chromium renders it to a PNG that must
//! not be blank, and the page must need nothing from the network (no scripts, no
//! external stylesheets, images or fonts).
//!
//! Without `chromium` on PATH the test prints a note and passes, except under CI (the
//! `CI` or `SALESIM_REQUIRE_BROWSER` environment variable set, as `.ci/run` does), where
//! a missing browser is a failure. `report_print.rs` checks the printed pages and layout.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;

use common::library::{self, Comparison, load};
use salesim::report::html::render_html;

/// A small team of reps who do everything; the "after" design adds a rep and sends
/// service requests to whoever is free.
const TEAM: &str = r#"
name = "Small team"
horizon_weeks = 14
warmup_weeks = 2

[[lead_sources]]
kind = "inbound"
rate_per_week = 10.0
to_role = "rep"

[roles.rep]
headcount = 3
annual_cost = 150000
travel_hours = { dist = "triangular", min = 0.5, mode = 1.0, max = 1.5 }
admin_hours_per_week = 4.0

[[funnel]]
name = "qualify"
role = "rep"
routing = "owner"
duration = 0.5
advance = 0.6

[[funnel]]
name = "meeting"
kind = "meeting"
role = "rep"
routing = "owner"
duration = 1.0
advance = 0.6

[[funnel]]
name = "quote"
role = "rep"
routing = "owner"
quote = true
duration = { dist = "exponential", mean = 3.0 }
advance = 0.5

[deals]
value = { dist = "lognormal", mean = 20000, sd = 8000 }

[service]
rate_per_week = 15.0
role = "rep"
routing = "owner"
duration = { dist = "exponential", mean = 0.5 }

[costs]
manager_annual_cost = 180000
"#;

fn comparison() -> Comparison {
    let after = [
        "name=Bigger pooled team",
        "roles.rep.headcount=4",
        "service.routing=pool",
    ];
    let loaded = [
        load(TEAM, "team.toml", "team", &[]),
        load(TEAM, "team.toml", "team", &after),
    ];
    library::compare(
        &loaded,
        12,
        7,
        "salesim compare team.toml team.toml --set ...",
    )
}

/// The value of every `name="..."` attribute in `html`.
fn attribute_values<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let needle = format!(" {name}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

/// The page loads nothing from anywhere: no scripts, no external resources.
fn assert_offline(html: &str) {
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "no scripts");
    assert!(
        !lower.contains("<link"),
        "no linked stylesheets, icons or fonts"
    );
    assert!(
        !lower.contains("<iframe") && !lower.contains("<img"),
        "no embedded pages or images"
    );
    assert!(
        !lower.contains("@import") && !lower.contains("url("),
        "no CSS imports or urls"
    );
    assert!(
        !lower.contains("http://") && !lower.contains("https://"),
        "no web addresses"
    );
    for attribute in [
        "src",
        "href",
        "xlink:href",
        "action",
        "srcset",
        "poster",
        "data",
    ] {
        for value in attribute_values(&lower, attribute) {
            let v = value.trim();
            assert!(
                !(v.starts_with("//") || v.contains("://") || v.starts_with("data:")),
                "{attribute}=\"{value}\" would load something"
            );
        }
    }
}

fn find_on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// Runs the browser, killing it if it takes more than two minutes.
fn screenshot(browser: &Path, report: &Path, png: &Path, profile: &Path) {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", png.display()))
        .arg("--window-size=1280,2000")
        .arg(format!("file://{}", report.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the browser starts");
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait for the browser") {
            assert!(status.success(), "the browser failed: {status}");
            return;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the browser took more than two minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Decodes a PNG and counts its distinct colours (up to `limit`), with its size.
fn colours(png: &Path, limit: usize) -> (u32, u32, usize) {
    let file = std::fs::File::open(png).expect("the screenshot exists");
    let decoder = png::Decoder::new(std::io::BufReader::new(file));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("buffer size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    let pixel = info.color_type.samples() * usize::from(info.bit_depth as u8).div_ceil(8);
    let mut seen: Vec<&[u8]> = Vec::new();
    for p in buf[..info.buffer_size()].chunks_exact(pixel) {
        if !seen.contains(&p) {
            seen.push(p);
            if seen.len() >= limit {
                break;
            }
        }
    }
    (info.width, info.height, seen.len())
}

#[test]
fn the_report_renders_in_a_browser_without_the_network() {
    let html = render_html(&comparison());
    let text = String::from_utf8(html.clone()).expect("UTF-8");
    assert_offline(&text);

    let Some(browser) = find_on_path(&["chromium", "chromium-browser"]) else {
        assert!(
            std::env::var_os("CI").is_none()
                && std::env::var_os("SALESIM_REQUIRE_BROWSER").is_none(),
            "chromium is not on PATH, and CI must install it"
        );
        eprintln!("note: chromium is not on PATH; skipping the browser rendering check");
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let report = dir.path().join("report.html");
    let png = dir.path().join("report.png");
    let profile = dir.path().join("profile");
    std::fs::write(&report, &html).expect("write the report");
    screenshot(&browser, &report, &png, &profile);

    let size = std::fs::metadata(&png).expect("a screenshot").len();
    assert!(
        size > 20_000,
        "the screenshot is suspiciously small: {size} bytes"
    );
    let (width, height, distinct) = colours(&png, 64);
    assert_eq!((width, height), (1280, 2000));
    assert!(distinct >= 16, "the page looks blank: {distinct} colours");
}

#[test]
fn the_offline_check_catches_network_use() {
    let bad = [
        r#"<script>alert(1)</script>"#,
        r#"<link rel="stylesheet" href="x.css">"#,
        r#"<img src="//cdn.example/x.png">"#,
        r#"<style>@import "x.css";</style>"#,
        r#"<a href="https://example.com">x</a>"#,
    ];
    for html in bad {
        let caught = std::panic::catch_unwind(|| assert_offline(html)).is_err();
        assert!(caught, "not caught: {html}");
    }
    assert_offline(r#"<p class="x">fine</p><svg viewBox="0 0 1 1"></svg>"#);
}
