// imageconsole: small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // Region selector and other [data-autosubmit] forms submit on change.
  document.addEventListener("change", function (e) {
    var form = e.target.closest && e.target.closest("form[data-autosubmit]");
    if (form) { form.requestSubmit ? form.requestSubmit() : form.submit(); }
  });
  // Buttons with data-confirm ask before submitting their form.
  document.addEventListener("submit", function (e) {
    var msg = e.submitter && e.submitter.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { e.preventDefault(); e.stopImmediatePropagation(); }
  }, true);
  // Copy buttons copy the text of their target.
  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest("[data-copy]");
    if (!btn) { return; }
    var el = document.getElementById(btn.getAttribute("data-copy"));
    if (el && navigator.clipboard) {
      navigator.clipboard.writeText(el.textContent.trim()).then(function () { btn.textContent = "Copied"; });
    }
  });
})();
