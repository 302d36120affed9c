//! The layouts that several concept figures share: a flow of steps, a
//! timeline of tasks, a table of ticks and a sequence diagram of threads or
//! tasks. Each takes plain data and draws it on a 480 px wide canvas, growing
//! downwards, so a figure file says *what* it shows and this file *how*.

use crate::svg::{Anchor, LINE_HEIGHT, Svg, text_width};

/// The canvas width of every concept figure: narrow enough for a phone.
pub const WIDTH: f64 = 480.0;
/// The space between the canvas edge and what is drawn.
pub const MARGIN: f64 = 12.0;
/// The inner padding of a box.
const PAD: f64 = 8.0;

thread_local! {
    /// The texts too wide for their boxes, found while drawing.
    static MISFITS: std::cell::RefCell<Vec<String>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Notes every line that, drawn in `class`, would not fit a box `w` wide: a
/// figure whose text spills out of its boxes must be laid out again.
pub fn check_fit(w: f64, class: &str, lines: &[&str]) {
    for line in lines {
        let needed = text_width(class, line) + 2.0 * PAD;
        if needed > w {
            let misfit = format!("{line:?} needs {needed:.0} px, has {w:.0}");
            MISFITS.with(|misfits| misfits.borrow_mut().push(misfit));
        }
    }
}

/// Notes a problem found while drawing.
pub fn misfit(problem: String) {
    MISFITS.with(|misfits| misfits.borrow_mut().push(problem));
}

thread_local! {
    /// The problems of every figure drawn so far, named by figure.
    static REPORTED: std::cell::RefCell<Vec<String>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Files the problems found so far under the figure `name`.
pub fn report_misfits(name: &str) {
    for problem in take_misfits() {
        REPORTED.with(|reported| {
            reported.borrow_mut().push(format!("{name}: {problem}"));
        });
    }
}

/// Every problem filed so far.
pub fn take_reported() -> Vec<String> {
    REPORTED.with(|reported| std::mem::take(&mut *reported.borrow_mut()))
}

/// The texts found too wide for their boxes since the last call.
pub fn take_misfits() -> Vec<String> {
    MISFITS.with(|misfits| std::mem::take(&mut *misfits.borrow_mut()))
}

/// The height of a box holding `lines` lines of text.
pub fn box_height(lines: usize) -> f64 {
    lines as f64 * LINE_HEIGHT + PAD + 4.0
}

/// A box with a bold title and lines of text under it; the title line may
/// carry a grey `tag` on its right (who runs this step). Returns the box's
/// height.
#[allow(clippy::too_many_arguments)]
pub fn titled_box(
    svg: &mut Svg,
    x: f64,
    y: f64,
    w: f64,
    class: &str,
    title: &str,
    tag: &str,
    lines: &[&str],
) -> f64 {
    let count = lines.len() + usize::from(!title.is_empty());
    let h = box_height(count);
    check_fit(w, "", lines);
    let tag_width =
        if tag.is_empty() { 0.0 } else { text_width("note", tag) + 12.0 };
    check_fit(w - tag_width, "bold", &[title]);
    svg.rect(x, y, w, h, class);
    let mut baseline = y + PAD + 9.0;
    if !title.is_empty() {
        svg.text(x + PAD, baseline, Anchor::Start, "bold", title);
        if !tag.is_empty() {
            svg.text(x + w - PAD, baseline, Anchor::End, "note", tag);
        }
        baseline += LINE_HEIGHT;
    }
    svg.lines(x + PAD, baseline, Anchor::Start, "", lines);
    h
}

/// One step of a [`flow`].
#[derive(Debug)]
pub struct Step<'a> {
    /// What happens, in bold.
    pub title: &'a str,
    /// Who does it (grey, on the title's right): "kernel", "poller", ...
    pub tag: &'a str,
    /// The details, one line each.
    pub lines: &'a [&'a str],
    /// The box's style: `box`, `accent`, `warm`, `good`, `bad`.
    pub class: &'a str,
    /// What the arrow into this step says (empty: a bare arrow).
    pub arrow: &'a str,
    /// Whether an arrow goes back from this step to the one before: the two
    /// repeat.
    pub back: bool,
}

