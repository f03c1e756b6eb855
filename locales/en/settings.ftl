# Dealflow — English: Settings: pipelines, catalog, team, API keys and webhooks.
# Every message id here exists in the same file of the other languages.

## Shared
set-title = Settings
set-loading = Loading settings…
set-read-only = Only owners and admins can change settings; you can look.
set-name = Name
set-add = Add
set-save = Save
set-rename = Rename
set-remove = Remove
set-delete = Delete
set-api-reference = API reference

## Lost reasons, points, phone numbers
set-lost-reasons = Lost reasons
set-lost-reasons-empty = No lost reasons yet; salespeople type their own.
set-new-reason = New reason
set-new-lost-reason = New lost reason
set-points = Points per completed activity
set-points-for = Points for { $kind }
set-activity-call = call
set-activity-meeting = meeting
set-activity-email = email
set-activity-task = task
set-activity-note = note
set-error-not-whole-number = "{ $value }" is not a whole number
set-phones = Phone numbers
set-default-country = Country of numbers typed without a country code
set-default-country-help = Two letters (BR, MX, US…); empty: numbers need their country code (+55…).

## Pipelines and stages
set-pipelines = Pipelines and stages
set-pipelines-loading = Loading pipelines…
set-new-pipeline = New pipeline
set-new-pipeline-name = New pipeline name
set-add-pipeline = Add pipeline
set-pipeline-name = Pipeline name
set-primary = primary
set-delete-pipeline = Delete pipeline
set-delete-pipeline-confirm = Delete this pipeline and its stages?
set-delete-pipeline-has-deals = Move or delete its deals first
set-drag-to-reorder = Drag to reorder
set-stage-key = Key
set-stage-probability = Probability %
set-stage-rotting = Rots after (days)
set-stage-deals =
    { $count ->
        [one] { $count } deal
       *[other] { $count } deals
    }
set-stage-move-up = Move { $stage } up
set-stage-move-down = Move { $stage } down
set-delete-stage-confirm = Delete this stage?
set-move-deals-to = Move its deals to
set-move-deals-choose = Move deals to…
set-last-stage = A pipeline needs at least one stage
set-new-stage = New stage
set-new-stage-name = New stage name
set-new-stage-probability = New stage probability
set-add-stage = Add stage

## Tags and products
set-catalog-loading = Loading tags and products…
set-tags = Tags
set-tags-empty = No tags yet.
set-tag-name = Tag name
set-new-tag = New tag
set-delete-tag-confirm = Delete this tag? Deals lose it.
set-error-tag-op = "{ $op }" is not add, rename or delete
set-products = Products
set-products-empty = No products yet; add what you sell to put it on deals.
set-product-retire = Retire
set-product-restore = Restore
set-add-product = Add product
set-product-code = Code
set-product-price = Unit price
set-product-currency = Currency

## Users
set-users = Users
set-users-loading = Loading users…
set-user-deactivated = deactivated
set-role = Role
set-role-of = Role of { $name }
set-role-sales = Sales
set-role-admin = Admin
set-role-owner = Owner
set-change = Change
set-user-access-confirm = Change this user's access?
set-user-deactivate = Deactivate
set-user-reactivate = Reactivate
set-email = E-mail
set-first-password = First password
set-add-user = Add user
set-error-user-op = "{ $op }" is not role, deactivate or activate

