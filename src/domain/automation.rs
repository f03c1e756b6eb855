//! Automations as rules: triggers, the fields conditions may test and the operators each
//! field's type allows, the actions and their settings, validation with messages that name the
//! faulty part, condition evaluation against a record snapshot, message placeholders and the
//! webhook payload. Nothing here does I/O; the server's automation service runs it.
//!
//! A *snapshot* is the JSON the webhook sends as `data.quote` (or `data.deal`): conditions,
//! placeholders and payloads all read the same shape.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::problem::{Problem, Thing};

/// The events an automation can start on.
pub const TRIGGERS: &[(&str, &str)] = &[
    ("QUOTE_CREATED", "A quote was created"),
    ("QUOTE_SENT", "A quote was sent to the client"),
    ("QUOTE_VIEWED", "The client viewed the quote in the portal"),
    ("QUOTE_ACCEPTED", "The client accepted the quote"),
    ("QUOTE_REJECTED", "The client rejected the quote"),
    ("QUOTE_WON", "The quote was marked won"),
    ("QUOTE_LOST", "The quote was marked lost"),
    ("QUOTE_EXPIRING", "The quote expires within 24 hours"),
    ("DEAL_CREATED", "A deal was created"),
    ("DEAL_STAGE_CHANGED", "A deal moved to another stage"),
    ("DEAL_WON", "A deal was won"),
    ("DEAL_LOST", "A deal was lost"),
    ("ACTIVITY_COMPLETED", "An activity of a deal was completed"),
];

/// Quote statuses, in their usual order.
pub const QUOTE_STATUSES: &[&str] = &["GENERATED", "SENT", "ACCEPTED", "REJECTED", "WON", "LOST"];

/// Whether the trigger is about a quote (else about a deal).
pub fn is_quote_trigger(trigger: &str) -> bool {
    trigger.starts_with("QUOTE_")
}

/// Whether `trigger` is one of [`TRIGGERS`].
pub fn is_trigger(trigger: &str) -> bool {
    TRIGGERS.iter().any(|(t, _)| *t == trigger)
}

/// The kind of value a field holds; it decides the operators allowed on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    Number,
    Text,
    Select,
}

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Operator {
    Eq,
    Neq,
    Gt,
    Lt,
    Gte,
    Lte,
    Contains,
    StartsWith,
    IsEmpty,
    IsNotEmpty,
}

impl Operator {
    /// Every operator, as written in conditions.
    pub const ALL: [Operator; 10] = [
        Operator::Eq,
        Operator::Neq,
        Operator::Gt,
        Operator::Lt,
        Operator::Gte,
        Operator::Lte,
        Operator::Contains,
        Operator::StartsWith,
        Operator::IsEmpty,
        Operator::IsNotEmpty,
    ];

    /// The operator's name in conditions (`gt`, `starts_with`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Eq => "eq",
            Operator::Neq => "neq",
            Operator::Gt => "gt",
            Operator::Lt => "lt",
            Operator::Gte => "gte",
            Operator::Lte => "lte",
            Operator::Contains => "contains",
            Operator::StartsWith => "starts_with",
            Operator::IsEmpty => "is_empty",
            Operator::IsNotEmpty => "is_not_empty",
        }
    }

    /// Parses an operator name.
    pub fn parse(s: &str) -> Option<Operator> {
        Operator::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// How the builder labels it.
    pub fn label(self) -> &'static str {
        match self {
            Operator::Eq => "is",
            Operator::Neq => "is not",
            Operator::Gt => "greater than",
            Operator::Lt => "less than",
            Operator::Gte => "at least",
            Operator::Lte => "at most",
            Operator::Contains => "contains",
            Operator::StartsWith => "starts with",
            Operator::IsEmpty => "is empty",
            Operator::IsNotEmpty => "is not empty",
        }
    }

    /// Whether the operator compares with a value (all but the emptiness tests).
    pub fn needs_value(self) -> bool {
        !matches!(self, Operator::IsEmpty | Operator::IsNotEmpty)
    }
}

use Operator::*;

const NUMBER_OPS: &[Operator] = &[Eq, Neq, Gt, Lt, Gte, Lte];
const SELECT_OPS: &[Operator] = &[Eq, Neq];
const TEXT_ALL: &[Operator] = &[Eq, Neq, Contains, StartsWith, IsEmpty, IsNotEmpty];
const TEXT_MATCH: &[Operator] = &[Eq, Neq, Contains, StartsWith];
const TEXT_NO_START: &[Operator] = &[Eq, Neq, Contains, IsEmpty, IsNotEmpty];

/// A field conditions can test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldDef {
    /// The name in conditions (`total`, `client.email`, `items.unitPrice`, …).
    pub name: &'static str,
    pub kind: FieldType,
    pub operators: &'static [Operator],
    pub label: &'static str,
    /// For select fields: the values to choose from (empty: free text, such as currencies).
    pub choices: &'static [&'static str],
}

const fn field(
    name: &'static str,
    kind: FieldType,
    operators: &'static [Operator],
    label: &'static str,
) -> FieldDef {
    FieldDef {
        name,
        kind,
        operators,
        label,
        choices: &[],
    }
}

/// Fields of quote triggers (the automations document's tables).
pub const QUOTE_FIELDS: &[FieldDef] = &[
    FieldDef {
        name: "status",
        kind: FieldType::Select,
        operators: SELECT_OPS,
        label: "Status",
        choices: QUOTE_STATUSES,
    },
    field("currency", FieldType::Select, SELECT_OPS, "Currency"),
    field("total", FieldType::Number, NUMBER_OPS, "Total"),
    field("subtotal", FieldType::Number, NUMBER_OPS, "Subtotal"),
    field("tax", FieldType::Number, NUMBER_OPS, "Tax"),
    field(
        "shippingCost",
        FieldType::Number,
        NUMBER_OPS,
        "Shipping cost",
    ),
    field("viewCount", FieldType::Number, NUMBER_OPS, "View count"),
    field("quoteNumber", FieldType::Number, NUMBER_OPS, "Quote number"),
    field("notes", FieldType::Text, TEXT_ALL, "Notes"),
    field(
        "client.contactName",
        FieldType::Text,
        TEXT_MATCH,
        "Client contact name",
    ),
    field(
        "client.companyName",
        FieldType::Text,
        TEXT_ALL,
        "Client company name",
    ),
    field("client.email", FieldType::Text, TEXT_MATCH, "Client e-mail"),
    field(
        "client.phone",
        FieldType::Text,
        TEXT_NO_START,
        "Client phone",
    ),
    field(
        "items.productName",
        FieldType::Text,
        TEXT_MATCH,
        "Any item: product name",
    ),
    field(
        "items.model",
        FieldType::Text,
        TEXT_NO_START,
        "Any item: model",
    ),
    field(
        "items.unitPrice",
        FieldType::Number,
        NUMBER_OPS,
        "Any item: unit price",
    ),
    field(
        "items.quantity",
        FieldType::Number,
        NUMBER_OPS,
        "Any item: quantity",
    ),
    field(
        "items.discountPct",
        FieldType::Number,
        NUMBER_OPS,
        "Any item: discount %",
    ),
];

