// imageconsole: small progressive enhancements; every page works without them.
// The CSP allows no inline script, so all behaviour lives here, wired by
// data attributes:
//   form[data-autosubmit]      submits when a field changes (region selector)
//   [data-confirm] on a submit button: asks in #confirm-dialog first
//   [data-dialog-open="id"]    opens <dialog id> as a modal; [data-dialog-close] closes it
//   dialog[data-open-on-load]  opens at once (a refused form shows its errors)
//   [data-toast]               dismisses itself; [data-toast-close] dismisses it now
//   details[data-menu]         closes on Escape and on a click elsewhere
//   [data-copy="id"]           copies the text of element id (data-copied: the "Copied" text)
//   link[rel=canonical]        the page's address with its region: put in the address bar
//   [role=tab]                 arrow keys move between the tabs of a tablist
(function () {
  "use strict";

  var FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), ' +
    'select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

  function visible(el) {
    return !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  }

  function focusables(root) {
    return Array.prototype.filter.call(root.querySelectorAll(FOCUSABLE), visible);
  }

  // --- Dialogs -------------------------------------------------------------
  // A modal <dialog> makes the rest of the page inert and closes on Escape;
  // on top of that, Tab wraps inside it and focus goes back where it was.
  var openers = new WeakMap();

  function openDialog(dialog, opener) {
    if (!dialog || dialog.open) { return; }
    openers.set(dialog, opener || document.activeElement);
    dialog.showModal();
    var first = dialog.querySelector('[aria-invalid="true"]') ||
      focusables(dialog).filter(function (el) { return !el.hasAttribute("data-dialog-close"); })[0];
    if (first) { first.focus(); }
  }

  document.addEventListener("close", function (e) {
    var dialog = e.target;
    if (!(dialog instanceof HTMLDialogElement)) { return; }
    var opener = openers.get(dialog);
    openers.delete(dialog);
    if (opener && document.contains(opener) && opener.focus) { opener.focus(); }
  }, true);

  document.addEventListener("keydown", function (e) {
    if (e.key !== "Tab") { return; }
    var dialog = document.querySelector("dialog[open]");
    if (!dialog || !dialog.matches(":modal")) { return; }
    var items = focusables(dialog);
    if (items.length === 0) { e.preventDefault(); return; }
    var first = items[0], last = items[items.length - 1];
    if (e.shiftKey && (document.activeElement === first || !dialog.contains(document.activeElement))) {
      e.preventDefault(); last.focus();
    } else if (!e.shiftKey && (document.activeElement === last || !dialog.contains(document.activeElement))) {
      e.preventDefault(); first.focus();
    }
  });

  document.addEventListener("click", function (e) {
    var t = e.target.closest ? e.target : null;
    if (!t) { return; }
    var open = t.closest("[data-dialog-open]");
    if (open) {
      openDialog(document.getElementById(open.getAttribute("data-dialog-open")), open);
      return;
    }
    var close = t.closest("[data-dialog-close]");
    if (close) {
      var d = close.closest("dialog");
      if (d && d.open) { d.close(); }
      return;
    }
    // A click on the backdrop (the dialog element itself) closes it.
    if (t instanceof HTMLDialogElement && t.open && t.matches(":modal")) {
      var r = t.getBoundingClientRect();
      if (e.clientX < r.left || e.clientX > r.right || e.clientY < r.top || e.clientY > r.bottom) { t.close(); }
    }
  });

  // --- Confirmations -------------------------------------------------------
  // A submit button with data-confirm asks first; confirming submits the
  // same form with the same button (htmx forms included).
  var confirmed = new WeakSet();
  var pending = null;

  document.addEventListener("submit", function (e) {
    var btn = e.submitter;
    var msg = btn && btn.getAttribute("data-confirm");
    if (!msg) { return; }
    if (confirmed.has(btn)) { confirmed.delete(btn); return; }
    var dialog = document.getElementById("confirm-dialog");
    if (!dialog || typeof dialog.showModal !== "function") {
      if (!window.confirm(msg)) { e.preventDefault(); e.stopImmediatePropagation(); }
      return;
    }
    e.preventDefault();
    e.stopImmediatePropagation();
    pending = { form: e.target, button: btn };
    dialog.querySelector("#confirm-message").textContent = msg;
    var ok = dialog.querySelector("[data-confirm-ok]");
    ok.textContent = (btn.textContent || "Confirm").trim();
    openDialog(dialog, btn);
    ok.focus();
  }, true);

  document.addEventListener("click", function (e) {
    if (!e.target.closest || !e.target.closest("[data-confirm-ok]") || !pending) { return; }
    var p = pending;
    pending = null;
    document.getElementById("confirm-dialog").close();
    confirmed.add(p.button);
    if (p.form.requestSubmit) { p.form.requestSubmit(p.button); } else { p.form.submit(); }
  });

  // --- Auto-submitting forms (the region selector) --------------------------
  document.addEventListener("change", function (e) {
    var form = e.target.closest && e.target.closest("form[data-autosubmit]");
    if (form) { form.requestSubmit ? form.requestSubmit() : form.submit(); }
  });

  // --- Toasts ----------------------------------------------------------------
  function dismiss(toast) {
    if (!toast || toast.hasAttribute("data-leaving")) { return; }
    toast.setAttribute("data-leaving", "");
    setTimeout(function () {
      var region = toast.closest(".toast-region");
      (region || toast).remove();
    }, 220);
  }

  function startToast(toast) {
    var timer = null;
    function arm() { clearTimeout(timer); timer = setTimeout(function () { dismiss(toast); }, 6000); }
    toast.addEventListener("mouseenter", function () { clearTimeout(timer); });
    toast.addEventListener("mouseleave", arm);
    toast.addEventListener("focusin", function () { clearTimeout(timer); });
    toast.addEventListener("focusout", arm);
    arm();
  }

  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest("[data-toast-close]");
    if (btn) { dismiss(btn.closest("[data-toast]")); }
  });

  // The flash message belongs to this one page view: drop it from the URL
  // so a reload or a bookmark does not repeat it.
  function dropFlashParam() {
    var url = new URL(window.location.href);
    if (!url.searchParams.has("flash")) { return; }
    url.searchParams.delete("flash");
    history.replaceState(history.state, "", url.pathname + url.search + url.hash);
  }

  // A page whose URL named no region showed the session's: put the address
  // with that region in the address bar, so a copied link shows the same.
  function canonicalURL() {
    var link = document.querySelector('link[rel="canonical"]');
    if (!link) { return; }
    var url = new URL(link.href, window.location.href);
    if (url.origin !== window.location.origin || url.pathname !== window.location.pathname) { return; }
    history.replaceState(history.state, "", url.pathname + url.search + window.location.hash);
  }

  // --- Menus (<details>) ---------------------------------------------------
  function closeMenus(except) {
    document.querySelectorAll("details[data-menu][open]").forEach(function (d) {
      if (d !== except) { d.removeAttribute("open"); }
    });
  }

  document.addEventListener("click", function (e) {
    var inside = e.target.closest && e.target.closest("details[data-menu]");
    closeMenus(inside);
  });

  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") { return; }
    var open = document.querySelector("details[data-menu][open]");
    if (open) {
      open.removeAttribute("open");
      var summary = open.querySelector("summary");
      if (summary) { summary.focus(); }
    }
  });

  // --- Copy buttons ----------------------------------------------------------
  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest("[data-copy]");
    if (!btn) { return; }
    var el = document.getElementById(btn.getAttribute("data-copy"));
    if (el && navigator.clipboard) {
      navigator.clipboard.writeText(el.textContent.trim()).then(function () {
        btn.lastChild.textContent = " " + (btn.getAttribute("data-copied") || "Copied");
      });
    }
  });

  // --- Tabs: arrow keys, Home and End move along the tablist ---------------------
  document.addEventListener("keydown", function (e) {
    var tab = e.target.closest && e.target.closest('[role="tab"]');
    if (!tab) { return; }
    var tabs = Array.prototype.slice.call(tab.closest('[role="tablist"]').querySelectorAll('[role="tab"]'));
    var i = tabs.indexOf(tab), next = null;
    if (e.key === "ArrowRight") { next = tabs[(i + 1) % tabs.length]; }
    if (e.key === "ArrowLeft") { next = tabs[(i - 1 + tabs.length) % tabs.length]; }
    if (e.key === "Home") { next = tabs[0]; }
    if (e.key === "End") { next = tabs[tabs.length - 1]; }
    if (next) { e.preventDefault(); next.focus(); }
  });

  // --- Start-up -----------------------------------------------------------------
  function init(root) {
    root.querySelectorAll("[data-toast]").forEach(startToast);
    var d = root.querySelector("dialog[data-open-on-load]");
    if (d) { openDialog(d, null); return; }
    // A refused form: take the keyboard to the first field to fix.
    var invalid = root.querySelector('main [aria-invalid="true"]');
    if (invalid && visible(invalid)) { invalid.focus(); }
  }

  function ready() {
    dropFlashParam();
    canonicalURL();
    init(document);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();

// --- Copy buttons for IDs (views/components/copy.templ) -----------------------
// A button with data-copied copies the text of its data-copy target and says
// so in the page's language; it runs before the generic copy handler above
// (capture phase) and stops it, which would write an English "Copied" over
// the icon.
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest("[data-copy][data-copied]");
    if (!btn) { return; }
    e.stopPropagation();
    var el = document.getElementById(btn.getAttribute("data-copy"));
    var label = btn.querySelector("[data-copy-label]");
    if (!el || !navigator.clipboard) { return; }
    navigator.clipboard.writeText(el.textContent.trim()).then(function () {
      var before = label ? label.textContent : "";
      btn.setAttribute("data-copy-done", "");
      btn.title = btn.getAttribute("data-copied");
      if (label) { label.textContent = btn.getAttribute("data-copied"); }
      setTimeout(function () {
        btn.removeAttribute("data-copy-done");
        if (label) { label.textContent = before; btn.title = before; }
      }, 2000);
    });
  }, true);
})();
