//! The built `vexora` binary, run as a merchant runs it: every subcommand
//! and exit code (`commands`), and the commands on the merchant's books
//! (`books`). One test binary for both, so the sandbox, the ledger and
//! tokio are compiled into a test once.

mod books;
mod commands;
