//! Streams under faults: lines past the reader's limit (before and after
//! their newline has arrived), and writes that meet a peer's reset (the
//! writer must then not be "unclosed", and `drain` must report the reset).

mod common;

use aio::{StreamError, StreamReader, StreamWriter};
use std::cell::RefCell;
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::rc::Rc;
use std::time::Duration;

/// A hang guard only: every wait below ends long before on a working build.
const HANG_GUARD: Duration = Duration::from_secs(30);

/// What a `readline` gave, in a form that compares: the line, or "overrun"
/// with asyncio's `consumed`.
#[derive(Debug, PartialEq)]
enum Line {
    Bytes(Vec<u8>),
    Overrun { consumed: usize },
}

async fn readline(reader: &StreamReader) -> Line {
    match reader.readline().await {
        Ok(line) => Line::Bytes(line),
        Err(StreamError::LimitOverrun { consumed }) => {
            Line::Overrun { consumed }
        }
        Err(other) => panic!("readline failed: {other}"),
    }
}

fn bytes(line: &[u8]) -> Line {
    Line::Bytes(line.to_vec())
}

/// Runs `reads` on a fresh reader with a 16-byte limit, on the virtual clock.
fn with_small_reader<T: 'static>(
    reads: impl AsyncFnOnce(StreamReader) -> T + 'static,
) -> T {
    let event_loop = common::virtual_loop();
    let outcome = event_loop
        .run_until_complete(async move { reads(StreamReader::new(16)).await })
        .expect("the reads ran to the end (no panic)");
    event_loop.close().unwrap();
    outcome
}

// The expected values below are what CPython's asyncio gives for the same
// feeds (`asyncio.StreamReader(limit=16)`).

#[test]
fn readline_past_the_limit_before_its_newline_clears_the_buffer_and_goes_on() {
    let lines = with_small_reader(async |reader| {
        reader.feed_data(&[b'x'; 20]); // no newline yet
        let first = readline(&reader).await;
        reader.feed_data(b"tail\nnext\n");
        [first, readline(&reader).await, readline(&reader).await]
    });
    assert_eq!(
        lines,
        [Line::Overrun { consumed: 20 }, bytes(b"tail\n"), bytes(b"next\n")]
    );
}

#[test]
fn readline_waiting_while_its_line_passes_the_limit_fails_and_goes_on() {
    let lines = with_small_reader(async |reader| {
        let feeder = reader.clone();
        aio::spawn(async move {
            for piece in [&b"yyyyyyyyyy"[..], b"yyyyyyyyyy", b"rest\nok\n"] {
                aio::sleep(Duration::ZERO).await; // the reader waits first
                feeder.feed_data(piece);
            }
        })
        .unwrap();
        let first = readline(&reader).await;
        [first, readline(&reader).await, readline(&reader).await]
    });
    assert_eq!(
        lines,
        [Line::Overrun { consumed: 20 }, bytes(b"rest\n"), bytes(b"ok\n")]
    );
}

#[test]
fn readline_past_the_limit_with_its_newline_buffered_drops_it_through_that() {
    let lines = with_small_reader(async |reader| {
        reader.feed_data(b"xxxxxxxxxxxxxxxxxxxx\nshort\n");
        [readline(&reader).await, readline(&reader).await]
    });
    assert_eq!(lines, [Line::Overrun { consumed: 20 }, bytes(b"short\n")]);
}

#[test]
fn the_limit_counts_the_line_without_its_newline_even_at_eof() {
    let lines = with_small_reader(async |reader| {
        reader.feed_data(b"zzzzzzzzzzzzzzzz\n"); // 16 bytes: at the limit
        let at_limit = readline(&reader).await;
        reader.feed_data(b"zzzzzzzzzzzzzzzzz"); // 17, and the end
        reader.feed_eof();
        let over = readline(&reader).await;
        [at_limit, over, readline(&reader).await]
    });
    assert_eq!(
        lines,
        [
            bytes(b"zzzzzzzzzzzzzzzz\n"),
            Line::Overrun { consumed: 17 }, // asyncio checks the limit first
            bytes(b""),
        ]
    );
}

#[test]
fn readuntil_waits_for_a_separator_that_starts_at_the_limit() {
    // 16 bytes and the first byte of "\r\n": the separator may still start at
    // the limit, so asyncio waits for the next byte instead of giving up.
    let got = with_small_reader(async |reader| {
        reader.feed_data(b"aaaaaaaaaaaaaaaa\r");
        let feeder = reader.clone();
        aio::spawn(async move { feeder.feed_data(b"\n") }).unwrap();
        reader.readuntil(b"\r\n").await.map_err(|error| error.to_string())
    });
    assert_eq!(got, Ok(b"aaaaaaaaaaaaaaaa\r\n".to_vec()));
}

