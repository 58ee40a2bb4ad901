//! What a `[[changes]]` period changes in a running trial besides headcounts: inbound
//! and service arrivals redrawn at the new rates, and lead sources switching between
//! push and pull release (a pool emptied to owners, or new leads parked).

use super::{Event, Sim};
use crate::model::rng::exponential;
use crate::scenario::{Release, Scenario, SourceKind};

impl Sim<'_> {
    /// The period of `old` ended now and `self.s` is the new one: the arrival streams
    /// and release policies follow it.
    pub(super) fn follow_period(&mut self, old: &Scenario) {
        self.redraw_arrivals(old);
        self.switch_release(old);
    }

    /// Every inbound source whose rate or seasonality changed, and the service
    /// requests if their rate did, draw their next arrival from now at the new rate:
    /// Poisson arrivals are memoryless, so the redrawn stream is exactly the new one
    /// (and a rate raised from 0 starts one at all).
    fn redraw_arrivals(&mut self, old: &Scenario) {
        let s = self.s;
        for (i, (was, now)) in old.lead_sources.iter().zip(&s.lead_sources).enumerate() {
            if let (
                SourceKind::Inbound {
                    rate_per_hour: a,
                    seasonality: sa,
                },
                SourceKind::Inbound {
                    rate_per_hour: b,
                    seasonality: sb,
                },
            ) = (&was.kind, &now.kind)
                && (a != b || sa != sb)
                && s.new_leads
            {
                self.queue.clear_slot(self.arrival_slot(i));
                self.schedule_next_arrival(i);
            }
        }
        if let (Some(was), Some(now)) = (&old.service, &s.service)
            && was.rate_per_hour != now.rate_per_hour
        {
            self.queue.clear_slot(self.service_slot());
            let gap = exponential(&mut self.rng.service_arrivals, now.rate_per_hour);
            if (self.now + gap).is_finite() {
                self.queue.schedule_in_slot(
                    self.service_slot(),
                    self.now + gap,
                    Event::ServiceArrival,
                );
            }
        }
    }

    /// Sources whose release changed: the pull pools follow the new policy. From pull to
    /// push, the leads waiting in the source's pool are released now, oldest first, as
    /// a pushed lead is on arrival; from push to pull, new leads are parked from now on
    /// (those already pushed stay with their owners).
    fn switch_release(&mut self, old: &Scenario) {
        let s = self.s;
        let changed: Vec<usize> = (0..s.lead_sources.len())
            .filter(|&i| old.lead_sources[i].release != s.lead_sources[i].release)
            .collect();
        if changed.is_empty() {
            return;
        }
        self.pipeline.follow_release(s);
        for source in changed {
            if s.lead_sources[source].release == Release::Push {
                for r in self.pipeline.drain_pulled(source) {
                    self.push_lead(source, r.id);
                }
            }
        }
    }
}
