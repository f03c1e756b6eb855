//! [`Problem`]: why a value breaks a rule, as a value rather than a sentence.
//!
//! Its [`Display`](fmt::Display) is the English sentence the JSON API answers with (byte for
//! byte the same for every variant, see the tests); [`Problem::in_locale`] is the same
//! complaint in a UI language, from `locales/<tag>/errors.ftl` (ids `err-…`). A complaint
//! without a variant of its own is [`Problem::Text`], shown as it is in every language.

use std::borrow::Cow;
use std::fmt;

use fluent_bundle::FluentValue;
use serde::{Deserialize, Serialize};

use crate::i18n::{t, t_args, Locale};

/// A record a complaint says is missing from the caller's account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Thing {
    Deal,
    Contact,
    Stage,
    User,
    Label,
    Organization,
    Product,
}

impl Thing {
    /// Every thing, for tests and documentation.
    pub const ALL: [Thing; 7] = [
        Thing::Deal,
        Thing::Contact,
        Thing::Stage,
        Thing::User,
        Thing::Label,
        Thing::Organization,
        Thing::Product,
    ];

    /// The English noun: `deal`, `contact`, …
    pub fn noun(self) -> &'static str {
        match self {
            Thing::Deal => "deal",
            Thing::Contact => "contact",
            Thing::Stage => "stage",
            Thing::User => "user",
            Thing::Label => "label",
            Thing::Organization => "organization",
            Thing::Product => "product",
        }
    }

    /// The message id of "no such … in this account" (one per thing: the words agree with
    /// the noun's gender in Spanish and Portuguese).
    fn no_such_id(self) -> &'static str {
        match self {
            Thing::Deal => "err-no-such-deal",
            Thing::Contact => "err-no-such-contact",
            Thing::Stage => "err-no-such-stage",
            Thing::User => "err-no-such-user",
            Thing::Label => "err-no-such-label",
            Thing::Organization => "err-no-such-organization",
            Thing::Product => "err-no-such-product",
        }
    }
}

