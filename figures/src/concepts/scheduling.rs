//! Chapter 2's `call_later` example tick by tick, on the virtual clock: what
//! step 3 of each tick runs and what it prints.

use super::layout::{Column, table};
use crate::Figure;

/// The figure `call-later-ticks`.
pub fn call_later() -> Figure {
    let columns = [
        Column { header: "tick", width: 56.0, class: "" },
        Column {
            header: "step 3 runs, and what happens",
            width: 226.0,
            class: "",
        },
        Column { header: "printed", width: 174.0, class: "mono" },
    ];
    let rows: &[&[&[&str]]] = &[
        &[
            &["1", "0.000"],
            &[
                "main_task:",
                "call_later(0.2, cb 1): heap",
                "call_later(0.1, cb 2): heap",
                "call_soon(cb 3): ready queue",
                "sleep(0.4): a timer, heap",
            ],
            &["registering callbacks"],
        ],
        &[&["2", "0.000"], &["cb 3"], &["callback 3 invoked"]],
        &[
            &["3", "0.100"],
            &["idle: the clock jumps to 0.1", "cb 2"],
            &["callback 2 invoked"],
        ],
        &[
            &["4", "0.200"],
            &["idle: the clock jumps to 0.2", "cb 1"],
            &["callback 1 invoked"],
        ],
        &[
            &["5", "0.400"],
            &["idle: the clock jumps to 0.4", "sleep's timer: wakes main_task"],
            &[],
        ],
        &[
            &["6", "0.400"],
            &[
                "main_task: the sleep is done,",
                "it returns; the stop callback",
                "goes to the ready queue",
            ],
            &[],
        ],
        &[
            &["7", "0.400"],
            &["the stop callback:", "run_until_complete returns"],
            &["closing event loop"],
        ],
    ];
    let svg = table(
        "",
        &columns,
        rows,
        &["Loop time in seconds, on the virtual clock."],
    );
    super::figure(
        "call-later-ticks",
        "The call_later example tick by tick: main_task schedules three \
         callbacks and a sleep in tick 1; callback 3 runs in tick 2, then the \
         clock jumps to each deadline in turn",
        svg,
    )
}
