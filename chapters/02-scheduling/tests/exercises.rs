//! The graders of chapter 2's exercises, one module per exercise.
//!
//! `cargo test -p ch02-scheduling --test exercises` grades the reader's code in
//! `src/exercises/`; with `--features solutions` it grades the reference
//! solutions in `solutions/`. Every test fails on the untouched starters.

mod tick_order {
    use super::shared_grading::virtual_loop;
    use ch02_scheduling::exercises::tick_order::{
        Log, predicted_order, scenario,
    };

    /// What the scenario really writes, on aio's own loop.
    fn actual_order() -> Vec<String> {
        let event_loop = virtual_loop();
        let log = Log::default();
        scenario(&event_loop, &log).expect("the scenario runs");
        event_loop.close().expect("the loop closes");
        log.take()
    }

    #[test]
    fn the_prediction_matches_the_loop() {
        let actual = actual_order();
        let predicted = predicted_order();
        for (index, line) in actual.iter().enumerate() {
            let guess = predicted.get(index).copied().unwrap_or("(nothing)");
            assert_eq!(
                guess,
                line,
                "line {} of your prediction is wrong; the loop wrote, in \
                 order:\n{actual:#?}\nRules: a tick runs what was ready when \
                 it began (what it queues waits for the next tick); due \
                 timers join the back of the ready queue, earliest first, \
                 FIFO among equal deadlines; the virtual clock jumps only \
                 when nothing is ready, to the earliest deadline that was \
                 not cancelled; stop() lets the tick finish",
                index + 1,
            );
        }
        assert_eq!(
            predicted.len(),
            actual.len(),
            "your prediction has lines the loop never wrote: {:?}",
            &predicted[actual.len().min(predicted.len())..],
        );
    }

    #[test]
    fn the_prediction_never_runs_the_cancelled_or_late_timers() {
        let predicted = predicted_order();
        assert_eq!(
            predicted.len(),
            actual_order().len(),
            "predict every line the scenario writes, no more and no fewer",
        );
        for never in ["doomed", "late timer"] {
            assert!(
                !predicted.iter().any(|line| line.starts_with(never)),
                "`{never}` never runs: a cancelled timer is skipped, and a \
                 timer that is not due when run_forever returns stays queued \
                 until close drops it",
            );
        }
    }
}

mod call_every {
    use super::shared_grading::{ms, real_loop, virtual_loop};
    use ch02_scheduling::exercises::call_every::{Repeating, call_every};
    use std::cell::RefCell;
    use std::rc::Rc;
    use std::time::Duration;

    /// The due times `f` received, and the loop times it ran at.
    type Calls = Rc<RefCell<Vec<(Duration, Duration)>>>;

    /// Repeats every `period`, writing each call down.
    fn recorded(
        event_loop: &aio::EventLoop,
        period: Duration,
    ) -> (Repeating, Calls) {
        let calls = Calls::default();
        let (lp, written) = (event_loop.clone(), calls.clone());
        let repeating = call_every(event_loop, period, move |due| {
            written.borrow_mut().push((due, lp.time()));
        })
        .expect("an open loop schedules");
        (repeating, calls)
    }

    fn dues(calls: &Calls) -> Vec<Duration> {
        calls.borrow().iter().map(|(due, _)| *due).collect()
    }

    #[test]
    fn calls_come_once_a_period() {
        let event_loop = virtual_loop();
        let (_repeating, calls) = recorded(&event_loop, ms(100));
        event_loop.run_until_complete(aio::sleep(ms(350))).unwrap();
        assert_eq!(
            dues(&calls),
            [ms(100), ms(200), ms(300)],
            "with a period of 100 ms, over 350 ms the calls are due at 100, \
             200 and 300 ms (the first one period after call_every)",
        );
        for (due, ran) in calls.borrow().iter() {
            assert_eq!(
                due, ran,
                "on the virtual clock a call runs exactly when it is due, and \
                 f must receive that due time",
            );
        }
        event_loop.close().unwrap();
    }

