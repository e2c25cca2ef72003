//! Drawing a [`TableView`]: the title line (the tab's own spans, then the filter line and
//! its match count while there is a filter, and the position `row N of M` at its end), the
//! header with the sort arrow, and only the rows on screen, so drawing costs the same with 100
//! rows or 100 000. Columns are sized by `TableView::widths`; every cell goes through
//! `render::text::fit` or `fit_middle`, as its column says. Changes nothing.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table};

use super::column::{COLUMN_GAP, Cut, View};
use super::{RowSource, TableView};
use crate::tui::layout::ListAreas;
use crate::tui::render::text::{fit, fit_middle};

impl<S: RowSource> TableView<S> {
    /// Draws the table into `list`, the title line starting with `title`.
    pub fn draw(&self, frame: &mut Frame<'_>, list: ListAreas, title: Vec<Span<'_>>, view: &View) {
        let theme = view.theme;
        self.draw_title(frame, list, title, view);
        let sort = self.source.sorted_by();
        let arrow = match sort {
            Some((_, true)) => "↓",
            _ => "↑",
        };
        let widths = self.widths(list.header.width, usize::from(list.body.height));
        let drawn = |i: &usize| widths.get(*i).is_some_and(|w| *w > 0);
        let header = Row::new(
            self.columns
                .iter()
                .enumerate()
                .filter(|(i, _)| drawn(i))
                .map(|(_, c)| match (c.sort, sort) {
                    (Some(k), Some((current, _))) if k == current => {
                        format!("{} {arrow}", c.title)
                    }
                    _ => c.title.to_string(),
                }),
        )
        .style(theme.header());
        let height = usize::from(list.body.height);
        let start = self.cursor.offset;
        let rows: Vec<Row<'_>> = (start..(start + height).min(self.len()))
            .filter_map(|n| self.source.get(n).map(|r| (n, r)))
            .map(|(n, r)| {
                let cells = self
                    .columns
                    .iter()
                    .zip(&widths)
                    .filter(|(_, w)| **w > 0)
                    .map(|(c, w)| {
                        let cell = (c.cell)(r, view);
                        let w = usize::from(*w);
                        let text = match c.cut {
                            Cut::End => fit(&cell.text, w),
                            Cut::Middle => fit_middle(&cell.text, w),
                        };
                        Span::styled(text, cell.style)
                    });
                let row = Row::new(cells.collect::<Vec<_>>());
                if n == self.cursor.selected {
                    row.style(theme.selected())
                } else {
                    row
                }
            })
            .collect();
        let area = Rect::new(
            list.header.x,
            list.header.y,
            list.header.width,
            list.body.height + 1,
        );
        let constraints = widths
            .into_iter()
            .filter(|w| *w > 0)
            .map(Constraint::Length);
        let table = Table::new(rows, constraints)
            .header(header)
            .column_spacing(COLUMN_GAP);
        frame.render_widget(table, area);
    }

    fn draw_title(
        &self,
        frame: &mut Frame<'_>,
        list: ListAreas,
        mut spans: Vec<Span<'_>>,
        view: &View,
    ) {
        // The position, right-aligned: the title and filter take what is left of the line.
        let position = match self.len() {
            0 => "no rows".to_owned(),
            n => format!("row {} of {n}", self.cursor.selected + 1),
        };
        let pos_w = (position.len() as u16).min(list.title.width);
        let rest = list.title.width.saturating_sub(pos_w + 1);
        frame.render_widget(
            Paragraph::new(Span::styled(position, view.theme.dim())),
            Rect::new(
                list.title.x + list.title.width - pos_w,
                list.title.y,
                pos_w,
                1,
            ),
        );
        let list = ListAreas {
            title: Rect::new(list.title.x, list.title.y, rest, 1),
            ..list
        };
        let filter = self.filter_text();
        let shown = self.filtering || !filter.is_empty();
        if shown {
            spans.push(Span::raw("  /"));
        }
        let used: u16 = spans.iter().map(|s| s.width() as u16).sum();
        frame.render_widget(Paragraph::new(Line::from(spans)), list.title);
        if !shown {
            return;
        }
        let count = format!(" {} match(es)", self.len());
        let input_w = list
            .title
            .width
            .saturating_sub(used + count.len() as u16 + 1)
            .min(30);
        let input_rect = Rect::new(list.title.x + used, list.title.y, input_w, 1);
        if self.filtering {
            frame.render_widget(&self.filter_input, input_rect);
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
        frame.render_widget(
            Paragraph::new(Span::styled(count, view.theme.dim())),
            count_rect,
        );
    }
}

/// A dim line inside an empty table's body, `indent` columns in (the tab says why it is
/// empty).
pub fn draw_empty(frame: &mut Frame<'_>, list: ListAreas, text: &str, indent: u16, view: &View) {
    frame.render_widget(
        Paragraph::new(Span::styled(text.to_owned(), view.theme.dim())),
        Rect::new(
            list.body.x + indent,
            list.body.y + 1,
            list.body.width.saturating_sub(indent),
            1,
        ),
    );
}
