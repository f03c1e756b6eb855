# Dealflow — Español: Automations: list, builder and run logs.
# Every message id here exists in the same file of the other languages.

## List
auto-title = Automatizaciones
auto-outbox = Bandeja de salida
auto-new = Nueva automatización
auto-loading = Cargando automatizaciones…
auto-empty = Todavía no hay automatizaciones.
auto-empty-help = Una automatización ejecuta acciones — un correo, una notificación, un webhook — cuando algo le pasa a una cotización o a un negocio.
auto-after-minutes = después de { $minutes } min
auto-runs =
    { $count ->
        [one] { $count } ejecución
       *[other] { $count } ejecuciones
    }
auto-on = Activa
auto-off = Inactiva
auto-delete = Eliminar
auto-delete-confirm = ¿Eliminar esta automatización y todo su historial de ejecuciones? No se puede deshacer.
auto-signatures = Firma de los webhooks
auto-signatures-help = Cada llamada de webhook lleva X-Dealflow-Timestamp y X-Dealflow-Signature: sha256=HMAC-SHA256(secreto, timestamp + "." + cuerpo). Verifícala para saber que la llamada es nuestra.
auto-show-secret = Mostrar el secreto de firma

## Builder
auto-back = ← Automatizaciones
auto-edit = Editar automatización
auto-loading-one = Cargando…
auto-name = Nombre
auto-name-placeholder = Avísame de las cotizaciones grandes
auto-when = Cuándo
auto-wait = Esperar (minutos)
auto-active = Activa
auto-conditions = Solo si se cumple todo esto
auto-no-conditions = Sin condiciones: se ejecuta en cada evento.
auto-add-condition = + Agregar condición
auto-actions = Luego, en este orden
auto-no-actions = Agrega al menos una acción.
auto-saving = Guardando…
auto-save = Guardar automatización
auto-cancel = Cancelar
auto-placeholders-help = Los mensajes pueden usar campos del registro, como { "{{quoteNumber}}" }, { "{{total}}" }, { "{{client.contactName}}" } en las cotizaciones o { "{{title}}" }, { "{{value}}" }, { "{{stage}}" } en los negocios.
# A save refused for one row: "Condition 2, value — needs a number".
auto-error-condition = Condición { $n }, { $part } — { $message }
auto-error-action = Acción { $n }, { $part } — { $message }
auto-error-not-an-automation = no es una automatización ({ $error })
auto-error-not-a-list = no es una lista JSON
auto-error-enter-number = escribe un número

## Conditions
auto-field = Campo
auto-operator = Operador
auto-value = Valor
auto-choose = elige…
auto-choose-stage = elige una etapa…
auto-any-item = (cualquier ítem)
auto-remove = Quitar
auto-op-eq = es
auto-op-neq = no es
auto-op-gt = mayor que
auto-op-lt = menor que
auto-op-gte = al menos
auto-op-lte = como máximo
auto-op-contains = contiene
auto-op-starts-with = empieza con
auto-op-is-empty = está vacío
auto-op-is-not-empty = no está vacío

## Triggers
auto-trigger-quote-created = Se creó una cotización
auto-trigger-quote-sent = Se envió una cotización al cliente
auto-trigger-quote-viewed = El cliente vio la cotización en el portal
auto-trigger-quote-accepted = El cliente aceptó la cotización
auto-trigger-quote-rejected = El cliente rechazó la cotización
auto-trigger-quote-won = La cotización se marcó como ganada
auto-trigger-quote-lost = La cotización se marcó como perdida
auto-trigger-quote-expiring = La cotización vence en menos de 24 horas
auto-trigger-deal-created = Se creó un negocio
auto-trigger-deal-stage-changed = Un negocio pasó a otra etapa
auto-trigger-deal-won = Se ganó un negocio
auto-trigger-deal-lost = Se perdió un negocio
auto-trigger-activity-completed = Se completó una actividad de un negocio

