# Dealflow — English: Automations: list, builder and run logs.
# Every message id here exists in the same file of the other languages.

## List
auto-title = Automations
auto-outbox = Outbox
auto-new = New automation
auto-loading = Loading automations…
auto-empty = No automations yet.
auto-empty-help = An automation runs actions — an e-mail, a notification, a webhook — when something happens to a quote or a deal.
auto-after-minutes = after { $minutes } min
auto-runs =
    { $count ->
        [one] { $count } run
       *[other] { $count } runs
    }
auto-on = On
auto-off = Off
auto-delete = Delete
auto-delete-confirm = Delete this automation and all its run logs? This cannot be undone.
auto-signatures = Webhook signatures
auto-signatures-help = Every webhook call carries X-Dealflow-Timestamp and X-Dealflow-Signature: sha256=HMAC-SHA256(secret, timestamp + "." + body). Check it to know a call is ours.
auto-show-secret = Show the signing secret

## Builder
auto-back = ← Automations
auto-edit = Edit automation
auto-loading-one = Loading…
auto-name = Name
auto-name-placeholder = Tell me about big quotes
auto-when = When
auto-wait = Wait (minutes)
auto-active = Active
auto-conditions = Only if all of these hold
auto-no-conditions = No conditions: it runs on every event.
auto-add-condition = + Add condition
auto-actions = Then, in this order
auto-no-actions = Add at least one action.
auto-saving = Saving…
auto-save = Save automation
auto-cancel = Cancel
auto-placeholders-help = Messages may use placeholders from the record, such as { "{{quoteNumber}}" }, { "{{total}}" }, { "{{client.contactName}}" } for quotes or { "{{title}}" }, { "{{value}}" }, { "{{stage}}" } for deals.
# A save refused for one row: "Condition 2, value — needs a number".
auto-error-condition = Condition { $n }, { $part } — { $message }
auto-error-action = Action { $n }, { $part } — { $message }
auto-error-not-an-automation = is not an automation ({ $error })
auto-error-not-a-list = is not a JSON list
auto-error-enter-number = enter a number

## Conditions
auto-field = Field
auto-operator = Operator
auto-value = Value
auto-choose = choose…
auto-choose-stage = choose a stage…
auto-any-item = (any item)
auto-remove = Remove
auto-op-eq = is
auto-op-neq = is not
auto-op-gt = greater than
auto-op-lt = less than
auto-op-gte = at least
auto-op-lte = at most
auto-op-contains = contains
auto-op-starts-with = starts with
auto-op-is-empty = is empty
auto-op-is-not-empty = is not empty

## Triggers
auto-trigger-quote-created = A quote was created
auto-trigger-quote-sent = A quote was sent to the client
auto-trigger-quote-viewed = The client viewed the quote in the portal
auto-trigger-quote-accepted = The client accepted the quote
auto-trigger-quote-rejected = The client rejected the quote
auto-trigger-quote-won = The quote was marked won
auto-trigger-quote-lost = The quote was marked lost
auto-trigger-quote-expiring = The quote expires within 24 hours
auto-trigger-deal-created = A deal was created
auto-trigger-deal-stage-changed = A deal moved to another stage
auto-trigger-deal-won = A deal was won
auto-trigger-deal-lost = A deal was lost
auto-trigger-activity-completed = An activity of a deal was completed

