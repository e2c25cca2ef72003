//! tenantry: operate a multi-tenant platform's customers, users, trash and audit log from a
//! terminal console or a scriptable CLI, on an embedded database.
//!
//! Layers, dependencies pointing down: front ends ([`cli`], [`tui`]) → [`service`] (rules,
//! permissions, audit) → [`store`] (bytes) → [`domain`] (plain types and rules).
#![forbid(unsafe_code)]

pub mod audit_file;
pub mod backend;
pub mod cli;
pub mod config;
pub mod domain;
pub mod files;
pub mod import;
pub mod json;
pub mod logging;
pub mod mail;
pub mod paths;
pub mod server;
pub mod service;
pub mod store;
pub mod system;
pub mod tui;
