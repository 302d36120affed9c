//! The graders of chapter 8's exercises, one module per exercise.
//!
//! `cargo test -p ch08-streams --test exercises` grades the reader's code in
//! `src/exercises/`; with `--features solutions` it grades the reference
//! solutions in `solutions/`. Every test fails on the untouched starters.

mod shout {
    use crate::grading::{self, LineClient};
    use crate::shared_grading::HeardLog;
    use ch08_streams::exercises::shout::shout;

    #[test]
    fn each_line_comes_back_in_upper_case() {
        let warnings = HeardLog::install(aio::Level::Warn);
        grading::on_real_clock(async {
            let server = aio::start_server(shout, "127.0.0.1", 0).await?;
            let client = LineClient::connect(server.port()).await?;
            // Two writes, so the server may see them in one read or two.
            client.writer.write(b"Hello, streams\nsecond ")?;
            client.writer.write(b"line\n")?;
            client.writer.write_eof()?;
            let answer = client.read_to_end().await;
            assert_eq!(
                answer, "HELLO, STREAMS\nSECOND LINE\n",
                "each line should come back upper-cased, newline included, \
                 and the server should close after the client's EOF"
            );
            client.writer.close();
            server.close();
            Ok(())
        });
        let warnings = warnings.messages();
        assert!(
            !warnings.iter().any(|w| w.contains("without close()")),
            "the writer was dropped, not closed: call `writer.close()` \
             before `shout` returns (the runtime warned: {warnings:?})"
        );
    }

    #[test]
    fn a_last_line_without_a_newline_is_answered_too() {
        grading::on_real_clock(async {
            let server = aio::start_server(shout, "127.0.0.1", 0).await?;
            let client = LineClient::connect(server.port()).await?;
            client.writer.write(b"one\ntwo")?;
            client.writer.write_eof()?;
            assert_eq!(
                client.read_to_end().await,
                "ONE\nTWO",
                "at EOF, `readline` returns the last line without its \
                 newline: it must be shouted back before closing"
            );
            client.writer.close();
            server.close();
            Ok(())
        });
    }

    #[test]
    fn each_line_is_answered_before_the_client_is_done() {
        grading::on_real_clock(async {
            let server = aio::start_server(shout, "127.0.0.1", 0).await?;
            let client = LineClient::connect(server.port()).await?;
            for word in ["ping", "pong", "done"] {
                client.writer.write(format!("{word}\n").as_bytes())?;
                let line = client.line().await;
                assert_eq!(
                    line,
                    format!("{}\n", word.to_uppercase()),
                    "the answer to a line must come while the connection \
                     is still open: read line by line, not to the end"
                );
            }
            client.writer.write_eof()?;
            assert_eq!(
                client.read_to_end().await,
                "",
                "after the client's EOF the server should close"
            );
            client.writer.close();
            server.close();
            Ok(())
        });
    }
}

mod bulk_send {
    use crate::grading::{self, LineClient};
    use aio::{DEFAULT_HIGH_WATER, Event, StreamReader, StreamWriter};
    use ch08_streams::exercises::bulk_send::bulk_send;
    use std::cell::Cell;
    use std::rc::Rc;
    use std::time::Duration;

    /// 512 chunks of 64 KiB: 32 MiB, far more than the kernel's socket
    /// buffers hold while the peer doesn't read.
    const CHUNK: usize = 64 * 1024;
    const COUNT: usize = 512;

