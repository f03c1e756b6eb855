# Dealflow — Español: Activities, points and the leaderboard.
# Every message id here exists in the same file of the other languages.

## Activities
act-heading = Actividades
act-loading = Cargando actividades…
act-add-heading = Agregar una actividad
act-empty = Aún no hay actividades aquí. Agrega una arriba.
act-type = Tipo
act-title = Título
act-due = Vence
act-assigned-to = Asignada a
act-me = Yo
act-add = Agregar
act-deal = Negocio
act-no-deal = Sin negocio
act-filters = Filtros
act-whose = De quién
act-mine = Mías
act-everyones = De todos
act-all-types = Todos los tipos
act-from = Desde
act-to = Hasta
act-apply = Aplicar
act-group-overdue = Vencidas
act-group-today = Hoy
act-group-upcoming = Próximas
act-group-done = Completadas
act-nothing = Nada.
act-no-due-date = sin fecha de vencimiento
act-reopen = Reabrir
act-complete = Completar
act-delete-confirm = ¿Eliminar esta actividad?
act-description = Descripción
act-unknown-user = usuario desconocido
act-unknown-operation = operación desconocida "{ $op }"

## Activity types: in pickers, and as the tag beside an activity
act-kind-call = Llamada
act-kind-meeting = Reunión
act-kind-email = Correo
act-kind-task = Tarea
act-kind-note = Nota
act-tag-call = llamada
act-tag-meeting = reunión
act-tag-email = correo
act-tag-task = tarea
act-tag-note = nota

## Leaderboard
act-lb-heading = Clasificación
act-lb-empty = Aún no hay vendedores.
act-lb-salesperson = Vendedor
act-lb-week = Esta semana
act-lb-month = Este mes
act-lb-all-time = Histórico
act-lb-won-deals = Negocios ganados
act-lb-won-value = Valor ganado
act-lb-unconverted = Algunos negocios ganados están en una moneda sin tipo de cambio para el día en que se ganaron y quedan fuera