/// Fields of deal triggers (`DEAL_*`, `ACTIVITY_COMPLETED`).
pub const DEAL_FIELDS: &[FieldDef] = &[
    field("title", FieldType::Text, TEXT_ALL, "Title"),
    field("value", FieldType::Number, NUMBER_OPS, "Value"),
    field("currency", FieldType::Select, SELECT_OPS, "Currency"),
    FieldDef {
        name: "status",
        kind: FieldType::Select,
        operators: SELECT_OPS,
        label: "Status",
        choices: &["open", "won", "lost"],
    },
    field("stage", FieldType::Select, SELECT_OPS, "Stage (key)"),
    field(
        "previousStage",
        FieldType::Select,
        SELECT_OPS,
        "Previous stage (key)",
    ),
    field("pipeline", FieldType::Text, TEXT_MATCH, "Pipeline"),
    field(
        "probability",
        FieldType::Number,
        NUMBER_OPS,
        "Probability %",
    ),
    field(
        "temperature",
        FieldType::Number,
        NUMBER_OPS,
        "Temperature (1–3)",
    ),
    field(
        "qualityRating",
        FieldType::Number,
        NUMBER_OPS,
        "Quality rating (1–5)",
    ),
    field("owner.email", FieldType::Text, TEXT_ALL, "Owner e-mail"),
    field("contact.name", FieldType::Text, TEXT_ALL, "Contact name"),
    field("contact.email", FieldType::Text, TEXT_ALL, "Contact e-mail"),
    field("organization", FieldType::Text, TEXT_ALL, "Organization"),
    field("leadSource", FieldType::Text, TEXT_ALL, "Lead source"),
    field("lostReason", FieldType::Text, TEXT_ALL, "Lost reason"),
    FieldDef {
        name: "activity.type",
        kind: FieldType::Select,
        operators: SELECT_OPS,
        label: "Completed activity type",
        choices: &["call", "meeting", "email", "task", "note"],
    },
];

/// The fields conditions of this trigger may test.
pub fn fields_for(trigger: &str) -> &'static [FieldDef] {
    if is_quote_trigger(trigger) {
        QUOTE_FIELDS
    } else {
        DEAL_FIELDS
    }
}

/// Looks a field up among the trigger's fields.
pub fn field_def(trigger: &str, name: &str) -> Option<&'static FieldDef> {
    fields_for(trigger).iter().find(|f| f.name == name)
}

/// One condition: `field operator value`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    pub field: String,
    pub operator: String,
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub value: Value,
}

/// Who an e-mail goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EmailTo {
    /// The quote's (or deal's) contact.
    Client,
    /// The quote's creator, else the deal's responsible user.
    Owner,
    /// `customEmail`.
    Custom,
}

/// One step of an automation, run in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Action {
    SendEmail {
        to: EmailTo,
        #[serde(
            rename = "customEmail",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        custom_email: Option<String>,
        subject: String,
        body: String,
    },
    SendNotification {
        title: String,
        #[serde(default)]
        body: String,
    },
    ChangeStatus {
        #[serde(rename = "newStatus")]
        new_status: String,
    },
    AddLabel {
        #[serde(rename = "labelId")]
        label_id: String,
    },
    CreateReminder {
        #[serde(rename = "delayMinutes", default)]
        delay_minutes: i64,
        message: String,
    },
    FireWebhook {
        url: String,
        #[serde(default, skip_serializing_if = "Map::is_empty")]
        headers: Map<String, Value>,
        #[serde(rename = "includeItems", default = "yes")]
        include_items: bool,
    },
}

fn yes() -> bool {
    true
}

/// The action types and their names ([`action_label`] names them for a trigger).
pub const ACTION_TYPES: &[(&str, &str)] = &[
    ("send_email", "Send an e-mail"),
    ("send_notification", "Notify in the app"),
    ("change_status", "Change the quote's status"),
    ("add_label", "Add a label to the quote"),
    ("create_reminder", "Create a follow-up reminder"),
    ("fire_webhook", "Call a webhook"),
];

/// Whether an action type acts on a quote (so applies to quote triggers only).
pub fn is_quote_action(kind: &str) -> bool {
    matches!(kind, "change_status" | "add_label")
}

/// Whom "the owner" means for this trigger: who notifications and e-mails "to the owner" go
/// to.
pub fn owner_meaning(trigger: &str) -> &'static str {
    if is_quote_trigger(trigger) {
        "the quote's creator (else the deal's responsible user)"
    } else {
        "the deal's responsible user (else who created the deal)"
    }
}

/// How the builder names an action type for this trigger.
pub fn action_label(trigger: &str, kind: &str) -> &'static str {
    match kind {
        "send_notification" if is_quote_trigger(trigger) => "Notify the quote's creator in the app",
        "send_notification" => "Notify the deal's responsible user in the app",
        _ => ACTION_TYPES
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, l)| *l)
            .unwrap_or(""),
    }
}

/// The action types the builder offers for this trigger, with their names: the quote's own
/// actions only for quote triggers.
pub fn actions_for(trigger: &str) -> Vec<(&'static str, &'static str)> {
    ACTION_TYPES
        .iter()
        .filter(|(k, _)| is_quote_trigger(trigger) || !is_quote_action(k))
        .map(|(k, _)| (*k, action_label(trigger, k)))
        .collect()
}

impl Action {
    /// The `type` string.
    pub fn kind(&self) -> &'static str {
        match self {
            Action::SendEmail { .. } => "send_email",
            Action::SendNotification { .. } => "send_notification",
            Action::ChangeStatus { .. } => "change_status",
            Action::AddLabel { .. } => "add_label",
            Action::CreateReminder { .. } => "create_reminder",
            Action::FireWebhook { .. } => "fire_webhook",
        }
    }
}

/// A rule broken by an automation's definition names its field by a path such as
/// `conditions[1].value`.
pub use super::invalid::Invalid;

fn invalid(field: impl Into<String>, message: impl Into<Problem>) -> Invalid {
    Invalid {
        field: field.into(),
        message: message.into(),
    }
}

