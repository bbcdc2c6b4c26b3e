//! What one page of the dashboard lists: orders, payouts and the records of
//! kinds served from their spec, newest first, filtered by kind, status and
//! trade number (or key), with their notification attempts. Only the page's
//! rows are cloned out of the state, so a page costs the same with ten
//! orders or ten thousand.

use std::collections::BTreeMap;

use crate::book::records::{Order, Payout};
use crate::book::spec_records::SpecRecord;

use crate::book::state::{Entry, State};
use crate::notify::delivery::{AttemptLog, DeliveryRecord, NoticeState, NotifiedKind};
use crate::web::form::{self, url_encode};

/// Rows a page shows unless `per_page` says otherwise.
pub(crate) const DEFAULT_PER_PAGE: usize = 50;
/// The most rows a page shows, whatever `per_page` asks.
pub(crate) const MAX_PER_PAGE: usize = 500;
/// The longest search kept, in characters (a trade number is at most 64).
const MAX_SEARCH_CHARS: usize = 100;

/// A status, whatever the kind: orders, payouts and records share the
/// status codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StatusGroup {
    /// `0015`: paying, or a payout processing.
    Pending,
    /// `0000`: paid in full, or paid out.
    Success,
    /// `0001`: paid in part (orders only).
    Partial,
    /// `00029`: failed.
    Failed,
}

impl StatusGroup {
    /// Every group, in the order the filter offers them.
    pub(crate) const ALL: [Self; 4] = [Self::Pending, Self::Success, Self::Partial, Self::Failed];

    /// The query parameter's value.
    pub(crate) fn param(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Success => "success",
            Self::Partial => "partial",
            Self::Failed => "failed",
        }
    }

    fn code(self) -> &'static str {
        match self {
            Self::Pending => "0015",
            Self::Success => "0000",
            Self::Partial => "0001",
            Self::Failed => "00029",
        }
    }

    fn parse(param: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|group| group.param() == param)
    }
}

/// Which rows a page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Filter {
    pub(crate) kind: Option<NotifiedKind>,
    pub(crate) status: Option<StatusGroup>,
    /// Part of a trade number (the merchant's or the platform's) or of a
    /// record's key, any case.
    pub(crate) search: String,
    /// 1 for the first page.
    pub(crate) page: usize,
    pub(crate) per_page: usize,
}

impl Default for Filter {
    fn default() -> Self {
        Self { kind: None, status: None, search: String::new(), page: 1, per_page: DEFAULT_PER_PAGE }
    }
}

impl Filter {
    /// The filter a query string (or a form's `back` field) asks for; what
    /// it cannot read is left at the default rather than refused, as a
    /// person may have typed it.
    pub(crate) fn from_query(query: &str) -> Self {
        let pairs = form::pairs(query);
        let text = |name: &str| form::value(&pairs, name);
        let number = |name: &str| text(name).and_then(|text| text.trim().parse::<usize>().ok());
        Self {
            kind: match text("kind") {
                Some("order") => Some(NotifiedKind::Order),
                Some("payout") => Some(NotifiedKind::Payout),
                _ => None,
            },
            status: text("status").and_then(StatusGroup::parse),
            search: text("q").unwrap_or_default().trim().chars().take(MAX_SEARCH_CHARS).collect(),
            page: number("page").filter(|page| *page >= 1).unwrap_or(1),
            per_page: number("per_page").filter(|n| *n >= 1).unwrap_or(DEFAULT_PER_PAGE).min(MAX_PER_PAGE),
        }
    }

    /// The query string of this filter at `page` (without `?`), every value
    /// percent-encoded, defaults left out.
    pub(crate) fn query_string(&self, page: usize) -> String {
        let mut pairs = Vec::new();
        if let Some(kind) = &self.kind {
            pairs.push(format!("kind={}", url_encode(kind.name())));
        }
        if let Some(status) = self.status {
            pairs.push(format!("status={}", status.param()));
        }
        if !self.search.is_empty() {
            pairs.push(format!("q={}", url_encode(&self.search)));
        }
        if page != 1 {
            pairs.push(format!("page={page}"));
        }
        if self.per_page != DEFAULT_PER_PAGE {
            pairs.push(format!("per_page={}", self.per_page));
        }
        pairs.join("&")
    }

    /// The dashboard's address showing this filter at `page`.
    pub(crate) fn url(&self, page: usize) -> String {
        let query = self.query_string(page);
        if query.is_empty() { "/sandbox".to_owned() } else { format!("/sandbox?{query}") }
    }

    /// No kind, status or search: every order, payout and record matches.
    fn is_everything(&self) -> bool {
        self.kind.is_none() && self.status.is_none() && self.search.is_empty()
    }

