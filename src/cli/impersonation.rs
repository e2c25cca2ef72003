//! `tenantry impersonation list`: the impersonations of customers by staff, as a table, JSON
//! or CSV. Starting one for a command is `--impersonate`, in `session.rs`.

use std::io::Write;

use super::CliError;
use super::args::ImpersonationCommand;
use super::output::{TableSpec, write_listing};
use crate::backend::{Backend, BackendExt};

/// `impersonation list`.
pub fn list(
    service: &dyn Backend,
    cmd: ImpersonationCommand,
    width: Option<usize>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let ImpersonationCommand::List {
        customer,
        limit,
        output,
    } = cmd;
    let rows = service.ask(crate::service::ImpersonationList { customer, limit })?;
    let spec = TableSpec {
        headers: &[
            "ID", "STARTED", "STAFF", "CUSTOMER", "STATE", "HOW", "MINUTES", "REASON",
        ],
        keep: &["ID", "CUSTOMER"],
        width,
    };
    let rows = rows.into_iter().map(Ok::<_, CliError>);
    write_listing(out, output, &spec, rows, |r| r.cells())
}
