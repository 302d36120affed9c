//! Helpers shared by the integration tests.

#![allow(dead_code)] // each test binary uses a different subset

use std::cell::RefCell;
use std::rc::Rc;

/// A loop on the virtual clock: sleeps finish at once and times are exact.
pub fn virtual_loop() -> aio::EventLoop {
    aio::EventLoop::builder().virtual_clock().build().expect("a poller")
}

/// A loop on the real clock.
pub fn real_loop() -> aio::EventLoop {
    aio::EventLoop::builder()
        .clock(aio::ClockKind::Real)
        .build()
        .expect("a poller")
}

/// A shared list that callbacks and tasks append to.
#[derive(Clone, Default)]
pub struct Journal(Rc<RefCell<Vec<String>>>);

impl Journal {
    pub fn log(&self, entry: impl Into<String>) {
        self.0.borrow_mut().push(entry.into());
    }

    pub fn entries(&self) -> Vec<String> {
        self.0.borrow().clone()
    }
}

/// Counts how many values it made are still alive.
#[derive(Clone, Default)]
pub struct DropCounter(Rc<RefCell<(usize, usize)>>);

impl DropCounter {
    /// A value that counts as alive until dropped.
    pub fn guard(&self) -> DropGuard {
        self.0.borrow_mut().0 += 1;
        DropGuard(self.clone())
    }

    /// How many guards were made and not dropped yet.
    pub fn alive(&self) -> usize {
        let (made, dropped) = *self.0.borrow();
        made - dropped
    }

    /// How many guards were made.
    pub fn made(&self) -> usize {
        self.0.borrow().0
    }
}

pub struct DropGuard(DropCounter);

impl Drop for DropGuard {
    fn drop(&mut self) {
        (self.0).0.borrow_mut().1 += 1;
    }
}

/// Captures this thread's runtime log records until dropped.
pub struct CapturedLog {
    records: Rc<RefCell<Vec<(aio::Level, String)>>>,
}

impl CapturedLog {
    pub fn start() -> CapturedLog {
        let records: Rc<RefCell<Vec<(aio::Level, String)>>> = Rc::default();
        let sink_records = records.clone();
        aio::set_log_sink(Some(Box::new(move |record: &aio::Record<'_>| {
            sink_records
                .borrow_mut()
                .push((record.level, record.message.to_string()));
        })));
        CapturedLog { records }
    }

    pub fn records(&self) -> Vec<(aio::Level, String)> {
        self.records.borrow().clone()
    }
}

impl Drop for CapturedLog {
    fn drop(&mut self) {
        aio::set_log_sink(None);
    }
}
