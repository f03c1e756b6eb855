# Dealflow — Español: a user's own preferences (time zone, language).
# Every message id here exists in the same file of the other languages.

prefs-title = Tus preferencias
prefs-intro = Cómo Dealflow te muestra las horas y los textos. Te siguen en cualquier navegador; el tema está en el encabezado de la página.
prefs-time-zone = Zona horaria
prefs-time-zone-help = Los vencimientos se escriben y se muestran en esta zona, y "hoy" es tu día en ella.
prefs-time-zone-utc = UTC (sin zona horaria elegida)
prefs-browser-zone = Este navegador está en { $zone }.
prefs-save = Guardar
prefs-saving = Guardando…
prefs-saved = Guardado.
prefs-language = Idioma
prefs-link = Preferencias

## Acceso: invitaciones, contraseñas olvidadas y cambiadas
access-to-login = Volver al inicio de sesión
access-invitation-title = Únete a tu equipo
access-invitation-dead = Esta invitación caducó, fue revocada o ya se usó. Pide a quien te invitó que la envíe de nuevo.
access-invitation-offer = { $account } invita a { $email } a unirse como { $role }.
access-your-name = Tu nombre
access-choose-password = Elige una contraseña (al menos 8 caracteres)
access-join = Unirme
access-forgot-link = ¿Olvidaste tu contraseña?
access-forgot-title = Restablece tu contraseña
access-forgot-intro = Escribe el correo electrónico con el que inicias sesión. Si tiene una cuenta, le enviamos un enlace para elegir una contraseña nueva.
access-forgot-send = Enviar el enlace
access-forgot-sent = Si esa dirección tiene una cuenta, le llegará un enlace para restablecer su contraseña. Funciona durante una hora.
access-reset-title = Elige una contraseña nueva
access-reset-dead = Este enlace caducó o ya se usó. Pide uno nuevo desde la página de inicio de sesión.
access-new-password = Contraseña nueva (al menos 8 caracteres)
access-reset-save = Guardar la contraseña nueva
access-reset-done = Tu contraseña se cambió. Inicia sesión con la nueva.
access-change-title = Contraseña
access-change-intro = Al cambiarla se cierran tus demás sesiones.
access-current-password = Contraseña actual
access-change-save = Cambiar contraseña
access-changed = Tu contraseña se cambió; tus demás sesiones se cerraron.

## Inicio de sesión en dos pasos
tfa-title = Inicio de sesión en dos pasos
tfa-intro = Después de tu contraseña, Dealflow pide un código de seis dígitos de una app de autenticación en tu teléfono (Google Authenticator, Microsoft Authenticator, 1Password, Aegis…), así una contraseña robada no basta para entrar.
tfa-manage = Gestionar el inicio de sesión en dos pasos
tfa-on = El inicio de sesión en dos pasos está activado.
tfa-off = El inicio de sesión en dos pasos está desactivado. Para activarlo, añade Dealflow a tu app de autenticación y escribe el código que muestra.
tfa-required-here = Tu cuenta lo exige, así que no se puede desactivar.
tfa-scan = Escanea este código con tu app de autenticación:
tfa-qr-label = Código QR para añadir Dealflow a una app de autenticación
tfa-key = O escribe esta clave en la app:
tfa-first-code = Código que muestra la app
tfa-turn-on = Activar
tfa-turn-off = Desactivar el inicio de sesión en dos pasos
tfa-off-confirm = ¿Desactivar el inicio de sesión en dos pasos? Tu contraseña volverá a bastar para entrar.
tfa-codes-title = Tus códigos de recuperación
tfa-codes-intro = Guárdalos en un lugar seguro, lejos de tu teléfono. Cada uno te deja entrar una vez si pierdes el teléfono. Solo se muestran ahora.
tfa-codes-left = { $count ->
    [one] Queda un código de recuperación.
   *[other] Quedan { $count } códigos de recuperación.
}
tfa-renew = Nuevos códigos de recuperación
tfa-renew-confirm = ¿Crear nuevos códigos de recuperación? Los que tienes dejarán de funcionar.
tfa-code-title = Escribe el código que muestra ahora tu app de autenticación.
tfa-enrol-required = Tu cuenta exige el inicio de sesión en dos pasos. Actívalo ahora para entrar.
tfa-code = Código
tfa-code-help = ¿No tienes el teléfono? Escribe uno de tus códigos de recuperación.
tfa-verify = Verificar
