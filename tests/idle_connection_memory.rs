//! What an idle connection keeps on the heap, once it has moved 100 KiB each
//! way: no read buffer of its own (the loop's transports share one), and no
//! write or stream buffer grown by what went before. This binary installs an
//! allocator that counts live heap bytes, so it holds only these tests, and
//! they take turns.
//!
//! The bound is a memory bound, not a timing one: 8 KiB per end of a
//! connection. Before the shared read buffer, every transport held 64 KiB.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::Duration;

mod common;

/// An allocator that keeps a count of the bytes allocated and not yet freed.
struct LiveBytes;

static LIVE: AtomicIsize = AtomicIsize::new(0);

fn add_live(bytes: usize, sign: isize) {
    LIVE.fetch_add(sign * bytes as isize, Ordering::Relaxed);
}

// SAFETY: every call is forwarded unchanged to the system allocator; the
// count is an atomic, which never allocates.
unsafe impl GlobalAlloc for LiveBytes {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        add_live(layout.size(), 1);
        // SAFETY: the caller upholds `alloc`'s contract, which we pass on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        add_live(layout.size(), 1);
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        add_live(layout.size(), -1);
        // SAFETY: `ptr` came from `System` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(
        &self,
        ptr: *mut u8,
        layout: Layout,
        new_size: usize,
    ) -> *mut u8 {
        add_live(layout.size(), -1);
        add_live(new_size, 1);
        // SAFETY: `ptr` came from `System` with this layout; the caller
        // upholds `realloc`'s contract for `new_size`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: LiveBytes = LiveBytes;

/// The tests count the same heap: one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

const CONNECTIONS: usize = 50;
const MESSAGE: usize = 100 * 1024;
/// What one end of an idle connection may keep: its transport, protocol,
/// task and reactor slot, but no buffer sized for a read.
const BOUND_PER_END: isize = 8 * 1024;

fn live() -> isize {
    LIVE.load(Ordering::Relaxed)
}

/// Echoes what it gets.
struct Echo(Option<aio::Transport>);

impl aio::Protocol for Echo {
    fn connection_made(&mut self, transport: aio::Transport) {
        self.0 = Some(transport);
    }
    fn data_received(&mut self, data: &[u8]) {
        if let Some(transport) = &self.0 {
            transport.write(data).unwrap();
        }
    }
}

/// Sends one message and sets its event once the echo is all back.
struct SendOnce {
    received: usize,
    echoed: aio::Event,
}

impl aio::Protocol for SendOnce {
    fn connection_made(&mut self, transport: aio::Transport) {
        transport.write(&vec![7u8; MESSAGE]).unwrap();
    }
    fn data_received(&mut self, data: &[u8]) {
        self.received += data.len();
        if self.received == MESSAGE {
            self.echoed.set();
        }
    }
}

/// Lets every task that has work run, so the connections are idle.
async fn settle() {
    for _ in 0..10 {
        aio::sleep(Duration::ZERO).await;
    }
}

/// Runs `open_idle` (which opens one connection, echoes once, and returns
/// what keeps the connection open) once to warm up, then `CONNECTIONS`
/// times, and gives the heap bytes each connection holds (both ends).
async fn idle_bytes_per_connection<T>(open_idle: impl AsyncFn() -> T) -> isize {
    // The first connection makes what the loop keeps for all of them (the
    // shared read buffer, the reactor's first slots).
    let warm_up = open_idle().await;
    settle().await;
    let before = live();
    let mut idle = Vec::with_capacity(CONNECTIONS);
    for _ in 0..CONNECTIONS {
        idle.push(open_idle().await);
    }
    settle().await;
    let after = live();
    drop((warm_up, idle));
    (after - before) / CONNECTIONS as isize
}

/// Runs `measure` on a loop of its own.
fn on_a_loop(measure: impl Future<Output = isize> + 'static) -> isize {
    let event_loop = common::real_loop();
    let per_connection = event_loop.run_until_complete(measure).unwrap();
    event_loop.close().unwrap();
    per_connection
}

#[test]
fn an_idle_protocol_connection_holds_no_read_or_write_buffer() {
    // Held until the test's end: a failing test's panic allocates too.
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let per_connection = on_a_loop(async {
        let server = aio::create_server(|| Echo(None), "127.0.0.1", 0);
        let server = server.await.unwrap();
        let port = server.port();
        idle_bytes_per_connection(async || {
            let echoed = aio::Event::new();
            let client = SendOnce { received: 0, echoed: echoed.clone() };
            let connecting = aio::create_connection(client, "127.0.0.1", port);
            let (transport, _) = connecting.await.unwrap();
            let echo = aio::wait_for(echoed.wait(), Duration::from_secs(30));
            echo.await.expect("the echo comes back (a hang guard)");
            transport
        })
        .await
    });
    assert!(
        per_connection < 2 * BOUND_PER_END,
        "an idle connection (both ends) holds {per_connection} bytes"
    );
}

/// The streams echo: read what came, write it back.
async fn echo_streams(reader: aio::StreamReader, writer: aio::StreamWriter) {
    while let Ok(data) = reader.read(64 * 1024).await {
        if data.is_empty()
            || writer.write(&data).is_err()
            || writer.drain().await.is_err()
        {
            break;
        }
    }
    writer.close();
}

#[test]
fn an_idle_stream_connection_holds_no_read_or_stream_buffer() {
    // Held until the test's end: a failing test's panic allocates too.
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let per_connection = on_a_loop(async {
        let server = aio::start_server(echo_streams, "127.0.0.1", 0);
        let server = server.await.unwrap();
        let port = server.port();
        idle_bytes_per_connection(async || {
            let connecting = aio::open_connection("127.0.0.1", port);
            let (reader, writer) = connecting.await.unwrap();
            writer.write(&vec![7u8; MESSAGE]).unwrap();
            let echo = reader.readexactly(MESSAGE);
            let echo = aio::wait_for(echo, Duration::from_secs(30)).await;
            let echo = echo.expect("the echo comes back (a hang guard)");
            assert_eq!(echo.unwrap().len(), MESSAGE);
            (reader, writer)
        })
        .await
    });
    assert!(
        per_connection < 2 * BOUND_PER_END,
        "an idle stream connection (both ends) holds {per_connection} bytes"
    );
}
