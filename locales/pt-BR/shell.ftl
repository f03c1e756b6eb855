# Dealflow — Português (Brasil): The page frame: navigation, sign-in, language and theme.
# Every message id here exists in the same file of the other languages.

## Navigation
nav-main = Principal
nav-menu = Menu
nav-pipeline = Funil
nav-activities = Atividades
nav-contacts = Contatos
nav-organizations = Organizações
nav-leaderboard = Classificação
nav-reports = Relatórios
nav-automations = Automações
nav-import = Importar
nav-settings = Configurações
nav-log-out = Sair
nav-language-apply = Alterar
nav-language = Idioma

## Sign-in
login-title = Entre no seu funil
login-failed = e-mail ou senha incorretos
login-locked = muitas tentativas sem sucesso com este e-mail; tente de novo em alguns minutos
login-email = E-mail
login-password = Senha
login-submit = Entrar
login-busy = Entrando…

## Keyboard shortcuts
keys-title = Atalhos de teclado
keys-open = Atalhos de teclado (?)
keys-close = Fechar
keys-help = Mostrar esta lista
keys-search = Ir para o campo de busca
keys-board-focus = Quadro: ir de um cartão a outro
keys-board-pick = Quadro: pegar o cartão em foco
keys-board-move = Quadro, segurando um cartão: movê-lo entre etapas e posições
keys-board-drop = Quadro, segurando um cartão: soltá-lo ali (a mudança é salva)
keys-board-cancel = Quadro, segurando um cartão: devolvê-lo ao lugar; fora dele, fechar um diálogo

## Theme (the header toggle)
theme-label = Tema
theme-light = Claro
theme-dark = Escuro
theme-system = Sistema

## A page that does not exist
not-found-title = Página não encontrada
not-found-text = Não há nada neste endereço.
not-found-back = Voltar ao funil
keys-global-search = Buscar negócios, contatos e organizações
search-label = Buscar em tudo
search-placeholder = Buscar…  (Ctrl K)
search-heading = Busca
search-hint = Digite um nome, um e-mail, um telefone ou uma organização.
search-deals = Negócios
search-contacts = Contatos
search-organizations = Organizações
search-nothing = Nada encontrado.
search-nothing-for = Nada encontrado para “{ $q }”.
nav-deals = Negócios
