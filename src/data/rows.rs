//! The rows of a history file as read: headers found through the column map, and each
//! cell parsed (dates, amounts, outcomes), an unreadable cell being an error that
//! names the file, line and column.

use std::path::Path;

use super::clock::{When, parse_when};
use super::columns::{Column, ColumnMap, normalise};
use super::history::{HistoryError, Outcome};

/// The optional cells of a row, parsed.
#[derive(Debug, Clone, Default)]
pub(super) struct Cells {
    pub owner: Option<String>,
    pub amount: Option<f64>,
    pub outcome: Option<Outcome>,
    pub source: Option<String>,
    pub segment: Option<String>,
    pub office: Option<String>,
}

/// One row: its line, opportunity, stage and dates, and the rest.
#[derive(Debug, Clone)]
pub(super) struct RawRow {
    pub line: u64,
    pub id: String,
    pub stage: String,
    /// The `entered_at` cell as written (duplicates are the same text).
    pub entered_text: String,
    pub entered: Option<When>,
    pub created: Option<When>,
    pub closed: Option<When>,
    pub cells: Cells,
}

/// Where each column is in the file.
struct Layout {
    index: Vec<(Column, usize)>,
}

impl Layout {
    fn find(
        headers: &csv::StringRecord,
        map: &ColumnMap,
        file: &str,
    ) -> Result<Layout, HistoryError> {
        let mut index = Vec::new();
        for column in Column::ALL {
            let wanted = map.header_of(column);
            // The export's own spelling may differ in case or spacing.
            let found = headers.iter().position(|h| h == wanted).or_else(|| {
                headers
                    .iter()
                    .position(|h| normalise(h) == normalise(wanted))
            });
            match found {
                Some(i) => index.push((column, i)),
                None if column.required() || map.is_mapped(column) => {
                    let present: Vec<&str> = headers.iter().collect();
                    let hint = if map.is_mapped(column) {
                        format!(
                            "; --map {}={wanted} names a header the file does not have (its headers: {})",
                            column.name(),
                            present.join(", ")
                        )
                    } else {
                        format!(
                            "; its headers are {}: name the one that holds `{}` with --map {}=HEADER",
                            present.join(", "),
                            column.name(),
                            column.name()
                        )
                    };
                    return Err(HistoryError::MissingColumn {
                        file: file.to_string(),
                        column: column.name(),
                        header: wanted.to_string(),
                        hint,
                    });
                }
                None => {}
            }
        }
        Ok(Layout { index })
    }

    fn has(&self, column: Column) -> bool {
        self.index.iter().any(|(c, _)| *c == column)
    }
}

/// Largest export read, in bytes: a CRM export of a million stage rows is about 200 MB.
/// Reading stops there, so `/dev/zero` or a runaway file is refused, not held in memory.
pub const MAX_EXPORT_BYTES: u64 = 1 << 30;

/// Reads every row of the file (which optional columns it has, and the rows).
pub(super) fn read_rows(
    path: &Path,
    file: &str,
    map: &ColumnMap,
) -> Result<(Vec<Column>, Vec<RawRow>), HistoryError> {
    let whole = |message: String| HistoryError::File {
        file: file.to_string(),
        message,
    };
    let bytes = crate::files::read_at_most(path, MAX_EXPORT_BYTES)
        .map_err(|e| whole(format!("cannot read: {e}")))?;
    if bytes.len() as u64 > MAX_EXPORT_BYTES {
        return Err(whole(format!(
            "the file is larger than {MAX_EXPORT_BYTES} bytes (1 GiB), the most an export may be: split it by date, or check that it is the right file"
        )));
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(
            bytes
                .strip_prefix(b"\xEF\xBB\xBF".as_slice())
                .unwrap_or(&bytes),
        );
    let headers = reader
        .headers()
        .map_err(|e| whole(format!("line 1: cannot read the headers: {e}")))?
        .clone();
    let layout = Layout::find(&headers, map, file)?;
    let has = Column::ALL.into_iter().filter(|&c| layout.has(c)).collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(file, &e))?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let row = Row {
            record: &record,
            layout: &layout,
            map,
            file,
            line,
        };
        rows.push(row.parse()?);
    }
    if rows.is_empty() {
        return Err(whole("no rows after the headers".into()));
    }
    Ok((has, rows))
}

