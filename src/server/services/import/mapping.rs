//! What each column of an imported file holds. A column is mapped to one [`Field`] (or
//! ignored); columns named as Pipedrive's and HubSpot's exports name them, or with the plain
//! English, Spanish or Portuguese word, are mapped on their own, and the reader can change any
//! of them before the import runs.

pub use crate::domain::import::Field;
use crate::domain::search::fold;

/// Column names and the field each stands for, folded (`domain::search::fold`): Pipedrive's
/// export ("Deal - Title"), HubSpot's ("Deal Name"), and plain words in English, Spanish and
/// Portuguese.
const NAMES: &[(&str, Field)] = &[
    // Pipedrive.
    ("deal - title", Field::DealTitle),
    ("deal - value", Field::DealValue),
    ("deal - currency", Field::DealCurrency),
    ("deal - currency of value", Field::DealCurrency),
    ("deal - stage", Field::DealStage),
    ("deal - status", Field::DealStatus),
    ("deal - expected close date", Field::DealExpectedClose),
    ("deal - owner", Field::DealOwner),
    ("deal - lost reason", Field::DealLostReason),
    ("deal - id", Field::DealExternalId),
    ("person - name", Field::ContactName),
    ("person - first name", Field::ContactFirstName),
    ("person - last name", Field::ContactLastName),
    ("person - email", Field::ContactEmail),
    ("person - phone", Field::ContactPhone),
    ("organization - name", Field::OrganizationName),
    ("deal - organization", Field::OrganizationName),
    ("deal - contact person", Field::ContactName),
    // HubSpot.
    ("deal name", Field::DealTitle),
    ("amount", Field::DealValue),
    ("deal stage", Field::DealStage),
    ("close date", Field::DealExpectedClose),
    ("deal owner", Field::DealOwner),
    ("closed lost reason", Field::DealLostReason),
    ("record id", Field::DealExternalId),
    ("associated contact", Field::ContactName),
    ("first name", Field::ContactFirstName),
    ("last name", Field::ContactLastName),
    ("email", Field::ContactEmail),
    ("phone number", Field::ContactPhone),
    ("associated company", Field::OrganizationName),
    ("company name", Field::OrganizationName),
    // Plain words (and Dealflow's own export).
    ("id", Field::DealExternalId),
    ("expected_close_date", Field::DealExpectedClose),
    ("expected close date", Field::DealExpectedClose),
    ("title", Field::DealTitle),
    ("deal", Field::DealTitle),
    ("value", Field::DealValue),
    ("currency", Field::DealCurrency),
    ("stage", Field::DealStage),
    ("status", Field::DealStatus),
    ("owner", Field::DealOwner),
    ("name", Field::ContactName),
    ("contact", Field::ContactName),
    ("e-mail", Field::ContactEmail),
    ("phone", Field::ContactPhone),
    ("organization", Field::OrganizationName),
    ("company", Field::OrganizationName),
    ("titulo", Field::DealTitle),
    ("negocio", Field::DealTitle),
    ("valor", Field::DealValue),
    ("moneda", Field::DealCurrency),
    ("moeda", Field::DealCurrency),
    ("etapa", Field::DealStage),
    ("estado", Field::DealStatus),
    ("responsable", Field::DealOwner),
    ("responsavel", Field::DealOwner),
    ("nombre", Field::ContactName),
    ("nome", Field::ContactName),
    ("contacto", Field::ContactName),
    ("contato", Field::ContactName),
    ("correo", Field::ContactEmail),
    ("telefono", Field::ContactPhone),
    ("telefone", Field::ContactPhone),
    ("empresa", Field::OrganizationName),
    ("organizacion", Field::OrganizationName),
    ("organizacao", Field::OrganizationName),
];

/// The field a column named `header` most likely holds; [`Field::Ignore`] when its name says
/// nothing known. Case, accents and edge spaces do not matter.
pub fn suggest(header: &str) -> Field {
    let name = fold(header.trim());
    NAMES
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, field)| *field)
        .unwrap_or(Field::Ignore)
}

/// A mapping for `headers`: each column's suggested field, a field given to one column only
/// (the first that asks for it).
pub fn suggest_all(headers: &[String]) -> Vec<Field> {
    let mut taken = Vec::new();
    headers
        .iter()
        .map(|h| {
            let field = suggest(h);
            if field == Field::Ignore || taken.contains(&field) {
                Field::Ignore
            } else {
                taken.push(field);
                field
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn pipedrives_export_maps_itself() {
        let headers = names(&[
            "Deal - ID",
            "Deal - Title",
            "Deal - Value",
            "Deal - Currency",
            "Deal - Stage",
            "Deal - Status",
            "Deal - Owner",
            "Deal - Expected close date",
            "Person - Name",
            "Person - Email",
            "Person - Phone",
            "Organization - Name",
            "Deal - Label",
        ]);
        assert_eq!(
            suggest_all(&headers),
            [
                Field::DealExternalId,
                Field::DealTitle,
                Field::DealValue,
                Field::DealCurrency,
                Field::DealStage,
                Field::DealStatus,
                Field::DealOwner,
                Field::DealExpectedClose,
                Field::ContactName,
                Field::ContactEmail,
                Field::ContactPhone,
                Field::OrganizationName,
                Field::Ignore,
            ]
        );
    }

    #[test]
    fn hubspots_export_and_plain_words_in_three_languages() {
        let headers = names(&[
            "Record ID",
            "Deal Name",
            "Amount",
            "Close Date",
            "Deal Stage",
            "First Name",
            "Last Name",
            "Email",
            "Company Name",
        ]);
        assert_eq!(
            suggest_all(&headers),
            [
                Field::DealExternalId,
                Field::DealTitle,
                Field::DealValue,
                Field::DealExpectedClose,
                Field::DealStage,
                Field::ContactFirstName,
                Field::ContactLastName,
                Field::ContactEmail,
                Field::OrganizationName,
            ]
        );
        assert_eq!(suggest("  Organização "), Field::OrganizationName);
        assert_eq!(suggest("TELÉFONO"), Field::ContactPhone);
        assert_eq!(suggest("Título"), Field::DealTitle);
        assert_eq!(suggest("Notes"), Field::Ignore);
    }

    #[test]
    fn a_field_goes_to_the_first_column_that_asks() {
        let headers = names(&["Email", "E-mail", "Name"]);
        assert_eq!(
            suggest_all(&headers),
            [Field::ContactEmail, Field::Ignore, Field::ContactName]
        );
    }

    #[test]
    fn fields_round_trip_their_keys() {
        for f in Field::ALL {
            assert_eq!(Field::parse(f.key()), Some(f));
        }
    }
}