#[test]
fn a_peer_sending_more_than_the_limit_without_a_newline_gets_an_error() {
    let event_loop = common::real_loop();
    let (lines, client_heard) = event_loop
        .run_until_complete(async {
            let (lines_tx, lines_rx) = aio::oneshot::channel::<Vec<Line>>();
            let lines_tx = Rc::new(RefCell::new(Some(lines_tx)));
            let server = aio::start_server(
                move |reader: StreamReader, writer: StreamWriter| {
                    let lines_tx = lines_tx.clone();
                    async move {
                        let lines =
                            read_past_a_long_line(&reader, &writer).await;
                        writer.close();
                        if let Some(tx) = lines_tx.borrow_mut().take() {
                            let _ = tx.send(lines);
                        }
                    }
                },
                "127.0.0.1",
                0,
            )
            .await
            .unwrap();
            let client = long_line_client(server.port());
            let lines = aio::wait_for(lines_rx, HANG_GUARD).await;
            let client_heard = aio::wait_for(client, HANG_GUARD).await;
            server.close();
            (lines, client_heard)
        })
        .unwrap();
    let lines = lines
        .expect("hang guard")
        .expect("the connection's task lived to send its lines");
    assert!(
        matches!(lines.first(), Some(Line::Overrun { .. })),
        "the long line was an error: {lines:?}"
    );
    assert_eq!(lines.last(), Some(&bytes(b"hello\n")), "{lines:?}");
    assert_eq!(client_heard.unwrap().unwrap(), "too long\n");
    event_loop.close().unwrap();
}

/// The server's side: reads lines until `hello`, answering the first overrun
/// with "too long".
async fn read_past_a_long_line(
    reader: &StreamReader,
    writer: &StreamWriter,
) -> Vec<Line> {
    let mut lines = Vec::new();
    loop {
        let line = readline(reader).await;
        if matches!(line, Line::Overrun { .. }) && lines.is_empty() {
            writer.write(b"too long\n").unwrap();
        }
        let done =
            matches!(&line, Line::Bytes(b) if b == b"hello\n" || b.is_empty());
        lines.push(line);
        if done {
            return lines;
        }
    }
}

/// A client that sends more than the limit without a newline, waits for the
/// server's answer, then ends the line and says hello. Gives what it heard.
fn long_line_client(port: u16) -> aio::oneshot::Receiver<String> {
    let (tx, rx) = aio::oneshot::channel();
    std::thread::spawn(move || {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.set_read_timeout(Some(HANG_GUARD)).unwrap();
        stream.write_all(&vec![b'x'; aio::DEFAULT_LIMIT + 1000]).unwrap();
        let mut answer = [0u8; 9];
        let heard = match stream.read_exact(&mut answer) {
            Ok(()) => String::from_utf8_lossy(&answer).into_owned(),
            Err(error) => format!("no answer: {error}"),
        };
        let _ = stream.write_all(b"\nhello\n");
        let _ = stream.shutdown(std::net::Shutdown::Write);
        let _ = stream.read_to_end(&mut Vec::new());
        let _ = tx.send(heard);
    });
    rx
}

// Writes that meet a reset. The client below resets its connection; the
// server's handler pauses reading first, so the connection's task cannot hear
// of the reset before the handler's own `write` does. That is the order that
// loses the race on a real connection now and then (a write that runs just
// after the reset arrived, before the task's next read); here it is forced,
// every time.

/// A client that waits for the server's greeting, leaves it unread and closes:
/// closing with unread data makes the kernel send a reset. The receiver hears
/// once the socket is closed.
fn resetting_client(port: u16) -> aio::oneshot::Receiver<()> {
    let (tx, rx) = aio::oneshot::channel();
    std::thread::spawn(move || {
        let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.set_read_timeout(Some(HANG_GUARD)).unwrap();
        let _ = stream.peek(&mut [0u8; 1]); // the greeting is here, unread
        drop(stream);
        let _ = tx.send(());
    });
    rx
}

/// Writes until a write fails (the reset has reached our socket), and gives
/// that error.
async fn write_until_refused(writer: &StreamWriter) -> io::Error {
    loop {
        if let Err(error) = writer.write(b"are you still there?") {
            return error;
        }
        aio::sleep(Duration::from_millis(1)).await;
    }
}

/// Runs `after_reset` on the server side of `connections` connections, one at
/// a time, each reset by its client while reading is paused; gives what each
/// run returned.
fn after_a_reset<T: 'static>(
    connections: usize,
    after_reset: impl AsyncFn(StreamReader, StreamWriter) -> T + 'static,
) -> Vec<T> {
    let event_loop = common::real_loop();
    let outcomes = event_loop
        .run_until_complete(async move {
            let after_reset = Rc::new(after_reset);
            let reset_done: Rc<RefCell<Option<aio::oneshot::Receiver<()>>>> =
                Rc::default();
            let outcomes: aio::Queue<T> = aio::Queue::new(0);
            let outcome_tx = outcomes.clone();
            let slot = reset_done.clone();
            let server = aio::start_server(
                move |reader: StreamReader, writer: StreamWriter| {
                    let (after_reset, slot) =
                        (after_reset.clone(), slot.clone());
                    let outcome_tx = outcome_tx.clone();
                    async move {
                        writer.transport().pause_reading();
                        writer.write(b"hello").unwrap();
                        let reset = slot.borrow_mut().take().unwrap();
                        reset.await.unwrap();
                        let outcome = after_reset(reader, writer).await;
                        outcome_tx.put_nowait(outcome).unwrap();
                    }
                },
                "127.0.0.1",
                0,
            )
            .await
            .unwrap();
            let mut each = Vec::new();
            for _ in 0..connections {
                reset_done.replace(Some(resetting_client(server.port())));
                // Longer than the handlers' own guards, so theirs report.
                let outcome =
                    aio::wait_for(outcomes.get(), 2 * HANG_GUARD).await;
                each.push(outcome.expect("hang guard").unwrap());
            }
            server.close();
            each
        })
        .unwrap();
    event_loop.close().unwrap();
    outcomes
}

