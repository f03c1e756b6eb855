# Dealflow — Português (Brasil): Why a value is refused, as forms show it (the JSON API answers
# with the same English sentences). Every message id here exists in the same file of the other
# languages. Names, values and keys in quotes are what the user typed: they are never translated.

## Required, lengths and numbers
err-required = é obrigatório
err-not-empty = não pode ficar vazio
err-length = deve ter de { $min } a { $max } caracteres
err-too-long =
    deve ter no máximo { $max ->
        [one] { $max } caractere
       *[other] { $max } caracteres
    }
err-too-short =
    deve ter pelo menos { $min ->
        [one] { $min } caractere
       *[other] { $min } caracteres
    }
err-chars = deve ter de { $min } a { $max } caracteres
err-required-chars = é obrigatório (de { $min } a { $max } caracteres)
err-not-negative = não pode ser negativo
err-range = deve estar entre { $from } e { $to }
err-one-or-more = deve ser 1 ou mais
err-true-or-false = deve ser verdadeiro ou falso
err-must-be-text = deve ser um texto
err-one-of = deve ser um destes: { $choices }

## Records missing from the account
err-no-such-deal = esse negócio não existe nesta conta
err-no-such-contact = esse contato não existe nesta conta
err-no-such-stage = essa etapa não existe nesta conta
err-no-such-user = esse usuário não existe nesta conta
err-no-such-label = essa etiqueta não existe nesta conta
err-no-such-organization = essa organização não existe nesta conta
err-no-such-product = esse produto não existe nesta conta
err-not-found-here = não foi encontrado nesta conta

## Values of the wrong shape
err-not-a-number = "{ $value }" não é um número
err-not-a-date = "{ $value }" não é uma data (AAAA-MM-DD)
err-not-a-date-time = "{ $value }" não é uma data com hora (AAAA-MM-DDTHH:MM)
err-not-an-email = "{ $value }" não é um e-mail válido
err-invalid-email = não é um e-mail válido
err-not-a-currency = "{ $value }" não é um código de moeda ISO 4217
err-not-a-percentage = "{ $value }" não é uma porcentagem

## Amounts
err-amount-empty = o valor está vazio
err-amount-decimals = o valor tem mais de 2 casas decimais
err-amount-too-large = o valor é grande demais (no máximo { $max })
err-amount-overflow = o valor é grande demais
err-two-decimals = deve ter no máximo 2 casas decimais
err-line-total-too-large = o total da linha é grande demais

## Deals
err-visibility = deve ser 0, 1 ou 2
err-temperature = deve ser 1 (frio), 2 (morno) ou 3 (quente)
err-say-why-lost = diga por que o negócio foi perdido
err-already-open = o negócio já está aberto
err-too-many-attributes = um negócio tem no máximo { $max } atributos personalizados
err-user-deactivated = este usuário está desativado
err-link-not-valid = este link expirou ou já foi usado
err-not-current-password = não é a sua senha atual
err-already-a-user = já pertence a um usuário

## Pipelines and stages
err-other-stage = deve ser outra etapa do mesmo funil
err-stage-of-another-pipeline = não corresponde ao funil da etapa
err-pipeline-without-stages = o funil não tem etapas
err-primary-pipeline-without-stages = o funil principal não tem etapas
err-required-by-pipeline = é obrigatório neste funil
err-stage-key-shape = deve ter de 1 a 50 letras minúsculas, dígitos ou sublinhados
err-stage-key-taken = "{ $key }" já é a chave de outra etapa deste funil
err-rotting-days = deve estar entre 1 e 365 dias, ou ficar vazio
err-each-stage-once =
    deve incluir { $count ->
        [one] a única etapa do funil
       *[other] cada uma das { $count } etapas do funil uma única vez
    }
err-stage-has-deals =
    "{ $stage }" tem { $count ->
        [one] { $count } negócio; escolha a etapa para onde ele vai
       *[other] { $count } negócios; escolha a etapa para onde eles vão
    }

## Contacts, tags, lists and products
err-email-taken = { $name } já tem o e-mail { $value }
err-phone-taken = { $name } já tem o telefone { $value }
err-tag-exists = já existe uma tag "{ $name }"
err-organization-exists = já existe uma organização "{ $name }"
err-lead-source-exists = "{ $name }" já é uma origem de leads
err-already-in-list = "{ $name }" já está na lista
err-tracker-exists = "{ $code }" já é um código de rastreamento
err-no-longer-sold = "{ $name }" não é mais vendido

## Quotes
err-add-an-item = adicione pelo menos um item
err-too-many-items = um orçamento tem no máximo { $max } itens
err-no-products-to-quote = o negócio não tem produtos para orçar; adicione produtos ou escreva o orçamento à mão
err-client-without-email = o cliente não tem e-mail; adicione um ao contato do negócio primeiro

## Automations
err-at-least-one-action = é preciso pelo menos uma ação
err-delay-range = deve ser um número inteiro de minutos entre 0 e { $max }
err-needs-number = { $field } { $op } precisa de um número
err-needs-value = { $field } { $op } precisa de um valor
err-field-is-one-of = { $field } é um destes: { $choices }
err-pick-a-deal = este gatilho é sobre negócios; escolha um negócio
err-pick-a-quote = este gatilho é sobre orçamentos; escolha um orçamento

## Webhooks
err-control-characters = não pode conter caracteres de controle
err-not-a-url = não é uma URL válida ({ $reason })
err-http-url = deve começar com http:// ou https://
err-url-host = deve indicar um host
err-choose-an-event = escolha pelo menos um evento para enviar
err-webhook-limit = a conta já tem { $count } webhooks, o máximo permitido; exclua um para adicionar outro

## The names of input fields, as an error names the field at fault
field-title = Título
field-name = Nome
field-full-name = Nome completo
field-value = Valor
field-currency = Moeda
field-stage-id = Etapa
field-pipeline-id = Funil
field-contact-id = Contato
field-deal-id = Negócio
field-user-id = Usuário
field-product-id = Produto
field-label-id = Etiqueta
field-email = E-mail
field-phone = Telefone
field-password = Senha
field-expected-close-date = Previsão de fechamento
field-lost-reason = Motivo da perda
field-close-notes = Observações do fechamento
field-final-value = Valor final
field-quality-rating = Qualidade do lead
field-quality-reason = Motivo da qualidade
field-visibility = Visibilidade
field-temperature = Temperatura
field-content = Nota
field-kind = Tipo
field-due-at = Prazo
field-quantity = Quantidade
field-unit-amount = Preço unitário
field-unit-price = Preço unitário
field-discount-pct = Desconto %
field-product-name = Produto
field-model = Modelo
field-items = Itens
field-notes = Observações
field-valid-until = Válido até
field-client-email = E-mail do cliente
field-key = Chave
field-probability = Probabilidade
field-rotting-days = Parado após (dias)
field-move-to = Mover os negócios para
field-url = URL
field-events = Eventos
field-points = Pontos
field-identifier = Código
field-code = Código
field-target = Registro
field-trigger = Gatilho
field-conditions = Condições
field-actions = Ações
field-status = Status
field-position = Posição
field-time-zone = Fuso horário
field-default-country = País padrão
field-role = Função
field-description = Descrição
err-wrong-code = não é o código do seu app autenticador nem um dos seus códigos de recuperação
err-two-factor-required-here = esta conta exige o login em duas etapas
err-two-factor-yourself-first = ative primeiro o login em duas etapas para você
err-sign-in-expired = este login esperou demais; entre novamente