/// Longest automation name.
pub const NAME_MAX: usize = 100;
/// Longest delay: 90 days.
pub const DELAY_MAX_MINUTES: i64 = 90 * 24 * 60;

/// An automation's definition as the API and the builder send it, field by field; every
/// field is optional so that a change sends only what it changes. A field sent as `null` is
/// refused where the rules need a value (`name`, `trigger`, `actions`) and means the default
/// elsewhere. Conditions and actions stay JSON here: which of their parts are allowed depends
/// on the trigger, and [`AutomationBody::check`] names the faulty part by its path.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(example = json!({
    "name": "Email al enviar cotización grande",
    "trigger": "QUOTE_SENT",
    "conditions": [
        {"field": "total", "operator": "gt", "value": 10000},
        {"field": "client.companyName", "operator": "is_not_empty"}
    ],
    "actions": [{"type": "send_email", "to": "client", "subject": "Tu cotización está lista", "body": "Gracias por tu interés."}],
    "delayMinutes": 5
})))]
#[serde(rename_all = "camelCase")]
pub struct AutomationBody {
    /// 1–100 characters (required on create).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    /// `QUOTE_CREATED`, `QUOTE_SENT`, `QUOTE_VIEWED`, `QUOTE_ACCEPTED`, `QUOTE_REJECTED`,
    /// `QUOTE_WON`, `QUOTE_LOST`, `QUOTE_EXPIRING`, `DEAL_CREATED`, `DEAL_STAGE_CHANGED`,
    /// `DEAL_WON`, `DEAL_LOST` or `ACTIVITY_COMPLETED` (required on create).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub trigger: Option<String>,
    /// `{field, operator, value}` rows, all of which must hold (AND). The operators allowed
    /// depend on the field's type; `value` is not needed for `is_empty` / `is_not_empty`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Vec<Object>>))]
    pub conditions: Option<Vec<Value>>,
    /// At least one of `send_email`, `send_notification`, `change_status`, `add_label`,
    /// `create_reminder`, `fire_webhook`, run in order (required on create).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Vec<Object>>))]
    pub actions: Option<Vec<Value>>,
    /// Minutes to wait before running the actions, 0 to 129,600 (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_minutes: Option<i64>,
    /// Default `true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_active: Option<bool>,
}

/// A field that, when sent, must hold a value (`null` is refused with the field's type).
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// A checked automation definition, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct Definition {
    pub name: String,
    pub trigger: String,
    pub conditions: Vec<Condition>,
    pub actions: Vec<Action>,
    pub delay_minutes: i64,
    pub is_active: bool,
}

impl AutomationBody {
    /// The body of a stored definition, to apply a change to.
    pub fn of(view: &AutomationView) -> Self {
        let json_list = |v: Value| match v {
            Value::Array(list) => list,
            _ => Vec::new(),
        };
        AutomationBody {
            name: Some(view.name.clone()),
            trigger: Some(view.trigger.clone()),
            conditions: Some(json_list(json!(view.conditions))),
            actions: Some(json_list(json!(view.actions))),
            delay_minutes: Some(view.delay_minutes),
            is_active: Some(view.is_active),
        }
    }

    /// `self` with every field that `change` sends replaced.
    pub fn changed_by(self, change: AutomationBody) -> Self {
        AutomationBody {
            name: change.name.or(self.name),
            trigger: change.trigger.or(self.trigger),
            conditions: change.conditions.or(self.conditions),
            actions: change.actions.or(self.actions),
            delay_minutes: change.delay_minutes.or(self.delay_minutes),
            is_active: change.is_active.or(self.is_active),
        }
    }

    /// Checks the whole definition; `label_exists` tells whether a label id belongs to the
    /// account. The first broken rule is named by its path.
    pub fn check(&self, label_exists: &dyn Fn(&str) -> bool) -> Result<Definition, Invalid> {
        let name = validate_name(self.name.as_deref())?;
        let trigger = validate_trigger(self.trigger.as_deref())?;
        let conditions = validate_conditions(&trigger, self.conditions.as_deref().unwrap_or(&[]))?;
        let actions = validate_actions(
            &trigger,
            self.actions.as_deref().unwrap_or(&[]),
            label_exists,
        )?;
        let delay_minutes = check_delay("delayMinutes", self.delay_minutes)?;
        Ok(Definition {
            name,
            trigger,
            conditions,
            actions,
            delay_minutes,
            is_active: self.is_active.unwrap_or(true),
        })
    }
}

/// Checks a name: 1–100 characters after trimming; returns it trimmed.
pub fn validate_name(name: Option<&str>) -> Result<String, Invalid> {
    let Some(s) = name else {
        return Err(invalid(
            "name",
            Problem::RequiredChars {
                min: 1,
                max: NAME_MAX,
            },
        ));
    };
    let s = s.trim();
    let len = s.chars().count();
    if len == 0 || len > NAME_MAX {
        return Err(invalid(
            "name",
            Problem::Chars {
                min: 1,
                max: NAME_MAX,
            },
        ));
    }
    Ok(s.to_string())
}

/// Checks a trigger name.
pub fn validate_trigger(trigger: Option<&str>) -> Result<String, Invalid> {
    match trigger {
        Some(t) if is_trigger(t) => Ok(t.to_string()),
        Some(t) => Err(invalid("trigger", format!("unknown trigger {t:?}"))),
        None => Err(invalid("trigger", Problem::Required)),
    }
}

/// Checks a delay in minutes (absent: 0).
pub fn check_delay(field: &str, delay: Option<i64>) -> Result<i64, Invalid> {
    match delay {
        None => Ok(0),
        Some(d) if (0..=DELAY_MAX_MINUTES).contains(&d) => Ok(d),
        Some(_) => Err(delay_out_of_range(field)),
    }
}

/// Checks a delay in minutes sent as JSON (absent or null: 0).
pub fn validate_delay(field: &str, delay: &Value) -> Result<i64, Invalid> {
    match delay {
        Value::Null => Ok(0),
        v => check_delay(
            field,
            Some(v.as_i64().ok_or_else(|| delay_out_of_range(field))?),
        ),
    }
}

fn delay_out_of_range(field: &str) -> Invalid {
    invalid(
        field,
        Problem::DelayRange {
            max: DELAY_MAX_MINUTES,
        },
    )
}

/// Checks the conditions of an automation on `trigger`.
pub fn validate_conditions(trigger: &str, conditions: &[Value]) -> Result<Vec<Condition>, Invalid> {
    conditions
        .iter()
        .enumerate()
        .map(|(i, c)| validate_condition(trigger, i, c))
        .collect()
}

