# Dealflow — Español: Why a value is refused, as forms show it (the JSON API answers with the
# same English sentences). Every message id here exists in the same file of the other languages.
# Names, values and keys in quotes are what the user typed: they are never translated.

## Required, lengths and numbers
err-required = es obligatorio
err-not-empty = no puede estar vacío
err-length = debe tener de { $min } a { $max } caracteres
err-too-long =
    debe tener como máximo { $max ->
        [one] { $max } carácter
       *[other] { $max } caracteres
    }
err-too-short =
    debe tener al menos { $min ->
        [one] { $min } carácter
       *[other] { $min } caracteres
    }
err-chars = debe tener de { $min } a { $max } caracteres
err-required-chars = es obligatorio (de { $min } a { $max } caracteres)
err-not-negative = no puede ser negativo
err-range = debe estar entre { $from } y { $to }
err-one-or-more = debe ser 1 o más
err-true-or-false = debe ser verdadero o falso
err-must-be-text = debe ser texto
err-one-of = debe ser uno de estos: { $choices }

## Records missing from the account
err-no-such-deal = ese negocio no existe en esta cuenta
err-no-such-contact = ese contacto no existe en esta cuenta
err-no-such-stage = esa etapa no existe en esta cuenta
err-no-such-user = ese usuario no existe en esta cuenta
err-no-such-label = esa etiqueta no existe en esta cuenta
err-no-such-organization = esa organización no existe en esta cuenta
err-no-such-product = ese producto no existe en esta cuenta
err-not-found-here = no se encontró en esta cuenta

## Values of the wrong shape
err-not-a-number = "{ $value }" no es un número
err-not-a-date = "{ $value }" no es una fecha (AAAA-MM-DD)
err-not-a-date-time = "{ $value }" no es una fecha con hora (AAAA-MM-DDTHH:MM)
err-not-an-email = "{ $value }" no es un correo electrónico válido
err-invalid-email = no es un correo electrónico válido
err-not-a-currency = "{ $value }" no es un código de moneda ISO 4217
err-not-a-percentage = "{ $value }" no es un porcentaje

## Amounts
err-amount-empty = falta el monto
err-amount-decimals = el monto tiene más de 2 decimales
err-amount-too-large = el monto es demasiado grande (como máximo { $max })
err-amount-overflow = el monto es demasiado grande
err-two-decimals = debe tener como máximo 2 decimales
err-line-total-too-large = el total de la línea es demasiado grande

## Deals
err-visibility = debe ser 0, 1 o 2
err-temperature = debe ser 1 (frío), 2 (tibio) o 3 (caliente)
err-say-why-lost = indica por qué se perdió el negocio
err-already-open = el negocio ya está abierto
err-too-many-attributes = un negocio tiene como máximo { $max } atributos personalizados
err-user-deactivated = este usuario está desactivado
err-link-not-valid = este enlace ha caducado o ya se usó
err-not-current-password = no es tu contraseña actual
err-already-a-user = ya pertenece a un usuario

## Pipelines and stages
err-other-stage = debe ser otra etapa del mismo embudo
err-stage-of-another-pipeline = no corresponde al embudo de la etapa
err-pipeline-without-stages = el embudo no tiene etapas
err-primary-pipeline-without-stages = el embudo principal no tiene etapas
err-required-by-pipeline = es obligatorio en este embudo
err-stage-key-shape = debe tener de 1 a 50 letras minúsculas, dígitos o guiones bajos
err-stage-key-taken = "{ $key }" ya es la clave de otra etapa de este embudo
err-rotting-days = debe estar entre 1 y 365 días, o quedar vacío
err-each-stage-once =
    debe incluir { $count ->
        [one] la única etapa del embudo
       *[other] cada una de las { $count } etapas del embudo una sola vez
    }
err-stage-has-deals =
    "{ $stage }" tiene { $count ->
        [one] { $count } negocio; elige la etapa a la que pasa
       *[other] { $count } negocios; elige la etapa a la que pasan
    }

## Contacts, tags, lists and products
err-email-taken = { $name } ya tiene el correo { $value }
err-phone-taken = { $name } ya tiene el teléfono { $value }
err-tag-exists = ya existe una etiqueta "{ $name }"
err-organization-exists = ya existe una organización "{ $name }"
err-lead-source-exists = "{ $name }" ya es un origen de leads
err-already-in-list = "{ $name }" ya está en la lista
err-tracker-exists = "{ $code }" ya es un código de seguimiento
err-no-longer-sold = "{ $name }" ya no se vende

## Quotes
err-add-an-item = agrega al menos un ítem
err-too-many-items = una cotización tiene como máximo { $max } ítems
err-no-products-to-quote = el negocio no tiene productos para cotizar; agrega productos o escribe la cotización a mano
err-client-without-email = el cliente no tiene correo electrónico; primero agrégalo al contacto del negocio

## Automations
err-at-least-one-action = se necesita al menos una acción
err-delay-range = debe ser un número entero de minutos entre 0 y { $max }
err-needs-number = { $field } { $op } necesita un número
err-needs-value = { $field } { $op } necesita un valor
err-field-is-one-of = { $field } es uno de estos: { $choices }
err-pick-a-deal = este disparador es sobre negocios; elige un negocio
err-pick-a-quote = este disparador es sobre cotizaciones; elige una cotización

## Webhooks
err-control-characters = no puede contener caracteres de control
err-not-a-url = no es una URL válida ({ $reason })
err-http-url = debe empezar con http:// o https://
err-url-host = debe indicar un host
err-choose-an-event = elige al menos un evento para enviar
err-webhook-limit = la cuenta ya tiene { $count } webhooks, el máximo permitido; elimina uno para agregar otro

## The names of input fields, as an error names the field at fault
field-title = Título
field-name = Nombre
field-full-name = Nombre completo
field-value = Valor
field-currency = Moneda
field-stage-id = Etapa
field-pipeline-id = Embudo
field-contact-id = Contacto
field-deal-id = Negocio
field-user-id = Usuario
field-product-id = Producto
field-label-id = Etiqueta
field-email = Correo electrónico
field-phone = Teléfono
field-password = Contraseña
field-expected-close-date = Fecha de cierre prevista
field-lost-reason = Motivo de la pérdida
field-close-notes = Notas del cierre
field-final-value = Valor final
field-quality-rating = Calidad del lead
field-quality-reason = Motivo de la calidad
field-visibility = Visibilidad
field-temperature = Temperatura
field-content = Nota
field-kind = Tipo
field-due-at = Vencimiento
field-quantity = Cantidad
field-unit-amount = Precio unitario
field-unit-price = Precio unitario
field-discount-pct = Descuento %
field-product-name = Producto
field-model = Modelo
field-items = Ítems
field-notes = Notas
field-valid-until = Válida hasta
field-client-email = Correo del cliente
field-key = Clave
field-probability = Probabilidad
field-rotting-days = Estancado después de (días)
field-move-to = Pasar los negocios a
field-url = URL
field-events = Eventos
field-points = Puntos
field-identifier = Código
field-code = Código
field-target = Registro
field-trigger = Disparador
field-conditions = Condiciones
field-actions = Acciones
field-status = Estado
field-position = Posición
field-time-zone = Zona horaria
field-default-country = País predeterminado
field-role = Rol
field-description = Descripción
err-wrong-code = no es el código de tu app de autenticación ni uno de tus códigos de recuperación
err-two-factor-required-here = esta cuenta exige el inicio de sesión en dos pasos
err-two-factor-yourself-first = activa primero el inicio de sesión en dos pasos para ti
err-sign-in-expired = este inicio de sesión esperó demasiado; vuelve a iniciar sesión
