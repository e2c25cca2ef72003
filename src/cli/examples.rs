//! The examples that end each command's `--help` (clap's `after_help`) and fill the EXAMPLES
//! section of its manual page. One constant per command; a test walks every command and
//! checks that it has one naming the command itself.

pub const TENANTRY: &str = "Examples:
  tenantry init --company \"Example Hosting\" --admin-email ops@example.com --admin-first Olga --admin-last Ops
  tenantry customer list --filter acme --format json";

pub const SERVE: &str = "Examples:
  tenantry serve --background
  tenantry serve --status";

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
  tenantry log --action customer.* --since 7d --actor ops@example.com
  tenantry log --grep suspended --format jsonl
  tenantry log export --format csv --output audit.csv";

pub const LOG_VERIFY: &str = "Examples:
  tenantry log verify
  tenantry log verify --head 22:dda716c3b837e663a74cc93c470f615fbdfd6c95d8fdda1fa09cb1499b44ba74
  tenantry log verify --from-export audit.jsonl";

pub const SERVICE: &str = "Examples:
  tenantry service list
  tenantry service add \"Object Storage\" --default off
  tenantry service edit storage --default on";

pub const SERVICE_LIST: &str = "Example:
  tenantry service list --format json";

pub const SERVICE_ADD: &str = "Examples:
  tenantry service add Monitoring
  tenantry service add \"Object Storage\" --default off";

pub const SERVICE_EDIT: &str = "Examples:
  tenantry service edit workflow --default on
  tenantry service edit dns --rename \"DNS hosting\"";

pub const SERVICE_REMOVE: &str = "Example:
  tenantry service remove workflow";

pub const STATS: &str = "Examples:
  tenantry stats
  tenantry stats | awk '$1 == \"invitations.expired\" { print $2 }'
  tenantry stats --format json";

pub const LOG_PRUNE: &str = "Examples:
  tenantry settings set audit.retention_days 400
  tenantry log prune";

pub const LOG_HEAD: &str = "Examples:
  tenantry log head
  tenantry log head --format json";

pub const LOG_EXPORT: &str = "Examples:
  tenantry log export --format jsonl --output audit.jsonl
  tenantry log export --format csv --customer acme --since 30d --output acme-audit.csv";

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

pub const USER: &str = "Examples:
  tenantry user add --customer acme-corporation --email una@acme.example --first Una --last User
  tenantry user list --customer acme-corporation --format json";

pub const USER_ADD: &str = "Examples:
  tenantry user add --customer acme-corporation --email una@acme.example --first Una --last User
  tenantry user add --customer acme-corporation --email max@acme.example --first Max --last Mod --role moderator --language de";

pub const USER_LIST: &str = "Examples:
  tenantry user list --customer acme-corporation --role administrator
  tenantry user list --status invited --filter acme --format csv";

pub const USER_SHOW: &str = "Examples:
  tenantry user show una@acme.example
  tenantry user show una@acme.example --format json";

pub const USER_EDIT: &str = "Examples:
  tenantry user edit una@acme.example --language fr-CH --notifications off
  tenantry user edit una@acme.example --role administrator --customer acme-corporation";

pub const USER_DISABLE: &str = "Example:
  tenantry user disable una@acme.example";

pub const USER_ENABLE: &str = "Example:
  tenantry user enable una@acme.example";

pub const USER_DELETE: &str = "Example:
  tenantry user delete una@acme.example";

pub const USER_REMOVE: &str = "Example:
  tenantry user remove una@acme.example --customer acme-corporation";

pub const USER_WELCOME: &str = "Examples:
  tenantry user welcome una@acme.example --print    # look first
  tenantry user welcome una@acme.example            # then write it to the outbox";

pub const INVITE: &str = "Examples:
  tenantry invite create --customer acme-corporation --email zoe@acme.example --first Zoë --last Müller
  tenantry invite list --status expired";

pub const INVITE_CREATE: &str = "Examples:
  tenantry invite create --customer acme-corporation --email zoe@acme.example --first Zoë --last Müller
  tenantry invite create --customer acme-corporation --email max@acme.example --first Max --last Mod --role moderator --expires-days 14";

pub const INVITE_LIST: &str = "Examples:
  tenantry invite list --customer acme-corporation
  tenantry invite list --status pending --format json";

pub const INVITE_RESEND: &str = "Example:
  tenantry invite resend zoe@acme.example --customer acme-corporation";

pub const INVITE_REVOKE: &str = "Example:
  tenantry invite revoke zoe@acme.example --customer acme-corporation";

pub const INVITE_DELETE: &str = "Example:
  tenantry invite delete zoe@acme.example --customer acme-corporation";

pub const INVITE_ACCEPT: &str = "Example:
  tenantry invite accept 3f9c…    # the code from the invitation message; asks for a new password";

