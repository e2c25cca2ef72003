//! The Dashboard tab: the platform's numbers at a glance (customers by status and by week,
//! users by role, invitations by how soon they expire, the trash's next purges, the newest
//! events), from one `Stats` read of the service's counters. It reads again when shown after a
//! change, and on `r`. It holds the last report and nothing else, and never counts anything
//! itself: every number is the service's.

mod draw;

use ratatui::Frame;
use ratatui::layout::Rect;

use super::{TabCtx, TabPane};
use crate::domain::AuditAction;
use crate::service::{Outcome, StatsReport};
use crate::tui::action::{Action, Effect};
use crate::tui::keymap::Context;
use crate::tui::table::View;

#[derive(Debug, Clone, Default)]
pub struct DashboardTab {
    pub report: Option<Box<StatsReport>>,
    /// A change was made since the report was read: read it again when next shown.
    stale: bool,
    /// A read is on its way.
    loading: bool,
}

impl DashboardTab {
    fn load(&mut self) -> Vec<Effect> {
        if self.loading {
            return Vec::new();
        }
        self.loading = true;
        vec![Effect::LoadStats]
    }
}

impl TabPane for DashboardTab {
    fn context(&self) -> Context {
        Context::Dashboard
    }

    fn update(&mut self, action: Action, _cx: &mut TabCtx<'_>) -> Vec<Effect> {
        match action {
            Action::StatsLoaded(report) => {
                self.report = Some(report);
                self.loading = false;
                self.stale = false;
                Vec::new()
            }
            Action::RefreshStats => self.load(),
            _ => Vec::new(),
        }
    }

    fn render(&self, frame: &mut Frame<'_>, area: Rect, view: &View) {
        match &self.report {
            Some(report) => draw::dashboard(frame, area, report, view),
            None => crate::tui::render::centered_text(
                frame,
                area,
                &["Reading the platform's numbers…".into()],
            ),
        }
    }

    fn reset(&mut self) {
        *self = Self::default();
    }

    fn shown(&mut self) -> Vec<Effect> {
        if self.report.is_none() || self.stale {
            self.load()
        } else {
            Vec::new()
        }
    }

    fn apply(&mut self, _outcome: &Outcome, _action: AuditAction, _height: usize) {
        self.stale = true;
    }
}

/// The Dashboard's keys, for the keymap.
pub fn keys() -> Vec<crate::tui::keymap_defaults::Row> {
    vec![(
        &["r"][..],
        Action::RefreshStats,
        "read the numbers again",
        true,
    )]
}
