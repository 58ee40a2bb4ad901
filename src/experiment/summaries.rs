//! Across-trial summaries of a scenario's metrics, held by metric and looked up by
//! metric (or, for names typed by a user, by name).

use crate::model::metrics::{Catalogue, Metric};
use crate::stats::Summary;

use super::Columns;

/// One summary per metric of a catalogue, in its order.
#[derive(Debug, Clone, Default)]
pub struct Summaries {
    catalogue: Catalogue,
    summaries: Vec<Summary>,
}

impl Summaries {
    /// Summarises every column of `values`, one per metric of `catalogue`; a metric
    /// whose unit bounds it (a share, a percentage) gets an interval inside the bounds.
    pub fn of(catalogue: &Catalogue, values: &Columns) -> Summaries {
        let summaries = (0..catalogue.len())
            .map(|i| {
                let bounds = catalogue.metric(i).def.unit.bounds();
                Summary::of_bounded(&values.column(i), bounds)
            })
            .collect();
        Summaries {
            catalogue: catalogue.clone(),
            summaries,
        }
    }

    /// Summaries built one by one, in the order of `catalogue`.
    pub fn from_parts(catalogue: Catalogue, summaries: Vec<Summary>) -> Summaries {
        assert_eq!(catalogue.len(), summaries.len(), "one summary per metric");
        Summaries {
            catalogue,
            summaries,
        }
    }

    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }

    pub fn get(&self, metric: Metric<'_>) -> Option<&Summary> {
        self.catalogue.position(metric).map(|i| &self.summaries[i])
    }

    pub fn named(&self, name: &str) -> Option<&Summary> {
        self.catalogue
            .position_of_name(name)
            .map(|i| &self.summaries[i])
    }

    /// (metric, name, summary) in catalogue order.
    pub fn iter(&self) -> impl Iterator<Item = (Metric<'_>, &str, &Summary)> {
        self.catalogue
            .iter()
            .zip(self.catalogue.names())
            .zip(&self.summaries)
            .map(|((m, n), s)| (m, n.as_str(), s))
    }

    pub fn len(&self) -> usize {
        self.summaries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.summaries.is_empty()
    }
}
