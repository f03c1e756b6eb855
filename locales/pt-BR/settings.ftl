# Dealflow — Português (Brasil): Settings: pipelines, catalog, team, API keys and webhooks.
# Every message id here exists in the same file of the other languages.

## Shared
set-title = Configurações
set-loading = Carregando configurações…
set-read-only = Só proprietários e administradores podem alterar as configurações; você pode consultá-las.
set-name = Nome
set-add = Adicionar
set-save = Salvar
set-rename = Renomear
set-remove = Remover
set-delete = Excluir
set-api-reference = Referência da API

## Lost reasons, points, phone numbers
set-lost-reasons = Motivos de perda
set-lost-reasons-empty = Nenhum motivo de perda ainda; os vendedores digitam o próprio motivo.
set-new-reason = Novo motivo
set-new-lost-reason = Novo motivo de perda
set-points = Pontos por atividade concluída
set-points-for = Pontos por { $kind }
set-activity-call = ligação
set-activity-meeting = reunião
set-activity-email = e-mail
set-activity-task = tarefa
set-activity-note = nota
set-error-not-whole-number = "{ $value }" não é um número inteiro
set-phones = Telefones
set-default-country = País dos números digitados sem o código do país
set-default-country-help = Duas letras (BR, MX, US…); vazio: os números precisam do código do país (+55…).

## Pipelines and stages
set-pipelines = Funis e etapas
set-pipelines-loading = Carregando funis…
set-new-pipeline = Novo funil
set-new-pipeline-name = Nome do novo funil
set-add-pipeline = Adicionar funil
set-pipeline-name = Nome do funil
set-primary = principal
set-delete-pipeline = Excluir funil
set-delete-pipeline-confirm = Excluir este funil e as etapas dele?
set-delete-pipeline-has-deals = Primeiro mova ou exclua os negócios dele
set-drag-to-reorder = Arraste para reordenar
set-stage-key = Chave
set-stage-probability = Probabilidade %
set-stage-rotting = Parado após (dias)
set-stage-deals =
    { $count ->
        [0] { $count } negócios
        [one] { $count } negócio
       *[other] { $count } negócios
    }
set-stage-move-up = Mover { $stage } para cima
set-stage-move-down = Mover { $stage } para baixo
set-delete-stage-confirm = Excluir esta etapa?
set-move-deals-to = Mover os negócios dela para
set-move-deals-choose = Mover negócios para…
set-last-stage = Um funil precisa de pelo menos uma etapa
set-new-stage = Nova etapa
set-new-stage-name = Nome da nova etapa
set-new-stage-probability = Probabilidade da nova etapa
set-add-stage = Adicionar etapa

## Tags and products
set-catalog-loading = Carregando tags e produtos…
set-tags = Tags
set-tags-empty = Nenhuma tag ainda.
set-tag-name = Nome da tag
set-new-tag = Nova tag
set-delete-tag-confirm = Excluir esta tag? Os negócios deixam de tê-la.
set-error-tag-op = "{ $op }" não é add, rename nem delete
set-products = Produtos
set-products-empty = Nenhum produto ainda; cadastre o que você vende para incluir nos negócios.
set-product-retire = Desativar
set-product-restore = Reativar
set-add-product = Adicionar produto
set-product-code = Código
set-product-price = Preço unitário
set-product-currency = Moeda

## Users
set-users = Usuários
set-users-loading = Carregando usuários…
set-user-deactivated = desativado
set-role = Perfil
set-role-of = Perfil de { $name }
set-role-sales = Vendedor
set-role-admin = Administrador
set-role-owner = Proprietário
set-change = Alterar
set-user-access-confirm = Alterar o acesso deste usuário?
set-user-deactivate = Desativar
set-user-reactivate = Reativar
set-email = E-mail
set-first-password = Senha inicial
set-add-user = Adicionar usuário
set-error-user-op = "{ $op }" não é role, deactivate nem activate

