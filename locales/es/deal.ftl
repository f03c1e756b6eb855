# Dealflow — Español: The deal page: header, stage, details, notes, links, products and quotes.
# Every message id here exists in the same file of the other languages.


## Page and header
deal-loading = Cargando el negocio…
deal-load-failed = No se pudo cargar este negocio.
deal-back-to-pipeline = Volver al embudo
deal-status-open = abierto
deal-status-won = ganado
deal-status-lost = perdido
deal-stage = Etapa
deal-stage-move = Mover
deal-stage-moving = Moviendo…
deal-stage-changed = Etapa cambiada.

## Details
deal-details = Detalles
deal-title = Título
deal-value = Valor
deal-currency = Moneda
deal-expected-close = Cierre previsto
deal-responsible = Responsable
deal-nobody = Nadie
deal-organization = Organización
deal-no-organization = Ninguna
deal-lead-source = Origen del prospecto
deal-lead-source-unknown = Desconocido
deal-temperature = Temperatura
deal-temperature-not-set = Sin definir
deal-temperature-cold = Frío
deal-temperature-warm = Tibio
deal-temperature-hot = Caliente
deal-visibility = Visibilidad
deal-visibility-owner = Solo el responsable
deal-visibility-team = El equipo del responsable
deal-visibility-everyone = Todos
deal-quality-rating = Calificación de calidad
deal-not-rated = Sin calificar
deal-quality-reason = Motivo de la calificación
deal-save = Guardar
deal-saving = Guardando…
deal-saved = Guardado.
deal-marketing = Marketing
deal-activities = Actividades
deal-no-activities = No hay actividades planificadas para este negocio.

## Outcome
deal-final-value = Valor final
deal-close-notes = Notas de cierre
deal-mark-won = Marcar como ganado
deal-lost-reason = Motivo de pérdida
deal-choose-reason = Elige un motivo
deal-other-reason = O con tus palabras
deal-mark-lost = Marcar como perdido
deal-won-on = Ganado el { $date } por { $value }.
deal-lost-on = Perdido el { $date }: { $reason }
deal-reopen = Reabrir

## Notes and history
deal-notes-history = Notas e historial
deal-note = Nota
deal-note-placeholder = Escribe una nota…
deal-note-add = Agregar nota
deal-note-pin = Fijar
deal-note-unpin = Desfijar
deal-note-delete = Eliminar
deal-note-delete-confirm = ¿Eliminar esta nota?
deal-timeline-empty = Todavía no ha pasado nada.
# $kind is the activity's kind: call, meeting, email, task or note.
deal-timeline-completed =
    { $kind ->
        [call] Llamada realizada
        [meeting] Reunión realizada
        [email] Correo enviado
        [task] Tarea completada
        [note] Nota registrada
       *[other] Actividad completada ({ $kind })
    }: { $title }

## People, team, tags and custom attributes
deal-add = Agregar
deal-remove = quitar
deal-people = Personas
deal-no-people = Este negocio aún no tiene contactos.
deal-primary = principal
deal-make-primary = hacer principal
deal-add-contact = Agregar un contacto…
# { $link } is the link whose text is deal-no-contacts-link.
deal-no-contacts = Aún no hay contactos: { $link }.
deal-no-contacts-link = agrega uno
deal-assignees = Asignados
deal-assign-someone = Asignar a alguien…
deal-followers = Seguidores
deal-follow = Seguir
deal-unfollow = Dejar de seguir
deal-add-follower = Agregar un seguidor…
deal-nobody-yet = Nadie todavía.
deal-tags = Etiquetas
deal-no-tags = Sin etiquetas.
deal-add-tag = Agregar una etiqueta…
# { $link } is the link whose text is deal-settings-link.
deal-tags-in-settings = Los propietarios y administradores definen las etiquetas en { $link }.
deal-settings-link = configuración
deal-attributes = Atributos personalizados
deal-attributes-none = Ninguno todavía.
deal-attribute-remove = Quitar { $key }
deal-attribute-key = Clave del atributo
deal-attribute-key-placeholder = clave
deal-attribute-value = Valor del atributo
deal-attribute-value-placeholder = valor
deal-attribute-set = Guardar

## Products
deal-products = Productos
deal-no-products = Este negocio no tiene productos.
deal-product = Producto
deal-qty = Cant.
deal-unit = Unitario
deal-total = Total
deal-remove-product = Quitar { $name }
deal-products-total = Total de productos
# { $link } is the link whose text is deal-settings-link.
deal-catalog-empty = El catálogo aún no tiene productos; los propietarios y administradores los agregan en { $link }.
deal-choose-product = Elige un producto
deal-unit-amount = Precio unitario
deal-catalog-price = precio de catálogo

## Quotes on the deal
deal-quotes = Cotizaciones
deal-quotes-from-products = Crear con los productos del negocio
deal-quotes-from-products-title = Un ítem por cada línea de producto de este negocio
deal-quotes-need-products = Primero agrega productos al negocio
deal-quotes-empty = Este negocio aún no tiene cotizaciones.
deal-quotes-views = Vistas
deal-quotes-until = hasta el { $date }
deal-quotes-new-by-hand = Nueva cotización manual
deal-quotes-create = Crear cotización

## Errors
deal-error-choose-from-list = elige uno de la lista
deal-error-choose-product = elige un producto
deal-error-unknown-link = vínculo desconocido "{ $kind }"
deal-error-unknown-operation = operación desconocida "{ $op }"

## Timeline events
timeline-opened = Negocio abierto en { $stage }
timeline-opened-first = Negocio abierto en su primera etapa
timeline-stage-changed = Cambio de etapa: { $from } → { $to }
timeline-won = Marcado como ganado
timeline-won-value = Marcado como ganado (valor final { $value })
timeline-lost = Marcado como perdido: { $reason }
timeline-reopened = Reabierto
timeline-quote-created = Cotización { $number } creada
timeline-quote-sent = Cotización { $number } enviada al cliente
timeline-quote-accepted = Cotización { $number } aceptada por el cliente
timeline-quote-rejected = Cotización { $number } rechazada por el cliente
timeline-quote-won = Cotización { $number } marcada como ganada
timeline-quote-lost = Cotización { $number } marcada como perdida
timeline-product-added = Producto agregado: { $quantity } × { $product } ({ $total })
timeline-product-removed = Producto quitado: { $quantity } × { $product } ({ $total })
timeline-added-to = Agregado a { $field }: { $name }
timeline-removed-from = Quitado de { $field }: { $name }
timeline-made-primary = { $name } es ahora la persona principal
timeline-changed = Cambió { $field }
deal-won-button = Ganado
deal-lost-button = Perdido
deal-stage-bar = Etapas
deal-stage-move-to = Mover a { $stage }
deal-move-pipeline = Mover a otro embudo
