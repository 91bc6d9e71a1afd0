//! How the page comes alive: the wasm module is fetched only once the server's HTML has
//! painted, so on a slow phone network the first paint never shares the line with half a
//! megabyte of code, and the page (which works without it) is readable at once.
//!
//! It stands in for Leptos's `HydrationScripts`, which preloads the module (and the chunks of
//! lazy pages) from the document's head, racing the stylesheet for bandwidth. Lazy pages fetch
//! their chunk when the router hydrates them instead.

use leptos::prelude::*;

/// The module script that loads `/pkg/<name>.js` and its wasm after the first paint, then
/// hydrates in a task of its own (so instantiating and hydrating are two shorter tasks).
#[component]
pub fn Hydration(options: LeptosOptions) -> impl IntoView {
    let pkg = format!("/{}", options.site_pkg_dir);
    let js = options.output_name.to_string();
    // cargo-leptos names the wasm after the output; a plain wasm-bindgen build adds `_bg`.
    let wasm = if option_env!("LEPTOS_OUTPUT_NAME").is_some() {
        js.clone()
    } else {
        format!("{js}_bg")
    };
    // An animation frame runs just before the page paints (and only while it is shown); a
    // task queued from it runs after that paint.
    let script = format!(
        "requestAnimationFrame(() => setTimeout(() => \
           import('{pkg}/{js}.js').then((m) => m.default({{ module_or_path: '{pkg}/{wasm}.wasm' }})\
             .then(() => setTimeout(() => m.hydrate(), 0))), 0));"
    );
    view! { <script type="module" nonce=leptos::nonce::use_nonce()>{script}</script> }
}
