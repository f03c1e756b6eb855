# Dealflow — Português (Brasil): a user's own preferences (time zone, language).
# Every message id here exists in the same file of the other languages.

prefs-title = Suas preferências
prefs-intro = Como o Dealflow mostra horários e textos para você. Eles acompanham você em qualquer navegador; o tema fica no cabeçalho da página.
prefs-time-zone = Fuso horário
prefs-time-zone-help = Os prazos são digitados e exibidos neste fuso, e "hoje" é o seu dia nele.
prefs-time-zone-utc = UTC (nenhum fuso escolhido)
prefs-browser-zone = Este navegador está em { $zone }.
prefs-save = Salvar
prefs-saving = Salvando…
prefs-saved = Salvo.
prefs-language = Idioma
prefs-link = Preferências