/// Steps from top to bottom, each in a box, joined by arrows. `heading` is
/// a line above the first step, `notes` lines below the last.
///
/// The canvas is as narrow as the longest line allows, at most [`WIDTH`]:
/// the narrower it is, the less a phone shrinks its text.
pub fn flow(heading: &str, steps: &[Step<'_>], notes: &[&str]) -> Svg {
    let width = flow_width(heading, steps, notes);
    let mut svg = Svg::new(width, 0.0);
    let mut y = MARGIN;
    if !heading.is_empty() {
        svg.text(width / 2.0, y + 12.0, Anchor::Middle, "title", heading);
        y += 24.0;
    }
    let w = width - 2.0 * MARGIN;
    let boxes = steps_column(&mut svg, MARGIN, y, w, steps);
    let mut y = boxes.last().map_or(y, |&(_, bottom)| bottom) + 6.0;
    for note in notes {
        y += LINE_HEIGHT;
        svg.text(MARGIN, y, Anchor::Start, "note", note);
    }
    svg.set_height(y + MARGIN);
    svg
}

/// Draws `steps` from top to bottom in a column `w` wide whose left edge is
/// `x`, the first box's top at `y`, joined by arrows as in a [`flow`] (a
/// step's back arrow runs 8 px right of the column). Returns each box's top
/// and bottom, for a figure that draws more around them.
pub fn steps_column(
    svg: &mut Svg,
    x: f64,
    y: f64,
    w: f64,
    steps: &[Step<'_>],
) -> Vec<(f64, f64)> {
    let mut y = y;
    let mut boxes = Vec::new();
    let mut previous_middle = y;
    for (i, step) in steps.iter().enumerate() {
        if i > 0 {
            let gap = 26.0;
            let centre = x + w / 2.0;
            svg.arrow(centre, y, centre, y + gap - 2.0);
            if !step.arrow.is_empty() {
                let label_x = centre + 10.0;
                svg.text(label_x, y + 17.0, Anchor::Start, "note", step.arrow);
            }
            y += gap;
        }
        let h = titled_box(
            svg, x, y, w, step.class, step.title, step.tag, step.lines,
        );
        let middle = y + h / 2.0;
        if step.back {
            let (edge, outside) = (x + w, x + w + 8.0);
            svg.polyline(
                &[
                    (edge, middle),
                    (outside, middle),
                    (outside, previous_middle),
                    (edge + 2.0, previous_middle),
                ],
                "arrow",
            );
        }
        previous_middle = middle;
        boxes.push((y, y + h));
        y += h;
    }
    boxes
}

/// The narrowest canvas on which every text of a [`flow`] fits.
pub fn flow_width(heading: &str, steps: &[Step<'_>], notes: &[&str]) -> f64 {
    let boxes = steps.iter().map(|step| {
        let tag = if step.tag.is_empty() {
            0.0
        } else {
            text_width("note", step.tag) + 12.0
        };
        let widest_line = step
            .lines
            .iter()
            .map(|line| text_width("", line))
            .fold(text_width("bold", step.title) + tag, f64::max);
        widest_line + 2.0 * PAD
    });
    // An arrow's label starts 10 px right of the centre.
    let labels =
        steps.iter().map(|step| 2.0 * (text_width("note", step.arrow) + 10.0));
    let back = if steps.iter().any(|step| step.back) { 8.0 } else { 0.0 };
    let inner = boxes
        .chain(labels)
        .chain(notes.iter().map(|note| text_width("note", note)))
        .fold(text_width("title", heading), f64::max);
    (inner + 2.0 * MARGIN + back).ceil().min(WIDTH)
}

/// How a bar of a [`Timeline`] ends.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Ending {
    /// The task returned: a dot.
    Done,
    /// The task panicked: a red cross.
    Panicked,
    /// The future was dropped (cancelled, or timed out): a red bar.
    Dropped,
    /// The waiting ends here, and the waiter goes on: an arrow.
    Returns,
}

/// One lane of a [`Timeline`]: a bar from `start` to `end` (in ms).
#[derive(Debug)]
pub struct Bar<'a> {
    /// The lane's name, on the left.
    pub name: &'a str,
    /// When the bar starts.
    pub start: f64,
    /// When it ends.
    pub end: f64,
    /// How it ends.
    pub ending: Ending,
    /// What happened, under the bar.
    pub label: &'a str,
    /// The bar's style: `accent` for a task running, `warm` for a waiter.
    pub class: &'a str,
}

/// One part of a [`Timeline`]: a heading (code, in mono), lanes, and
/// vertical marks at given times.
#[derive(Debug)]
pub struct Section<'a> {
    /// The call, in mono.
    pub heading: &'a str,
    /// One bar per lane.
    pub bars: Vec<Bar<'a>>,
    /// A dashed vertical line at a time, with its label at the bottom.
    pub marks: Vec<(f64, &'a str)>,
}

/// Tasks over loop time, one lane each: when each ends, and how.
#[derive(Debug)]
pub struct Timeline<'a> {
    /// The last time on the axis, in ms.
    pub until: f64,
    /// The times labelled on the axis.
    pub ticks: &'a [f64],
    /// The parts, one under the other, each with its own axis.
    pub sections: Vec<Section<'a>>,
    /// Lines under everything.
    pub notes: &'a [&'a str],
}

