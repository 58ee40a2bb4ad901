//! The columns of an opportunity history and `--map COLUMN=HEADER`, which names the
//! header another export uses for one of them (`--map entered_at="Last Stage Change
//! Date"`), or `--map stage:VALUE=STEP`, which reads a stage value of the export as a
//! funnel step (`--map "stage:Needs Analysis=discovery"`).

use std::collections::BTreeMap;

/// A column the reader knows, by the name DESIGN §10 gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Column {
    OpportunityId,
    Stage,
    EnteredAt,
    CreatedAt,
    Owner,
    Amount,
    Outcome,
    ClosedAt,
    Source,
    Segment,
    Office,
}

impl Column {
    pub const ALL: [Column; 11] = [
        Column::OpportunityId,
        Column::Stage,
        Column::EnteredAt,
        Column::CreatedAt,
        Column::Owner,
        Column::Amount,
        Column::Outcome,
        Column::ClosedAt,
        Column::Source,
        Column::Segment,
        Column::Office,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Column::OpportunityId => "opportunity_id",
            Column::Stage => "stage",
            Column::EnteredAt => "entered_at",
            Column::CreatedAt => "created_at",
            Column::Owner => "owner",
            Column::Amount => "amount",
            Column::Outcome => "outcome",
            Column::ClosedAt => "closed_at",
            Column::Source => "source",
            Column::Segment => "segment",
            Column::Office => "office",
        }
    }

    /// The three columns every history must have.
    pub fn required(self) -> bool {
        matches!(
            self,
            Column::OpportunityId | Column::Stage | Column::EnteredAt
        )
    }

    pub fn from_name(name: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// Where each column is read from: a header of the export, and stage values read as
/// funnel steps.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ColumnMap {
    headers: BTreeMap<Column, String>,
    stages: Vec<(String, String)>,
}

impl ColumnMap {
    /// Parses the `--map` arguments, saying what is wrong with a bad one.
    pub fn parse(args: &[String]) -> Result<ColumnMap, String> {
        let mut map = ColumnMap::default();
        for arg in args {
            let Some((left, right)) = arg.split_once('=') else {
                return Err(format!(
                    "--map {arg}: expected COLUMN=HEADER (e.g. entered_at=\"Stage Change Date\") or stage:VALUE=STEP"
                ));
            };
            let (left, right) = (left.trim(), right.trim());
            if right.is_empty() {
                return Err(format!("--map {arg}: nothing after `=`"));
            }
            if let Some(value) = left.strip_prefix("stage:") {
                map.stages.push((normalise(value), right.to_string()));
                continue;
            }
            let Some(column) = Column::from_name(left) else {
                let known: Vec<_> = Column::ALL.iter().map(|c| c.name()).collect();
                return Err(format!(
                    "--map {arg}: unknown column `{left}`; the columns are {}, or stage:VALUE=STEP",
                    known.join(", ")
                ));
            };
            if map.headers.insert(column, right.to_string()).is_some() {
                return Err(format!("--map {arg}: column `{left}` is mapped twice"));
            }
        }
        Ok(map)
    }

    /// The header the column is read from: the mapped one, or its own name.
    pub fn header_of(&self, column: Column) -> &str {
        self.headers
            .get(&column)
            .map(String::as_str)
            .unwrap_or(column.name())
    }

    /// Whether the user named a header for `column` (a mapped header must exist).
    pub fn is_mapped(&self, column: Column) -> bool {
        self.headers.contains_key(&column)
    }

    /// The funnel step a stage value of the export stands for, if mapped.
    pub fn step_for(&self, stage: &str) -> Option<&str> {
        let key = normalise(stage);
        self.stages
            .iter()
            .find(|(value, _)| *value == key)
            .map(|(_, step)| step.as_str())
    }

    /// Every stage value mapped, with its step (to check that the steps exist).
    pub fn mapped_stages(&self) -> impl Iterator<Item = &str> {
        self.stages.iter().map(|(_, step)| step.as_str())
    }
}

/// A stage or header compared loosely: case, spaces, hyphens and underscores ignored,
/// so `Follow-up`, `follow up` and `follow_up` are one stage.
pub fn normalise(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '\t'))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_headers_and_stage_values() {
        let map = ColumnMap::parse(&[
            "entered_at=Last Stage Change Date".into(),
            "stage:Needs Analysis=discovery".into(),
        ])
        .unwrap();
        assert_eq!(map.header_of(Column::EnteredAt), "Last Stage Change Date");
        assert_eq!(map.header_of(Column::Stage), "stage");
        assert_eq!(map.step_for("needs analysis"), Some("discovery"));
        assert_eq!(map.step_for("Closed Won"), None);
    }

    #[test]
    fn refuses_unknown_columns_and_missing_equals() {
        assert!(
            ColumnMap::parse(&["enterd_at=X".into()])
                .unwrap_err()
                .contains("unknown column")
        );
        assert!(
            ColumnMap::parse(&["entered_at".into()])
                .unwrap_err()
                .contains("COLUMN=HEADER")
        );
        assert!(
            ColumnMap::parse(&["stage=A".into(), "stage=B".into()])
                .unwrap_err()
                .contains("twice")
        );
    }

    #[test]
    fn stage_names_compare_loosely() {
        assert_eq!(normalise("Follow-up"), normalise("follow_up"));
        assert_eq!(normalise("Closed Won"), "closedwon");
    }
}
