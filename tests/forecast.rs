//! `forecast`: a pipeline of n deals all in the last step, whose advance is p, wins
//! Binomial(n, p) deals over a horizon long enough for all to close (mean inside its
//! interval, P10/P50/P90 at the binomial quantiles), and books p x the sum of the
//! amounts on average; the weighted forecast is exactly sum(amount x p); an unknown
//! stage is an error naming the file, line and column.

use assert_cmd::Command;

const PIPELINE: &str = "tests/data/forecast_close.csv";
/// The craftsperson design's close step advances with probability 0.55.
const P: f64 = 0.55;
const N: u64 = 40;
const TRIALS: u64 = 400;

fn forecast(pipeline: &str, extra: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("salesim")
        .unwrap()
        .args([
            "forecast",
            "scenarios/craftsperson.toml",
            "--pipeline",
            pipeline,
        ])
        .args(["--set", "handoff.win_loss=0", "--quiet"])
        .args(extra)
        .assert()
}

fn json(extra: &[&str]) -> serde_json::Value {
    let out = forecast(PIPELINE, &[&["--format", "json"], extra].concat())
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

/// The amounts of the fixture: 1000, 2000, ..., 40000.
fn amounts() -> Vec<f64> {
    (1..=N).map(|i| 1000.0 * i as f64).collect()
}

/// The smallest k with P(Binomial(n, p) <= k) >= q.
fn binomial_quantile(n: u64, p: f64, q: f64) -> f64 {
    let mut cdf = 0.0;
    let mut pmf = (1.0 - p).powi(n as i32);
    for k in 0..=n {
        cdf += pmf;
        if cdf >= q {
            return k as f64;
        }
        pmf *= (n - k) as f64 / (k + 1) as f64 * p / (1.0 - p);
    }
    n as f64
}

#[test]
fn deals_won_from_the_last_step_are_binomial_and_bookings_are_the_amounts() {
    let doc = json(&[
        "--weeks",
        "26",
        "--trials",
        &TRIALS.to_string(),
        "--seed",
        "3",
    ]);
    assert_eq!(doc["open_opportunities"], N);
    let deals = &doc["total"]["deals"];
    let sd = (N as f64 * P * (1.0 - P) / TRIALS as f64).sqrt();
    let mean = deals["mean"].as_f64().unwrap();
    assert!(
        (mean - N as f64 * P).abs() < 4.0 * sd,
        "mean deals {mean}, binomial {}",
        N as f64 * P
    );
    for (key, q) in [("p10", 0.1), ("p50", 0.5), ("p90", 0.9)] {
        let got = deals[key].as_f64().unwrap();
        let want = binomial_quantile(N, P, q);
        assert!(
            (got - want).abs() <= 1.0,
            "{key} of deals {got}, binomial {want}"
        );
    }
    let a = amounts();
    let total: f64 = a.iter().sum();
    let var: f64 = a.iter().map(|x| x * x * P * (1.0 - P)).sum();
    let booked = doc["total"]["bookings"]["mean"].as_f64().unwrap();
    let se = (var / TRIALS as f64).sqrt();
    assert!(
        (booked - total * P).abs() < 4.0 * se,
        "mean bookings {booked}, expected {}",
        total * P
    );
    // The weekly figures add up to the total in every trial, so their means do too.
    let weekly: f64 = doc["per_week"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["deals"]["mean"].as_f64().unwrap())
        .sum();
    assert!((weekly - mean).abs() < 1e-9);
}

#[test]
fn the_weighted_forecast_is_amount_times_the_win_probability() {
    let doc = json(&["--weeks", "2", "--trials", "5"]);
    let total: f64 = amounts().iter().sum();
    let weighted = &doc["weighted"];
    assert!((weighted["deals"].as_f64().unwrap() - N as f64 * P).abs() < 1e-9);
    assert!((weighted["bookings"].as_f64().unwrap() - total * P).abs() < 1e-6);
    let owners = doc["owners"].as_array().unwrap();
    let by_owner: f64 = owners.iter().map(|o| o["weighted"].as_f64().unwrap()).sum();
    assert!((by_owner - total * P).abs() < 1e-6);
    assert_eq!(owners.len(), 2);
}

#[test]
fn an_unknown_stage_names_the_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("open.csv");
    std::fs::write(
        &path,
        "opportunity_id,stage,entered_at,amount\nA,close,2026-11-02,100\nB,negotiation,2026-11-03,200\n",
    )
    .unwrap();
    let out = forecast(path.to_str().unwrap(), &["--trials", "2"])
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(err.contains("open.csv: line 3, column `stage`"), "{err}");
    assert!(err.contains("negotiation"), "{err}");
}

#[test]
fn the_report_page_is_written_whole_and_self_contained() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("forecast.html");
    forecast(
        PIPELINE,
        &[
            "--weeks",
            "4",
            "--trials",
            "20",
            "--report",
            page.to_str().unwrap(),
        ],
    )
    .success();
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
    // Self-contained: nothing fetched from elsewhere.
    for outside in ["http://", "https://", "<link", "<script src", "<img"] {
        assert!(
            !html.contains(outside),
            "the page refers outside itself: {outside}"
        );
    }
    assert!(html.contains("<svg"), "no chart");
    for section in [
        "Deals won to date",
        "weighted pipeline",
        "Deals at risk",
        "Funnel by owner",
    ] {
        assert!(html.contains(section), "missing {section}");
    }
    // The owner table names both owners of the fixture.
    assert!(html.contains(">ann<") && html.contains(">bob<"));
}

/// The file shows what is open at its latest date (2026-11-20): a snapshot of an earlier
/// moment would count opportunities that did not exist yet, so it is refused; that day
/// itself, or later, is a snapshot.
#[test]
fn as_of_before_the_files_latest_date_is_refused() {
    let out = forecast(PIPELINE, &["--as-of", "2026-11-10", "--trials", "2"])
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("forecast_close.csv")
            && stderr.contains("--as-of `2026-11-10` is before the latest date in the file"),
        "{stderr}"
    );
    for ok in ["2026-11-20", "2026-12-01T10:00:00"] {
        forecast(PIPELINE, &["--as-of", ok, "--trials", "2"]).success();
    }
}