fn validate_condition(trigger: &str, i: usize, c: &Value) -> Result<Condition, Invalid> {
    let at = |part: &str| format!("conditions[{i}].{part}");
    let Some(name) = c["field"].as_str() else {
        return Err(invalid(at("field"), Problem::Required));
    };
    let Some(def) = field_def(trigger, name) else {
        return Err(invalid(
            at("field"),
            format!("{name:?} is not a field of {trigger} automations"),
        ));
    };
    let Some(op_name) = c["operator"].as_str() else {
        return Err(invalid(at("operator"), Problem::Required));
    };
    let Some(op) = Operator::parse(op_name) else {
        return Err(invalid(
            at("operator"),
            format!("unknown operator {op_name:?}"),
        ));
    };
    if !def.operators.contains(&op) {
        let allowed: Vec<&str> = def.operators.iter().map(|o| o.as_str()).collect();
        return Err(invalid(
            at("operator"),
            format!(
                "{op_name} does not apply to {name}; use {}",
                allowed.join(", ")
            ),
        ));
    }
    let value = &c["value"];
    let value = if !op.needs_value() {
        Value::Null
    } else {
        match def.kind {
            FieldType::Number => match number(value) {
                // Kept as sent: a JSON number as it is, a numeric string as a number.
                Some(_) if value.is_number() => value.clone(),
                Some(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => json!(n as i64),
                Some(n) => json!(n),
                None => {
                    return Err(invalid(
                        at("value"),
                        Problem::NeedsNumber {
                            field: name.to_string(),
                            op: op_name.to_string(),
                        },
                    ))
                }
            },
            FieldType::Text | FieldType::Select => match scalar_text(value) {
                Some(s) if !s.trim().is_empty() => {
                    if !def.choices.is_empty() && !def.choices.contains(&s.trim()) {
                        return Err(invalid(
                            at("value"),
                            Problem::FieldIsOneOf {
                                field: name.to_string(),
                                choices: def.choices.join(", "),
                            },
                        ));
                    }
                    Value::String(s)
                }
                _ => {
                    return Err(invalid(
                        at("value"),
                        Problem::NeedsValue {
                            field: name.to_string(),
                            op: op_name.to_string(),
                        },
                    ))
                }
            },
        }
    };
    Ok(Condition {
        field: name.to_string(),
        operator: op_name.to_string(),
        value,
    })
}

/// A number from a JSON number or a numeric string.
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
        _ => None,
    }
}

/// Text from a JSON string, number or boolean.
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Checks the actions (at least one) of an automation on `trigger`. `label_exists` tells
/// whether a label id belongs to the account.
pub fn validate_actions(
    trigger: &str,
    list: &[Value],
    label_exists: &dyn Fn(&str) -> bool,
) -> Result<Vec<Action>, Invalid> {
    if list.is_empty() {
        return Err(invalid("actions", Problem::AtLeastOneAction));
    }
    list.iter()
        .enumerate()
        .map(|(i, a)| validate_action(trigger, i, a, label_exists))
        .collect()
}

fn validate_action(
    trigger: &str,
    i: usize,
    a: &Value,
    label_exists: &dyn Fn(&str) -> bool,
) -> Result<Action, Invalid> {
    let at = |part: &str| format!("actions[{i}].{part}");
    let text = |part: &str, required: bool| -> Result<String, Invalid> {
        match &a[part] {
            Value::String(s) if !s.trim().is_empty() => Ok(s.trim().to_string()),
            Value::Null | Value::String(_) if !required => Ok(String::new()),
            Value::Null | Value::String(_) => Err(invalid(at(part), Problem::Required)),
            _ => Err(invalid(at(part), Problem::MustBeText)),
        }
    };
    let quote_only = |kind: &str| -> Result<(), Invalid> {
        if is_quote_trigger(trigger) {
            Ok(())
        } else {
            Err(invalid(
                at("type"),
                format!("{kind} applies to quote triggers only"),
            ))
        }
    };
    let Some(kind) = a["type"].as_str() else {
        return Err(invalid(at("type"), Problem::Required));
    };
    let action = match kind {
        "send_email" => {
            let to = match a["to"].as_str() {
                Some("client") => EmailTo::Client,
                Some("owner") => EmailTo::Owner,
                Some("custom") => EmailTo::Custom,
                _ => return Err(invalid(at("to"), "must be client, owner or custom")),
            };
            let custom_email = if to == EmailTo::Custom {
                let e = text("customEmail", true)?;
                if !crate::domain::contact::is_valid_email(&e) {
                    return Err(invalid(at("customEmail"), Problem::InvalidEmail));
                }
                Some(e)
            } else {
                None
            };
            Action::SendEmail {
                to,
                custom_email,
                subject: text("subject", true)?,
                body: text("body", true)?,
            }
        }
        "send_notification" => Action::SendNotification {
            title: text("title", true)?,
            body: text("body", false)?,
        },
        "change_status" => {
            quote_only(kind)?;
            let s = text("newStatus", true)?;
            if !QUOTE_STATUSES.contains(&s.as_str()) {
                return Err(invalid(at("newStatus"), Problem::one_of(QUOTE_STATUSES)));
            }
            Action::ChangeStatus { new_status: s }
        }
        "add_label" => {
            quote_only(kind)?;
            let id = text("labelId", true)?;
            if !label_exists(&id) {
                return Err(invalid(at("labelId"), Problem::NoSuch(Thing::Label)));
            }
            Action::AddLabel { label_id: id }
        }
        "create_reminder" => Action::CreateReminder {
            delay_minutes: validate_delay(&at("delayMinutes"), &a["delayMinutes"])?,
            message: text("message", true)?,
        },
        "fire_webhook" => {
            let url = text("url", true)?;
            if let Err(why) = check_webhook_url(&url) {
                return Err(invalid(at("url"), why));
            }
            let headers = match &a["headers"] {
                Value::Null => Map::new(),
                Value::Object(h) => {
                    for (k, v) in h {
                        if !is_header_name(k) || !v.as_str().is_some_and(is_header_value) {
                            return Err(invalid(
                                at("headers"),
                                format!("{k:?} is not a valid header with a text value"),
                            ));
                        }
                    }
                    h.clone()
                }
                _ => return Err(invalid(at("headers"), "must be an object of header: value")),
            };
            let include_items = match &a["includeItems"] {
                Value::Null => true,
                Value::Bool(b) => *b,
                _ => return Err(invalid(at("includeItems"), Problem::TrueOrFalse)),
            };
            Action::FireWebhook {
                url,
                headers,
                include_items,
            }
        }
        other => {
            return Err(invalid(
                at("type"),
                format!("unknown action type {other:?}"),
            ))
        }
    };
    Ok(action)
}

