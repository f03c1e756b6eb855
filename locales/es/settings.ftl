# Dealflow — Español: Settings: pipelines, catalog, team, API keys and webhooks.
# Every message id here exists in the same file of the other languages.

## Shared
set-title = Configuración
set-loading = Cargando la configuración…
set-read-only = Solo los propietarios y administradores pueden cambiar la configuración; tú puedes consultarla.
set-name = Nombre
set-add = Agregar
set-save = Guardar
set-rename = Renombrar
set-remove = Quitar
set-delete = Eliminar
set-api-reference = Referencia de la API

## Lost reasons, points, phone numbers
set-lost-reasons = Motivos de pérdida
set-lost-reasons-empty = Todavía no hay motivos de pérdida; los vendedores escriben el suyo.
set-new-reason = Nuevo motivo
set-new-lost-reason = Nuevo motivo de pérdida
set-points = Puntos por actividad completada
set-points-for = Puntos por { $kind }
set-activity-call = llamada
set-activity-meeting = reunión
set-activity-email = correo
set-activity-task = tarea
set-activity-note = nota
set-error-not-whole-number = "{ $value }" no es un número entero
set-phones = Teléfonos
set-default-country = País de los números escritos sin código de país
set-default-country-help = Dos letras (BR, MX, US…); vacío: los números necesitan su código de país (+52…).

## Pipelines and stages
set-pipelines = Embudos y etapas
set-pipelines-loading = Cargando embudos…
set-new-pipeline = Nuevo embudo
set-new-pipeline-name = Nombre del nuevo embudo
set-add-pipeline = Agregar embudo
set-pipeline-name = Nombre del embudo
set-primary = principal
set-delete-pipeline = Eliminar embudo
set-delete-pipeline-confirm = ¿Eliminar este embudo y sus etapas?
set-delete-pipeline-has-deals = Primero mueve o elimina sus negocios
set-drag-to-reorder = Arrastra para reordenar
set-stage-key = Clave
set-stage-probability = Probabilidad %
set-stage-rotting = Estancado después de (días)
set-stage-deals =
    { $count ->
        [one] { $count } negocio
       *[other] { $count } negocios
    }
set-stage-move-up = Subir { $stage }
set-stage-move-down = Bajar { $stage }
set-delete-stage-confirm = ¿Eliminar esta etapa?
set-move-deals-to = Mover sus negocios a
set-move-deals-choose = Mover negocios a…
set-last-stage = Un embudo necesita al menos una etapa
set-new-stage = Nueva etapa
set-new-stage-name = Nombre de la nueva etapa
set-new-stage-probability = Probabilidad de la nueva etapa
set-add-stage = Agregar etapa

## Tags and products
set-catalog-loading = Cargando etiquetas y productos…
set-tags = Etiquetas
set-tags-empty = Todavía no hay etiquetas.
set-tag-name = Nombre de la etiqueta
set-new-tag = Nueva etiqueta
set-delete-tag-confirm = ¿Eliminar esta etiqueta? Los negocios la pierden.
set-error-tag-op = "{ $op }" no es add, rename ni delete
set-products = Productos
set-products-empty = Todavía no hay productos; agrega lo que vendes para ponerlo en los negocios.
set-product-retire = Retirar
set-product-restore = Restaurar
set-add-product = Agregar producto
set-product-code = Código
set-product-price = Precio unitario
set-product-currency = Moneda

## Users
set-users = Usuarios
set-users-loading = Cargando usuarios…
set-user-deactivated = desactivado
set-role = Rol
set-role-of = Rol de { $name }
set-role-sales = Vendedor
set-role-admin = Administrador
set-role-owner = Propietario
set-change = Cambiar
set-user-access-confirm = ¿Cambiar el acceso de este usuario?
set-user-deactivate = Desactivar
set-user-reactivate = Reactivar
set-email = Correo
set-first-password = Contraseña inicial
set-add-user = Agregar usuario
set-error-user-op = "{ $op }" no es role, deactivate ni activate

