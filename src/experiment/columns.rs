//! Per-trial results, held column by column (one column per metric).
//!
//! At 100,000 trials the per-trial values are nearly all of a run's memory, and about a
//! third of a design's metrics never change from trial to trial (the staffing cost, the
//! share of time a role never spends travelling). So a column that has held one value,
//! bit for bit, in every trial so far is kept as that value alone, and is spelled out
//! only when a trial first differs. Nothing is rounded or dropped: every value read
//! back is the value pushed.

use std::borrow::Cow;

#[derive(Debug, Clone, PartialEq)]
enum Column {
    /// Every row so far holds this value.
    Same(f64),
    Varying(Vec<f64>),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Columns {
    columns: Vec<Column>,
    rows: usize,
    /// Rows expected in all, so a column spelled out is allocated once.
    expected_rows: usize,
}

impl Columns {
    /// Room for `expected_rows` rows; the width is set by the first row.
    pub fn with_expected_rows(expected_rows: usize) -> Self {
        Columns {
            columns: Vec::new(),
            rows: 0,
            expected_rows,
        }
    }

    /// Appends one row. Every row must be as wide as the first.
    pub fn push_row(&mut self, row: &[f64]) {
        if self.rows == 0 {
            self.columns = row.iter().map(|&v| Column::Same(v)).collect();
            self.rows = 1;
            return;
        }
        assert_eq!(row.len(), self.columns.len(), "rows of one width");
        let capacity = self.expected_rows.max(self.rows + 1);
        for (column, &value) in self.columns.iter_mut().zip(row) {
            match column {
                Column::Same(same) if same.to_bits() == value.to_bits() => {}
                Column::Same(same) => {
                    let mut values = Vec::with_capacity(capacity);
                    values.resize(self.rows, *same);
                    values.push(value);
                    *column = Column::Varying(values);
                }
                Column::Varying(values) => values.push(value),
            }
        }
        self.rows += 1;
    }

    /// Number of rows (trials).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of columns (metrics); 0 before the first row.
    pub fn width(&self) -> usize {
        self.columns.len()
    }

    /// The values of column `i`, one per row.
    pub fn column(&self, i: usize) -> Cow<'_, [f64]> {
        match &self.columns[i] {
            Column::Same(value) => Cow::Owned(vec![*value; self.rows]),
            Column::Varying(values) => Cow::Borrowed(values),
        }
    }

    /// The value of column `column` in row `row`.
    pub fn get(&self, row: usize, column: usize) -> f64 {
        assert!(row < self.rows, "row {row} of {}", self.rows);
        match &self.columns[column] {
            Column::Same(value) => *value,
            Column::Varying(values) => values[row],
        }
    }

    /// Row `row`, column by column.
    pub fn row(&self, row: usize) -> impl Iterator<Item = f64> + '_ {
        (0..self.width()).map(move |column| self.get(row, column))
    }

    /// Bytes held for values, beyond the fixed size of each column.
    pub fn value_bytes(&self) -> usize {
        self.columns
            .iter()
            .map(|c| match c {
                Column::Same(_) => 0,
                Column::Varying(values) => values.capacity() * std::mem::size_of::<f64>(),
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_reads_back_as_pushed_bit_for_bit() {
        let rows: Vec<Vec<f64>> = (0..50)
            .map(|r| {
                vec![
                    7.0,                             // constant throughout
                    if r < 30 { 1.0 } else { 2.0 },  // changes late
                    r as f64 * 0.1,                  // changes every row
                    if r == 0 { -0.0 } else { 0.0 }, // differs in sign bit only
                    f64::NAN,                        // NaN is the same NaN
                ]
            })
            .collect();
        let mut columns = Columns::with_expected_rows(rows.len());
        for row in &rows {
            columns.push_row(row);
        }
        assert_eq!((columns.rows(), columns.width()), (50, 5));
        for (r, row) in rows.iter().enumerate() {
            let back: Vec<u64> = columns.row(r).map(f64::to_bits).collect();
            let pushed: Vec<u64> = row.iter().map(|v| v.to_bits()).collect();
            assert_eq!(back, pushed, "row {r}");
        }
        for c in 0..5 {
            let column: Vec<u64> = columns.column(c).iter().map(|v| v.to_bits()).collect();
            let pushed: Vec<u64> = rows.iter().map(|row| row[c].to_bits()).collect();
            assert_eq!(column, pushed, "column {c}");
        }
    }

    #[test]
    fn constant_columns_hold_no_per_row_memory() {
        let mut columns = Columns::with_expected_rows(1000);
        for r in 0..1000 {
            columns.push_row(&[3.0, 0.0, r as f64]);
        }
        // Only the varying column holds values, allocated once for all the rows.
        assert_eq!(columns.value_bytes(), 1000 * 8);
    }
}
