//! Streams under faults: lines past the reader's limit (before and after
//! their newline has arrived).

mod common;

use aio::{StreamError, StreamReader, StreamWriter};
use std::cell::RefCell;
use std::io::{Read, Write};
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