const LANE_NAME_WIDTH: f64 = 92.0;

impl Timeline<'_> {
    /// The narrowest canvas on which the headings, labels and notes fit,
    /// at most [`WIDTH`]: a phone shrinks a narrower one less.
    fn width(&self) -> f64 {
        let left = MARGIN + LANE_NAME_WIDTH;
        let sections = self.sections.iter().flat_map(|section| {
            let heading = MARGIN + text_width("mono", section.heading);
            let labels = section
                .bars
                .iter()
                .map(move |bar| left + text_width("note", bar.label));
            let marks = section
                .marks
                .iter()
                .map(|(_, label)| MARGIN + text_width("note", label));
            std::iter::once(heading).chain(labels).chain(marks)
        });
        let notes =
            self.notes.iter().map(|note| MARGIN + text_width("note", note));
        let widest = sections.chain(notes).fold(0.0, f64::max);
        (widest + MARGIN).clamp(400.0, WIDTH).ceil()
    }

    fn x(&self, ms: f64) -> f64 {
        let left = MARGIN + LANE_NAME_WIDTH;
        let right = self.width() - MARGIN - 8.0;
        left + (right - left) * ms / self.until
    }

    /// Draws the timeline.
    pub fn draw(&self) -> Svg {
        let mut svg = Svg::new(self.width(), 0.0);
        let mut y = MARGIN;
        for section in &self.sections {
            y = self.draw_section(&mut svg, section, y) + 10.0;
        }
        for note in self.notes {
            y += LINE_HEIGHT;
            svg.text(MARGIN, y, Anchor::Start, "note", note);
        }
        svg.set_height(y + MARGIN);
        svg
    }

    fn draw_section(
        &self,
        svg: &mut Svg,
        section: &Section<'_>,
        y: f64,
    ) -> f64 {
        let mut y = y + 12.0;
        svg.text(MARGIN, y, Anchor::Start, "mono", section.heading);
        y += 22.0;
        // The axis: loop time in ms.
        svg.text(MARGIN, y, Anchor::Start, "note", "loop time (ms)");
        for &tick in self.ticks {
            svg.text(self.x(tick), y, Anchor::Middle, "note", &num(tick));
        }
        y += 6.0;
        svg.line(self.x(0.0), y, self.x(self.until), y, "line");
        let top = y;
        y += 8.0;
        for bar in &section.bars {
            y = self.draw_bar(svg, bar, y);
        }
        let bottom = y;
        for &(ms, _) in &section.marks {
            svg.line(self.x(ms), top, self.x(ms), bottom, "dashed");
        }
        for &(ms, label) in &section.marks {
            y += LINE_HEIGHT;
            let anchor =
                if ms > self.until / 2.0 { Anchor::End } else { Anchor::Start };
            svg.text(self.x(ms), y, anchor, "note", label);
        }
        y
    }

    fn draw_bar(&self, svg: &mut Svg, bar: &Bar<'_>, y: f64) -> f64 {
        let (x0, x1) = (self.x(bar.start), self.x(bar.end));
        let mid = y + 7.0;
        svg.text(MARGIN, mid + 4.5, Anchor::Start, "bold", bar.name);
        svg.rect(x0, y, (x1 - x0).max(2.0), 14.0, bar.class);
        match bar.ending {
            Ending::Done => svg.circle(x1, mid, 5.0, "good"),
            Ending::Panicked => {
                svg.line(x1 - 6.0, mid - 6.0, x1 + 6.0, mid + 6.0, "bad-line");
                svg.line(x1 - 6.0, mid + 6.0, x1 + 6.0, mid - 6.0, "bad-line");
            }
            Ending::Dropped => svg.rect(x1 - 2.0, y - 3.0, 4.0, 20.0, "bad"),
            Ending::Returns => svg.arrow(x1, mid, x1 + 14.0, mid),
        }
        // Under the bar, from its start; pushed left if it would run off.
        let width = text_width("note", bar.label);
        let right = self.width() - MARGIN;
        let (label_x, anchor) = if x0 + width <= right {
            (x0, Anchor::Start)
        } else {
            (right, Anchor::End)
        };
        svg.text(label_x, y + 30.0, anchor, "note", bar.label);
        y + 42.0
    }
}

