// Site-wide behaviour. Loaded as a file: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // The language switch submits as soon as a language is chosen; its button stays for
  // keyboard users and for browsers without script.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });

  // Send Django's CSRF token with every htmx request.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) {
      event.detail.headers["X-CSRFToken"] = token.value;
    }
  });

  // Ask before destructive actions: a button or link with data-confirm="question", or a form
  // with it (asked when it is submitted). Listening in the capture phase runs before htmx and
  // before the browser follows the link or submits the form; Enter and Space on a button
  // arrive here as clicks too.
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (!target || target.tagName === "FORM") { return; }
    if (!window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    if (!form.hasAttribute || !form.hasAttribute("data-confirm")) { return; }
    if (submitter && submitter.hasAttribute("data-confirm")) { return; }  // asked on click
    if (!window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // A filter form that loads a whole page (form[data-loading]) shows its spinner (the same
  // .htmx-indicator an htmx form uses) until the next page arrives; coming back to the page
  // from the browser's history shows it idle again.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.hasAttribute || !form.hasAttribute("data-loading")) { return; }
    form.classList.add("htmx-request");
    form.setAttribute("aria-busy", "true");
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-loading].htmx-request").forEach(function (form) {
      form.classList.remove("htmx-request");
      form.removeAttribute("aria-busy");
    });
  });

  // Print buttons (dashboards).
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // A table box that scrolls sideways (a wide table on a phone) can be reached with the
  // keyboard and scrolled with the arrow keys, and is named for screen readers.
  function scrollableTables(root) {
    (root || document).querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        if (!box.hasAttribute("tabindex")) {
          box.setAttribute("tabindex", "0");
          box.setAttribute("data-portal-scroll", "");
        }
        if (!box.hasAttribute("role")) { box.setAttribute("role", "region"); }
        if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
          var caption = box.querySelector("caption");
          var heading = caption ? null : previousHeading(box);
          var name = (caption || heading || {}).textContent;
          if (name) { box.setAttribute("aria-label", name.trim()); }
        }
      } else if (box.hasAttribute("data-portal-scroll")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-portal-scroll");
      }
    });
  }
  function previousHeading(node) {
    for (var el = node; el && el !== document.body; el = el.parentElement) {
      for (var sib = el.previousElementSibling; sib; sib = sib.previousElementSibling) {
        if (/^H[1-6]$/.test(sib.tagName)) { return sib; }
        var inner = sib.querySelectorAll("h1, h2, h3, h4, h5, h6");
        if (inner.length) { return inner[inner.length - 1]; }
      }
    }
    return null;
  }
  scrollableTables();
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(function () { scrollableTables(); }, 150);
  });

  // After htmx swaps in new content: tell screen readers what changed (the element marked
  // data-live-announce, e.g. the number of results), and check the new tables.
  var live = document.getElementById("live-region");
  document.body.addEventListener("htmx:afterSettle", function (event) {
    scrollableTables();
    var swapped = event.target;
    var message = swapped.matches && swapped.matches("[data-live-announce]")
      ? swapped : swapped.querySelector && swapped.querySelector("[data-live-announce]");
    if (live && message) {
      live.textContent = "";
      window.setTimeout(function () { live.textContent = message.textContent.trim(); }, 50);
    }
  });
  // While htmx works, the region it will replace says it is busy.
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var target = event.detail && event.detail.target;
    if (target) { target.setAttribute("aria-busy", "true"); }
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var target = event.detail && event.detail.target;
    if (target && target.isConnected) { target.removeAttribute("aria-busy"); }
  });
})();
