//! A small SVG writer: the few shapes the book's figures need, one shared
//! style sheet, and numbers printed the same way on every run, so a figure
//! regenerated from the same input is the same file byte for byte.

use std::fmt::Write;

/// The style every figure shares: one font, a few colours, readable on the
/// book's light theme and, on its white card, on the dark themes too.
const STYLE: &str = "\
text{font-family:'Open Sans',Helvetica,Arial,sans-serif;font-size:13px;fill:#1f2328}\
.small{font-size:11px;fill:#57606a}\
.title{font-size:14px;font-weight:600}\
.mono{font-family:'Source Code Pro',Consolas,monospace;font-size:12px}\
.note{font-size:12px;fill:#57606a}\
.bold{font-weight:600}\
.box{fill:#f6f8fa;stroke:#57606a;stroke-width:1.2}\
.accent{fill:#ddf4ff;stroke:#0969da;stroke-width:1.2}\
.warm{fill:#fff8c5;stroke:#9a6700;stroke-width:1.2}\
.bad{fill:#ffebe9;stroke:#cf222e;stroke-width:1.2}\
.good{fill:#dafbe1;stroke:#1a7f37;stroke-width:1.2}\
.line{stroke:#57606a;stroke-width:1.2;fill:none}\
.faint{stroke:#d0d7de;stroke-width:1;fill:none}\
.dashed{stroke:#57606a;stroke-width:1.2;fill:none;stroke-dasharray:4 3}\
.arrow{stroke:#0969da;stroke-width:1.5;fill:none;marker-end:url(#head)}\
.grey-arrow{stroke:#57606a;stroke-width:1.2;fill:none;marker-end:url(#grey-head)}\
.bad-arrow{stroke:#cf222e;stroke-width:1.5;fill:none;stroke-dasharray:5 3;marker-end:url(#bad-head)}\
.plot{stroke:#0969da;stroke-width:2;fill:none}\
.frame{fill:none;stroke:#57606a;stroke-width:1.5}\
.stripe{fill:#f6f8fa;stroke:none}\
.bad-line{stroke:#cf222e;stroke-width:2;fill:none}\
.lane{stroke:#8c959f;stroke-width:1;fill:none;stroke-dasharray:2 3}";

/// A figure being drawn: a fixed-size canvas (in CSS pixels) that scales to
/// the page's width. Keep figures at most 480 wide, with text at 12 px or
/// more (every class but `small`), so they stay readable when a phone shrinks
/// them to a 350 px column.
#[derive(Debug)]
pub struct Svg {
    width: f64,
    height: f64,
    body: String,
    /// Texts that, by [`text_width`]'s estimate, leave the canvas.
    overflowing: Vec<String>,
}

/// The distance between the baselines of two lines of [`Svg::lines`].
pub const LINE_HEIGHT: f64 = 16.0;

/// About how wide `text` is drawn in `class`, in CSS pixels, from rough
/// glyph widths of Open Sans (narrow `i`, `l`, punctuation and spaces; wide
/// `m`, `w` and capitals) and of a monospace font (0.6 em). An estimate (the
/// reader's browser picks the font), on the generous side, good enough to
/// lay boxes out and to catch a text that runs off the canvas.
pub fn text_width(class: &str, text: &str) -> f64 {
    let classes: Vec<&str> = class.split_whitespace().collect();
    let size = if classes.contains(&"title") {
        14.0
    } else if classes.contains(&"small") {
        11.0
    } else if classes.contains(&"note") || classes.contains(&"mono") {
        12.0
    } else {
        13.0
    };
    if classes.contains(&"mono") {
        return text.chars().count() as f64 * 0.6 * size;
    }
    let bold = classes.contains(&"bold") || classes.contains(&"title");
    let ems: f64 = text.chars().map(glyph_width).sum();
    ems * size * if bold { 1.07 } else { 1.0 }
}