## API keys
set-api-keys = Chaves de API
set-api-keys-help = As chaves permitem que outros sistemas usem a API JSON.
set-api-keys-loading = Carregando chaves…
set-api-keys-empty = Nenhuma chave de API ainda.
set-api-key-only-from = só a partir de { $domain }
set-api-key-last-used = último uso em { $when }
set-api-key-never-used = nunca usada
set-api-key-revoked = revogada
set-api-key-revoke = Revogar
set-api-key-revoke-confirm = Revogar esta chave? Os sistemas que a usam deixam de funcionar.
set-api-key-copy-now = Copie esta chave agora; ela não será mostrada de novo:
set-api-key-done = Pronto: mostrar na lista
set-api-key-name-placeholder = Formulário do site
set-api-key-domain = Domínio permitido (opcional)
set-api-key-create = Criar chave
set-api-key-scopes = Permissões
set-scope-opportunities-read = ler oportunidades e etapas
set-scope-opportunities-write = criar, alterar e fechar oportunidades
set-scope-activities-read = ler atividades
set-scope-activities-write = criar e concluir atividades
set-scope-deals-read = ler negócios (API de contas)
set-scope-deals-write = criar e alterar negócios, captação de leads
set-scope-contacts-read = ler contatos e organizações
set-scope-contacts-write = criar e alterar contatos e organizações
set-scope-users-read = ler os usuários da equipe
set-scope-users-write = adicionar usuários, mudar papéis, desativar usuários (como quem criou a chave)
set-scope-config-manage = alterar funis, catálogos, configurações e webhooks
set-scope-all = tudo

## Webhooks
set-webhooks = Webhooks
set-webhooks-help = Outros sistemas ficam sabendo das mudanças na hora: cada evento é enviado por POST, em JSON, para a URL, na ordem em que acontece, assinado com o segredo do webhook (X-Dealflow-Signature). As chamadas que falham são repetidas; depois de 10 entregas com falha seguidas, o webhook é desativado e você é avisado.
set-webhooks-loading = Carregando webhooks…
set-webhooks-empty = Nenhum webhook ainda.
set-webhook-active = ativo
set-webhook-off = desativado
set-webhook-failures =
    { $count ->
        [one] { $count } falha seguida
       *[other] { $count } falhas seguidas
    }
set-webhook-turned-off = Desativado em { $when }: { $reason }.
set-webhook-turned-off-help = Corrija o receptor, envie um evento de teste e ative-o de novo.
set-webhook-events = Eventos: { $events }
set-webhook-secret = Segredo de assinatura
set-webhook-send-test = Enviar evento de teste
set-webhook-sending = Enviando…
set-webhook-test-queued = Evento de teste na fila.
set-webhook-turn-off = Desativar
set-webhook-turn-on = Ativar
set-webhook-delete-confirm = Excluir este webhook? O histórico de entregas também é excluído, e os eventos pendentes não são enviados.
set-webhook-more = As últimas { $shown } de { $total } entregas (todas: GET /v1/webhooks/{ $id }/deliveries).
set-webhook-url = URL
set-webhook-add = Adicionar webhook
set-webhook-adding = Adicionando…
set-webhook-added = Webhook adicionado.
set-webhook-events-legend = Eventos
set-error-not-an-event = "{ $name }" não é um evento
set-deliveries = Entregas recentes
set-deliveries-empty = Nenhuma entrega ainda.
set-delivery-time = Horário
set-delivery-event = Evento
set-delivery-status = Status
set-delivery-http = HTTP
set-delivery-tries = Tentativas
set-delivery-error = Erro
set-delivery-pending = pendente
set-delivery-delivered = entregue
set-delivery-failed = falhou
set-delivery-retrying = nova tentativa em { $when }
set-delivery-test = (teste)
set-event-deal-created = um negócio foi criado
set-event-deal-updated = os campos, as pessoas ou os produtos de um negócio mudaram
set-event-deal-stage-changed = um negócio mudou de etapa
set-event-deal-won = um negócio foi ganho
set-event-deal-lost = um negócio foi perdido
set-event-deal-reopened = um negócio ganho ou perdido foi reaberto
set-event-deal-deleted = um negócio foi excluído
set-event-contact-created = um contato foi criado
set-event-contact-updated = um contato foi alterado
set-event-contact-deleted = um contato foi excluído
set-event-organization-created = uma empresa foi criada
set-event-organization-updated = uma empresa foi renomeada
set-event-organization-deleted = uma empresa foi excluída
set-event-activity-completed = uma atividade foi concluída
set-event-quote-created = um orçamento foi criado
set-event-quote-sent = um orçamento foi enviado ao cliente
set-event-quote-viewed = o cliente abriu um orçamento
set-event-quote-accepted = o cliente aceitou um orçamento
set-event-quote-rejected = o cliente recusou um orçamento
set-event-quote-won = um orçamento foi marcado como ganho
set-event-quote-lost = um orçamento foi marcado como perdido
set-event-quote-expiring = um orçamento vence em até 24 horas
set-sections = Seções das configurações