/// A time in ms without a needless `.0`.
fn num(ms: f64) -> String {
    if ms.fract() == 0.0 { format!("{}", ms as i64) } else { format!("{ms}") }
}

/// A column of a [`table`]: its header, its width, its text's class. The
/// table is as wide as its columns (keep it within [`WIDTH`]).
#[derive(Debug)]
pub struct Column<'a> {
    /// The header, in bold.
    pub header: &'a str,
    /// The width in px.
    pub width: f64,
    /// The class of the cells' text: empty, `mono`, `note`.
    pub class: &'a str,
}

/// A table of ticks: one row per tick (or step), cells of several lines,
/// rows striped. Each row is one slice of lines per column.
pub fn table(
    heading: &str,
    columns: &[Column<'_>],
    rows: &[&[&[&str]]],
    notes: &[&str],
) -> Svg {
    let width =
        columns.iter().map(|column| column.width).sum::<f64>() + 2.0 * MARGIN;
    let mut svg = Svg::new(width, 0.0);
    let mut y = MARGIN;
    if !heading.is_empty() {
        svg.text(MARGIN, y + 12.0, Anchor::Start, "mono", heading);
        y += 22.0;
    }
    let mut x = MARGIN;
    for column in columns {
        svg.text(x + 4.0, y + 13.0, Anchor::Start, "bold", column.header);
        x += column.width;
    }
    y += 20.0;
    svg.line(MARGIN, y, width - MARGIN, y, "line");
    for (i, row) in rows.iter().enumerate() {
        let count = row.iter().map(|cell| cell.len()).max().unwrap_or(1);
        let h = count as f64 * LINE_HEIGHT + 8.0;
        if i % 2 == 1 {
            svg.rect(MARGIN, y, width - 2.0 * MARGIN, h, "stripe");
        }
        let mut x = MARGIN;
        for (column, cell) in columns.iter().zip(row.iter()) {
            check_fit(column.width, column.class, cell);
            svg.lines(x + 4.0, y + 16.0, Anchor::Start, column.class, cell);
            x += column.width;
        }
        y += h;
    }
    svg.line(MARGIN, y, width - MARGIN, y, "line");
    y += 4.0;
    for note in notes {
        y += LINE_HEIGHT;
        svg.text(MARGIN, y, Anchor::Start, "note", note);
    }
    svg.set_height(y + MARGIN);
    svg
}

/// One cell of a [`Sequence`]: what one lane does in one row.
#[derive(Debug)]
pub struct Cell<'a> {
    /// The lane it happens in.
    pub lane: usize,
    /// What happens, one line each.
    pub lines: &'a [&'a str],
    /// The box's style, or empty for plain text.
    pub class: &'a str,
}

/// An arrow between two cells, given as (row, lane) each.
#[derive(Debug)]
pub struct Message {
    /// The cell it leaves.
    pub from: (usize, usize),
    /// The cell it reaches.
    pub to: (usize, usize),
    /// `arrow`, `grey-arrow` or `bad-arrow`.
    pub class: &'static str,
}