## Fields conditions test
auto-field-status = Estado
auto-field-currency = Moneda
auto-field-total = Total
auto-field-subtotal = Subtotal
auto-field-tax = Impuestos
auto-field-shipping-cost = Costo de envío
auto-field-view-count = Visualizaciones
auto-field-quote-number = Número de cotización
auto-field-notes = Notas
auto-field-client-contact-name = Nombre del contacto del cliente
auto-field-client-company-name = Empresa del cliente
auto-field-client-email = Correo del cliente
auto-field-client-phone = Teléfono del cliente
auto-field-item-product-name = Cualquier ítem: nombre del producto
auto-field-item-model = Cualquier ítem: modelo
auto-field-item-unit-price = Cualquier ítem: precio unitario
auto-field-item-quantity = Cualquier ítem: cantidad
auto-field-item-discount = Cualquier ítem: descuento %
auto-field-title = Título
auto-field-value = Valor
auto-field-stage = Etapa (clave)
auto-field-previous-stage = Etapa anterior (clave)
auto-field-pipeline = Embudo
auto-field-probability = Probabilidad %
auto-field-temperature = Temperatura (1–3)
auto-field-quality-rating = Calificación (1–5)
auto-field-owner-email = Correo del responsable
auto-field-contact-name = Nombre del contacto
auto-field-contact-email = Correo del contacto
auto-field-organization = Organización
auto-field-lead-source = Origen del lead
auto-field-lost-reason = Motivo de pérdida
auto-field-activity-type = Tipo de la actividad completada

## Values of select fields
auto-quote-status-generated = Generada
auto-quote-status-sent = Enviada
auto-quote-status-accepted = Aceptada
auto-quote-status-rejected = Rechazada
auto-quote-status-won = Ganada
auto-quote-status-lost = Perdida
auto-deal-status-open = abierto
auto-deal-status-won = ganado
auto-deal-status-lost = perdido
auto-activity-call = llamada
auto-activity-meeting = reunión
auto-activity-email = correo
auto-activity-task = tarea
auto-activity-note = nota

## Actions
auto-action-send-email = Enviar un correo
auto-action-notify-quote-creator = Notificar en la app a quien creó la cotización
auto-action-notify-deal-owner = Notificar en la app al responsable del negocio
auto-action-change-status = Cambiar el estado de la cotización
auto-action-add-label = Agregar una etiqueta a la cotización
auto-action-create-reminder = Crear un recordatorio de seguimiento
auto-action-fire-webhook = Llamar a un webhook
auto-owner-quote = quien creó la cotización (si no, el responsable del negocio)
auto-owner-deal = el responsable del negocio (si no, quien creó el negocio)
auto-move-up = Subir
auto-move-down = Bajar
auto-to = Para
auto-to-client = el cliente
auto-to-custom = otra dirección
auto-email-address = Dirección de correo
auto-subject = Asunto
auto-message = Mensaje
auto-notify-whom = Le llega a { $whom }, en la app.
auto-notification-title = Título
auto-details = Detalles (opcional)
auto-new-status = Nuevo estado
auto-no-labels = La cuenta todavía no tiene etiquetas.
auto-label = Etiqueta
auto-due-after = Vence después de (minutos)
auto-reminder = Recordatorio
auto-webhook-url = URL (POST)
auto-webhook-headers = Encabezados extra, un "Nombre: valor" por línea
auto-include-items = Incluir los ítems de la cotización

## Dry run
auto-try = Probar
auto-try-help = Revisa las condiciones contra un registro sin ejecutar ninguna acción.
auto-try-quote-number = Número de cotización
auto-try-deal-id = ID del negocio
auto-try-no-conditions = Sin condiciones: se ejecutaría.
auto-try-pass = Se cumplen todas las condiciones: se ejecutaría.
auto-try-fail = Alguna condición no se cumple: no se ejecutaría.
auto-try-record = en el registro: { $actual }

## Run log
auto-logs-status = Estado
auto-logs-all = todos
auto-logs-filter = Filtrar
auto-logs-loading = Cargando ejecuciones…
auto-logs-title = Ejecuciones de “{ $name }”
auto-logs-empty = Todavía no hay ejecuciones.
auto-logs-triggered = Disparada
auto-logs-finished = Terminada
auto-logs-for = Sobre
auto-logs-error = Error
auto-logs-quote = Cotización n.º { $number }
auto-logs-pager =
    Página { $page } de { $pages } · { $count ->
        [one] { $count } ejecución
       *[other] { $count } ejecuciones
    }
auto-run-triggered = Disparada
auto-run-completed = Completada
auto-run-failed = Fallida
auto-pages = Páginas
auto-newer = ← Más recientes
auto-older = Más antiguas →
auto-page-of = Página { $page } de { $pages }

## Outbox
auto-outbox-loading = Cargando correos…
auto-outbox-empty = Todavía no hay correos. Aquí escriben las cotizaciones enviadas y las automatizaciones.
auto-outbox-to = para { $to }
auto-outbox-queued = en cola
auto-outbox-kept = guardado
auto-outbox-sent = enviado
auto-outbox-failed = falló
auto-outbox-secret = (Este mensaje contiene un enlace personal y no se muestra.)
