//! The Customers table, the customer detail view and the Trash table. Only the rows on screen
//! are built, so drawing costs the same with 100 rows or 100 000.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table};

use super::super::app::App;
use super::super::layout::{self, COLUMN_GAP};
use super::text::{Theme, days_left, fit, local, when};

fn cell(text: &str, width: u16) -> String {
    fit(text, usize::from(width))
}

fn title_line(frame: &mut Frame<'_>, area: Rect, spans: Vec<Span<'_>>) {
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn draw_customers(frame: &mut Frame<'_>, area: Rect, app: &App, theme: Theme) {
    let tab = &app.customers;
    let list = layout::list_areas(area);
    let (sort, descending) = tab.index.sort();
    let arrow = if descending { "↓" } else { "↑" };
    let mut spans = vec![
        Span::styled("Customers ", theme.header()),
        Span::raw(format!("{} shown", tab.len())),
        Span::styled(
            format!(" · sorted by {} {arrow}", sort.label()),
            theme.dim(),
        ),
    ];
    if tab.loading {
        spans.push(Span::styled(
            format!(" · loading… {} so far", tab.index.len()),
            theme.warn(),
        ));
    }
    let filter = tab.filter_input.lines().concat();
    if tab.filtering || !filter.is_empty() {
        spans.push(Span::raw("  /"));
    }
    let used: u16 = spans.iter().map(|s| s.width() as u16).sum();
    title_line(frame, list.title, spans);
    if tab.filtering || !filter.is_empty() {
        let count = format!(" {} match(es)", tab.len());
        let input_w = list
            .title
            .width
            .saturating_sub(used + count.len() as u16 + 1)
            .min(30);
        let input_rect = Rect::new(list.title.x + used, list.title.y, input_w, 1);
        if tab.filtering {
            frame.render_widget(&tab.filter_input, input_rect);
        } else {
            frame.render_widget(
                Paragraph::new(fit(&filter, usize::from(input_w))),
                input_rect,
            );
        }
        let count_rect = Rect::new(
            input_rect.x + input_w,
            list.title.y,
            count.len() as u16 + 1,
            1,
        );
        frame.render_widget(Paragraph::new(Span::styled(count, theme.dim())), count_rect);
    }

    let widths = layout::customer_columns(area.width);
    let header_labels = ["", "Name", "Slug", "Type", "Status", "Owner", "Created"];
    let header = Row::new(header_labels.iter().enumerate().map(|(i, h)| {
        let sorted = i > 0 && crate::service::SortKey::ALL.get(i - 1) == Some(&sort);
        if sorted {
            format!("{h} {arrow}")
        } else {
            (*h).to_owned()
        }
    }))
    .style(theme.header());
    let height = usize::from(list.body.height);
    let start = tab.cursor.offset;
    let rows: Vec<Row<'_>> = (start..(start + height).min(tab.len()))
        .filter_map(|n| tab.index.visible(n).map(|e| (n, e)))
        .map(|(n, e)| {
            let marker = if e.is_provider { "★" } else { "" };
            let status_style = if e.status == "suspended" {
                theme.warn()
            } else {
                Style::default()
            };
            let cells = vec![
                Span::raw(marker),
                Span::raw(cell(&e.name, widths[1])),
                Span::raw(cell(&e.slug, widths[2])),
                Span::raw(cell(&e.kind, widths[3])),
                Span::styled(cell(&e.status, widths[4]), status_style),
                Span::raw(cell(e.owner_email.as_deref().unwrap_or("—"), widths[5])),
                Span::raw(when(e.created_at, app.now, app.opts.utc_offset_secs)),
            ];
            let row = Row::new(cells);
            if n == tab.cursor.selected {
                row.style(theme.selected())
            } else {
                row
            }
        })
        .collect();
    let header_area = Rect::new(area.x, list.header.y, area.width, list.body.height + 1);
    let table = Table::new(rows, widths.map(Constraint::Length))
        .header(header)
        .column_spacing(COLUMN_GAP);
    frame.render_widget(table, header_area);
    if tab.is_empty() && !tab.loading {
        let text = if filter.is_empty() {
            "No customers yet. Press a to add one."
        } else {
            "No customer matches the filter. Esc clears it."
        };
        frame.render_widget(
            Paragraph::new(Span::styled(text, theme.dim())),
            Rect::new(
                list.body.x + 3,
                list.body.y + 1,
                list.body.width.saturating_sub(3),
                1,
            ),
        );
    }
}

pub fn draw_detail(frame: &mut Frame<'_>, area: Rect, app: &App, theme: Theme) {
    let Some(detail) = &app.customers.detail else {
        return;
    };
    let row = &detail.row;
    let offset = app.opts.utc_offset_secs;
    let w = usize::from(area.width.saturating_sub(20));
    let opt = |v: &Option<String>| v.as_deref().map_or("—".to_owned(), |s| fit(s, w));
    let mut fields: Vec<(&str, String)> = vec![
        ("Name", fit(&row.name, w)),
        ("Slug", fit(&row.slug, w)),
        ("Type", row.kind.clone()),
        ("Status", row.status.clone()),
        ("Language", row.language.clone()),
        ("Owner", opt(&row.owner_name)),
        ("Owner email", opt(&row.owner_email)),
        ("Contact email", opt(&row.contact_email)),
        ("Contact phone", opt(&row.contact_phone)),
        (
            "Provider",
            if row.is_provider {
                "yes (the platform's own company)".into()
            } else {
                "no".into()
            },
        ),
        ("Created", local(row.created_at, offset)),
        ("Updated", local(row.updated_at, offset)),
        ("Audit events", detail.audit_events.to_string()),
        ("Id", row.id.to_string()),
    ];
    if let Some(at) = row.deleted_at {
        fields.push(("Deleted", local(at, offset)));
    }
    let mut lines = vec![Line::from(Span::styled(
        format!("Customer {}", fit(&row.name, w)),
        theme.header(),
    ))];
    for (label, value) in fields {
        lines.push(Line::from(vec![
            Span::styled(format!("{label:>16}  "), theme.dim()),
            Span::raw(value),
        ]));
    }
    lines.push(Line::from(Span::styled(
        format!("Members ({})", detail.members.len()),
        theme.header(),
    )));
    for m in &detail.members {
        let owner = if m.is_owner { " (owner)" } else { "" };
        lines.push(Line::from(format!(
            "  {}  {}  {}  {}{owner}",
            fit(&m.name, 24),
            fit(&m.email, 32),
            m.role,
            m.status
        )));
    }
    frame.render_widget(
        Paragraph::new(lines).scroll((app.customers.detail_scroll, 0)),
        area,
    );
}

pub fn draw_trash(frame: &mut Frame<'_>, area: Rect, app: &App, theme: Theme) {
    let tab = &app.trash;
    let list = layout::list_areas(area);
    title_line(
        frame,
        list.title,
        vec![
            Span::styled("Trash ", theme.header()),
            Span::raw(format!("{} customer(s)", tab.rows.len())),
            Span::styled(" · purged automatically when no days are left", theme.dim()),
        ],
    );
    let widths = layout::trash_columns(area.width);
    let header =
        Row::new(["Name", "Slug", "Deleted at", "Deleted by", "Days left"]).style(theme.header());
    let height = usize::from(list.body.height);
    let start = tab.cursor.offset;
    let rows: Vec<Row<'_>> = tab
        .rows
        .iter()
        .enumerate()
        .skip(start)
        .take(height)
        .map(|(n, r)| {
            let left = r.purge_at.map(|p| days_left(p, app.now));
            let left_text = left.map_or("—".to_owned(), |d| d.to_string());
            let left_style = if left.is_some_and(|d| d <= 3) {
                theme.warn()
            } else {
                Style::default()
            };
            let row = Row::new(vec![
                Span::raw(cell(&r.name, widths[0])),
                Span::raw(cell(&r.slug, widths[1])),
                Span::raw(
                    r.deleted_at
                        .map_or("—".into(), |t| local(t, app.opts.utc_offset_secs)),
                ),
                Span::raw(cell(r.deleted_by.as_deref().unwrap_or("—"), widths[3])),
                Span::styled(left_text, left_style),
            ]);
            if n == tab.cursor.selected {
                row.style(theme.selected())
            } else {
                row
            }
        })
        .collect();
    let table_area = Rect::new(area.x, list.header.y, area.width, list.body.height + 1);
    frame.render_widget(
        Table::new(rows, widths.map(Constraint::Length))
            .header(header)
            .column_spacing(COLUMN_GAP),
        table_area,
    );
    if tab.rows.is_empty() {
        let text = if tab.loaded {
            "The trash is empty."
        } else {
            "Loading the trash…"
        };
        frame.render_widget(
            Paragraph::new(Span::styled(text, theme.dim())),
            Rect::new(
                list.body.x + 1,
                list.body.y + 1,
                list.body.width.saturating_sub(1),
                1,
            ),
        );
    }
}
