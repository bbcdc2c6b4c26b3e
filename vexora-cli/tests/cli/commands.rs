//! The built `vexora` binary: every subcommand and every exit code.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use serde_json::Value;
use vexora_sandbox::{Sandbox, SandboxConfig, SandboxHandle, TEST_MERCHANT_NO, TEST_MERCHANT_SECRET};

const VEXORA: &str = env!("CARGO_BIN_EXE_vexora");

/// Runs `vexora` with `args`, `stdin`, and only the given `VEXORA_*` settings.
fn vexora(args: &[&str], env: &[(&str, &str)], stdin: &str) -> Output {
    let mut command = Command::new(VEXORA);
    command.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    for variable in ["VEXORA_MERCHANT_NO", "VEXORA_APP_SECRET", "VEXORA_BASE_URL", "VEXORA_TIMEOUT_MS", "VEXORA_REGION"]
    {
        command.env_remove(variable);
    }
    command.envs(env.iter().copied());
    let mut child = command.spawn().expect("the binary starts");
    // A usage error exits before reading stdin: a closed pipe is expected then.
    match child.stdin.take().expect("stdin").write_all(stdin.as_bytes()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => panic!("stdin not written: {error}"),
        _ => {}
    }
    child.wait_with_output().expect("the binary ends")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn sandbox() -> SandboxHandle {
    Sandbox::spawn(SandboxConfig::default().time_scale(0.001)).expect("the sandbox starts")
}

fn settings(sandbox: &SandboxHandle) -> Vec<(&'static str, String)> {
    vec![
        ("VEXORA_MERCHANT_NO", TEST_MERCHANT_NO.to_owned()),
        ("VEXORA_APP_SECRET", TEST_MERCHANT_SECRET.to_owned()),
        ("VEXORA_BASE_URL", sandbox.base_url("taiwan")),
        ("VEXORA_TIMEOUT_MS", "5000".to_owned()),
    ]
}

fn run_against(sandbox: &SandboxHandle, args: &[&str], stdin: &str) -> Output {
    let settings = settings(sandbox);
    let env: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
    vexora(args, &env, stdin)
}

fn checkout_json(trade_no: &str, ip: &str) -> String {
    serde_json::json!({
        "tradeNo": trade_no, "amount": "300", "mobile": "0912345678", "firstname": "Mei", "lastname": "Lin",
        "email": "mei.lin@example.com", "channelCode": "EWALLET", "wayCode": "LINE_PAY", "ipAddress": ip,
        "notifyUrl": "http://127.0.0.1:9/notify", "returnUrl": "https://merchant.example/done"
    })
    .to_string()
}

#[test]
fn help_and_version_exit_0_and_describe_every_command() {
    for flag in ["--help", "-h", "help"] {
        let help = vexora(&[flag], &[], "");
        assert_eq!(help.status.code(), Some(0), "{flag}: {}", stderr(&help));
        for text in
            ["Usage: vexora <COMMAND>", "checkout", "webhook", "sandbox", "decide", "resend", "clock", "Exit codes:"]
        {
            assert!(stdout(&help).contains(text), "{flag} lacks {text:?}:\n{}", stdout(&help));
        }
    }
    let version = vexora(&["--version"], &[], "");
    assert_eq!(version.status.code(), Some(0));
    assert_eq!(stdout(&version).trim(), format!("vexora {}", env!("CARGO_PKG_VERSION")));
    for (command, option) in [
        (&["call", "--help"][..], "<REGION/NAME>"),
        (&["checkout", "--help"], "--json <FILE|->"),
        (&["payout", "--help"], "--json <FILE|->"),
        (&["query", "--help"], "--trade-no <NO>"),
        (&["balance", "--help"], "[env: VEXORA_BASE_URL"),
        (&["sign", "--help"], "--app-secret"),
        (&["webhook", "verify", "--help"], "[default: -]"),
        (&["sandbox", "--help"], "--notify-timeout-ms <MS>"),
        (&["demo", "--help"], "Usage: vexora demo"),
        (&["decide", "payout", "--help"], "- fail: Failed; the amount goes back to the balance"),
        (&["decide", "order", "--help"], "- partial: Paid in part"),
        (&["resend", "order", "--help"], "[env: VEXORA_SANDBOX_URL"),
        (&["resend", "--help"], "byte for byte"),
        (&["clock", "advance", "--help"], "3600 (seconds), 90s, 15m, 3h, 1d, 1h30m"),
    ] {
        let help = vexora(command, &[], "");
        assert_eq!(help.status.code(), Some(0), "{command:?}: {}", stderr(&help));
        assert!(stdout(&help).contains(option), "{command:?} lacks {option:?}:\n{}", stdout(&help));
    }
}

#[test]
fn help_never_shows_the_secret_from_the_environment() {
    let help = vexora(&["balance", "--help"], &[("VEXORA_APP_SECRET", "do-not-print-me")], "");
    assert!(stdout(&help).contains("[env: VEXORA_APP_SECRET]"), "{}", stdout(&help));
    assert!(!stdout(&help).contains("do-not-print-me"));
}

#[test]
fn usage_errors_exit_2_and_name_the_mistake() {
    let unknown = vexora(&["refund"], &[], "");
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("unrecognized subcommand 'refund'"), "{}", stderr(&unknown));
    let misplaced = vexora(&["demo", "--base-url", "http://x.example"], &[], "");
    assert_eq!(misplaced.status.code(), Some(2));
    assert!(stderr(&misplaced).contains("--base-url"), "{}", stderr(&misplaced));
    let bad_value = vexora(&["sandbox", "--merchant", "nosecret"], &[], "");
    assert_eq!(bad_value.status.code(), Some(2));
    assert!(stderr(&bad_value).contains("NO:SECRET"), "{}", stderr(&bad_value));
}

