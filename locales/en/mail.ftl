# Dealflow — English: E-mails and notifications the app sends.
# Every message id here exists in the same file of the other languages.

## Notifications
mail-now-responsible = You are now responsible for "{ $title }"
mail-webhook-off = Webhook to { $url } was turned off: { $count } deliveries in a row could not be delivered
mail-reminder = Reminder: { $message }
