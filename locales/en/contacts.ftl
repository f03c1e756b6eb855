# Dealflow — English: Contacts, organizations and their related records.
# Every message id here exists in the same file of the other languages.

## Contacts
contact-heading = Contacts
contact-search-placeholder = Name, e-mail, phone, company
contact-search-label = Search contacts
contact-name = Name
contact-email = E-mail
contact-phone = Phone
contact-phone-field = Phone (+country code)
contact-phone-placeholder = +55 11 98765-4321
contact-company = Company
contact-open-deals = Open deals
contact-add = Add contact
contact-loading = Loading contacts…
contact-empty = No contacts yet. Add the first one above.
contact-no-match = No contact matches this search.
contact-pager = { $total } contacts · page { $page } of { $pages }
contact-loading-one = Loading the contact…
contact-load-failed = This contact could not be loaded.
contact-all = All contacts
# { $link } is the link "contact-another-contact" to the other contact.
contact-possible-duplicate = A lead brought this person in with the e-mail or phone of { $link }: possibly the same person.
contact-another-contact = another contact
contact-no-deals = No deals with this contact yet.
contact-edit = Edit contact
contact-organization = Organization
contact-no-organization = None

## Deals and activities of a contact or an organization
contact-related-deals = Deals
contact-related-activities = Activities
contact-related-no-activities = No activities yet.
contact-deal-open = open
contact-deal-won = won
contact-deal-lost = lost

## Organizations
org-heading = Organizations
org-search-placeholder = Name
org-search-label = Search organizations
org-name = Name
org-name-label = Organization name
org-contacts = Contacts
org-open-deals = Open deals
org-add = Add organization
org-loading = Loading organizations…
org-empty = No organizations yet. Add the first one above.
org-no-match = No organization matches this search.
org-pager = { $total } organizations · page { $page } of { $pages }
org-loading-one = Loading the organization…
org-load-failed = This organization could not be loaded.
org-all = All organizations
org-contacts-count =
    { $count ->
        [one] { $count } contact
       *[other] { $count } contacts
    }
org-open-deals-count =
    { $count ->
        [one] { $count } open deal
       *[other] { $count } open deals
    }
org-rename = Rename
org-people = People
org-no-contacts = No contacts at this organization yet; pick it on a contact's page.
org-no-deals = No deals with this organization yet.
