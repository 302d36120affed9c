//! Chapter 13 (executors): the functions a process pool can run, registered
//! by name when the program starts.
//!
//! Python's `ProcessPoolExecutor` pickles the function and its arguments
//! and sends them to a worker. Rust cannot send a closure to another
//! process, so aio sends a name instead: the program registers its
//! functions under names first thing in `main`, in the parent and in every
//! worker alike (a worker is the same program run again), and a job says
//! which one to run. The argument and the result cross the pipe as
//! postcard, through serde.
//!
//! `serve_if_worker` is aio's `if __name__ == "__main__":`. Python's spawn
//! start method runs the program again in each worker, and the guard keeps
//! the worker from running the program's main part; here the worker runs
//! `main` up to that call, and serves from there.

use crate::ch13_executors::executor_error::ExecutorError;
use crate::ch13_executors::pool_frames::{Reply, decode, encode};
use crate::ch13_executors::worker_serve;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::any::type_name;
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

/// A registered function, its types erased: encoded argument in, reply out.
type Erased = Box<dyn Fn(&[u8]) -> Reply + Send + Sync>;

/// The functions a process pool's workers can run, registered by name at
/// start-up.
///
/// ```no_run
/// fn square(x: u64) -> u64 {
///     x * x
/// }
///
/// let mut functions = aio::PoolFunctions::new();
/// let square = functions.register("square", square).unwrap();
/// functions.serve_if_worker(); // a worker serves here and never returns
/// // ... the program proper: submit `square.call(7)` to a pool.
/// # let _ = square;
/// ```
// ANCHOR: pool_functions
#[derive(Default)]
pub struct PoolFunctions {
    functions: HashMap<&'static str, Erased>,
}

impl PoolFunctions {
    /// No functions yet.
    pub fn new() -> PoolFunctions {
        PoolFunctions::default()
    }

    /// Registers `function` under `name`, and returns the handle that makes
    /// calls of it. A name registered twice is an error.
    pub fn register<A, R>(
        &mut self,
        name: &'static str,
        function: fn(A) -> R,
    ) -> Result<PoolFunction<A, R>, ExecutorError>
    where
        A: Serialize + DeserializeOwned + Send + 'static,
        R: Serialize + DeserializeOwned + Send + 'static,
    {
        if self.functions.contains_key(name) {
            return Err(ExecutorError::Worker(format!(
                "the pool function `{name}` is registered twice: give each \
                 function its own name"
            )));
        }
        self.functions.insert(name, erase(name, function));
        Ok(PoolFunction { name, types: PhantomData })
    }
}
// ANCHOR_END: pool_functions

impl PoolFunctions {
    /// In a process started as a pool worker (`argv[1]` is
    /// `--aio-process-pool-worker`): serves jobs until the pool closes the
    /// pipe, then exits the process. Elsewhere it returns at once.
    ///
    /// Call it first thing in `main`, after registering the functions:
    /// whatever `main` does before it, every worker does too.
    pub fn serve_if_worker(&self) {
        worker_serve::serve_if_worker(&|name, argument| {
            self.run(name, argument)
        });
    }

    /// Runs the function registered as `name`.
    fn run(&self, name: &str, argument: &[u8]) -> Reply {
        match self.functions.get(name) {
            Some(function) => function(argument),
            None => Reply::UnknownFunction(format!(
                "the worker has no function `{name}`: register it before \
                 `serve_if_worker`, in every run of the program"
            )),
        }
    }
}

// ANCHOR: erase
/// Wraps `function` so that it takes and gives bytes.
fn erase<A, R>(name: &'static str, function: fn(A) -> R) -> Erased
where
    A: DeserializeOwned + 'static,
    R: Serialize + 'static,
{
    Box::new(move |argument| {
        let argument: A = match decode(argument) {
            Ok(argument) => argument,
            Err(why) => {
                return Reply::Codec(format!(
                    "the argument of `{name}` is not a {}: {why}",
                    type_name::<A>()
                ));
            }
        };
        match encode(&function(argument)) {
            Ok(result) => Reply::Returned(result),
            Err(why) => Reply::Codec(format!(
                "the result of `{name}`, a {}, did not encode: {why}",
                type_name::<R>()
            )),
        }
    })
}
// ANCHOR_END: erase

impl fmt::Debug for PoolFunctions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<_> = self.functions.keys().collect();
        names.sort();
        f.debug_struct("PoolFunctions").field("functions", &names).finish()
    }
}