    #[test]
    fn the_write_buffer_stays_bounded_while_the_peer_does_not_read() {
        grading::on_real_clock(async {
            // The server reads nothing until `gate` is set, then counts.
            let gate = Rc::new(Event::new());
            let received = Rc::new(Cell::new(None));
            let (open, count) = (gate.clone(), received.clone());
            let serve = move |reader: StreamReader, writer: StreamWriter| {
                let (open, count) = (open.clone(), count.clone());
                async move {
                    open.wait().await;
                    let all = reader.read_to_end().await.map(|all| all.len());
                    count.set(Some(all.unwrap_or(0)));
                    writer.close();
                }
            };
            let server = aio::start_server(serve, "127.0.0.1", 0).await?;
            let client = LineClient::connect(server.port()).await?;
            let writer = client.writer.clone();
            let sending = aio::spawn(async move {
                let sent = bulk_send(&writer, &[7; CHUNK], COUNT).await;
                let _ = writer.write_eof();
                sent
            })
            .expect("the sender starts");
            // Watch the buffer at every tick until the sender is stuck over
            // the high water mark (or done, if it never waits).
            let transport = client.writer.transport();
            let mut largest = 0;
            while !sending.done() {
                largest = largest.max(transport.get_write_buffer_size());
                if largest > DEFAULT_HIGH_WATER {
                    break;
                }
                aio::sleep(Duration::ZERO).await;
            }
            largest = largest.max(transport.get_write_buffer_size());
            assert!(
                largest <= DEFAULT_HIGH_WATER + CHUNK,
                "the write buffer held {largest} bytes while the peer was \
                 not reading: await `drain` after each write, so it never \
                 holds more than the high water mark plus one chunk"
            );
            gate.set();
            let sent = sending.await.expect("the sender ran");
            sent.expect("bulk_send succeeds against a peer that reads");
            while received.get().is_none() {
                aio::sleep(Duration::from_millis(1)).await;
            }
            assert_eq!(
                received.get(),
                Some(CHUNK * COUNT),
                "the peer should get every chunk, {COUNT} of {CHUNK} bytes"
            );
            client.writer.close();
            server.close();
            Ok(())
        });
    }

    #[test]
    fn a_lost_connection_is_an_error() {
        grading::on_real_clock(async {
            // The server hangs up at once, resetting the connection.
            let serve = |_: StreamReader, writer: StreamWriter| async move {
                writer.transport().abort();
            };
            let server = aio::start_server(serve, "127.0.0.1", 0).await?;
            let client = LineClient::connect(server.port()).await?;
            let sent = bulk_send(&client.writer, &[7; CHUNK], COUNT).await;
            assert!(
                sent.is_err(),
                "sending 32 MiB to a peer that reset the connection should \
                 fail: `drain` reports the lost connection, pass it on"
            );
            client.writer.close();
            server.close();
            Ok(())
        });
    }
}

mod frames {
    use crate::grading::{self, LineClient};
    use aio::{StreamError, StreamReader, StreamWriter};
    use ch08_streams::exercises::frames::{MAX_FRAME, read_frame, write_frame};
    use std::time::Duration;

    /// A frame as the format defines it, built here on its own.
    fn encoded(payload: &[u8]) -> Vec<u8> {
        let mut frame = (payload.len() as u32).to_be_bytes().to_vec();
        frame.extend_from_slice(payload);
        frame
    }

    /// A reader fed `bytes` in pieces of 1 to 7 bytes, one millisecond of
    /// virtual time apart, then EOF if `eof`.
    fn fed_in_pieces(bytes: Vec<u8>, eof: bool) -> StreamReader {
        let reader = StreamReader::new(aio::DEFAULT_LIMIT);
        let feeder = reader.clone();
        aio::spawn(async move {
            let mut rest = &bytes[..];
            let mut size = 1;
            while !rest.is_empty() {
                let (piece, after) = rest.split_at(size.min(rest.len()));
                feeder.feed_data(piece);
                rest = after;
                size = size % 7 + 1;
                aio::sleep(Duration::from_millis(1)).await;
            }
            if eof {
                feeder.feed_eof();
            }
        })
        .expect("the feeder starts");
        reader
    }

    #[test]
    fn frames_cut_anywhere_come_out_whole() {
        let payloads: Vec<Vec<u8>> = vec![
            b"hello".to_vec(),
            Vec::new(),
            vec![b'x'; 1000],
            b"!".to_vec(),
        ];
        let stream: Vec<u8> =
            payloads.iter().flat_map(|p| encoded(p)).collect();
        let read = grading::on_virtual_clock(async move {
            let reader = fed_in_pieces(stream, true);
            let mut read = Vec::new();
            loop {
                match read_frame(&reader).await {
                    Ok(Some(payload)) => read.push(payload),
                    Ok(None) => return read,
                    Err(error) => panic!(
                        "after {} frames, read_frame failed with {error:?}; \
                         the stream holds only whole frames",
                        read.len()
                    ),
                }
            }
        });
        assert_eq!(
            read.len(),
            payloads.len(),
            "expected {} frames before the end (an empty frame is a frame, \
             not the end of the stream)",
            payloads.len()
        );
        assert_eq!(
            read, payloads,
            "the payloads should come out whole and in order, however the \
             bytes were cut"
        );
    }

