//! Command-line parsing: `vexora <COMMAND> [OPTIONS]`.

use clap::{Args, Parser, Subcommand};
use vexora_sandbox::SandboxOptions;

/// The exit codes, shown under `vexora --help`.
const EXIT_CODES: &str = "\
Exit codes:
  0  accepted / verified
  1  refused by the gateway (code and msg on stderr), transport or decode failure,
     or a notification that failed verification
  2  nothing sent: invalid input or usage (every violated rule on stderr), an unusable
     setting, or a request for another region than the base URL's
  3  sent, but the outcome is unknown (e.g. timed out after sending): do not send it again
     before the command on stderr (the create's own read) says whether it took effect;
     `reconcile`: records whose outcome is still unknown after the pass
  4  `reconcile`: nothing is left unknown, but the pass kept records for a person
     (`vexora ledger list --needs-attention` lists them)";

/// The Vexora payment gateway from the command line.
#[derive(Debug, Parser)]
#[command(name = "vexora", version, after_help = EXIT_CODES)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Call any endpoint, named by its spec file (e.g. taiwan/checkout).
    ///
    /// The JSON object holds the request's fields by wire name, without
    /// `sign` or `timestamp`: the SDK adds them.
    Call {
        /// `<REGION>/<NAME>`, e.g. taiwan/checkout.
        #[arg(value_name = "REGION/NAME")]
        endpoint: String,
        #[command(flatten)]
        input: JsonInput,
        #[command(flatten)]
        settings: Settings,
    },
    /// Call taiwan/checkout.
    Checkout {
        #[command(flatten)]
        input: JsonInput,
        #[command(flatten)]
        settings: Settings,
    },
    /// Call taiwan/payout.
    Payout {
        #[command(flatten)]
        input: JsonInput,
        #[command(flatten)]
        settings: Settings,
    },
    /// Call taiwan/query-pay-in-result.
    Query {
        /// The order's tradeNo.
        #[arg(long, value_name = "NO")]
        trade_no: String,
        #[command(flatten)]
        settings: Settings,
    },
    /// Call taiwan/balance.
    Balance {
        #[command(flatten)]
        settings: Settings,
    },
    /// Print the canonical string and signature of any JSON object.
    Sign {
        #[command(flatten)]
        input: JsonInput,
        /// The app secret.
        #[arg(long, env = "VEXORA_APP_SECRET", hide_env_values = true)]
        app_secret: Option<String>,
    },
    /// Notifications from the gateway.
    #[command(subcommand)]
    Webhook(Webhook),
    /// Run the local gateway sandbox until interrupted.
    Sandbox(SandboxOptions),
    /// Decide a sandbox order or payout, as the payer or the bank would.
    #[command(subcommand)]
    Decide(Decide),
    /// Send a sandbox order's or payout's last notification again, now.
    ///
    /// The same signed body, byte for byte; it counts as one more attempt
    /// (the dashboard lists it). Exits 0 once sent, whatever the merchant
    /// answered: the printed attempt says.
    #[command(subcommand)]
    Resend(Resend),
    /// The sandbox's clock.
    #[command(subcommand)]
    Clock(Clock),
    /// The whole lifecycle against an in-process sandbox: collect, settle, pay out.
    Demo,
    /// One reconciler pass over the merchant's books: query what is
    /// unknown or overdue, settle what the gateway says.
    ///
    /// Exits 0 when nothing examined is left unknown, 3 when something is
    /// (asked again on the next pass), 4 when nothing is unknown but the
    /// pass kept records for a person (e.g. a create the gateway never
    /// made: it is never resent). The summary is printed either way.
    ///
    /// Only records of the region the base URL serves are queried; others
    /// stay unknown (run once per region, each with its base URL).
    Reconcile {
        #[command(flatten)]
        books: Books,
        /// How long after a record last changed a "no such order" is
        /// trusted (the gateway may still be creating it).
        #[arg(long, value_name = "DURATION", default_value = "30s")]
        settle_delay: String,
        /// The wait before a record still unknown is asked again; it doubles
        /// with each attempt, up to an hour.
        #[arg(long, value_name = "DURATION", default_value = "30s")]
        initial_backoff: String,
        /// The name this pass claims records under.
        #[arg(long, value_name = "NAME", default_value = "vexora-cli")]
        worker: String,
        #[command(flatten)]
        settings: Settings,
    },
    /// What the merchant's books hold.
    #[command(subcommand)]
    Ledger(LedgerCommand),
}

