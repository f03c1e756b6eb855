# Dealflow — Português (Brasil): Words and messages several screens share (buttons, states, errors).
# Every message id here exists in the same file of the other languages.

## Words many screens use
common-loading = Carregando…
common-save = Salvar
common-delete = Excluir
common-edit = Editar
common-search = Buscar
common-pages = Páginas
common-previous = Anterior
common-next = Próxima

## Notifications
common-notifications =
    { $unread ->
        [one] Notificações, { $unread } não lida
       *[other] Notificações, { $unread } não lidas
    }
common-no-notifications = Nenhuma notificação.
common-mark-read = Marcar como lida
common-mark-all-read = Marcar todas como lidas

## Errors a form shows when a change fails
common-error-session-ended = sua sessão terminou; entre novamente
common-error-forbidden = você não tem permissão para fazer isso
common-error-gone = isso não existe mais
common-error-status = o servidor respondeu { $status }
common-error-no-answer = o servidor respondeu sem dizer o motivo
common-error-unreadable-form = não foi possível ler o formulário: { $reason }
common-error-unsendable-form = não foi possível enviar o formulário: { $reason }
common-error-unreachable = não foi possível contatar o servidor; tente novamente ({ $reason })
common-error-nothing-saved = não foi possível contatar o servidor; nada foi salvo, tente novamente
common-export = Exportar CSV
