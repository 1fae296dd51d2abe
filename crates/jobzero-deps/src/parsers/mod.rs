//! One module per lockfile format.

pub mod cargo_lock;
pub mod npm_lock;
pub mod requirements;
