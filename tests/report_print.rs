//! The comparison report of the reference designs printed and laid out by a real
//! browser: on A4 and on Letter, page 1 holds the whole summary (the bottom line, the
//! wins and losses, what changes, what goes wrong, what the answer depends on) and
//! nothing after it; at 1400x900 the bottom line is above the fold and no element
//! overflows the page width.
//!
//! Needs `chromium`, `pdfinfo` and `pdftotext` (poppler-utils). Without them the test
//! says so and passes, except under CI (`CI` or `SALESIM_REQUIRE_BROWSER` set, as
//! `.ci/run` does), where a missing tool is a failure.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// The tools, or None (after a note) when they are missing outside CI.
fn tools() -> Option<(PathBuf, PathBuf, PathBuf)> {
    let found = (
        find_on_path("chromium").or_else(|| find_on_path("chromium-browser")),
        find_on_path("pdfinfo"),
        find_on_path("pdftotext"),
    );
    match found {
        (Some(c), Some(i), Some(t)) => Some((c, i, t)),
        missing => {
            let required = std::env::var_os("CI").is_some()
                || std::env::var_os("SALESIM_REQUIRE_BROWSER").is_some();
            assert!(
                !required,
                "CI needs chromium, pdfinfo and pdftotext for the print test: {missing:?}"
            );
            eprintln!("note: chromium or poppler-utils missing; the print test did not run");
            None
        }
    }
}

/// Runs `command`, killing it after two minutes; its standard output.
fn run(mut command: Command) -> String {
    let child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the tool starts");
    let start = Instant::now();
    let id = child.id();
    let out = std::thread::spawn(move || child.wait_with_output());
    while !out.is_finished() {
        if start.elapsed() > Duration::from_secs(120) {
            let _ = Command::new("kill").arg(id.to_string()).status();
            panic!("a tool took more than two minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let output = out.join().expect("joined").expect("the tool ran");
    assert!(output.status.success(), "{command:?} failed");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn browser(chromium: &Path, profile: &Path) -> Command {
    let mut c = Command::new(chromium);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--no-pdf-header-footer",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

/// Reports the layout at the window's size into the page, for `--dump-dom`.
const PROBE: &str = r#"<script>
window.addEventListener('load', function () {
  var w = document.documentElement.clientWidth, wide = [];
  document.querySelectorAll('body *').forEach(function (e) {
    var r = e.getBoundingClientRect();
    if (r.width > 0 && r.right > w + 1) wide.push(e.tagName + '.' + e.className.baseVal + e.className);
  });
  var b = document.querySelector('.bottomline').getBoundingClientRect();
  var p = document.createElement('pre');
  p.id = 'probe';
  p.textContent = 'overflowing=' + wide.length + ' ' + wide.slice(0, 5).join(' ') +
    ';bottomline_bottom=' + b.bottom + ';fold=' + window.innerHeight + ';';
  document.body.appendChild(p);
});
</script>"#;

fn field<'a>(probe: &'a str, name: &str) -> &'a str {
    let start = probe.find(&format!("{name}=")).expect(name) + name.len() + 1;
    let rest = &probe[start..];
    &rest[..rest.find(';').unwrap_or(rest.len())]
}

#[test]
fn page_one_holds_the_whole_summary_on_a4_and_letter() {
    let Some((chromium, pdfinfo, pdftotext)) = tools() else {
        return;
    };
    let dir = tempfile::tempdir().expect("a temporary folder");
    let report = dir.path().join("report.html");
    let status = Command::new(env!("CARGO_BIN_EXE_salesim"))
        .args([
            "compare",
            "scenarios/craftsperson.toml",
            "scenarios/specialized.toml",
            "--trials",
            "20",
            "--quiet",
            "--report",
        ])
        .arg(&report)
        .stdout(Stdio::null())
        .status()
        .expect("salesim runs");
    assert!(status.success());
    let html = std::fs::read_to_string(&report).expect("the report");
    for size in ["A4", "letter"] {
        let sized = dir.path().join(format!("report_{size}.html"));
        let css = html.replace("@page { size: auto;", &format!("@page {{ size: {size};"));
        assert_ne!(css, html, "the report sets its page size with @page");
        std::fs::write(&sized, css).expect("written");
        let pdf = dir.path().join(format!("report_{size}.pdf"));
        let mut print = browser(&chromium, &dir.path().join("profile"));
        print
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(format!("file://{}", sized.display()));
        run(print);
        let mut info = Command::new(&pdfinfo);
        info.arg(&pdf);
        let info = run(info);
        let pages: u32 = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|n| n.trim().parse().ok())
            .expect("a page count");
        let mut first = Command::new(&pdftotext);
        first.args(["-f", "1", "-l", "1"]).arg(&pdf).arg("-");
        let page1 = run(first).to_lowercase();
        let page1 = page1.split_whitespace().collect::<Vec<_>>().join(" ");
        for must in [
            "the bottom line",
            "a year better",
            "better (",
            "worse (",
            "what changes",
            "undesirable results",
            "what the answer depends on most",
            "tornado chart: sensitivity.",
        ] {
            assert!(
                page1.contains(must),
                "{size} page 1 lacks `{must}`:\n{page1}"
            );
        }
        // The summary ends page 1: the headline cards start on page 2.
        assert!(
            !page1.contains("at a glance"),
            "{size}: page 1 runs on:\n{page1}"
        );
        // The every-parameter appendix is collapsed and does not print.
        assert!((4..=16).contains(&pages), "{size}: {pages} pages");
        let mut all = Command::new(&pdftotext);
        all.arg(&pdf).arg("-");
        let text = run(all).to_lowercase();
        assert!(
            !text.contains("funnel.0.name"),
            "{size}: the appendix printed"
        );
    }
    // On screen at 1400x900: the bottom line above the fold, nothing wider than the page.
    let probed = dir.path().join("probed.html");
    std::fs::write(&probed, html.replace("</body>", &format!("{PROBE}</body>"))).expect("written");
    let mut dump = browser(&chromium, &dir.path().join("profile2"));
    dump.args(["--window-size=1400,900", "--dump-dom"])
        .arg(format!("file://{}", probed.display()));
    let dom = run(dump);
    let probe = dom
        .split("<pre id=\"probe\">")
        .nth(1)
        .expect("the probe ran");
    assert!(field(probe, "overflowing").starts_with("0"), "{probe}");
    let bottom: f64 = field(probe, "bottomline_bottom").parse().expect("a number");
    let fold: f64 = field(probe, "fold").parse().expect("a number");
    assert!(fold > 0.0 && bottom <= fold, "{probe}");
}