/// A webhook URL must be absolute `http(s)` with a host and no credentials. Where it may
/// point (private addresses and the like) is checked when it is called.
pub fn check_webhook_url(url: &str) -> Result<(), String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("must start with http:// or https://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty() {
        return Err("must name a host".into());
    }
    if authority.contains('@') {
        return Err("must not carry a user name or password".into());
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("must not contain spaces".into());
    }
    Ok(())
}

fn is_header_name(k: &str) -> bool {
    !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn is_header_value(v: &str) -> bool {
    v.bytes().all(|b| b == b'\t' || (b >= 0x20 && b != 0x7f))
}

/// Looks a dotted path up in a snapshot (`client.email`).
fn lookup<'a>(snapshot: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(snapshot, |v, part| &v[part])
}

/// Whether every condition holds for the snapshot (AND; no conditions: true).
pub fn matches_all(conditions: &[Condition], snapshot: &Value) -> bool {
    conditions.iter().all(|c| matches(c, snapshot))
}

/// Whether one condition holds. `items.*` fields hold when any item matches (never for a
/// quote without items).
pub fn matches(c: &Condition, snapshot: &Value) -> bool {
    let Some(op) = Operator::parse(&c.operator) else {
        return false;
    };
    if let Some(item_field) = c.field.strip_prefix("items.") {
        return snapshot["items"]
            .as_array()
            .is_some_and(|items| items.iter().any(|i| compare(op, &i[item_field], &c.value)));
    }
    compare(op, lookup(snapshot, &c.field), &c.value)
}

/// Applies an operator. Text compares without regard to case or surrounding spaces; a
/// missing value is empty text and no number.
pub fn compare(op: Operator, actual: &Value, expected: &Value) -> bool {
    let actual_text = scalar_text(actual)
        .map(|s| s.trim().to_lowercase())
        .unwrap_or_default();
    let expected_text = scalar_text(expected)
        .map(|s| s.trim().to_lowercase())
        .unwrap_or_default();
    let nums = || Some((number(actual)?, number(expected)?));
    let num_or_text_eq = || match nums() {
        Some((a, b)) if actual.is_number() || expected.is_number() => (a - b).abs() < 1e-9,
        _ => actual_text == expected_text,
    };
    match op {
        Eq => num_or_text_eq(),
        Neq => !num_or_text_eq(),
        Gt => nums().is_some_and(|(a, b)| a > b),
        Lt => nums().is_some_and(|(a, b)| a < b),
        Gte => nums().is_some_and(|(a, b)| a >= b),
        Lte => nums().is_some_and(|(a, b)| a <= b),
        Contains => actual_text.contains(&expected_text),
        StartsWith => actual_text.starts_with(&expected_text),
        IsEmpty => actual_text.is_empty(),
        IsNotEmpty => !actual_text.is_empty(),
    }
}

/// Fills `{{path}}` placeholders from the snapshot (`{{quoteNumber}}`, `{{client.contactName}}`,
/// `{{total}}`, `{{title}}` …); an unknown path becomes empty text.
pub fn fill(template: &str, snapshot: &Value) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                let path = after[..end].trim();
                out.push_str(&scalar_text(lookup(snapshot, path)).unwrap_or_default());
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The body a webhook receives: `{event, timestamp, data: {quote | deal}}`, without the
/// quote's items when `include_items` is false.
pub fn webhook_payload(
    event: &str,
    timestamp: &str,
    snapshot: &Value,
    include_items: bool,
) -> Value {
    let mut record = snapshot.clone();
    if !include_items {
        if let Some(obj) = record.as_object_mut() {
            obj.remove("items");
        }
    }
    let key = if is_quote_trigger(event) {
        "quote"
    } else {
        "deal"
    };
    json!({ "event": event, "timestamp": timestamp, "data": { key: record } })
}

/// A quote's amounts in cents, computed from its lines: each line is `unit × quantity` less
/// its discount (basis points, rounded half away from zero); total is subtotal + tax + shipping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct QuoteTotals {
    pub subtotal_cents: i64,
    pub tax_cents: i64,
    pub shipping_cents: i64,
    pub total_cents: i64,
}

/// One line's amount in cents.
pub fn line_cents(unit_price_cents: i64, quantity: i64, discount_basis_points: i64) -> i64 {
    let gross = unit_price_cents as i128 * quantity as i128;
    let kept = gross * (10_000 - discount_basis_points as i128);
    let rounded = if kept >= 0 {
        (kept + 5_000) / 10_000
    } else {
        (kept - 5_000) / 10_000
    };
    rounded.clamp(i64::MIN as i128, i64::MAX as i128) as i64
}

impl QuoteTotals {
    /// Totals of lines `(unit cents, quantity, discount basis points)` plus tax and shipping.
    pub fn compute(lines: &[(i64, i64, i64)], tax_cents: i64, shipping_cents: i64) -> Self {
        let subtotal_cents = lines
            .iter()
            .map(|&(u, q, d)| line_cents(u, q, d))
            .fold(0i64, i64::saturating_add);
        QuoteTotals {
            subtotal_cents,
            tax_cents,
            shipping_cents,
            total_cents: subtotal_cents
                .saturating_add(tax_cents)
                .saturating_add(shipping_cents),
        }
    }
}

/// An automation as the API and the builder show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(as = Automation))]
#[serde(rename_all = "camelCase")]
pub struct AutomationView {
    #[cfg_attr(feature = "ssr", schema(example = "0b1d6f0e9c8a4d1fa2b3c4d5e6f70812"))]
    pub id: String,
    pub name: String,
    pub trigger: String,
    pub is_active: bool,
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<Object>))]
    pub conditions: Vec<Condition>,
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<Object>))]
    pub actions: Vec<Action>,
    pub delay_minutes: i64,
    /// ISO 8601 with milliseconds, UTC.
    pub created_at: String,
    pub updated_at: String,
    /// `{"logs": n}`: how many runs it has.
    #[serde(rename = "_count")]
    pub count: LogCount,
    /// Status of the latest run, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_run_status: Option<String>,
    /// The latest 10 runs (only on `GET /api/automations/{id}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logs: Option<Vec<AutomationLogView>>,
}

/// Counts shown with an automation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LogCount {
    pub logs: i64,
}

/// One run of an automation: `TRIGGERED`, then `COMPLETED` or `FAILED` with the error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(as = AutomationLog))]
#[serde(rename_all = "camelCase")]
pub struct AutomationLogView {
    pub id: String,
    pub automation_id: String,
    /// The quote it ran for (quote triggers).
    pub quote_id: Option<String>,
    /// The deal it ran for (deal triggers, `opp_…`).
    pub deal_id: Option<String>,
    pub tenant_id: String,
    /// `TRIGGERED`, `COMPLETED` or `FAILED`.
    pub status: String,
    pub triggered_at: String,
    pub completed_at: Option<String>,
    /// Why it failed.
    pub error: Option<String>,
}

