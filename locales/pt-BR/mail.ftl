# Dealflow — Português (Brasil): E-mails and notifications the app sends.
# Every message id here exists in the same file of the other languages.

## Notifications
mail-now-responsible = Agora você é responsável por "{ $title }"
mail-webhook-off = O webhook para { $url } foi desativado: { $count } entregas seguidas não puderam ser feitas
mail-reminder = Lembrete: { $message }
