//! The taint engine: an abstract interpretation of each function of a file, flow-sensitive
//! (an overwritten variable forgets its taint), with constant folding (a condition whose value
//! is known takes one branch), containers with constant keys and indexes, object fields, and
//! calls into functions of the same file followed with the actual arguments (to a bounded
//! depth). Sources, sinks and sanitisers come from the rule files ([`crate::spec`]).

mod eval;
mod value;

pub use eval::{Analysed, Hit, Resolver, analyse};
pub use value::{Const, Step, Taint, Value};
