//! Honest empty states for the tabs that later work fills: Logs and Dashboard. They show what will be there and where to look meanwhile, never sample data,
//! and hold no state.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Tab, TabCtx, TabPane};
use crate::tui::action::{Action, Effect};
use crate::tui::keymap::Context;
use crate::tui::render::centered_text;
use crate::tui::table::View;

/// A tab that is not built yet.
#[derive(Debug, Clone, Copy)]
pub struct PlaceholderTab {
    tab: Tab,
}

impl PlaceholderTab {
    pub fn new(tab: Tab) -> Self {
        Self { tab }
    }
}

impl TabPane for PlaceholderTab {
    fn context(&self) -> Context {
        Context::Placeholder
    }

    fn update(&mut self, _action: Action, _cx: &mut TabCtx<'_>) -> Vec<Effect> {
        Vec::new()
    }

    fn render(&self, frame: &mut Frame<'_>, area: Rect, _view: &View) {
        let (heading, body) = empty_state(self.tab);
        centered_text(
            frame,
            area,
            &[heading.to_owned(), String::new(), body.to_owned()],
        );
    }

    fn reset(&mut self) {}
}

/// The heading and explanation shown on a tab that is not built yet.
pub fn empty_state(tab: Tab) -> (&'static str, &'static str) {
    match tab {
        Tab::Logs => (
            "The audit log is not shown in the console yet.",
            "Read it with `tenantry log`, or `tenantry log --customer SLUG`; check it with `tenantry log verify`.",
        ),
        Tab::Dashboard => (
            "The dashboard is not built yet.",
            "Counts are on the Customers and Trash tabs meanwhile.",
        ),
        _ => ("", ""),
    }
}
