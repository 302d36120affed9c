//! Chapter 14: a loop in debug mode serves its task tree on
//! `aio::tree_socket_path(PID)`, for `aio_ps PID`. Asked here from another
//! thread of the same process, while the loop runs.

mod common;

use common::{CapturedLog, real_loop, virtual_loop};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

/// The tests of this process share its socket path: one at a time.
fn one_server() -> MutexGuard<'static, ()> {
    static ONE_SERVER: Mutex<()> = Mutex::new(());
    ONE_SERVER.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Asks for this process's tree from another thread, and returns the answer
/// with the tree the loop sees when the answer is in, taken on the loop's
/// thread before its tasks move on.
async fn ask_from_another_thread() -> (std::io::Result<String>, String) {
    let (sender, receiver) = aio::oneshot::channel();
    let remote = aio::get_running_loop().unwrap().remote();
    std::thread::spawn(move || {
        let answer = aio::request_task_tree(std::process::id());
        let _ = remote.call_soon_threadsafe(move || {
            let tree = aio::task_tree().unwrap().to_string();
            let _ = sender.send((answer, tree));
        });
    });
    receiver.await.unwrap()
}

#[test]
fn a_loop_in_debug_mode_answers_with_its_task_tree() {
    let _one = one_server();
    let log = CapturedLog::start();
    let event_loop = real_loop();
    event_loop.set_debug(true); // before the loop runs, as usual
    let (answer, tree) = event_loop
        .run_until_complete(async {
            let sleeper = aio::spawn(aio::sleep(Duration::from_secs(3600)))?;
            sleeper.set_name("sleeper");
            let asked = ask_from_another_thread().await;
            sleeper.cancel();
            let _ = sleeper.await;
            Ok::<_, aio::Error>(asked)
        })
        .unwrap()
        .unwrap();
    let answer = answer.expect("an answer");
    assert_eq!(answer, tree);
    assert!(answer.contains("'sleeper' pending"), "{answer}");
    assert!(answer.contains("timer due at 3600."), "{answer}");
    let path = aio::tree_socket_path(std::process::id());
    assert!(path.exists());
    event_loop.close().unwrap();
    assert!(!path.exists(), "closing the loop removes {}", path.display());
    let left_open: Vec<_> = log
        .records()
        .into_iter()
        .filter(|(_, message)| message.contains("left open"))
        .collect();
    assert!(left_open.is_empty(), "{left_open:?}");
}

#[test]
fn without_debug_mode_there_is_no_socket() {
    let _one = one_server();
    let path = aio::tree_socket_path(std::process::id());
    let event_loop = real_loop();
    event_loop.set_debug(false); // even if AIO_DEBUG=1 is set
    let served = event_loop
        .run_until_complete(async move {
            aio::sleep(Duration::ZERO).await;
            path.exists()
        })
        .unwrap();
    assert!(!served, "a loop without debug mode serves nothing");
    let refused = aio::request_task_tree(std::process::id()).unwrap_err();
    assert_eq!(refused.kind(), std::io::ErrorKind::NotFound, "{refused}");
    event_loop.close().unwrap();
}

#[test]
fn turning_debug_mode_off_stops_serving() {
    let _one = one_server();
    let path = aio::tree_socket_path(std::process::id());
    let event_loop = real_loop();
    event_loop.set_debug(true);
    assert!(path.exists());
    event_loop.set_debug(false);
    assert!(!path.exists(), "{} is still there", path.display());
    event_loop.close().unwrap();
}

#[test]
fn the_server_keeps_neither_the_loop_running_nor_time_still() {
    let _one = one_server();
    let event_loop = virtual_loop();
    event_loop.set_debug(true);
    let an_hour = Duration::from_secs(3600);
    event_loop.run_until_complete(aio::sleep(an_hour)).unwrap();
    assert!(event_loop.time() >= an_hour, "virtual time jumped");
    assert!(aio::tree_socket_path(std::process::id()).exists());
    event_loop.close().unwrap();
}