#[test]
fn checkout_accepted_prints_the_response_and_exits_0() {
    let sandbox = sandbox();
    let output = run_against(&sandbox, &["checkout", "--json", "-"], &checkout_json("CLI0001", "198.51.100.10"));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let data: Value = serde_json::from_str(&stdout(&output)).expect("JSON on stdout");
    assert_eq!(data["tradeNo"], "CLI0001");
    assert_eq!(data["status"], "0015");
    assert!(data["paymentUrl"].as_str().expect("a link").contains("/cashier/"));

    let query = run_against(&sandbox, &["query", "--trade-no", "CLI0001"], "");
    assert_eq!(query.status.code(), Some(0), "{}", stderr(&query));
    assert_eq!(serde_json::from_str::<Value>(&stdout(&query)).expect("JSON")["status"], "0015");

    // The payer pays in part, decided from the command line.
    let decided =
        run_against(&sandbox, &["decide", "order", "CLI0001", "partial", "--sandbox-url", &sandbox.url()], "");
    assert_eq!(decided.status.code(), Some(0), "{}", stderr(&decided));
    let query = run_against(&sandbox, &["query", "--trade-no", "CLI0001"], "");
    assert_eq!(serde_json::from_str::<Value>(&stdout(&query)).expect("JSON")["status"], "0001");

    let balance = run_against(&sandbox, &["balance"], "");
    assert_eq!(balance.status.code(), Some(0), "{}", stderr(&balance));
    assert!(serde_json::from_str::<Value>(&stdout(&balance)).expect("JSON")["availableAmount"].is_string());
}

#[test]
fn checkout_from_a_file() {
    let sandbox = sandbox();
    let path = std::env::temp_dir().join(format!("vexora-cli-test-{}.json", std::process::id()));
    std::fs::write(&path, checkout_json("CLI0002", "198.51.100.11")).expect("written");
    let output = run_against(&sandbox, &["checkout", "--json", path.to_str().expect("UTF-8 path")], "");
    let _ = std::fs::remove_file(&path);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn invalid_input_exits_2_lists_every_rule_and_sends_nothing() {
    let sandbox = sandbox();
    let input = checkout_json("CLI0003", "not-an-ip").replace("0912345678", "12345");
    let output = run_against(&sandbox, &["checkout", "--json", "-"], &input);
    assert_eq!(output.status.code(), Some(2));
    let errors = stderr(&output);
    assert!(errors.contains("mobile: must match the pattern"), "{errors}");
    assert!(errors.contains("ipAddress: must be an IPv4 or IPv6 address"), "{errors}");
    assert_eq!(sandbox.stats().requests, 0, "nothing reached the gateway");

    for reserved in ["sign", "timestamp"] {
        let input = checkout_json("CLI0004", "198.51.100.12").replacen('{', &format!("{{\"{reserved}\":\"x\","), 1);
        let output = run_against(&sandbox, &["checkout", "--json", "-"], &input);
        assert_eq!(output.status.code(), Some(2));
        assert!(stderr(&output).contains(&format!("{reserved}: is added by the SDK")), "{}", stderr(&output));
    }
    let not_json = run_against(&sandbox, &["checkout", "--json", "-"], "tradeNo=1");
    assert_eq!(not_json.status.code(), Some(2));
    assert_eq!(sandbox.stats().requests, 0);
}

#[test]
fn a_refusal_exits_1_with_code_and_msg() {
    let sandbox = sandbox();
    let input = checkout_json("CLI0005", "198.51.100.13");
    assert_eq!(run_against(&sandbox, &["checkout", "--json", "-"], &input).status.code(), Some(0));
    let again = run_against(&sandbox, &["checkout", "--json", "-"], &input);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("code 9005"), "{}", stderr(&again));
}

