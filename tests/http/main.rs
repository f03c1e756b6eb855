//! HTTP integration tests: a real server over SQLite, and over PostgreSQL whenever one answers.

mod admin;
mod api_accounts;
mod api_contacts;
mod api_external;
mod api_intake;
mod api_openapi;
mod api_products;
mod api_sales;
mod api_tags;
mod api_users;
mod atomicity;
mod attack;
mod automations;
mod board;
mod deal_parts;
mod faults;
mod fixtures;
mod fuzz;
mod hardening;
mod live;
mod matrix;
mod pages;
mod quotes;
mod signed_in;
mod support;
mod webhooks;
