//! The opportunity history: one CSV row per stage entered, read into opportunities
//! whose stage entries are on the scenario's working clock. Bad data is an error that
//! names the file, line and column; the problems a reader can work around (duplicates,
//! stages out of order, missing dates, unknown stages) are counted in [`Problems`].

use std::collections::HashMap;
use std::path::Path;

use super::clock::{When, WorkClock};
use super::columns::{Column, ColumnMap, normalise};
use super::problems::{Problem, Problems};
use super::rows::{RawRow, read_rows};
use crate::engine::WorkCalendar;

/// How an opportunity ended, as the export says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Won,
    Lost,
    Open,
}

/// One stage entered by an opportunity.
#[derive(Debug, Clone, PartialEq)]
pub struct StageEntry {
    /// Index of the funnel step.
    pub step: usize,
    /// Working hours from the history's epoch; `None` when the row had no date.
    pub entered_hours: Option<f64>,
    pub owner: Option<String>,
    /// The line of the file the entry was read from.
    pub line: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Opportunity {
    pub id: String,
    /// Its stages in the order entered (dated entries by time; a repeated stage once).
    pub entries: Vec<StageEntry>,
    pub created_hours: Option<f64>,
    pub owner: Option<String>,
    pub amount: Option<f64>,
    /// `None` when the export says nothing of the outcome.
    pub outcome: Option<Outcome>,
    pub closed_hours: Option<f64>,
    pub source: Option<String>,
    pub segment: Option<String>,
    pub office: Option<String>,
    /// Its stages went back in the funnel: times across that step are not used.
    pub out_of_order: bool,
}

impl Opportunity {
    /// The furthest funnel step it reached.
    pub fn furthest_step(&self) -> Option<usize> {
        self.entries.iter().map(|e| e.step).max()
    }

    /// When it entered `step` (its first entry of that step), if dated.
    pub fn entered(&self, step: usize) -> Option<f64> {
        self.entries
            .iter()
            .find(|e| e.step == step)
            .and_then(|e| e.entered_hours)
    }

    /// When it was created: `created_at`, or its first dated stage if that is earlier
    /// (a `created_at` given as a date alone stands for midday).
    pub fn created(&self) -> Option<f64> {
        let first = self.entries.iter().find_map(|e| e.entered_hours);
        match (self.created_hours, first) {
            (Some(c), Some(f)) => Some(c.min(f)),
            (c, f) => c.or(f),
        }
    }
}

/// A read history: its opportunities in the order first seen, its clock, the span of
/// working hours it covers, and the problems found.
#[derive(Debug, Clone)]
pub struct History {
    pub file: String,
    pub steps: Vec<String>,
    pub clock: WorkClock,
    pub opportunities: Vec<Opportunity>,
    /// The first and last dated moment in the file, in working hours.
    pub span_hours: (f64, f64),
    pub rows: u64,
    pub problems: Problems,
    /// Which optional columns the file has.
    pub has: Vec<Column>,
}

impl History {
    pub fn has(&self, column: Column) -> bool {
        self.has.contains(&column)
    }

    /// The working weeks the history covers, first to last dated moment.
    pub fn weeks(&self) -> f64 {
        (self.span_hours.1 - self.span_hours.0) / self.clock.hours_per_week()
    }
}

/// Bad data: the file, the line and the column, and what is wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum HistoryError {
    #[error("{file}: {message}")]
    File { file: String, message: String },
    #[error("{file}: line 1: no column `{header}` (for `{column}`){hint}")]
    MissingColumn {
        file: String,
        column: &'static str,
        header: String,
        hint: String,
    },
    #[error("{file}: line {line}, column `{header}`{of}: {message}")]
    Cell {
        file: String,
        line: u64,
        header: String,
        /// ` (for entered_at)` when the header is mapped.
        of: String,
        message: String,
    },
}

/// Reads the history at `path` for a funnel of `steps`, on `calendar`'s working clock.
pub fn read_history(
    path: &Path,
    steps: &[String],
    calendar: &WorkCalendar,
    map: &ColumnMap,
) -> Result<History, HistoryError> {
    let file = path.display().to_string();
    for step in map.mapped_stages() {
        if !steps.iter().any(|s| s == step) {
            return Err(HistoryError::File {
                file,
                message: format!(
                    "--map stage:...={step}: the funnel has no step `{step}` (its steps: {})",
                    steps.join(", ")
                ),
            });
        }
    }
    let (has, rows) = read_rows(path, &file, map)?;
    let first = rows
        .iter()
        .flat_map(|r| [r.entered, r.created, r.closed])
        .flatten()
        .map(When::date)
        .min()
        .ok_or_else(|| HistoryError::File {
            file: file.clone(),
            message: "no dated rows: a history needs at least one `entered_at`".into(),
        })?;
    let clock = WorkClock::starting_week_of(first, calendar);
    let mut builder = Builder {
        steps,
        map,
        clock,
        problems: Problems::default(),
        by_id: HashMap::new(),
        opportunities: Vec::new(),
        seen: HashMap::new(),
        span: (f64::INFINITY, f64::NEG_INFINITY),
    };
    let count = rows.len() as u64;
    for row in rows {
        builder.add(row);
    }
    let mut b = builder;
    let mut opportunities = std::mem::take(&mut b.opportunities);
    for o in &mut opportunities {
        settle(o, &mut b.problems, clock.hours_per_day);
    }
    Ok(History {
        file,
        steps: steps.to_vec(),
        clock,
        opportunities,
        span_hours: b.span,
        rows: count,
        problems: b.problems,
        has,
    })
}