#[test]
fn a_dropped_answer_exits_3_and_the_advised_command_finds_the_order() {
    let sandbox = Sandbox::spawn(SandboxConfig::default().opening_balance(TEST_MERCHANT_NO, 1_000)).expect("starts");
    let payout = serde_json::json!({
        "tradeNo": "LOSTPAYOUT1", "amount": "100", "bankCode": "004", "bankNumber": "3560123456789012",
        "mobile": "0912345678", "email": "payee@example.com", "name": "Lin Mei",
        "notifyUrl": "http://127.0.0.1:9/notify"
    })
    .to_string();
    for (command, input, trade_no) in [
        (&["checkout", "--json", "-"][..], checkout_json("CLI0006", "198.51.100.14"), "CLI0006"),
        (&["payout", "--json", "-"], payout, "LOSTPAYOUT1"),
    ] {
        // The gateway makes the order or payout, and its answer is lost.
        let fault = r#"{"drop_connection": true, "times": 1}"#;
        let reply = surf_post(&format!("{}/sandbox/faults", sandbox.url()), fault);
        assert!(reply.starts_with('2'), "{reply}");
        let lost = run_against(&sandbox, command, &input);
        assert_eq!(lost.status.code(), Some(3), "{command:?}: {}", stderr(&lost));
        let (read, fields) = advised_read(&stderr(&lost));
        assert_eq!(fields, serde_json::json!({ "tradeNo": trade_no }), "{}", stderr(&lost));
        let found = run_against(&sandbox, &["call", &read, "--json", "-"], &fields.to_string());
        assert_eq!(found.status.code(), Some(0), "{read}: {}", stderr(&found));
        let data: Value = serde_json::from_str(&stdout(&found)).expect("JSON data");
        assert_eq!(data["tradeNo"], trade_no, "{data}");
    }
}

/// The read and its JSON from the advice's `echo '<JSON>' | vexora call <READ> --json -` line.
fn advised_read(advice: &str) -> (String, Value) {
    let line = advice.lines().find_map(|line| line.trim().strip_prefix("echo '")).unwrap_or_else(|| {
        panic!("no command to run in:\n{advice}");
    });
    let (json, command) = line.split_once("' | vexora call ").expect("a call of the read");
    let read = command.strip_suffix(" --json -").expect("the JSON from stdin");
    (read.to_owned(), serde_json::from_str(json).expect("the JSON to pipe in"))
}

/// A gateway that reads each request's head and hangs up without an
/// answer, so whoever sent it cannot know whether it took effect.
fn gateway_that_hangs_up(connections: usize) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("an address");
    std::thread::spawn(move || {
        for stream in listener.incoming().take(connections) {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let (mut head, mut chunk) = (Vec::new(), [0_u8; 4096]);
            while !head.windows(4).any(|window| window == b"\r\n\r\n") {
                match stream.read(&mut chunk) {
                    Ok(0) | Err(_) => break,
                    Ok(read) => head.extend_from_slice(&chunk[..read]),
                }
            }
        }
    });
    address
}

/// A value every rule of `field` accepts, from its spec: a sample, the
/// document's example, the first allowed value, or a value of its format.
fn valid_value(field: &vexora_spec::FieldSpec) -> String {
    let samples = field.samples.as_ref().and_then(|samples| samples.valid.first());
    let first_allowed = field.rules.one_of.as_ref().and_then(|values| values.first());
    samples.or(field.example.as_ref()).or(first_allowed).cloned().unwrap_or_else(|| {
        match field.rules.format.as_deref() {
            Some("email") => "payer@example.com".to_owned(),
            Some("ip") => "203.0.113.7".to_owned(),
            Some("http_url") => "https://merchant.example/vexora".to_owned(),
            _ if field.rules.digits => "1".to_owned(),
            // An amount: the smallest the spec allows.
            _ if field.ty == "decimal" => field.rules.min_amount.clone().unwrap_or_else(|| "1".to_owned()),
            _ => "sample".to_owned(),
        }
    })
}

