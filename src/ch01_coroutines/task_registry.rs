//! Chapter 1 (coroutines): the loop's table of unfinished tasks.
//!
//! asyncio keeps `_all_tasks`, a weak set, so that `all_tasks()` and the
//! shutdown of `asyncio.run` can find every task. aio's loop owns its
//! unfinished tasks in a table, so that `close` can drop them on the loop's
//! thread. The first version was a `HashMap` from task id to task. This is a
//! *slab*: a `Vec` of slots and a list of free ones. A task learns its slot
//! when it is spawned and keeps it, so adding and removing are an index, with
//! no hashing, and a finished task's slot is the next spawn's, still in the
//! cache. (Measured with callgrind on `spawn_many`: the map cost about 200
//! instructions and 4 cache misses per task; see the benchmarks appendix.)
//! Finding a task by its id alone is a search, which only the debugging
//! reports do.

use crate::ch01_coroutines::loom::TaskArc;
use crate::ch01_coroutines::seam::{Header, Runnable, TaskSlot};

// ANCHOR: task_registry
/// The unfinished tasks of one loop, each in its own slot.
#[derive(Default)]
pub(crate) struct TaskRegistry {
    slots: Vec<Option<TaskArc<dyn Runnable>>>,
    /// Empty slots, the most recently freed last.
    free: Vec<TaskSlot>,
}

impl TaskRegistry {
    /// The slot the next [`insert`](TaskRegistry::insert) fills.
    pub(crate) fn next_slot(&self) -> TaskSlot {
        self.free.last().copied().unwrap_or(self.slots.len())
    }

    /// Puts `task` in the slot that [`next_slot`](TaskRegistry::next_slot)
    /// gave, which the task holds in its header.
    pub(crate) fn insert(&mut self, task: TaskArc<dyn Runnable>) {
        debug_assert_eq!(task.header().slot, self.next_slot());
        match self.free.pop() {
            Some(slot) => self.slots[slot] = Some(task),
            None => self.slots.push(Some(task)),
        }
    }

    /// Takes the task that `header` heads out of its slot, if it is there.
    pub(crate) fn remove(
        &mut self,
        header: &Header,
    ) -> Option<TaskArc<dyn Runnable>> {
        let entry = self.slots.get_mut(header.slot)?;
        if entry.as_ref()?.header().id != header.id {
            return None;
        }
        self.free.push(header.slot);
        entry.take()
    }
    // ANCHOR_END: task_registry

    /// The task with id `id` in `slot`, if it is there.
    pub(crate) fn get(
        &self,
        slot: TaskSlot,
        id: u64,
    ) -> Option<&TaskArc<dyn Runnable>> {
        self.slots.get(slot)?.as_ref().filter(|task| task.header().id == id)
    }

    /// The task with id `id`, wherever it is: a search, for reports.
    pub(crate) fn find(&self, id: u64) -> Option<&TaskArc<dyn Runnable>> {
        self.iter().find(|task| task.header().id == id)
    }

    /// Every task, in slot order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &TaskArc<dyn Runnable>> {
        self.slots.iter().flatten()
    }

    /// Whether no task is left.
    pub(crate) fn is_empty(&self) -> bool {
        self.free.len() == self.slots.len()
    }

    /// Takes every task out, oldest (lowest id) first.
    pub(crate) fn take_all(&mut self) -> Vec<TaskArc<dyn Runnable>> {
        let mut tasks: Vec<_> =
            std::mem::take(&mut self.slots).into_iter().flatten().collect();
        self.free.clear();
        tasks.sort_by_key(|task| task.header().id);
        tasks
    }
}
