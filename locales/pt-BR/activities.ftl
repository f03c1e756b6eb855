# Dealflow — Português (Brasil): Activities, points and the leaderboard.
# Every message id here exists in the same file of the other languages.

## Activities
act-heading = Atividades
act-loading = Carregando atividades…
act-add-heading = Adicionar uma atividade
act-empty = Ainda não há atividades aqui. Adicione uma acima.
act-type = Tipo
act-title = Título
act-due = Prazo
act-assigned-to = Responsável
act-me = Eu
act-add = Adicionar
act-deal = Negócio
act-no-deal = Sem negócio
act-filters = Filtros
act-whose = De quem
act-mine = Minhas
act-everyones = De todos
act-all-types = Todos os tipos
act-from = De
act-to = Até
act-apply = Aplicar
act-group-overdue = Atrasadas
act-group-today = Hoje
act-group-upcoming = Próximas
act-group-done = Concluídas
act-nothing = Nada.
act-no-due-date = sem prazo
act-reopen = Reabrir
act-complete = Concluir
act-delete-confirm = Excluir esta atividade?
act-description = Descrição
act-unknown-user = usuário desconhecido
act-unknown-operation = operação desconhecida "{ $op }"

## Activity types: in pickers, and as the tag beside an activity
act-kind-call = Ligação
act-kind-meeting = Reunião
act-kind-email = E-mail
act-kind-task = Tarefa
act-kind-note = Nota
act-tag-call = ligação
act-tag-meeting = reunião
act-tag-email = e-mail
act-tag-task = tarefa
act-tag-note = nota

## Leaderboard
act-lb-heading = Classificação
act-lb-empty = Ainda não há vendedores.
act-lb-salesperson = Vendedor
act-lb-week = Esta semana
act-lb-month = Este mês
act-lb-all-time = Desde o início
act-lb-won-deals = Negócios ganhos
act-lb-won-value = Valor ganho
act-lb-unconverted = Alguns negócios ganhos estão em uma moeda sem taxa de câmbio para o dia em que foram ganhos e ficam de fora
