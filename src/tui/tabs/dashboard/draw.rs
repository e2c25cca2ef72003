//! Drawing the Dashboard: panels in order of importance (customers, invitations, the trash,
//! people, new customers per week, the newest events), laid out two or three to a row as the
//! width allows, and those that do not fit the height left out with a line naming them. Every
//! bar carries its number, so nothing depends on colour.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::service::StatsReport;
use crate::service::stats::Tally;
use crate::tui::render::text::{Theme, day_of, fit, fit_middle, pad};
use crate::tui::table::View;

/// A panel and its share of a row's width, in fifths.
type Shared = (Panel, u32);

/// One panel: its title and lines.
struct Panel {
    title: String,
    lines: Vec<Line<'static>>,
}

impl Panel {
    fn height(&self) -> u16 {
        u16::try_from(self.lines.len())
            .unwrap_or(u16::MAX)
            .saturating_add(2)
    }
}

/// A bar of `n` against `max` in `width` cells, at least one cell for anything above zero.
fn bar(n: u64, max: u64, width: usize) -> String {
    if max == 0 || n == 0 {
        return String::new();
    }
    let cells = (u128::from(n) * width as u128).div_ceil(u128::from(max));
    "█".repeat(usize::try_from(cells).unwrap_or(width).clamp(1, width))
}

/// Labelled bars, one line per tally: `active     ██████ 120`.
fn bars(tallies: &[Tally], width: usize, theme: Theme) -> Vec<Line<'static>> {
    let max = tallies.iter().map(|t| t.count).max().unwrap_or(0);
    let label_w = tallies.iter().map(|t| t.name.len()).max().unwrap_or(0) + 1;
    let bar_w = width.saturating_sub(label_w + 8).max(1);
    tallies
        .iter()
        .map(|t| {
            Line::from(vec![
                Span::raw(pad(&t.name, label_w)),
                Span::styled(bar(t.count, max, bar_w), theme.accent()),
                Span::raw(format!(" {}", t.count)),
            ])
        })
        .collect()
}

/// One level character per week, for a one-line chart.
fn level(n: u64, max: u64) -> char {
    const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    if max == 0 || n == 0 {
        return ' ';
    }
    let i = (u128::from(n) * 7).div_ceil(u128::from(max));
    LEVELS[usize::try_from(i).unwrap_or(7).min(7)]
}

/// Customers by status; with `spark`, a line of the new customers per week under the bars
/// (where the week chart has no room).
fn customers(r: &StatsReport, width: usize, theme: Theme, spark: bool) -> Panel {
    let live: u64 =
        r.customers_named("active") + r.customers_named("pending") + r.customers_named("suspended");
    let mut lines = bars(&r.customers, width, theme);
    if spark {
        let max = r.new_customers.iter().map(|w| w.count).max().unwrap_or(0);
        let total: u64 = r.new_customers.iter().map(|w| w.count).sum();
        let chart: String = r
            .new_customers
            .iter()
            .map(|w| level(w.count, max))
            .collect();
        lines.push(Line::default());
        lines.push(Line::from(vec![
            Span::raw("new per week "),
            Span::styled(chart, theme.accent()),
            Span::raw(format!(" {total} in {}", r.new_customers.len())),
        ]));
    }
    Panel {
        title: format!("Customers · {live} live"),
        lines,
    }
}

fn invitations(r: &StatsReport, theme: Theme) -> Panel {
    let i = &r.invitations;
    let soon = if i.expiring_soon > 0 {
        theme.warn()
    } else {
        ratatui::style::Style::default()
    };
    let line = |label: &str, n: u64, style| {
        Line::from(vec![
            Span::raw(format!("{label:<21}")),
            Span::styled(n.to_string(), style),
        ])
    };
    let plain = ratatui::style::Style::default();
    Panel {
        title: "Invitations".into(),
        lines: vec![
            line("pending", i.pending, plain),
            line("  expiring in 48 h", i.expiring_soon, soon),
            line("expired", i.expired, plain),
            line("accepted", i.accepted, plain),
            line("revoked", i.revoked, plain),
        ],
    }
}