## API keys
set-api-keys = API keys
set-api-keys-help = Keys let other systems use the JSON API.
set-api-keys-loading = Loading keys…
set-api-keys-empty = No API keys yet.
set-api-key-only-from = only from { $domain }
set-api-key-last-used = last used { $when }
set-api-key-never-used = never used
set-api-key-revoked = revoked
set-api-key-revoke = Revoke
set-api-key-revoke-confirm = Revoke this key? Systems using it stop working.
set-api-key-copy-now = Copy this key now; it is not shown again:
set-api-key-done = Done: show it in the list
set-api-key-name-placeholder = Website form
set-api-key-domain = Allowed domain (optional)
set-api-key-create = Create key
set-api-key-scopes = Scopes
set-scope-opportunities-read = read opportunities and stages
set-scope-opportunities-write = create, change and close opportunities
set-scope-activities-read = read activities
set-scope-activities-write = create and complete activities
set-scope-deals-read = read deals (accounts API)
set-scope-deals-write = create and change deals, lead intake
set-scope-contacts-read = read contacts and organizations
set-scope-contacts-write = create and change contacts and organizations
set-scope-users-read = read the team's users
set-scope-users-write = add users, change roles, turn users off (as the key's creator)
set-scope-config-manage = change pipelines, catalogs, settings and webhooks
set-scope-all = everything

## Webhooks
set-webhooks = Webhooks
set-webhooks-help = Other systems hear about changes as they happen: each event is POSTed as JSON to the URL, in order, signed with the webhook's secret (X-Dealflow-Signature). Failed calls are tried again; after 10 failed deliveries in a row the webhook is turned off and you are notified.
set-webhooks-loading = Loading webhooks…
set-webhooks-empty = No webhooks yet.
set-webhook-active = active
set-webhook-off = off
set-webhook-failures = { $count } failed in a row
set-webhook-turned-off = Turned off { $when }: { $reason }.
set-webhook-turned-off-help = Fix the receiver, send a test event, then turn it on.
set-webhook-events = Events: { $events }
set-webhook-secret = Signing secret
set-webhook-send-test = Send test event
set-webhook-sending = Sending…
set-webhook-test-queued = Test event queued.
set-webhook-turn-off = Turn off
set-webhook-turn-on = Turn on
set-webhook-delete-confirm = Delete this webhook? Its deliveries log goes too, and waiting events are not sent.
set-webhook-more = The latest { $shown } of { $total } deliveries (all of them: GET /v1/webhooks/{ $id }/deliveries).
set-webhook-url = URL
set-webhook-add = Add webhook
set-webhook-adding = Adding…
set-webhook-added = Webhook added.
set-webhook-events-legend = Events
set-error-not-an-event = "{ $name }" is not an event
set-deliveries = Recent deliveries
set-deliveries-empty = No deliveries yet.
set-delivery-time = Time
set-delivery-event = Event
set-delivery-status = Status
set-delivery-http = HTTP
set-delivery-tries = Tries
set-delivery-error = Error
set-delivery-pending = pending
set-delivery-delivered = delivered
set-delivery-failed = failed
set-delivery-retrying = retrying at { $when }
set-delivery-test = (test)
set-event-deal-created = a deal was created
set-event-deal-updated = a deal's fields, people or products changed
set-event-deal-stage-changed = a deal moved to another stage
set-event-deal-won = a deal was won
set-event-deal-lost = a deal was lost
set-event-deal-reopened = a won or lost deal was reopened
set-event-deal-deleted = a deal was deleted
set-event-contact-created = a contact was created
set-event-contact-updated = a contact was changed
set-event-contact-deleted = a contact was deleted
set-event-organization-created = an organization was created
set-event-organization-updated = an organization was renamed
set-event-organization-deleted = an organization was deleted
set-event-activity-completed = an activity was completed
set-event-quote-created = a quote was created
set-event-quote-sent = a quote was sent to the client
set-event-quote-viewed = the client opened a quote
set-event-quote-accepted = the client accepted a quote
set-event-quote-rejected = the client rejected a quote
set-event-quote-won = a quote was marked won
set-event-quote-lost = a quote was marked lost
set-event-quote-expiring = a quote expires within 24 hours
set-sections = Settings sections

## Invitations
set-invite-title = Invite by e-mail
set-invite-intro = They get a link, valid for 7 days, to choose their name and password.
set-invite-send = Send invitation
set-invite-none = No invitations waiting.
set-invite-expired = expired
set-invite-until = link valid until { $date }
set-invite-by = invited by { $name }
set-invite-resend = Send again
set-invite-revoke = Revoke
set-invite-revoke-confirm = Revoke this invitation? Its link stops working.

## Keys of deactivated users
set-api-key-by = made by { $name }
set-api-key-by-deactivated = made by { $name }, deactivated: it still works until revoked
set-user-live-keys = { $count ->
    [one] one API key they made still works
   *[other] { $count } API keys they made still work
}

## What is kept
set-kept = What is kept
set-kept-intro = Finished background work is deleted after the days below: run logs of automations, webhook deliveries, e-mails sent and the files of finished imports. Expired sessions and used or expired links go at once.
set-kept-days = Days to keep
set-kept-jobs = { $count ->
    [one] one finished background job
   *[other] { $count } finished background jobs
}
set-kept-logs = { $count ->
    [one] one automation run log
   *[other] { $count } automation run logs
}
set-kept-deliveries = { $count ->
    [one] one webhook delivery
   *[other] { $count } webhook deliveries
}
set-kept-emails = { $count ->
    [one] one e-mail in the outbox
   *[other] { $count } e-mails in the outbox
}
set-kept-always = Deals, people, activities, notes and the timeline are never deleted by this.

## Audit log
audit-title = Audit log
audit-back = Back to settings
audit-intro = Who did what to the account's people, access and configuration, when and from which address. Owners and admins see it; nothing here can be edited.
audit-action = Action
audit-any = Any action
audit-user = User
audit-anyone = Anyone
audit-from = From
audit-to = To
audit-filter = Filter
audit-csv = Download CSV
audit-older = Older entries
audit-none = Nothing recorded for this filter.
audit-when = When
audit-who = Who
audit-what = What
audit-address = Address
audit-via-key = { $who } through API key { $key }
audit-key = API key { $key }
audit-system = Dealflow
set-user-two-factor = two-factor
set-user-clear-two-factor = Clear two-factor
set-user-clear-two-factor-confirm = Clear this user's two-factor sign-in? Their sessions end; they set it up again (required if the account requires it).
set-two-factor-title = Two-factor sign-in for everyone
set-two-factor-intro = When it is required, everyone signs in with a code from an authenticator app; those who have not set it up do so at their next sign-in.
set-two-factor-on-confirm = Require two-factor sign-in? Everyone who has not set it up is signed out now and sets it up at their next sign-in.
set-two-factor-off-confirm = Make two-factor sign-in optional? Each user may then turn theirs off.
set-two-factor-is-required = Required for everyone.
set-two-factor-is-optional = Optional: each user decides.
set-two-factor-make-optional = Make optional
set-two-factor-require = Require it
audit-action-signed_in = Signed in
audit-action-sign_in_failed = Failed sign-in
audit-action-code_refused = Two-factor code refused
audit-action-password_changed = Password changed
audit-action-password_reset = Password reset by link
audit-action-two_factor_on = Two-factor sign-in on
audit-action-two_factor_off = Two-factor sign-in off
audit-action-two_factor_cleared = Two-factor sign-in cleared
audit-action-recovery_codes_renewed = New recovery codes
audit-action-two_factor_required = Two-factor sign-in required
audit-action-two_factor_optional = Two-factor sign-in optional
audit-action-invitation_sent = Invitation sent
audit-action-invitation_resent = Invitation sent again
audit-action-invitation_revoked = Invitation revoked
audit-action-invitation_accepted = Invitation accepted
audit-action-user_added = User added
audit-action-role_changed = Role changed
audit-action-user_deactivated = User deactivated
audit-action-user_reactivated = User reactivated
audit-action-api_key_created = API key created
audit-action-api_key_revoked = API key revoked
audit-action-automation_created = Automation created
audit-action-automation_changed = Automation changed
audit-action-automation_deleted = Automation deleted
audit-action-pipeline_created = Pipeline created
audit-action-pipeline_changed = Pipeline renamed
audit-action-pipeline_deleted = Pipeline deleted
audit-action-stage_created = Stage added
audit-action-stage_changed = Stage changed
audit-action-stage_deleted = Stage deleted
audit-action-stages_reordered = Stages reordered
audit-action-deal_deleted = Deal deleted
audit-action-import_started = Import started
audit-action-import_finished = Import finished
audit-action-retention_changed = Retention changed
audit-action-currencies_changed = Currencies changed
set-probability-source = Probabilities used by the forecast and weighted totals
set-probability-configured = Configured on each stage
set-probability-learned = Learned from closed deals
set-probability-explained = A learned probability is the share of the deals that reached the stage and were closed in the last 12 months that were won. A stage uses it once it rests on { $min } closed deals; until then its configured probability is used.
set-learned = Learned: { $percent }% ({ $won } won of { $closed } closed)
set-learned-too-few = Learned: { $percent }% from only { $closed } closed — { $min } needed
set-learned-none = Learned: no closed deals yet
set-learned-in-use = in use
set-currencies = Currencies
set-currencies-intro = Board totals, reports and the leaderboard are in the base currency. Deals in other currencies convert at the rate of the day they closed (today while open): the last rate given on or before that day. Without one they are left out of the sums, and the page says so.
set-base-currency = Base currency (ISO 4217)
set-rates-none = No exchange rates yet.
set-rate-currency = Currency
set-rate-day = From
set-rate = Rate
set-rate-save = Set rate
set-rate-delete-confirm = Delete this rate? Deals of its days convert at the rate before it, or not at all.
