//! The first cut at a loop runs tasks in the order they are woken: tasks that
//! yield take turns, tasks that wake each other alternate, and a main future
//! that nothing can wake ends the loop instead of hanging it.

use ch01_coroutines::first_cut::{Spawner, block_on, yield_now};
use std::future::poll_fn;
use std::sync::{Arc, Mutex};
use std::task::{Poll, Waker};

/// What the tasks did, in order, shared by all of them.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<String>>>);

impl Log {
    fn say(&self, line: impl Into<String>) {
        self.0.lock().unwrap().push(line.into());
    }

    fn lines(&self) -> String {
        self.0.lock().unwrap().join("\n")
    }
}

/// A one-slot mailbox: `send` stores a value and wakes the receiver.
#[derive(Clone, Default)]
struct Mailbox(Arc<Mutex<(Option<u32>, Option<Waker>)>>);

impl Mailbox {
    fn send(&self, value: u32) {
        let mut slot = self.0.lock().unwrap();
        slot.0 = Some(value);
        if let Some(waker) = slot.1.take() {
            waker.wake();
        }
    }

    async fn receive(&self) -> u32 {
        poll_fn(|cx| {
            let mut slot = self.0.lock().unwrap();
            match slot.0.take() {
                Some(value) => Poll::Ready(value),
                None => {
                    slot.1 = Some(cx.waker().clone());
                    Poll::Pending
                }
            }
        })
        .await
    }
}

fn snapshot(name: &str, log: &Log) {
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!(name, log.lines());
    });
}

fn counter(
    log: &Log,
    name: &'static str,
    done: Mailbox,
) -> impl Future<Output = ()> + Send + 'static {
    let log = log.clone();
    async move {
        for step in 0..3 {
            log.say(format!("{name} {step}"));
            yield_now().await;
        }
        done.send(0);
    }
}

#[test]
fn tasks_that_yield_take_turns() {
    let log = Log::default();
    let main_log = log.clone();
    let finished = block_on(|spawner: Spawner| async move {
        let (a_done, b_done) = (Mailbox::default(), Mailbox::default());
        spawner.spawn(counter(&main_log, "a", a_done.clone()));
        spawner.spawn(counter(&main_log, "b", b_done.clone()));
        main_log.say("main spawned a and b");
        a_done.receive().await;
        b_done.receive().await;
        main_log.say("main saw both finish");
    });
    assert_eq!(finished, Some(()));
    snapshot("first_cut_yield", &log);
}

#[test]
fn tasks_that_wake_each_other_alternate() {
    let log = Log::default();
    let main_log = log.clone();
    let finished = block_on(|spawner: Spawner| async move {
        let (to_a, to_b, done) = <(Mailbox, Mailbox, Mailbox)>::default();
        let (a_log, a_inbox, a_outbox) =
            (main_log.clone(), to_a.clone(), to_b.clone());
        let a_done = done.clone();
        spawner.spawn(async move {
            for ball in [1, 3] {
                a_log.say(format!("a sends {ball}"));
                a_outbox.send(ball);
                let back = a_inbox.receive().await;
                a_log.say(format!("a got {back}"));
            }
            a_done.send(0);
        });
        let b_log = main_log.clone();
        spawner.spawn(async move {
            for _ in 0..2 {
                let ball = to_b.receive().await;
                b_log.say(format!("b got {ball}, sends {}", ball + 1));
                to_a.send(ball + 1);
            }
        });
        done.receive().await;
        main_log.say("main saw the rally end");
    });
    assert_eq!(finished, Some(()));
    snapshot("first_cut_rally", &log);
}

#[test]
fn a_main_future_that_nothing_wakes_ends_the_loop() {
    let never = Mailbox::default();
    let finished = block_on(|_| async move { never.receive().await });
    assert_eq!(finished, None, "the queue ran dry, so block_on gave up");
}

#[test]
fn a_stale_wake_of_a_finished_task_is_harmless() {
    let finished = block_on(|spawner: Spawner| async move {
        let early = Arc::new(Mutex::new(None::<Waker>));
        let keep = Arc::clone(&early);
        spawner.spawn(poll_fn(move |cx| {
            *keep.lock().unwrap() = Some(cx.waker().clone());
            Poll::Ready(())
        }));
        yield_now().await;
        let waker = early.lock().unwrap().take().expect("the task ran");
        waker.wake(); // queues a task whose future is gone
        yield_now().await;
        "main went on"
    });
    assert_eq!(finished, Some("main went on"));
}
