# Dealflow — English: Activities, points and the leaderboard.
# Every message id here exists in the same file of the other languages.

## Activities
act-heading = Activities
act-loading = Loading activities…
act-add-heading = Add an activity
act-empty = No activities here yet. Add one above.
act-type = Type
act-title = Title
act-due = Due
act-assigned-to = Assigned to
act-me = Me
act-add = Add
act-deal = Deal
act-no-deal = No deal
act-filters = Filters
act-whose = Whose
act-mine = Mine
act-everyones = Everyone's
act-all-types = All types
act-from = From
act-to = To
act-apply = Apply
act-group-overdue = Overdue
act-group-today = Today
act-group-upcoming = Upcoming
act-group-done = Done
act-nothing = Nothing.
act-no-due-date = no due date
act-reopen = Reopen
act-complete = Complete
act-delete-confirm = Delete this activity?
act-description = Description
act-unknown-user = unknown user
act-unknown-operation = unknown operation "{ $op }"

## Activity types: in pickers, and as the tag beside an activity
act-kind-call = Call
act-kind-meeting = Meeting
act-kind-email = E-mail
act-kind-task = Task
act-kind-note = Note
act-tag-call = call
act-tag-meeting = meeting
act-tag-email = email
act-tag-task = task
act-tag-note = note

## Leaderboard
act-lb-heading = Leaderboard
act-lb-empty = No salespeople yet.
act-lb-salesperson = Salesperson
act-lb-week = This week
act-lb-month = This month
act-lb-all-time = All time
act-lb-won-deals = Won deals
act-lb-won-value = Won value
act-lb-unconverted = Some won deals are in a currency without an exchange rate for the day they were won and are left out