fn trash(r: &StatsReport, view: &View, width: usize) -> Panel {
    let trashed = r.customers_named("trashed");
    let mut lines = vec![Line::from(format!(
        "{trashed} in the trash · kept {} days",
        r.trash_retention_days
    ))];
    if r.next_purges.is_empty() {
        lines.push(Line::styled("nothing to purge", view.theme.dim()));
    }
    for p in &r.next_purges {
        let when = day_of(&p.purge_at, view.now, view.utc_offset_secs);
        let when = pad(&when, 11);
        let slug = fit_middle(&p.slug, width.saturating_sub(14));
        lines.push(Line::from(vec![
            Span::styled(when, view.theme.dim()),
            Span::raw(format!(" {slug}")),
        ]));
    }
    Panel {
        title: "Trash · next purges".into(),
        lines,
    }
}

fn people(r: &StatsReport, theme: Theme) -> Panel {
    let members: u64 = r.members_by_role.iter().map(|t| t.count).sum();
    let staff: u64 = r.staff_by_role.iter().map(|t| t.count).sum();
    let cell = |t: Option<&Tally>| match t {
        Some(t) => format!("{:<14}{:>5}", t.name, t.count),
        None => " ".repeat(19),
    };
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "{:<14}{members:>5}   {:<14}{staff:>5}",
            "memberships", "staff"
        ),
        theme.header(),
    ))];
    let rows = r.members_by_role.len().max(r.staff_by_role.len());
    for i in 0..rows {
        lines.push(Line::from(format!(
            "{}   {}",
            cell(r.members_by_role.get(i)),
            cell(r.staff_by_role.get(i))
        )));
    }
    Panel {
        title: format!("Users · {}", r.users),
        lines,
    }
}

/// New customers per week as vertical bars in `width` columns, the current week last, each
/// labelled by its Monday (month and day, or the day alone where columns are narrow).
fn weeks(r: &StatsReport, width: usize, theme: Theme) -> Panel {
    let max = r.new_customers.iter().map(|w| w.count).max().unwrap_or(0);
    let mut bars = String::new();
    let mut counts = String::new();
    let mut labels = String::new();
    let n = r.new_customers.len().max(1);
    let col = (width.saturating_sub(2) / n).clamp(3, 8);
    for w in &r.new_customers {
        let level = level(w.count, max);
        let label = if col >= 6 {
            w.week_of.get(5..10)
        } else {
            w.week_of.get(8..10)
        };
        let cell = col - 1;
        bars.push_str(&format!(
            "{:>cell$} ",
            level.to_string().repeat(cell.min(3))
        ));
        counts.push_str(&format!("{:>cell$} ", w.count));
        labels.push_str(&format!("{:>cell$} ", label.unwrap_or("")));
    }
    let total: u64 = r.new_customers.iter().map(|w| w.count).sum();
    Panel {
        title: format!(
            "New customers per week · {total} in {} weeks from {}",
            r.new_customers.len(),
            r.new_customers
                .first()
                .and_then(|w| w.week_of.get(..10))
                .unwrap_or("")
        ),
        lines: vec![
            Line::styled(bars, theme.accent()),
            Line::from(counts),
            Line::styled(labels, theme.dim()),
        ],
    }
}

fn events(r: &StatsReport, view: &View, width: usize, room: usize) -> Panel {
    let w = width.saturating_sub(2);
    // Below 100 columns who did it and what give way, so the summary keeps room to be read.
    let (who_w, action_w) = if width < 100 { (16, 18) } else { (22, 20) };
    let lines = r
        .last_events
        .iter()
        .take(room)
        .map(|e| {
            let at = pad(&day_of(&e.at, view.now, view.utc_offset_secs), 11);
            let who = if e.actor_email.is_empty() {
                e.actor_kind.clone()
            } else {
                e.actor_email.clone()
            };
            let text = format!(
                "{} {} {} {}",
                pad(&fit_middle(&who, who_w), who_w),
                pad(&e.action, action_w),
                e.customer_slug,
                e.summary
            );
            Line::from(vec![
                Span::styled(at, view.theme.dim()),
                Span::raw(" "),
                Span::raw(fit(&text, w.saturating_sub(12))),
            ])
        })
        .collect();
    Panel {
        title: format!("Last {} events", room.min(r.last_events.len())),
        lines,
    }
}

