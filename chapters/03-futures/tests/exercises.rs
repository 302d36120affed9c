//! The graders of chapter 3's exercises, one module per exercise.
//!
//! `cargo test -p ch03-futures --test exercises` grades the reader's code in
//! `src/exercises/`; with `--features solutions` it grades the reference
//! solutions in `solutions/`. Every test fails on the untouched starters.

// The graders drop values whose starter types have no `Drop` yet.
#![allow(clippy::drop_non_drop)]

mod then {
    use super::grading::{settled, virtual_loop};
    use aio::{Exception, Promise, PromiseError};
    use ch03_futures::exercises::then::then;
    use std::cell::Cell;
    use std::rc::Rc;

    #[test]
    fn the_value_flows_through_f() {
        let event_loop = virtual_loop();
        let outcome = event_loop.run_until_complete(async {
            let source: Promise<u32> = Promise::new().unwrap();
            let doubled = then(&source, |n| n * 2).unwrap();
            source.set_result(21).unwrap();
            settled(doubled).await
        });
        event_loop.close().unwrap();
        assert_eq!(
            outcome.unwrap().expect("the chained promise never settled").ok(),
            Some(42),
            "then(&source, |n| n * 2) with source set to 21 must give 42: \
             add a done-callback to source that sets the new promise",
        );
    }

    #[test]
    fn an_error_flows_through_and_f_is_not_called() {
        let event_loop = virtual_loop();
        let called = Rc::new(Cell::new(false));
        let was_called = called.clone();
        let outcome = event_loop.run_until_complete(async move {
            let source: Promise<u32> = Promise::new().unwrap();
            let chained = then(&source, move |n| {
                was_called.set(true);
                *n
            })
            .unwrap();
            source.set_exception(Exception::msg("the disk is full")).unwrap();
            settled(chained).await
        });
        event_loop.close().unwrap();
        match outcome.unwrap().expect("the chained promise never settled") {
            Err(PromiseError::Exception(error)) => assert_eq!(
                error.to_string(),
                "the disk is full",
                "the chained promise must fail with the source's own error",
            ),
            other => panic!(
                "the source failed, so the chained promise must fail with \
                 its error (set_exception), not give {other:?}"
            ),
        }
        assert!(!called.get(), "f must not be called when the source failed");
    }

    #[test]
    fn a_cancellation_flows_forward() {
        let event_loop = virtual_loop();
        let outcome = event_loop.run_until_complete(async {
            let source: Promise<u32> = Promise::new().unwrap();
            let chained = then(&source, |n| *n).unwrap();
            source.cancel();
            settled(chained).await
        });
        event_loop.close().unwrap();
        assert!(
            matches!(outcome.unwrap(), Some(Err(PromiseError::Cancelled))),
            "the source was cancelled, so the chained promise must be \
             cancelled too",
        );
    }

    #[test]
    fn cancelling_the_chained_promise_cancels_the_source() {
        let event_loop = virtual_loop();
        let called = Rc::new(Cell::new(false));
        let was_called = called.clone();
        let outcome = event_loop.run_until_complete(async move {
            let source: Promise<u32> = Promise::new().unwrap();
            let chained = then(&source, move |n| {
                was_called.set(true);
                *n
            })
            .unwrap();
            chained.cancel();
            let source_outcome = settled(source.clone()).await;
            (source_outcome, source.set_result(1).is_err())
        });
        event_loop.close().unwrap();
        let (source_outcome, refused) = outcome.unwrap();
        assert!(
            matches!(source_outcome, Some(Err(PromiseError::Cancelled))),
            "cancelling the chained promise must cancel the source (a \
             done-callback on the chained promise), as asyncio's \
             _chain_future does; the source ended as {source_outcome:?}",
        );
        assert!(refused, "a cancelled source refuses a result");
        assert!(!called.get(), "f must not run for a cancelled chain");
    }
}

mod remote_setter {
    use super::grading::{real_loop, settled_within};
    use aio::PromiseError;
    use ch03_futures::exercises::remote_setter::remote_promise;
    use std::time::Duration;

