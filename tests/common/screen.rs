//! The console's screen as text: what a `TestBackend` shows, one line per row, wide characters
//! counted once, trailing spaces trimmed. Shared by the console's tests and snapshots.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tenantry::tui::app::App;
use tenantry::tui::render;

pub fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(app.width, app.height)).unwrap();
    terminal.draw(|f| render::draw(f, app)).unwrap();
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut line = String::new();
        let mut x = 0;
        while x < buffer.area.width {
            let symbol = buffer[(x, y)].symbol();
            line.push_str(symbol);
            // A wide character covers the next cell too.
            x += unicode_width::UnicodeWidthStr::width(symbol).max(1) as u16;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
