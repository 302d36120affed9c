//! A read, from the kernel to the protocol (`poller.rs`, `reactor.rs`,
//! `io_steps.rs`, `transport.rs`): the edge, the poller's dispatch, the
//! source's readiness, the transport's task and its budget, the protocol.

use super::layout::{Step, flow};
use crate::Figure;

/// The figure `read-path`.
pub fn figure() -> Figure {
    let steps = [
        Step {
            title: "bytes arrive",
            tag: "kernel",
            lines: &[
                "the socket's receive buffer: empty -> not empty",
                "epoll reports one edge (EPOLLIN), once",
            ],
            class: "box",
            arrow: "",
            back: false,
        },
        Step {
            title: "tick step 1: Poller::poll",
            tag: "poller",
            lines: &[
                "Poll::poll returns a mio::Event { token, readable }",
                "not the waker's token: split it into slot, generation",
                "the generation differs: a stale event, dropped",
                "it matches: the slot's listener gets the event",
            ],
            class: "box",
            arrow: "",
            back: false,
        },
        Step {
            title: "on_event: IoState::on_ready",
            tag: "the reactor's source",
            lines: &[
                "tick += 1; the readable bit is set",
                "the reader's waker is taken, to wake",
                "borrows released, then waker.wake():",
                "the connection's task goes to the ready queue",
            ],
            class: "accent",
            arrow: "",
            back: false,
        },
        Step {
            title: "tick step 3: the task runs drive",
            tag: "the transport's task",
            lines: &[
                "a fresh ReadBudget for this poll: 16 reads",
                "read_step, while it wants to read and reads are left:",
                "  poll_io: read() into the task's 64 KiB chunk",
                "  Ok(n): one read spent, then the protocol gets it",
            ],
            class: "good",
            arrow: "",
            back: false,
        },
        Step {
            title: "protocol.data_received(&chunk[..n])",
            tag: "your protocol",
            lines: &["the bytes are borrowed for the call"],
            class: "warm",
            arrow: "",
            back: true,
        },
        Step {
            title: "the read step ends",
            tag: "",
            lines: &[
                "read() says WouldBlock: if no edge came since",
                "  (same tick), clear the bit; the waker is",
                "  stored, and the next edge wakes the task",
                "or the budget is spent: no WouldBlock, so the",
                "  bit stays set, but no edge will come:",
                "  end_poll defers the task until the next",
                "  look in the poller",
            ],
            class: "box",
            arrow: "",
            back: false,
        },
    ];
    let svg = flow(
        "a read, from the kernel to the protocol",
        &steps,
        &[
            "Right: again, while the budget lasts and the socket has data.",
            "After the read step, write_step flushes the write buffer.",
        ],
    );
    super::figure(
        "read-path",
        "A read from the kernel to the protocol: an epoll edge, the poller's \
         dispatch by token and generation, the source's readiness and waker, \
         the transport's task reading within its budget, and data_received",
        svg,
    )
}