/// Lanes side by side (threads, or tasks), time going down: each row is a
/// moment, with what each lane does then, and arrows between the cells.
#[derive(Debug)]
pub struct Sequence<'a> {
    /// The canvas width: [`WIDTH`], or less for a diagram with short lines,
    /// which a phone then shrinks less.
    pub width: f64,
    /// The lanes' names.
    pub lanes: &'a [&'a str],
    /// The labels of the rows in a narrow left column (ticks), or empty.
    pub gutter: &'a str,
    /// The rows: a gutter label and the cells.
    pub rows: Vec<(&'a str, Vec<Cell<'a>>)>,
    /// The arrows.
    pub messages: Vec<Message>,
    /// Lines under everything.
    pub notes: &'a [&'a str],
}

const GUTTER_WIDTH: f64 = 34.0;
/// The space between two lanes: room for the arrows between them.
fn lane_gap(lanes: usize) -> f64 {
    if lanes <= 2 { 32.0 } else { 12.0 }
}

impl Sequence<'_> {
    fn lane_box(&self, lane: usize) -> (f64, f64) {
        let left =
            if self.gutter.is_empty() { MARGIN } else { MARGIN + GUTTER_WIDTH };
        let gap = lane_gap(self.lanes.len());
        let n = self.lanes.len() as f64;
        let w = (self.width - MARGIN - left - gap * (n - 1.0)) / n;
        (left + lane as f64 * (w + gap), w)
    }

    /// Draws the diagram.
    pub fn draw(&self) -> Svg {
        let mut svg = Svg::new(self.width, 0.0);
        let mut y = MARGIN + 14.0;
        if !self.gutter.is_empty() {
            svg.text(MARGIN, y, Anchor::Start, "bold", self.gutter);
        }
        for (lane, name) in self.lanes.iter().enumerate() {
            let (x, w) = self.lane_box(lane);
            svg.text(x + w / 2.0, y, Anchor::Middle, "bold", name);
        }
        y += 10.0;
        let top = y;
        // Lay the rows out first: the lifelines go behind the cells.
        let mut placed = Vec::new(); // (row, lane) -> (x, y, w, h)
        let mut row_tops = Vec::new();
        for (row, (_, cells)) in self.rows.iter().enumerate() {
            row_tops.push(y);
            let mut h: f64 = 0.0;
            for cell in cells {
                let (x, w) = self.lane_box(cell.lane);
                let ch = box_height(cell.lines.len());
                placed.push(((row, cell.lane), (x, y, w, ch)));
                h = h.max(ch);
            }
            y += h + 12.0;
        }
        for lane in 0..self.lanes.len() {
            let (x, w) = self.lane_box(lane);
            svg.line(x + w / 2.0, top, x + w / 2.0, y, "lane");
        }
        for (i, (label, cells)) in self.rows.iter().enumerate() {
            let row_top = row_tops[i];
            if !label.is_empty() {
                svg.text(MARGIN, row_top + 17.0, Anchor::Start, "", label);
            }
            for cell in cells {
                let &(_, (x, cy, w, h)) = placed
                    .iter()
                    .find(|(at, _)| *at == (i, cell.lane))
                    .expect("placed above");
                check_fit(w, "", cell.lines);
                if !cell.class.is_empty() {
                    svg.rect(x, cy, w, h, cell.class);
                }
                svg.lines(
                    x + PAD,
                    cy + PAD + 9.0,
                    Anchor::Start,
                    "",
                    cell.lines,
                );
            }
        }
        for message in &self.messages {
            let find = |at: (usize, usize)| {
                placed
                    .iter()
                    .find(|(key, _)| *key == at)
                    .map(|&(_, rect)| rect)
                    .expect("a message joins two cells")
            };
            let (fx, fy, fw, fh) = find(message.from);
            let (tx, ty, tw, th) = find(message.to);
            let (x1, x2) = if tx > fx { (fx + fw, tx) } else { (fx, tx + tw) };
            svg.line(x1, fy + fh / 2.0, x2, ty + th / 2.0, message.class);
        }
        y += 2.0;
        for note in self.notes {
            y += LINE_HEIGHT;
            svg.text(MARGIN, y, Anchor::Start, "note", note);
        }
        svg.set_height(y + MARGIN);
        svg
    }
}