fn draw_panel(frame: &mut Frame<'_>, area: Rect, panel: Panel, theme: Theme) {
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" {} ", panel.title), theme.header()));
    frame.render_widget(Paragraph::new(panel.lines).block(block), area);
}

/// Draws panels side by side in `area`, in the shares of the width given (fifths).
fn row(frame: &mut Frame<'_>, area: Rect, panels: Vec<Shared>, theme: Theme) {
    let parts = Layout::horizontal(
        panels
            .iter()
            .map(|(_, fifths)| Constraint::Ratio(*fifths, 5)),
    )
    .split(area);
    let panels = panels.into_iter().map(|(p, _)| p);
    for (panel, rect) in panels.into_iter().zip(parts.iter()) {
        draw_panel(frame, *rect, panel, theme);
    }
}

/// The whole tab. Wide (100 columns or more): customers, weeks; invitations, trash, people;
/// events. Narrow: customers, invitations; trash, people; then the week chart or the events
/// as the height allows, and a last line naming what was left out.
pub fn dashboard(frame: &mut Frame<'_>, area: Rect, r: &StatsReport, view: &View) {
    let theme = view.theme;
    let width = usize::from(area.width);
    let wide = width >= 100;
    let fifths = |n: usize| width * n / 5;
    let (first, second): (Vec<Shared>, Vec<Shared>) = if wide {
        (
            vec![
                (customers(r, fifths(2), theme, false), 2),
                (weeks(r, fifths(3), theme), 3),
            ],
            vec![
                (invitations(r, theme), 1),
                (trash(r, view, fifths(2)), 2),
                (people(r, theme), 2),
            ],
        )
    } else {
        (
            vec![
                (customers(r, fifths(3), theme, true), 3),
                (invitations(r, theme), 2),
            ],
            vec![(trash(r, view, fifths(2)), 2), (people(r, theme), 3)],
        )
    };
    let height = |panels: &[Shared]| panels.iter().map(|(p, _)| p.height()).max();
    let h1 = height(&first).unwrap_or(0);
    let h2 = height(&second).unwrap_or(0);
    let mut left_out: Vec<&str> = Vec::new();
    let mut y = area.y;
    let bottom = area.y.saturating_add(area.height);
    let place = |h: u16, y: &mut u16| -> Option<Rect> {
        // One line is kept for the note of what was left out.
        (y.saturating_add(h) < bottom).then(|| {
            let rect = Rect::new(area.x, *y, area.width, h);
            *y = y.saturating_add(h);
            rect
        })
    };
    match place(h1, &mut y) {
        Some(rect) => row(frame, rect, first, theme),
        None => left_out.push("customers and invitations"),
    }
    match place(h2, &mut y) {
        Some(rect) => row(frame, rect, second, theme),
        None => left_out.push("trash and users"),
    }
    if !wide {
        let chart = weeks(r, width, theme);
        if bottom.saturating_sub(y) > chart.height().saturating_add(4) {
            let h = chart.height();
            if let Some(rect) = place(h, &mut y) {
                draw_panel(frame, rect, chart, theme);
            }
        } else {
            left_out.push("weekly chart");
        }
    }
    let room = usize::from(bottom.saturating_sub(y).saturating_sub(3));
    let shown = room.min(r.last_events.len());
    if shown > 0 {
        let panel = events(r, view, width, shown);
        if let Some(rect) = place(panel.height(), &mut y) {
            draw_panel(frame, rect, panel, theme);
        }
    }
    let older = r.last_events.len().saturating_sub(shown);
    let older = match (older, shown) {
        (0, _) => None,
        (n, 0) => Some(format!("the last {n} events")),
        (n, _) => Some(format!("{n} older events")),
    };
    let mut left_out: Vec<String> = left_out.into_iter().map(str::to_owned).collect();
    left_out.extend(older);
    let note = if left_out.is_empty() {
        format!(
            "As of {} · r reads again · `tenantry stats` prints the same",
            day_of(&r.at, view.now, view.utc_offset_secs)
        )
    } else {
        format!(
            "Not shown: {} · `tenantry stats` has all",
            left_out.join(", ")
        )
    };
    let note_area = Rect::new(area.x, bottom.saturating_sub(1), area.width, 1);
    frame.render_widget(
        Paragraph::new(Span::styled(fit(&note, width), theme.dim())),
        note_area,
    );
}
