//! Chapter 11's subprocesses: the pipes between the loop and a child, and
//! how the loop learns that the child has exited.
//!
//! - `subprocess-pipes`: on the left, the aio process: the poller, and the
//!   `SubprocessTransport` with its three pipe transports and its pidfd,
//!   each registered with the poller; on the right, the child, whose fds 0,
//!   1 and 2 are the pipes' other ends. Underneath, the exit watcher that
//!   reaps the child, and the fallback that wakes it without a pidfd: a
//!   waiter thread.
//! - `child-exit-three-ways`: a SIGCHLD handler, a pidfd, a waiter thread:
//!   who waits for the exit, what wakes the loop, what goes wrong.

use super::layout::{MARGIN, WIDTH, box_height, check_fit, titled_box};
use crate::Figure;
use crate::svg::{Anchor, LINE_HEIGHT, Svg, text_width};

/// What links one of our ends to the child's: a pipe, either way, or the
/// exit.
#[derive(Clone, Copy, PartialEq)]
enum Link {
    /// A pipe we write into (the child's stdin).
    ToChild,
    /// A pipe we read from (its stdout, its stderr).
    FromChild,
    /// The child's exit, which makes our pidfd readable.
    Exit,
}

/// One row of the figure `subprocess-pipes`: our end (a title and lines),
/// the child's, and what links them.
struct Row<'a> {
    ours: (&'a str, &'a [&'a str]),
    theirs: (&'a str, &'a [&'a str]),
    link: Link,
}

/// Where the columns of `subprocess-pipes` are: the poller, our ends in the
/// transport's frame, the pipes, the child's ends in its frame.
struct Columns {
    poller_w: f64,
    frame_x: f64,
    ours_x: f64,
    ours_w: f64,
    child_frame_x: f64,
    theirs_x: f64,
    theirs_w: f64,
}

/// The inner padding of the two frames.
const FRAME_PAD: f64 = 8.0;

impl Columns {
    fn new() -> Columns {
        let poller_w = 100.0;
        let frame_x = MARGIN + poller_w + 14.0;
        let ours_w = 144.0;
        let child_frame_x = frame_x + ours_w + 2.0 * FRAME_PAD + 50.0;
        let theirs_x = child_frame_x + FRAME_PAD;
        Columns {
            poller_w,
            frame_x,
            ours_x: frame_x + FRAME_PAD,
            ours_w,
            child_frame_x,
            theirs_x,
            theirs_w: WIDTH - MARGIN - FRAME_PAD - theirs_x,
        }
    }
}

/// The figure `subprocess-pipes`.
pub fn pipes() -> Figure {
    let rows = [
        Row {
            ours: ("stdin", &["write pipe transport", "non-blocking"]),
            theirs: ("fd 0: stdin", &["blocking:", "read() waits"]),
            link: Link::ToChild,
        },
        Row {
            ours: ("stdout", &["read pipe transport", "non-blocking"]),
            theirs: ("fd 1: stdout", &["blocking:", "write() waits"]),
            link: Link::FromChild,
        },
        Row {
            ours: ("stderr", &["read pipe transport", "non-blocking"]),
            theirs: ("fd 2: stderr", &["blocking:", "write() waits"]),
            link: Link::FromChild,
        },
        Row {
            ours: ("pidfd", &["pidfd_open(pid)", "readable at exit"]),
            theirs: ("exit", &["exit(status),", "or a signal"]),
            link: Link::Exit,
        },
    ];
    let mut svg = Svg::new(WIDTH, 0.0);
    let at = Columns::new();
    let y = MARGIN + 14.0;
    svg.text(MARGIN, y, Anchor::Start, "title", "aio process");
    svg.text(at.child_frame_x, y, Anchor::Start, "title", "child process");
    let top = y + 12.0;
    let bottom = draw_ends(&mut svg, &at, top, &rows);
    let below = draw_exit_watchers(&mut svg, &at, bottom);
    let notes = [
        "dashed: registered with the poller. O_NONBLOCK is on our",
        "ends only: the child reads and writes as programs expect.",
        "grey: without a pidfd (before Linux 5.3, or with",
        "AIO_CHILD_WATCHER=thread) a thread waits for the exit.",
    ];
    let y = below + 6.0;
    svg.lines(MARGIN, y + LINE_HEIGHT, Anchor::Start, "note", &notes);
    svg.set_height(y + notes.len() as f64 * LINE_HEIGHT + MARGIN);
    super::figure(
        "subprocess-pipes",
        "The pipes and the reactor: in the aio process, the poller and the \
         SubprocessTransport, whose stdin write pipe transport, stdout and \
         stderr read pipe transports and pidfd are registered with it; in \
         the child, fds 0, 1 and 2, the pipes' blocking other ends. The \
         child's exit makes the pidfd readable, the poller wakes the exit \
         watcher, which reaps the child with waitpid; without a pidfd, a \
         waiter thread blocked in waitid wakes the loop instead",
        svg,
    )
}

/// The poller, the transport's frame with our ends, the child's frame with
/// its ends, one row per link, from `top`. Returns the frames' bottom.
fn draw_ends(svg: &mut Svg, at: &Columns, top: f64, rows: &[Row<'_>]) -> f64 {
    let (title_y, rows_top) = (top + 19.0, top + 30.0);
    let transport = "SubprocessTransport";
    svg.text(at.ours_x, title_y, Anchor::Start, "bold", transport);
    svg.text(at.theirs_x, title_y, Anchor::Start, "bold", "fork + exec");
    let row_h = box_height(3);
    let row_gap = 10.0;
    let poller_edge = MARGIN + at.poller_w;
    for (i, row) in rows.iter().enumerate() {
        let y = rows_top + i as f64 * (row_h + row_gap);
        let ((ours, our_lines), (theirs, their_lines)) = (row.ours, row.theirs);
        let class = if row.link == Link::Exit { "warm" } else { "accent" };
        let (ours_x, ours_w) = (at.ours_x, at.ours_w);
        titled_box(svg, ours_x, y, ours_w, class, ours, "", our_lines);
        let (theirs_x, theirs_w) = (at.theirs_x, at.theirs_w);
        titled_box(svg, theirs_x, y, theirs_w, "box", theirs, "", their_lines);
        // The link, labelled above its middle.
        let middle = y + row_h / 2.0;
        let (near, far) = (ours_x + ours_w, theirs_x);
        let label = match row.link {
            Link::ToChild => {
                svg.arrow(near, middle, far - 2.0, middle);
                "pipe"
            }
            Link::FromChild => {
                svg.arrow(far, middle, near + 2.0, middle);
                "pipe"
            }
            Link::Exit => {
                svg.arrow(far, middle, near + 2.0, middle);
                "exits"
            }
        };
        let centre = (near + far) / 2.0;
        svg.text(centre, middle - 6.0, Anchor::Middle, "note", label);
        // Registered with the poller: a pipe's end, dashed; the pidfd, an
        // arrow, for its readiness is what wakes the exit watcher.
        if row.link == Link::Exit {
            svg.arrow(ours_x, middle, poller_edge + 2.0, middle);
        } else {
            svg.line(poller_edge, middle, ours_x, middle, "dashed");
        }
    }
    let count = rows.len() as f64;
    let bottom = rows_top + count * (row_h + row_gap) - row_gap + FRAME_PAD;
    let frame_w = at.ours_w + 2.0 * FRAME_PAD;
    svg.rect(at.frame_x, top, frame_w, bottom - top, "frame");
    let child_frame_w = at.theirs_w + 2.0 * FRAME_PAD;
    svg.rect(at.child_frame_x, top, child_frame_w, bottom - top, "frame");
    let poller_lines = [
        "the loop's",
        "mio::Poll",
        "on epoll",
        "",
        "sleeps until",
        "a registered",
        "fd is ready;",
        "",
        "the reactor",
        "then wakes",
        "the task that",
        "waits on it",
    ];
    let (x, w, h) = (MARGIN, at.poller_w, bottom - top);
    check_fit(w, "", &poller_lines);
    svg.rect(x, top, w, h, "box");
    svg.text(x + 8.0, title_y, Anchor::Start, "bold", "poller");
    let first = title_y + LINE_HEIGHT;
    svg.lines(x + 8.0, first, Anchor::Start, "", &poller_lines);
    bottom
}

/// Under the frames (whose bottom is `bottom`): the exit watcher, woken by
/// the poller when the pidfd turns readable, and the waiter thread that
/// wakes it instead when there is no pidfd. Returns the boxes' bottom.
fn draw_exit_watchers(svg: &mut Svg, at: &Columns, bottom: f64) -> f64 {
    let y = bottom + 30.0;
    let half = (WIDTH - 2.0 * MARGIN - 20.0) / 2.0;
    let watcher = titled_box(
        svg,
        MARGIN,
        y,
        half,
        "good",
        "exit watcher",
        "a task",
        &["woken: waitpid(pid)", "reaps the child and", "sets the returncode"],
    );
    let waiter_x = MARGIN + half + 20.0;
    let waiter = titled_box(
        svg,
        waiter_x,
        y,
        half,
        "warm",
        "waiter thread",
        "fallback",
        &[
            "ours, one per child:",
            "waitid(WNOWAIT) blocks",
            "until the exit, then",
            "wakes the loop",
        ],
    );
    let poller_x = MARGIN + at.poller_w / 2.0;
    svg.arrow(poller_x, bottom, poller_x, y - 2.0);
    svg.text(poller_x + 6.0, y - 10.0, Anchor::Start, "note", "wakes");
    // The fallback's path, in grey: the exit ends the thread's waitid,
    // and the thread wakes the watcher.
    let exit_x = at.theirs_x + at.theirs_w / 2.0;
    svg.line(exit_x, bottom - FRAME_PAD, exit_x, y - 2.0, "grey-arrow");
    let middle = y + watcher.min(waiter) / 2.0;
    svg.line(waiter_x, middle, MARGIN + half + 2.0, middle, "grey-arrow");
    y + watcher.max(waiter)
}

/// One way of learning of a child's exit: a row of the figure
/// `child-exit-three-ways`.
struct Way<'a> {
    name: &'a str,
    /// Who uses it, after the name.
    users: &'a str,
    waits: &'a [&'a str],
    wakes: &'a [&'a str],
    goes_wrong: &'a [&'a str],
}