/// One glyph's rough width in Open Sans, in ems.
fn glyph_width(c: char) -> f64 {
    match c {
        'i' | 'l' | 'j' | '\'' | '|' | '.' | ',' | ':' | ';' | '!' => 0.27,
        ' ' | 'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '{' | '}' | '-' => 0.36,
        'm' | 'w' | 'M' | 'W' | '@' => 0.86,
        '_' | '=' | '<' | '>' | '+' | '~' | '&' => 0.6,
        c if c.is_ascii_uppercase() => 0.66,
        c if c.is_ascii_digit() => 0.57,
        _ => 0.57,
    }
}

/// How a text's `x` anchors it.
#[derive(Clone, Copy, Debug)]
pub enum Anchor {
    /// `x` is the text's left edge.
    Start,
    /// `x` is the text's centre.
    Middle,
    /// `x` is the text's right edge.
    End,
}

impl Anchor {
    fn name(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// A number as SVG wants it: at most one decimal, no trailing `.0`.
fn num(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded:.1}")
    }
}

/// `text` with its leading spaces made no-break spaces, which SVG keeps:
/// an indented line stays indented.
fn keep_indent(text: &str) -> String {
    let body = text.trim_start_matches(' ');
    let indent = text.len() - body.len();
    format!("{}{body}", "\u{a0}".repeat(indent))
}