    #[test]
    fn cancel_stops_the_calls() {
        let event_loop = virtual_loop();
        let (repeating, calls) = recorded(&event_loop, ms(100));
        let canceller = repeating.clone();
        event_loop.call_at(ms(250), move || canceller.cancel()).unwrap();
        event_loop.run_until_complete(aio::sleep(ms(1000))).unwrap();
        assert_eq!(
            dues(&calls),
            [ms(100), ms(200)],
            "cancelled at 250 ms, the calls due at 100 and 200 ms ran and \
             none after: cancel must cancel the timer of the next call",
        );
        assert!(repeating.cancelled(), "cancelled() after cancel()");
        event_loop.close().unwrap();
    }

    #[test]
    fn cancel_from_inside_f_stops_the_calls() {
        let event_loop = virtual_loop();
        let handle: Rc<RefCell<Option<Repeating>>> = Rc::default();
        let calls = Rc::new(RefCell::new(Vec::new()));
        let (own, written) = (handle.clone(), calls.clone());
        let repeating = call_every(&event_loop, ms(10), move |due| {
            written.borrow_mut().push(due);
            if written.borrow().len() == 3
                && let Some(repeating) = &*own.borrow()
            {
                repeating.cancel();
            }
        })
        .unwrap();
        handle.replace(Some(repeating));
        event_loop.run_until_complete(aio::sleep(ms(100))).unwrap();
        assert_eq!(
            *calls.borrow(),
            [ms(10), ms(20), ms(30)],
            "f cancelled on its third call, so there is no fourth: schedule \
             the next call only if f did not cancel",
        );
        handle.take();
        event_loop.close().unwrap();
    }

    #[test]
    fn due_times_do_not_drift_on_the_real_clock() {
        // A slow f: each call takes 2 ms of real time, and each timer fires
        // a little late anyway. The due times must stay on the grid.
        let event_loop = real_loop();
        let calls = Rc::new(RefCell::new(Vec::new()));
        let (lp, written) = (event_loop.clone(), calls.clone());
        let start = event_loop.time();
        let _repeating = call_every(&event_loop, ms(10), move |due| {
            written.borrow_mut().push((due, lp.time()));
            std::thread::sleep(ms(2));
            if written.borrow().len() == 5 {
                lp.stop();
            }
        })
        .unwrap();
        // A hang guard only: five periods take about 50 ms.
        let stopper = event_loop.clone();
        event_loop
            .call_later(Duration::from_secs(5), move || stopper.stop())
            .unwrap();
        event_loop.run_forever().unwrap();
        let calls = calls.borrow();
        assert_eq!(calls.len(), 5, "five calls in ten seconds of real time");
        let first = calls[0].0;
        assert!(first >= start + ms(10), "the first call is a period out");
        for (k, (due, ran)) in calls.iter().enumerate() {
            let grid = first + ms(10) * k as u32;
            assert_eq!(
                *due,
                grid,
                "call {} was due at {due:?}, off the grid (first due \
                 time) + {} * period = {grid:?}: schedule each call at the \
                 previous due time plus the period (call_at), not a period \
                 after it ran (call_later), which adds up the lateness",
                k + 1,
                k,
            );
            assert!(ran >= due, "a call ran before it was due");
        }
        drop(calls);
        event_loop.close().unwrap();
    }
}

mod nap {
    use super::shared_grading::{CountingWaker, ms, virtual_loop};
    use ch02_scheduling::exercises::nap::nap;
    use std::cell::RefCell;
    use std::pin::pin;
    use std::rc::Rc;
    use std::task::Poll;
    use std::time::Duration;

