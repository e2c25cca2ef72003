//! The examples that end each command's `--help` (clap's `after_help`) and fill the EXAMPLES
//! section of its manual page. One constant per command; a test walks every command and
//! checks that it has one naming the command itself.

pub const TENANTRY: &str = "Examples:
  tenantry init --company \"Example Hosting\" --admin-email ops@example.com --admin-first Olga --admin-last Ops
  tenantry customer list --filter acme --format json";

pub const INIT: &str = "Examples:
  tenantry init --company \"Example Hosting\" --admin-email ops@example.com --admin-first Olga --admin-last Ops
  TENANTRY_PASSWORD=… tenantry init --company \"Example Hosting\" --admin-email ops@example.com --admin-first Olga --admin-last Ops --no-unix-user";

pub const CUSTOMER: &str = "Examples:
  tenantry customer add \"Acme Corporation\" --owner-email ann@acme.example --owner-first Ann --owner-last Lee
  tenantry customer list --status suspended";

pub const CUSTOMER_ADD: &str = "Examples:
  tenantry customer add \"Acme Corporation\" --owner-email ann@acme.example --owner-first Ann --owner-last Lee
  tenantry customer add \"Café Zürich GmbH\" --type individual --language de --phone \"+41 44 123 45 67\"";

pub const CUSTOMER_LIST: &str = "Examples:
  tenantry customer list --filter acme
  tenantry customer list --status suspended --format csv > suspended.csv";

pub const CUSTOMER_SHOW: &str = "Examples:
  tenantry customer show acme-corporation
  tenantry customer show acme-corporation --format json";

pub const CUSTOMER_EDIT: &str = "Examples:
  tenantry customer edit acme-corporation --name \"Acme Corp.\" --email billing@acme.example
  tenantry customer edit acme-corporation --slug acme";

pub const CUSTOMER_SUSPEND: &str = "Example:
  tenantry customer suspend acme-corporation";

pub const CUSTOMER_ACTIVATE: &str = "Example:
  tenantry customer activate acme-corporation";

pub const CUSTOMER_DELETE: &str = "Example:
  tenantry customer delete acme-corporation    # restorable with `tenantry customer restore`";

pub const CUSTOMER_RESTORE: &str = "Example:
  tenantry customer restore acme-corporation";

pub const CUSTOMER_PURGE: &str = "Example:
  tenantry customer purge acme-corporation --yes";

pub const TRASH: &str = "Examples:
  tenantry trash list
  tenantry trash purge-expired    # from cron, once a day";

pub const TRASH_PURGE_EXPIRED: &str = "Example:
  tenantry trash purge-expired";

pub const TRASH_LIST: &str = "Examples:
  tenantry trash list
  tenantry trash list --format json";

pub const SETTINGS: &str = "Examples:
  tenantry settings list
  tenantry settings set trash.retention_days 14";

pub const SETTINGS_GET: &str = "Example:
  tenantry settings get trash.retention_days";

pub const SETTINGS_SET: &str = "Examples:
  tenantry settings set trash.retention_days 14
  tenantry settings set company.name \"Example Hosting AG\"";

pub const SETTINGS_LIST: &str = "Examples:
  tenantry settings list
  tenantry settings list --format json";

pub const STAFF: &str = "Examples:
  tenantry staff add --email sam@example.com --first Sam --last Support --role operator
  tenantry staff list";

pub const STAFF_ADD: &str = "Examples:
  tenantry staff add --email sam@example.com --first Sam --last Support --role operator
  tenantry staff add --email ann@example.com --first Ann --last Audit --role auditor --unix-user ann";

pub const STAFF_LIST: &str = "Examples:
  tenantry staff list
  tenantry staff list --format csv --no-header";

pub const STAFF_EDIT: &str = "Examples:
  tenantry staff edit sam@example.com --role administrator
  TENANTRY_NEW_PASSWORD=… tenantry staff edit sam@example.com --password";

pub const STAFF_DISABLE: &str = "Example:
  tenantry staff disable sam@example.com";

pub const STAFF_ENABLE: &str = "Example:
  tenantry staff enable sam@example.com";

pub const LOG: &str = "Examples:
  tenantry log --customer acme-corporation --limit 20
  tenantry log verify";

pub const LOG_VERIFY: &str = "Example:
  tenantry log verify";

pub const IMPORT: &str = "Examples:
  tenantry import customers customers.csv --dry-run
  tenantry import undo 3";

pub const IMPORT_CUSTOMERS: &str = "Examples:
  tenantry import customers customers.csv --dry-run
  tenantry import customers customers.csv --skip-invalid";

pub const IMPORT_LIST: &str = "Example:
  tenantry import list";

pub const IMPORT_UNDO: &str = "Example:
  tenantry import undo 3";

pub const EXPORT: &str = "Example:
  tenantry export customers > customers.csv";

pub const EXPORT_CUSTOMERS: &str = "Examples:
  tenantry export customers > customers.csv
  tenantry export customers --trash --format json > trash.json";

pub const BACKUP: &str = "Examples:
  tenantry backup /var/backups/tenantry/$(date +%F).tnb
  tenantry backup /var/backups/tenantry/signed.tnb --sign ~/.config/tenantry/keys/tenantry-backup.key";

pub const BACKUP_KEYGEN: &str = "Example:
  tenantry backup-keygen ~/.config/tenantry/keys";

pub const RESTORE: &str = "Examples:
  tenantry restore /var/backups/tenantry/2026-11-23.tnb --db /srv/tenantry/db-restored
  tenantry restore signed.tnb --db /srv/tenantry/db-checked --verify-with tenantry-backup.pub";

pub const CHECK: &str = "Example:
  tenantry check";

pub const DEMO: &str = "Example:
  tenantry demo";

pub const COMPLETIONS: &str = "Examples:
  tenantry completions bash > ~/.local/share/bash-completion/completions/tenantry
  tenantry completions zsh > ~/.zfunc/_tenantry";

pub const MANPAGE: &str = "Examples:
  tenantry manpage > tenantry.1
  tenantry manpage --dir /usr/local/share/man/man1";
