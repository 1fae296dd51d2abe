//! The glue of the `jobzero` binary that tests need too: which families are linked in.

pub mod families;
