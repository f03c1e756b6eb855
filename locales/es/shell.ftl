# Dealflow — Español: The page frame: navigation, sign-in, language and theme.
# Every message id here exists in the same file of the other languages.

## Navigation
nav-main = Principal
nav-menu = Menú
nav-pipeline = Embudo
nav-activities = Actividades
nav-contacts = Contactos
nav-organizations = Organizaciones
nav-leaderboard = Clasificación
nav-reports = Informes
nav-automations = Automatizaciones
nav-import = Importar
nav-settings = Configuración
nav-log-out = Cerrar sesión
nav-language-apply = Cambiar
nav-language = Idioma

## Sign-in
login-title = Inicia sesión en tu embudo
login-failed = correo electrónico o contraseña incorrectos
login-locked = demasiados intentos fallidos con este correo; inténtalo de nuevo en unos minutos
login-email = Correo electrónico
login-password = Contraseña
login-submit = Iniciar sesión
login-busy = Iniciando sesión…

## Keyboard shortcuts
keys-title = Atajos de teclado
keys-open = Atajos de teclado (?)
keys-close = Cerrar
keys-help = Mostrar esta lista
keys-search = Ir al campo de búsqueda
keys-board-focus = Tablero: pasar de una tarjeta a otra
keys-board-pick = Tablero: tomar la tarjeta enfocada
keys-board-move = Tablero, con una tarjeta tomada: moverla entre etapas y posiciones
keys-board-drop = Tablero, con una tarjeta tomada: soltarla ahí (el cambio se guarda)
keys-board-cancel = Tablero, con una tarjeta tomada: devolverla a su lugar; en otro caso, cerrar un diálogo

## Theme (the header toggle)
theme-label = Tema
theme-light = Claro
theme-dark = Oscuro
theme-system = Sistema

## A page that does not exist
not-found-title = Página no encontrada
not-found-text = No hay nada en esta dirección.
not-found-back = Volver al embudo
keys-global-search = Buscar negocios, contactos y organizaciones
search-label = Buscar en todo
search-placeholder = Buscar…  (Ctrl K)
search-heading = Búsqueda
search-hint = Escribe un nombre, un correo, un teléfono o una organización.
search-deals = Negocios
search-contacts = Contactos
search-organizations = Organizaciones
search-nothing = No se encontró nada.
search-nothing-for = No se encontró nada para «{ $q }».
nav-deals = Negocios
