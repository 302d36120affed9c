//! Chapter 11's subprocesses: the pipes between the loop and a child, and
//! how the loop learns that the child has exited.
//!
//! - `subprocess-pipes` (`subprocess_transport.rs`, `pipe.rs`,
//!   `exit_watch.rs`): on the left, the aio process: the poller, the
//!   `SubprocessTransport` with its three pipe transports, and the exit
//!   watcher's task with the child's pidfd, each end registered with the
//!   poller; on the right, the child, whose fds 0, 1 and 2 are the pipes'
//!   other ends. Underneath, the fallback that wakes the watcher without a
//!   pidfd: a waiter thread.
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

/// Where the columns of `subprocess-pipes` are: the poller, our ends in
/// their frames, the links, the child's ends in its frame.
struct Columns {
    poller_w: f64,
    frame_x: f64,
    ours_x: f64,
    ours_w: f64,
    child_frame_x: f64,
    theirs_x: f64,
    theirs_w: f64,
}

/// The inner padding of the frames.
const FRAME_PAD: f64 = 8.0;
/// Where a frame's rows start, below its top: its title goes above.
const FRAME_TITLE: f64 = 30.0;
/// The height of a row's boxes, and the space between two rows.
const ROW_H: f64 = 60.0;
const ROW_GAP: f64 = 10.0;

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

    /// A frame around our ends, from `top` to `bottom`, titled.
    fn our_frame(&self, svg: &mut Svg, top: f64, bottom: f64, title: &str) {
        let w = self.ours_w + 2.0 * FRAME_PAD;
        svg.rect(self.frame_x, top, w, bottom - top, "frame");
        svg.text(self.ours_x, top + 19.0, Anchor::Start, "bold", title);
    }
}

/// The figure `subprocess-pipes`.
pub fn pipes() -> Figure {
    let pipes = [
        Row {
            ours: (
                "stdin: PipeWriter",
                &["write pipe transport", "non-blocking"],
            ),
            theirs: ("fd 0: stdin", &["blocking:", "read() waits"]),
            link: Link::ToChild,
        },
        Row {
            ours: (
                "stdout: PipeReader",
                &["read pipe transport", "non-blocking"],
            ),
            theirs: ("fd 1: stdout", &["blocking:", "write() waits"]),
            link: Link::FromChild,
        },
        Row {
            ours: (
                "stderr: PipeReader",
                &["read pipe transport", "non-blocking"],
            ),
            theirs: ("fd 2: stderr", &["blocking:", "write() waits"]),
            link: Link::FromChild,
        },
    ];
    let exit = Row {
        ours: ("pidfd", &["pidfd_open(pid)", "readable at exit"]),
        theirs: ("exit", &["exit(status),", "or a signal"]),
        link: Link::Exit,
    };
    let mut svg = Svg::new(WIDTH, 0.0);
    let at = Columns::new();
    let y = MARGIN + 14.0;
    svg.text(MARGIN, y, Anchor::Start, "title", "aio process");
    svg.text(at.child_frame_x, y, Anchor::Start, "title", "child process");
    let top = y + 12.0;

    // The transport's frame: a pipe transport per row.
    let rows_top = top + FRAME_TITLE;
    for (i, row) in pipes.iter().enumerate() {
        draw_row(&mut svg, &at, rows_top + i as f64 * (ROW_H + ROW_GAP), row);
    }
    let count = pipes.len() as f64;
    let transport_bottom =
        rows_top + count * (ROW_H + ROW_GAP) - ROW_GAP + FRAME_PAD;
    at.our_frame(&mut svg, top, transport_bottom, "SubprocessTransport");

    // The exit watcher's frame: the pidfd, then what the task does.
    let watcher_top = transport_bottom + 12.0;
    let exit_y = watcher_top + FRAME_TITLE;
    draw_row(&mut svg, &at, exit_y, &exit);
    let woken = [
        "woken: waitpid(pid)",
        "reaps the child; its",
        "returncode goes to",
        "the transport",
    ];
    check_fit(at.ours_w, "", &woken);
    let woken_y = exit_y + ROW_H + 18.0;
    svg.lines(at.ours_x, woken_y, Anchor::Start, "", &woken);
    let bottom = woken_y + (woken.len() - 1) as f64 * LINE_HEIGHT + 10.0;
    at.our_frame(&mut svg, watcher_top, bottom, "exit watcher");
    let tag_x = at.ours_x + at.ours_w;
    svg.text(tag_x, watcher_top + 19.0, Anchor::End, "note", "a task");

    // The child's frame, as tall as ours; the poller beside ours.
    let child_frame_w = at.theirs_w + 2.0 * FRAME_PAD;
    svg.rect(at.child_frame_x, top, child_frame_w, bottom - top, "frame");
    svg.text(at.theirs_x, top + 19.0, Anchor::Start, "bold", "fork + exec");
    draw_poller(&mut svg, &at, top, bottom);
    // The poller wakes the watcher, whose first line says so.
    let poller_edge = MARGIN + at.poller_w;
    let wake_y = woken_y - 4.5;
    svg.arrow(poller_edge, wake_y, at.frame_x - 2.0, wake_y);

    let below = draw_fallback(&mut svg, &at, bottom, exit_y + ROW_H);
    let notes = [
        "dashed: registered with the poller. O_NONBLOCK is on our",
        "ends only: the child reads and writes as programs expect.",
        "grey: the fallback, where pidfd_open fails (Linux before",
        "5.3) or AIO_CHILD_WATCHER=thread asks for it.",
    ];
    let y = below + 6.0;
    svg.lines(MARGIN, y + LINE_HEIGHT, Anchor::Start, "note", &notes);
    svg.set_height(y + notes.len() as f64 * LINE_HEIGHT + MARGIN);
    super::figure(
        "subprocess-pipes",
        "The pipes and the reactor: in the aio process, the poller; the \
         SubprocessTransport, whose stdin write pipe transport and stdout \
         and stderr read pipe transports are registered with the poller; \
         and the exit watcher task, whose pidfd is registered too. In the \
         child, fds 0, 1 and 2, the pipes' blocking other ends. The \
         child's exit makes the pidfd readable, the poller wakes the exit \
         watcher, and waitpid reaps the child; without a pidfd, a waiter \
         thread blocked in waitid wakes the watcher instead",
        svg,
    )
}

