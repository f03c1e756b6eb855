# Dealflow — English: The page frame: navigation, sign-in, language and theme.
# Every message id here exists in the same file of the other languages.

## Navigation
nav-main = Main
nav-menu = Menu
nav-pipeline = Pipeline
nav-activities = Activities
nav-contacts = Contacts
nav-organizations = Organizations
nav-leaderboard = Leaderboard
nav-reports = Reports
nav-automations = Automations
nav-import = Import
nav-settings = Settings
nav-log-out = Log out
nav-language-apply = Change
nav-language = Language

## Sign-in
login-title = Sign in to your pipeline
login-failed = wrong e-mail or password
login-locked = too many failed sign-ins for this e-mail; try again in a few minutes
login-email = E-mail
login-password = Password
login-submit = Sign in
login-busy = Signing in…

## Keyboard shortcuts
keys-title = Keyboard shortcuts
keys-open = Keyboard shortcuts (?)
keys-close = Close
keys-help = Show this list
keys-search = Jump to the search field
keys-board-focus = Board: go from card to card
keys-board-pick = Board: pick up the focused card
keys-board-move = Board, holding a card: move it across stages and positions
keys-board-drop = Board, holding a card: drop it there (the move is saved)
keys-board-cancel = Board, holding a card: put it back; elsewhere, close a dialog

## Theme (the header toggle)
theme-label = Theme
theme-light = Light
theme-dark = Dark
theme-system = System

## A page that does not exist
not-found-title = Page not found
not-found-text = There is nothing at this address.
not-found-back = Back to the pipeline
keys-global-search = Search deals, contacts and organizations
search-label = Search everything
search-placeholder = Search…  (Ctrl K)
search-heading = Search
search-hint = Type a name, an e-mail, a phone number or an organization.
search-deals = Deals
search-contacts = Contacts
search-organizations = Organizations
search-nothing = Nothing found.
search-nothing-for = Nothing found for “{ $q }”.
nav-deals = Deals