/// What a run was for, as the run log links it: the deal (id and title) or the quote (id and
/// number).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RunSubject {
    pub deal: Option<(super::ids::DealId, String)>,
    pub quote: Option<(super::ids::QuoteId, i64)>,
}

/// The outcome of one condition in a dry run ("try it").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConditionCheck {
    pub condition: Condition,
    /// What the record holds for the field (items: every item's value).
    pub actual: Value,
    pub passed: bool,
}

/// Evaluates each condition against a snapshot, for the builder's dry run.
pub fn check_each(conditions: &[Condition], snapshot: &Value) -> Vec<ConditionCheck> {
    conditions
        .iter()
        .map(|c| {
            let actual = match c.field.strip_prefix("items.") {
                Some(f) => Value::Array(
                    snapshot["items"]
                        .as_array()
                        .map(|items| items.iter().map(|i| i[f].clone()).collect())
                        .unwrap_or_default(),
                ),
                None => lookup(snapshot, &c.field).clone(),
            };
            ConditionCheck {
                condition: c.clone(),
                actual,
                passed: matches(c, snapshot),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn deal_triggers_offer_no_quote_actions_and_name_whom_they_notify() {
        let kinds = |t: &str| {
            super::actions_for(t)
                .into_iter()
                .map(|(k, _)| k)
                .collect::<Vec<_>>()
        };
        for t in [
            "DEAL_CREATED",
            "DEAL_STAGE_CHANGED",
            "DEAL_WON",
            "DEAL_LOST",
            "ACTIVITY_COMPLETED",
        ] {
            assert!(!kinds(t).contains(&"change_status"), "{t}");
            assert!(!kinds(t).contains(&"add_label"), "{t}");
            assert!(kinds(t).contains(&"send_notification"), "{t}");
        }
        assert!(kinds("QUOTE_SENT").contains(&"change_status"));
        assert!(kinds("QUOTE_SENT").contains(&"add_label"));
        assert_eq!(
            super::action_label("DEAL_WON", "send_notification"),
            "Notify the deal's responsible user in the app"
        );
        assert!(super::owner_meaning("DEAL_WON").starts_with("the deal's responsible user"));
    }

    use super::*;

    fn quote() -> Value {
        json!({
            "id": "q1", "quoteNumber": 42, "status": "SENT", "total": 15000, "subtotal": 13000,
            "tax": 1500, "shippingCost": 500, "viewCount": 3, "currency": "MXN", "notes": "Rush order",
            "client": {"id": "c1", "contactName": "María López", "companyName": "Acme Corp",
                       "email": "maria@acme.com", "phone": "+5215512345678"},
            "items": [
                {"productName": "Servicio premium", "model": "SRV-001", "unitPrice": 13000, "quantity": 1, "discountPct": 0},
                {"productName": "Soporte", "model": "", "unitPrice": 200.5, "quantity": 4, "discountPct": 10}
            ]
        })
    }

    fn cond(field: &str, op: &str, value: Value) -> Condition {
        Condition {
            field: field.into(),
            operator: op.into(),
            value,
        }
    }

    fn holds(field: &str, op: &str, value: Value) -> bool {
        matches(&cond(field, op, value), &quote())
    }

    #[test]
    fn number_operators_on_every_number_field() {
        // (field, its value in the snapshot)
        for (field, v) in [
            ("total", 15000.0),
            ("subtotal", 13000.0),
            ("tax", 1500.0),
            ("shippingCost", 500.0),
            ("viewCount", 3.0),
            ("quoteNumber", 42.0),
        ] {
            assert!(holds(field, "eq", json!(v)), "{field} eq");
            assert!(!holds(field, "eq", json!(v + 1.0)), "{field} eq other");
            assert!(holds(field, "neq", json!(v + 1.0)), "{field} neq");
            assert!(!holds(field, "neq", json!(v)), "{field} neq same");
            assert!(
                holds(field, "gt", json!(v - 1.0)) && !holds(field, "gt", json!(v)),
                "{field} gt"
            );
            assert!(
                holds(field, "lt", json!(v + 1.0)) && !holds(field, "lt", json!(v)),
                "{field} lt"
            );
            assert!(
                holds(field, "gte", json!(v)) && !holds(field, "gte", json!(v + 0.5)),
                "{field} gte"
            );
            assert!(
                holds(field, "lte", json!(v)) && !holds(field, "lte", json!(v - 0.5)),
                "{field} lte"
            );
            // A numeric string compares as a number.
            assert!(
                holds(field, "gte", json!(v.to_string())),
                "{field} gte string"
            );
        }
    }

    #[test]
    fn text_operators_on_every_text_field() {
        for (field, v, start) in [
            ("notes", "Rush order", "rush"),
            ("client.contactName", "María López", "maría"),
            ("client.companyName", "Acme Corp", "acme"),
            ("client.email", "maria@acme.com", "maria@"),
            ("client.phone", "+5215512345678", "+52"),
        ] {
            assert!(holds(field, "eq", json!(v)), "{field} eq");
            assert!(
                holds(field, "eq", json!(v.to_uppercase())),
                "{field} eq ignores case"
            );
            assert!(!holds(field, "eq", json!("other")), "{field} eq other");
            assert!(
                holds(field, "neq", json!("other")) && !holds(field, "neq", json!(v)),
                "{field} neq"
            );
            assert!(
                holds(field, "contains", json!(&v[2..5])),
                "{field} contains"
            );
            assert!(
                !holds(field, "contains", json!("zzz")),
                "{field} contains none"
            );
            assert!(
                holds(field, "starts_with", json!(start)),
                "{field} starts_with"
            );
            assert!(
                !holds(field, "starts_with", json!(&v[2..])),
                "{field} starts_with middle"
            );
            assert!(
                holds(field, "is_not_empty", Value::Null),
                "{field} is_not_empty"
            );
            assert!(!holds(field, "is_empty", Value::Null), "{field} is_empty");
        }
        let blank = json!({"notes": "  ", "client": {}});
        assert!(matches(&cond("notes", "is_empty", Value::Null), &blank));
        assert!(matches(
            &cond("client.companyName", "is_empty", Value::Null),
            &blank
        ));
        assert!(!matches(
            &cond("client.phone", "is_not_empty", Value::Null),
            &blank
        ));
    }

    #[test]
    fn select_operators() {
        assert!(holds("status", "eq", json!("SENT")));
        assert!(!holds("status", "eq", json!("WON")));
        assert!(holds("status", "neq", json!("WON")));
        assert!(holds("currency", "eq", json!("mxn")));
        assert!(!holds("currency", "neq", json!("MXN")));
    }

    #[test]
    fn items_match_when_any_item_does() {
        assert!(holds("items.productName", "eq", json!("soporte")));
        assert!(holds("items.productName", "starts_with", json!("Serv")));
        assert!(holds("items.productName", "contains", json!("premium")));
        assert!(!holds("items.productName", "eq", json!("Nada")));
        // neq holds when some item differs.
        assert!(holds("items.productName", "neq", json!("Soporte")));
        assert!(holds("items.model", "is_empty", Value::Null));
        assert!(holds("items.model", "is_not_empty", Value::Null));
        assert!(holds("items.model", "contains", json!("srv")));
        assert!(holds("items.unitPrice", "gt", json!(10000)));
        assert!(holds("items.unitPrice", "eq", json!(200.5)));
        assert!(!holds("items.unitPrice", "gt", json!(20000)));
        assert!(holds("items.quantity", "gte", json!(4)));
        assert!(!holds("items.quantity", "gt", json!(4)));
        assert!(holds("items.discountPct", "lt", json!(5)));
        assert!(holds("items.discountPct", "eq", json!(10)));
        assert!(!holds("items.discountPct", "gt", json!(10)));
        assert!(holds("items.discountPct", "lte", json!(0)));
        // No items: nothing matches, not even a negation.
        let empty = json!({"items": []});
        assert!(!matches(
            &cond("items.productName", "neq", json!("x")),
            &empty
        ));
        assert!(!matches(
            &cond("items.model", "is_empty", Value::Null),
            &empty
        ));
    }

    #[test]
    fn deal_fields_evaluate_too() {
        let deal = json!({"title": "Acme", "value": 1200.5, "stage": "proposal", "previousStage": "qualified",
                          "owner": {"email": "ana@x.test"}, "activity": {"type": "call"}});
        assert!(matches(&cond("value", "gt", json!(1200)), &deal));
        assert!(matches(&cond("stage", "eq", json!("proposal")), &deal));
        assert!(matches(
            &cond("previousStage", "neq", json!("proposal")),
            &deal
        ));
        assert!(matches(
            &cond("owner.email", "starts_with", json!("ana")),
            &deal
        ));
        assert!(matches(&cond("activity.type", "eq", json!("call")), &deal));
        assert!(matches(&cond("lostReason", "is_empty", Value::Null), &deal));
    }

    #[test]
    fn all_conditions_must_hold() {
        let c = vec![
            cond("total", "gt", json!(10000)),
            cond("client.companyName", "is_not_empty", Value::Null),
        ];
        assert!(matches_all(&c, &quote()));
        let c2 = vec![c[0].clone(), cond("currency", "eq", json!("USD"))];
        assert!(!matches_all(&c2, &quote()));
        assert!(matches_all(&[], &quote()));
    }

    #[test]
    fn every_field_accepts_exactly_its_operators() {
        for trigger in ["QUOTE_SENT", "DEAL_WON"] {
            for def in fields_for(trigger) {
                for op in Operator::ALL {
                    let value = match def.kind {
                        FieldType::Number => json!(5),
                        _ => json!(def.choices.first().copied().unwrap_or("x")),
                    };
                    let c = json!({"field": def.name, "operator": op.as_str(), "value": value});
                    let res = validate_conditions(trigger, &[c]);
                    assert_eq!(
                        res.is_ok(),
                        def.operators.contains(&op),
                        "{trigger} {} {}: {res:?}",
                        def.name,
                        op.as_str()
                    );
                    if let Err(e) = res {
                        assert_eq!(e.field, "conditions[0].operator");
                    }
                }
            }
        }
    }

    #[test]
    fn condition_values_are_checked_by_type() {
        let check = |c: Value| validate_conditions("QUOTE_SENT", &[c]).map_err(|e| e.field);
        assert!(check(json!({"field": "total", "operator": "gt", "value": 10000})).is_ok());
        assert!(check(json!({"field": "total", "operator": "gt", "value": "10000"})).is_ok());
        assert_eq!(
            check(json!({"field": "total", "operator": "gt", "value": "much"})),
            Err("conditions[0].value".into())
        );
        assert_eq!(
            check(json!({"field": "total", "operator": "gt"})),
            Err("conditions[0].value".into())
        );
        assert_eq!(
            check(json!({"field": "notes", "operator": "contains", "value": ""})),
            Err("conditions[0].value".into())
        );
        assert!(check(json!({"field": "notes", "operator": "is_empty"})).is_ok());
        assert_eq!(
            check(json!({"field": "status", "operator": "eq", "value": "PAID"})),
            Err("conditions[0].value".into())
        );
        assert_eq!(
            check(json!({"field": "nope", "operator": "eq", "value": 1})),
            Err("conditions[0].field".into())
        );
        assert_eq!(
            check(json!({"field": "total", "operator": "like", "value": 1})),
            Err("conditions[0].operator".into())
        );
        // Deal fields are not quote fields.
        assert_eq!(
            check(json!({"field": "stage", "operator": "eq", "value": "won"})),
            Err("conditions[0].field".into())
        );
        let not_a_list = json!({"conditions": {"field": "total"}});
        assert!(serde_json::from_value::<AutomationBody>(not_a_list).is_err());
    }

    #[test]
    fn actions_are_checked_field_by_field() {
        let labels = |id: &str| id == "lbl_1";
        let check = |trigger: &str, a: Value| {
            validate_actions(trigger, &[a], &labels).map_err(|e| (e.field, e.message.to_string()))
        };
        assert!(validate_actions("QUOTE_SENT", &[], &labels).is_err());
        assert!(AutomationBody::default().check(&labels).is_err());
        let ok = check(
            "QUOTE_SENT",
            json!({"type": "send_email", "to": "client", "subject": "Hi", "body": "Quote {{quoteNumber}}"}),
        );
        assert_eq!(
            ok.unwrap(),
            vec![Action::SendEmail {
                to: EmailTo::Client,
                custom_email: None,
                subject: "Hi".into(),
                body: "Quote {{quoteNumber}}".into()
            }]
        );
        let field_of = |r: Result<Vec<Action>, (String, String)>| r.unwrap_err().0;
        assert_eq!(
            field_of(check(
                "QUOTE_SENT",
                json!({"type": "send_email", "to": "custom", "subject": "a", "body": "b"})
            )),
            "actions[0].customEmail"
        );
        assert_eq!(
            field_of(check(
                "QUOTE_SENT",
                json!({"type": "send_email", "to": "custom", "customEmail": "nope", "subject": "a", "body": "b"})
            )),
            "actions[0].customEmail"
        );
        assert_eq!(
            field_of(check(
                "QUOTE_SENT",
                json!({"type": "send_email", "to": "boss", "subject": "a", "body": "b"})
            )),
            "actions[0].to"
        );
        assert_eq!(
            field_of(check(
                "QUOTE_SENT",
                json!({"type": "send_email", "to": "owner", "body": "b"})
            )),
            "actions[0].subject"
        );
        assert_eq!(
            field_of(check(
                "QUOTE_SENT",
                json!({"type": "send_notification", "body": "b"})
            )),
            "actions[0].title"
        );
        assert_eq!(
            field_of(check(
                "QUOTE_SENT",
                json!({"type": "change_status", "newStatus": "PAID"})
            )),
            "actions[0].newStatus"
        );
        assert!(check(
            "QUOTE_SENT",
            json!({"type": "change_status", "newStatus": "WON"})
        )
        .is_ok());
        assert_eq!(
            field_of(check(
                "DEAL_WON",
                json!({"type": "change_status", "newStatus": "WON"})
            )),
            "actions[0].type"
        );
        assert!(check(
            "QUOTE_SENT",
            json!({"type": "add_label", "labelId": "lbl_1"})
        )
        .is_ok());
        assert_eq!(
            field_of(check(
                "QUOTE_SENT",
                json!({"type": "add_label", "labelId": "lbl_2"})
            )),
            "actions[0].labelId"
        );
        assert_eq!(
            field_of(check(
                "QUOTE_SENT",
                json!({"type": "create_reminder", "delayMinutes": -5, "message": "m"})
            )),
            "actions[0].delayMinutes"
        );
        assert_eq!(
            field_of(check(
                "QUOTE_SENT",
                json!({"type": "fire_webhook", "url": "ftp://x"})
            )),
            "actions[0].url"
        );
        assert_eq!(
            field_of(check(
                "QUOTE_SENT",
                json!({"type": "fire_webhook", "url": "https://u:p@x.test/"})
            )),
            "actions[0].url"
        );
        assert_eq!(
            field_of(check(
                "QUOTE_SENT",
                json!({"type": "fire_webhook", "url": "https://x.test/", "headers": {"Bad Header": "v"}})
            )),
            "actions[0].headers"
        );
        assert_eq!(
            field_of(check("QUOTE_SENT", json!({"type": "teleport"}))),
            "actions[0].type"
        );
        let hook = check("QUOTE_SENT", json!({"type": "fire_webhook", "url": "https://hooks.example.test/a", "headers": {"Authorization": "Bearer t"}}))
            .unwrap();
        assert!(
            matches!(&hook[0], Action::FireWebhook { include_items: true, headers, .. } if headers["Authorization"] == "Bearer t")
        );
    }

    #[test]
    fn actions_round_trip_in_the_documents_shape() {
        let a = Action::FireWebhook {
            url: "https://x.test/h".into(),
            headers: Map::new(),
            include_items: false,
        };
        let v = serde_json::to_value(&a).unwrap();
        assert_eq!(
            v,
            json!({"type": "fire_webhook", "url": "https://x.test/h", "includeItems": false})
        );
        let back: Action = serde_json::from_value(v).unwrap();
        assert_eq!(back, a);
        let r: Action = serde_json::from_value(
            json!({"type": "create_reminder", "delayMinutes": 1440, "message": "m"}),
        )
        .unwrap();
        assert_eq!(
            r,
            Action::CreateReminder {
                delay_minutes: 1440,
                message: "m".into()
            }
        );
    }

    #[test]
    fn names_triggers_and_delays() {
        assert_eq!(validate_name(Some("  Big quote ")).unwrap(), "Big quote");
        assert!(validate_name(Some("")).is_err());
        assert!(validate_name(Some(&"x".repeat(101))).is_err());
        assert!(validate_name(Some(&"x".repeat(100))).is_ok());
        assert!(validate_name(None).is_err());
        assert!(validate_trigger(Some("QUOTE_SENT")).is_ok());
        assert!(validate_trigger(Some("quote_sent")).is_err());
        assert_eq!(validate_delay("delayMinutes", &Value::Null).unwrap(), 0);
        assert_eq!(validate_delay("delayMinutes", &json!(5)).unwrap(), 5);
        assert!(validate_delay("delayMinutes", &json!(1.5)).is_err());
        assert!(validate_delay("delayMinutes", &json!("5")).is_err());
    }

    #[test]
    fn placeholders_fill_from_the_snapshot() {
        assert_eq!(
            fill("Quote COT-{{quoteNumber}} for {{ client.contactName }}: {{total}} {{currency}}{{nope}}", &quote()),
            "Quote COT-42 for María López: 15000 MXN"
        );
        assert_eq!(
            fill("unclosed {{quoteNumber", &quote()),
            "unclosed {{quoteNumber"
        );
    }

    #[test]
    fn webhook_payload_has_the_documents_shape() {
        let p = webhook_payload("QUOTE_SENT", "2026-04-09T14:30:00.000Z", &quote(), true);
        assert_eq!(p["event"], "QUOTE_SENT");
        assert_eq!(p["timestamp"], "2026-04-09T14:30:00.000Z");
        assert_eq!(p["data"]["quote"]["quoteNumber"], 42);
        assert_eq!(p["data"]["quote"]["client"]["contactName"], "María López");
        assert_eq!(p["data"]["quote"]["items"][0]["model"], "SRV-001");
        let without = webhook_payload("QUOTE_SENT", "t", &quote(), false);
        assert!(without["data"]["quote"].get("items").is_none());
        assert_eq!(without["data"]["quote"]["total"], 15000);
        let deal = webhook_payload("DEAL_WON", "t", &json!({"title": "x"}), true);
        assert_eq!(deal["data"]["deal"]["title"], "x");
    }

    #[test]
    fn quote_totals_are_computed_from_lines() {
        assert_eq!(line_cents(1000, 3, 0), 3000);
        assert_eq!(line_cents(999, 1, 1000), 899); // 899.1 → 899
        assert_eq!(line_cents(995, 1, 5000), 498); // 497.5 → 498
        let t = QuoteTotals::compute(&[(1_300_000, 1, 0), (20_050, 4, 1000)], 150_000, 50_000);
        assert_eq!(t.subtotal_cents, 1_300_000 + 72_180);
        assert_eq!(t.total_cents, t.subtotal_cents + 200_000);
    }
}
