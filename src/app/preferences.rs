//! `/preferences`: how the signed-in user reads the app — their time zone (due times are
//! typed and shown in it, "today" is their day in it) and their language. Each is kept with
//! the user, so it follows them to every browser. The user changes their password here too.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::error::AppError;
use super::feedback::ErrorBanner;
use super::language::LanguagePicker;
use crate::i18n::{tr, tr_args};

/// What the page shows: the user's zone (`None`: UTC) and every zone they can choose.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Preferences {
    pub time_zone: Option<String>,
    pub zones: Vec<String>,
}

/// The signed-in user's preferences.
#[server(prefix = "/rpc", endpoint = "get_preferences")]
pub async fn get_preferences() -> Result<Preferences, AppError> {
    use super::server_ctx::signed_in;
    let (_, me) = signed_in().await?;
    Ok(Preferences {
        time_zone: me.time_zone,
        zones: crate::server::time_zone::names()
            .map(str::to_string)
            .collect(),
    })
}

/// Saves the user's time zone (an IANA name; empty for UTC).
#[server(prefix = "/rpc", endpoint = "save_time_zone")]
pub async fn save_time_zone(#[server(default)] time_zone: String) -> Result<(), AppError> {
    use super::server_ctx::signed_in;
    use crate::server::services::accounts::time_zone::set_time_zone;
    let (state, me) = signed_in().await?;
    let saved = set_time_zone(&state.db, me.id, &time_zone).await?;
    super::clock::remember(saved.as_deref());
    Ok(())
}

#[component]
pub fn PreferencesPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_preferences());
    let nonce = leptos::nonce::use_nonce();
    view! {
        <div class="mx-auto max-w-2xl space-y-4" data-testid="preferences">
            <h1 class="text-xl font-semibold">{tr("prefs-title")}</h1>
            <p class="text-sm text-slate-600">{tr("prefs-intro")}</p>
            <ErrorBanner testid="preferences-error" />
            <Suspense fallback=|| view! { <p class="text-sm text-slate-500" aria-busy="true">"…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <p role="alert" class="text-sm text-red-700">{e.to_string()}</p> }.into_any(),
                        Ok(p) => view! { <TimeZoneForm prefs=p /> }.into_any(),
                    }
                })}
            </Suspense>
            <section class="rounded-lg bg-white p-4 shadow-sm">
                <h2 class="mb-2 font-semibold">{tr("prefs-language")}</h2>
                <LanguagePicker class="text-slate-700" />
            </section>
            <super::access::ChangePasswordForm />
            <section class="rounded-lg bg-white p-4 shadow-sm">
                <h2 class="font-semibold">{tr("tfa-title")}</h2>
                <p class="mb-2 text-sm text-slate-600">{tr("tfa-intro")}</p>
                <a href="/preferences/two-factor" class="text-sm text-indigo-700 hover:underline" data-testid="two-factor-link">{tr("tfa-manage")}</a>
            </section>
            // Names the browser's own zone next to the select, so a user sees what to pick
            // (no `&`, `<` or `>` here: the text is escaped as HTML).
            <script nonce=nonce>
                "(function(){var z;try{z=Intl.DateTimeFormat().resolvedOptions().timeZone}catch(e){}\
                var el=document.querySelector('[data-browser-zone]');\
                if(z){if(el){el.textContent=el.dataset.browserZone.replace('{zone}',z);el.hidden=false}}})()"
            </script>
        </div>
    }
}

#[component]
fn TimeZoneForm(prefs: Preferences) -> impl IntoView {
    let current = prefs.time_zone.clone().unwrap_or_default();
    let select =
        "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";
    view! {
        <section class="rounded-lg bg-white p-4 shadow-sm">
            <form method="post" action=SaveTimeZone::PATH data-done=tr("prefs-saved") class="space-y-2" data-testid="time-zone-form">
                <label class="block text-sm font-medium" for="time-zone">{tr("prefs-time-zone")}</label>
                <select id="time-zone" name="time_zone" class=select data-testid="time-zone-select"
                    aria-describedby="time-zone-help">
                    <option value="" selected=current.is_empty()>{tr("prefs-time-zone-utc")}</option>
                    {prefs.zones.into_iter().map(|z| {
                        let selected = z == current;
                        view! { <option value=z.clone() selected=selected>{z.clone()}</option> }
                    }).collect_view()}
                </select>
                <p id="time-zone-help" class="text-xs text-slate-600">{tr("prefs-time-zone-help")}</p>
                <p class="text-xs text-slate-600" data-browser-zone=tr_args("prefs-browser-zone", &[("zone", "{zone}".into())]) hidden></p>
                <button type="submit" class="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700"
                    data-busy-label=tr("prefs-saving") data-testid="time-zone-save">{tr("prefs-save")}</button>
            </form>
        </section>
    }
}