    #[test]
    fn a_worker_thread_fills_the_promise() {
        let event_loop = real_loop();
        let (promise, setter) = remote_promise::<String>(&event_loop);
        let worker = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(5));
            setter.set_result("computed elsewhere".to_owned())
        });
        let outcome =
            event_loop.run_until_complete(settled_within(promise, 10)).unwrap();
        let sent = worker.join().expect("the worker thread panicked");
        event_loop.close().unwrap();
        assert!(sent.is_ok(), "set_result on an open loop must succeed");
        assert_eq!(
            outcome.and_then(Result::ok).as_deref(),
            Some("computed elsewhere"),
            "the promise must get the worker's value: send it with \
             RemoteLoop::call_soon_threadsafe, and set the promise in that \
             callback, on the loop's thread",
        );
    }

    #[test]
    fn each_setter_fills_its_own_promise() {
        let event_loop = real_loop();
        let mut numbers = Vec::new();
        let mut words = Vec::new();
        let mut workers = Vec::new();
        for n in 0..8_u64 {
            let (number, number_setter) = remote_promise::<u64>(&event_loop);
            let (word, word_setter) = remote_promise::<String>(&event_loop);
            numbers.push(number);
            words.push(word);
            workers.push(std::thread::spawn(move || {
                word_setter.set_result(format!("word {n}")).unwrap();
                number_setter.set_result(n * n).unwrap();
            }));
        }
        // One hang guard for all of them: a wrong answer fails in 10 s.
        let all = async move {
            let mut got = Vec::new();
            for (number, word) in numbers.into_iter().zip(words) {
                got.push((number.await.ok(), word.await.ok()));
            }
            got
        };
        let outcome = event_loop
            .run_until_complete(aio::wait_for(all, Duration::from_secs(10)))
            .unwrap()
            .ok();
        for worker in workers {
            worker.join().expect("a worker thread panicked");
        }
        event_loop.close().unwrap();
        let expected: Vec<_> = (0..8_u64)
            .map(|n| (Some(n * n), Some(format!("word {n}"))))
            .collect();
        assert_eq!(
            outcome,
            Some(expected),
            "eight threads each filled a u64 promise and a String promise; \
             every promise must get its own setter's value",
        );
    }

    #[test]
    fn dropping_the_setter_cancels_the_promise() {
        let event_loop = real_loop();
        let (promise, setter) = remote_promise::<String>(&event_loop);
        let worker = std::thread::spawn(move || drop(setter));
        let outcome =
            event_loop.run_until_complete(settled_within(promise, 10)).unwrap();
        worker.join().expect("the worker thread panicked");
        event_loop.close().unwrap();
        assert!(
            matches!(outcome, Some(Err(PromiseError::Cancelled))),
            "a setter dropped without a result must cancel its promise \
             (implement Drop), or its awaiter waits forever; got {outcome:?}",
        );
    }

    #[test]
    fn setting_after_the_loop_closed_fails() {
        let event_loop = real_loop();
        let (promise, setter) = remote_promise::<u64>(&event_loop);
        event_loop.close().unwrap();
        let sent = std::thread::spawn(move || setter.set_result(7))
            .join()
            .expect("the worker thread panicked");
        assert!(
            matches!(sent, Err(aio::Error::LoopClosed)),
            "the loop was closed, so set_result must fail with \
             Error::LoopClosed (what call_soon_threadsafe returns); got \
             {sent:?}",
        );
        assert!(!promise.done(), "nothing sets a promise after close");
    }
}

mod my_promise {
    use super::grading::{CountingWaker, Journal, virtual_loop};
    use aio::{EventLoop, Promise, PromiseError};
    use ch03_futures::exercises::my_promise::{MyPromise, MyPromiseError};
    use std::pin::Pin;
    use std::time::Duration;