/// Why a value breaks a rule. Numbers and names a complaint mentions travel with it, so each
/// language writes the whole sentence its own way.
///
/// Two problems are equal when they read the same in English (`Text("is required")` equals
/// [`Problem::Required`]). On the wire (serde) a problem is its English sentence, and one
/// read back is [`Problem::Text`].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(into = "String", from = "String")]
pub enum Problem {
    /// `is required`
    Required,
    /// `must not be empty`
    NotEmpty,
    /// `must have {min} to {max} characters`
    Length { min: usize, max: usize },
    /// `must have at most {max} characters`
    TooLong { max: usize },
    /// `must have at least {min} characters`
    TooShort { min: usize },
    /// `must be {min}–{max} characters`
    Chars { min: usize, max: usize },
    /// `is required ({min}–{max} characters)`
    RequiredChars { min: usize, max: usize },
    /// `must not be negative`
    NotNegative,
    /// `must be from {from} to {to}`
    Range { from: i64, to: i64 },
    /// `must be 1 or more`
    OneOrMore,
    /// `must be true or false`
    TrueOrFalse,
    /// `must be text`
    MustBeText,
    /// `must be one of {choices}` (machine words, joined by `, `)
    OneOf { choices: String },
    /// `no such {thing} in this account`
    NoSuch(Thing),
    /// `not found in this account`
    NotFoundHere,
    /// `"{value}" is not a number`
    NotANumber { value: String },
    /// `"{value}" is not a date (YYYY-MM-DD)`
    NotADate { value: String },
    /// `"{value}" is not a date-time (YYYY-MM-DDTHH:MM)`
    NotADateTime { value: String },
    /// `"{value}" is not a valid e-mail address`
    NotAnEmail { value: String },
    /// `is not a valid e-mail address`
    InvalidEmail,
    /// `"{value}" is not an ISO 4217 currency code`
    NotACurrency { value: String },
    /// `"{value}" is not a percentage`
    NotAPercentage { value: String },
    /// `amount is empty`
    AmountEmpty,
    /// `amount has more than 2 decimals`
    AmountDecimals,
    /// `amount is too large (at most 100000000000.00)`: more than
    /// [`MAX_CENTS`](super::money::MAX_CENTS).
    AmountTooLarge,
    /// `amount is too large`: more digits than any amount has.
    AmountOverflow,
    /// `must have at most 2 decimals`
    TwoDecimals,
    /// `the line total is too large`
    LineTotalTooLarge,
    /// `must be 0, 1 or 2`
    Visibility,
    /// `must be 1 (cold), 2 (warm) or 3 (hot)`
    Temperature,
    /// `say why the deal was lost`
    SayWhyLost,
    /// `the deal is already open`
    AlreadyOpen,
    /// `a deal has at most {max} custom attributes`
    TooManyAttributes { max: usize },
    /// `must be another stage of the same pipeline`
    OtherStage,
    /// `does not match the stage's pipeline`
    StageOfAnotherPipeline,
    /// `the pipeline has no stages`
    PipelineWithoutStages,
    /// `the primary pipeline has no stages`
    PrimaryPipelineWithoutStages,
    /// `is required by this pipeline`
    RequiredByPipeline,
    /// `must have 1 to 50 lower-case letters, digits or underscores`
    StageKeyShape,
    /// `"{key}" is already the key of another stage of this pipeline`
    StageKeyTaken { key: String },
    /// `must be from 1 to 365 days, or empty`
    RottingDays,
    /// `must name each of the pipeline's {count} stages once`
    EachStageOnce { count: usize },
    /// `"{stage}" has {count} deal(s); choose the stage they move to` (singular for one)
    StageHasDeals { stage: String, count: i64 },
    /// `this user is deactivated`
    UserDeactivated,
    /// `this link has expired or was already used`
    LinkNotValid,
    /// `is not your current password`
    NotCurrentPassword,
    /// `already belongs to a user`
    AlreadyAUser,
    /// `is not the code of your authenticator app or one of your recovery codes`
    WrongCode,
    /// `this account requires two-factor sign-in`
    TwoFactorRequiredHere,
    /// `set up two-factor sign-in for yourself first`
    TwoFactorYourselfFirst,
    /// `this sign-in waited too long; sign in again`
    SignInExpired,
    /// `{name} already has the e-mail {value}`
    EmailTaken { name: String, value: String },
    /// `{name} already has the phone {value}`
    PhoneTaken { name: String, value: String },
    /// `there is already a tag "{name}"`
    TagExists { name: String },
    /// `there is already an organization "{name}"`
    OrganizationExists { name: String },
    /// `"{name}" is already a lead source`
    LeadSourceExists { name: String },
    /// `"{name}" is already in the list`
    AlreadyInList { name: String },
    /// `"{code}" is already a tracker`
    TrackerExists { code: String },
    /// `"{name}" is no longer sold`
    NoLongerSold { name: String },
    /// `add at least one item`
    AddAnItem,
    /// `a quote has at most {max} items`
    TooManyItems { max: usize },
    /// `the deal has no products to quote; add products or write the quote by hand`
    NoProductsToQuote,
    /// `the client has no e-mail address; add one to the deal's contact first`
    ClientWithoutEmail,
    /// `at least one action is required`
    AtLeastOneAction,
    /// `must be a whole number of minutes from 0 to {max}`
    DelayRange { max: i64 },
    /// `{field} {op} needs a number`
    NeedsNumber { field: String, op: String },
    /// `{field} {op} needs a value`
    NeedsValue { field: String, op: String },
    /// `{field} is one of {choices}`
    FieldIsOneOf { field: String, choices: String },
    /// `this trigger is about deals; pick a deal`
    PickADeal,
    /// `this trigger is about quotes; pick a quote`
    PickAQuote,
    /// `must not contain control characters`
    ControlCharacters,
    /// `is not a valid URL ({reason})`
    NotAUrl { reason: String },
    /// `must start with http:// or https://`
    HttpUrl,
    /// `must name a host`
    UrlHost,
    /// `choose at least one event to send`
    ChooseAnEvent,
    /// `the account has {count} webhooks, the most it may have; delete one to add another`
    WebhookLimit { count: i64 },
    /// Any other complaint, already written (in English, or in the request's language by the
    /// caller); every language shows it as it is.
    Text(String),
}

impl Problem {
    /// A list of machine words the value must be one of (`must be one of a, b, c`).
    pub fn one_of(choices: &[&str]) -> Problem {
        Problem::OneOf {
            choices: choices.join(", "),
        }
    }

    /// The complaint in `l`; [`Problem::Text`] as it is.
    pub fn in_locale(&self, l: Locale) -> String {
        match self.fluent(l) {
            Some((id, args)) => t_args(l, id, &args),
            None => self.to_string(),
        }
    }

