//! Chapter 14 (debugging): debug mode, asyncio's `loop.set_debug(True)`.
//!
//! A loop in debug mode has a [`StepWatch`]: the tick runs every task step
//! and callback on its watched path (`tick.rs`), which times it, and, for a
//! task, collects what the task noted it now waits on. The watch here warns
//! of each step slower than the loop's `slow_callback_duration`, as asyncio
//! does, and keeps what each task waits on, for the task tree
//! (`task_tree.rs`) and for the report of a task destroyed while pending.
//! Turning debug mode on also starts the tree server (`tree_server.rs`), so
//! that another process can ask for the tree.
//!
//! With debug mode off the loop has no watch, and the tick never takes the
//! watched path.

use crate::ch01_coroutines::awaiting::WaitingOn;
use crate::ch01_coroutines::event_loop::{EventLoop, WeakLoop};
use crate::ch01_coroutines::logging;
use crate::ch01_coroutines::ready_queue::Callback;
use crate::ch01_coroutines::seam::Runnable;
use crate::ch01_coroutines::tick::StepWatch;
use crate::ch01_coroutines::trace;
use crate::ch14_debugging::tree_server::{TreeServer, start_tree_server};
use crate::ch14_debugging::wait_node::describe_wait;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use std::time::Duration;

/// How long a step may take before debug mode warns of it: asyncio's
/// `slow_callback_duration`, 0.1 s.
pub const DEFAULT_SLOW_CALLBACK_DURATION: Duration = Duration::from_millis(100);

// ANCHOR: debug_state
/// What a loop keeps for debug mode: its threshold, what each task waits on,
/// and the tree server while debug mode is on.
pub(crate) struct DebugState {
    event_loop: WeakLoop,
    slow_callback_duration: Cell<Duration>,
    /// What each pending task waited on after its last step, by task id.
    waits: RefCell<HashMap<u64, Vec<WaitingOn>>>,
    /// Serves the task tree to other processes (`aio_ps PID`).
    tree_server: RefCell<Option<TreeServer>>,
}
// ANCHOR_END: debug_state

impl DebugState {
    /// The state of `event_loop`, made on first use.
    fn of(event_loop: &EventLoop) -> Rc<DebugState> {
        if let Some(state) = event_loop.local::<DebugState>() {
            return state;
        }
        event_loop.set_local(DebugState {
            event_loop: event_loop.downgrade(),
            slow_callback_duration: Cell::new(DEFAULT_SLOW_CALLBACK_DURATION),
            waits: RefCell::default(),
            tree_server: RefCell::default(),
        });
        event_loop.local::<DebugState>().expect("it was just set")
    }

    /// What task `id` waited on after its last step.
    pub(crate) fn waits_of(&self, id: u64) -> Vec<WaitingOn> {
        self.waits.borrow().get(&id).cloned().unwrap_or_default()
    }

    /// Warns if a step took longer than the threshold.
    fn check_duration(&self, step: impl FnOnce() -> String, took: Duration) {
        if took >= self.slow_callback_duration.get() {
            logging::warn!(
                "aio.debug",
                "Executing {} took {:.3} seconds",
                step(),
                took.as_secs_f64()
            );
        }
    }
}

// ANCHOR: step_watch
impl StepWatch for DebugState {
    fn task_step(
        &self,
        task: &dyn Runnable,
        took: Duration,
        waits: Vec<WaitingOn>,
    ) {
        self.check_duration(|| task.describe(), took);
        let id = task.header().id;
        let mut known = self.waits.borrow_mut();
        if task.state().is_final() || waits.is_empty() {
            known.remove(&id);
        } else {
            known.insert(id, waits);
        }
    }

    fn callback_step(&self, callback: &dyn Callback, took: Duration) {
        let name = || format!("<Handle {}>", trace::label(callback.label()));
        self.check_duration(name, took);
    }

    fn describe_waits(&self, task_id: u64) -> Option<String> {
        let waits = self.waits_of(task_id);
        if waits.is_empty() {
            return None;
        }
        let event_loop = self.event_loop.upgrade();
        let described: Vec<String> = waits
            .iter()
            .map(|wait| describe_wait(wait, event_loop.as_ref()))
            .collect();
        Some(described.join(", "))
    }
}
// ANCHOR_END: step_watch

// ANCHOR: set_debug
impl EventLoop {
    /// Turns debug mode on or off (asyncio's `loop.set_debug`). In debug
    /// mode the loop warns of every step slower than
    /// [`slow_callback_duration`](EventLoop::slow_callback_duration), keeps
    /// what each task waits on for its [`task_tree`](EventLoop::task_tree),
    /// says where leaked resources were opened, and answers
    /// [`request_task_tree`](crate::request_task_tree) from other processes.
    /// `AIO_DEBUG=1` turns it on for every loop built.
    pub fn set_debug(&self, enabled: bool) {
        if self.is_closed() || enabled == self.get_debug() {
            return;
        }
        let state = DebugState::of(self);
        if enabled {
            self.set_step_watch(Some(state.clone()));
            state.tree_server.replace(start_tree_server(self));
        } else {
            self.set_step_watch(None);
            state.waits.borrow_mut().clear();
            drop(state.tree_server.take()); // stops serving, removes the file
        }
    }

    /// Whether the loop is in debug mode (asyncio's `loop.get_debug`).
    pub fn get_debug(&self) -> bool {
        self.is_watched()
    }

    /// Sets how long a step may take before debug mode warns of it
    /// (asyncio's `loop.slow_callback_duration`; 0.1 s unless set).
    pub fn set_slow_callback_duration(&self, threshold: Duration) {
        DebugState::of(self).slow_callback_duration.set(threshold);
    }

    /// How long a step may take before debug mode warns of it.
    pub fn slow_callback_duration(&self) -> Duration {
        self.local::<DebugState>().map_or(DEFAULT_SLOW_CALLBACK_DURATION, |s| {
            s.slow_callback_duration.get()
        })
    }
}
// ANCHOR_END: set_debug