    /// Runs `program` as the main task of a virtual-clock loop, with a hang
    /// guard: a nap that never wakes ends at 1 hour of loop time.
    fn run<F: Future<Output = ()> + 'static>(program: F) {
        let event_loop = virtual_loop();
        let outcome = event_loop.run_until_complete(aio::wait_for(
            program,
            Duration::from_secs(3600),
        ));
        event_loop.close().unwrap();
        outcome.unwrap().expect("the nap never woke its task");
    }

    /// The loop time at which `program` ends.
    fn ends_at<F: Future<Output = ()> + 'static>(program: F) -> Duration {
        let finished = Rc::new(RefCell::new(None));
        let written = finished.clone();
        run(async move {
            program.await;
            *written.borrow_mut() =
                Some(aio::get_running_loop().unwrap().time());
        });
        finished.take().expect("the program finished")
    }

    #[test]
    fn wakes_when_aio_sleep_does() {
        let expected = ends_at(aio::sleep(ms(250)));
        let got = ends_at(nap(ms(250)));
        assert_eq!(
            got, expected,
            "`nap(250 ms).await` ended at {got:?}, `aio::sleep(250 ms)` at \
             {expected:?}: set a call_later timer on the first poll, and \
             return Pending until it has run",
        );
    }

    #[test]
    fn the_delay_counts_from_the_first_poll() {
        let expected = ends_at(async {
            let sleep = aio::sleep(ms(100));
            aio::sleep(ms(50)).await;
            sleep.await;
        });
        let got = ends_at(async {
            let nap = nap(ms(100));
            aio::sleep(ms(50)).await;
            nap.await;
        });
        assert_eq!(
            got, expected,
            "a nap made at 0 and first polled at 50 ms ended at {got:?}; \
             aio::sleep ends at {expected:?}: start the timer in poll, not \
             in nap()",
        );
    }

    /// What a task writes around a zero-delay sleep, given as `sleeper`,
    /// while callbacks chain through the ticks.
    fn zero_delay_order<F: Future<Output = ()> + 'static>(
        sleeper: F,
    ) -> Vec<&'static str> {
        let log = Rc::new(RefCell::new(Vec::new()));
        let written = log.clone();
        run(async move {
            let event_loop = aio::get_running_loop().unwrap();
            let (lp, first) = (event_loop.clone(), written.clone());
            event_loop
                .call_soon(move || {
                    first.borrow_mut().push("tick 2");
                    let second = first.clone();
                    let _ = lp.call_soon(move || {
                        second.borrow_mut().push("tick 3");
                    });
                })
                .unwrap();
            written.borrow_mut().push("before the sleep");
            sleeper.await;
            written.borrow_mut().push("after the sleep");
            aio::sleep(ms(10)).await;
        });
        log.take()
    }

    #[test]
    fn a_zero_delay_yields_for_exactly_one_tick() {
        let expected = zero_delay_order(aio::sleep(Duration::ZERO));
        let got = zero_delay_order(nap(Duration::ZERO));
        assert_eq!(
            got, expected,
            "around a zero-delay sleep, aio writes {expected:?}: the task \
             yields for exactly one tick. With no yield it comes too early; \
             with a timer (due now, but moved to the ready queue only in the \
             next tick, and its wake-up in the one after) too late. Wake \
             your own waker and return Pending once",
        );
    }

    #[test]
    fn the_newest_waker_is_woken() {
        let (first, second) = (CountingWaker::new(), CountingWaker::new());
        let (a, b) = (first.clone(), second.clone());
        run(async move {
            let mut nap = pin!(nap(ms(100)));
            let mut polled = Vec::new();
            for waker in [&a, &b] {
                polled.push(waker.poll(nap.as_mut()).is_pending());
            }
            assert_eq!(
                polled,
                [true, true],
                "a 100 ms nap is pending on its first two polls",
            );
            aio::sleep(ms(200)).await;
            assert_eq!(
                b.poll(nap.as_mut()),
                Poll::Ready(()),
                "after its timer ran, a nap is ready",
            );
        });
        assert_eq!(
            (first.wakes(), second.wakes()),
            (0, 1),
            "the timer must wake the waker of the latest poll, once, and not \
             the first one: each poll replaces the stored waker",
        );
    }

    #[test]
    fn dropping_a_nap_cancels_its_timer_at_once() {
        let waker = CountingWaker::new();
        let watched = waker.clone();
        run(async move {
            let mut nap = Box::pin(nap(ms(100)));
            let others = watched.holders();
            assert!(watched.poll(nap.as_mut()).is_pending(), "nap is pending");
            assert_eq!(
                watched.holders(),
                others + 1,
                "a pending nap keeps the waker of its last poll (for its \
                 timer to wake)",
            );
            drop(nap);
            assert_eq!(
                watched.holders(),
                others,
                "dropping a pending nap must release its waker at once: \
                 cancel its timer in Drop, which drops the timer's callback \
                 and what it captured",
            );
            aio::sleep(ms(200)).await;
        });
        assert_eq!(waker.wakes(), 0, "a dropped nap's timer never wakes");
    }
}