/// The figure `child-exit-three-ways`.
pub fn exit_three_ways() -> Figure {
    let ways = [
        Way {
            name: "SIGCHLD handler",
            users: "asyncio's old watchers, deprecated in 3.12",
            waits: &["nobody: the kernel", "signals the process"],
            wakes: &[
                "the handler writes",
                "to a self-pipe; the",
                "loop calls waitpid",
            ],
            goes_wrong: &[
                "one handler for the",
                "whole process; any",
                "other waitpid(-1)",
                "races for the status",
            ],
        },
        Way {
            name: "pidfd",
            users: "aio's default; asyncio's since 3.12; tokio's on Linux",
            waits: &["the poller: a pidfd", "per child, in epoll"],
            wakes: &["the pidfd turns", "readable; a task", "reaps the child"],
            goes_wrong: &[
                "needs Linux 5.3;",
                "a dropped child is",
                "reaped by nobody:",
                "tokio keeps an",
                "orphan queue",
            ],
        },
        Way {
            name: "waiter thread",
            users: "asyncio's ThreadedChildWatcher; aio's fallback",
            waits: &[
                "a thread per child,",
                "blocked in waitpid",
                "(aio: waitid with",
                "WNOWAIT)",
            ],
            wakes: &[
                "the remote queue",
                "and the poller's",
                "waker (an eventfd)",
            ],
            goes_wrong: &[
                "a thread, and its",
                "stack, per child:",
                "many children,",
                "many threads",
            ],
        },
    ];
    let mut svg = Svg::new(WIDTH, 0.0);
    let gap = 8.0;
    let w = (WIDTH - 2.0 * MARGIN - 2.0 * gap) / 3.0;
    let col = |i: f64| MARGIN + i * (w + gap);
    let mut y = MARGIN + 14.0;
    let aspects = ["who waits", "what wakes the loop", "what goes wrong"];
    for (i, aspect) in aspects.iter().enumerate() {
        svg.text(col(i as f64), y, Anchor::Start, "title", aspect);
    }
    y += 8.0;
    svg.line(MARGIN, y, WIDTH - MARGIN, y, "line");
    for way in &ways {
        y += 20.0;
        svg.text(MARGIN, y, Anchor::Start, "bold", way.name);
        svg.text(WIDTH - MARGIN, y, Anchor::End, "note", way.users);
        let room = WIDTH - 2.0 * MARGIN - text_width("bold", way.name);
        check_fit(room, "note", &[way.users]);
        y += 8.0;
        let cells = [
            (way.waits, "box"),
            (way.wakes, "accent"),
            (way.goes_wrong, "bad"),
        ];
        let count = cells.iter().map(|(lines, _)| lines.len()).max();
        let h = box_height(count.unwrap_or(1));
        for (i, (lines, class)) in cells.iter().enumerate() {
            check_fit(w, "", lines);
            svg.rect(col(i as f64), y, w, h, class);
            svg.lines(col(i as f64) + 8.0, y + 17.0, Anchor::Start, "", lines);
        }
        y += h + 6.0;
    }
    svg.set_height(y + MARGIN);
    super::figure(
        "child-exit-three-ways",
        "Three ways to learn of a child's exit. A SIGCHLD handler: nobody \
         waits, the handler wakes the loop through a self-pipe, and the \
         handler is one for the whole process, racing other waitpid(-1) \
         callers. A pidfd: the poller waits on it and a task reaps the \
         child; it needs Linux 5.3, and a dropped child needs someone to \
         reap it (tokio's orphan queue). A waiter thread: a thread per \
         child blocks in waitpid and wakes the loop through the remote \
         queue; each thread costs a stack",
        svg,
    )
}
