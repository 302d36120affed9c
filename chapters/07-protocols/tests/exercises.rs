//! The graders of chapter 7's exercises, one module per exercise.
//!
//! `cargo test -p ch07-protocols --test exercises` grades the reader's code in
//! `src/exercises/`; with `--features solutions` it grades the reference
//! solutions in `solutions/`. Every test fails on the untouched starters.

mod counting_echo {
    use super::grading::{connect, pattern, read_to_eof, with_server};
    use ch07_protocols::exercises::counting_echo::CountingEcho;
    use std::io::Write;
    use std::net::Shutdown;

    fn start() -> impl Future<Output = std::io::Result<aio::Server>> {
        aio::create_server(CountingEcho::default, "127.0.0.1", 0)
    }

    #[test]
    fn echoes_and_counts_at_eof() {
        let got = with_server(start(), |port| {
            let mut stream = connect(port)?;
            stream.write_all(b"hello ")?;
            stream.write_all(b"world")?;
            stream.shutdown(Shutdown::Write)?;
            read_to_eof(&mut stream)
        });
        assert_eq!(
            String::from_utf8_lossy(&got.expect("the client's reads")),
            "hello worldreceived 11 bytes\n",
            "the client sent 11 bytes and then EOF: it should get its bytes \
             back, then the count, then EOF"
        );
    }

    #[test]
    fn counts_zero_for_a_client_that_sends_nothing() {
        let got = with_server(start(), |port| {
            let mut stream = connect(port)?;
            stream.shutdown(Shutdown::Write)?;
            read_to_eof(&mut stream)
        });
        assert_eq!(
            String::from_utf8_lossy(&got.expect("the client's reads")),
            "received 0 bytes\n",
            "a client that only sends EOF still gets the count: the \
             connection is half-closed, and the server's side still writes"
        );
    }

    #[test]
    fn echoes_a_large_upload_whole() {
        let sent = pattern(3 << 20);
        let expected = sent.clone();
        let got = with_server(start(), move |port| {
            let mut stream = connect(port)?;
            let mut writer = stream.try_clone()?;
            // Write from another thread while this one reads, so that
            // neither side waits for the other.
            let writing = std::thread::spawn(move || {
                writer.write_all(&sent)?;
                writer.shutdown(Shutdown::Write)
            });
            let got = read_to_eof(&mut stream);
            writing.join().expect("the writer thread")?;
            got
        });
        let got = got.expect("the client's reads");
        let (echo, count) = got.split_at(expected.len().min(got.len()));
        assert!(
            echo == expected.as_slice(),
            "3 MiB were sent in many pieces: the echo must be every byte, in \
             order ({} bytes came back before the count)",
            echo.len()
        );
        assert_eq!(
            String::from_utf8_lossy(count),
            format!("received {} bytes\n", expected.len())
        );
    }
}

mod paced_sender {
    use super::grading::{connect, read_to_eof, with_server};
    use aio::{Protocol, Transport};
    use ch07_protocols::exercises::paced_sender::{
        CHUNK, PacedSender, byte_at,
    };
    use std::cell::Cell;
    use std::io;
    use std::rc::Rc;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::{Duration, Instant};

    /// What the grader sees of the server's side.
    #[derive(Default)]
    struct Seen {
        most_buffered: Cell<usize>,
        pauses: Cell<usize>,
        resumes: Cell<usize>,
    }

    /// The reader's protocol, watched: every call goes to it unchanged, and
    /// after each one the grader notes the size of the write buffer.
    struct Watched {
        sender: PacedSender,
        transport: Option<Transport>,
        high_water: Option<usize>,
        seen: Rc<Seen>,
        paused: Arc<AtomicBool>,
    }

    impl Watched {
        fn note_buffer(&self) {
            if let Some(transport) = &self.transport {
                let size = transport.get_write_buffer_size();
                let most = &self.seen.most_buffered;
                most.set(most.get().max(size));
            }
        }
    }

    impl Protocol for Watched {
        fn connection_made(&mut self, transport: Transport) {
            if let Some(high) = self.high_water {
                transport.set_write_buffer_limits(high, None);
            }
            self.transport = Some(transport.clone());
            self.sender.connection_made(transport);
            self.note_buffer();
        }
        fn data_received(&mut self, data: &[u8]) {
            self.sender.data_received(data);
            self.note_buffer();
        }
        fn pause_writing(&mut self) {
            self.seen.pauses.set(self.seen.pauses.get() + 1);
            self.paused.store(true, Ordering::SeqCst);
            self.sender.pause_writing();
            self.note_buffer();
        }
        fn resume_writing(&mut self) {
            self.seen.resumes.set(self.seen.resumes.get() + 1);
            self.sender.resume_writing();
            self.note_buffer();
        }
        fn connection_lost(&mut self, error: Option<io::Error>) {
            self.sender.connection_lost(error);
        }
    }

