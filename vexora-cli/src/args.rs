//! Command-line parsing: `vexora [settings] <command> [options]`.
//!
//! Small on purpose: a handful of `--name value` options per command does
//! not need a parsing framework in every merchant's build. Every mistake is
//! an error that names the option and what it expects.

use std::collections::BTreeMap;

/// A parsed command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    /// The command words, e.g. `["webhook", "verify"]`.
    pub command: Command,
    /// The word after `call`: the endpoint, `<region>/<name>`.
    target: Option<String>,
    options: BTreeMap<&'static str, Vec<String>>,
}

/// What to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// `call <region>/<name> --json <FILE|->`
    Call,
    /// `checkout --json <FILE|->`
    Checkout,
    /// `payout --json <FILE|->`
    Payout,
    /// `query --trade-no <NO>`
    Query,
    /// `balance`
    Balance,
    /// `sign --json <FILE|->`
    Sign,
    /// `webhook verify [--json <FILE|->]`
    WebhookVerify,
    /// `sandbox [--addr ADDR] [--merchant NO:SECRET ...]`
    Sandbox,
    /// `demo`
    Demo,
    /// `help`, `--help`, `-h`
    Help,
}

/// The settings every gateway command takes (they override the
/// `VEXORA_*` environment variables).
const SETTINGS: &[&str] = &["merchant-no", "app-secret", "base-url", "timeout-ms"];

impl Command {
    fn parse(words: &[&str]) -> Option<(Command, usize)> {
        let command = match words {
            ["call", ..] => (Command::Call, 2),
            ["checkout", ..] => (Command::Checkout, 1),
            ["payout", ..] => (Command::Payout, 1),
            ["query", ..] => (Command::Query, 1),
            ["balance", ..] => (Command::Balance, 1),
            ["sign", ..] => (Command::Sign, 1),
            ["webhook", "verify", ..] => (Command::WebhookVerify, 2),
            ["sandbox", ..] => (Command::Sandbox, 1),
            ["demo", ..] => (Command::Demo, 1),
            ["help" | "--help" | "-h", ..] | [] => (Command::Help, 1),
            _ => return None,
        };
        Some(command)
    }

    /// The options this command accepts, and whether each may repeat.
    fn options(self) -> &'static [(&'static str, bool)] {
        match self {
            Command::Call | Command::Checkout | Command::Payout | Command::Sign => &[("json", false)],
            Command::Query => &[("trade-no", false)],
            Command::Balance | Command::Demo | Command::Help => &[],
            Command::WebhookVerify => &[("json", false)],
            Command::Sandbox => &[("addr", false), ("merchant", true), ("spec-dir", false), ("time-scale", false)],
        }
    }

    /// Whether the command talks to a gateway (and so takes the settings).
    fn takes_settings(self) -> bool {
        matches!(
            self,
            Command::Call
                | Command::Checkout
                | Command::Payout
                | Command::Query
                | Command::Balance
                | Command::Sign
                | Command::WebhookVerify
        )
    }
}

/// A command line that cannot be run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}\nRun `vexora help` for usage.")]
pub struct UsageError(String);

impl Invocation {
    /// Parses the arguments after the program name.
    pub fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<Self, UsageError> {
        let args: Vec<String> = args.into_iter().collect();
        // Settings may come before the command too: skip them to find it.
        let (leading, rest) = split_leading_options(&args);
        let words: Vec<&str> = rest.iter().map(String::as_str).take_while(|arg| !arg.starts_with("--")).collect();
        let (command, consumed) =
            Command::parse(&words).ok_or_else(|| UsageError(format!("unknown command `{}`", words.join(" "))))?;
        let consumed = consumed.min(words.len());
        let target = words.get(1).filter(|_| command == Command::Call).map(|word| (*word).to_owned());
        let after_command = &rest[consumed..];
        let mut options: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
        for chunk in [leading, after_command] {
            parse_options(command, chunk, &mut options)?;
        }
        Ok(Self { command, target, options })
    }

    /// The endpoint a `call` names.
    pub fn target(&self) -> Option<&str> {
        self.target.as_deref()
    }

    /// The single value of `--name`, if given.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.options.get(name).and_then(|values| values.first()).map(String::as_str)
    }

    /// Every value of a repeatable `--name`.
    pub fn values(&self, name: &str) -> &[String] {
        self.options.get(name).map_or(&[], Vec::as_slice)
    }
}

/// Splits `--setting value` pairs placed before the command from the rest.
fn split_leading_options(args: &[String]) -> (&[String], &[String]) {
    let mut index = 0;
    while index < args.len() && args[index].starts_with("--") && args[index] != "--help" {
        index += if args[index].contains('=') { 1 } else { 2 };
    }
    let index = index.min(args.len());
    args.split_at(index)
}