/// The merchant's books: `sqlite:PATH` or `postgres://...`.
#[derive(Debug, Args)]
pub struct Books {
    /// The ledger's database: sqlite:PATH or postgres://USER@HOST/DB.
    #[arg(long, value_name = "URL", env = "VEXORA_DATABASE_URL", hide_env_values = true)]
    pub database: String,
}

/// `vexora ledger ...`
#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Every record: kind, tradeNo, endpoint, state, paid of amount, last status.
    List {
        #[command(flatten)]
        books: Books,
        /// Only what is kept for a person, with the reason.
        #[arg(long)]
        needs_attention: bool,
    },
    /// One record (pay-in and payout alike) with every event that moved it.
    Show {
        /// The record's tradeNo.
        #[arg(value_name = "TRADE_NO")]
        trade_no: String,
        #[command(flatten)]
        books: Books,
    },
}

/// `vexora webhook ...`
#[derive(Debug, Subcommand)]
pub enum Webhook {
    /// Verify a notification body; exits 0 if genuine, 1 if not.
    Verify {
        /// The body: a file, or `-` for stdin.
        #[arg(long, value_name = "FILE|-", default_value = "-")]
        json: String,
        /// The app secret.
        #[arg(long, env = "VEXORA_APP_SECRET", hide_env_values = true)]
        app_secret: Option<String>,
        /// During a secret rotation: the previous app secret, also accepted
        /// until --previous-until.
        #[arg(long, env = "VEXORA_PREVIOUS_APP_SECRET", hide_env_values = true, requires = "previous_until")]
        previous_secret: Option<String>,
        /// When the previous secret stops being accepted, in RFC 3339
        /// (2026-12-31T00:00:00Z).
        #[arg(long, value_name = "TIME", env = "VEXORA_PREVIOUS_UNTIL", requires = "previous_secret")]
        previous_until: Option<String>,
    },
}

/// `vexora decide ...`: the sandbox's control routes.
#[derive(Debug, Subcommand)]
pub enum Decide {
    /// Finish a pay-in order as its cashier page would.
    Order {
        /// The order's tradeNo.
        #[arg(value_name = "TRADE_NO")]
        trade_no: String,
        /// How the payer finishes it.
        #[arg(value_enum)]
        outcome: OrderDecision,
        #[command(flatten)]
        sandbox: SandboxTarget,
    },
    /// Pay out or fail a processing payout (failed: its amount is restored).
    Payout {
        /// The payout's tradeNo.
        #[arg(value_name = "TRADE_NO")]
        trade_no: String,
        /// What the bank does with it.
        #[arg(value_enum)]
        outcome: PayoutDecision,
        #[command(flatten)]
        sandbox: SandboxTarget,
    },
}

/// `vexora resend ...`: the sandbox's resend routes.
#[derive(Debug, Subcommand)]
pub enum Resend {
    /// Resend a pay-in order's last notification.
    Order {
        /// The order's tradeNo.
        #[arg(value_name = "TRADE_NO")]
        trade_no: String,
        #[command(flatten)]
        sandbox: SandboxTarget,
    },
    /// Resend a payout's last notification (needs the merchant number).
    Payout {
        /// The payout's tradeNo.
        #[arg(value_name = "TRADE_NO")]
        trade_no: String,
        #[command(flatten)]
        sandbox: SandboxTarget,
    },
}

/// `vexora clock ...`.
#[derive(Debug, Subcommand)]
pub enum Clock {
    /// Move the sandbox clock forward, as if that time had passed: due
    /// notification retries fire at once, earlier days' collections settle.
    ///
    /// Clients must then sign with a clock as far ahead, or the sandbox
    /// refuses their timestamps (9003).
    Advance {
        /// How far: 3600 (seconds), 90s, 15m, 3h, 1d, 1h30m.
        #[arg(value_name = "DURATION", value_parser = crate::duration::seconds)]
        seconds: u64,
        /// The sandbox's root URL (without a region), as its banner prints it:
        /// `http://127.0.0.1:PORT`.
        #[arg(long, value_name = "URL", env = "VEXORA_SANDBOX_URL")]
        sandbox_url: String,
    },
}