    /// What one connection gave: the bytes the client read, and what the
    /// grader saw on the server's side.
    struct Run {
        received: io::Result<Vec<u8>>,
        seen: Rc<Seen>,
    }

    /// Serves `PacedSender::new(total)`, watched, to one client. A slow
    /// client reads nothing until the transport has paused the protocol (or
    /// five seconds have passed), so that the kernel's buffers are full.
    fn run(total: usize, high_water: Option<usize>, slow: bool) -> Run {
        let seen = Rc::new(Seen::default());
        let paused = Arc::new(AtomicBool::new(false));
        let (watched, for_server) = (seen.clone(), paused.clone());
        let factory = move || Watched {
            sender: PacedSender::new(total),
            transport: None,
            high_water,
            seen: watched.clone(),
            paused: for_server.clone(),
        };
        let start = aio::create_server(factory, "127.0.0.1", 0);
        let received = with_server(start, move |port| {
            let mut stream = connect(port)?;
            let started = Instant::now();
            while slow
                && !paused.load(Ordering::SeqCst)
                && started.elapsed() < Duration::from_secs(5)
            {
                std::thread::sleep(Duration::from_millis(1));
            }
            read_to_eof(&mut stream)
        });
        Run { received, seen }
    }

    /// Checks that exactly the `total` bytes of the pattern arrived.
    fn check_bytes(received: io::Result<Vec<u8>>, total: usize) {
        let received = received.unwrap_or_else(|error| {
            panic!("the client did not get {total} bytes and then EOF: {error}")
        });
        assert_eq!(
            received.len(),
            total,
            "the sender must send exactly `total` bytes, then close"
        );
        let wrong = received
            .iter()
            .enumerate()
            .position(|(offset, &byte)| byte != byte_at(offset));
        assert_eq!(wrong, None, "the byte at this offset is not byte_at(it)");
    }

    #[test]
    fn sends_every_byte_in_order_then_closes() {
        let total = (3 << 20) + 123;
        let run = run(total, None, false);
        check_bytes(run.received, total);
    }

    #[test]
    fn closes_at_once_when_there_is_nothing_to_send() {
        let run = run(0, None, false);
        let received = run.received.unwrap_or_else(|error| {
            panic!("with total 0, the sender should just close: {error}")
        });
        assert!(received.is_empty(), "with total 0, nothing is sent");
    }

    #[test]
    fn never_buffers_more_than_a_piece_past_the_high_water_mark() {
        let total = 32 << 20;
        let run = run(total, None, true);
        let most = run.seen.most_buffered.get();
        check_bytes(run.received, total);
        assert!(
            run.seen.pauses.get() > 0,
            "the client read nothing until the kernel's buffers were full: \
             the transport should have paused the sender"
        );
        assert!(
            most <= aio::DEFAULT_HIGH_WATER + CHUNK,
            "the write buffer held {most} bytes for a client that read \
             nothing: a sender that listens to flow control holds at most \
             the high water mark ({}) and one piece ({CHUNK})",
            aio::DEFAULT_HIGH_WATER
        );
    }

    #[test]
    fn follows_the_transports_own_water_marks() {
        let total = 32 << 20;
        let high = 8 * 1024;
        let run = run(total, Some(high), true);
        let most = run.seen.most_buffered.get();
        check_bytes(run.received, total);
        assert!(
            run.seen.resumes.get() > 0,
            "the sender was paused, and the client then read everything: \
             the transport must have resumed it"
        );
        assert!(
            most <= high + CHUNK,
            "the transport's high water mark was set to {high}, and the \
             buffer held {most} bytes: ask the transport for its limits \
             (get_write_buffer_limits) instead of assuming the default"
        );
    }
}

mod kv_server {
    use super::grading::{Lines, connect, read_to_eof, with_server};
    use ch07_protocols::exercises::kv_server::{MAX_LINE, start_kv_server};
    use std::io::{self, Write};
    use std::net::Shutdown;

    /// Sends each of `requests` and reads one answer line after each.
    fn ask(lines: &mut Lines, requests: &[&str]) -> io::Result<Vec<String>> {
        requests
            .iter()
            .map(|request| {
                lines.stream().write_all(request.as_bytes())?;
                lines.next_line()
            })
            .collect()
    }