/// Every field the spec requires, and each `required_if` field whose
/// condition the required ones meet; `tradeNo`, if any, is `trade_no`.
fn valid_request(spec: &vexora_spec::EndpointSpec, trade_no: &str) -> serde_json::Map<String, Value> {
    let merchant_fields = || spec.request.iter().filter(|field| field.is_merchant_supplied());
    let value = |field: &vexora_spec::FieldSpec| {
        Value::from(if field.name == "tradeNo" { trade_no.to_owned() } else { valid_value(field) })
    };
    let mut request = serde_json::Map::new();
    for field in merchant_fields().filter(|field| field.required) {
        request.insert(field.name.clone(), value(field));
    }
    for field in merchant_fields() {
        let Some(condition) = &field.required_if else { continue };
        if request.get(&condition.field).and_then(Value::as_str).is_some_and(|value| condition.holds_for(value)) {
            request.insert(field.name.clone(), value(field));
        }
    }
    request
}

macro_rules! creates {
    ($(($request:ty, $spec:literal)),* $(,)?) => {
        /// Every create of the SDK's registry, by spec name.
        fn creates() -> Vec<&'static str> {
            [$(($spec, <$request as vexora::Endpoint>::CALL)),*]
                .into_iter()
                .filter(|(_, call)| *call == vexora::endpoint::CallKind::Create)
                .map(|(spec, _)| spec)
                .collect()
        }
    };
}
vexora::for_each_endpoint!(creates);

/// After an unknown outcome, every create of the registry advises its own
/// read (the one its spec's `reconcile_with` names) as a command to run,
/// or, where no read can find it, says so and that a person must check.
#[test]
fn an_unknown_outcome_advises_the_creates_own_read_for_every_create() {
    let specs = vexora_spec::load_all(&vexora_spec::workspace_spec_dir()).expect("the specs load");
    let creates = creates();
    let expected = specs.values().filter(|spec| spec.endpoint.call == vexora_spec::CallKind::Create).count();
    assert_eq!(creates.len(), expected, "the registry and spec/ list the same creates");
    let shortcuts = [("taiwan/checkout", "checkout"), ("taiwan/payout", "payout")];
    let gateway = gateway_that_hangs_up(creates.len() + shortcuts.len());
    for create in creates {
        let spec = specs.values().find(|spec| spec.id() == create).expect("every create has a spec");
        let region = &spec.endpoint.region;
        let trade_no = format!("LOST{region}{}", spec.endpoint.name.replace('-', ""));
        let request = valid_request(spec, &trade_no);
        let input = Value::Object(request.clone()).to_string();
        let env = [
            ("VEXORA_MERCHANT_NO", TEST_MERCHANT_NO),
            ("VEXORA_APP_SECRET", TEST_MERCHANT_SECRET),
            ("VEXORA_BASE_URL", &format!("http://{gateway}/{region}")),
        ];
        let output = vexora(&["call", create, "--json", "-"], &env, &input);
        assert_eq!(output.status.code(), Some(3), "{create}: {}", stderr(&output));
        let advice = stderr(&output);
        assert!(!advice.contains("vexora query"), "{create}: not the pay-in shortcut:\n{advice}");
        let has_trade_no = spec.request_field("tradeNo").is_some();
        match &spec.endpoint.reconcile_with {
            Some(read) => {
                let (advised, fields) = advised_read(&advice);
                assert_eq!(advised, format!("{region}/{read}"), "{create}:\n{advice}");
                // Every key of the create, as it was sent.
                let keys: serde_json::Map<String, Value> =
                    spec.keys().into_iter().map(|key| (key.to_owned(), request[key].clone())).collect();
                assert_eq!(fields, Value::Object(keys), "{create}:\n{advice}");
            }
            None => {
                assert!(advice.contains("cannot be looked up afterwards"), "{create}:\n{advice}");
                assert!(advice.contains("until a person checks with Vexora"), "{create}:\n{advice}");
                assert!(!has_trade_no || advice.contains(&format!("tradeNo {trade_no}")), "{create}:\n{advice}");
                assert!(advice.contains("Z (UTC)"), "{create}: the time to give Vexora:\n{advice}");
            }
        }
        if let Some((_, shortcut)) = shortcuts.iter().find(|(spec, _)| *spec == create) {
            let same = vexora(&[shortcut, "--json", "-"], &env, &input);
            assert_eq!(same.status.code(), Some(3), "{shortcut}: {}", stderr(&same));
            let advice_of = |text: &str| text.lines().skip(1).collect::<Vec<_>>().join("\n");
            assert_eq!(advice_of(&stderr(&same)), advice_of(&advice), "{shortcut} advises as call {create}");
        }
    }
}