mod mini_loop {
    use super::shared_grading::{Unfinished, ms, on_thread, virtual_loop};
    use ch02_scheduling::exercises::mini_loop::{MiniHandle, MiniLoop};
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    use std::time::Duration;

    /// What a scheduled callback does when it runs. Node numbers index
    /// `Script::nodes`; each node is scheduled by exactly one action.
    #[derive(Debug, Clone, Copy)]
    enum Action {
        Soon(usize),
        /// Milliseconds from now.
        Later(u64, usize),
        /// An absolute loop time in milliseconds (maybe in the past).
        At(u64, usize),
        Cancel(usize),
        Stop,
    }

    /// A program: what runs before the loop, and what each callback does.
    #[derive(Debug, Clone, Default)]
    struct Script {
        top: Vec<Action>,
        nodes: Vec<Vec<Action>>,
    }

    impl Script {
        /// Adds a node that does `actions`; returns its number.
        fn node(&mut self, actions: Vec<Action>) -> usize {
            self.nodes.push(actions);
            self.nodes.len() - 1
        }

        /// Ends the program: a timer far out that stops the loop for good.
        fn finish(mut self) -> Script {
            let end = self.node(vec![Action::Stop]);
            self.top.push(Action::At(END_MS, end));
            self
        }

        fn stops(&self) -> usize {
            let all = self.nodes.iter().flatten();
            all.filter(|action| matches!(action, Action::Stop)).count()
        }
    }

    const END_MS: u64 = 10_000;

