# Dealflow — Español: Words and messages several screens share (buttons, states, errors).
# Every message id here exists in the same file of the other languages.

## Words many screens use
common-loading = Cargando…
common-save = Guardar
common-delete = Eliminar
common-edit = Editar
common-search = Buscar
common-pages = Páginas
common-previous = Anterior
common-next = Siguiente

## Notifications
common-notifications = Notificaciones, { $unread } sin leer
common-no-notifications = No hay notificaciones.
common-mark-read = Marcar como leída
common-mark-all-read = Marcar todas como leídas

## Errors a form shows when a change fails
common-error-session-ended = tu sesión terminó; vuelve a iniciar sesión
common-error-forbidden = no tienes permiso para hacer esto
common-error-gone = ya no existe
common-error-status = el servidor respondió { $status }
common-error-no-answer = el servidor respondió sin decir por qué
common-error-unreadable-form = no se pudo leer el formulario: { $reason }
common-error-unsendable-form = no se pudo enviar el formulario: { $reason }
common-error-unreachable = no se pudo contactar al servidor; inténtalo de nuevo ({ $reason })
common-error-nothing-saved = no se pudo contactar al servidor; no se guardó nada, inténtalo de nuevo
common-export = Exportar CSV
