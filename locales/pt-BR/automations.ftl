# Dealflow — Português (Brasil): Automations: list, builder and run logs.
# Every message id here exists in the same file of the other languages.

## List
auto-title = Automações
auto-outbox = Caixa de saída
auto-new = Nova automação
auto-loading = Carregando automações…
auto-empty = Nenhuma automação ainda.
auto-empty-help = Uma automação executa ações — um e-mail, uma notificação, um webhook — quando algo acontece com um orçamento ou um negócio.
auto-after-minutes = após { $minutes } min
auto-runs =
    { $count ->
        [0] { $count } execuções
        [one] { $count } execução
       *[other] { $count } execuções
    }
auto-on = Ativa
auto-off = Inativa
auto-delete = Excluir
auto-delete-confirm = Excluir esta automação e todo o histórico de execuções? Não dá para desfazer.
auto-signatures = Assinatura dos webhooks
auto-signatures-help = Toda chamada de webhook leva X-Dealflow-Timestamp e X-Dealflow-Signature: sha256=HMAC-SHA256(segredo, timestamp + "." + corpo). Confira a assinatura para saber que a chamada é nossa.
auto-show-secret = Mostrar o segredo de assinatura

## Builder
auto-back = ← Automações
auto-edit = Editar automação
auto-loading-one = Carregando…
auto-name = Nome
auto-name-placeholder = Avise-me sobre orçamentos grandes
auto-when = Quando
auto-wait = Aguardar (minutos)
auto-active = Ativa
auto-conditions = Somente se todas estas condições valerem
auto-no-conditions = Sem condições: executa a cada evento.
auto-add-condition = + Adicionar condição
auto-actions = Então, nesta ordem
auto-no-actions = Adicione pelo menos uma ação.
auto-saving = Salvando…
auto-save = Salvar automação
auto-cancel = Cancelar
auto-placeholders-help = As mensagens podem usar campos do registro, como { "{{quoteNumber}}" }, { "{{total}}" }, { "{{client.contactName}}" } nos orçamentos ou { "{{title}}" }, { "{{value}}" }, { "{{stage}}" } nos negócios.
# A save refused for one row: "Condition 2, value — needs a number".
auto-error-condition = Condição { $n }, { $part } — { $message }
auto-error-action = Ação { $n }, { $part } — { $message }
auto-error-not-an-automation = não é uma automação ({ $error })
auto-error-not-a-list = não é uma lista JSON
auto-error-enter-number = informe um número

## Conditions
auto-field = Campo
auto-operator = Operador
auto-value = Valor
auto-choose = escolha…
auto-choose-stage = escolha uma etapa…
auto-any-item = (qualquer item)
auto-remove = Remover
auto-op-eq = é
auto-op-neq = não é
auto-op-gt = maior que
auto-op-lt = menor que
auto-op-gte = pelo menos
auto-op-lte = no máximo
auto-op-contains = contém
auto-op-starts-with = começa com
auto-op-is-empty = está vazio
auto-op-is-not-empty = não está vazio

## Triggers
auto-trigger-quote-created = Um orçamento foi criado
auto-trigger-quote-sent = Um orçamento foi enviado ao cliente
auto-trigger-quote-viewed = O cliente viu o orçamento no portal
auto-trigger-quote-accepted = O cliente aceitou o orçamento
auto-trigger-quote-rejected = O cliente recusou o orçamento
auto-trigger-quote-won = O orçamento foi marcado como ganho
auto-trigger-quote-lost = O orçamento foi marcado como perdido
auto-trigger-quote-expiring = O orçamento vence em até 24 horas
auto-trigger-deal-created = Um negócio foi criado
auto-trigger-deal-stage-changed = Um negócio mudou de etapa
auto-trigger-deal-won = Um negócio foi ganho
auto-trigger-deal-lost = Um negócio foi perdido
auto-trigger-activity-completed = Uma atividade de um negócio foi concluída