## API keys
set-api-keys = Claves de API
set-api-keys-help = Las claves permiten que otros sistemas usen la API JSON.
set-api-keys-loading = Cargando claves…
set-api-keys-empty = Todavía no hay claves de API.
set-api-key-only-from = solo desde { $domain }
set-api-key-last-used = último uso: { $when }
set-api-key-never-used = nunca usada
set-api-key-revoked = revocada
set-api-key-revoke = Revocar
set-api-key-revoke-confirm = ¿Revocar esta clave? Los sistemas que la usan dejan de funcionar.
set-api-key-copy-now = Copia esta clave ahora; no se vuelve a mostrar:
set-api-key-done = Listo: mostrarla en la lista
set-api-key-name-placeholder = Formulario del sitio web
set-api-key-domain = Dominio permitido (opcional)
set-api-key-create = Crear clave
set-api-key-scopes = Permisos
set-scope-opportunities-read = leer oportunidades y etapas
set-scope-opportunities-write = crear, cambiar y cerrar oportunidades
set-scope-activities-read = leer actividades
set-scope-activities-write = crear y completar actividades
set-scope-deals-read = leer negocios (API de cuentas)
set-scope-deals-write = crear y cambiar negocios, captación de leads
set-scope-contacts-read = leer contactos y organizaciones
set-scope-contacts-write = crear y cambiar contactos y organizaciones
set-scope-users-read = leer los usuarios del equipo
set-scope-users-write = añadir usuarios, cambiar roles, desactivar usuarios (como quien creó la clave)
set-scope-config-manage = cambiar embudos, catálogos, ajustes y webhooks
set-scope-all = todo

## Webhooks
set-webhooks = Webhooks
set-webhooks-help = Otros sistemas se enteran de los cambios en cuanto ocurren: cada evento se envía por POST, en JSON, a la URL, en orden, firmado con el secreto del webhook (X-Dealflow-Signature). Las llamadas fallidas se reintentan; tras 10 entregas fallidas seguidas, el webhook se desactiva y se te avisa.
set-webhooks-loading = Cargando webhooks…
set-webhooks-empty = Todavía no hay webhooks.
set-webhook-active = activo
set-webhook-off = desactivado
set-webhook-failures =
    { $count ->
        [one] { $count } fallo seguido
       *[other] { $count } fallos seguidos
    }
set-webhook-turned-off = Desactivado el { $when }: { $reason }.
set-webhook-turned-off-help = Arregla el receptor, envía un evento de prueba y vuelve a activarlo.
set-webhook-events = Eventos: { $events }
set-webhook-secret = Secreto de firma
set-webhook-send-test = Enviar evento de prueba
set-webhook-sending = Enviando…
set-webhook-test-queued = Evento de prueba en cola.
set-webhook-turn-off = Desactivar
set-webhook-turn-on = Activar
set-webhook-delete-confirm = ¿Eliminar este webhook? También se borra su historial de entregas y los eventos pendientes no se envían.
set-webhook-more = Las últimas { $shown } de { $total } entregas (todas: GET /v1/webhooks/{ $id }/deliveries).
set-webhook-url = URL
set-webhook-add = Agregar webhook
set-webhook-adding = Agregando…
set-webhook-added = Webhook agregado.
set-webhook-events-legend = Eventos
set-error-not-an-event = "{ $name }" no es un evento
set-deliveries = Entregas recientes
set-deliveries-empty = Todavía no hay entregas.
set-delivery-time = Hora
set-delivery-event = Evento
set-delivery-status = Estado
set-delivery-http = HTTP
set-delivery-tries = Intentos
set-delivery-error = Error
set-delivery-pending = pendiente
set-delivery-delivered = entregada
set-delivery-failed = fallida
set-delivery-retrying = reintento el { $when }
set-delivery-test = (prueba)
set-event-deal-created = se creó un negocio
set-event-deal-updated = cambiaron los campos, las personas o los productos de un negocio
set-event-deal-stage-changed = un negocio pasó a otra etapa
set-event-deal-won = se ganó un negocio
set-event-deal-lost = se perdió un negocio
set-event-deal-reopened = se reabrió un negocio ganado o perdido
set-event-deal-deleted = se borró un negocio
set-event-contact-created = se creó un contacto
set-event-contact-updated = se cambió un contacto
set-event-contact-deleted = se eliminó un contacto
set-event-organization-created = se creó una organización
set-event-organization-updated = se renombró una organización
set-event-organization-deleted = se eliminó una organización
set-event-activity-completed = se completó una actividad
set-event-quote-created = se creó una cotización
set-event-quote-sent = se envió una cotización al cliente
set-event-quote-viewed = el cliente abrió una cotización
set-event-quote-accepted = el cliente aceptó una cotización
set-event-quote-rejected = el cliente rechazó una cotización
set-event-quote-won = una cotización se marcó como ganada
set-event-quote-lost = una cotización se marcó como perdida
set-event-quote-expiring = una cotización vence en menos de 24 horas
set-sections = Secciones de la configuración

