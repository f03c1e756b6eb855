# Dealflow — English: E-mails and notifications the app sends.
# Every message id here exists in the same file of the other languages.

## Notifications
mail-now-responsible = You are now responsible for "{ $title }"
mail-webhook-off = Webhook to { $url } was turned off: { $count } deliveries in a row could not be delivered
mail-reminder = Reminder: { $message }

## Invitations and password resets
mail-invitation-subject = { $inviter } invites you to { $account } on Dealflow
mail-invitation-body = Hello,

    { $inviter } invites you to join { $account } on Dealflow.

    Choose your name and password here (the link works for { $days } days, once):
    { $link }

    If you did not expect this, ignore this message.
mail-reset-subject = Reset your Dealflow password
mail-reset-body = Hello { $name },

    Someone (we hope you) asked to reset the password of this address on Dealflow.

    Choose a new password here (the link works for { $minutes } minutes, once):
    { $link }

    If it was not you, ignore this message: your password stays as it is.