fn parse_options(
    command: Command,
    args: &[String],
    options: &mut BTreeMap<&'static str, Vec<String>>,
) -> Result<(), UsageError> {
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let Some(flag) = arg.strip_prefix("--") else {
            return Err(UsageError(format!("unexpected argument `{arg}`")));
        };
        let (name, inline) = match flag.split_once('=') {
            Some((name, value)) => (name, Some(value.to_owned())),
            None => (flag, None),
        };
        let known = command
            .options()
            .iter()
            .copied()
            .chain(command.takes_settings().then_some(SETTINGS.iter().map(|s| (*s, false))).into_iter().flatten())
            .find(|(known, _)| *known == name);
        let Some((name, repeatable)) = known else {
            return Err(UsageError(format!("`{}` does not take the option --{name}", command_name(command))));
        };
        let value = match inline {
            Some(value) => value,
            None => args.next().cloned().ok_or_else(|| UsageError(format!("--{name} needs a value")))?,
        };
        let values = options.entry(name).or_default();
        if !values.is_empty() && !repeatable {
            return Err(UsageError(format!("--{name} is given twice")));
        }
        values.push(value);
    }
    Ok(())
}

/// The command as typed.
pub fn command_name(command: Command) -> &'static str {
    match command {
        Command::Call => "call",
        Command::Checkout => "checkout",
        Command::Payout => "payout",
        Command::Query => "query",
        Command::Balance => "balance",
        Command::Sign => "sign",
        Command::WebhookVerify => "webhook verify",
        Command::Sandbox => "sandbox",
        Command::Demo => "demo",
        Command::Help => "help",
    }
}

/// The usage text.
pub const USAGE: &str = "\
vexora: the Vexora payment gateway from the command line

USAGE:
    vexora [SETTINGS] <COMMAND> [OPTIONS]

COMMANDS:
    call <REGION>/<NAME> --json <FILE|->
                                 any endpoint, named by its spec file (e.g. taiwan/checkout),
                                 from a JSON object of fields by wire name (no `sign` or
                                 `timestamp`: the SDK adds them)
    checkout --json <FILE|->     call taiwan/checkout
    payout --json <FILE|->       call taiwan/payout
    query --trade-no <NO>        call taiwan/query-pay-in-result
    balance                      call taiwan/balance
    sign --json <FILE|->         the canonical string and signature of any JSON object
    webhook verify [--json <FILE|->]
                                 verify a notification body (stdin by default)
    sandbox [--addr ADDR] [--merchant NO:SECRET]... [--spec-dir DIR] [--time-scale F]
                                 run the local gateway sandbox
    demo                         the whole lifecycle against an in-process sandbox: collect,
                                 settle, pay out
    help                         this text

SETTINGS (override the environment):
    --merchant-no <NO>           VEXORA_MERCHANT_NO
    --app-secret <SECRET>        VEXORA_APP_SECRET (prefer the variable: arguments are visible to other users)
    --base-url <URL>             VEXORA_BASE_URL, region included, e.g. http://127.0.0.1:8080/taiwan
    --timeout-ms <MS>            VEXORA_TIMEOUT_MS

EXIT CODES:
    0  accepted / verified
    1  refused by the gateway (code and msg on stderr), transport or decode failure,
       or a notification that failed verification
    2  invalid input, nothing sent (every violated rule on stderr)
    3  sent, but the outcome is unknown (e.g. timed out after sending): query before retrying
";

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<Invocation, UsageError> {
        Invocation::parse(line.split_whitespace().map(str::to_owned))
    }

    #[test]
    fn commands_and_options() {
        let invocation = parse("checkout --json order.json").unwrap();
        assert_eq!(invocation.command, Command::Checkout);
        assert_eq!(invocation.value("json"), Some("order.json"));
        let invocation = parse("--base-url=http://x.example/taiwan query --trade-no T1").unwrap();
        assert_eq!(invocation.command, Command::Query);
        assert_eq!(invocation.value("base-url"), Some("http://x.example/taiwan"));
        assert_eq!(invocation.value("trade-no"), Some("T1"));
        let invocation = parse("webhook verify").unwrap();
        assert_eq!(invocation.command, Command::WebhookVerify);
        let invocation = parse("sandbox --merchant 1:a --merchant 2:b").unwrap();
        assert_eq!(invocation.values("merchant"), ["1:a", "2:b"]);
        assert_eq!(parse("").unwrap().command, Command::Help);
        let invocation = parse("call taiwan/checkout --json -").unwrap();
        assert_eq!((invocation.command, invocation.target()), (Command::Call, Some("taiwan/checkout")));
        assert_eq!(invocation.value("json"), Some("-"));
    }

    #[test]
    fn mistakes_name_the_option() {
        assert!(parse("refund").unwrap_err().0.contains("unknown command `refund`"));
        assert!(parse("query --json x").unwrap_err().0.contains("--json"));
        assert!(parse("query --trade-no").unwrap_err().0.contains("--trade-no needs a value"));
        assert!(parse("query --trade-no a --trade-no b").unwrap_err().0.contains("given twice"));
        assert!(parse("demo --base-url x").unwrap_err().0.contains("--base-url"));
        assert!(parse("balance extra").unwrap_err().0.contains("unexpected argument `extra`"));
        assert_eq!(parse("call --json x").unwrap().target(), None);
    }
}