fn unclosed_warnings(log: &common::CapturedLog) -> usize {
    log.records()
        .iter()
        .filter(|(_, message)| message.contains("dropped without close()"))
        .count()
}

#[test]
fn a_writer_whose_write_met_a_reset_is_not_unclosed() {
    let log = common::CapturedLog::start();
    let errors = after_a_reset(20, async |_reader, writer| {
        let error = write_until_refused(&writer).await;
        let closing = writer.is_closing();
        drop(writer); // without close(), as a handler that gives up does
        (error.kind(), closing)
    });
    assert!(
        errors.iter().all(|(_, closing)| *closing),
        "a write that met the reset made the writer closing: {errors:?}"
    );
    assert_eq!(unclosed_warnings(&log), 0, "{:?}", log.records());
}

#[test]
fn a_writer_dropped_without_close_on_a_live_connection_still_warns() {
    let log = common::CapturedLog::start();
    let event_loop = common::real_loop();
    let received = event_loop
        .run_until_complete(async {
            let server = aio::start_server(
                |_reader: StreamReader, writer: StreamWriter| async move {
                    writer.write(b"bye").unwrap();
                    drop(writer); // the connection is fine: this is unclosed
                },
                "127.0.0.1",
                0,
            )
            .await
            .unwrap();
            let (reader, writer) =
                aio::open_connection("127.0.0.1", server.port()).await.unwrap();
            let received =
                aio::wait_for(reader.read_to_end(), HANG_GUARD).await;
            writer.close();
            server.close();
            received
        })
        .unwrap();
    assert_eq!(received.expect("hang guard").unwrap(), b"bye");
    assert_eq!(unclosed_warnings(&log), 1, "{:?}", log.records());
    event_loop.close().unwrap();
}

#[test]
fn drain_after_a_write_that_met_a_reset_reports_the_reset() {
    let outcomes = after_a_reset(5, async |reader, writer| {
        let error = write_until_refused(&writer).await.to_string();
        let drained = aio::wait_for(writer.drain(), HANG_GUARD).await;
        let read = aio::wait_for(reader.read(10), HANG_GUARD).await;
        writer.close();
        let drained = drained.map(|drained| drained.map_err(|e| e.to_string()));
        let read = read.map(|read| read.map_err(|e| e.to_string()));
        (error, drained, read)
    });
    for (write_error, drained, read) in outcomes {
        // The connection's own error (a reset), not just "lost".
        assert_eq!(drained.expect("hang guard"), Err(write_error.clone()));
        assert_eq!(
            read.expect("hang guard"),
            Err(format!("the connection failed: {write_error}")),
            "the reader reports the reset too"
        );
    }
}

#[test]
fn a_paused_drain_that_a_clean_end_wakes_returns_normally() {
    // asyncio's `connection_lost(None)` completes every waiting drain with
    // `None`: the connection ended, but nothing went wrong.
    let event_loop = common::real_loop();
    let drained = event_loop
        .run_until_complete(async {
            let (done_tx, done_rx) = aio::oneshot::channel();
            let done_tx = RefCell::new(Some(done_tx));
            let server = aio::start_server(
                move |_reader: StreamReader, writer: StreamWriter| {
                    let done_tx = done_tx.borrow_mut().take();
                    async move {
                        // The client never reads: the buffer passes the high
                        // water mark, and drain waits.
                        let big = vec![7u8; 8 << 20];
                        while writer.transport().get_write_buffer_size()
                            <= 1 << 20
                        {
                            writer.write(&big).unwrap();
                        }
                        let transport = writer.transport().clone();
                        aio::spawn(async move {
                            aio::sleep(Duration::from_millis(20)).await;
                            transport.abort(); // a clean end, no error
                        })
                        .unwrap();
                        let drained =
                            aio::wait_for(writer.drain(), HANG_GUARD).await;
                        if let Some(done_tx) = done_tx {
                            let _ = done_tx.send(drained.map(|r| r.is_ok()));
                        }
                    }
                },
                "127.0.0.1",
                0,
            )
            .await
            .unwrap();
            let port = server.port();
            let client = std::thread::spawn(move || {
                let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
                std::thread::sleep(Duration::from_millis(500));
                drop(stream);
            });
            let drained = done_rx.await.unwrap();
            server.close();
            client.join().unwrap();
            drained
        })
        .unwrap();
    assert!(drained.expect("not a hang"), "drain returned Ok");
    event_loop.close().unwrap();
}
