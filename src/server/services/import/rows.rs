//! One row of an imported file read into what it brings — a deal, a contact, an organization,
//! or any of them together — each value checked by the rules the pages and the API apply
//! (titles, amounts with at most two decimals, currencies, e-mails, phone numbers read in the
//! account's country, dates in the form the mapping names). A row that breaks one is refused
//! with the column's field and the reason.

use chrono::NaiveDate;

use crate::domain::money::parse_amount;
use crate::domain::search::fold;
use crate::domain::{deal_rules, DealStatus, Problem};
use crate::server::error::ServiceError;
use crate::server::services::contacts::{self, NewContact};

pub use crate::domain::import::DateFormat;
use crate::domain::import::Field;

/// How a row is read: its columns' fields, the date form, whether amounts use a decimal comma
/// (`1.200,50`), and the account's country for national phone numbers.
#[derive(Debug, Clone, Default)]
pub struct Reading {
    pub mapping: Vec<Field>,
    pub dates: DateFormat,
    pub decimal_comma: bool,
    pub country: Option<String>,
}

/// What a row brings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RowValues {
    pub deal: Option<DealValues>,
    pub contact: Option<NewContact>,
    pub organization: Option<String>,
}

/// A deal's values as the row gives them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DealValues {
    pub title: String,
    pub value_cents: Option<i64>,
    pub currency: Option<String>,
    /// A stage's name or key, matched in the chosen pipeline.
    pub stage: Option<String>,
    pub status: Option<DealStatus>,
    pub expected_close: Option<NaiveDate>,
    /// A user's e-mail or name.
    pub owner: Option<String>,
    pub lost_reason: Option<String>,
    pub external_id: Option<String>,
}

/// Why a row is refused: the field at fault and the reason.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub field: Field,
    pub message: Problem,
}

fn refuse(field: Field, message: impl Into<Problem>) -> Refusal {
    Refusal {
        field,
        message: message.into(),
    }
}

/// `open`, `won` or `lost` as exports write them (Pipedrive's "Won", HubSpot's "Closed won",
/// `closedwon`, the Spanish and Portuguese words).
fn status(text: &str) -> Option<DealStatus> {
    let word: String = fold(text).chars().filter(|c| c.is_alphanumeric()).collect();
    Some(match word.as_str() {
        "open" | "abierto" | "aberto" | "aberta" => DealStatus::Open,
        "won" | "closedwon" | "ganado" | "ganho" | "ganha" => DealStatus::Won,
        "lost" | "closedlost" | "perdido" | "perdida" => DealStatus::Lost,
        _ => return None,
    })
}

