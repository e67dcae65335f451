// imageconsole: the colour scheme. Loaded in <head> before the styles (the
// CSP allows no inline script), so the page never flashes in the wrong
// scheme. The choice (light, dark, or the system's) is kept in
// localStorage: html.light or html.dark overrides the system's
// prefers-color-scheme, and neither follows it. Without JavaScript the
// switch is hidden and the system's scheme applies.
(function () {
  "use strict";
  var KEY = "ic-theme";

  function stored() {
    try { return localStorage.getItem(KEY) || "system"; } catch (e) { return "system"; }
  }

  function apply(choice) {
    var cl = document.documentElement.classList;
    cl.remove("light", "dark");
    if (choice === "light" || choice === "dark") { cl.add(choice); }
  }

  apply(stored());

  document.addEventListener("change", function (e) {
    var sel = e.target;
    if (!sel.matches || !sel.matches("select[data-theme-select]")) { return; }
    try { localStorage.setItem(KEY, sel.value); } catch (err) { /* private mode: this page only */ }
    apply(sel.value);
    document.querySelectorAll("select[data-theme-select]").forEach(function (s) { s.value = sel.value; });
  });

  // Another tab changed the theme: follow it.
  window.addEventListener("storage", function (e) {
    if (e.key === KEY) { apply(stored()); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var choice = stored();
    document.querySelectorAll("select[data-theme-select]").forEach(function (s) { s.value = choice; });
  });
})();
