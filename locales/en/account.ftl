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

## Getting in: invitations, forgotten and changed passwords
access-to-login = Back to sign-in
access-invitation-title = Join your team
access-invitation-dead = This invitation has expired, was revoked or was already used. Ask whoever invited you to send it again.
access-invitation-offer = { $account } invites { $email } to join as { $role }.
access-your-name = Your name
access-choose-password = Choose a password (at least 8 characters)
access-join = Join
access-forgot-link = Forgot your password?
access-forgot-title = Reset your password
access-forgot-intro = Type the e-mail address you sign in with. If it has an account, we send it a link to choose a new password.
access-forgot-send = Send the link
access-forgot-sent = If that address has an account, a link to reset its password is on its way. It works for one hour.
access-reset-title = Choose a new password
access-reset-dead = This link has expired or was already used. Ask for a new one from the sign-in page.
access-new-password = New password (at least 8 characters)
access-reset-save = Save the new password
access-reset-done = Your password was changed. Sign in with the new one.
access-change-title = Password
access-change-intro = Changing it signs you out everywhere else.
access-current-password = Current password
access-change-save = Change password
access-changed = Your password was changed; your other sessions were signed out.

## Two-factor sign-in
tfa-title = Two-factor sign-in
tfa-intro = After your password, Dealflow asks for a six-digit code from an authenticator app on your phone (Google Authenticator, Microsoft Authenticator, 1Password, Aegis…), so a stolen password alone does not get anyone in.
tfa-manage = Manage two-factor sign-in
tfa-on = Two-factor sign-in is on.
tfa-off = Two-factor sign-in is off. To turn it on, add Dealflow to your authenticator app and type the code it shows.
tfa-required-here = Your account requires it, so it cannot be turned off.
tfa-scan = Scan this code with your authenticator app:
tfa-qr-label = QR code to add Dealflow to an authenticator app
tfa-key = Or type this key in the app:
tfa-first-code = Code shown by the app
tfa-turn-on = Turn on
tfa-turn-off = Turn off two-factor sign-in
tfa-off-confirm = Turn off two-factor sign-in? Your password alone will get you in again.
tfa-codes-title = Your recovery codes
tfa-codes-intro = Keep these somewhere safe, apart from your phone. Each one signs you in once if you lose your phone. They are shown only now.
tfa-codes-left = { $count ->
    [one] One recovery code is left.
   *[other] { $count } recovery codes are left.
}
tfa-renew = New recovery codes
tfa-renew-confirm = Make new recovery codes? The ones you have stop working.
tfa-code-title = Type the code your authenticator app shows now.
tfa-enrol-required = Your account requires two-factor sign-in. Set it up now to sign in.
tfa-code = Code
tfa-code-help = No phone at hand? Type one of your recovery codes.
tfa-verify = Verify