    /// The message id and arguments of the complaint in `l`; `None` for [`Problem::Text`].
    fn fluent(
        &self,
        l: Locale,
    ) -> Option<(&'static str, Vec<(&'static str, FluentValue<'static>)>)> {
        fn text(s: &str) -> FluentValue<'static> {
            FluentValue::from(s.to_string())
        }
        let (id, args): (&str, Vec<(&str, FluentValue<'static>)>) = match self {
            Problem::Required => ("err-required", vec![]),
            Problem::NotEmpty => ("err-not-empty", vec![]),
            Problem::Length { min, max } => (
                "err-length",
                vec![("min", (*min).into()), ("max", (*max).into())],
            ),
            Problem::TooLong { max } => ("err-too-long", vec![("max", (*max).into())]),
            Problem::TooShort { min } => ("err-too-short", vec![("min", (*min).into())]),
            Problem::Chars { min, max } => (
                "err-chars",
                vec![("min", (*min).into()), ("max", (*max).into())],
            ),
            Problem::RequiredChars { min, max } => (
                "err-required-chars",
                vec![("min", (*min).into()), ("max", (*max).into())],
            ),
            Problem::NotNegative => ("err-not-negative", vec![]),
            Problem::Range { from, to } => (
                "err-range",
                vec![("from", (*from).into()), ("to", (*to).into())],
            ),
            Problem::OneOrMore => ("err-one-or-more", vec![]),
            Problem::TrueOrFalse => ("err-true-or-false", vec![]),
            Problem::MustBeText => ("err-must-be-text", vec![]),
            Problem::OneOf { choices } => ("err-one-of", vec![("choices", text(choices))]),
            Problem::NoSuch(thing) => (thing.no_such_id(), vec![]),
            Problem::NotFoundHere => ("err-not-found-here", vec![]),
            Problem::NotANumber { value } => ("err-not-a-number", vec![("value", text(value))]),
            Problem::NotADate { value } => ("err-not-a-date", vec![("value", text(value))]),
            Problem::NotADateTime { value } => {
                ("err-not-a-date-time", vec![("value", text(value))])
            }
            Problem::NotAnEmail { value } => ("err-not-an-email", vec![("value", text(value))]),
            Problem::InvalidEmail => ("err-invalid-email", vec![]),
            Problem::NotACurrency { value } => ("err-not-a-currency", vec![("value", text(value))]),
            Problem::NotAPercentage { value } => {
                ("err-not-a-percentage", vec![("value", text(value))])
            }
            Problem::AmountEmpty => ("err-amount-empty", vec![]),
            Problem::AmountDecimals => ("err-amount-decimals", vec![]),
            Problem::AmountTooLarge => {
                let max = match l {
                    Locale::En => plain_amount(super::money::MAX_CENTS),
                    _ => crate::i18n::format::amount(super::money::MAX_CENTS, l),
                };
                ("err-amount-too-large", vec![("max", max.into())])
            }
            Problem::AmountOverflow => ("err-amount-overflow", vec![]),
            Problem::TwoDecimals => ("err-two-decimals", vec![]),
            Problem::LineTotalTooLarge => ("err-line-total-too-large", vec![]),
            Problem::Visibility => ("err-visibility", vec![]),
            Problem::Temperature => ("err-temperature", vec![]),
            Problem::SayWhyLost => ("err-say-why-lost", vec![]),
            Problem::AlreadyOpen => ("err-already-open", vec![]),
            Problem::TooManyAttributes { max } => {
                ("err-too-many-attributes", vec![("max", (*max).into())])
            }
            Problem::OtherStage => ("err-other-stage", vec![]),
            Problem::StageOfAnotherPipeline => ("err-stage-of-another-pipeline", vec![]),
            Problem::PipelineWithoutStages => ("err-pipeline-without-stages", vec![]),
            Problem::PrimaryPipelineWithoutStages => {
                ("err-primary-pipeline-without-stages", vec![])
            }
            Problem::RequiredByPipeline => ("err-required-by-pipeline", vec![]),
            Problem::StageKeyShape => ("err-stage-key-shape", vec![]),
            Problem::StageKeyTaken { key } => ("err-stage-key-taken", vec![("key", text(key))]),
            Problem::RottingDays => ("err-rotting-days", vec![]),
            Problem::EachStageOnce { count } => {
                ("err-each-stage-once", vec![("count", (*count).into())])
            }
            Problem::StageHasDeals { stage, count } => (
                "err-stage-has-deals",
                vec![("stage", text(stage)), ("count", (*count).into())],
            ),
            Problem::UserDeactivated => ("err-user-deactivated", vec![]),
            Problem::LinkNotValid => ("err-link-not-valid", vec![]),
            Problem::NotCurrentPassword => ("err-not-current-password", vec![]),
            Problem::AlreadyAUser => ("err-already-a-user", vec![]),
            Problem::WrongCode => ("err-wrong-code", vec![]),
            Problem::TwoFactorRequiredHere => ("err-two-factor-required-here", vec![]),
            Problem::TwoFactorYourselfFirst => ("err-two-factor-yourself-first", vec![]),
            Problem::SignInExpired => ("err-sign-in-expired", vec![]),
            Problem::EmailTaken { name, value } => (
                "err-email-taken",
                vec![("name", text(name)), ("value", text(value))],
            ),
            Problem::PhoneTaken { name, value } => (
                "err-phone-taken",
                vec![("name", text(name)), ("value", text(value))],
            ),
            Problem::TagExists { name } => ("err-tag-exists", vec![("name", text(name))]),
            Problem::OrganizationExists { name } => {
                ("err-organization-exists", vec![("name", text(name))])
            }
            Problem::LeadSourceExists { name } => {
                ("err-lead-source-exists", vec![("name", text(name))])
            }
            Problem::AlreadyInList { name } => ("err-already-in-list", vec![("name", text(name))]),
            Problem::TrackerExists { code } => ("err-tracker-exists", vec![("code", text(code))]),
            Problem::NoLongerSold { name } => ("err-no-longer-sold", vec![("name", text(name))]),
            Problem::AddAnItem => ("err-add-an-item", vec![]),
            Problem::TooManyItems { max } => ("err-too-many-items", vec![("max", (*max).into())]),
            Problem::NoProductsToQuote => ("err-no-products-to-quote", vec![]),
            Problem::ClientWithoutEmail => ("err-client-without-email", vec![]),
            Problem::AtLeastOneAction => ("err-at-least-one-action", vec![]),
            Problem::DelayRange { max } => ("err-delay-range", vec![("max", (*max).into())]),
            Problem::NeedsNumber { field, op } => (
                "err-needs-number",
                vec![("field", text(field)), ("op", text(op))],
            ),
            Problem::NeedsValue { field, op } => (
                "err-needs-value",
                vec![("field", text(field)), ("op", text(op))],
            ),
            Problem::FieldIsOneOf { field, choices } => (
                "err-field-is-one-of",
                vec![("field", text(field)), ("choices", text(choices))],
            ),
            Problem::PickADeal => ("err-pick-a-deal", vec![]),
            Problem::PickAQuote => ("err-pick-a-quote", vec![]),
            Problem::ControlCharacters => ("err-control-characters", vec![]),
            Problem::NotAUrl { reason } => ("err-not-a-url", vec![("reason", text(reason))]),
            Problem::HttpUrl => ("err-http-url", vec![]),
            Problem::UrlHost => ("err-url-host", vec![]),
            Problem::ChooseAnEvent => ("err-choose-an-event", vec![]),
            Problem::WebhookLimit { count } => {
                ("err-webhook-limit", vec![("count", (*count).into())])
            }
            Problem::Text(_) => return None,
        };
        Some((id, args))
    }
}

