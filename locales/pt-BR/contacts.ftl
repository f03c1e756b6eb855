# Dealflow — Português (Brasil): Contacts, organizations and their related records.
# Every message id here exists in the same file of the other languages.

## Contacts
contact-heading = Contatos
contact-search-placeholder = Nome, e-mail, telefone, empresa
contact-search-label = Buscar contatos
contact-name = Nome
contact-email = E-mail
contact-phone = Telefone
contact-phone-field = Telefone (+código do país)
contact-phone-placeholder = +55 11 98765-4321
contact-company = Empresa
contact-open-deals = Negócios abertos
contact-add = Adicionar contato
contact-loading = Carregando contatos…
contact-empty = Ainda não há contatos. Adicione o primeiro acima.
contact-no-match = Nenhum contato corresponde a esta busca.
contact-pager =
    { $total ->
        [one] { $total } contato
       *[other] { $total } contatos
    } · página { $page } de { $pages }
contact-loading-one = Carregando o contato…
contact-load-failed = Não foi possível carregar este contato.
contact-all = Todos os contatos
# { $link } is the link "contact-another-contact" to the other contact.
contact-possible-duplicate = Um lead trouxe esta pessoa com o e-mail ou o telefone de { $link }: pode ser a mesma pessoa.
contact-another-contact = outro contato
contact-no-deals = Ainda não há negócios com este contato.
contact-edit = Editar contato
contact-organization = Organização
contact-no-organization = Nenhuma

## Deals and activities of a contact or an organization
contact-related-deals = Negócios
contact-related-activities = Atividades
contact-related-no-activities = Ainda não há atividades.
contact-deal-open = aberto
contact-deal-won = ganho
contact-deal-lost = perdido

## Organizations
org-heading = Organizações
org-search-placeholder = Nome
org-search-label = Buscar organizações
org-name = Nome
org-name-label = Nome da organização
org-contacts = Contatos
org-open-deals = Negócios abertos
org-add = Adicionar organização
org-loading = Carregando organizações…
org-empty = Ainda não há organizações. Adicione a primeira acima.
org-no-match = Nenhuma organização corresponde a esta busca.
org-pager =
    { $total ->
        [one] { $total } organização
       *[other] { $total } organizações
    } · página { $page } de { $pages }
org-loading-one = Carregando a organização…
org-load-failed = Não foi possível carregar esta organização.
org-all = Todas as organizações
org-contacts-count =
    { $count ->
        [one] { $count } contato
       *[other] { $count } contatos
    }
org-open-deals-count =
    { $count ->
        [one] { $count } negócio aberto
       *[other] { $count } negócios abertos
    }
org-rename = Renomear
org-people = Pessoas
org-no-contacts = Ainda não há contatos nesta organização; escolha-a na página de um contato.
org-no-deals = Ainda não há negócios com esta organização.
