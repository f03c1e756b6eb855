# Dealflow — Português (Brasil): The deal page: header, stage, details, notes, links, products and quotes.
# Every message id here exists in the same file of the other languages.


## Page and header
deal-loading = Carregando o negócio…
deal-load-failed = Não foi possível carregar este negócio.
deal-back-to-pipeline = Voltar ao funil
deal-status-open = aberto
deal-status-won = ganho
deal-status-lost = perdido
deal-stage = Etapa
deal-stage-move = Mover
deal-stage-moving = Movendo…
deal-stage-changed = Etapa alterada.

## Details
deal-details = Detalhes
deal-title = Título
deal-value = Valor
deal-currency = Moeda
deal-expected-close = Fechamento previsto
deal-responsible = Responsável
deal-nobody = Ninguém
deal-organization = Empresa
deal-no-organization = Nenhuma
deal-lead-source = Origem do lead
deal-lead-source-unknown = Desconhecida
deal-temperature = Temperatura
deal-temperature-not-set = Não definida
deal-temperature-cold = Frio
deal-temperature-warm = Morno
deal-temperature-hot = Quente
deal-visibility = Visibilidade
deal-visibility-owner = Só o responsável
deal-visibility-team = A equipe do responsável
deal-visibility-everyone = Todos
deal-quality-rating = Nota de qualidade
deal-not-rated = Sem nota
deal-quality-reason = Motivo da nota
deal-save = Salvar
deal-saving = Salvando…
deal-saved = Salvo.
deal-marketing = Marketing
deal-activities = Atividades
deal-no-activities = Nenhuma atividade planejada para este negócio.

## Outcome
deal-final-value = Valor final
deal-close-notes = Observações do fechamento
deal-mark-won = Marcar como ganho
deal-lost-reason = Motivo da perda
deal-choose-reason = Escolha um motivo
deal-other-reason = Ou com suas palavras
deal-mark-lost = Marcar como perdido
deal-won-on = Ganho em { $date } por { $value }.
deal-lost-on = Perdido em { $date }: { $reason }
deal-reopen = Reabrir

## Notes and history
deal-notes-history = Notas e histórico
deal-note = Nota
deal-note-placeholder = Escreva uma nota…
deal-note-add = Adicionar nota
deal-note-pin = Fixar
deal-note-unpin = Desafixar
deal-note-delete = Excluir
deal-note-delete-confirm = Excluir esta nota?
deal-timeline-empty = Nada aconteceu ainda.
# $kind is the activity's kind: call, meeting, email, task or note.
deal-timeline-completed =
    { $kind ->
        [call] Ligação realizada
        [meeting] Reunião realizada
        [email] E-mail enviado
        [task] Tarefa concluída
        [note] Nota registrada
       *[other] Atividade concluída ({ $kind })
    }: { $title }

## People, team, tags and custom attributes
deal-add = Adicionar
deal-remove = remover
deal-people = Pessoas
deal-no-people = Nenhum contato neste negócio ainda.
deal-primary = principal
deal-make-primary = tornar principal
deal-add-contact = Adicionar um contato…
# { $link } is the link whose text is deal-no-contacts-link.
deal-no-contacts = Ainda não há contatos: { $link }.
deal-no-contacts-link = adicione um
deal-assignees = Participantes
deal-assign-someone = Atribuir a alguém…
deal-followers = Seguidores
deal-follow = Seguir
deal-unfollow = Deixar de seguir
deal-add-follower = Adicionar um seguidor…
deal-nobody-yet = Ninguém ainda.
deal-tags = Etiquetas
deal-no-tags = Sem etiquetas.
deal-add-tag = Adicionar uma etiqueta…
# { $link } is the link whose text is deal-settings-link.
deal-tags-in-settings = Proprietários e administradores definem as etiquetas nas { $link }.
deal-settings-link = configurações
deal-attributes = Campos personalizados
deal-attributes-none = Nenhum ainda.
deal-attribute-remove = Remover { $key }
deal-attribute-key = Nome do campo
deal-attribute-key-placeholder = nome
deal-attribute-value = Valor do campo
deal-attribute-value-placeholder = valor
deal-attribute-set = Salvar

## Products
deal-products = Produtos
deal-no-products = Nenhum produto neste negócio.
deal-product = Produto
deal-qty = Qtd.
deal-unit = Unitário
deal-total = Total
deal-remove-product = Remover { $name }
deal-products-total = Total dos produtos
# { $link } is the link whose text is deal-settings-link.
deal-catalog-empty = O catálogo ainda não tem produtos; proprietários e administradores os cadastram nas { $link }.
deal-choose-product = Escolha um produto
deal-unit-amount = Preço unitário
deal-catalog-price = preço do catálogo

## Quotes on the deal
deal-quotes = Orçamentos
deal-quotes-from-products = Criar com os produtos do negócio
deal-quotes-from-products-title = Um item para cada linha de produto deste negócio
deal-quotes-need-products = Adicione produtos ao negócio primeiro
deal-quotes-empty = Nenhum orçamento para este negócio ainda.
deal-quotes-views = Visualizações
deal-quotes-until = válido até { $date }
deal-quotes-new-by-hand = Novo orçamento manual
deal-quotes-create = Criar orçamento

## Errors
deal-error-choose-from-list = escolha um da lista
deal-error-choose-product = escolha um produto
deal-error-unknown-link = vínculo desconhecido "{ $kind }"
deal-error-unknown-operation = operação desconhecida "{ $op }"

## Timeline events
timeline-opened = Negócio aberto em { $stage }
timeline-opened-first = Negócio aberto na primeira etapa
timeline-stage-changed = Etapa alterada: { $from } → { $to }
timeline-won = Marcado como ganho
timeline-won-value = Marcado como ganho (valor final { $value })
timeline-lost = Marcado como perdido: { $reason }
timeline-reopened = Reaberto
timeline-quote-created = Orçamento { $number } criado
timeline-quote-sent = Orçamento { $number } enviado ao cliente
timeline-quote-accepted = Orçamento { $number } aceito pelo cliente
timeline-quote-rejected = Orçamento { $number } recusado pelo cliente
timeline-quote-won = Orçamento { $number } marcado como ganho
timeline-quote-lost = Orçamento { $number } marcado como perdido
timeline-product-added = Produto adicionado: { $quantity } × { $product } ({ $total })
timeline-product-removed = Produto removido: { $quantity } × { $product } ({ $total })
timeline-added-to = Adicionado a { $field }: { $name }
timeline-removed-from = Removido de { $field }: { $name }
timeline-made-primary = { $name } agora é a pessoa principal
timeline-changed = Alterou { $field }
deal-won-button = Ganho
deal-lost-button = Perdido
deal-stage-bar = Etapas
deal-stage-move-to = Mover para { $stage }
deal-move-pipeline = Mover para outro funil