/// `cents` as the API writes an amount: two decimals, no grouping (`100000000000.00`).
fn plain_amount(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, (cents % 100).abs())
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Required => f.write_str("is required"),
            Problem::NotEmpty => f.write_str("must not be empty"),
            Problem::Length { min, max } => write!(f, "must have {min} to {max} characters"),
            Problem::TooLong { max } => write!(f, "must have at most {max} characters"),
            Problem::TooShort { min } => write!(f, "must have at least {min} characters"),
            Problem::Chars { min, max } => write!(f, "must be {min}–{max} characters"),
            Problem::RequiredChars { min, max } => {
                write!(f, "is required ({min}–{max} characters)")
            }
            Problem::NotNegative => f.write_str("must not be negative"),
            Problem::Range { from, to } => write!(f, "must be from {from} to {to}"),
            Problem::OneOrMore => f.write_str("must be 1 or more"),
            Problem::TrueOrFalse => f.write_str("must be true or false"),
            Problem::MustBeText => f.write_str("must be text"),
            Problem::OneOf { choices } => write!(f, "must be one of {choices}"),
            Problem::NoSuch(thing) => write!(f, "no such {} in this account", thing.noun()),
            Problem::NotFoundHere => f.write_str("not found in this account"),
            Problem::NotANumber { value } => write!(f, "\"{value}\" is not a number"),
            Problem::NotADate { value } => write!(f, "\"{value}\" is not a date (YYYY-MM-DD)"),
            Problem::NotADateTime { value } => {
                write!(f, "\"{value}\" is not a date-time (YYYY-MM-DDTHH:MM)")
            }
            Problem::NotAnEmail { value } => {
                write!(f, "\"{value}\" is not a valid e-mail address")
            }
            Problem::InvalidEmail => f.write_str("is not a valid e-mail address"),
            Problem::NotACurrency { value } => {
                write!(f, "\"{value}\" is not an ISO 4217 currency code")
            }
            Problem::NotAPercentage { value } => write!(f, "\"{value}\" is not a percentage"),
            Problem::AmountEmpty => f.write_str("amount is empty"),
            Problem::AmountDecimals => f.write_str("amount has more than 2 decimals"),
            Problem::AmountTooLarge => write!(
                f,
                "amount is too large (at most {})",
                plain_amount(super::money::MAX_CENTS)
            ),
            Problem::AmountOverflow => f.write_str("amount is too large"),
            Problem::TwoDecimals => f.write_str("must have at most 2 decimals"),
            Problem::LineTotalTooLarge => f.write_str("the line total is too large"),
            Problem::Visibility => f.write_str("must be 0, 1 or 2"),
            Problem::Temperature => f.write_str("must be 1 (cold), 2 (warm) or 3 (hot)"),
            Problem::SayWhyLost => f.write_str("say why the deal was lost"),
            Problem::AlreadyOpen => f.write_str("the deal is already open"),
            Problem::TooManyAttributes { max } => {
                write!(f, "a deal has at most {max} custom attributes")
            }
            Problem::OtherStage => f.write_str("must be another stage of the same pipeline"),
            Problem::StageOfAnotherPipeline => f.write_str("does not match the stage's pipeline"),
            Problem::PipelineWithoutStages => f.write_str("the pipeline has no stages"),
            Problem::PrimaryPipelineWithoutStages => {
                f.write_str("the primary pipeline has no stages")
            }
            Problem::RequiredByPipeline => f.write_str("is required by this pipeline"),
            Problem::StageKeyShape => {
                f.write_str("must have 1 to 50 lower-case letters, digits or underscores")
            }
            Problem::StageKeyTaken { key } => write!(
                f,
                "\"{key}\" is already the key of another stage of this pipeline"
            ),
            Problem::RottingDays => f.write_str("must be from 1 to 365 days, or empty"),
            Problem::EachStageOnce { count } => {
                write!(f, "must name each of the pipeline's {count} stages once")
            }
            Problem::StageHasDeals { stage, count } => write!(
                f,
                "\"{stage}\" has {}; choose the stage they move to",
                super::count_of(*count, "deal", "deals")
            ),
            Problem::UserDeactivated => f.write_str("this user is deactivated"),
            Problem::LinkNotValid => f.write_str("this link has expired or was already used"),
            Problem::NotCurrentPassword => f.write_str("is not your current password"),
            Problem::AlreadyAUser => f.write_str("already belongs to a user"),
            Problem::WrongCode => f.write_str(
                "is not the code of your authenticator app or one of your recovery codes",
            ),
            Problem::TwoFactorRequiredHere => {
                f.write_str("this account requires two-factor sign-in")
            }
            Problem::TwoFactorYourselfFirst => {
                f.write_str("set up two-factor sign-in for yourself first")
            }
            Problem::SignInExpired => f.write_str("this sign-in waited too long; sign in again"),
            Problem::EmailTaken { name, value } => {
                write!(f, "{name} already has the e-mail {value}")
            }
            Problem::PhoneTaken { name, value } => {
                write!(f, "{name} already has the phone {value}")
            }
            Problem::TagExists { name } => write!(f, "there is already a tag \"{name}\""),
            Problem::OrganizationExists { name } => {
                write!(f, "there is already an organization \"{name}\"")
            }
            Problem::LeadSourceExists { name } => write!(f, "\"{name}\" is already a lead source"),
            Problem::AlreadyInList { name } => write!(f, "\"{name}\" is already in the list"),
            Problem::TrackerExists { code } => write!(f, "\"{code}\" is already a tracker"),
            Problem::NoLongerSold { name } => write!(f, "\"{name}\" is no longer sold"),
            Problem::AddAnItem => f.write_str("add at least one item"),
            Problem::TooManyItems { max } => write!(f, "a quote has at most {max} items"),
            Problem::NoProductsToQuote => f.write_str(
                "the deal has no products to quote; add products or write the quote by hand",
            ),
            Problem::ClientWithoutEmail => {
                f.write_str("the client has no e-mail address; add one to the deal's contact first")
            }
            Problem::AtLeastOneAction => f.write_str("at least one action is required"),
            Problem::DelayRange { max } => {
                write!(f, "must be a whole number of minutes from 0 to {max}")
            }
            Problem::NeedsNumber { field, op } => write!(f, "{field} {op} needs a number"),
            Problem::NeedsValue { field, op } => write!(f, "{field} {op} needs a value"),
            Problem::FieldIsOneOf { field, choices } => write!(f, "{field} is one of {choices}"),
            Problem::PickADeal => f.write_str("this trigger is about deals; pick a deal"),
            Problem::PickAQuote => f.write_str("this trigger is about quotes; pick a quote"),
            Problem::ControlCharacters => f.write_str("must not contain control characters"),
            Problem::NotAUrl { reason } => write!(f, "is not a valid URL ({reason})"),
            Problem::HttpUrl => f.write_str("must start with http:// or https://"),
            Problem::UrlHost => f.write_str("must name a host"),
            Problem::ChooseAnEvent => f.write_str("choose at least one event to send"),
            Problem::WebhookLimit { count } => write!(
                f,
                "the account has {count} webhooks, the most it may have; delete one to add another"
            ),
            Problem::Text(text) => f.write_str(text),
        }
    }
}

