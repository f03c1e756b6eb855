# Dealflow — Español: Contacts, organizations and their related records.
# Every message id here exists in the same file of the other languages.

## Contacts
contact-heading = Contactos
contact-search-placeholder = Nombre, correo, teléfono, empresa
contact-search-label = Buscar contactos
contact-name = Nombre
contact-email = Correo electrónico
contact-phone = Teléfono
contact-phone-field = Teléfono (+código de país)
contact-phone-placeholder = +52 55 1234 5678
contact-company = Empresa
contact-open-deals = Negocios abiertos
contact-add = Agregar contacto
contact-loading = Cargando contactos…
contact-empty = Aún no hay contactos. Agrega el primero arriba.
contact-no-match = Ningún contacto coincide con esta búsqueda.
contact-pager =
    { $total ->
        [one] { $total } contacto
       *[other] { $total } contactos
    } · página { $page } de { $pages }
contact-loading-one = Cargando el contacto…
contact-load-failed = No se pudo cargar este contacto.
contact-all = Todos los contactos
# { $link } is the link "contact-another-contact" to the other contact.
contact-possible-duplicate = Un prospecto trajo a esta persona con el correo o el teléfono de { $link }: puede ser la misma persona.
contact-another-contact = otro contacto
contact-no-deals = Aún no hay negocios con este contacto.
contact-edit = Editar contacto
contact-organization = Organización
contact-no-organization = Ninguna

## Deals and activities of a contact or an organization
contact-related-deals = Negocios
contact-related-activities = Actividades
contact-related-no-activities = Aún no hay actividades.
contact-deal-open = abierto
contact-deal-won = ganado
contact-deal-lost = perdido

## Organizations
org-heading = Organizaciones
org-search-placeholder = Nombre
org-search-label = Buscar organizaciones
org-name = Nombre
org-name-label = Nombre de la organización
org-contacts = Contactos
org-open-deals = Negocios abiertos
org-add = Agregar organización
org-loading = Cargando organizaciones…
org-empty = Aún no hay organizaciones. Agrega la primera arriba.
org-no-match = Ninguna organización coincide con esta búsqueda.
org-pager =
    { $total ->
        [one] { $total } organización
       *[other] { $total } organizaciones
    } · página { $page } de { $pages }
org-loading-one = Cargando la organización…
org-load-failed = No se pudo cargar esta organización.
org-all = Todas las organizaciones
org-contacts-count =
    { $count ->
        [one] { $count } contacto
       *[other] { $count } contactos
    }
org-open-deals-count =
    { $count ->
        [one] { $count } negocio abierto
       *[other] { $count } negocios abiertos
    }
org-rename = Cambiar nombre
org-people = Personas
org-no-contacts = Aún no hay contactos en esta organización; elígela en la página de un contacto.
org-no-deals = Aún no hay negocios con esta organización.
