# Dealflow — Português (Brasil): Quotes, their editor and the client portal.
# Every message id here exists in the same file of the other languages.


## The quote page
quote-loading = Carregando o orçamento…
quote-load-failed = Não foi possível carregar este orçamento.
quote-back-to-pipeline = Voltar ao funil
quote-word = Orçamento
# After the deal's title in the breadcrumb: "Big deal / quote".
quote-breadcrumb = orçamento
quote-status = Status
quote-status-draft = Rascunho
quote-status-sent = Enviado
quote-status-accepted = Aceito
quote-status-rejected = Recusado
quote-status-won = Ganho
quote-status-lost = Perdido
quote-status-unknown = Desconhecido
quote-send = Enviar
quote-send-again = Enviar de novo
quote-send-to-client = Enviar ao cliente
quote-send-confirm = Enviar este orçamento por e-mail ao cliente?
quote-action-won = Ganho
quote-action-lost = Perdido
quote-mark-won = Marcar como ganho
quote-mark-lost = Marcar como perdido
quote-lost-confirm = Marcar este orçamento como perdido?
quote-print = Imprimir
quote-viewed =
    { $count ->
        [one] Visto { $count } vez
       *[other] Visto { $count } vezes
    }
quote-client-link = Link para o cliente (compartilhe ou copie)
quote-labels = Etiquetas:
quote-label = Etiqueta
quote-remove-label = Remover a etiqueta { $name }
quote-add = Adicionar
quote-labels-none = nenhuma

## Items and the editor
quote-product = Produto
quote-model = Modelo
quote-unit-price = Preço unitário
quote-qty = Qtd.
quote-discount-pct = Desconto %
quote-remove-row = Remover esta linha
quote-remove = remover
quote-add-row = + Adicionar uma linha
quote-edit-items = Editar itens (só no rascunho)
quote-tax = Impostos
quote-shipping = Frete
quote-save-items = Salvar itens

## The quote document
quote-title = Orçamento { $number }
quote-issued = Emitido em { $date }
quote-client = Cliente
quote-no-contact = Sem contato
quote-valid-until = Válido até
quote-no-expiry = Sem data de validade
quote-discount = Desconto
quote-amount = Valor
quote-subtotal = Subtotal
quote-total = Total
quote-notes = Observações

## Errors
quote-error-not-whole-number = "{ $value }" não é um número inteiro
quote-error-choose-label = escolha uma etiqueta
quote-error-unknown-operation = operação desconhecida "{ $op }"

## The client's portal
portal-answered-accepted = Obrigado! Você aceitou este orçamento. O vendedor já foi avisado.
portal-answered-rejected = Você recusou este orçamento. O vendedor já foi avisado.
portal-not-found = Orçamento não encontrado
portal-not-found-text = Este link não leva a nenhum orçamento. Confira se você copiou o endereço completo do e-mail.
portal-load-failed = Não foi possível carregar este orçamento
portal-closed-accepted = Você aceitou este orçamento.
portal-closed-declined = Este orçamento foi recusado.
portal-closed-preparing = Este orçamento ainda está sendo preparado.
portal-accept = Aceitar orçamento
portal-accept-confirm = Aceitar este orçamento?
portal-reject = Recusar
portal-reject-confirm = Recusar este orçamento?
