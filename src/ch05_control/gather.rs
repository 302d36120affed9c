//! Chapter 5 (control structures): `gather`, results in argument order.
//!
//! `asyncio.gather(*aws)` wraps each awaitable in a task and returns their
//! results in the order they were given, whatever order they finish in. If one
//! fails, gather fails at once with that error and the others keep running.
//! With `return_exceptions=True` it collects every outcome instead. Cancelling
//! the gather cancels its children.
//!
//! aio has [`gather`] for a `Vec` of one future type, [`gather_settled`] for
//! the `return_exceptions=True` form, and the
//! [`gather!`](crate::ch05_control::gather!) macro for a tuple of different
//! future types. All three spawn the children at once, like asyncio, and cancel
//! the unfinished ones if the gather itself is dropped before it completes.

use crate::ch01_coroutines::awaiting;
use crate::ch01_coroutines::error::{Error, TaskError};
use crate::ch01_coroutines::spawn::spawn_at;
use crate::ch01_coroutines::task::Task;
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::task::{Context, Poll};

// ANCHOR: child
/// One gathered child: spawned as a task, then its outcome once known.
#[derive(Debug)]
pub enum Child<T> {
    /// Still running.
    Running(Task<T>),
    /// Finished with this value.
    Done(T),
    /// Failed: it panicked or was cancelled, or could not be spawned.
    Failed(Error),
    /// The value has been handed out.
    Taken,
}

impl<T> Child<T> {
    /// Cancels the child if it is still running.
    pub fn cancel(&mut self) {
        if let Child::Running(task) = self {
            task.cancel();
        }
    }
}

impl<T: 'static> Child<T> {
    /// Spawns `future` on the running loop.
    #[track_caller]
    pub fn spawn<F: Future<Output = T> + 'static>(future: F) -> Child<T> {
        Child::spawn_from(future, Location::caller())
    }

    fn spawn_from<F: Future<Output = T> + 'static>(
        future: F,
        origin: &'static Location<'static>,
    ) -> Child<T> {
        match spawn_at(future, origin) {
            Ok(task) => Child::Running(task),
            Err(error) => Child::Failed(error),
        }
    }

    /// Polls a running child. Returns true once its outcome is known.
    pub fn poll_child(&mut self, cx: &mut Context<'_>) -> bool {
        let Child::Running(task) = self else { return true };
        match Pin::new(task).poll(cx) {
            Poll::Pending => return false,
            Poll::Ready(Ok(value)) => *self = Child::Done(value),
            Poll::Ready(Err(error)) => {
                *self = Child::Failed(Error::Task(error))
            }
        }
        true
    }

    /// The error, if the child failed.
    pub fn take_error(&mut self) -> Option<Error> {
        match std::mem::replace(self, Child::Taken) {
            Child::Failed(error) => Some(error),
            other => {
                *self = other;
                None
            }
        }
    }

    /// The value, if the child finished with one.
    pub fn take_value(&mut self) -> Result<T, Error> {
        match std::mem::replace(self, Child::Taken) {
            Child::Done(value) => Ok(value),
            Child::Failed(error) => Err(error),
            Child::Running(task) => {
                *self = Child::Running(task);
                Err(Error::Task(TaskError::ResultTaken))
            }
            Child::Taken => Err(Error::Task(TaskError::ResultTaken)),
        }
    }

    /// Lets a running child go on alone: its handle is dropped, which detaches
    /// it.
    pub fn detach(&mut self) {
        if let Child::Running(_) = self {
            *self = Child::Taken;
        }
    }
}
// ANCHOR_END: child

/// What a gather does with its children, whatever their number and types.
pub trait Children {
    /// The values of all children, in argument order.
    type Output;
    /// Polls every child. `Ready(Err)` as soon as one fails, `Ready(Ok)` when
    /// all are done.
    fn poll_all(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Result<Self::Output, Error>>;
    /// Cancels every child still running.
    fn cancel_running(&mut self);
    /// Detaches every child still running.
    fn detach_running(&mut self);
}

impl<T: 'static> Children for Vec<Child<T>> {
    type Output = Vec<T>;

    fn poll_all(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Result<Vec<T>, Error>> {
        let mut all_done = true;
        for child in self.iter_mut() {
            all_done &= child.poll_child(cx);
            if let Some(error) = child.take_error() {
                return Poll::Ready(Err(error));
            }
        }
        if !all_done {
            return Poll::Pending;
        }
        Poll::Ready(self.iter_mut().map(Child::take_value).collect())
    }

    fn cancel_running(&mut self) {
        self.iter_mut().for_each(Child::cancel);
    }

    fn detach_running(&mut self) {
        self.iter_mut().for_each(Child::detach);
    }
}

macro_rules! impl_children_for_tuple {
    ($($T:ident $index:tt),+) => {
        impl<$($T: 'static),+> Children for ($(Child<$T>,)+) {
            type Output = ($($T,)+);

            fn poll_all(&mut self, cx: &mut Context<'_>) -> Poll<Result<Self::Output, Error>> {
                let mut all_done = true;
                $(
                    all_done &= self.$index.poll_child(cx);
                    if let Some(error) = self.$index.take_error() {
                        return Poll::Ready(Err(error));
                    }
                )+
                if !all_done {
                    return Poll::Pending;
                }
                Poll::Ready((|| -> Result<Self::Output, Error> { Ok(($(self.$index.take_value()?,)+)) })())
            }

            fn cancel_running(&mut self) {
                $(self.$index.cancel();)+
            }

            fn detach_running(&mut self) {
                $(self.$index.detach();)+
            }
        }
    };
}

impl_children_for_tuple!(A 0);
impl_children_for_tuple!(A 0, B 1);
impl_children_for_tuple!(A 0, B 1, C 2);
impl_children_for_tuple!(A 0, B 1, C 2, D 3);
impl_children_for_tuple!(A 0, B 1, C 2, D 3, E 4);
impl_children_for_tuple!(A 0, B 1, C 2, D 3, E 4, F 5);
impl_children_for_tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
impl_children_for_tuple!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);

