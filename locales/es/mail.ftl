# Dealflow — Español: E-mails and notifications the app sends.
# Every message id here exists in the same file of the other languages.

## Notifications
mail-now-responsible = Ahora eres responsable de "{ $title }"
mail-webhook-off = El webhook a { $url } se desactivó: { $count } entregas seguidas no se pudieron realizar
mail-reminder = Recordatorio: { $message }

## Invitaciones y restablecimiento de contraseña
mail-invitation-subject = { $inviter } te invita a { $account } en Dealflow
mail-invitation-body = Hola:

    { $inviter } te invita a unirte a { $account } en Dealflow.

    Elige tu nombre y contraseña aquí (el enlace funciona durante { $days } días, una sola vez):
    { $link }

    Si no esperabas este mensaje, ignóralo.
mail-reset-subject = Restablece tu contraseña de Dealflow
mail-reset-body = Hola, { $name }:

    Alguien (esperamos que tú) pidió restablecer la contraseña de esta dirección en Dealflow.

    Elige una contraseña nueva aquí (el enlace funciona durante { $minutes } minutos, una sola vez):
    { $link }

    Si no fuiste tú, ignora este mensaje: tu contraseña no cambia.