/// One row, its boxes `y` from the top: our end, the child's, the link
/// between them, labelled above its middle, and our end's registration
/// with the poller: a pipe's dashed, the pidfd's an arrow, for its
/// readiness is what wakes the exit watcher.
fn draw_row(svg: &mut Svg, at: &Columns, y: f64, row: &Row<'_>) {
    let ((ours, our_lines), (theirs, their_lines)) = (row.ours, row.theirs);
    let class = if row.link == Link::Exit { "warm" } else { "accent" };
    let (ours_x, ours_w) = (at.ours_x, at.ours_w);
    titled_box(svg, ours_x, y, ours_w, class, ours, "", our_lines);
    let (theirs_x, theirs_w) = (at.theirs_x, at.theirs_w);
    titled_box(svg, theirs_x, y, theirs_w, "box", theirs, "", their_lines);
    let middle = y + ROW_H / 2.0;
    let (near, far) = (ours_x + ours_w, theirs_x);
    if row.link == Link::ToChild {
        svg.arrow(near, middle, far - 2.0, middle);
    } else {
        svg.arrow(far, middle, near + 2.0, middle);
    }
    let label = if row.link == Link::Exit { "exits" } else { "pipe" };
    let centre = (near + far) / 2.0;
    svg.text(centre, middle - 6.0, Anchor::Middle, "note", label);
    let poller_edge = MARGIN + at.poller_w;
    if row.link == Link::Exit {
        svg.arrow(ours_x, middle, poller_edge + 2.0, middle);
    } else {
        svg.line(poller_edge, middle, ours_x, middle, "dashed");
    }
}

/// The poller, from `top` to `bottom`, beside our ends.
fn draw_poller(svg: &mut Svg, at: &Columns, top: f64, bottom: f64) {
    let lines = [
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
    let (x, w) = (MARGIN, at.poller_w);
    check_fit(w, "", &lines);
    svg.rect(x, top, w, bottom - top, "box");
    let title_y = top + 19.0;
    svg.text(x + 8.0, title_y, Anchor::Start, "bold", "poller");
    svg.lines(x + 8.0, title_y + LINE_HEIGHT, Anchor::Start, "", &lines);
}

/// Under the frames (whose bottom is `bottom`), the fallback, in grey: the
/// child's exit (its box's bottom at `exit_bottom`) ends a thread's waitid,
/// and the thread wakes the exit watcher. Returns the fallback's bottom.
fn draw_fallback(
    svg: &mut Svg,
    at: &Columns,
    bottom: f64,
    exit_bottom: f64,
) -> f64 {
    let y = bottom + 30.0;
    let h = titled_box(
        svg,
        MARGIN,
        y,
        WIDTH - 2.0 * MARGIN,
        "warm",
        "waiter thread",
        "the fallback, without a pidfd",
        &[
            "one per child: waitid(WNOWAIT) blocks until the exit,",
            "leaving the child to the watcher to reap, then wakes",
            "the watcher (its waker: the loop's remote queue)",
        ],
    );
    let exit_x = at.theirs_x + at.theirs_w / 2.0;
    svg.line(exit_x, exit_bottom, exit_x, y - 2.0, "grey-arrow");
    let watcher_x = at.ours_x + at.ours_w / 2.0;
    svg.line(watcher_x, y, watcher_x, bottom + 2.0, "grey-arrow");
    svg.text(watcher_x + 6.0, y - 10.0, Anchor::Start, "note", "wakes");
    y + h
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
                "still to reap: aio's",
                "watcher is a task,",
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
         child; it needs Linux 5.3, and a dropped child must still be \
         reaped (aio's watcher is a task of its own, tokio keeps an orphan \
         queue). A waiter thread: a thread per \
         child blocks in waitpid and wakes the loop through the remote \
         queue; each thread costs a stack",
        svg,
    )
}