## Fields conditions test
auto-field-status = Status
auto-field-currency = Currency
auto-field-total = Total
auto-field-subtotal = Subtotal
auto-field-tax = Tax
auto-field-shipping-cost = Shipping cost
auto-field-view-count = View count
auto-field-quote-number = Quote number
auto-field-notes = Notes
auto-field-client-contact-name = Client contact name
auto-field-client-company-name = Client company name
auto-field-client-email = Client e-mail
auto-field-client-phone = Client phone
auto-field-item-product-name = Any item: product name
auto-field-item-model = Any item: model
auto-field-item-unit-price = Any item: unit price
auto-field-item-quantity = Any item: quantity
auto-field-item-discount = Any item: discount %
auto-field-title = Title
auto-field-value = Value
auto-field-stage = Stage (key)
auto-field-previous-stage = Previous stage (key)
auto-field-pipeline = Pipeline
auto-field-probability = Probability %
auto-field-temperature = Temperature (1–3)
auto-field-quality-rating = Quality rating (1–5)
auto-field-owner-email = Owner e-mail
auto-field-contact-name = Contact name
auto-field-contact-email = Contact e-mail
auto-field-organization = Organization
auto-field-lead-source = Lead source
auto-field-lost-reason = Lost reason
auto-field-activity-type = Completed activity type

## Values of select fields
auto-quote-status-generated = GENERATED
auto-quote-status-sent = SENT
auto-quote-status-accepted = ACCEPTED
auto-quote-status-rejected = REJECTED
auto-quote-status-won = WON
auto-quote-status-lost = LOST
auto-deal-status-open = open
auto-deal-status-won = won
auto-deal-status-lost = lost
auto-activity-call = call
auto-activity-meeting = meeting
auto-activity-email = email
auto-activity-task = task
auto-activity-note = note

## Actions
auto-action-send-email = Send an e-mail
auto-action-notify-quote-creator = Notify the quote's creator in the app
auto-action-notify-deal-owner = Notify the deal's responsible user in the app
auto-action-change-status = Change the quote's status
auto-action-add-label = Add a label to the quote
auto-action-create-reminder = Create a follow-up reminder
auto-action-fire-webhook = Call a webhook
auto-owner-quote = the quote's creator (else the deal's responsible user)
auto-owner-deal = the deal's responsible user (else who created the deal)
auto-move-up = Move up
auto-move-down = Move down
auto-to = To
auto-to-client = the client
auto-to-custom = another address
auto-email-address = E-mail address
auto-subject = Subject
auto-message = Message
auto-notify-whom = Goes to { $whom }, in the app.
auto-notification-title = Title
auto-details = Details (optional)
auto-new-status = New status
auto-no-labels = The account has no labels yet.
auto-label = Label
auto-due-after = Due after (minutes)
auto-reminder = Reminder
auto-webhook-url = URL (POST)
auto-webhook-headers = Extra headers, one "Name: value" a line
auto-include-items = Include the quote's items

## Dry run
auto-try = Try it
auto-try-help = Checks the conditions against a record without running any action.
auto-try-quote-number = Quote number
auto-try-deal-id = Deal id
auto-try-no-conditions = No conditions: it would run.
auto-try-pass = All conditions pass: it would run.
auto-try-fail = Some conditions fail: it would not run.
auto-try-record = record: { $actual }

## Run log
auto-logs-status = Status
auto-logs-all = all
auto-logs-filter = Filter
auto-logs-loading = Loading runs…
auto-logs-title = Runs of “{ $name }”
auto-logs-empty = No runs yet.
auto-logs-triggered = Triggered
auto-logs-finished = Finished
auto-logs-for = For
auto-logs-error = Error
auto-logs-quote = Quote #{ $number }
auto-logs-pager =
    Page { $page } of { $pages } · { $count ->
        [one] { $count } run
       *[other] { $count } runs
    }
auto-run-triggered = TRIGGERED
auto-run-completed = COMPLETED
auto-run-failed = FAILED
auto-pages = Pages
auto-newer = ← Newer
auto-older = Older →
auto-page-of = Page { $page } of { $pages }

## Outbox
auto-outbox-loading = Loading e-mails…
auto-outbox-empty = No e-mails yet. Quotes sent and automations write here.
auto-outbox-to = to { $to }
auto-outbox-queued = queued
auto-outbox-kept = kept
auto-outbox-sent = sent
auto-outbox-failed = failed
auto-outbox-secret = (This message holds a personal link and is not shown.)