/// A function registered in [`PoolFunctions`]: `call` makes a job of it.
pub struct PoolFunction<A, R> {
    name: &'static str,
    types: PhantomData<fn(A) -> R>,
}

impl<A, R> PoolFunction<A, R> {
    /// The name it was registered under.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// A call of this function with `argument`, for a process pool to run.
    pub fn call(&self, argument: A) -> PoolCall<A, R> {
        PoolCall { name: self.name, argument, result: PhantomData }
    }
}

impl<A, R> Clone for PoolFunction<A, R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<A, R> Copy for PoolFunction<A, R> {}

impl<A, R> fmt::Debug for PoolFunction<A, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "PoolFunction({}: fn({}) -> {})",
            self.name,
            type_name::<A>(),
            type_name::<R>()
        )
    }
}

/// One call of a [`PoolFunction`]: what a process pool submits.
pub struct PoolCall<A, R> {
    name: &'static str,
    argument: A,
    result: PhantomData<fn() -> R>,
}

impl<A: Serialize, R> PoolCall<A, R> {
    /// The function's name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The name and the encoded argument, for the request frame.
    pub(crate) fn encode(
        &self,
    ) -> Result<(&'static str, Vec<u8>), ExecutorError> {
        let argument = encode(&self.argument).map_err(|why| {
            ExecutorError::Codec(format!(
                "the argument of `{}`, a {}, did not encode: {why}",
                self.name,
                type_name::<A>()
            ))
        })?;
        Ok((self.name, argument))
    }
}

impl<A: fmt::Debug, R> fmt::Debug for PoolCall<A, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PoolCall({}({:?}))", self.name, self.argument)
    }
}

/// Decodes a worker's reply into the call's result.
pub(crate) fn result_of<R: DeserializeOwned>(
    name: &str,
    reply: Reply,
) -> Result<R, ExecutorError> {
    match reply {
        Reply::Returned(bytes) => decode(&bytes).map_err(|why| {
            ExecutorError::Codec(format!(
                "the result of `{name}` is not a {}: {why}",
                type_name::<R>()
            ))
        }),
        Reply::Panicked(message) => Err(ExecutorError::Panicked { message }),
        Reply::UnknownFunction(message) => Err(ExecutorError::Worker(message)),
        Reply::Codec(message) => Err(ExecutorError::Codec(message)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x: u64) -> u64 {
        x * x
    }

    fn greet(name: String) -> (String, usize) {
        (format!("hello, {name}"), name.len())
    }

    /// Runs `call` as a worker would, here, and decodes the result.
    fn run_here<A: Serialize, R: DeserializeOwned>(
        functions: &PoolFunctions,
        call: PoolCall<A, R>,
    ) -> Result<R, ExecutorError> {
        let (name, argument) = call.encode()?;
        result_of(name, functions.run(name, &argument))
    }

    #[test]
    fn a_call_runs_the_function_registered_under_its_name() {
        let mut functions = PoolFunctions::new();
        let square = functions.register("square", square).unwrap();
        let greet = functions.register("greet", greet).unwrap();
        assert_eq!(square.name(), "square");
        assert_eq!(run_here(&functions, square.call(12)).unwrap(), 144);
        let greeting = run_here(&functions, greet.call("ada".into())).unwrap();
        assert_eq!(greeting, ("hello, ada".to_string(), 3));
    }

    #[test]
    fn a_name_registered_twice_is_an_error() {
        let mut functions = PoolFunctions::new();
        functions.register("f", square).unwrap();
        let error = functions.register("f", square).unwrap_err();
        assert!(error.to_string().contains("registered twice"), "{error}");
    }

    #[test]
    fn a_worker_without_the_function_says_to_register_it() {
        let mut elsewhere = PoolFunctions::new();
        let square = elsewhere.register("square", square).unwrap();
        let error = run_here(&PoolFunctions::new(), square.call(2));
        let Err(ExecutorError::Worker(message)) = error else {
            panic!("{error:?}");
        };
        assert!(message.contains("register it"), "{message}");
    }

    #[test]
    fn an_argument_of_the_wrong_type_is_a_codec_error() {
        let mut functions = PoolFunctions::new();
        functions.register("greet", greet).unwrap();
        // A `u64` call of a function that takes a `String`.
        let mut other = PoolFunctions::new();
        let wrong = other.register("greet", square).unwrap();
        let error = run_here(&functions, wrong.call(u64::MAX));
        assert!(matches!(error, Err(ExecutorError::Codec(_))), "{error:?}");
    }
}
