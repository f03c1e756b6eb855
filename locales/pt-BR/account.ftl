# Dealflow — Português (Brasil): a user's own preferences (time zone, language).
# Every message id here exists in the same file of the other languages.

prefs-title = Suas preferências
prefs-intro = Como o Dealflow mostra horários e textos para você. Eles acompanham você em qualquer navegador; o tema fica no cabeçalho da página.
prefs-time-zone = Fuso horário
prefs-time-zone-help = Os prazos são digitados e exibidos neste fuso, e "hoje" é o seu dia nele.
prefs-time-zone-utc = UTC (nenhum fuso escolhido)
prefs-browser-zone = Este navegador está em { $zone }.
prefs-save = Salvar
prefs-saving = Salvando…
prefs-saved = Salvo.
prefs-language = Idioma
prefs-link = Preferências

## Acesso: convites, senhas esquecidas e alteradas
access-to-login = Voltar para o login
access-invitation-title = Entre para a sua equipe
access-invitation-dead = Este convite expirou, foi revogado ou já foi usado. Peça a quem convidou você que o envie de novo.
access-invitation-offer = { $account } convida { $email } a entrar como { $role }.
access-your-name = Seu nome
access-choose-password = Escolha uma senha (pelo menos 8 caracteres)
access-join = Entrar
access-forgot-link = Esqueceu a senha?
access-forgot-title = Redefina sua senha
access-forgot-intro = Digite o e-mail com que você entra. Se ele tiver uma conta, enviamos um link para escolher uma nova senha.
access-forgot-send = Enviar o link
access-forgot-sent = Se esse endereço tiver uma conta, um link para redefinir a senha está a caminho. Ele funciona por uma hora.
access-reset-title = Escolha uma nova senha
access-reset-dead = Este link expirou ou já foi usado. Peça um novo na página de login.
access-new-password = Nova senha (pelo menos 8 caracteres)
access-reset-save = Salvar a nova senha
access-reset-done = Sua senha foi alterada. Entre com a nova.
access-change-title = Senha
access-change-intro = Ao alterá-la, suas outras sessões são encerradas.
access-current-password = Senha atual
access-change-save = Alterar senha
access-changed = Sua senha foi alterada; suas outras sessões foram encerradas.

## Login em duas etapas
tfa-title = Login em duas etapas
tfa-intro = Depois da sua senha, o Dealflow pede um código de seis dígitos de um app autenticador no seu celular (Google Authenticator, Microsoft Authenticator, 1Password, Aegis…), assim uma senha roubada não basta para entrar.
tfa-manage = Gerenciar o login em duas etapas
tfa-on = O login em duas etapas está ativado.
tfa-off = O login em duas etapas está desativado. Para ativá-lo, adicione o Dealflow ao seu app autenticador e digite o código que ele mostra.
tfa-required-here = Sua conta exige, então não pode ser desativado.
tfa-scan = Escaneie este código com o seu app autenticador:
tfa-qr-label = Código QR para adicionar o Dealflow a um app autenticador
tfa-key = Ou digite esta chave no app:
tfa-first-code = Código mostrado pelo app
tfa-turn-on = Ativar
tfa-turn-off = Desativar o login em duas etapas
tfa-off-confirm = Desativar o login em duas etapas? Sua senha voltará a bastar para entrar.
tfa-codes-title = Seus códigos de recuperação
tfa-codes-intro = Guarde-os em um lugar seguro, longe do seu celular. Cada um permite entrar uma vez se você perder o celular. Eles só aparecem agora.
tfa-codes-left = { $count ->
    [one] Resta um código de recuperação.
   *[other] Restam { $count } códigos de recuperação.
}
tfa-renew = Novos códigos de recuperação
tfa-renew-confirm = Criar novos códigos de recuperação? Os que você tem deixarão de funcionar.
tfa-code-title = Digite o código que o seu app autenticador mostra agora.
tfa-enrol-required = Sua conta exige o login em duas etapas. Ative-o agora para entrar.
tfa-code = Código
tfa-code-help = Está sem o celular? Digite um dos seus códigos de recuperação.
tfa-verify = Verificar
