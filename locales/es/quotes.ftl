# Dealflow — Español: Quotes, their editor and the client portal.
# Every message id here exists in the same file of the other languages.


## The quote page
quote-loading = Cargando la cotización…
quote-load-failed = No se pudo cargar esta cotización.
quote-back-to-pipeline = Volver al embudo
quote-word = Cotización
# After the deal's title in the breadcrumb: "Big deal / quote".
quote-breadcrumb = cotización
quote-status = Estado
quote-status-draft = Borrador
quote-status-sent = Enviada
quote-status-accepted = Aceptada
quote-status-rejected = Rechazada
quote-status-won = Ganada
quote-status-lost = Perdida
quote-status-unknown = Desconocido
quote-send = Enviar
quote-send-again = Enviar de nuevo
quote-send-to-client = Enviar al cliente
quote-send-confirm = ¿Enviar esta cotización al cliente por correo?
quote-action-won = Ganada
quote-action-lost = Perdida
quote-mark-won = Marcar como ganada
quote-mark-lost = Marcar como perdida
quote-lost-confirm = ¿Marcar esta cotización como perdida?
quote-print = Imprimir
quote-viewed =
    { $count ->
        [one] Vista { $count } vez
       *[other] Vista { $count } veces
    }
quote-client-link = Enlace para el cliente (compártelo o cópialo)
quote-labels = Etiquetas:
quote-label = Etiqueta
quote-remove-label = Quitar la etiqueta { $name }
quote-add = Agregar
quote-labels-none = ninguna

## Items and the editor
quote-product = Producto
quote-model = Modelo
quote-unit-price = Precio unitario
quote-qty = Cant.
quote-discount-pct = Descuento %
quote-remove-row = Quitar esta fila
quote-remove = quitar
quote-add-row = + Agregar una fila
quote-edit-items = Editar ítems (solo en borrador)
quote-tax = Impuestos
quote-shipping = Envío
quote-save-items = Guardar ítems

## The quote document
quote-title = Cotización { $number }
quote-issued = Emitida el { $date }
quote-client = Cliente
quote-no-contact = Sin contacto
quote-valid-until = Válida hasta
quote-no-expiry = Sin fecha de vencimiento
quote-discount = Descuento
quote-amount = Importe
quote-subtotal = Subtotal
quote-total = Total
quote-notes = Notas

## Errors
quote-error-not-whole-number = "{ $value }" no es un número entero
quote-error-choose-label = elige una etiqueta
quote-error-unknown-operation = operación desconocida "{ $op }"

## The client's portal
portal-answered-accepted = Gracias: aceptó esta cotización. Ya se le avisó al vendedor.
portal-answered-rejected = Rechazó esta cotización. Ya se le avisó al vendedor.
portal-not-found = Cotización no encontrada
portal-not-found-text = Este enlace no lleva a ninguna cotización. Verifique que copió la dirección completa del correo.
portal-load-failed = No se pudo cargar esta cotización
portal-closed-accepted = Usted aceptó esta cotización.
portal-closed-declined = Esta cotización fue rechazada.
portal-closed-preparing = Esta cotización todavía se está preparando.
portal-accept = Aceptar cotización
portal-accept-confirm = ¿Aceptar esta cotización?
portal-reject = Rechazar
portal-reject-confirm = ¿Rechazar esta cotización?
