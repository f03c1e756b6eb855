# Dealflow — English: a user's own preferences (time zone, language).
# Every message id here exists in the same file of the other languages.

prefs-title = Your preferences
prefs-intro = How Dealflow shows you times and words. These follow you to every browser; the theme is in the page header.
prefs-time-zone = Time zone
prefs-time-zone-help = Due times are typed and shown in this zone, and "today" is your day in it.
prefs-time-zone-utc = UTC (no time zone chosen)
prefs-browser-zone = This browser is in { $zone }.
prefs-save = Save
prefs-saving = Saving…
prefs-saved = Saved.
prefs-language = Language
prefs-link = Preferences