    #[test]
    fn sets_gets_and_deletes() {
        let answers = with_server(start_kv_server("127.0.0.1", 0), |port| {
            let mut lines = Lines::new(connect(port)?);
            ask(
                &mut lines,
                &[
                    "GET colour\n",
                    "SET colour deep blue\n",
                    "GET colour\n",
                    "GET colour\r\n",
                    "DEL colour\n",
                    "DEL colour\n",
                    "GET colour\n",
                ],
            )
        });
        assert_eq!(
            answers.expect("an answer to every line"),
            [
                "NOT FOUND\n",
                "OK\n",
                "VALUE deep blue\n",
                "VALUE deep blue\n",
                "DELETED\n",
                "NOT FOUND\n",
                "NOT FOUND\n",
            ],
            "one answer per command, in order (a value keeps its spaces, and \
             a \\r before the newline is not part of the line)"
        );
    }

    #[test]
    fn a_command_split_across_pieces_is_answered_once_whole() {
        let answers = with_server(start_kv_server("127.0.0.1", 0), |port| {
            let mut lines = Lines::new(connect(port)?);
            // "GE" arrives with the first line, and waits for the rest.
            let mut answers = ask(&mut lines, &["SET a 1\nGE"])?;
            answers.extend(ask(&mut lines, &["T a\n"])?);
            Ok::<_, io::Error>(answers)
        });
        let answers = answers.map_err(|error| error.to_string());
        assert_eq!(
            answers,
            Ok(vec!["OK\n".to_owned(), "VALUE 1\n".to_owned()]),
            "\"SET a 1\\nGE\" then \"T a\\n\": the start of the second line \
             must wait for its end, across data_received calls"
        );
    }

    #[test]
    fn pipelined_commands_are_answered_in_order() {
        let answers = with_server(start_kv_server("127.0.0.1", 0), |port| {
            let mut lines = Lines::new(connect(port)?);
            let mut requests = String::new();
            for n in 0..200 {
                requests.push_str(&format!("SET key{n} {n}\nGET key{n}\n"));
            }
            lines.stream().write_all(requests.as_bytes())?;
            (0..400).map(|_| lines.next_line()).collect::<io::Result<Vec<_>>>()
        });
        let answers = answers.expect("400 answers");
        for n in 0..200 {
            assert_eq!(
                [answers[2 * n].clone(), answers[2 * n + 1].clone()],
                ["OK\n".to_owned(), format!("VALUE {n}\n")],
                "400 commands in one write: the answers must come in order"
            );
        }
    }

    #[test]
    fn clients_share_one_store() {
        let answers = with_server(start_kv_server("127.0.0.1", 0), |port| {
            let mut first = Lines::new(connect(port)?);
            let mut second = Lines::new(connect(port)?);
            let mut answers = ask(&mut first, &["SET shared yes\n"])?;
            answers.extend(ask(&mut second, &["GET shared\n"])?);
            answers.extend(ask(&mut second, &["DEL shared\n"])?);
            answers.extend(ask(&mut first, &["GET shared\n"])?);
            Ok::<_, io::Error>(answers)
        });
        assert_eq!(
            answers.expect("an answer to every line"),
            ["OK\n", "VALUE yes\n", "DELETED\n", "NOT FOUND\n"],
            "every connection of one server uses the same store"
        );
    }

    #[test]
    fn quit_says_bye_and_closes() {
        let answers = with_server(start_kv_server("127.0.0.1", 0), |port| {
            let mut stream = connect(port)?;
            stream.write_all(b"QUIT\nSET after quit\n")?;
            let after_quit = read_to_eof(&mut stream)?;
            let mut lines = Lines::new(connect(port)?);
            let check = ask(&mut lines, &["GET after\n"])?;
            Ok::<_, io::Error>((after_quit, check))
        });
        let (after_quit, check) = answers.expect("the answers");
        assert_eq!(
            String::from_utf8_lossy(&after_quit),
            "BYE\n",
            "QUIT is answered with BYE, then the connection closes"
        );
        assert_eq!(
            check,
            ["NOT FOUND\n"],
            "a command after QUIT, in the same piece, must be ignored"
        );
    }

    #[test]
    fn a_last_line_without_newline_is_answered_at_eof() {
        let got = with_server(start_kv_server("127.0.0.1", 0), |port| {
            let mut stream = connect(port)?;
            stream.write_all(b"SET a 1\nGET a")?;
            stream.shutdown(Shutdown::Write)?;
            read_to_eof(&mut stream)
        });
        assert_eq!(
            String::from_utf8_lossy(&got.expect("the answers and EOF")),
            "OK\nVALUE 1\n",
            "at the client's EOF, a last line without its newline is \
             answered too, and then the connection closes"
        );
    }

    #[test]
    fn bad_commands_get_an_error() {
        let answers = with_server(start_kv_server("127.0.0.1", 0), |port| {
            let mut lines = Lines::new(connect(port)?);
            ask(&mut lines, &["FLY away\n", "SET lonely\n", "GET lonely\n"])
        });
        let answers = answers.expect("an answer to every line");
        assert!(
            answers[0].starts_with("ERR ") && answers[1].starts_with("ERR "),
            "an unknown command, and SET without a value, get a line \
             starting with \"ERR \": {answers:?}"
        );
        assert_eq!(answers[2], "NOT FOUND\n", "a refused SET sets nothing");
    }

