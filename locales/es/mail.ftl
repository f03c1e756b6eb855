# Dealflow — Español: E-mails and notifications the app sends.
# Every message id here exists in the same file of the other languages.

## Notifications
mail-now-responsible = Ahora eres responsable de "{ $title }"
mail-webhook-off = El webhook a { $url } se desactivó: { $count } entregas seguidas no se pudieron realizar
mail-reminder = Recordatorio: { $message }
