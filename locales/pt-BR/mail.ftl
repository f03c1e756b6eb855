# Dealflow — Português (Brasil): E-mails and notifications the app sends.
# Every message id here exists in the same file of the other languages.

## Notifications
mail-now-responsible = Agora você é responsável por "{ $title }"
mail-webhook-off = O webhook para { $url } foi desativado: { $count } entregas seguidas não puderam ser feitas
mail-reminder = Lembrete: { $message }

## Convites e redefinição de senha
mail-invitation-subject = { $inviter } convida você para { $account } no Dealflow
mail-invitation-body = Olá,

    { $inviter } convida você a entrar em { $account } no Dealflow.

    Escolha seu nome e sua senha aqui (o link funciona por { $days } dias, uma única vez):
    { $link }

    Se você não esperava esta mensagem, ignore-a.
mail-reset-subject = Redefina sua senha do Dealflow
mail-reset-body = Olá, { $name },

    Alguém (esperamos que você) pediu para redefinir a senha deste endereço no Dealflow.

    Escolha uma nova senha aqui (o link funciona por { $minutes } minutos, uma única vez):
    { $link }

    Se não foi você, ignore esta mensagem: sua senha continua a mesma.
