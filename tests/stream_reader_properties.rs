//! The stream reader, fed any chunking of any bytes, agrees with a simple
//! reference parser that reads the same operations from the whole input at
//! once; and with a small limit, `readline` keeps to it and goes on.

mod common;

use aio::{StreamError, StreamReader};
use proptest::prelude::*;
use std::time::Duration;

#[derive(Debug, Clone)]
enum Read {
    Line,
    Until(Vec<u8>),
    Exactly(usize),
    Upto(usize),
}

/// What an operation gave: bytes, or an incomplete read with its partial bytes.
#[derive(Debug, Clone, PartialEq)]
enum Got {
    Bytes(Vec<u8>),
    Incomplete(Vec<u8>),
}

/// The reference: the same operations over the whole input, with no limit in
/// play.
struct Reference<'a> {
    input: &'a [u8],
    at: usize,
}

impl Reference<'_> {
    fn rest(&self) -> &[u8] {
        &self.input[self.at..]
    }

    fn take(&mut self, n: usize) -> Vec<u8> {
        let taken = self.rest()[..n].to_vec();
        self.at += n;
        taken
    }

    fn find(&self, separator: &[u8]) -> Option<usize> {
        self.rest()
            .windows(separator.len())
            .position(|window| window == separator)
    }

    fn apply(&mut self, read: &Read, got: &Got) -> Result<(), String> {
        let expected = match read {
            Read::Line => match self.find(b"\n") {
                Some(at) => Got::Bytes(self.take(at + 1)),
                None => Got::Bytes(self.take(self.rest().len())),
            },
            Read::Until(separator) => match self.find(separator) {
                Some(at) => Got::Bytes(self.take(at + separator.len())),
                None => Got::Incomplete(self.take(self.rest().len())),
            },
            Read::Exactly(n) if self.rest().len() >= *n => {
                Got::Bytes(self.take(*n))
            }
            Read::Exactly(_) => Got::Incomplete(self.take(self.rest().len())),
            Read::Upto(n) => {
                // Any non-empty prefix of at most n bytes, or empty at EOF.
                let Got::Bytes(bytes) = got else {
                    return Err(format!("read({n}) failed: {got:?}"));
                };
                let most = (*n).min(self.rest().len());
                let ok = bytes.len() <= most
                    && (!bytes.is_empty() || most == 0)
                    && self.rest().starts_with(bytes);
                if !ok {
                    return Err(format!(
                        "read({n}) gave {bytes:?} at {:?}",
                        self.rest()
                    ));
                }
                self.at += bytes.len();
                return Ok(());
            }
        };
        if &expected == got {
            Ok(())
        } else {
            Err(format!("{read:?}: expected {expected:?}, got {got:?}"))
        }
    }
}

fn reads() -> impl Strategy<Value = Vec<Read>> {
    let read = prop_oneof![
        Just(Read::Line),
        prop::collection::vec(
            prop_oneof![Just(b'\n'), Just(b'x'), Just(b'y')],
            1..3
        )
        .prop_map(Read::Until),
        (0usize..12).prop_map(Read::Exactly),
        (0usize..12).prop_map(Read::Upto),
    ];
    prop::collection::vec(read, 1..12)
}

fn input() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![4 => any::<u8>(), 2 => Just(b'\n'), 1 => Just(b'x'), 1 => Just(b'y')],
        0..80,
    )
}