impl PartialEq for Problem {
    fn eq(&self, other: &Problem) -> bool {
        self.to_string() == other.to_string()
    }
}

impl Eq for Problem {}

impl From<String> for Problem {
    fn from(text: String) -> Self {
        Problem::Text(text)
    }
}

impl From<&str> for Problem {
    fn from(text: &str) -> Self {
        Problem::Text(text.to_string())
    }
}

impl From<&String> for Problem {
    fn from(text: &String) -> Self {
        Problem::Text(text.clone())
    }
}

impl From<Cow<'_, str>> for Problem {
    fn from(text: Cow<'_, str>) -> Self {
        Problem::Text(text.into_owned())
    }
}

/// The English sentence ([`Display`](fmt::Display)).
impl From<Problem> for String {
    fn from(problem: Problem) -> Self {
        match problem {
            Problem::Text(text) => text,
            other => other.to_string(),
        }
    }
}

/// The name people read for an input field in `l` (`field-<name>` in `errors.ftl`, by the
/// last segment of a path such as `items[2].unit_price`); the field's own name when the
/// language has no label for it.
pub fn field_label(l: Locale, field: &str) -> String {
    let last = field.rsplit('.').next().unwrap_or(field);
    let bare = last.split('[').next().unwrap_or(last);
    let id = format!("field-{}", bare.replace('_', "-"));
    let label = t(l, &id);
    if label == id {
        field.to_string()
    } else {
        label
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One of every complaint with the English the API has always answered with.
    fn samples() -> Vec<(Problem, &'static str)> {
        let s = |v: &str| v.to_string();
        let mut all = vec![
            (Problem::Required, "is required"),
            (Problem::NotEmpty, "must not be empty"),
            (
                Problem::Length { min: 1, max: 100 },
                "must have 1 to 100 characters",
            ),
            (
                Problem::TooLong { max: 10_000 },
                "must have at most 10000 characters",
            ),
            (
                Problem::TooShort { min: 8 },
                "must have at least 8 characters",
            ),
            (
                Problem::Chars { min: 1, max: 100 },
                "must be 1–100 characters",
            ),
            (
                Problem::RequiredChars { min: 1, max: 100 },
                "is required (1–100 characters)",
            ),
            (Problem::NotNegative, "must not be negative"),
            (
                Problem::Range { from: 0, to: 1000 },
                "must be from 0 to 1000",
            ),
            (Problem::OneOrMore, "must be 1 or more"),
            (Problem::TrueOrFalse, "must be true or false"),
            (Problem::MustBeText, "must be text"),
            (
                Problem::one_of(&["call", "meeting", "email"]),
                "must be one of call, meeting, email",
            ),
            (Problem::NotFoundHere, "not found in this account"),
            (
                Problem::NotANumber { value: s("abc") },
                "\"abc\" is not a number",
            ),
            (
                Problem::NotADate { value: s("soon") },
                "\"soon\" is not a date (YYYY-MM-DD)",
            ),
            (
                Problem::NotADateTime { value: s("x") },
                "\"x\" is not a date-time (YYYY-MM-DDTHH:MM)",
            ),
            (
                Problem::NotAnEmail { value: s("a@") },
                "\"a@\" is not a valid e-mail address",
            ),
            (Problem::InvalidEmail, "is not a valid e-mail address"),
            (
                Problem::NotACurrency { value: s("R$") },
                "\"R$\" is not an ISO 4217 currency code",
            ),
            (
                Problem::NotAPercentage { value: s("ten") },
                "\"ten\" is not a percentage",
            ),
            (Problem::AmountEmpty, "amount is empty"),
            (Problem::AmountDecimals, "amount has more than 2 decimals"),
            (
                Problem::AmountTooLarge,
                "amount is too large (at most 100000000000.00)",
            ),
            (Problem::AmountOverflow, "amount is too large"),
            (Problem::TwoDecimals, "must have at most 2 decimals"),
            (Problem::LineTotalTooLarge, "the line total is too large"),
            (Problem::Visibility, "must be 0, 1 or 2"),
            (
                Problem::Temperature,
                "must be 1 (cold), 2 (warm) or 3 (hot)",
            ),
            (Problem::SayWhyLost, "say why the deal was lost"),
            (Problem::AlreadyOpen, "the deal is already open"),
            (
                Problem::TooManyAttributes { max: 50 },
                "a deal has at most 50 custom attributes",
            ),
            (
                Problem::OtherStage,
                "must be another stage of the same pipeline",
            ),
            (
                Problem::StageOfAnotherPipeline,
                "does not match the stage's pipeline",
            ),
            (Problem::PipelineWithoutStages, "the pipeline has no stages"),
            (
                Problem::PrimaryPipelineWithoutStages,
                "the primary pipeline has no stages",
            ),
            (Problem::RequiredByPipeline, "is required by this pipeline"),
            (
                Problem::StageKeyShape,
                "must have 1 to 50 lower-case letters, digits or underscores",
            ),
            (
                Problem::StageKeyTaken { key: s("won") },
                "\"won\" is already the key of another stage of this pipeline",
            ),
            (Problem::RottingDays, "must be from 1 to 365 days, or empty"),
            (
                Problem::EachStageOnce { count: 4 },
                "must name each of the pipeline's 4 stages once",
            ),
            (
                Problem::StageHasDeals {
                    stage: s("Lead"),
                    count: 1,
                },
                "\"Lead\" has 1 deal; choose the stage they move to",
            ),
            (
                Problem::StageHasDeals {
                    stage: s("Lead"),
                    count: 3,
                },
                "\"Lead\" has 3 deals; choose the stage they move to",
            ),
            (Problem::UserDeactivated, "this user is deactivated"),
            (
                Problem::EmailTaken {
                    name: s("Ana"),
                    value: s("ana@x.com"),
                },
                "Ana already has the e-mail ana@x.com",
            ),
            (
                Problem::PhoneTaken {
                    name: s("Ana"),
                    value: s("+5511987654321"),
                },
                "Ana already has the phone +5511987654321",
            ),
            (
                Problem::TagExists { name: s("VIP") },
                "there is already a tag \"VIP\"",
            ),
            (
                Problem::OrganizationExists { name: s("Acme") },
                "there is already an organization \"Acme\"",
            ),
            (
                Problem::LeadSourceExists { name: s("Ads") },
                "\"Ads\" is already a lead source",
            ),
            (
                Problem::AlreadyInList { name: s("Price") },
                "\"Price\" is already in the list",
            ),
            (
                Problem::TrackerExists { code: s("fb") },
                "\"fb\" is already a tracker",
            ),
            (
                Problem::NoLongerSold { name: s("Kit") },
                "\"Kit\" is no longer sold",
            ),
            (Problem::AddAnItem, "add at least one item"),
            (
                Problem::TooManyItems { max: 200 },
                "a quote has at most 200 items",
            ),
            (
                Problem::NoProductsToQuote,
                "the deal has no products to quote; add products or write the quote by hand",
            ),
            (
                Problem::ClientWithoutEmail,
                "the client has no e-mail address; add one to the deal's contact first",
            ),
            (Problem::AtLeastOneAction, "at least one action is required"),
            (
                Problem::DelayRange { max: 129_600 },
                "must be a whole number of minutes from 0 to 129600",
            ),
            (
                Problem::NeedsNumber {
                    field: s("total"),
                    op: s("gt"),
                },
                "total gt needs a number",
            ),
            (
                Problem::NeedsValue {
                    field: s("stage"),
                    op: s("eq"),
                },
                "stage eq needs a value",
            ),
            (
                Problem::FieldIsOneOf {
                    field: s("status"),
                    choices: s("open, won, lost"),
                },
                "status is one of open, won, lost",
            ),
            (
                Problem::PickADeal,
                "this trigger is about deals; pick a deal",
            ),
            (
                Problem::PickAQuote,
                "this trigger is about quotes; pick a quote",
            ),
            (
                Problem::ControlCharacters,
                "must not contain control characters",
            ),
            (
                Problem::NotAUrl {
                    reason: s("relative URL without a base"),
                },
                "is not a valid URL (relative URL without a base)",
            ),
            (Problem::HttpUrl, "must start with http:// or https://"),
            (Problem::UrlHost, "must name a host"),
            (Problem::ChooseAnEvent, "choose at least one event to send"),
            (
                Problem::WebhookLimit { count: 20 },
                "the account has 20 webhooks, the most it may have; delete one to add another",
            ),
        ];
        let nouns = [
            "no such deal in this account",
            "no such contact in this account",
            "no such stage in this account",
            "no such user in this account",
            "no such label in this account",
            "no such organization in this account",
            "no such product in this account",
        ];
        for (thing, english) in Thing::ALL.into_iter().zip(nouns) {
            all.push((Problem::NoSuch(thing), english));
        }
        all
    }

    #[test]
    fn every_problem_reads_as_the_api_has_always_written_it() {
        for (problem, english) in samples() {
            assert_eq!(problem.to_string(), english, "{problem:?}");
            assert_eq!(String::from(problem.clone()), english);
        }
        let text = Problem::from("must start with a letter");
        assert_eq!(text.to_string(), "must start with a letter");
        assert_eq!(Problem::from("is required".to_string()), Problem::Required);
    }

    /// The English message file says exactly what the API says, and the other languages say
    /// something of their own for every complaint.
    #[test]
    fn every_problem_has_its_message_in_every_language() {
        for (problem, english) in samples() {
            assert_eq!(problem.in_locale(Locale::En), english, "{problem:?}");
            let (id, _) = problem.fluent(Locale::En).expect("a typed problem");
            assert!(id.starts_with("err-"), "{id}");
            for l in [Locale::Es, Locale::PtBr] {
                let text = problem.in_locale(l);
                assert!(!text.trim().is_empty() && text != id, "{l}: {id}");
                assert_ne!(text, english, "{l}: {id} is not translated");
            }
        }
        let text = Problem::from("anything at all");
        assert_eq!(text.in_locale(Locale::PtBr), "anything at all");
    }

    #[test]
    fn counts_and_amounts_are_written_the_languages_way() {
        let has = |count| Problem::StageHasDeals {
            stage: "Lead".into(),
            count,
        };
        assert_eq!(
            has(1).in_locale(Locale::PtBr),
            "\"Lead\" tem 1 negócio; escolha a etapa para onde ele vai"
        );
        assert_eq!(
            has(2).in_locale(Locale::Es),
            "\"Lead\" tiene 2 negocios; elige la etapa a la que pasan"
        );
        assert_eq!(
            Problem::AmountTooLarge.in_locale(Locale::PtBr),
            "o valor é grande demais (no máximo 100.000.000.000,00)"
        );
        assert_eq!(
            Problem::NoSuch(Thing::Stage).in_locale(Locale::PtBr),
            "essa etapa não existe nesta conta"
        );
    }

    #[test]
    fn problems_travel_as_their_english_sentence() {
        let json = serde_json::to_string(&Problem::Range { from: 1, to: 5 }).unwrap_or_default();
        assert_eq!(json, "\"must be from 1 to 5\"");
        let back: Problem = serde_json::from_str(&json).unwrap_or(Problem::Required);
        assert_eq!(back, Problem::Range { from: 1, to: 5 });
    }

    #[test]
    fn fields_have_labels_people_read() {
        assert_eq!(field_label(Locale::PtBr, "value"), "Valor");
        assert_eq!(
            field_label(Locale::Es, "items[2].unit_price"),
            "Precio unitario"
        );
        assert_eq!(
            field_label(Locale::En, "expected_close_date"),
            "Expected close date"
        );
        assert_eq!(field_label(Locale::PtBr, "x_unknown"), "x_unknown");
    }
}
