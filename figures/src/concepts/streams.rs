//! Chapter 8's streams: the layers between a coroutine and the socket
//! (`reader.rs`, `writer.rs`, `protocol.rs`), and the path of a line from
//! the kernel to `readline().await`.

use super::layout::{MARGIN, Step, WIDTH, flow, titled_box};
use crate::Figure;
use crate::svg::{Anchor, Svg};

/// The figure `stream-layers`.
pub fn layers() -> Figure {
    let mut svg = Svg::new(WIDTH, 0.0);
    let gap = 8.0;
    let w = (WIDTH - 2.0 * MARGIN - 2.0 * gap) / 3.0;
    let col = |i: f64| MARGIN + i * (w + gap);
    let centre = |i: f64| col(i) + w / 2.0;
    let mut y = MARGIN + 12.0;
    svg.text(MARGIN, y, Anchor::Start, "note", "your coroutine");
    y += 8.0;
    let calls = ["readline()", "drain()", "write(..)"];
    let owners = ["reader.", "writer.", "writer."];
    let mut h: f64 = 0.0;
    for (i, (owner, call)) in owners.iter().zip(calls).enumerate() {
        h = h.max(titled_box(
            &mut svg,
            col(i as f64),
            y,
            w,
            "warm",
            "",
            "",
            &[owner, call],
        ));
    }
    let streams_y = y + h + 44.0;
    svg.text(
        MARGIN,
        streams_y - 10.0,
        Anchor::Start,
        "note",
        "streams (chapter 8)",
    );
    let parts: [(&str, &[&str]); 3] = [
        ("StreamReader", &["a buffer, a limit"]),
        ("FlowControl", &["paused: bool"]),
        ("StreamWriter", &["to the transport"]),
    ];
    let mut h2: f64 = 0.0;
    for (i, (name, lines)) in parts.iter().enumerate() {
        h2 = h2.max(titled_box(
            &mut svg,
            col(i as f64),
            streams_y,
            w,
            "accent",
            name,
            "",
            lines,
        ));
    }
    // Data goes up to the coroutine; drain waits on the flag; writes go down.
    let up = |i: f64| col(i) + w - 24.0; // clear of the band's label
    svg.arrow(up(0.0), streams_y, up(0.0), y + h + 2.0);
    svg.text(up(0.0) + 6.0, y + h + 18.0, Anchor::Start, "note", "wakes");
    svg.arrow(up(1.0), streams_y, up(1.0), y + h + 2.0);
    svg.text(up(1.0) + 6.0, y + h + 18.0, Anchor::Start, "note", "wakes");
    svg.arrow(centre(2.0), y + h, centre(2.0), streams_y - 2.0);
    let protocol_y = streams_y + h2 + 30.0;
    let protocol_w = 2.0 * w + gap;
    let protocol = titled_box(
        &mut svg,
        MARGIN,
        protocol_y,
        protocol_w,
        "accent",
        "StreamProtocol",
        "",
        &[
            "data_received: feed_data",
            "eof_received: feed_eof",
            "pause/resume_writing: paused",
        ],
    );
    svg.arrow(up(0.0), protocol_y, up(0.0), streams_y + h2 + 2.0);
    svg.arrow(up(1.0), protocol_y, up(1.0), streams_y + h2 + 2.0);
    let transport_y = protocol_y + protocol + 44.0;
    svg.text(
        MARGIN,
        transport_y - 10.0,
        Anchor::Start,
        "note",
        "transport (chapter 7)",
    );
    let transport = titled_box(
        &mut svg,
        MARGIN,
        transport_y,
        WIDTH - 2.0 * MARGIN,
        "box",
        "Transport, and the connection's task",
        "",
        &[
            "reads the socket, flushes the write buffer,",
            "calls the protocol's methods",
        ],
    );
    svg.arrow(
        centre(0.5),
        transport_y,
        centre(0.5),
        protocol_y + protocol + 2.0,
    );
    svg.arrow(centre(2.0), streams_y + h2, centre(2.0), transport_y - 2.0);
    svg.text(
        centre(2.0) + 6.0,
        streams_y + h2 + 20.0,
        Anchor::Start,
        "note",
        "write",
    );
    svg.set_height(transport_y + transport + MARGIN);
    super::figure(
        "stream-layers",
        "The layers of chapter 8: a coroutine calls readline, write and \
         drain; the StreamReader, FlowControl and StreamWriter sit between \
         it and the transport; the StreamProtocol feeds the reader and sets \
         the paused flag from the transport's calls",
        svg,
    )
}

/// The figure `readline-path`.
pub fn readline_path() -> Figure {
    let steps = [
        Step {
            title: "bytes land in the receive buffer",
            tag: "kernel",
            lines: &["one readable edge for the socket (epoll, kqueue)"],
            class: "box",
            arrow: "",
            back: false,
        },
        Step {
            title: "tick, step 1: Poller::poll",
            tag: "poller, reactor",
            lines: &[
                "IoState::on_ready: the readable bit is set, and",
                "the waker stored by the last WouldBlock is woken:",
                "the connection's task joins the ready queue",
            ],
            class: "box",
            arrow: "",
            back: false,
        },
        Step {
            title: "tick, step 3: the connection's task",
            tag: "Transport::drive",
            lines: &[
                "read_step: reads into a 64 KiB chunk, until",
                "WouldBlock or the budget; for each chunk:",
                "StreamProtocol::data_received(chunk)",
                "  StreamReader::feed_data: the buffer grows;",
                "  the waiting coroutine's task is woken",
                "  over 2 x limit: transport.pause_reading()",
            ],
            class: "accent",
            arrow: "",
            back: false,
        },
        Step {
            title: "next tick: the coroutine's task",
            tag: "readline",
            lines: &[
                "readuntil(b\"\\n\"): new bytes to search",
                "a newline at position i: consume(i + 1),",
                "the line leaves the buffer",
                "paused, and the buffer <= limit:",
                "  transport.resume_reading() (wakes the task)",
                ".await returns the line",
            ],
            class: "good",
            arrow: "woken in a tick, it runs in the next",
            back: false,
        },
    ];
    let svg = flow("a line, from the kernel to readline().await", &steps, &[]);
    super::figure(
        "readline-path",
        "A line from the kernel to readline: an edge wakes the connection's \
         task, which reads and feeds the StreamReader, waking the coroutine's \
         task; in the next tick readline finds the newline and returns the \
         line",
        svg,
    )
}
