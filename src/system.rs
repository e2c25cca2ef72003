//! Facts about the process's environment that several layers need: who runs it.

/// The name of the Unix account running this process, from the password database.
pub fn current_unix_user() -> Option<String> {
    nix::unistd::User::from_uid(nix::unistd::Uid::current())
        .ok()
        .flatten()
        .map(|u| u.name)
}

/// The real uid of this process, for messages when the account has no name.
pub fn current_uid() -> u32 {
    nix::unistd::Uid::current().as_raw()
}

/// Whether this machine's password database has an account named `name` (a link to an
/// account that does not exist would count as a way to sign in that nobody can use).
pub fn unix_account_exists(name: &str) -> bool {
    matches!(nix::unistd::User::from_name(name), Ok(Some(_)))
}
