//! What data carries through a workflow: a [`Flow`] (how controlled a value is, and where it
//! comes from), and the [`Callers`] of a reusable workflow with the flows they pass in. Kept
//! apart from the analysis that computes them, so that what a rule sees can hold them.

use std::collections::BTreeMap;

use crate::contexts::Control;

/// Where an expression's value may come from: the strongest control found, and the
/// context that carries it (for messages).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Flow {
    /// How controlled the value is.
    pub control: Control,
    /// The context it comes from, as written, through the chain followed
    /// (`github.event.issue.title` via `env.TITLE`).
    pub origin: String,
}

impl Flow {
    pub(crate) fn fixed() -> Flow {
        Flow {
            control: Control::Fixed,
            origin: String::new(),
        }
    }

    /// The more controlled of two flows (the first on a tie).
    pub fn stronger(self, other: Flow) -> Flow {
        if other.control > self.control {
            other
        } else {
            self
        }
    }
}

/// What the callers of a reusable workflow or local action bring to it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Callers {
    /// The callers' triggers, deduplicated, in order of appearance.
    pub triggers: Vec<String>,
    /// The strongest flow into each input, by input name (lowercased).
    pub inputs: BTreeMap<String, Flow>,
    /// What each caller passes to each input, as written, by input name (lowercased).
    pub values: BTreeMap<String, Vec<String>>,
    /// The callers' file names (`ci.yml`), for messages.
    pub files: Vec<String>,
}