    /// What the grader needs of a loop, so one program runs on both.
    trait Sched: Clone + 'static {
        type Handle: Clone + 'static;
        fn now(&self) -> Duration;
        fn soon(&self, f: Box<dyn FnOnce()>) -> Self::Handle;
        fn later(&self, delay: Duration, f: Box<dyn FnOnce()>) -> Self::Handle;
        fn at(&self, when: Duration, f: Box<dyn FnOnce()>) -> Self::Handle;
        fn cancel(handle: &Self::Handle);
        fn stop(&self);
        fn run(&self);
    }

    impl Sched for aio::EventLoop {
        type Handle = Result<aio::Handle, aio::TimerHandle>;
        fn now(&self) -> Duration {
            self.time()
        }
        fn soon(&self, f: Box<dyn FnOnce()>) -> Self::Handle {
            Ok(self.call_soon(f).unwrap())
        }
        fn later(&self, delay: Duration, f: Box<dyn FnOnce()>) -> Self::Handle {
            Err(self.call_later(delay, f).unwrap())
        }
        fn at(&self, when: Duration, f: Box<dyn FnOnce()>) -> Self::Handle {
            Err(self.call_at(when, f).unwrap())
        }
        fn cancel(handle: &Self::Handle) {
            match handle {
                Ok(handle) => handle.cancel(),
                Err(timer) => timer.cancel(),
            }
        }
        fn stop(&self) {
            aio::EventLoop::stop(self);
        }
        fn run(&self) {
            self.run_forever().unwrap();
        }
    }

    impl Sched for MiniLoop {
        type Handle = MiniHandle;
        fn now(&self) -> Duration {
            self.time()
        }
        fn soon(&self, f: Box<dyn FnOnce()>) -> MiniHandle {
            self.call_soon(f)
        }
        fn later(&self, delay: Duration, f: Box<dyn FnOnce()>) -> MiniHandle {
            self.call_later(delay, f)
        }
        fn at(&self, when: Duration, f: Box<dyn FnOnce()>) -> MiniHandle {
            self.call_at(when, f)
        }
        fn cancel(handle: &MiniHandle) {
            handle.cancel();
        }
        fn stop(&self) {
            MiniLoop::stop(self);
        }
        fn run(&self) {
            self.run_forever();
        }
    }

    /// A program running on one loop.
    struct Run<S: Sched> {
        event_loop: S,
        script: Script,
        log: RefCell<Vec<String>>,
        handles: RefCell<Vec<Option<S::Handle>>>,
        ended: Cell<bool>,
    }

    impl<S: Sched> Run<S> {
        fn write(&self, what: String) {
            let at = self.event_loop.now().as_millis();
            self.log.borrow_mut().push(format!("{what} at {at} ms"));
        }

        fn perform(self: &Rc<Self>, actions: &[Action]) {
            for action in actions {
                let scheduled = match *action {
                    Action::Soon(node) => {
                        Some((node, self.event_loop.soon(self.callback(node))))
                    }
                    Action::Later(delay, node) => Some((
                        node,
                        self.event_loop.later(ms(delay), self.callback(node)),
                    )),
                    Action::At(when, node) => Some((
                        node,
                        self.event_loop.at(ms(when), self.callback(node)),
                    )),
                    Action::Cancel(node) => {
                        let handle = self.handles.borrow()[node].clone();
                        if let Some(handle) = handle {
                            S::cancel(&handle);
                        }
                        None
                    }
                    Action::Stop => {
                        self.event_loop.stop();
                        None
                    }
                };
                if let Some((node, handle)) = scheduled {
                    self.handles.borrow_mut()[node] = Some(handle);
                }
            }
        }

        fn callback(self: &Rc<Self>, node: usize) -> Box<dyn FnOnce()> {
            let run = self.clone();
            Box::new(move || {
                run.write(format!("callback {node}"));
                if node == run.script.nodes.len() - 1 {
                    run.ended.set(true);
                }
                let actions = run.script.nodes[node].clone();
                run.perform(&actions);
            })
        }
    }

    /// Runs `script` on `event_loop`: what ran, and when, and each return
    /// of `run_forever`.
    fn execute<S: Sched>(event_loop: S, script: Script) -> Vec<String> {
        let runs = script.stops() + 2;
        let run = Rc::new(Run {
            handles: RefCell::new(vec![None; script.nodes.len()]),
            event_loop,
            script,
            log: RefCell::default(),
            ended: Cell::new(false),
        });
        let top = run.script.top.clone();
        run.perform(&top);
        for _ in 0..runs {
            run.event_loop.run();
            run.write("run_forever returned".to_owned());
            if run.ended.get() {
                break;
            }
        }
        run.handles.borrow_mut().clear(); // they hold callbacks holding `run`
        run.log.take()
    }

    fn on_aio(script: &Script) -> Vec<String> {
        let event_loop = virtual_loop();
        let log = execute(event_loop.clone(), script.clone());
        event_loop.close().unwrap();
        log
    }

    /// Runs every script on a `MiniLoop` of its own, on another thread, so
    /// that a loop that never returns fails the test instead of hanging it.
    fn on_mini_loop(scripts: &[Script]) -> Vec<Vec<String>> {
        let scripts = scripts.to_vec();
        let run_all = move || {
            let run = |script| execute(MiniLoop::new(), script);
            scripts.into_iter().map(run).collect()
        };
        match on_thread("MiniLoop", Duration::from_secs(10), run_all) {
            Ok(logs) => logs,
            Err(Unfinished::TimedOut) => panic!(
                "your MiniLoop ran for 10 s without finishing: does \
                 run_forever return after a tick in which stop() was called?"
            ),
            Err(Unfinished::Panicked(_)) => panic!(
                "your MiniLoop panicked (see above); a RefCell still \
                 borrowed while a callback runs, perhaps?"
            ),
        }
    }

    /// Runs `script` on both loops and compares, explaining with `rule`.
    fn compare(script: Script, rule: &str) {
        let script = script.finish();
        let expected = on_aio(&script);
        let got = on_mini_loop(std::slice::from_ref(&script)).remove(0);
        assert_eq!(
            got, expected,
            "your MiniLoop ran this program differently from aio: {rule}.\n\
             The program: {script:#?}"
        );
    }

    #[test]
    fn call_soon_is_fifo_and_waits_for_the_next_tick() {
        let mut script = Script::default();
        let c = script.node(vec![]);
        let d = script.node(vec![]);
        let a =
            script.node(vec![Action::Soon(c), Action::Soon(d), Action::Stop]);
        let b = script.node(vec![]);
        script.top = vec![Action::Soon(a), Action::Soon(b)];
        compare(
            script,
            "callbacks run in the order they were queued, and what a \
             callback queues runs in the next tick, after everything \
             already queued (here, after run_forever returns: the first \
             callback called stop(), which ends the loop after this tick)",
        );
    }

    #[test]
    fn timers_fire_by_deadline_then_in_order_set() {
        let mut script = Script::default();
        let nodes: Vec<_> = (0..5).map(|_| script.node(vec![])).collect();
        script.top = vec![
            Action::Later(200, nodes[0]),
            Action::At(100, nodes[1]),
            Action::Later(100, nodes[2]),
            Action::At(0, nodes[3]),
            Action::Soon(nodes[4]),
        ];
        compare(
            script,
            "timers run by deadline, equal deadlines in the order they were \
             set, and a due timer joins the ready queue behind what is \
             there (call_soon beats even a timer due now)",
        );
    }

    #[test]
    fn cancelled_callbacks_never_run() {
        let mut script = Script::default();
        let doomed = script.node(vec![]);
        let queued = script.node(vec![]);
        let later = script.node(vec![]);
        let canceller =
            script.node(vec![Action::Cancel(doomed), Action::Cancel(queued)]);
        script.top = vec![
            Action::Later(50, doomed),
            Action::Later(120, later),
            Action::Soon(canceller),
            Action::Soon(queued),
        ];
        compare(
            script,
            "a cancelled callback never runs, whether it waits in the ready \
             queue or in the timer heap, and a cancelled timer does not \
             hold the clock back",
        );
    }

    #[test]
    fn stop_lets_the_tick_finish() {
        let mut script = Script::default();
        let queued = script.node(vec![]);
        let stopper = script.node(vec![Action::Stop, Action::Soon(queued)]);
        let same_tick = script.node(vec![]);
        let timer = script.node(vec![]);
        script.top = vec![
            Action::Soon(stopper),
            Action::Soon(same_tick),
            Action::Later(30, timer),
        ];
        compare(
            script,
            "stop() lets the tick that called it run to its end, then \
             run_forever returns; the next run_forever goes on from there",
        );
    }

    /// A small deterministic random number generator (a 64-bit LCG).
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % n
        }
    }

    /// Random actions for a callback at `depth`, adding their nodes.
    fn actions(rng: &mut Rng, script: &mut Script, depth: u32) -> Vec<Action> {
        let count = if depth == 0 { 3 + rng.below(4) } else { rng.below(3) };
        let mut actions = Vec::new();
        for _ in 0..count {
            let kind = rng.below(10);
            if kind >= 7 {
                if kind == 9 && depth > 0 && rng.below(3) == 0 {
                    actions.push(Action::Stop);
                } else if !script.nodes.is_empty() {
                    let target = rng.below(script.nodes.len() as u64);
                    actions.push(Action::Cancel(target as usize));
                }
                continue;
            }
            let node = script.node(Vec::new());
            if depth < 3 {
                script.nodes[node] = self::actions(rng, script, depth + 1);
            }
            let time = 10 * rng.below(11);
            actions.push(match kind {
                0..=2 => Action::Soon(node),
                3 | 4 => Action::Later(time, node),
                _ => Action::At(time, node),
            });
        }
        actions
    }

    #[test]
    fn random_programs_run_as_on_aio() {
        let scripts: Vec<Script> = (0..300)
            .map(|seed| {
                let mut rng = Rng(seed);
                let mut script = Script::default();
                script.top = actions(&mut rng, &mut script, 0);
                script.finish()
            })
            .collect();
        let got = on_mini_loop(&scripts);
        for (script, got) in scripts.iter().zip(got) {
            let expected = on_aio(script);
            assert_eq!(
                got, expected,
                "a random program ran differently on your MiniLoop (left) \
                 and on aio (right). The program: {script:#?}"
            );
        }
    }
}

/// The graders' helpers.
#[path = "../../../tests/support/grading.rs"]
mod shared_grading;