#[test]
fn an_unreachable_gateway_exits_1() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr");
    let env = [
        ("VEXORA_MERCHANT_NO", TEST_MERCHANT_NO),
        ("VEXORA_APP_SECRET", TEST_MERCHANT_SECRET),
        ("VEXORA_BASE_URL", &format!("http://{closed}/taiwan")),
    ];
    let output = vexora(&["balance"], &env, "");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
}

#[test]
fn missing_configuration_names_the_variable() {
    let output = vexora(&["balance"], &[("VEXORA_MERCHANT_NO", "0000000001")], "");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("VEXORA_APP_SECRET"), "{}", stderr(&output));
}

#[test]
fn sign_prints_canonical_and_signature_but_never_the_secret() {
    let body = r#"{"tradeNo":"00000008","platFormTradeNo":"68o0uwogz7mnzutt","status":"0001","amount":150.00,"orderAmount":300}"#;
    let output = vexora(&["sign", "--json", "-"], &[("VEXORA_APP_SECRET", "test-app-secret-123")], body);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let printed: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    // The independent vectors' notification_number_amount_uses_raw_text case.
    assert_eq!(
        printed["canonical"],
        "amount=150.00orderAmount=300platFormTradeNo=68o0uwogz7mnzuttstatus=0001tradeNo=00000008"
    );
    assert_eq!(printed["sign"], "9ee22021d0627b70ae90a2f22f28ddc9");
    assert!(!stdout(&output).contains("test-app-secret-123"));
}

/// `sign` takes any JSON object, so what it refuses is said of the input's
/// fields, never of a notification.
#[test]
fn sign_names_the_field_it_cannot_sign() {
    let env = [("VEXORA_APP_SECRET", "test-app-secret-123")];
    for (body, said) in [
        (r#"{"tradeNo":"T1","a=b":"2"}"#, "cannot sign this input: field `a=b`: its name is not a plain name"),
        (
            r#"{"tradeNo":"T1","":"2"}"#,
            "cannot sign this input: a field with an empty name: its name is not a plain name",
        ),
        ("[1,2]", "cannot sign this input: JSON, but not an object"),
    ] {
        let output = vexora(&["sign", "--json", "-"], &env, body);
        assert_eq!(output.status.code(), Some(2), "{body}: {}", stderr(&output));
        assert!(stderr(&output).contains(said), "{body}: {}", stderr(&output));
        assert!(!stderr(&output).contains("notification"), "{body}: {}", stderr(&output));
        assert!(stdout(&output).is_empty(), "{body}: no signature printed");
    }
}

#[test]
fn webhook_verify_accepts_genuine_and_refuses_forged_notifications() {
    let genuine = r#"{"platFormTradeNo":"c167o1itir0fypid","tradeNo":"00000007","amount":"300","status":"0000","message":"success","remark":"000000","sign":"d2a1dfad392f7d937b2cc1660401a647"}"#;
    let env = [("VEXORA_APP_SECRET", "test-app-secret-123")];
    let output = vexora(&["webhook", "verify"], &env, genuine);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let typed: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(typed["tradeNo"], "00000007");
    assert_eq!(typed["status"], "0000");
    assert_eq!(typed["amount"], "300");

    let forged = genuine.replace("\"300\"", "\"3000\"");
    let output = vexora(&["webhook", "verify", "--json", "-"], &env, &forged);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("signature does not match"), "{}", stderr(&output));
}

/// During a rotation the old secret is accepted until its time, and stderr
/// says it was used; after that time it is refused.
#[test]
fn webhook_verify_takes_the_previous_secret_until_its_time() {
    // Signed with test-app-secret-123, now the previous secret.
    let signed_with_old = r#"{"platFormTradeNo":"c167o1itir0fypid","tradeNo":"00000007","amount":"300","status":"0000","message":"success","remark":"000000","sign":"d2a1dfad392f7d937b2cc1660401a647"}"#;
    let env = [("VEXORA_APP_SECRET", "the-new-secret")];
    let rotating = |until: &str| {
        let args = ["webhook", "verify", "--previous-secret", "test-app-secret-123", "--previous-until", until];
        vexora(&args, &env, signed_with_old)
    };
    let during = rotating("2999-01-01T00:00:00Z");
    assert_eq!(during.status.code(), Some(0), "{}", stderr(&during));
    assert!(stderr(&during).contains("verified with the previous secret"), "{}", stderr(&during));
    let after = rotating("2020-01-01T00:00:00Z");
    assert_eq!(after.status.code(), Some(1), "{}", stderr(&after));
    assert!(stderr(&after).contains("signature does not match"), "{}", stderr(&after));
    let alone = vexora(&["webhook", "verify"], &env, signed_with_old);
    assert_eq!(alone.status.code(), Some(1));
    let unreadable = rotating("next tuesday");
    assert_eq!(unreadable.status.code(), Some(2), "{}", stderr(&unreadable));
    assert!(stderr(&unreadable).contains("--previous-until"), "{}", stderr(&unreadable));
}

