//! The browser entry point: hydrate the server-rendered page. Nothing else lives here.

// The view types of whole pages are deeply nested generics.
#![recursion_limit = "512"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Lazy: pages split out of the main module are fetched before their part of the page
    // hydrates.
    leptos::mount::hydrate_lazy(app::App);
}
