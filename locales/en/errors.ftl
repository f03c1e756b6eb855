# Dealflow — English: Why a value is refused, as forms show it (the JSON API answers with the
# same English sentences). Every message id here exists in the same file of the other languages.
# Names, values and keys in quotes are what the user typed: they are never translated.

## Required, lengths and numbers
err-required = is required
err-not-empty = must not be empty
err-length = must have { $min } to { $max } characters
err-too-long = must have at most { $max } characters
err-too-short = must have at least { $min } characters
err-chars = must be { $min }–{ $max } characters
err-required-chars = is required ({ $min }–{ $max } characters)
err-not-negative = must not be negative
err-range = must be from { $from } to { $to }
err-one-or-more = must be 1 or more
err-true-or-false = must be true or false
err-must-be-text = must be text
err-one-of = must be one of { $choices }

## Records missing from the account
err-no-such-deal = no such deal in this account
err-no-such-contact = no such contact in this account
err-no-such-stage = no such stage in this account
err-no-such-user = no such user in this account
err-no-such-label = no such label in this account
err-no-such-organization = no such organization in this account
err-no-such-product = no such product in this account
err-not-found-here = not found in this account

## Values of the wrong shape
err-not-a-number = "{ $value }" is not a number
err-not-a-date = "{ $value }" is not a date (YYYY-MM-DD)
err-not-a-date-time = "{ $value }" is not a date-time (YYYY-MM-DDTHH:MM)
err-not-an-email = "{ $value }" is not a valid e-mail address
err-invalid-email = is not a valid e-mail address
err-not-a-currency = "{ $value }" is not an ISO 4217 currency code
err-not-a-percentage = "{ $value }" is not a percentage

## Amounts
err-amount-empty = amount is empty
err-amount-decimals = amount has more than 2 decimals
err-amount-too-large = amount is too large (at most { $max })
err-amount-overflow = amount is too large
err-two-decimals = must have at most 2 decimals
err-line-total-too-large = the line total is too large

## Deals
err-visibility = must be 0, 1 or 2
err-temperature = must be 1 (cold), 2 (warm) or 3 (hot)
err-say-why-lost = say why the deal was lost
err-already-open = the deal is already open
err-too-many-attributes = a deal has at most { $max } custom attributes
err-user-deactivated = this user is deactivated
err-link-not-valid = this link has expired or was already used
err-not-current-password = is not your current password
err-already-a-user = already belongs to a user

## Pipelines and stages
err-other-stage = must be another stage of the same pipeline
err-stage-of-another-pipeline = does not match the stage's pipeline
err-pipeline-without-stages = the pipeline has no stages
err-primary-pipeline-without-stages = the primary pipeline has no stages
err-required-by-pipeline = is required by this pipeline
err-stage-key-shape = must have 1 to 50 lower-case letters, digits or underscores
err-stage-key-taken = "{ $key }" is already the key of another stage of this pipeline
err-rotting-days = must be from 1 to 365 days, or empty
err-each-stage-once = must name each of the pipeline's { $count } stages once
err-stage-has-deals =
    "{ $stage }" has { $count ->
        [one] { $count } deal
       *[other] { $count } deals
    }; choose the stage they move to

## Contacts, tags, lists and products
err-email-taken = { $name } already has the e-mail { $value }
err-phone-taken = { $name } already has the phone { $value }
err-tag-exists = there is already a tag "{ $name }"
err-organization-exists = there is already an organization "{ $name }"
err-lead-source-exists = "{ $name }" is already a lead source
err-already-in-list = "{ $name }" is already in the list
err-tracker-exists = "{ $code }" is already a tracker
err-no-longer-sold = "{ $name }" is no longer sold

## Quotes
err-add-an-item = add at least one item
err-too-many-items = a quote has at most { $max } items
err-no-products-to-quote = the deal has no products to quote; add products or write the quote by hand
err-client-without-email = the client has no e-mail address; add one to the deal's contact first

## Automations
err-at-least-one-action = at least one action is required
err-delay-range = must be a whole number of minutes from 0 to { $max }
err-needs-number = { $field } { $op } needs a number
err-needs-value = { $field } { $op } needs a value
err-field-is-one-of = { $field } is one of { $choices }
err-pick-a-deal = this trigger is about deals; pick a deal
err-pick-a-quote = this trigger is about quotes; pick a quote

## Webhooks
err-control-characters = must not contain control characters
err-not-a-url = is not a valid URL ({ $reason })
err-http-url = must start with http:// or https://
err-url-host = must name a host
err-choose-an-event = choose at least one event to send
err-webhook-limit = the account has { $count } webhooks, the most it may have; delete one to add another

## The names of input fields, as an error names the field at fault
field-title = Title
field-name = Name
field-full-name = Full name
field-value = Value
field-currency = Currency
field-stage-id = Stage
field-pipeline-id = Pipeline
field-contact-id = Contact
field-deal-id = Deal
field-user-id = User
field-product-id = Product
field-label-id = Label
field-email = E-mail
field-phone = Phone
field-password = Password
field-expected-close-date = Expected close date
field-lost-reason = Lost reason
field-close-notes = Closing notes
field-final-value = Final value
field-quality-rating = Lead quality
field-quality-reason = Quality reason
field-visibility = Visibility
field-temperature = Temperature
field-content = Note
field-kind = Type
field-due-at = Due
field-quantity = Quantity
field-unit-amount = Unit price
field-unit-price = Unit price
field-discount-pct = Discount %
field-product-name = Product
field-model = Model
field-items = Items
field-notes = Notes
field-valid-until = Valid until
field-client-email = Client e-mail
field-key = Key
field-probability = Probability
field-rotting-days = Rots after (days)
field-move-to = Move deals to
field-url = URL
field-events = Events
field-points = Points
field-identifier = Code
field-code = Code
field-target = Record
field-trigger = Trigger
field-conditions = Conditions
field-actions = Actions
field-status = Status
field-position = Position
field-time-zone = Time zone
field-default-country = Default country
field-role = Role
field-description = Description
err-wrong-code = is not the code of your authenticator app or one of your recovery codes
err-two-factor-required-here = this account requires two-factor sign-in
err-two-factor-yourself-first = set up two-factor sign-in for yourself first
err-sign-in-expired = this sign-in waited too long; sign in again