## Invitaciones
set-invite-title = Invitar por correo electrónico
set-invite-intro = Reciben un enlace, válido por 7 días, para elegir su nombre y contraseña.
set-invite-send = Enviar invitación
set-invite-none = No hay invitaciones pendientes.
set-invite-expired = caducada
set-invite-until = enlace válido hasta { $date }
set-invite-by = invitado por { $name }
set-invite-resend = Enviar de nuevo
set-invite-revoke = Revocar
set-invite-revoke-confirm = ¿Revocar esta invitación? Su enlace dejará de funcionar.

## Keys of deactivated users
set-api-key-by = creada por { $name }
set-api-key-by-deactivated = creada por { $name }, desactivado: sigue funcionando hasta que se revoque
set-user-live-keys = { $count ->
    [one] una clave de API que creó sigue funcionando
   *[other] { $count } claves de API que creó siguen funcionando
}

## Lo que se conserva
set-kept = Lo que se conserva
set-kept-intro = El trabajo en segundo plano terminado se borra pasados los días indicados: registros de ejecución de automatizaciones, entregas de webhooks, correos enviados y los archivos de importaciones terminadas. Las sesiones caducadas y los enlaces usados o caducados se borran enseguida.
set-kept-days = Días que se conservan
set-kept-jobs = { $count ->
    [one] una tarea en segundo plano terminada
   *[other] { $count } tareas en segundo plano terminadas
}
set-kept-logs = { $count ->
    [one] un registro de ejecución de automatizaciones
   *[other] { $count } registros de ejecución de automatizaciones
}
set-kept-deliveries = { $count ->
    [one] una entrega de webhooks
   *[other] { $count } entregas de webhooks
}
set-kept-emails = { $count ->
    [one] un correo en la bandeja de salida
   *[other] { $count } correos en la bandeja de salida
}
set-kept-always = Los negocios, personas, actividades, notas y el historial nunca se borran con esto.

