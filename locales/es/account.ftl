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
