# Dealflow — English: Quotes, their editor and the client portal.
# Every message id here exists in the same file of the other languages.


## The quote page
quote-loading = Loading the quote…
quote-load-failed = This quote could not be loaded.
quote-back-to-pipeline = Back to the pipeline
quote-word = Quote
# After the deal's title in the breadcrumb: "Big deal / quote".
quote-breadcrumb = quote
quote-status = Status
quote-status-draft = Draft
quote-status-sent = Sent
quote-status-accepted = Accepted
quote-status-rejected = Rejected
quote-status-won = Won
quote-status-lost = Lost
quote-status-unknown = Unknown
quote-send = Send
quote-send-again = Send again
quote-send-to-client = Send to client
quote-send-confirm = E-mail this quote to the client?
quote-action-won = Won
quote-action-lost = Lost
quote-mark-won = Mark won
quote-mark-lost = Mark lost
quote-lost-confirm = Mark this quote lost?
quote-print = Print
quote-viewed =
    { $count ->
        [one] Viewed { $count } time
       *[other] Viewed { $count } times
    }
quote-client-link = Client link (share or copy)
quote-labels = Labels:
quote-label = Label
quote-remove-label = Remove label { $name }
quote-add = Add
quote-labels-none = none

## Items and the editor
quote-product = Product
quote-model = Model
quote-unit-price = Unit price
quote-qty = Qty
quote-discount-pct = Discount %
quote-remove-row = Remove this row
quote-remove = remove
quote-add-row = + Add a row
quote-edit-items = Edit items (draft only)
quote-tax = Tax
quote-shipping = Shipping
quote-save-items = Save items

## The quote document
quote-title = Quote { $number }
quote-issued = Issued { $date }
quote-client = Client
quote-no-contact = No contact
quote-valid-until = Valid until
quote-no-expiry = No expiry date
quote-discount = Discount
quote-amount = Amount
quote-subtotal = Subtotal
quote-total = Total
quote-notes = Notes

## Errors
quote-error-not-whole-number = "{ $value }" is not a whole number
quote-error-choose-label = choose a label
quote-error-unknown-operation = unknown operation "{ $op }"

## The client's portal
portal-answered-accepted = Thank you — you accepted this quote. The seller has been told.
portal-answered-rejected = You rejected this quote. The seller has been told.
portal-not-found = Quote not found
portal-not-found-text = This link does not lead to a quote. Check that you copied the whole address from the e-mail.
portal-load-failed = This quote could not be loaded
portal-closed-accepted = You accepted this quote.
portal-closed-declined = This quote was declined.
portal-closed-preparing = This quote is still being prepared.
portal-accept = Accept quote
portal-accept-confirm = Accept this quote?
portal-reject = Reject
portal-reject-confirm = Reject this quote?
