//! The offline advisory database: OSV records imported from files, directories and the
//! per-ecosystem `all.zip` archives OSV publishes, stored per ecosystem, indexed by package
//! name, and matched with each ecosystem's own version ordering. Nothing here touches the
//! network.

pub mod error;
pub mod import;
pub mod index;
pub mod store;
pub mod version;

pub use error::DbError;
pub use import::{ImportStats, read_inputs};
pub use index::{Index, Match, normalize};
pub use store::{Database, EcosystemStatus};