/// Reads `row` (its cells in column order) as `reading` says.
pub fn read(row: &[String], reading: &Reading) -> Result<RowValues, Refusal> {
    let cell = |field: Field| -> Option<&str> {
        reading
            .mapping
            .iter()
            .position(|f| *f == field)
            .and_then(|i| row.get(i))
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    };
    let mut values = RowValues {
        organization: cell(Field::OrganizationName).map(str::to_string),
        ..RowValues::default()
    };
    if let Some(name) = &values.organization {
        if name.chars().count() > 200 {
            return Err(refuse(
                Field::OrganizationName,
                Problem::TooLong { max: 200 },
            ));
        }
    }

    let name = match (
        cell(Field::ContactName),
        cell(Field::ContactFirstName),
        cell(Field::ContactLastName),
    ) {
        (Some(name), _, _) => Some(name.to_string()),
        (None, first, last) => {
            let joined = [first, last]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            (!joined.is_empty()).then_some(joined)
        }
    };
    let email = cell(Field::ContactEmail);
    let phone = cell(Field::ContactPhone);
    if name.is_some() || email.is_some() || phone.is_some() {
        let Some(full_name) = name.or_else(|| email.map(str::to_string)) else {
            return Err(refuse(Field::ContactName, Problem::Required));
        };
        let new = NewContact {
            full_name,
            email: email.map(str::to_string),
            phone: phone.map(str::to_string),
            organization_id: None,
        };
        values.contact = Some(
            contacts::normalized(&new, reading.country.as_deref()).map_err(|e| match e {
                ServiceError::Validation { field, message } => refuse(
                    match field.as_str() {
                        "email" => Field::ContactEmail,
                        "phone" => Field::ContactPhone,
                        _ => Field::ContactName,
                    },
                    message,
                ),
                other => refuse(Field::ContactName, other.to_string()),
            })?,
        );
    }

    let deal_fields = [
        Field::DealTitle,
        Field::DealValue,
        Field::DealCurrency,
        Field::DealStage,
        Field::DealStatus,
        Field::DealExpectedClose,
        Field::DealOwner,
        Field::DealLostReason,
    ];
    // An id alone (a contacts export's `id`) brings no deal.
    if deal_fields.into_iter().any(|f| cell(f).is_some()) {
        let title = match cell(Field::DealTitle) {
            Some(t) => deal_rules::title(t).map_err(|e| refuse(Field::DealTitle, e.message))?,
            None => return Err(refuse(Field::DealTitle, Problem::Required)),
        };
        let value_cents = cell(Field::DealValue)
            .map(|v| {
                let v = if reading.decimal_comma {
                    v.replace('.', "").replace(',', ".")
                } else {
                    v.to_string()
                };
                parse_amount(&v).and_then(|c| deal_rules::value(c).map_err(|e| e.message))
            })
            .transpose()
            .map_err(|p| refuse(Field::DealValue, p))?;
        let currency = cell(Field::DealCurrency)
            .map(|c| {
                deal_rules::currency_code(c).map_err(|e| refuse(Field::DealCurrency, e.message))
            })
            .transpose()?;
        let status = cell(Field::DealStatus)
            .map(|s| {
                status(s).ok_or_else(|| {
                    refuse(Field::DealStatus, Problem::one_of(&["open", "won", "lost"]))
                })
            })
            .transpose()?;
        let expected_close = cell(Field::DealExpectedClose)
            .map(|d| {
                reading.dates.parse(d).ok_or_else(|| {
                    refuse(
                        Field::DealExpectedClose,
                        Problem::NotADate {
                            value: d.to_string(),
                        },
                    )
                })
            })
            .transpose()?;
        let lost_reason = cell(Field::DealLostReason).map(str::to_string);
        if status == Some(DealStatus::Lost) {
            deal_rules::lost_reason(lost_reason.as_deref().unwrap_or("Imported"))
                .map_err(|e| refuse(Field::DealLostReason, e.message))?;
        }
        values.deal = Some(DealValues {
            title,
            value_cents,
            currency,
            stage: cell(Field::DealStage).map(str::to_string),
            status,
            expected_close,
            owner: cell(Field::DealOwner).map(str::to_string),
            lost_reason,
            external_id: cell(Field::DealExternalId).map(str::to_string),
        });
    }
    if values.deal.is_none() && values.contact.is_none() && values.organization.is_none() {
        return Err(refuse(Field::Ignore, "the row holds nothing to import"));
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(mapping: &[Field]) -> Reading {
        Reading {
            mapping: mapping.to_vec(),
            country: Some("BR".into()),
            ..Reading::default()
        }
    }

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    const PIPEDRIVE: [Field; 8] = [
        Field::DealTitle,
        Field::DealValue,
        Field::DealStatus,
        Field::DealExpectedClose,
        Field::ContactName,
        Field::ContactEmail,
        Field::ContactPhone,
        Field::OrganizationName,
    ];

    #[test]
    fn a_full_row_reads_into_a_deal_a_contact_and_an_organization() {
        let got = read(
            &row(&[
                "Acme renewal",
                "1,200.50",
                "Won",
                "2026-03-31 00:00:00",
                "Érica Núñez",
                "Erica@Acme.test",
                "(11) 98765-4321",
                "Acme, Inc.",
            ]),
            &reading(&PIPEDRIVE),
        )
        .unwrap();
        let deal = got.deal.unwrap();
        assert_eq!(
            (deal.title.as_str(), deal.value_cents, deal.status),
            ("Acme renewal", Some(120_050), Some(DealStatus::Won))
        );
        assert_eq!(deal.expected_close, NaiveDate::from_ymd_opt(2026, 3, 31));
        let contact = got.contact.unwrap();
        assert_eq!(contact.email.as_deref(), Some("erica@acme.test"));
        assert_eq!(contact.phone.as_deref(), Some("+5511987654321"));
        assert_eq!(got.organization.as_deref(), Some("Acme, Inc."));
    }

    #[test]
    fn bad_values_name_their_field() {
        let r = reading(&PIPEDRIVE);
        let cases = [
            (row(&["", "10", "", "", "", "", "", ""]), Field::DealTitle),
            (
                row(&["Deal", "12.345", "", "", "", "", "", ""]),
                Field::DealValue,
            ),
            (
                row(&["Deal", "", "maybe", "", "", "", "", ""]),
                Field::DealStatus,
            ),
            (
                row(&["Deal", "", "", "31/03/2026", "", "", "", ""]),
                Field::DealExpectedClose,
            ),
            (
                row(&["", "", "", "", "Ana", "not-an-email", "", ""]),
                Field::ContactEmail,
            ),
            (
                row(&["", "", "", "", "Ana", "", "call me", ""]),
                Field::ContactPhone,
            ),
            (row(&["", "", "", "", "", "", "", ""]), Field::Ignore),
        ];
        for (cells, field) in cases {
            assert_eq!(
                read(&cells, &r).map(|_| ()).unwrap_err().field,
                field,
                "{cells:?}"
            );
        }
    }

    #[test]
    fn dates_and_amounts_in_the_forms_the_mapping_names() {
        assert_eq!(
            DateFormat::DayMonthYear.parse("31/03/2026"),
            NaiveDate::from_ymd_opt(2026, 3, 31)
        );
        assert_eq!(
            DateFormat::MonthDayYear.parse("03/31/2026"),
            NaiveDate::from_ymd_opt(2026, 3, 31)
        );
        assert_eq!(DateFormat::MonthDayYear.parse("31/03/2026"), None);
        let mut r = reading(&[Field::DealTitle, Field::DealValue]);
        r.decimal_comma = true;
        let got = read(&row(&["Negócio", "1.200,50"]), &r).unwrap();
        assert_eq!(got.deal.unwrap().value_cents, Some(120_050));
    }

    #[test]
    fn first_and_last_names_make_the_name() {
        let r = reading(&[
            Field::ContactFirstName,
            Field::ContactLastName,
            Field::ContactEmail,
        ]);
        let got = read(&row(&["João", "Santos", ""]), &r).unwrap();
        assert_eq!(got.contact.unwrap().full_name, "João Santos");
        assert!(got.deal.is_none());
    }
}