struct Builder<'a> {
    steps: &'a [String],
    map: &'a ColumnMap,
    clock: WorkClock,
    problems: Problems,
    by_id: HashMap<String, usize>,
    opportunities: Vec<Opportunity>,
    /// (id, stage, entered text) already read, with the line, to find duplicates.
    seen: HashMap<(String, String, String), u64>,
    span: (f64, f64),
}

/// A stage value of the export that ends the opportunity (Salesforce's `Closed Won`).
fn terminal(stage: &str) -> Option<Outcome> {
    match normalise(stage).as_str() {
        "won" | "closedwon" => Some(Outcome::Won),
        "lost" | "closedlost" => Some(Outcome::Lost),
        _ => None,
    }
}

impl Builder<'_> {
    fn hours(&mut self, when: Option<When>) -> Option<f64> {
        let h = self.clock.hours(when?);
        self.span = (self.span.0.min(h), self.span.1.max(h));
        Some(h)
    }

    fn step_of(&self, stage: &str) -> Option<usize> {
        let stage = self.map.step_for(stage).unwrap_or(stage);
        let key = normalise(stage);
        self.steps.iter().position(|s| normalise(s) == key)
    }

    fn add(&mut self, row: RawRow) {
        let key = (
            row.id.clone(),
            normalise(&row.stage),
            row.entered_text.clone(),
        );
        if let Some(first) = self.seen.get(&key) {
            let first = *first;
            self.problems.add(Problem::Duplicate, || {
                format!("line {} repeats line {first}", row.line)
            });
            return;
        }
        self.seen.insert(key, row.line);
        let entered = self.hours(row.entered);
        let created = self.hours(row.created);
        let mut closed = self.hours(row.closed);
        let index = match self.by_id.get(&row.id) {
            Some(&i) => i,
            None => {
                self.by_id.insert(row.id.clone(), self.opportunities.len());
                self.opportunities.push(empty(&row.id));
                self.opportunities.len() - 1
            }
        };
        let end = terminal(&row.stage);
        if end.is_some() && closed.is_none() {
            closed = entered;
        }
        let step = self.step_of(&row.stage);
        let o = &mut self.opportunities[index];
        fill(&mut o.created_hours, created);
        fill(&mut o.closed_hours, closed);
        let cells = row.cells;
        last(&mut o.owner, cells.owner.clone());
        last(&mut o.amount, cells.amount);
        last(&mut o.outcome, end.or(cells.outcome));
        last(&mut o.source, cells.source);
        last(&mut o.segment, cells.segment);
        last(&mut o.office, cells.office);
        if end.is_some() {
            return;
        }
        let Some(step) = step else {
            let (line, stage) = (row.line, row.stage.clone());
            self.problems
                .add(Problem::UnknownStage, || format!("line {line}: `{stage}`"));
            return;
        };
        if entered.is_none() {
            let line = row.line;
            self.problems
                .add(Problem::MissingDate, || format!("line {line}"));
        }
        o.entries.push(StageEntry {
            step,
            entered_hours: entered,
            owner: cells.owner,
            line: row.line,
        });
    }
}

fn empty(id: &str) -> Opportunity {
    Opportunity {
        id: id.to_string(),
        entries: Vec::new(),
        created_hours: None,
        owner: None,
        amount: None,
        outcome: None,
        closed_hours: None,
        source: None,
        segment: None,
        office: None,
        out_of_order: false,
    }
}

fn fill<T>(slot: &mut Option<T>, value: Option<T>) {
    if slot.is_none() {
        *slot = value;
    }
}

/// A later row's value replaces an earlier one (an export lists an opportunity's
/// changes in order; its last amount is its amount).
fn last<T>(slot: &mut Option<T>, value: Option<T>) {
    if value.is_some() {
        *slot = value;
    }
}

/// Orders an opportunity's entries by time, merges repeats of a stage (an export may
/// log each change of amount with the stage unchanged), and flags one that goes back.
fn settle(o: &mut Opportunity, problems: &mut Problems, hours_per_day: f64) {
    // A stable sort: undated entries keep their place relative to each other, at the end.
    o.entries
        .sort_by(|a, b| match (a.entered_hours, b.entered_hours) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
    o.entries
        .dedup_by(|later, earlier| later.step == earlier.step);
    let dated: Vec<&StageEntry> = o
        .entries
        .iter()
        .filter(|e| e.entered_hours.is_some())
        .collect();
    let backward = dated.windows(2).find(|w| w[1].step < w[0].step);
    let before_created = match (o.created_hours, dated.first()) {
        // Same-day entries are not flagged: a date alone stands for midday.
        (Some(c), Some(e)) => e
            .entered_hours
            .is_some_and(|t| t < (c / hours_per_day).floor() * hours_per_day - 1e-9),
        _ => false,
    };
    if let Some(w) = backward {
        let (from, to) = (w[0].line, w[1].line);
        let id = o.id.clone();
        problems.add(Problem::OutOfOrder, || {
            format!("`{id}` goes back from line {from} to line {to}")
        });
        o.out_of_order = true;
    } else if before_created {
        let id = o.id.clone();
        problems.add(Problem::OutOfOrder, || {
            format!("`{id}` enters a stage before its created_at")
        });
        o.out_of_order = true;
    }
}