/// Cuts `input` into chunks at the given (sorted, deduplicated) positions.
fn chunks(input: &[u8], mut cuts: Vec<usize>) -> Vec<Vec<u8>> {
    cuts.retain(|cut| *cut < input.len());
    cuts.sort_unstable();
    cuts.dedup();
    let mut pieces = Vec::new();
    let mut from = 0;
    for cut in cuts.into_iter().chain([input.len()]) {
        pieces.push(input[from..cut].to_vec());
        from = cut;
    }
    pieces
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_chunking_reads_like_the_whole_input(
        input in input(),
        cuts in prop::collection::vec(0usize..80, 0..10),
        reads in reads(),
    ) {
        let event_loop = common::virtual_loop();
        let reader = StreamReader::new(1 << 20); // no limit in play here
        let feeder = reader.clone();
        let pieces = chunks(&input, cuts);
        let plan = reads.clone();
        let got = event_loop
            .run_until_complete(async move {
                aio::spawn(async move {
                    for piece in pieces {
                        feeder.feed_data(&piece);
                        aio::sleep(Duration::ZERO).await; // let the reader see each piece alone
                    }
                    feeder.feed_eof();
                })
                .unwrap();
                let mut got = Vec::new();
                for read in &plan {
                    let outcome = match read {
                        Read::Line => reader.readline().await,
                        Read::Until(separator) => reader.readuntil(separator).await,
                        Read::Exactly(n) => reader.readexactly(*n).await,
                        Read::Upto(n) => reader.read(*n).await,
                    };
                    got.push(match outcome {
                        Ok(bytes) => Got::Bytes(bytes),
                        Err(StreamError::IncompleteRead { partial, .. }) => Got::Incomplete(partial),
                        Err(other) => panic!("unexpected error: {other}"),
                    });
                }
                got
            })
            .unwrap();
        event_loop.close().unwrap();
        let mut reference = Reference { input: &input, at: 0 };
        for (read, got) in reads.iter().zip(&got) {
            if let Err(mismatch) = reference.apply(read, got) {
                prop_assert!(false, "{}", mismatch);
            }
        }
    }
}

/// The lines of `input`, each with its newline, as a reader with no limit
/// returns them.
fn split_lines(input: &[u8]) -> Vec<Vec<u8>> {
    input.split_inclusive(|byte| *byte == b'\n').map(<[u8]>::to_vec).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, failure_persistence: None, ..ProptestConfig::default() })]

    /// With the limit in play, however the input is cut: `readline` never
    /// returns more than the limit and a newline, every line it returns is
    /// the next part of the input, and if no line is over the limit it reads
    /// exactly the lines of the input.
    #[test]
    fn with_a_small_limit_readline_keeps_to_it_and_goes_on(
        input in input(),
        cuts in prop::collection::vec(0usize..80, 0..10),
    ) {
        const LIMIT: usize = 8;
        let event_loop = common::virtual_loop();
        let reader = StreamReader::new(LIMIT);
        let feeder = reader.clone();
        let pieces = chunks(&input, cuts);
        let got = event_loop
            .run_until_complete(async move {
                aio::spawn(async move {
                    for piece in pieces {
                        feeder.feed_data(&piece);
                        aio::sleep(Duration::ZERO).await;
                    }
                    feeder.feed_eof();
                })
                .unwrap();
                let mut got = Vec::new();
                loop {
                    match reader.readline().await {
                        Ok(line) if line.is_empty() => return got,
                        Ok(line) => got.push(Some(line)),
                        Err(StreamError::LimitOverrun { .. }) => got.push(None),
                        Err(other) => panic!("unexpected error: {other}"),
                    }
                }
            })
            .unwrap();
        event_loop.close().unwrap();
        let mut at = 0;
        for line in got.iter().flatten() {
            prop_assert!(line.len() <= LIMIT + 1, "{:?}", line);
            let next = input[at..].windows(line.len()).position(|w| w == line);
            prop_assert!(next.is_some(), "{:?} is not next in the input", line);
            at += next.unwrap_or(0) + line.len();
        }
        let lines = split_lines(&input);
        if lines.iter().all(|line| line.strip_suffix(b"\n").unwrap_or(line).len() <= LIMIT) {
            let got: Vec<Vec<u8>> = got.into_iter().flatten().collect();
            prop_assert_eq!(got, lines);
        }
    }
}

#[test]
fn lines_is_a_stream_of_lines_until_eof() {
    use std::future::poll_fn;
    use std::pin::Pin;
    let event_loop = common::virtual_loop();
    let reader = StreamReader::new(64);
    reader.feed_data(b"first\nsecond\nno newline at the end");
    reader.feed_eof();
    let lines = event_loop
        .run_until_complete(async move {
            let mut lines = reader.lines();
            let mut all = Vec::new();
            while let Some(line) = poll_fn(|cx| {
                futures_core::Stream::poll_next(Pin::new(&mut lines), cx)
            })
            .await
            {
                all.push(String::from_utf8(line.unwrap()).unwrap());
            }
            all
        })
        .unwrap();
    assert_eq!(lines, ["first\n", "second\n", "no newline at the end"]);
    event_loop.close().unwrap();
}