## Registro de auditoría
audit-title = Registro de auditoría
audit-back = Volver a la configuración
audit-intro = Quién hizo qué con las personas, los accesos y la configuración de la cuenta, cuándo y desde qué dirección. Lo ven los propietarios y administradores; nada aquí se puede editar.
audit-action = Acción
audit-any = Cualquier acción
audit-user = Usuario
audit-anyone = Cualquiera
audit-from = Desde
audit-to = Hasta
audit-filter = Filtrar
audit-csv = Descargar CSV
audit-older = Entradas anteriores
audit-none = No hay nada registrado con este filtro.
audit-when = Cuándo
audit-who = Quién
audit-what = Qué
audit-address = Dirección
audit-via-key = { $who } con la clave de API { $key }
audit-key = Clave de API { $key }
audit-system = Dealflow
set-user-two-factor = dos pasos
set-user-clear-two-factor = Borrar dos pasos
set-user-clear-two-factor-confirm = ¿Borrar el inicio de sesión en dos pasos de este usuario? Sus sesiones terminan; lo configurará de nuevo (obligatorio si la cuenta lo exige).
set-two-factor-title = Inicio de sesión en dos pasos para todos
set-two-factor-intro = Cuando es obligatorio, todos entran con un código de una app de autenticación; quien no lo tenga lo configura en su próximo inicio de sesión.
set-two-factor-on-confirm = ¿Exigir el inicio de sesión en dos pasos? Quien no lo tenga configurado sale ahora y lo configura en su próximo inicio de sesión.
set-two-factor-off-confirm = ¿Hacer opcional el inicio de sesión en dos pasos? Cada usuario podrá desactivar el suyo.
set-two-factor-is-required = Obligatorio para todos.
set-two-factor-is-optional = Opcional: cada usuario decide.
set-two-factor-make-optional = Hacer opcional
set-two-factor-require = Exigirlo
audit-action-signed_in = Inició sesión
audit-action-sign_in_failed = Inicio de sesión fallido
audit-action-code_refused = Código de dos pasos rechazado
audit-action-password_changed = Contraseña cambiada
audit-action-password_reset = Contraseña restablecida por enlace
audit-action-two_factor_on = Dos pasos activado
audit-action-two_factor_off = Dos pasos desactivado
audit-action-two_factor_cleared = Dos pasos borrado
audit-action-recovery_codes_renewed = Nuevos códigos de recuperación
audit-action-two_factor_required = Dos pasos obligatorio
audit-action-two_factor_optional = Dos pasos opcional
audit-action-invitation_sent = Invitación enviada
audit-action-invitation_resent = Invitación reenviada
audit-action-invitation_revoked = Invitación revocada
audit-action-invitation_accepted = Invitación aceptada
audit-action-user_added = Usuario añadido
audit-action-role_changed = Rol cambiado
audit-action-user_deactivated = Usuario desactivado
audit-action-user_reactivated = Usuario reactivado
audit-action-api_key_created = Clave de API creada
audit-action-api_key_revoked = Clave de API revocada
audit-action-automation_created = Automatización creada
audit-action-automation_changed = Automatización modificada
audit-action-automation_deleted = Automatización eliminada
audit-action-pipeline_created = Embudo creado
audit-action-pipeline_changed = Embudo renombrado
audit-action-pipeline_deleted = Embudo eliminado
audit-action-stage_created = Etapa añadida
audit-action-stage_changed = Etapa modificada
audit-action-stage_deleted = Etapa eliminada
audit-action-stages_reordered = Etapas reordenadas
audit-action-deal_deleted = Negocio eliminado
audit-action-import_started = Importación iniciada
audit-action-import_finished = Importación terminada
audit-action-retention_changed = Conservación cambiada
audit-action-currencies_changed = Monedas cambiadas
set-probability-source = Probabilidades del pronóstico y de los totales ponderados
set-probability-configured = Configuradas en cada etapa
set-probability-learned = Aprendidas de los negocios cerrados
set-probability-explained = Una probabilidad aprendida es la parte ganada de los negocios que llegaron a la etapa y se cerraron en los últimos 12 meses. Una etapa la usa cuando se basa en { $min } negocios cerrados; hasta entonces se usa la probabilidad configurada.
set-learned = Aprendida: { $percent } % ({ $won } ganados de { $closed } cerrados)
set-learned-too-few = Aprendida: { $percent } % con solo { $closed } cerrados — se necesitan { $min }
set-learned-none = Aprendida: aún no hay negocios cerrados
set-learned-in-use = en uso
set-currencies = Monedas
set-currencies-intro = Los totales del tablero, los informes y la clasificación están en la moneda base. Los negocios en otras monedas se convierten al tipo del día en que se cerraron (hoy mientras siguen abiertos): el último tipo dado en ese día o antes. Sin tipo quedan fuera de las sumas, y la página lo indica.
set-base-currency = Moneda base (ISO 4217)
set-rates-none = Aún no hay tipos de cambio.
set-rate-currency = Moneda
set-rate-day = Desde
set-rate = Tipo
set-rate-save = Fijar tipo
set-rate-delete-confirm = ¿Eliminar este tipo? Los negocios de esos días se convertirán al tipo anterior, o no se convertirán.
