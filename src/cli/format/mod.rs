//! Docker's output formatting: Go `text/template` (`--format`), Go `tabwriter` tables, and the
//! human units (`72.8MB`, `2 weeks ago`).

pub mod human;
pub mod table;
pub mod template;