fn csv_error(file: &str, e: &csv::Error) -> HistoryError {
    let line = e.position().map(|p| p.line()).unwrap_or(0);
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("{len} cells where the headers have {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "not UTF-8 text (save the export as UTF-8 CSV)".into(),
        _ => e.to_string(),
    };
    HistoryError::File {
        file: file.to_string(),
        message: format!("line {line}: {message}"),
    }
}

struct Row<'a> {
    record: &'a csv::StringRecord,
    layout: &'a Layout,
    map: &'a ColumnMap,
    file: &'a str,
    line: u64,
}

impl Row<'_> {
    /// The cell of `column`, or `None` if the file has no such column or it is empty.
    fn cell(&self, column: Column) -> Option<&str> {
        let (_, i) = self.layout.index.iter().find(|(c, _)| *c == column)?;
        self.record.get(*i).filter(|s| !s.is_empty())
    }

    fn error(&self, column: Column, message: String) -> HistoryError {
        let header = self.map.header_of(column).to_string();
        let of = if self.map.is_mapped(column) {
            format!(" (for {})", column.name())
        } else {
            String::new()
        };
        HistoryError::Cell {
            file: self.file.to_string(),
            line: self.line,
            header,
            of,
            message,
        }
    }

    fn when(&self, column: Column) -> Result<Option<When>, HistoryError> {
        self.cell(column)
            .map(|text| parse_when(text).map_err(|m| self.error(column, m)))
            .transpose()
    }

    fn text(&self, column: Column) -> Option<String> {
        self.cell(column).map(str::to_string)
    }

    fn amount(&self) -> Result<Option<f64>, HistoryError> {
        let Some(text) = self.cell(Column::Amount) else {
            return Ok(None);
        };
        // Thousands separators and a currency sign, as exports write them, are dropped.
        let plain: String = text
            .chars()
            .filter(|c| !matches!(c, ',' | '$' | '€' | '£' | ' ' | '\u{a0}'))
            .collect();
        match plain.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => Ok(Some(v)),
            _ => Err(self.error(
                Column::Amount,
                format!("`{text}` is not an amount of 0 or more (e.g. 25000 or 25,000.00)"),
            )),
        }
    }

    fn outcome(&self) -> Result<Option<Outcome>, HistoryError> {
        let Some(text) = self.cell(Column::Outcome) else {
            return Ok(None);
        };
        match normalise(text).as_str() {
            "won" | "closedwon" => Ok(Some(Outcome::Won)),
            "lost" | "closedlost" => Ok(Some(Outcome::Lost)),
            "open" => Ok(Some(Outcome::Open)),
            _ => Err(self.error(
                Column::Outcome,
                format!("`{text}` is not an outcome: won, lost or open"),
            )),
        }
    }

    fn parse(&self) -> Result<RawRow, HistoryError> {
        let id = self.text(Column::OpportunityId).ok_or_else(|| {
            self.error(
                Column::OpportunityId,
                "empty: every row needs the opportunity it belongs to".into(),
            )
        })?;
        let stage = self.text(Column::Stage).unwrap_or_default();
        Ok(RawRow {
            line: self.line,
            id,
            stage,
            entered_text: self.text(Column::EnteredAt).unwrap_or_default(),
            entered: self.when(Column::EnteredAt)?,
            created: self.when(Column::CreatedAt)?,
            closed: self.when(Column::ClosedAt)?,
            cells: Cells {
                owner: self.text(Column::Owner),
                amount: self.amount()?,
                outcome: self.outcome()?,
                source: self.text(Column::Source),
                segment: self.text(Column::Segment),
                office: self.text(Column::Office),
            },
        })
    }
}
