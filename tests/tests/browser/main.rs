//! The sandbox's pages in a real headless browser (Debian's Chromium through
//! chromedriver): the cashier and the dashboard. Each test starts a browser
//! of its own, in a profile folder of its own.

mod browser_support;
#[path = "../sandbox_support/mod.rs"]
mod sandbox_support;

mod cashier_browser;
mod dashboard_browser;
