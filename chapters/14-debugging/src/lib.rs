//! Chapter 14: debugging with asyncio.
//!
//! `aio_ps PID` (`src/bin/aio_ps.rs`) prints the task tree of another aio
//! program that runs with debug mode on, as Python 3.14's
//! `python -m asyncio pstree PID` does; `tree_target` is the live program
//! its test reads.