## Fields conditions test
auto-field-status = Status
auto-field-currency = Moeda
auto-field-total = Total
auto-field-subtotal = Subtotal
auto-field-tax = Impostos
auto-field-shipping-cost = Frete
auto-field-view-count = Visualizações
auto-field-quote-number = Número do orçamento
auto-field-notes = Observações
auto-field-client-contact-name = Nome do contato do cliente
auto-field-client-company-name = Empresa do cliente
auto-field-client-email = E-mail do cliente
auto-field-client-phone = Telefone do cliente
auto-field-item-product-name = Qualquer item: nome do produto
auto-field-item-model = Qualquer item: modelo
auto-field-item-unit-price = Qualquer item: preço unitário
auto-field-item-quantity = Qualquer item: quantidade
auto-field-item-discount = Qualquer item: desconto %
auto-field-title = Título
auto-field-value = Valor
auto-field-stage = Etapa (chave)
auto-field-previous-stage = Etapa anterior (chave)
auto-field-pipeline = Funil
auto-field-probability = Probabilidade %
auto-field-temperature = Temperatura (1–3)
auto-field-quality-rating = Nota de qualidade (1–5)
auto-field-owner-email = E-mail do responsável
auto-field-contact-name = Nome do contato
auto-field-contact-email = E-mail do contato
auto-field-organization = Empresa
auto-field-lead-source = Origem do lead
auto-field-lost-reason = Motivo da perda
auto-field-activity-type = Tipo da atividade concluída

## Values of select fields
auto-quote-status-generated = Gerado
auto-quote-status-sent = Enviado
auto-quote-status-accepted = Aceito
auto-quote-status-rejected = Recusado
auto-quote-status-won = Ganho
auto-quote-status-lost = Perdido
auto-deal-status-open = aberto
auto-deal-status-won = ganho
auto-deal-status-lost = perdido
auto-activity-call = ligação
auto-activity-meeting = reunião
auto-activity-email = e-mail
auto-activity-task = tarefa
auto-activity-note = nota

## Actions
auto-action-send-email = Enviar um e-mail
auto-action-notify-quote-creator = Notificar no app quem criou o orçamento
auto-action-notify-deal-owner = Notificar no app o responsável pelo negócio
auto-action-change-status = Mudar o status do orçamento
auto-action-add-label = Adicionar uma etiqueta ao orçamento
auto-action-create-reminder = Criar um lembrete de acompanhamento
auto-action-fire-webhook = Chamar um webhook
auto-owner-quote = quem criou o orçamento (senão, o responsável pelo negócio)
auto-owner-deal = o responsável pelo negócio (senão, quem criou o negócio)
auto-move-up = Mover para cima
auto-move-down = Mover para baixo
auto-to = Para
auto-to-client = o cliente
auto-to-custom = outro endereço
auto-email-address = Endereço de e-mail
auto-subject = Assunto
auto-message = Mensagem
auto-notify-whom = Vai para { $whom }, no app.
auto-notification-title = Título
auto-details = Detalhes (opcional)
auto-new-status = Novo status
auto-no-labels = A conta ainda não tem etiquetas.
auto-label = Etiqueta
auto-due-after = Vence após (minutos)
auto-reminder = Lembrete
auto-webhook-url = URL (POST)
auto-webhook-headers = Cabeçalhos extras, um "Nome: valor" por linha
auto-include-items = Incluir os itens do orçamento

## Dry run
auto-try = Testar
auto-try-help = Confere as condições com um registro sem executar nenhuma ação.
auto-try-quote-number = Número do orçamento
auto-try-deal-id = ID do negócio
auto-try-no-conditions = Sem condições: seria executada.
auto-try-pass = Todas as condições são atendidas: seria executada.
auto-try-fail = Alguma condição não é atendida: não seria executada.
auto-try-record = no registro: { $actual }

## Run log
auto-logs-status = Status
auto-logs-all = todos
auto-logs-filter = Filtrar
auto-logs-loading = Carregando execuções…
auto-logs-title = Execuções de “{ $name }”
auto-logs-empty = Nenhuma execução ainda.
auto-logs-triggered = Disparada em
auto-logs-finished = Concluída em
auto-logs-for = Referente a
auto-logs-error = Erro
auto-logs-quote = Orçamento nº { $number }
auto-logs-pager =
    Página { $page } de { $pages } · { $count ->
        [0] { $count } execuções
        [one] { $count } execução
       *[other] { $count } execuções
    }
auto-run-triggered = Disparada
auto-run-completed = Concluída
auto-run-failed = Falhou
auto-pages = Páginas
auto-newer = ← Mais recentes
auto-older = Mais antigas →
auto-page-of = Página { $page } de { $pages }

## Outbox
auto-outbox-loading = Carregando e-mails…
auto-outbox-empty = Nenhum e-mail ainda. Orçamentos enviados e automações aparecem aqui.
auto-outbox-to = para { $to }
auto-outbox-queued = na fila
auto-outbox-kept = guardado
auto-outbox-sent = enviado
auto-outbox-failed = falhou
auto-outbox-secret = (Esta mensagem contém um link pessoal e não é exibida.)