// ANCHOR: gather
/// The future of [`gather`] and [`gather!`](crate::ch05_control::gather!): all
/// values in argument order, or the first failure.
#[derive(Debug)]
#[must_use = "dropping a gather cancels its children; `.await` it"]
pub struct Gather<C: Children> {
    children: C,
    finished: bool,
    /// Where the gather was made, for chapter 14's task tree.
    created_at: &'static Location<'static>,
}

impl<C: Children> Gather<C> {
    /// Gathers already-spawned children (what the `gather!` macro builds).
    #[track_caller]
    pub fn new(children: C) -> Self {
        Gather { children, finished: false, created_at: Location::caller() }
    }
}

// A gather never pins its children: the tasks live in their own allocations and
// the values are only moved, never polled. So it can be `Unpin` whatever they
// are.
impl<C: Children> Unpin for Gather<C> {}

impl<C: Children> Future for Gather<C> {
    type Output = Result<C::Output, Error>;

    fn poll(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Self::Output> {
        let created_at = self.created_at;
        let outcome =
            std::task::ready!(awaiting::group("gather", created_at, || self
                .children
                .poll_all(cx)));
        // Done, either way. After a failure the other children keep running, as
        // in asyncio: their handles are dropped, which detaches them.
        self.finished = true;
        self.children.detach_running();
        Poll::Ready(outcome)
    }
}

impl<C: Children> Drop for Gather<C> {
    fn drop(&mut self) {
        if !self.finished {
            // The gather was dropped before it completed (its task was
            // cancelled, say): cancel the children, as cancelling asyncio's
            // gather does.
            self.children.cancel_running();
        }
    }
}

/// Runs `futures` as tasks and returns their values in the order given
/// (`asyncio.gather`). Fails with the first error; the other tasks keep
/// running.
///
/// ```
/// use std::time::Duration;
///
/// let values = aio::run(async {
///     // The longest sleep comes first, yet the values are in argument order.
///     let phases = (1..=3).map(|i| async move {
///         aio::sleep(Duration::from_millis(4 - i)).await;
///         i * 10
///     });
///     aio::gather(phases).await
/// });
/// assert_eq!(values.unwrap().unwrap(), [10, 20, 30]);
/// ```
#[track_caller]
pub fn gather<F>(
    futures: impl IntoIterator<Item = F>,
) -> Gather<Vec<Child<F::Output>>>
where
    F: Future + 'static,
    F::Output: 'static,
{
    let origin = Location::caller();
    Gather::new(
        futures
            .into_iter()
            .map(|future| Child::spawn_from(future, origin))
            .collect(),
    )
}
// ANCHOR_END: gather

/// The future of [`gather_settled`]: every outcome, in argument order.
#[derive(Debug)]
#[must_use = "dropping a gather cancels its children; `.await` it"]
pub struct GatherSettled<T> {
    children: Vec<Child<T>>,
    finished: bool,
    created_at: &'static Location<'static>,
}

/// Runs `futures` as tasks and returns every outcome in the order given,
/// failures included (`asyncio.gather(..., return_exceptions=True)`).
#[track_caller]
pub fn gather_settled<F>(
    futures: impl IntoIterator<Item = F>,
) -> GatherSettled<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    let origin = Location::caller();
    GatherSettled {
        children: futures
            .into_iter()
            .map(|future| Child::spawn_from(future, origin))
            .collect(),
        finished: false,
        created_at: origin,
    }
}

// Like `Gather`, a settled gather never pins its children's values.
impl<T> Unpin for GatherSettled<T> {}

impl<T: 'static> Future for GatherSettled<T> {
    type Output = Vec<Result<T, Error>>;

    fn poll(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Self::Output> {
        let created_at = self.created_at;
        let polled = awaiting::group("gather", created_at, || {
            let mut all_done = true;
            for child in self.children.iter_mut() {
                all_done &= child.poll_child(cx);
            }
            if all_done { Poll::Ready(()) } else { Poll::Pending }
        });
        std::task::ready!(polled);
        self.finished = true;
        Poll::Ready(self.children.iter_mut().map(Child::take_value).collect())
    }
}

impl<T> Drop for GatherSettled<T> {
    fn drop(&mut self) {
        if !self.finished {
            self.children.iter_mut().for_each(Child::cancel);
        }
    }
}

/// Gathers futures of different types into a tuple of their values, in argument
/// order (`asyncio.gather(a(), b())`). Each future is spawned as a task at
/// once. The result is `Err` with the first failure, while the other tasks keep
/// running; dropping the gather before it completes cancels them.
///
/// ```
/// let pair = aio::run(async { aio::gather!(async { 1 }, async { "two" }).await });
/// assert_eq!(pair.unwrap().unwrap(), (1, "two"));
/// ```
#[macro_export]
macro_rules! gather {
    ($($future:expr),+ $(,)?) => {
        $crate::Gather::new(($($crate::Child::spawn($future),)+))
    };
}