    fn matches(&self, entry: Entry<'_>) -> bool {
        let found = |text: &str| self.search.is_empty() || contains_ignoring_case(text, &self.search);
        let (kind, status, searched) = match entry {
            Entry::Order(order) => (
                self.kind.as_ref().is_none_or(|wanted| *wanted == NotifiedKind::Order),
                order.status.code(),
                found(&order.trade_no) || found(&order.plat_form_trade_no),
            ),
            Entry::Payout(payout) => (
                self.kind.as_ref().is_none_or(|wanted| *wanted == NotifiedKind::Payout),
                payout.status.code(),
                found(&payout.trade_no) || found(&payout.plat_form_trade_no),
            ),
            Entry::Record(record) => (
                self.kind.as_ref().is_none_or(|wanted| wanted.name() == record.kind),
                record.status.code(),
                found(&record.platform_id) || record.keys.iter().any(|(_, value)| found(value)),
            ),
        };
        kind && self.status.is_none_or(|wanted| wanted.code() == status) && searched
    }
}

/// Whether `haystack` contains `needle`, ASCII letters in any case.
fn contains_ignoring_case(haystack: &str, needle: &str) -> bool {
    let (haystack, needle) = (haystack.as_bytes(), needle.as_bytes());
    needle.len() <= haystack.len() && haystack.windows(needle.len()).any(|window| window.eq_ignore_ascii_case(needle))
}

/// An order, a payout or a record, cloned out of the state for one page.
#[derive(Debug, Clone)]
pub(crate) enum Item {
    Order(Order),
    Payout(Payout),
    Record(SpecRecord),
}

impl Item {
    pub(crate) fn plat_form_trade_no(&self) -> &str {
        match self {
            Self::Order(order) => &order.plat_form_trade_no,
            Self::Payout(payout) => &payout.plat_form_trade_no,
            Self::Record(record) => &record.platform_id,
        }
    }
}

/// One row of the page: the item, where its notification stands, and its
/// attempts still in the log, oldest first.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub(crate) item: Item,
    pub(crate) notice: Option<NoticeState>,
    pub(crate) attempts: Vec<DeliveryRecord>,
}

/// One page of rows, and how many rows match in all.
#[derive(Debug, Clone)]
pub(crate) struct Listing {
    pub(crate) rows: Vec<Row>,
    pub(crate) matched: usize,
}

impl Listing {
    /// The number of the last page with rows (1 when nothing matches).
    pub(crate) fn last_page(&self, per_page: usize) -> usize {
        self.matched.div_ceil(per_page.max(1)).max(1)
    }
}

/// The page of `state` that `filter` asks for: one pass over the orders,
/// payouts and records (newest first, cloning only the page's), one over
/// the attempt `log`.
pub(crate) fn list(state: &State, log: &AttemptLog, filter: &Filter) -> Listing {
    let skip = (filter.page - 1).saturating_mul(filter.per_page);
    let item = |entry: Entry<'_>| match entry {
        Entry::Order(order) => Item::Order(order.clone()),
        Entry::Payout(payout) => Item::Payout(payout.clone()),
        Entry::Record(record) => Item::Record(record.clone()),
    };
    let (matched, items): (usize, Vec<Item>) = if filter.is_everything() {
        (state.timeline_len(), state.newest(skip, filter.per_page).map(item).collect())
    } else {
        let mut matched = 0usize;
        let mut items = Vec::new();
        for entry in state.timeline().rev().filter(|entry| filter.matches(*entry)) {
            if matched >= skip && items.len() < filter.per_page {
                items.push(item(entry));
            }
            matched += 1;
        }
        (matched, items)
    };
    let mut attempts = vec![Vec::new(); items.len()];
    let index: BTreeMap<&str, usize> =
        items.iter().enumerate().map(|(at, item)| (item.plat_form_trade_no(), at)).collect();
    if !index.is_empty() {
        for record in log.attempts() {
            if let Some(at) = index.get(record.plat_form_trade_no.as_str()) {
                attempts[*at].push(record.clone());
            }
        }
    }
    let rows = items
        .into_iter()
        .zip(attempts)
        .map(|(item, attempts)| Row { notice: log.notice(item.plat_form_trade_no()).cloned(), item, attempts })
        .collect();
    Listing { rows, matched }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_read_leniently_and_written_back() {
        assert_eq!(Filter::from_query(""), Filter::default());
        assert_eq!(Filter::from_query("page=0&per_page=lots&kind=refund&status=x"), Filter::default());
        assert_eq!(Filter::from_query("per_page=100000").per_page, MAX_PER_PAGE);
        let filter = Filter::from_query("kind=payout&status=failed&q=+a%26b+&page=3");
        assert_eq!(filter.page, 3);
        assert_eq!(filter.query_string(2), "kind=payout&status=failed&q=a%26b&page=2");
        assert_eq!(Filter::default().query_string(1), "");
    }

    #[test]
    fn search_ignores_ascii_case() {
        assert!(contains_ignoring_case("ORDER-42", "der-4"));
        assert!(!contains_ignoring_case("ORDER-42", "order-43"));
        assert!(!contains_ignoring_case("A", "AB"));
    }
}
