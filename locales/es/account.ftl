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