pub const PASSWORD: &str = "Examples:
  tenantry password reset-request una@acme.example
  tenantry password reset 7b1e…";

pub const PASSWORD_RESET_REQUEST: &str = "Example:
  tenantry password reset-request una@acme.example";

pub const PASSWORD_RESET: &str = "Example:
  TENANTRY_NEW_PASSWORD=… tenantry password reset 7b1e…    # the code from the reset message";

pub const OUTBOX: &str = "Examples:
  tenantry outbox list
  tenantry outbox show 20260101T120000Z-042-invitation-5c2a9e01b3f4";

pub const OUTBOX_LIST: &str = "Examples:
  tenantry outbox list
  tenantry outbox list --format json";

pub const OUTBOX_SHOW: &str = "Example:
  tenantry outbox show 20260101T120000Z-042-invitation-5c2a9e01b3f4";

pub const IMPERSONATION: &str = "Examples:
  tenantry impersonation list --customer acme-corporation
  tenantry --impersonate acme-corporation --reason \"ticket 4411\" user list";

pub const IMPERSONATION_LIST: &str = "Examples:
  tenantry impersonation list
  tenantry impersonation list --customer acme-corporation --format json";

pub const SYSTEM: &str = "Examples:
  tenantry system list
  tenantry system add eu-west
  tenantry customer system acme eu-west";

pub const SYSTEM_LIST: &str = "Example:
  tenantry system list --format json";

pub const SYSTEM_ADD: &str = "Example:
  tenantry system add eu-west";

pub const SYSTEM_RENAME: &str = "Example:
  tenantry system rename main eu-central";

pub const SYSTEM_REMOVE: &str = "Example:
  tenantry system remove eu-west";

pub const PLAN: &str = "Examples:
  tenantry plan add Gold --max-users 50 --storage-gb 500 --websites 10
  tenantry plan list
  tenantry customer plan acme gold";

pub const PLAN_LIST: &str = "Example:
  tenantry plan list --format csv";

pub const PLAN_ADD: &str = "Examples:
  tenantry plan add Starter --max-users 5 --websites 1
  tenantry plan add Unlimited";

pub const PLAN_EDIT: &str = "Examples:
  tenantry plan edit starter --max-users 10
  tenantry plan edit gold --storage-gb none --rename Platinum";

pub const PLAN_REMOVE: &str = "Example:
  tenantry plan remove starter";

pub const CUSTOMER_SERVICES: &str = "Examples:
  tenantry customer services acme --enable storage --disable dns
  tenantry customer services acme --inherit storage,dns";

pub const CUSTOMER_SYSTEM: &str = "Example:
  tenantry customer system acme eu-west";

pub const CUSTOMER_PLAN: &str = "Examples:
  tenantry customer plan acme gold
  tenantry customer plan acme --none";

pub const FIELD: &str = "Examples:
  tenantry field add \"Cost centre\" --type text --required --column
  tenantry field add Tier --type choice --choices Gold,Silver --visible
  tenantry customer edit acme --field \"Cost centre=CC-7\" --field Tier=gold
  tenantry field list";

pub const FIELD_LIST: &str = "Examples:
  tenantry field list
  tenantry field list --for users --format json";

pub const FIELD_ADD: &str = "Examples:
  tenantry field add \"Contract end\" --type date
  tenantry field add Tier --type choice --choices Gold,Silver,Bronze --visible
  tenantry field add \"Employee no\" --for users --type number";

pub const FIELD_EDIT: &str = "Examples:
  tenantry field edit tier --add-choices Platinum
  tenantry field edit \"cost centre\" --required off --column on";

pub const FIELD_REMOVE: &str = "Example:
  tenantry field remove \"contract end\"";

pub const FIELD_CLEANUP: &str = "Example:
  tenantry field cleanup \"contract end\" --yes";

pub const GROUP: &str = "Examples:
  tenantry group add --customer acme Billing
  tenantry group add-member --customer acme billing ann@acme.example
  tenantry group list --customer acme";

pub const GROUP_LIST: &str = "Example:
  tenantry group list --customer acme --format json";

pub const GROUP_ADD: &str = "Example:
  tenantry group add --customer acme \"Support Team\"";

pub const GROUP_REMOVE: &str = "Example:
  tenantry group remove --customer acme \"support team\"";

pub const GROUP_ADD_MEMBER: &str = "Example:
  tenantry group add-member --customer acme billing ann@acme.example";

pub const GROUP_REMOVE_MEMBER: &str = "Example:
  tenantry group remove-member --customer acme billing ann@acme.example";

pub const CUSTOMER_MAKE_INDEPENDENT: &str = "Example:
  tenantry customer make-independent acme --yes";

pub const CUSTOMER_COPY: &str = "Examples:
  tenantry customer copy acme \"Acme Europe\"
  tenantry customer copy acme \"Acme Lite\" --services websites,email";