    #[test]
    fn an_end_inside_a_frame_is_an_incomplete_read() {
        let mut cut_payload = encoded(b"0123456789");
        cut_payload.truncate(4 + 3);
        let cases = [(vec![0, 0], 4, 2), (cut_payload, 10, 3)];
        for (bytes, expected_size, partial_size) in cases {
            let outcome = grading::on_virtual_clock(async move {
                let reader = fed_in_pieces(bytes, true);
                read_frame(&reader).await
            });
            match outcome {
                Err(StreamError::IncompleteRead { partial, expected }) => {
                    assert_eq!(
                        (partial.len(), expected),
                        (partial_size, Some(expected_size)),
                        "the IncompleteRead should carry the {partial_size} \
                         bytes that came of the {expected_size} expected"
                    );
                }
                other => panic!(
                    "a stream that ends {partial_size} bytes into a part of \
                     {expected_size} should fail with IncompleteRead, not \
                     give {other:?}"
                ),
            }
        }
    }

    #[test]
    fn an_oversized_frame_is_refused_without_waiting_for_it() {
        let header = ((MAX_FRAME + 1) as u32).to_be_bytes().to_vec();
        let outcome = grading::on_virtual_clock(async move {
            // The header only, and no EOF: the payload never comes.
            let reader = fed_in_pieces(header, false);
            let read = read_frame(&reader);
            match aio::wait_for(read, Duration::from_secs(1)).await {
                Ok(outcome) => outcome,
                Err(_) => panic!(
                    "read_frame waited for a payload over MAX_FRAME: check \
                     the announced length before reading the payload"
                ),
            }
        });
        match outcome {
            Err(StreamError::Io(error)) => assert_eq!(
                error.kind(),
                std::io::ErrorKind::InvalidData,
                "a frame over MAX_FRAME is InvalidData"
            ),
            other => panic!(
                "a header announcing {} bytes should fail with \
                 StreamError::Io(InvalidData), not give {other:?}",
                MAX_FRAME + 1
            ),
        }
    }

    /// Sends what the client wrote back to it at its EOF.
    async fn echo_all(reader: StreamReader, writer: StreamWriter) {
        if let Ok(all) = reader.read_to_end().await {
            let _ = writer.write(&all);
        }
        writer.close();
    }

    #[test]
    fn written_frames_reach_the_peer_in_the_format() {
        grading::on_real_clock(async {
            let server = aio::start_server(echo_all, "127.0.0.1", 0).await?;
            let client = LineClient::connect(server.port()).await?;
            write_frame(&client.writer, b"hello")?;
            write_frame(&client.writer, b"")?;
            let too_big = vec![0; MAX_FRAME + 1];
            let refused = write_frame(&client.writer, &too_big);
            assert_eq!(
                refused.map_err(|error| error.kind()).err(),
                Some(std::io::ErrorKind::InvalidInput),
                "a payload over MAX_FRAME should be refused with InvalidInput"
            );
            write_frame(&client.writer, b"world")?;
            client.writer.write_eof()?;
            let sent = client.reader.read_to_end().await?;
            let expected =
                [encoded(b"hello"), encoded(b""), encoded(b"world")].concat();
            assert_eq!(
                sent, expected,
                "each frame is its length as 4 big-endian bytes, then the \
                 payload; a refused frame sends nothing"
            );
            client.writer.close();
            server.close();
            Ok(())
        });
    }
}

mod chat_server {
    use crate::grading::{self, LineClient};
    use ch08_streams::exercises::chat_server::start_chat;

    /// Connects, says `name`, and checks the welcome.
    async fn join(port: u16, name: &str) -> std::io::Result<LineClient> {
        let client = LineClient::connect(port).await?;
        client.writer.write(format!("{name}\n").as_bytes())?;
        let welcome = client.line().await;
        assert_eq!(
            welcome,
            format!("* welcome {name}\n"),
            "a new member's first line from the server is its welcome"
        );
        Ok(client)
    }

