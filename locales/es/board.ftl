# Dealflow — Español: The pipeline board and its cards.
# Every message id here exists in the same file of the other languages.

## Board
board-loading = Cargando el tablero…
board-no-stages = Este embudo aún no tiene etapas.
board-load-failed = No se pudo cargar el tablero.
board-back-primary = Volver al embudo principal
board-dismiss = Cerrar
board-move-failed = El movimiento no se guardó: { $error }
board-pipelines = Embudos
board-filters = Filtros
board-owner = Responsable
board-everyone = Todos
board-status = Estado
board-status-open = Abiertos
board-status-won = Ganados
board-status-lost = Perdidos
board-status-all = Todos
board-min-value = Valor mínimo
board-max-value = Valor máximo
board-search = Buscar
board-search-placeholder = Título, contacto, empresa
board-apply = Aplicar
board-stage-probability = Probabilidad de la etapa
board-learned-probability = Aprendida: { $won } de los { $closed } negocios que llegaron a esta etapa en los últimos 12 meses se ganaron
board-deals = Negocios
board-deals-word =
    { $count ->
        [one] negocio
       *[other] negocios
    }
board-total = Total
board-weighted = Ponderado
board-weighted-title = Ponderado por la probabilidad de la etapa
board-rots-after =
    { $days ->
        [one] se estanca tras { $days } día
       *[other] se estanca tras { $days } días
    }
board-kbd-help = Pulsa Espacio para tomar una tarjeta, las flechas para moverla, Espacio o Intro para soltarla y Escape para cancelar.
board-picked-up = Tomaste { $title }. Las flechas la mueven, Espacio o Intro la sueltan, Escape cancela.
board-moved = { $title }: { $stage }, posición { $position } de { $total }.
board-dropped = { $title } soltada en { $stage }, posición { $position }.
board-cancelled = Movimiento de { $title } cancelado.
board-no-deals = No hay negocios aquí
board-show-more = Mostrar { $next } más ({ $hidden } sin mostrar)
board-loading-more = Cargando…

## Cards
card-cold = Frío
card-warm = Tibio
card-hot = Caliente
card-expected-close = Cierre previsto
card-closes = cierra el { $date }
card-rotting = Estancado · { $days } d
card-rotting-title = Lleva en esta etapa más días de los previstos
card-won = Ganado
card-lost = Perdido
card-move = Mover { $title }
card-move-menu = Mover…
card-to-top = Al principio
card-up-one = Subir uno
card-down-one = Bajar uno
card-to-stage = A { $stage }
quick-add-open = Añadir un negocio
quick-add-title = Título del nuevo negocio
quick-add-value = Valor
quick-add-submit = Añadir
table-heading = Negocios
table-filters = Filtrar los negocios
table-any = Cualquiera
table-apply = Aplicar
table-clear = Limpiar
table-columns = Columnas
table-show-columns = Mostrar estas columnas
table-empty = Ningún negocio coincide con estos filtros.
table-summary = { $count ->
        [one] 1 negocio
       *[other] { $count } negocios
    } · página { $page } de { $pages }
table-created-from = Creado desde
table-created-to = Creado hasta
table-close-from = Cierre desde
table-close-to = Cierre hasta
table-col-title = Título
table-col-pipeline = Embudo
table-col-stage = Etapa
table-col-status = Estado
table-col-value = Valor
table-col-owner = Responsable
table-col-contact = Contacto
table-col-organization = Organización
table-col-expected-close = Cierre previsto
table-col-lead-source = Origen del lead
table-col-tags = Etiquetas
table-col-created = Creado
table-col-updated = Actualizado
table-views = Vistas
table-no-views = Todavía no hay vistas guardadas.
table-view-shared = compartida
table-save-view = Guardar esta vista
table-view-name = Nombre
table-view-share = Compartir con el equipo
table-view-save = Guardar vista
table-view-saved = Vista guardada.
table-delete-view = Borrar la vista { $name }
table-delete-view-confirm = ¿Borrar la vista «{ $name }»?
table-bulk-action = Con los negocios marcados
table-bulk-assign = Asignarles un responsable
table-bulk-move = Moverlos a una etapa
table-bulk-tag = Añadir una etiqueta
table-bulk-lose = Marcar perdidos los abiertos
table-bulk-delete = Borrarlos
table-bulk-reason = Motivo de pérdida
table-bulk-confirm = Sí, borrarlos
table-bulk-confirm-needed = marca «Sí, borrarlos» para borrar los negocios marcados
table-bulk-apply = Aplicar a los negocios marcados
table-bulk-done = { $count ->
        [one] Se cambió 1 negocio.
       *[other] Se cambiaron { $count } negocios.
    }
table-pick = Marcar { $title }
table-picked = Marcados
board-unconverted = { $count } sin convertir
board-unconverted-title = Tarjetas en una moneda sin tipo de cambio para su día, fuera de los totales
board-total-title = En { $currency }, la moneda base de la cuenta: las tarjetas en otras monedas se convierten al tipo del día en que se cerraron, o al de hoy
