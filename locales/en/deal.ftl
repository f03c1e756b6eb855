# Dealflow — English: The deal page: header, stage, details, notes, links, products and quotes.
# Every message id here exists in the same file of the other languages.


## Page and header
deal-loading = Loading the deal…
deal-load-failed = This deal could not be loaded.
deal-back-to-pipeline = Back to the pipeline
deal-status-open = open
deal-status-won = won
deal-status-lost = lost
deal-stage = Stage
deal-stage-move = Move
deal-stage-moving = Moving…
deal-stage-changed = Stage changed.

## Details
deal-details = Details
deal-title = Title
deal-value = Value
deal-currency = Currency
deal-expected-close = Expected close
deal-responsible = Responsible
deal-nobody = Nobody
deal-organization = Organization
deal-no-organization = None
deal-lead-source = Lead source
deal-lead-source-unknown = Unknown
deal-temperature = Temperature
deal-temperature-not-set = Not set
deal-temperature-cold = Cold
deal-temperature-warm = Warm
deal-temperature-hot = Hot
deal-visibility = Visibility
deal-visibility-owner = Owner only
deal-visibility-team = Owner's team
deal-visibility-everyone = Everyone
deal-quality-rating = Quality rating
deal-not-rated = Not rated
deal-quality-reason = Quality reason
deal-save = Save
deal-saving = Saving…
deal-saved = Saved.
deal-marketing = Marketing
deal-activities = Activities
deal-no-activities = No activities planned for this deal.

## Outcome
deal-final-value = Final value
deal-close-notes = Close notes
deal-mark-won = Mark won
deal-lost-reason = Lost reason
deal-choose-reason = Choose a reason
deal-other-reason = Or in your words
deal-mark-lost = Mark lost
deal-won-on = Won on { $date } for { $value }.
deal-lost-on = Lost on { $date }: { $reason }
deal-reopen = Reopen

## Notes and history
deal-notes-history = Notes and history
deal-note = Note
deal-note-placeholder = Write a note…
deal-note-add = Add note
deal-note-pin = Pin
deal-note-unpin = Unpin
deal-note-delete = Delete
deal-note-delete-confirm = Delete this note?
deal-timeline-empty = Nothing has happened yet.
# $kind is the activity's kind: call, meeting, email, task or note.
deal-timeline-completed = Completed { $kind }: { $title }

## People, team, tags and custom attributes
deal-add = Add
deal-remove = remove
deal-people = People
deal-no-people = No contact on this deal yet.
deal-primary = primary
deal-make-primary = make primary
deal-add-contact = Add a contact…
# { $link } is the link whose text is deal-no-contacts-link.
deal-no-contacts = No contacts yet: { $link }.
deal-no-contacts-link = add one
deal-assignees = Assignees
deal-assign-someone = Assign someone…
deal-followers = Followers
deal-follow = Follow
deal-unfollow = Unfollow
deal-add-follower = Add a follower…
deal-nobody-yet = Nobody yet.
deal-tags = Tags
deal-no-tags = No tags.
deal-add-tag = Add a tag…
# { $link } is the link whose text is deal-settings-link.
deal-tags-in-settings = Owners and admins define tags in { $link }.
deal-settings-link = settings
deal-attributes = Custom attributes
deal-attributes-none = None yet.
deal-attribute-remove = Remove { $key }
deal-attribute-key = Attribute key
deal-attribute-key-placeholder = key
deal-attribute-value = Attribute value
deal-attribute-value-placeholder = value
deal-attribute-set = Set

## Products
deal-products = Products
deal-no-products = No products on this deal.
deal-product = Product
deal-qty = Qty
deal-unit = Unit
deal-total = Total
deal-remove-product = Remove { $name }
deal-products-total = Products total
# { $link } is the link whose text is deal-settings-link.
deal-catalog-empty = The catalog has no products yet; owners and admins add them in { $link }.
deal-choose-product = Choose a product
deal-unit-amount = Unit amount
deal-catalog-price = catalog price

## Quotes on the deal
deal-quotes = Quotes
deal-quotes-from-products = Create from deal products
deal-quotes-from-products-title = One item per product line of this deal
deal-quotes-need-products = Add products to the deal first
deal-quotes-empty = No quotes for this deal yet.
deal-quotes-views = Views
deal-quotes-until = until { $date }
deal-quotes-new-by-hand = New quote by hand
deal-quotes-create = Create quote

## Errors
deal-error-choose-from-list = choose one from the list
deal-error-choose-product = choose a product
deal-error-unknown-link = unknown link "{ $kind }"
deal-error-unknown-operation = unknown operation "{ $op }"

## Timeline events
timeline-opened = Deal opened in { $stage }
timeline-opened-first = Deal opened in its first stage
timeline-stage-changed = Stage changed: { $from } → { $to }
timeline-won = Marked won
timeline-won-value = Marked won (final value { $value })
timeline-lost = Marked lost: { $reason }
timeline-reopened = Reopened
timeline-quote-created = Quote { $number } created
timeline-quote-sent = Quote { $number } sent to the client
timeline-quote-accepted = Quote { $number } accepted by the client
timeline-quote-rejected = Quote { $number } rejected by the client
timeline-quote-won = Quote { $number } marked won
timeline-quote-lost = Quote { $number } marked lost
timeline-product-added = Product added: { $quantity } × { $product } ({ $total })
timeline-product-removed = Product removed: { $quantity } × { $product } ({ $total })
timeline-added-to = Added to { $field }: { $name }
timeline-removed-from = Removed from { $field }: { $name }
timeline-made-primary = { $name } is now the primary person
timeline-changed = Changed { $field }
deal-won-button = Won
deal-lost-button = Lost
deal-stage-bar = Stages
deal-stage-move-to = Move to { $stage }
deal-move-pipeline = Move to another pipeline
