# Dealflow — Português (Brasil): The pipeline board and its cards.
# Every message id here exists in the same file of the other languages.

## Board
board-loading = Carregando o quadro…
board-no-stages = Este funil ainda não tem etapas.
board-load-failed = Não foi possível carregar o quadro.
board-back-primary = Voltar ao funil principal
board-dismiss = Fechar
board-move-failed = A mudança não foi salva: { $error }
board-pipelines = Funis
board-filters = Filtros
board-owner = Responsável
board-everyone = Todos
board-status = Status
board-status-open = Abertos
board-status-won = Ganhos
board-status-lost = Perdidos
board-status-all = Todos
board-min-value = Valor mínimo
board-max-value = Valor máximo
board-search = Buscar
board-search-placeholder = Título, contato, empresa
board-apply = Aplicar
board-stage-probability = Probabilidade da etapa
board-learned-probability = Aprendida: { $won } dos { $closed } negócios que chegaram a esta etapa nos últimos 12 meses foram ganhos
board-deals = Negócios
board-deals-word =
    { $count ->
        [one] negócio
       *[other] negócios
    }
board-total = Total
board-weighted = Ponderado
board-weighted-title = Ponderado pela probabilidade da etapa
board-rots-after =
    { $days ->
        [one] parado após { $days } dia
       *[other] parado após { $days } dias
    }
board-kbd-help = Pressione Espaço para pegar um cartão, as setas para movê-lo, Espaço ou Enter para soltá-lo e Esc para cancelar.
board-picked-up = Você pegou { $title }. As setas o movem, Espaço ou Enter o soltam, Esc cancela.
board-moved = { $title }: { $stage }, posição { $position } de { $total }.
board-dropped = { $title } solto em { $stage }, posição { $position }.
board-cancelled = Movimento de { $title } cancelado.
board-no-deals = Nenhum negócio aqui
board-show-more = Mostrar mais { $next } ({ $hidden } não exibidos)
board-loading-more = Carregando…

## Cards
card-cold = Frio
card-warm = Morno
card-hot = Quente
card-expected-close = Fechamento previsto
card-closes = fecha em { $date }
card-rotting = Parado · { $days } d
card-rotting-title = Nesta etapa há mais dias do que o previsto
card-won = Ganho
card-lost = Perdido
card-move = Mover { $title }
card-move-menu = Mover…
card-to-top = Para o topo
card-up-one = Subir um
card-down-one = Descer um
card-to-stage = Para { $stage }
quick-add-open = Adicionar negócio
quick-add-title = Título do novo negócio
quick-add-value = Valor
quick-add-submit = Adicionar
table-heading = Negócios
table-filters = Filtrar os negócios
table-any = Qualquer
table-apply = Aplicar
table-clear = Limpar
table-columns = Colunas
table-show-columns = Mostrar estas colunas
table-empty = Nenhum negócio corresponde a estes filtros.
table-summary = { $count ->
        [one] 1 negócio
       *[other] { $count } negócios
    } · página { $page } de { $pages }
table-created-from = Criado desde
table-created-to = Criado até
table-close-from = Fechamento desde
table-close-to = Fechamento até
table-col-title = Título
table-col-pipeline = Funil
table-col-stage = Etapa
table-col-status = Status
table-col-value = Valor
table-col-owner = Responsável
table-col-contact = Contato
table-col-organization = Organização
table-col-expected-close = Fechamento previsto
table-col-lead-source = Origem do lead
table-col-tags = Etiquetas
table-col-created = Criado
table-col-updated = Atualizado
table-views = Visões
table-no-views = Nenhuma visão salva ainda.
table-view-shared = compartilhada
table-save-view = Salvar esta visão
table-view-name = Nome
table-view-share = Compartilhar com a equipe
table-view-save = Salvar visão
table-view-saved = Visão salva.
table-delete-view = Excluir a visão { $name }
table-delete-view-confirm = Excluir a visão “{ $name }”?
table-bulk-action = Com os negócios marcados
table-bulk-assign = Definir um responsável
table-bulk-move = Mover para uma etapa
table-bulk-tag = Adicionar uma etiqueta
table-bulk-lose = Marcar os abertos como perdidos
table-bulk-delete = Excluí-los
table-bulk-reason = Motivo da perda
table-bulk-confirm = Sim, excluí-los
table-bulk-confirm-needed = marque “Sim, excluí-los” para excluir os negócios marcados
table-bulk-apply = Aplicar aos negócios marcados
table-bulk-done = { $count ->
        [one] 1 negócio alterado.
       *[other] { $count } negócios alterados.
    }
table-pick = Marcar { $title }
table-picked = Marcados
board-unconverted = { $count } sem conversão
board-unconverted-title = Cartões em uma moeda sem taxa de câmbio para o seu dia, fora dos totais
board-total-title = Em { $currency }, a moeda base da conta: cartões em outras moedas são convertidos pela taxa do dia em que foram fechados, ou pela de hoje