## Convites
set-invite-title = Convidar por e-mail
set-invite-intro = A pessoa recebe um link, válido por 7 dias, para escolher nome e senha.
set-invite-send = Enviar convite
set-invite-none = Nenhum convite pendente.
set-invite-expired = expirado
set-invite-until = link válido até { $date }
set-invite-by = convidado por { $name }
set-invite-resend = Enviar de novo
set-invite-revoke = Revogar
set-invite-revoke-confirm = Revogar este convite? O link deixará de funcionar.

## Keys of deactivated users
set-api-key-by = criada por { $name }
set-api-key-by-deactivated = criada por { $name }, desativado: continua funcionando até ser revogada
set-user-live-keys = { $count ->
    [one] uma chave de API criada por essa pessoa ainda funciona
   *[other] { $count } chaves de API criadas por essa pessoa ainda funcionam
}

## O que é mantido
set-kept = O que é mantido
set-kept-intro = O trabalho em segundo plano concluído é apagado depois dos dias abaixo: registros de execução de automações, entregas de webhooks, e-mails enviados e os arquivos de importações concluídas. Sessões expiradas e links usados ou expirados são apagados na hora.
set-kept-days = Dias para manter
set-kept-jobs = { $count ->
    [one] uma tarefa em segundo plano concluída
   *[other] { $count } tarefas em segundo plano concluídas
}
set-kept-logs = { $count ->
    [one] um registro de execução de automações
   *[other] { $count } registros de execução de automações
}
set-kept-deliveries = { $count ->
    [one] uma entrega de webhooks
   *[other] { $count } entregas de webhooks
}
set-kept-emails = { $count ->
    [one] um e-mail na caixa de saída
   *[other] { $count } e-mails na caixa de saída
}
set-kept-always = Negócios, pessoas, atividades, notas e o histórico nunca são apagados por isso.

