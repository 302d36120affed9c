//! Chapter 14 (debugging): TEMPORARY stand-in for the lead's debug mode,
//! removed when main's debug mode is merged.

use crate::ch01_coroutines::event_loop::EventLoop;
use crate::ch14_debugging::tree_server::{TreeServer, start_tree_server};

impl EventLoop {
    /// Stand-in.
    pub(crate) fn task_tree(&self) -> String {
        "Task-1 'main' pending, created at src/x.rs:10:5
└── Task-2 'parent' pending, created at src/x.rs:12:20
    └── gather, created at src/x.rs:14:9
        ├── Task-3 'nap 1' pending, created at src/x.rs:15:13
        │   └── timer at 1.000 s
        ├── Task-4 'nap 1' pending, created at src/x.rs:15:13
        │   └── timer at 1.000 s
        └── Task-5 'nap 1' pending, created at src/x.rs:15:13
            └── timer at 1.000 s
"
        .to_owned()
    }

    /// Stand-in.
    pub fn set_debug(&self, on: bool) {
        let server: Option<TreeServer> =
            if on { start_tree_server(self) } else { None };
        self.set_local(server);
    }
}