/// Escapes text for use inside an SVG element or attribute.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl Svg {
    /// An empty canvas `width` by `height` CSS pixels.
    pub fn new(width: f64, height: f64) -> Svg {
        Svg { width, height, body: String::new(), overflowing: Vec::new() }
    }

    /// The canvas width.
    pub fn width(&self) -> f64 {
        self.width
    }

    /// The canvas height.
    pub fn height(&self) -> f64 {
        self.height
    }

    /// Changes the canvas height, for figures that grow as they are drawn.
    pub fn set_height(&mut self, height: f64) {
        self.height = height;
    }

    /// A rectangle with rounded corners, styled by `class` (`box`, `accent`,
    /// `warm`, `bad`, `good`; `frame`: an outline around other shapes; `stripe`:
    /// a table row's background).
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, class: &str) {
        let _ = writeln!(
            self.body,
            r#"<rect x="{}" y="{}" width="{}" height="{}" rx="4" class="{class}"/>"#,
            num(x),
            num(y),
            num(w),
            num(h)
        );
    }

    /// A rectangle with `label` centred in it.
    pub fn labelled_rect(
        &mut self,
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        class: &str,
        label: &str,
    ) {
        self.rect(x, y, w, h, class);
        self.text(x + w / 2.0, y + h / 2.0 + 4.5, Anchor::Middle, "", label);
    }

    /// One line of text; `class` may be empty, or any of `small`, `title`,
    /// `mono`, `note` (grey, 12 px), `bold`, separated by spaces.
    pub fn text(
        &mut self,
        x: f64,
        y: f64,
        anchor: Anchor,
        class: &str,
        text: &str,
    ) {
        let width = text_width(class, text);
        let left = match anchor {
            Anchor::Start => x,
            Anchor::Middle => x - width / 2.0,
            Anchor::End => x - width,
        };
        if left < 0.0 || left + width > self.width {
            self.overflowing.push(text.to_string());
        }
        let class = if class.is_empty() {
            String::new()
        } else {
            format!(r#" class="{class}""#)
        };
        let _ = writeln!(
            self.body,
            r#"<text x="{}" y="{}" text-anchor="{}"{class}>{}</text>"#,
            num(x),
            num(y),
            anchor.name(),
            escape(&keep_indent(text))
        );
    }

    /// Lines of text, one below the other, the first with its baseline at
    /// `y`, [`LINE_HEIGHT`] apart.
    pub fn lines(
        &mut self,
        x: f64,
        y: f64,
        anchor: Anchor,
        class: &str,
        lines: &[&str],
    ) {
        for (i, line) in lines.iter().enumerate() {
            self.text(x, y + i as f64 * LINE_HEIGHT, anchor, class, line);
        }
    }

    /// The texts drawn so far that, by [`text_width`]'s estimate, run off
    /// the canvas: a figure's tests want none.
    pub fn overflowing(&self) -> &[String] {
        &self.overflowing
    }

    /// A curve from `from` to `to`, bent towards `control` (a quadratic
    /// Bézier), styled by `class` as for [`Svg::line`].
    pub fn curve(
        &mut self,
        from: (f64, f64),
        control: (f64, f64),
        to: (f64, f64),
        class: &str,
    ) {
        let _ = writeln!(
            self.body,
            r#"<path d="M{},{} Q{},{} {},{}" class="{class}"/>"#,
            num(from.0),
            num(from.1),
            num(control.0),
            num(control.1),
            num(to.0),
            num(to.1)
        );
    }

    /// A straight line, styled by `class` (`line`, `faint`, `dashed`,
    /// `lane`, `bad-line`, `plot` (a chart's data), `arrow`, `grey-arrow`, `bad-arrow`; the last three end in an
    /// arrowhead).
    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, class: &str) {
        let _ = writeln!(
            self.body,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" class="{class}"/>"#,
            num(x1),
            num(y1),
            num(x2),
            num(y2)
        );
    }

    /// An arrow from one point to another, with its head at the second.
    pub fn arrow(&mut self, x1: f64, y1: f64, x2: f64, y2: f64) {
        self.line(x1, y1, x2, y2, "arrow");
    }

    /// A path through `points`, styled by `class` as for [`Svg::line`].
    pub fn polyline(&mut self, points: &[(f64, f64)], class: &str) {
        let points: Vec<String> = points
            .iter()
            .map(|&(x, y)| format!("{},{}", num(x), num(y)))
            .collect();
        let _ = writeln!(
            self.body,
            r#"<polyline points="{}" class="{class}"/>"#,
            points.join(" ")
        );
    }

    /// A circle, styled by `class` as for [`Svg::rect`].
    pub fn circle(&mut self, cx: f64, cy: f64, r: f64, class: &str) {
        let _ = writeln!(
            self.body,
            r#"<circle cx="{}" cy="{}" r="{}" class="{class}"/>"#,
            num(cx),
            num(cy),
            num(r)
        );
    }

    /// The finished document. `title` is the figure's accessible name (a
    /// screen reader reads it; the page's `alt` text says the same).
    pub fn finish(self, title: &str) -> String {
        let (w, h) = (num(self.width), num(self.height));
        format!(
            concat!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" "#,
                r#"width="{w}" height="{h}" role="img">"#,
                "\n<title>{title}</title>\n<style>{style}</style>\n",
                "<defs>",
                r#"<marker id="head" viewBox="0 0 10 10" refX="9" refY="5" "#,
                r#"markerWidth="7" markerHeight="7" orient="auto">"#,
                r##"<path d="M0,0 L10,5 L0,10 z" fill="#0969da"/></marker>"##,
                r#"<marker id="grey-head" viewBox="0 0 10 10" refX="9" refY="5" "#,
                r#"markerWidth="7" markerHeight="7" orient="auto">"#,
                r##"<path d="M0,0 L10,5 L0,10 z" fill="#57606a"/></marker>"##,
                r#"<marker id="bad-head" viewBox="0 0 10 10" refX="9" refY="5" "#,
                r#"markerWidth="7" markerHeight="7" orient="auto">"#,
                r##"<path d="M0,0 L10,5 L0,10 z" fill="#cf222e"/></marker>"##,
                "</defs>\n",
                r#"<rect width="100%" height="100%" fill="white"/>"#,
                "\n{body}</svg>\n"
            ),
            w = w,
            h = h,
            title = escape(title),
            style = STYLE,
            body = self.body
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_without_noise() {
        assert_eq!(num(3.0), "3");
        assert_eq!(num(2.25), "2.3");
        assert_eq!(num(-0.04), "0");
    }

    #[test]
    fn text_is_escaped() {
        let mut svg = Svg::new(10.0, 10.0);
        svg.text(0.0, 0.0, Anchor::Start, "", "Result<(), Error> & more");
        let out = svg.finish("a <b>");
        assert!(out.contains("Result&lt;(), Error&gt; &amp; more"));
        assert!(out.contains("<title>a &lt;b&gt;</title>"));
    }
}