## Registro de auditoria
audit-title = Registro de auditoria
audit-back = Voltar às configurações
audit-intro = Quem fez o quê com as pessoas, os acessos e a configuração da conta, quando e de qual endereço. Proprietários e administradores veem; nada aqui pode ser editado.
audit-action = Ação
audit-any = Qualquer ação
audit-user = Usuário
audit-anyone = Qualquer pessoa
audit-from = De
audit-to = Até
audit-filter = Filtrar
audit-csv = Baixar CSV
audit-older = Entradas anteriores
audit-none = Nada registrado com este filtro.
audit-when = Quando
audit-who = Quem
audit-what = O quê
audit-address = Endereço
audit-via-key = { $who } pela chave de API { $key }
audit-key = Chave de API { $key }
audit-system = Dealflow
set-user-two-factor = duas etapas
set-user-clear-two-factor = Remover duas etapas
set-user-clear-two-factor-confirm = Remover o login em duas etapas deste usuário? As sessões dele terminam; ele o configura de novo (obrigatório se a conta exigir).
set-two-factor-title = Login em duas etapas para todos
set-two-factor-intro = Quando é obrigatório, todos entram com um código de um app autenticador; quem ainda não configurou o faz no próximo login.
set-two-factor-on-confirm = Exigir o login em duas etapas? Quem não o configurou sai agora e o configura no próximo login.
set-two-factor-off-confirm = Tornar o login em duas etapas opcional? Cada usuário poderá desativar o seu.
set-two-factor-is-required = Obrigatório para todos.
set-two-factor-is-optional = Opcional: cada usuário decide.
set-two-factor-make-optional = Tornar opcional
set-two-factor-require = Exigir
audit-action-signed_in = Entrou
audit-action-sign_in_failed = Falha ao entrar
audit-action-code_refused = Código de duas etapas recusado
audit-action-password_changed = Senha alterada
audit-action-password_reset = Senha redefinida por link
audit-action-two_factor_on = Duas etapas ativado
audit-action-two_factor_off = Duas etapas desativado
audit-action-two_factor_cleared = Duas etapas removido
audit-action-recovery_codes_renewed = Novos códigos de recuperação
audit-action-two_factor_required = Duas etapas obrigatório
audit-action-two_factor_optional = Duas etapas opcional
audit-action-invitation_sent = Convite enviado
audit-action-invitation_resent = Convite reenviado
audit-action-invitation_revoked = Convite revogado
audit-action-invitation_accepted = Convite aceito
audit-action-user_added = Usuário adicionado
audit-action-role_changed = Função alterada
audit-action-user_deactivated = Usuário desativado
audit-action-user_reactivated = Usuário reativado
audit-action-api_key_created = Chave de API criada
audit-action-api_key_revoked = Chave de API revogada
audit-action-automation_created = Automação criada
audit-action-automation_changed = Automação alterada
audit-action-automation_deleted = Automação excluída
audit-action-pipeline_created = Funil criado
audit-action-pipeline_changed = Funil renomeado
audit-action-pipeline_deleted = Funil excluído
audit-action-stage_created = Etapa adicionada
audit-action-stage_changed = Etapa alterada
audit-action-stage_deleted = Etapa excluída
audit-action-stages_reordered = Etapas reordenadas
audit-action-deal_deleted = Negócio excluído
audit-action-import_started = Importação iniciada
audit-action-import_finished = Importação concluída
audit-action-retention_changed = Retenção alterada
audit-action-currencies_changed = Moedas alteradas
set-probability-source = Probabilidades da previsão e dos totais ponderados
set-probability-configured = Configuradas em cada etapa
set-probability-learned = Aprendidas dos negócios fechados
set-probability-explained = Uma probabilidade aprendida é a parcela ganha dos negócios que chegaram à etapa e foram fechados nos últimos 12 meses. Uma etapa a usa quando se baseia em { $min } negócios fechados; até lá, usa-se a probabilidade configurada.
set-learned = Aprendida: { $percent }% ({ $won } ganhos de { $closed } fechados)
set-learned-too-few = Aprendida: { $percent }% com apenas { $closed } fechados — são necessários { $min }
set-learned-none = Aprendida: ainda não há negócios fechados
set-learned-in-use = em uso
set-currencies = Moedas
set-currencies-intro = Os totais do quadro, os relatórios e a classificação ficam na moeda base. Negócios em outras moedas são convertidos pela taxa do dia em que foram fechados (hoje enquanto abertos): a última taxa informada nesse dia ou antes. Sem taxa, ficam fora das somas, e a página avisa.
set-base-currency = Moeda base (ISO 4217)
set-rates-none = Ainda não há taxas de câmbio.
set-rate-currency = Moeda
set-rate-day = A partir de
set-rate = Taxa
set-rate-save = Definir taxa
set-rate-delete-confirm = Excluir esta taxa? Os negócios desses dias serão convertidos pela taxa anterior, ou não serão convertidos.
