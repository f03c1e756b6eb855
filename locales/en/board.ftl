# Dealflow — English: The pipeline board and its cards.
# Every message id here exists in the same file of the other languages.

## Board
board-loading = Loading the board…
board-no-stages = This pipeline has no stages yet.
board-load-failed = This board could not be loaded.
board-back-primary = Back to the primary pipeline
board-dismiss = Dismiss
board-move-failed = The move was not saved: { $error }
board-pipelines = Pipelines
board-filters = Filters
board-owner = Owner
board-everyone = Everyone
board-status = Status
board-status-open = Open
board-status-won = Won
board-status-lost = Lost
board-status-all = All
board-min-value = Min value
board-max-value = Max value
board-search = Search
board-search-placeholder = Title, contact, company
board-apply = Apply
board-stage-probability = Stage probability
board-learned-probability = Learned: { $won } of the { $closed } deals that reached this stage in the last 12 months were won
board-deals = Deals
board-deals-word =
    { $count ->
        [one] deal
       *[other] deals
    }
board-total = Total
board-weighted = Weighted
board-weighted-title = Weighted by stage probability
board-rots-after =
    { $days ->
        [one] rots after { $days } day
       *[other] rots after { $days } days
    }
board-kbd-help = Press Space to pick up a card, the arrow keys to move it, Space or Enter to drop it and Escape to cancel.
board-picked-up = Picked up { $title }. The arrow keys move it, Space or Enter drops it, Escape cancels.
board-moved = { $title }: { $stage }, position { $position } of { $total }.
board-dropped = { $title } dropped in { $stage }, position { $position }.
board-cancelled = Move of { $title } cancelled.
board-no-deals = No deals here
board-show-more = Show { $next } more ({ $hidden } not shown)
board-loading-more = Loading…

## Cards
card-cold = Cold
card-warm = Warm
card-hot = Hot
card-expected-close = Expected close
card-closes = closes { $date }
card-rotting = Rotting · { $days }d
card-rotting-title = Longer in this stage than its rotting days
card-won = Won
card-lost = Lost
card-move = Move { $title }
card-move-menu = Move…
card-to-top = To the top
card-up-one = Up one
card-down-one = Down one
card-to-stage = To { $stage }
quick-add-open = Add a deal
quick-add-title = New deal title
quick-add-value = Value
quick-add-submit = Add
table-heading = Deals
table-filters = Filter the deals
table-any = Any
table-apply = Apply
table-clear = Clear
table-columns = Columns
table-show-columns = Show these columns
table-empty = No deal matches these filters.
table-summary = { $count ->
        [one] 1 deal
       *[other] { $count } deals
    } · page { $page } of { $pages }
table-created-from = Created from
table-created-to = Created until
table-close-from = Closing from
table-close-to = Closing until
table-col-title = Title
table-col-pipeline = Pipeline
table-col-stage = Stage
table-col-status = Status
table-col-value = Value
table-col-owner = Owner
table-col-contact = Contact
table-col-organization = Organization
table-col-expected-close = Expected close
table-col-lead-source = Lead source
table-col-tags = Tags
table-col-created = Created
table-col-updated = Updated
table-views = Views
table-no-views = No saved view yet.
table-view-shared = shared
table-save-view = Save this view
table-view-name = Name
table-view-share = Share with the team
table-view-save = Save view
table-view-saved = View saved.
table-delete-view = Delete the view { $name }
table-delete-view-confirm = Delete the view “{ $name }”?
table-bulk-action = With the picked deals
table-bulk-assign = Give them an owner
table-bulk-move = Move them to a stage
table-bulk-tag = Add a tag
table-bulk-lose = Mark the open ones lost
table-bulk-delete = Delete them
table-bulk-reason = Lost reason
table-bulk-confirm = Yes, delete them
table-bulk-confirm-needed = tick “Yes, delete them” to delete the picked deals
table-bulk-apply = Apply to the picked deals
table-bulk-done = { $count ->
        [one] 1 deal changed.
       *[other] { $count } deals changed.
    }
table-pick = Pick { $title }
table-picked = Picked
board-unconverted = { $count } not converted
board-unconverted-title = Cards in a currency without an exchange rate for their day, left out of the totals
board-total-title = In { $currency }, the account's base currency: cards in other currencies are converted at the rate of the day they closed, or today's
