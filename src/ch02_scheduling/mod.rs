//! Chapter 2 (scheduling): calls to regular functions, and sleeping.

pub(crate) mod handle;
pub(crate) mod call_soon;
pub(crate) mod sleep;