    #[test]
    fn a_line_too_long_is_refused_at_once_and_skipped() {
        let answers = with_server(start_kv_server("127.0.0.1", 0), |port| {
            let mut lines = Lines::new(connect(port)?);
            let mut answers = ask(&mut lines, &["SET a 1\n"])?;
            // No newline yet: the refusal must not wait for one.
            let long = "x".repeat(2 * MAX_LINE);
            answers.extend(ask(&mut lines, &[&long])?);
            lines.stream().write_all(long.as_bytes())?;
            answers.extend(ask(&mut lines, &["\nGET a\n"])?);
            Ok::<_, io::Error>(answers)
        });
        assert_eq!(
            answers.map_err(|error| error.to_string()),
            Ok(vec![
                "OK\n".to_owned(),
                "ERR line too long\n".to_owned(),
                "VALUE 1\n".to_owned(),
            ]),
            "a line over MAX_LINE gets \"ERR line too long\" as soon as it \
             is too long, once; the rest of it, up to its newline, is \
             dropped, and the next line is answered as usual"
        );
    }
}

/// Helpers shared by the graders.
mod grading {
    use crate::shared_grading::real_loop;
    use std::io::{self, BufRead, BufReader, Read};
    use std::net::TcpStream;
    use std::time::Duration;

    /// How long a client waits for any one answer: a hang guard, so that a
    /// server that never answers fails the test instead of hanging it.
    const PATIENCE: Duration = Duration::from_secs(5);

    /// Starts a server on a loop of its own (on the real clock), runs
    /// `client` in a thread of its own with the server's port, and returns
    /// what the client returns. The client's reads give up after
    /// `PATIENCE`.
    pub fn with_server<T: Send + 'static>(
        start: impl Future<Output = io::Result<aio::Server>> + 'static,
        client: impl FnOnce(u16) -> T + Send + 'static,
    ) -> T {
        let event_loop = real_loop();
        let outcome = event_loop.run_until_complete(async move {
            let server = start.await.expect("the server starts on port 0");
            let (answer, answered) = aio::oneshot::channel();
            let port = server.port();
            std::thread::spawn(move || {
                let _ = answer.send(client(port));
            });
            // Another hang guard, in case the client's reads don't give up.
            let answered =
                aio::wait_for(answered, Duration::from_secs(60)).await;
            server.close();
            answered
        });
        event_loop.close().expect("the loop closes");
        match outcome {
            Ok(Ok(Ok(value))) => value,
            Ok(Ok(Err(_))) => panic!("the client thread panicked"),
            Ok(Err(_)) => panic!("the client did not finish in a minute"),
            Err(error) => panic!("the server's loop failed: {error}"),
        }
    }

    /// A connection to the server at `port` on 127.0.0.1, whose reads give
    /// up after `PATIENCE`.
    pub fn connect(port: u16) -> io::Result<TcpStream> {
        let stream = TcpStream::connect(("127.0.0.1", port))?;
        stream.set_read_timeout(Some(PATIENCE))?;
        stream.set_nodelay(true)?;
        Ok(stream)
    }

    /// Reads until the server closes the connection.
    pub fn read_to_eof(stream: &mut TcpStream) -> io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        match stream.read_to_end(&mut bytes) {
            Ok(_) => Ok(bytes),
            Err(error) => Err(gave_up(error, &bytes)),
        }
    }

    /// `total` bytes that are not all alike.
    pub fn pattern(total: usize) -> Vec<u8> {
        (0..total).map(|i| (i % 253) as u8).collect()
    }

    /// A connection read line by line.
    pub struct Lines(BufReader<TcpStream>);

    impl Lines {
        pub fn new(stream: TcpStream) -> Lines {
            Lines(BufReader::new(stream))
        }

        /// The connection, to write to.
        pub fn stream(&mut self) -> &mut TcpStream {
            self.0.get_mut()
        }

        /// The next line, with its newline.
        pub fn next_line(&mut self) -> io::Result<String> {
            let mut line = String::new();
            match self.0.read_line(&mut line) {
                Ok(0) => Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the server closed the connection instead of answering",
                )),
                Ok(_) => Ok(line),
                Err(error) => Err(gave_up(error, line.as_bytes())),
            }
        }
    }

    fn gave_up(error: io::Error, so_far: &[u8]) -> io::Error {
        match error.kind() {
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => {
                io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!(
                        "nothing more from the server within {PATIENCE:?} \
                         (after {} bytes)",
                        so_far.len()
                    ),
                )
            }
            _ => error,
        }
    }
}

#[path = "../../../tests/support/grading.rs"]
mod shared_grading;