#[test]
fn demo_runs_the_lifecycle() {
    let output = vexora(&["demo"], &[], "");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let transcript = stdout(&output);
    for step in [
        "dashboard (open it while the demo runs): http://127.0.0.1:",
        "checkout created",
        "payment link: http://127.0.0.1:",
        "verified: status 0000",
        "queried the gateway: status 0000",
        "the next day on the sandbox clock: available 300.0000",
        "payout accepted",
        "available 100.0000, frozen 200.0000",
        "signed payout notification received and verified: status 0000",
        "queried the payout: status 0000",
        "balance available 100.0000, frozen 0.0000",
        // The books: intents first, each answer, notification and query
        // settled once through the ledger.
        "books: vexora-ledger on SQLite in a temporary file",
        "intent recorded in the books before sending: pay-in",
        "status 0015 (", // the checkout's answer
        "; books: intent -> processing\n",
        "verified: status 0000, amount 300; books: processing -> paid, credited 300",
        "queried the gateway: status 0000 (success), amount 300.00; books: nothing moves (already settled)",
        "intent recorded in the books before sending: payout",
        "verified: status 0000, amount 200; books: processing -> paid, debited 200",
        "where the books stand (vexora-ledger):",
        "credited 300, debited 200; kept for a person: 0",
    ] {
        assert!(transcript.contains(step), "missing {step:?} in:\n{transcript}");
    }
    let books: Vec<&str> = transcript.lines().skip_while(|line| !line.contains("where the books stand")).collect();
    assert!(books.iter().any(|line| line.trim_start().starts_with("pay_in") && line.contains("paid 300 of 300")));
    assert!(books.iter().any(|line| line.trim_start().starts_with("payout") && line.contains("paid 200 of 200")));
}

