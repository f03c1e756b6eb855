# Dealflow — English: Words and messages several screens share (buttons, states, errors).
# Every message id here exists in the same file of the other languages.

## Words many screens use
common-loading = Loading…
common-save = Save
common-delete = Delete
common-edit = Edit
common-search = Search
common-pages = Pages
common-previous = Previous
common-next = Next

## Notifications
common-notifications = Notifications, { $unread } unread
common-no-notifications = No notifications.
common-mark-read = Mark read
common-mark-all-read = Mark all read

## Errors a form shows when a change fails
common-error-session-ended = your session has ended; sign in again
common-error-forbidden = you are not allowed to do this
common-error-gone = it no longer exists
common-error-status = the server answered { $status }
common-error-no-answer = the server answered without saying why
common-error-unreadable-form = the form could not be read: { $reason }
common-error-unsendable-form = the form could not be sent: { $reason }
common-error-unreachable = the server could not be reached; try again ({ $reason })
common-error-nothing-saved = the server could not be reached; nothing was saved, try again
common-export = Export CSV
