//! What makes a spec unsafe or incomplete, on its own and as one of a set.
//! The safety rules follow from what the spec says the endpoint does: one
//! that moves money is a create, never resent on a guess; a create is
//! found afterwards by a read that sends exactly its keys, or says why
//! nothing can find it.

use std::collections::BTreeMap;

use crate::{CallKind, Condition, EndpointSpec};

impl EndpointSpec {
    /// What makes this spec unsafe or incomplete on its own, one sentence
    /// each: a money-moving endpoint that is not a `create`, a create with
    /// no way to be found again and no reason why, a new kind that does not
    /// say what it does, a rule without samples.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = self.meaning_problems();
        problems.extend(self.field_problems());
        problems
    }

    /// Whether what the spec says the endpoint does is whole and safe.
    fn meaning_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let endpoint = &self.endpoint;
        let kind = &endpoint.kind;
        match kind.known() {
            Some(known) => {
                if let Some(money) = endpoint.money.filter(|money| *money != known.money()) {
                    problems.push(format!(
                        "kind {kind} moves money {:?}, not {:?}: leave `money` out, or give the endpoint a kind of its own",
                        known.money().name(),
                        money.name()
                    ));
                }
                if let Some(keys) = endpoint.keys.as_ref().filter(|keys| *keys != known.keys()) {
                    problems.push(format!(
                        "kind {kind} is identified by {:?}, not {keys:?}: leave `keys` out, or give the endpoint a kind of its own",
                        known.keys()
                    ));
                }
                if endpoint.unfindable.is_some() && known.unfindable_because().is_none() {
                    problems.push(format!("kind {kind} is found by a read: leave `unfindable` out"));
                }
                match (known.call(), endpoint.call) {
                    (CallKind::Read, CallKind::Create) if !self.moves_money() => problems.push(format!(
                        "kind {kind} only reads: `call` must be \"read\", so transient failures are retried"
                    )),
                    (CallKind::Create, CallKind::Read) if !self.moves_money() => problems
                        .push(format!("kind {kind} makes something: `call` must be \"create\", so it is never resent")),
                    _ => {}
                }
            }
            None => {
                if endpoint.money.is_none() {
                    problems.push(format!(
                        "kind {kind} is new to the SDK: say which way it moves money, `money = \"in\"`, \"out\", \"back\" or \"none\""
                    ));
                }
                if endpoint.call == CallKind::Create && endpoint.keys.is_none() {
                    problems.push(format!(
                        "kind {kind} is new to the SDK: name the request fields that identify what it makes, \
                         `keys = [\"tradeNo\", ...]`"
                    ));
                }
            }
        }
        if self.moves_money() && endpoint.call == CallKind::Read {
            problems.push(format!(
                "{} moves money, so `call` must be \"create\": a read is resent after a 5xx or a timeout, \
                 which could pay or charge twice",
                endpoint.path
            ));
        }
        match endpoint.call {
            CallKind::Create => {
                for key in self.keys().into_iter().filter(|key| self.request_field(key).is_none()) {
                    problems.push(format!("`keys` names {key:?}, which is not a field of the request"));
                }
                match (&endpoint.reconcile_with, self.unfindable_because()) {
                    (None, None) => problems.push(
                        "a create names the read that finds it after an unknown outcome (`reconcile_with = \"<name>\"`), \
                         or says why none can (`unfindable = \"...\"`)"
                            .to_owned(),
                    ),
                    (Some(_), Some(_)) => {
                        problems.push("a create is found by a read or by none: give `reconcile_with` or `unfindable`, not both".to_owned())
                    }
                    (Some(_), None) if self.keys().is_empty() => {
                        problems.push("a create found by a read names the fields it is found by: give `keys`".to_owned())
                    }
                    _ => {}
                }
            }
            CallKind::Read => {
                if endpoint.keys.is_some() {
                    problems.push("only a create gives `keys`: a read is identified by the fields it sends".to_owned());
                }
                if endpoint.reconcile_with.is_some() || endpoint.unfindable.is_some() {
                    problems.push("only a create has `reconcile_with` or `unfindable`".to_owned());
                }
            }
        }
        problems
    }

    /// Whether each field the merchant gives has usable rules.
    fn field_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for field in self.request.iter().filter(|field| field.is_merchant_supplied()) {
            let needs_samples = field.rules.pattern.is_some() || field.rules.custom.is_some();
            let has_both = field.samples.as_ref().is_some_and(|s| !s.valid.is_empty() && !s.invalid.is_empty());
            if needs_samples && !has_both {
                problems.push(format!(
                    "`{}` has a pattern or custom rule: give `samples = {{ valid = [...], invalid = [...] }}`",
                    field.name
                ));
            }
            if let Some(problem) = field.required_if.as_ref().and_then(Condition::problem) {
                problems.push(format!("`{}`: its `required_if` {problem}", field.name));
            }
            if let Some(Err(error)) = field.rules.pattern.as_deref().map(crate::pattern::parse) {
                problems.push(format!("`{}`: {error}", field.name));
            }
            let min_amount = field.rules.min_amount.as_deref();
            if min_amount.is_some_and(|min| crate::decimal::Decimal::parse(min).is_none_or(|min| min.is_signed())) {
                problems.push(format!("`{}`: `min_amount` is an amount like \"100\" or \"0.01\"", field.name));
            }
        }
        problems
    }
}

