//! Webhook subscriptions: an owner, an admin or an API key with `config:manage` subscribes a
//! URL to events of the account (the catalogue is [`WebhookEvent`]: `deal.created`,
//! `deal.stage_changed`, `contact.updated`, `activity.completed`, `quote.accepted`, …). Any plan.
//!
//! | module | holds |
//! |---|---|
//! | [`events`] | where events enter: [`events::emit`], called inside the transaction of the change |
//! | [`payloads`] | the record an event is about, as its payload's `data` shows it |
//! | [`subscriptions`] | create, list, read, change, delete (checked input, at most 20 per account) |
//! | [`deliveries`] | the queue: enqueue, deliver in order, retry, give up, disable, the log, test events |
//!
//! **When.** A change that is an event writes one `webhook_deliveries` row per active
//! subscription listening to it, with the whole payload, and a `webhook_delivery` job, in the
//! change's own transaction: a change that rolls back sends nothing, and every change that
//! commits is delivered, whichever surface made it (pages, the APIs, the lead intake,
//! automations, the worker). Deal events come from the deal's timeline
//! (`deals::record_event`), quote events from the automation events (`automations::events::emit`),
//! the others from their services. The payload is taken when the event happens:
//!
//! ```json
//! {"id": "<delivery uuid>", "event": "deal.stage_changed", "occurred_at": "2026-01-02T03:04:05.678Z",
//!  "data": {"id": "opp_…", "name": "…", "stage": "proposal", "previous_stage": "qualified", …}}
//! ```
//!
//! **How.** Each call is the automation webhook's (`delivery::webhook::post`): the same check
//! of the target's addresses (no internal address unless the operator allows it, no proxy,
//! no redirects), 5 seconds, and the same signature — `X-Dealflow-Timestamp` and
//! `X-Dealflow-Signature: sha256=<HMAC-SHA256 of "{timestamp}.{body}">` — under the
//! **subscription's own secret** (`whsec_…`, made when it is created and shown with it), so a
//! receiver trusts one subscription without trusting the others. `X-Dealflow-Event` names the
//! event and `X-Dealflow-Delivery` repeats the delivery's id (the same on every try: a receiver
//! drops repeats by it).
//!
//! **Order.** Deliveries of one subscription go out in the order their events happened: a
//! delivery waits until every earlier one to the same subscription is delivered or given up.
//! Test events keep a queue of their own, so a test is not held up by a backlog.
//!
//! **Tries.** A network failure or a 5xx answer is tried again, [`deliveries::TRIES`] times in
//! all, after waits of 1 s, 10 s, 1 min and 10 min; a 4xx answer, a time-out or a refused
//! target is given up at once (as for the automation webhook). After
//! [`deliveries::DISABLE_AFTER`] deliveries given up in a row the subscription is turned off
//! and the account's owners and admins are notified; a delivery that arrives resets the count,
//! and turning the subscription back on (`active: true`) resets it too. The events of a turned
//! off subscription are not recorded; the deliveries it still had waiting are given up unsent.

pub mod deliveries;
pub mod events;
pub mod payloads;
pub mod subscriptions;

pub use crate::domain::webhook::{WebhookDeliveryView, WebhookEvent, WebhookView, TEST_EVENT};
pub use events::{emit, Subject};