    /// What the programs below need of a promise, so that each runs with
    /// `aio::Promise` and with `MyPromise`.
    trait Slot: Clone + 'static {
        fn make(event_loop: &EventLoop) -> Self;
        fn set(&self, value: u32) -> bool;
        fn cancel_it(&self) -> bool;
        fn on_done(&self, callback: Box<dyn FnOnce(&Self)>);
        /// The outcome as words: "value 5", "cancelled", "not done".
        fn read(&self) -> String;
        fn wait(self) -> Pin<Box<dyn Future<Output = String>>>;
    }

    fn words<E: std::fmt::Debug>(outcome: Result<u32, E>) -> String {
        match outcome {
            Ok(value) => format!("value {value}"),
            Err(error) => format!("{error:?}"),
        }
    }

    impl Slot for Promise<u32> {
        fn make(event_loop: &EventLoop) -> Self {
            event_loop.create_future()
        }
        fn set(&self, value: u32) -> bool {
            self.set_result(value).is_ok()
        }
        fn cancel_it(&self) -> bool {
            self.cancel()
        }
        fn on_done(&self, callback: Box<dyn FnOnce(&Self)>) {
            self.add_done_callback(callback);
        }
        fn read(&self) -> String {
            aio_words(self.result())
        }
        fn wait(self) -> Pin<Box<dyn Future<Output = String>>> {
            Box::pin(async move { aio_words(self.await) })
        }
    }

    /// aio's errors, in the words of `MyPromiseError`'s variants.
    fn aio_words(outcome: Result<u32, PromiseError>) -> String {
        words(outcome.map_err(|error| match error {
            PromiseError::Cancelled => MyPromiseError::Cancelled,
            _ => MyPromiseError::NotDone,
        }))
    }

    impl Slot for MyPromise<u32> {
        fn make(event_loop: &EventLoop) -> Self {
            MyPromise::new(event_loop)
        }
        fn set(&self, value: u32) -> bool {
            self.set_result(value).is_ok()
        }
        fn cancel_it(&self) -> bool {
            self.cancel()
        }
        fn on_done(&self, callback: Box<dyn FnOnce(&Self)>) {
            self.add_done_callback(callback);
        }
        fn read(&self) -> String {
            words(self.result())
        }
        fn wait(self) -> Pin<Box<dyn Future<Output = String>>> {
            Box::pin(async move { words(self.await) })
        }
    }

    /// Runs `program` as the main task of a virtual-clock loop (bounded by
    /// an hour of loop time, which takes no time at all) and returns its log.
    fn run<F: Future<Output = ()> + 'static>(
        program: impl FnOnce(EventLoop, Journal) -> F,
    ) -> Vec<String> {
        let event_loop = virtual_loop();
        let log = Journal::default();
        let main = program(event_loop.clone(), log.clone());
        let outcome = event_loop
            .run_until_complete(aio::wait_for(main, Duration::from_secs(3600)));
        event_loop.close().unwrap();
        if outcome.unwrap().is_err() {
            log.log("(the program never finished)");
        }
        log.entries()
    }

    /// Lets the loop run for a while: every tick that is due happens.
    async fn settle_down() {
        aio::sleep(Duration::from_millis(10)).await;
    }

    /// Callbacks on a watched `slot`: each writes its name and the outcome.
    fn watch<S: Slot>(slot: &S, log: &Journal, name: &'static str) {
        let log = log.clone();
        slot.on_done(Box::new(move |slot| {
            log.log(format!("{name} sees {}", slot.read()));
        }));
    }

    async fn set_twice<S: Slot>(event_loop: EventLoop, log: Journal) {
        let slot = S::make(&event_loop);
        log.log(format!("before: {}", slot.read()));
        log.log(format!("first set: {}", slot.set(5)));
        log.log(format!("second set: {}", slot.set(6)));
        log.log(format!("cancel when done: {}", slot.cancel_it()));
        log.log(format!("after: {}", slot.read()));
    }

    #[test]
    fn it_is_set_once() {
        let expected = run(set_twice::<Promise<u32>>);
        let got = run(set_twice::<MyPromise<u32>>);
        assert_eq!(
            got, expected,
            "reading a pending promise is NotDone; the first set_result \
             wins, a second one fails with AlreadyDone, and cancel() on a \
             done promise returns false",
        );
    }

    async fn callbacks_after_set<S: Slot>(event_loop: EventLoop, log: Journal) {
        let slot = S::make(&event_loop);
        for name in ["callback 1", "callback 2", "callback 3"] {
            watch(&slot, &log, name);
        }
        slot.set(7);
        log.log("set_result returned");
        let queued = log.clone();
        let _ = event_loop
            .call_soon(move || queued.log("call_soon after set_result"));
        settle_down().await;
        watch(&slot, &log, "callback added when done");
        log.log("add_done_callback returned");
        settle_down().await;
    }

    #[test]
    fn callbacks_are_scheduled_in_order_never_run_inline() {
        let expected = run(callbacks_after_set::<Promise<u32>>);
        let got = run(callbacks_after_set::<MyPromise<u32>>);
        assert_eq!(
            got, expected,
            "done-callbacks run on the next tick, in the order they were \
             added, scheduled by set_result with call_soon (so before a \
             call_soon made after it); one added to a done promise is \
             scheduled at once, never run inline",
        );
    }

    /// Five listeners, awaiting tasks (bit set) or callbacks, in the order
    /// `pattern` gives, then a set (or a cancel).
    async fn listeners<S: Slot>(
        event_loop: EventLoop,
        log: Journal,
        pattern: u32,
        cancel: bool,
    ) {
        let slot = S::make(&event_loop);
        for index in 0..5 {
            if pattern & (1 << index) != 0 {
                let (waiting, log) = (slot.clone(), log.clone());
                let _ = event_loop.create_task(async move {
                    let outcome = waiting.wait().await;
                    log.log(format!("task {index} got {outcome}"));
                });
                // One tick, in which the task polls and registers.
                aio::sleep(Duration::ZERO).await;
            } else {
                let name = ["cb 0", "cb 1", "cb 2", "cb 3", "cb 4"][index];
                watch(&slot, &log, name);
            }
        }
        if cancel {
            slot.cancel_it();
        } else {
            slot.set(9);
        }
        settle_down().await;
    }

    #[test]
    fn awaiters_and_callbacks_go_in_the_order_they_came() {
        for pattern in 0..32 {
            let expected = run(move |lp, log| {
                listeners::<Promise<u32>>(lp, log, pattern, false)
            });
            let got = run(move |lp, log| {
                listeners::<MyPromise<u32>>(lp, log, pattern, false)
            });
            assert_eq!(
                got, expected,
                "awaiting tasks and done-callbacks must hear of the result \
                 in the order they registered, tasks woken and callbacks \
                 scheduled from one list (pattern {pattern:05b}: 1 = task)",
            );
        }
    }

    #[test]
    fn cancelling_tells_every_listener() {
        for pattern in [0b00000, 0b10101, 0b11111] {
            let expected = run(move |lp, log| {
                listeners::<Promise<u32>>(lp, log, pattern, true)
            });
            let got = run(move |lp, log| {
                listeners::<MyPromise<u32>>(lp, log, pattern, true)
            });
            assert_eq!(
                got, expected,
                "cancel() settles the promise too: awaiters get Cancelled \
                 and callbacks run, in order (pattern {pattern:05b})",
            );
        }
    }

    /// Polls `promise` once with `waker`; whether it was pending.
    fn poll_with(promise: &mut MyPromise<u32>, waker: &CountingWaker) -> bool {
        waker.poll(Pin::new(promise)).is_pending()
    }

    #[test]
    fn each_poll_keeps_one_waker_the_newest() {
        let event_loop = virtual_loop();
        let (a, b) = (CountingWaker::new(), CountingWaker::new());
        let mut awaiter = MyPromise::<u32>::new(&event_loop);
        let setter = awaiter.clone();
        let pending = [
            poll_with(&mut awaiter, &a),
            poll_with(&mut awaiter, &a),
            poll_with(&mut awaiter, &b),
        ];
        assert_eq!(pending, [true; 3], "a pending promise polls Pending");
        setter.set_result(1).unwrap();
        assert_eq!(
            (a.wakes(), b.wakes()),
            (0, 1),
            "polled twice with waker A, then with B, set_result must wake \
             B once and A never: register a waker once, and replace this \
             handle's waker when another task polls it",
        );
        drop((awaiter, setter));
        event_loop.close().unwrap();
    }

    #[test]
    fn a_dropped_awaiter_takes_its_waker_back() {
        let event_loop = virtual_loop();
        let waker = CountingWaker::new();
        let others = waker.holders();
        let setter = MyPromise::<u32>::new(&event_loop);
        let mut awaiter = setter.clone();
        assert!(poll_with(&mut awaiter, &waker), "pending until set");
        assert!(
            waker.holders() > others,
            "a pending promise keeps the waker that polled it",
        );
        drop(awaiter);
        assert_eq!(
            waker.holders(),
            others,
            "an awaiter dropped before the promise is done (a timeout won, \
             say) must take its waker out of the listeners (implement \
             Drop): a stale waker keeps its task alive",
        );
        assert!(setter.set_result(2).is_ok(), "the promise is still pending");
        assert_eq!(waker.wakes(), 0, "a waker taken back is never woken");
        drop(setter);
        event_loop.close().unwrap();
    }
}

/// What the graders share: [`shared_grading`]'s loops, waker and journal,
/// and a promise's outcome with a bound on the wait.
mod grading {
    pub use crate::shared_grading::{
        CountingWaker, Journal, real_loop, virtual_loop,
    };
    use std::time::Duration;

    /// The promise's outcome, or `None` if it is still pending after
    /// `seconds` of loop time (a hang guard on the real clock).
    pub async fn settled_within<T: Clone + 'static>(
        promise: aio::Promise<T>,
        seconds: u64,
    ) -> Option<Result<T, aio::PromiseError>> {
        aio::wait_for(promise, Duration::from_secs(seconds)).await.ok()
    }

    /// The promise's outcome, or `None` if it is still pending after an hour
    /// of loop time (no time at all on the virtual clock).
    pub async fn settled<T: Clone + 'static>(
        promise: aio::Promise<T>,
    ) -> Option<Result<T, aio::PromiseError>> {
        aio::wait_for(promise, Duration::from_secs(3600)).await.ok()
    }
}

#[path = "../../../tests/support/grading.rs"]
mod shared_grading;