/// What is wrong across a set of specs: each create's `reconcile_with`
/// names a read of its region that sends exactly the create's keys (and,
/// for the kinds the SDK knows, the read of the right kind); one file per
/// route; one endpoint per request struct of a region.
pub fn problems_across<'a>(specs: impl IntoIterator<Item = &'a EndpointSpec> + Clone) -> Vec<String> {
    let mut problems = Vec::new();
    for spec in specs.clone() {
        let Some(name) = &spec.endpoint.reconcile_with else { continue };
        let read = specs
            .clone()
            .into_iter()
            .find(|other| other.endpoint.region == spec.endpoint.region && &other.endpoint.name == name);
        let Some(read) = read else {
            problems.push(format!("{}: reconcile_with names {name:?}, which is not in its region", spec.id()));
            continue;
        };
        if read.endpoint.call != CallKind::Read {
            problems.push(format!(
                "{}: reconcile_with names {name:?}, a create: what a create made is found by a read",
                spec.id()
            ));
            continue;
        }
        let wanted = spec.endpoint.kind.known().and_then(|kind| kind.reconciled_by());
        if let (Some(wanted), Some(found)) = (wanted, read.endpoint.kind.known()) {
            if found != wanted {
                problems.push(format!(
                    "{}: reconcile_with names {name:?}, a {found}; a {} is found by a {wanted}",
                    spec.id(),
                    spec.endpoint.kind,
                    found = found.name(),
                    wanted = wanted.name()
                ));
            }
        }
        let mut keys = spec.keys();
        let mut sent: Vec<&str> = read.merchant_fields().collect();
        keys.sort_unstable();
        sent.sort_unstable();
        if keys != sent {
            problems.push(format!(
                "{}: reconcile_with names {name:?}, which sends {sent:?}: the read that finds a create sends exactly \
                 its keys, {keys:?}, taken from the create's own fields",
                spec.id()
            ));
        }
    }
    // One route, one endpoint: a second file for the same region and path
    // would replace the first wherever routes are keyed by path. One
    // struct, one endpoint: a region's structs share one module.
    let mut routes = BTreeMap::new();
    let mut structs = BTreeMap::new();
    for spec in specs {
        let endpoint = &spec.endpoint;
        if let Some(first) = routes.insert((endpoint.region.as_str(), endpoint.path.as_str()), spec.id()) {
            problems.push(format!(
                "spec/{first}.toml and spec/{}.toml both describe {} in {}: keep one file",
                spec.id(),
                endpoint.path,
                endpoint.region
            ));
        }
        if let Some(first) = structs.insert((endpoint.region.as_str(), endpoint.request.as_str()), spec.id()) {
            problems.push(format!(
                "spec/{first}.toml and spec/{}.toml both name the request struct {} of {}: give each endpoint its own",
                spec.id(),
                endpoint.request,
                endpoint.region
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::{Kind, MoneyFlow};

    const TRADE_NO: &str = "[[request]]\nname = \"tradeNo\"\nrequired = true\ntype = \"string\"\ndescription = \"t\"\n";
    const REFUND_NO: &str =
        "[[request]]\nname = \"refundNo\"\nrequired = true\ntype = \"string\"\ndescription = \"r\"\n";

    impl EndpointSpec {
        fn problems_with_call(mut self, call: &str) -> Vec<String> {
            self.endpoint.call = if call == "read" { CallKind::Read } else { CallKind::Create };
            self.problems()
        }
    }

    fn spec(endpoint: &str, fields: &str) -> EndpointSpec {
        let text = format!(
            "[endpoint]\nregion = \"philippines\"\nmethod = \"POST\"\nsource = \"s\"\ndescription = \"d\"\n{endpoint}\n{fields}"
        );
        EndpointSpec::parse(&text, Path::new("test.toml")).unwrap_or_else(|error| panic!("{error}"))
    }

    #[test]
    fn a_payout_marked_read_is_a_problem() {
        let payout = spec(
            "name = \"payout\"\npath = \"/v1/vexora/disbursements\"\nkind = \"payout\"\ncall = \"read\"\n\
             request = \"PayoutRequest\"\nreconcile_with = \"payout-query\"",
            "",
        );
        let problems = payout.problems();
        assert!(problems[0].contains("moves money, so `call` must be \"create\""), "{}", problems[0]);

        // Whatever kind it claims, the path decides too.
        let disguised = spec(
            "name = \"payout\"\npath = \"/v1/vexora/disbursements\"\nkind = \"payout-query\"\ncall = \"read\"\n\
             request = \"PayoutRequest\"",
            "",
        );
        assert!(disguised.problems().iter().any(|problem| problem.contains("moves money")));
    }

    #[test]
    fn a_kyc_application_is_never_resent_and_a_kyc_status_is_a_read() {
        let kyc = |kind: &str, call: &str| {
            spec(
                &format!(
                    "name = \"kyc\"\npath = \"/v1/vexora/kyc\"\nkind = \"{kind}\"\ncall = \"{call}\"\nrequest = \"R\""
                ),
                "",
            )
            .problems()
        };
        assert!(kyc("kyc-application", "create").is_empty());
        assert!(kyc("kyc-status", "read").is_empty());
        assert!(kyc("kyc-application", "read")[0].contains("makes something: `call` must be \"create\""));
        assert!(kyc("kyc-status", "create")[0].contains("only reads: `call` must be \"read\""));
    }

    #[test]
    fn a_create_names_its_reconciling_read_and_rules_carry_samples() {
        let checkout = spec(
            "name = \"checkout\"\npath = \"/v1/vexora/checkout\"\nkind = \"checkout\"\ncall = \"create\"\n\
             request = \"CheckoutRequest\"",
            &format!(
                "{TRADE_NO}[[request]]\nname = \"mobile\"\nrequired = true\ntype = \"string\"\n\
                 rules = {{ pattern = \"^09\\\\d{{8}}$\" }}\ndescription = \"m\""
            ),
        );
        let problems = checkout.problems();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("reconcile_with"));
        assert!(problems[1].contains("`mobile` has a pattern or custom rule"));
    }

    #[test]
    fn a_condition_gives_one_value_or_several_and_never_an_empty_one() {
        let with = |condition: &str| {
            let field = format!(
                "[[request]]\nname = \"id\"\nrequired = false\nrequired_if = {condition}\ntype = \"string\"\ndescription = \"i\""
            );
            spec(
                "name = \"balance\"\npath = \"/v1/vexora/balance\"\nkind = \"balance\"\ncall = \"read\"\nrequest = \"B\"",
                &field,
            )
        };
        let several = with(r#"{ field = "way", one_of = ["CASH", "BANK"] }"#);
        let condition = several.request[0].required_if.as_ref().expect("a condition");
        assert_eq!(condition.values(), ["CASH", "BANK"]);
        assert!(condition.holds_for("BANK") && !condition.holds_for("WALLET") && !condition.holds_for(""));
        assert!(several.problems().is_empty(), "{:?}", several.problems());
        assert!(with(r#"{ field = "way", equals = "CASH" }"#).problems().is_empty());
        for (bad, said) in [
            (r#"{ field = "way" }"#, "gives no value"),
            (r#"{ field = "way", one_of = [] }"#, "gives no value"),
            (r#"{ field = "way", equals = "A", one_of = ["B"] }"#, "both"),
            (r#"{ field = "way", one_of = ["A", ""] }"#, "compares with"),
        ] {
            let problems = with(bad).problems();
            assert!(problems.iter().any(|problem| problem.contains(said)), "{bad}: {problems:?}");
        }
    }

    #[test]
    fn a_pattern_compiles_and_a_minimum_amount_is_decimal_text() {
        let with = |rules: &str| {
            let field = format!(
                "[[request]]\nname = \"n\"\nrequired = true\ntype = \"string\"\nrules = {rules}\n\
                 samples = {{ valid = [\"1\"], invalid = [\"a\"] }}\ndescription = \"d\""
            );
            spec("name = \"balance\"\npath = \"/v1/vexora/balance\"\nkind = \"balance\"\ncall = \"read\"\nrequest = \"B\"", &field)
                .problems()
        };
        assert!(with(r#"{ pattern = "^\\d+$" }"#).is_empty());
        let problems = with(r#"{ pattern = "^(1|2)$" }"#);
        assert!(problems.len() == 1 && problems[0].contains("`n`: invalid pattern: groups"), "{problems:?}");
        assert!(with(r#"{ min_amount = "0.01" }"#).is_empty());
        for bad in ["-1", "1.", "ten", ""] {
            let problems = with(&format!(r#"{{ min_amount = "{bad}" }}"#));
            assert!(problems.len() == 1 && problems[0].contains("`min_amount` is an amount"), "{bad}: {problems:?}");
        }
    }

    #[test]
    fn two_files_for_one_route_are_a_problem() {
        let endpoint = |name: &str| {
            format!(
                "name = \"{name}\"\npath = \"/v1/vexora/balance\"\nkind = \"balance\"\ncall = \"read\"\nrequest = \"B\""
            )
        };
        let (one, other) = (spec(&endpoint("balance"), ""), spec(&endpoint("balance-again"), ""));
        assert!(problems_across([&one]).is_empty());
        let problems = problems_across([&one, &other]);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(
            problems[0],
            "spec/philippines/balance.toml and spec/philippines/balance-again.toml both describe \
             /v1/vexora/balance in philippines: keep one file"
        );
        assert_eq!(
            problems[1],
            "spec/philippines/balance.toml and spec/philippines/balance-again.toml both name the request struct B \
             of philippines: give each endpoint its own"
        );
    }

    #[test]
    fn reconcile_with_must_name_a_read_of_the_right_kind_in_the_region() {
        let checkout = spec(
            "name = \"checkout\"\npath = \"/v1/vexora/checkout\"\nkind = \"checkout\"\ncall = \"create\"\n\
             request = \"CheckoutRequest\"\nreconcile_with = \"query\"",
            TRADE_NO,
        );
        let wrong = spec(
            "name = \"query\"\npath = \"/v1/vexora/queryPayOutResult\"\nkind = \"payout-query\"\ncall = \"read\"\n\
             request = \"PayoutQueryRequest\"",
            TRADE_NO,
        );
        assert_eq!(problems_across([&checkout]).len(), 1);
        let problems = problems_across([&checkout, &wrong]);
        assert_eq!(
            problems,
            [
                "philippines/checkout: reconcile_with names \"query\", a payout-query; a checkout is found by a pay-in-query"
            ]
        );
    }

    /// A refund: a create of a kind the SDK has no name for, keyed by two
    /// fields, found by a read of both.
    fn refund(extra: &str) -> EndpointSpec {
        spec(
            &format!(
                "name = \"refund\"\npath = \"/v1/vexora/refund\"\nkind = \"refund\"\ncall = \"create\"\n\
                 request = \"RefundRequest\"\n{extra}"
            ),
            &format!("{TRADE_NO}{REFUND_NO}"),
        )
    }

    fn refund_query(fields: &str) -> EndpointSpec {
        spec(
            "name = \"refund-query\"\npath = \"/v1/vexora/queryRefund\"\nkind = \"refund-query\"\n\
             call = \"read\"\nmoney = \"none\"\nrequest = \"RefundQueryRequest\"",
            fields,
        )
    }

    #[test]
    fn a_new_kind_says_what_it_does_and_is_held_to_the_same_rules() {
        let whole = "money = \"back\"\nkeys = [\"tradeNo\", \"refundNo\"]\nreconcile_with = \"refund-query\"";
        let refund_ok = refund(whole);
        assert_eq!(refund_ok.endpoint.kind, Kind::New("refund".to_owned()));
        assert_eq!((refund_ok.money(), refund_ok.keys()), (MoneyFlow::Back, vec!["tradeNo", "refundNo"]));
        assert!(refund_ok.moves_money());
        assert!(refund_ok.problems().is_empty(), "{:?}", refund_ok.problems());
        let query = refund_query(&format!("{TRADE_NO}{REFUND_NO}"));
        assert!(query.problems().is_empty(), "{:?}", query.problems());
        assert_eq!(query.keys(), ["tradeNo", "refundNo"], "a read of a new kind is identified by what it sends");
        assert!(problems_across([&refund_ok, &query]).is_empty());

        // Saying nothing of what it does.
        assert_eq!(
            refund("").problems(),
            [
                "kind refund is new to the SDK: say which way it moves money, `money = \"in\"`, \"out\", \"back\" or \"none\"",
                "kind refund is new to the SDK: name the request fields that identify what it makes, \
                 `keys = [\"tradeNo\", ...]`",
                "a create names the read that finds it after an unknown outcome (`reconcile_with = \"<name>\"`), \
                 or says why none can (`unfindable = \"...\"`)",
            ]
        );
        // Moving money, marked a read.
        let as_read = refund(whole).problems_with_call("read");
        assert!(
            as_read.iter().any(|problem| problem.starts_with("/v1/vexora/refund moves money, so `call` must be")),
            "{as_read:?}"
        );
        // A key that is not a field.
        let bad_key = refund("money = \"back\"\nkeys = [\"tradeNo\", \"refundId\"]\nreconcile_with = \"refund-query\"");
        assert_eq!(bad_key.problems(), ["`keys` names \"refundId\", which is not a field of the request"]);
        // Both ways of being found, or one.
        let both = refund(&format!("{whole}\nunfindable = \"no read\""));
        assert_eq!(
            both.problems(),
            ["a create is found by a read or by none: give `reconcile_with` or `unfindable`, not both"]
        );
        let unfindable = refund("money = \"back\"\nkeys = [\"tradeNo\", \"refundNo\"]\nunfindable = \"no read\"");
        assert!(unfindable.problems().is_empty());
        assert_eq!(unfindable.unfindable_because(), Some("no read"));

        // Its read must send exactly its keys.
        let by_trade_no = refund_query(TRADE_NO);
        assert_eq!(
            problems_across([&refund_ok, &by_trade_no]),
            ["philippines/refund: reconcile_with names \"refund-query\", which sends [\"tradeNo\"]: the read that \
              finds a create sends exactly its keys, [\"refundNo\", \"tradeNo\"], taken from the create's own fields"]
        );
        let as_create = spec(
            "name = \"refund-query\"\npath = \"/v1/vexora/queryRefund\"\nkind = \"refund-query\"\n\
             call = \"create\"\nmoney = \"none\"\nkeys = [\"tradeNo\"]\nunfindable = \"u\"\nrequest = \"RefundQueryRequest\"",
            TRADE_NO,
        );
        assert_eq!(
            problems_across([&refund_ok, &as_create]),
            [
                "philippines/refund: reconcile_with names \"refund-query\", a create: what a create made is found by a read"
            ]
        );
    }

    #[test]
    fn a_known_kind_implies_its_data_and_stated_data_must_agree() {
        let checkout = |extra: &str| {
            spec(
                &format!(
                    "name = \"checkout\"\npath = \"/v1/vexora/checkout\"\nkind = \"checkout\"\ncall = \"create\"\n\
                     request = \"CheckoutRequest\"\nreconcile_with = \"query\"\n{extra}"
                ),
                TRADE_NO,
            )
        };
        let plain = checkout("");
        assert_eq!((plain.money(), plain.keys(), plain.unfindable_because()), (MoneyFlow::In, vec!["tradeNo"], None));
        assert!(checkout("money = \"in\"\nkeys = [\"tradeNo\"]").problems().is_empty());
        assert_eq!(
            checkout("money = \"out\"").problems(),
            [
                "kind checkout moves money \"in\", not \"out\": leave `money` out, or give the endpoint a kind of its own"
            ]
        );
        assert_eq!(
            checkout("keys = [\"tradeNo\", \"mobile\"]").problems()[0],
            "kind checkout is identified by [\"tradeNo\"], not [\"tradeNo\", \"mobile\"]: leave `keys` out, or give the \
             endpoint a kind of its own"
        );
        // A misspelt kind is a new one, which must say what it does.
        let misspelt = spec(
            "name = \"checkout\"\npath = \"/v1/vexora/checkout\"\nkind = \"chekout\"\ncall = \"read\"\n\
             request = \"CheckoutRequest\"",
            TRADE_NO,
        );
        let problems = misspelt.problems();
        assert!(problems[0].starts_with("kind chekout is new to the SDK"), "{problems:?}");
        assert!(problems.iter().any(|problem| problem.starts_with("/v1/vexora/checkout moves money")), "{problems:?}");
    }
}