    #[test]
    fn members_hear_each_other_but_not_themselves() {
        grading::on_real_clock(async {
            let server = start_chat("127.0.0.1", 0).await?;
            let port = server.port();
            let alice = join(port, "alice").await?;
            let bob = join(port, "bob").await?;
            assert_eq!(
                alice.line().await,
                "* bob joined\n",
                "members already in the room hear who joins"
            );
            let carol = join(port, "carol").await?;
            for member in [&alice, &bob] {
                assert_eq!(member.line().await, "* carol joined\n");
            }
            alice.writer.write(b"hi all\n")?;
            for member in [&bob, &carol] {
                assert_eq!(
                    member.line().await,
                    "alice: hi all\n",
                    "a line reaches every other member as `NAME: TEXT`"
                );
            }
            bob.writer.write(b"hello alice\n")?;
            assert_eq!(
                alice.line().await,
                "bob: hello alice\n",
                "alice should hear bob, and not her own line back"
            );
            assert_eq!(carol.line().await, "bob: hello alice\n");
            carol.writer.write_eof()?;
            for member in [&alice, &bob] {
                assert_eq!(
                    member.line().await,
                    "* carol left\n",
                    "at a member's EOF, the others hear that it left"
                );
            }
            assert_eq!(
                carol.read_to_end().await,
                "",
                "the server closes the connection of a member that left"
            );
            alice.writer.write(b"bye\n")?;
            assert_eq!(
                bob.line().await,
                "alice: bye\n",
                "a member that left is out of the room"
            );
            for member in [alice, bob, carol] {
                member.writer.close();
            }
            server.close();
            Ok(())
        });
    }

    #[test]
    fn a_name_in_use_is_refused() {
        grading::on_real_clock(async {
            let server = start_chat("127.0.0.1", 0).await?;
            let alice = join(server.port(), "alice").await?;
            let impostor = LineClient::connect(server.port()).await?;
            impostor.writer.write(b"alice\n")?;
            assert_eq!(
                impostor.read_to_end().await,
                "* name taken\n",
                "a second `alice` gets `* name taken` and its connection \
                 closed"
            );
            let bob = join(server.port(), "bob").await?;
            assert_eq!(
                alice.line().await,
                "* bob joined\n",
                "the refused client was never in the room: alice hears \
                 nothing about it, and the room goes on"
            );
            for member in [alice, bob, impostor] {
                member.writer.close();
            }
            server.close();
            Ok(())
        });
    }

    #[test]
    fn a_line_over_the_limit_is_skipped_whole() {
        grading::on_real_clock(async {
            let server = start_chat("127.0.0.1", 0).await?;
            let alice = join(server.port(), "alice").await?;
            let bob = join(server.port(), "bob").await?;
            assert_eq!(alice.line().await, "* bob joined\n");
            // More than the limit with no newline yet: the server can tell
            // the line is too long before its end has come.
            alice.writer.write(&vec![b'x'; aio::DEFAULT_LIMIT + 4096])?;
            assert_eq!(
                alice.line().await,
                "* line too long\n",
                "a line over the reader's limit gets `* line too long` to \
                 its sender, as soon as the limit is passed"
            );
            alice.writer.write(b"the end of the long line\nafter\n")?;
            assert_eq!(
                bob.line().await,
                "alice: after\n",
                "the rest of a long line, up to its newline, belongs to the \
                 skipped line: `readline` drops only what was buffered, so \
                 skip to the newline yourself"
            );
            for member in [alice, bob] {
                member.writer.close();
            }
            server.close();
            Ok(())
        });
    }
}

/// What the graders share: loops with a deadline, and a client (from
/// [`shared_grading`]).
mod grading {
    pub use crate::shared_grading::LineClient;
    use crate::shared_grading::{
        Limit, run_on_real_clock, run_on_virtual_clock,
    };
    use std::io;

    /// How long any grader may take, in loop time.
    const DEADLINE: Limit =
        Limit::seconds(10, "something waits for data that never comes");

    /// Runs `test` on a loop with the real clock (for real sockets), for
    /// at most ten seconds.
    pub fn on_real_clock<T: 'static>(
        test: impl Future<Output = io::Result<T>> + 'static,
    ) -> T {
        run_on_real_clock(DEADLINE, test)
    }

    /// Runs `test` on a loop with the virtual clock, for at most ten
    /// seconds of it.
    pub fn on_virtual_clock<T: 'static>(
        test: impl Future<Output = T> + 'static,
    ) -> T {
        run_on_virtual_clock(DEADLINE, test)
    }
}

#[path = "../../../tests/support/grading.rs"]
mod shared_grading;