#[test]
fn sandbox_command_serves_until_stopped() {
    let mut child = Command::new(VEXORA)
        .args(["sandbox", "--addr", "127.0.0.1:0", "--merchant", "0000000009:another-secret"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut first).expect("a banner");
    let _ = child.kill();
    let _ = child.wait();
    assert!(first.starts_with("vexora sandbox listening on http://127.0.0.1:"), "{first}");
}

/// A plain POST, returning the status code as text.
fn surf_post(url: &str, body: &str) -> String {
    futures_lite::future::block_on(async {
        let response = surf::post(url).body_string(body.to_owned()).content_type("application/json").await;
        response.map_or_else(|e| e.to_string(), |r| u16::from(r.status()).to_string())
    })
}

#[test]
fn call_sends_any_endpoint_by_its_spec_name() {
    let sandbox = sandbox();
    let created =
        run_against(&sandbox, &["call", "taiwan/checkout", "--json", "-"], &checkout_json("CALL0001", "10.40.0.1"));
    assert_eq!(created.status.code(), Some(0), "{}", stderr(&created));
    let data: Value = serde_json::from_str(&stdout(&created)).expect("JSON data");
    assert_eq!(data["tradeNo"], "CALL0001");

    let queried =
        run_against(&sandbox, &["call", "taiwan/query-pay-in-result", "--json", "-"], r#"{"tradeNo":"CALL0001"}"#);
    assert_eq!(queried.status.code(), Some(0), "{}", stderr(&queried));
    assert_eq!(serde_json::from_str::<Value>(&stdout(&queried)).expect("JSON data")["status"], "0015");

    let balance = run_against(&sandbox, &["call", "taiwan/balance", "--json", "-"], "{}");
    assert_eq!(balance.status.code(), Some(0), "{}", stderr(&balance));
}

#[test]
fn call_refuses_unknown_endpoints_and_invalid_fields_before_sending() {
    let sandbox = sandbox();
    let unknown = run_against(&sandbox, &["call", "taiwan/refund", "--json", "-"], "{}");
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("no endpoint \"taiwan/refund\"; the SDK has "), "{}", stderr(&unknown));
    assert!(stderr(&unknown).contains("taiwan/checkout"), "{}", stderr(&unknown));

    let missing = run_against(&sandbox, &["call", "--json", "-"], "{}");
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("<REGION/NAME>"), "{}", stderr(&missing));

    // A query takes any tradeNo but an empty one; a create keeps the SDK's limit.
    let invalid = run_against(&sandbox, &["call", "taiwan/query-pay-in-result", "--json", "-"], r#"{"tradeNo":""}"#);
    assert_eq!(invalid.status.code(), Some(2), "{}", stderr(&invalid));
    assert!(stderr(&invalid).contains("tradeNo"), "{}", stderr(&invalid));
    let spaced = checkout_json("T 1", "198.51.100.77");
    let invalid = run_against(&sandbox, &["call", "taiwan/checkout", "--json", "-"], &spaced);
    assert_eq!(invalid.status.code(), Some(2), "{}", stderr(&invalid));
    assert!(stderr(&invalid).contains("tradeNo"), "{}", stderr(&invalid));
    assert_eq!(sandbox.stats().requests, 0, "nothing was sent");
}

#[test]
fn payout_is_a_shortcut_for_call_taiwan_payout() {
    let sandbox = Sandbox::spawn(SandboxConfig::default().opening_balance(TEST_MERCHANT_NO, 1_000)).expect("starts");
    let payout = serde_json::json!({
        "tradeNo": "PAYOUT0001", "amount": "100", "bankCode": "004", "bankNumber": "3560123456789012",
        "mobile": "0912345678", "email": "payee@example.com", "name": "Lin Mei",
        "notifyUrl": "http://127.0.0.1:9/notify"
    })
    .to_string();
    let sent = run_against(&sandbox, &["payout", "--json", "-"], &payout);
    assert_eq!(sent.status.code(), Some(0), "{}", stderr(&sent));
    let data: Value = serde_json::from_str(&stdout(&sent)).expect("JSON data");
    assert_eq!((data["tradeNo"].as_str(), data["status"].as_str()), (Some("PAYOUT0001"), Some("0015")));

    // The bank pays it out: decided from the command line, seen by the query.
    let decided =
        run_against(&sandbox, &["decide", "payout", "PAYOUT0001", "pay", "--sandbox-url", &sandbox.url()], "");
    assert_eq!(decided.status.code(), Some(0), "{}", stderr(&decided));
    let queried = run_against(&sandbox, &["call", "taiwan/payout-query", "--json", "-"], r#"{"tradeNo":"PAYOUT0001"}"#);
    assert_eq!(queried.status.code(), Some(0), "{}", stderr(&queried));
    let result: Value = serde_json::from_str(&stdout(&queried)).expect("JSON data");
    assert_eq!(result["status"], "0000", "{result}");
    let again = run_against(&sandbox, &["decide", "payout", "PAYOUT0001", "fail", "--sandbox-url", &sandbox.url()], "");
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("already finished"), "{}", stderr(&again));

    let too_small = payout.replace(r#""amount":"100""#, r#""amount":"99""#);
    let refused = run_against(&sandbox, &["payout", "--json", "-"], &too_small);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("min_amount"), "{}", stderr(&refused));
}

#[test]
fn resend_sends_the_last_notification_again_and_prints_the_attempt() {
    let sandbox = sandbox();
    let created = run_against(&sandbox, &["checkout", "--json", "-"], &checkout_json("CLI0007", "198.51.100.15"));
    assert_eq!(created.status.code(), Some(0), "{}", stderr(&created));
    let url = sandbox.url();
    let early = run_against(&sandbox, &["resend", "order", "CLI0007", "--sandbox-url", &url], "");
    assert_eq!(early.status.code(), Some(1));
    assert!(stderr(&early).contains("no notification to resend yet"), "{}", stderr(&early));

    let paid = run_against(&sandbox, &["decide", "order", "CLI0007", "pay", "--sandbox-url", &url], "");
    assert_eq!(paid.status.code(), Some(0), "{}", stderr(&paid));
    let started = std::time::Instant::now();
    while sandbox.deliveries().is_empty() {
        assert!(started.elapsed() < std::time::Duration::from_secs(10), "no first attempt");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    // Nobody listens at the order's notifyUrl: the resend is made, and fails.
    let resent = vexora(&["resend", "order", "CLI0007"], &[("VEXORA_SANDBOX_URL", &url)], "");
    assert_eq!(resent.status.code(), Some(0), "{}", stderr(&resent));
    let attempt: Value = serde_json::from_str(&stdout(&resent)).expect("the attempt as JSON");
    assert_eq!(
        (attempt["trigger"].as_str(), attempt["outcome"].as_str()),
        (Some("resend"), Some("failed")),
        "{attempt}"
    );
    assert!(attempt["error"].as_str().unwrap_or_default().contains("cannot connect"), "{attempt}");
    assert!(sandbox.deliveries().iter().any(|attempt| attempt.trigger == vexora_sandbox::DeliveryTrigger::Resend));

    let payout = vexora(&["resend", "payout", "CLI0007", "--sandbox-url", &url], &[], "");
    assert_eq!(payout.status.code(), Some(1));
    assert!(stderr(&payout).contains("merchantNo"), "{}", stderr(&payout));
}

#[test]
fn clock_advance_moves_the_sandbox_clock() {
    let sandbox = sandbox();
    let url = sandbox.url();
    let advanced = vexora(&["clock", "advance", "1h30m", "--sandbox-url", &url], &[], "");
    assert_eq!(advanced.status.code(), Some(0), "{}", stderr(&advanced));
    let clock: Value = serde_json::from_str(&stdout(&advanced)).expect("the clock as JSON");
    assert_eq!(clock["offsetMs"], 5_400_000, "{clock}");
    let again = vexora(&["clock", "advance", "3600"], &[("VEXORA_SANDBOX_URL", &url)], "");
    assert_eq!(serde_json::from_str::<Value>(&stdout(&again)).expect("JSON")["offsetMs"], 9_000_000);

    let unreadable = vexora(&["clock", "advance", "soon", "--sandbox-url", &url], &[], "");
    assert_eq!(unreadable.status.code(), Some(2));
    assert!(stderr(&unreadable).contains("not a duration"), "{}", stderr(&unreadable));
}

#[test]
fn duplicate_keys_exit_2_name_the_key_and_send_nothing() {
    let sandbox = sandbox();
    // serde_json keeps the last copy: this would send CLI0008, not A.
    let order = checkout_json("CLI0008", "198.51.100.16");
    let doubled = order.replacen('{', r#"{"tradeNo":"A","#, 1);
    let output = run_against(&sandbox, &["call", "taiwan/checkout", "--json", "-"], &doubled);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("duplicate key \"tradeNo\""), "{}", stderr(&output));

    // The same key spelled with an escape is the same key.
    let escaped = order.replacen('{', r#"{"amount":"30000","#, 1).replacen(r#""amount""#, r#""\u0061mount""#, 1);
    let nested = order.replacen('{', r#"{"extra":{"k":1,"k":2},"#, 1);
    for command in [&["checkout", "--json", "-"][..], &["call", "taiwan/checkout", "--json", "-"]] {
        let output = run_against(&sandbox, command, &escaped);
        assert_eq!(output.status.code(), Some(2), "{command:?}: {}", stderr(&output));
        assert!(stderr(&output).contains("duplicate key \"amount\""), "{command:?}: {}", stderr(&output));
        let output = run_against(&sandbox, command, &nested);
        assert_eq!(output.status.code(), Some(2), "{command:?}: {}", stderr(&output));
        assert!(stderr(&output).contains("duplicate key \"k\""), "{command:?}: {}", stderr(&output));
    }
    assert_eq!(sandbox.stats().requests, 0, "nothing reached the gateway");

    let env = [("VEXORA_APP_SECRET", "test-app-secret-123")];
    for (body, key) in [(r#"{"a":"1","b":"2","a":"3"}"#, "a"), (r#"{"a":"1","b":{"c":[{"d":1,"d":2}]}}"#, "d")] {
        let signed = vexora(&["sign", "--json", "-"], &env, body);
        assert_eq!(signed.status.code(), Some(2), "{body}: {}", stderr(&signed));
        assert!(stderr(&signed).contains(&format!("duplicate key \"{key}\"")), "{body}: {}", stderr(&signed));
        assert!(stdout(&signed).is_empty(), "{body}: no signature printed");
    }
    // A notification with a repeated key is refused by the SDK's verification.
    let doubled =
        r#"{"tradeNo":"00000007","tradeNo":"00000008","amount":"300","sign":"d2a1dfad392f7d937b2cc1660401a647"}"#;
    let verified = vexora(&["webhook", "verify"], &env, doubled);
    assert_eq!(verified.status.code(), Some(1), "{}", stderr(&verified));
    assert!(stderr(&verified).contains("\"tradeNo\" more than once"), "{}", stderr(&verified));
}

#[test]
fn a_request_for_another_region_exits_2_and_names_the_base_url_that_serves_it() {
    let sandbox = sandbox();
    let output = run_against(&sandbox, &["call", "japan/query-pay-in-result", "--json", "-"], r#"{"tradeNo":"T1"}"#);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(message.contains("nothing was sent"), "{message}");
    assert!(message.contains("a base URL ending in /japan"), "{message}");
    assert_eq!(sandbox.stats().requests, 0, "nothing reached the gateway");
    let help = stdout(&vexora(&["--help"], &[], ""));
    assert!(help.contains("a request for another region than the base URL's"), "{help}");
}