/// How a sandbox order ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OrderDecision {
    /// Paid in full.
    Pay,
    /// Paid in part.
    Partial,
    /// Failed.
    Fail,
}

/// How a sandbox payout ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PayoutDecision {
    /// Paid out.
    Pay,
    /// Failed; the amount goes back to the balance.
    Fail,
}

/// Which sandbox, and which of its merchants.
#[derive(Debug, Args)]
pub struct SandboxTarget {
    /// The sandbox's root URL (without a region), as its banner prints it:
    /// `http://127.0.0.1:PORT`.
    #[arg(long, value_name = "URL", env = "VEXORA_SANDBOX_URL")]
    pub sandbox_url: String,
    /// The merchant whose order or payout it is.
    #[arg(long, value_name = "NO", env = "VEXORA_MERCHANT_NO")]
    pub merchant_no: Option<String>,
}

/// Where a command's JSON comes from.
#[derive(Debug, Args)]
pub struct JsonInput {
    /// The JSON object: a file, or `-` for stdin.
    #[arg(long, value_name = "FILE|-")]
    pub json: String,
}

/// Credentials and the gateway address, for the commands that call it.
#[derive(Debug, Args)]
pub struct Settings {
    /// The merchant number.
    #[arg(long, value_name = "NO", env = "VEXORA_MERCHANT_NO")]
    pub merchant_no: Option<String>,
    /// The app secret (prefer the variable: arguments are visible to other users).
    #[arg(long, value_name = "SECRET", env = "VEXORA_APP_SECRET", hide_env_values = true)]
    pub app_secret: Option<String>,
    /// The gateway, region included, e.g. http://127.0.0.1:8080/taiwan.
    #[arg(long, value_name = "URL", env = "VEXORA_BASE_URL")]
    pub base_url: Option<String>,
    /// The region the base URL serves, as the SDK spells it (australia),
    /// when Vexora spells the URL's last segment otherwise (/Australia).
    #[arg(long, value_name = "REGION", env = "VEXORA_REGION")]
    pub region: Option<String>,
    /// The request timeout in milliseconds.
    #[arg(long, value_name = "MS", env = "VEXORA_TIMEOUT_MS")]
    pub timeout_ms: Option<String>,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    fn parse(line: &str) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("vexora").chain(line.split_whitespace()))
    }

    #[test]
    fn the_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn commands_and_options() {
        let Command::Checkout { input, .. } = parse("checkout --json order.json").unwrap().command else {
            panic!("a checkout")
        };
        assert_eq!(input.json, "order.json");
        let Command::Query { trade_no, settings } =
            parse("query --base-url=http://x.example/taiwan --trade-no T1").unwrap().command
        else {
            panic!("a query")
        };
        assert_eq!((trade_no.as_str(), settings.base_url.as_deref()), ("T1", Some("http://x.example/taiwan")));
        let Command::Webhook(Webhook::Verify { json, .. }) = parse("webhook verify").unwrap().command else {
            panic!("a verify")
        };
        assert_eq!(json, "-");
        let Command::Call { endpoint, input, .. } = parse("call taiwan/checkout --json -").unwrap().command else {
            panic!("a call")
        };
        assert_eq!((endpoint.as_str(), input.json.as_str()), ("taiwan/checkout", "-"));
    }

    #[test]
    fn mistakes_name_the_option() {
        let message = |line: &str| parse(line).unwrap_err().to_string();
        assert!(message("refund").contains("unrecognized subcommand 'refund'"));
        assert!(message("query --json x").contains("--json"));
        assert!(message("query --trade-no").contains("--trade-no"));
        assert!(message("query --trade-no a --trade-no b").contains("--trade-no"));
        assert!(message("demo --base-url x").contains("--base-url"));
        assert!(message("balance extra").contains("'extra'"));
        assert!(message("call --json x").contains("REGION/NAME"));
    }
}
