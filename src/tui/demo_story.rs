//! The demo database's story: customers created over the past year, some suspended or moved
//! to the trash, users added, invitations sent, revoked and accepted. Every step has its own
//! time, and the steps run in time order, so the log's sequence and its times agree as they
//! do on a real platform. Everything goes through the service; nothing here is a rule.

use std::cmp::Reverse;

use super::demo::{DEMO_CUSTOMER_EMAIL, DEMO_PASSWORD, FIRST, LAST, ShiftedClock, customer};
use crate::domain::{CustomerRole, CustomerStatus, Timestamp};
use crate::service::{
    Command, CustomerCommand, InvitationCommand, NewInvitation, NewUser, Outcome, Service,
    ServiceError, Session, UserCommand,
};

const DAY: i64 = Timestamp::MILLIS_PER_DAY;
const HOUR: i64 = 3_600_000;
/// Customers created per batch.
const BATCH: usize = 10;

/// What follows an invitation at once.
enum Then {
    Nothing,
    Revoke,
    Accept(&'static str),
}

/// A person's address, which for most depends on the customer's slug, known once it exists.
enum Address {
    /// `LOCAL@SLUG.example`.
    AtCustomer(String),
    /// `LOCAL@invited-SLUG.example`.
    Invited(String),
    Exact(&'static str),
}

impl Address {
    fn at(&self, slug: &str) -> String {
        match self {
            Self::AtCustomer(local) => deunicode::deunicode(&format!("{local}@{slug}.example")),
            Self::Invited(local) => {
                deunicode::deunicode(&format!("{local}@invited-{slug}.example"))
            }
            Self::Exact(email) => (*email).to_owned(),
        }
    }
}

/// One step, naming customers by their index in the demo's list; the customer and email of
/// a user or an invitation are filled in when it runs.
enum Step {
    Customers(Vec<usize>),
    Suspend(usize),
    Delete(usize),
    User(usize, Address, NewUser),
    Invite(usize, Address, NewInvitation, Then),
}

/// How long before now the customers of batch `b` of `batches` are created: from 400 days to
/// three hours ago.
fn batch_back(b: usize, batches: usize) -> i64 {
    400 * DAY - (400 * DAY - 3 * HOUR) * (b as i64 + 1) / batches as i64
}

/// Every step with how long before now it happens.
fn steps(count: usize) -> Vec<(i64, Step)> {
    let batches = count.div_ceil(BATCH).max(1);
    let mut steps = Vec::new();
    for b in 0..batches {
        let ids = (b * BATCH..((b + 1) * BATCH).min(count)).collect();
        steps.push((batch_back(b, batches), Step::Customers(ids)));
    }
    // A change to a customer comes after its creation, however recent.
    let after_creation = |i: usize, back: i64| back.min(batch_back(i / BATCH, batches) - HOUR);
    for i in 0..count {
        if i % 13 == 5 {
            let back = after_creation(i, ((i % 20) as i64 + 1) * DAY);
            steps.push((back, Step::Suspend(i)));
        } else if i % 17 == 9 {
            let back = after_creation(i, ((i % 27) as i64) * DAY + HOUR);
            steps.push((back, Step::Delete(i)));
        }
    }
    // Every third customer is a person, every 13th is suspended and every 17th in the trash:
    // people go to six of the others.
    let corporate = (0..count)
        .filter(|i| i % 3 != 2 && i % 13 != 5 && i % 17 != 9)
        .take(6);
    for (n, i) in corporate.enumerate() {
        let person = |k: usize| (FIRST[(n * 3 + k) % FIRST.len()], LAST[(n + k) % LAST.len()]);
        let users_back = after_creation(i, (n as i64 * 9 + 12) * DAY);
        for (k, role) in [CustomerRole::Member, CustomerRole::Moderator]
            .into_iter()
            .enumerate()
        {
            let (first, last) = person(k);
            let user = NewUser {
                customer: String::new(),
                email: String::new(),
                first_name: first.into(),
                last_name: last.into(),
                role,
                language: None,
                fields: Vec::new(),
            };
            let address =
                Address::AtCustomer(format!("{}.{}", first.to_lowercase(), last.to_lowercase()));
            steps.push((users_back, Step::User(i, address, user)));
        }
        // Pending, expired, revoked, accepted, and two pending again.
        let back = after_creation(i, if n == 1 { 10 * DAY } else { n as i64 * HOUR });
        let (first, last) = person(2);
        let then = match n {
            2 => Then::Revoke,
            3 => Then::Accept("accepted-demo-password-2024"),
            _ => Then::Nothing,
        };
        let invite = |first: &str, last: &str, role| NewInvitation {
            customer: String::new(),
            email: String::new(),
            first_name: first.into(),
            last_name: last.into(),
            role,
            language: None,
            expires_days: Some(7),
        };
        let address = Address::Invited(first.to_lowercase());
        let member = invite(first, last, CustomerRole::Member);
        steps.push((back, Step::Invite(i, address, member, then)));
        // The demo's customer user: administrator of the first customer, member of the second.
        let role = match n {
            0 => CustomerRole::Administrator,
            1 => CustomerRole::Member,
            _ => continue,
        };
        let ada = invite("Ada", "Customer", role);
        let address = Address::Exact(DEMO_CUSTOMER_EMAIL);
        steps.push((
            back,
            Step::Invite(i, address, ada, Then::Accept(DEMO_PASSWORD)),
        ));
    }
    // Oldest first; steps at the same time keep the order they were written in.
    steps.sort_by_key(|(back, _)| Reverse(*back));
    steps
}

/// Runs the story on a freshly initialised database.
pub(super) fn run(
    service: &Service,
    session: &Session,
    clock: &ShiftedClock,
    count: usize,
) -> Result<(), ServiceError> {
    let mut slugs: Vec<Option<String>> = vec![None; count];
    let slug = |slugs: &[Option<String>], i: usize| {
        slugs.get(i).cloned().flatten().ok_or_else(|| {
            ServiceError::Refused(format!("demo: customer {i} is used before it exists"))
        })
    };
    for (back, step) in steps(count) {
        clock.set_offset(-back);
        match step {
            Step::Customers(ids) => {
                let commands = ids
                    .iter()
                    .map(|i| Command::Customer(CustomerCommand::Add(customer(*i))))
                    .collect();
                for (i, outcome) in ids
                    .into_iter()
                    .zip(service.execute_batch(session, commands)?)
                {
                    if let (Outcome::Customer(row), Some(s)) = (outcome, slugs.get_mut(i)) {
                        *s = Some(row.slug);
                    }
                }
            }
            Step::Suspend(i) => {
                let command = CustomerCommand::SetStatus {
                    slug: slug(&slugs, i)?,
                    status: CustomerStatus::Suspended,
                };
                service.execute(session, Command::Customer(command))?;
            }
            Step::Delete(i) => {
                let command = CustomerCommand::SoftDelete {
                    slug: slug(&slugs, i)?,
                };
                service.execute(session, Command::Customer(command))?;
            }
            Step::User(i, address, mut user) => {
                let s = slug(&slugs, i)?;
                user.email = address.at(&s);
                user.customer = s;
                service.execute(session, Command::User(UserCommand::Add(user)))?;
            }
            Step::Invite(i, address, mut invite, then) => {
                let s = slug(&slugs, i)?;
                invite.email = address.at(&s);
                invite.customer = s.clone();
                let email = invite.email.clone();
                let outcome = service.execute(
                    session,
                    Command::Invitation(InvitationCommand::Create(invite)),
                )?;
                match (then, outcome) {
                    (Then::Revoke, _) => {
                        let revoke = InvitationCommand::Revoke { email, customer: s };
                        service.execute(session, Command::Invitation(revoke))?;
                    }
                    (Then::Accept(password), Outcome::Invitation { token, .. }) => {
                        service.accept_invitation(&token, Some(password))?;
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_comes_after_the_creation_of_its_customer_and_in_time_order() {
        let steps = steps(300);
        let mut created: Vec<Option<i64>> = vec![None; 300];
        let mut last = i64::MAX;
        for (back, step) in &steps {
            assert!(*back <= last, "steps run oldest first");
            last = *back;
            let used = match step {
                Step::Customers(ids) => {
                    for i in ids {
                        created[*i] = Some(*back);
                    }
                    continue;
                }
                Step::Suspend(i)
                | Step::Delete(i)
                | Step::User(i, _, _)
                | Step::Invite(i, _, _, _) => *i,
            };
            assert!(created[used].is_some_and(|c| c > *back), "customer {used}");
        }
    }
}
