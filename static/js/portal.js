// Site-wide behaviour. Loaded as a file: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";

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
})();

// Ask before destructive actions: any submit button or link with data-confirm.
document.addEventListener("click", function (event) {
  var target = event.target.closest("[data-confirm]");
  if (target && !window.confirm(target.getAttribute("data-confirm"))) {
    event.preventDefault();
    event.stopPropagation();
  }
});

// Print buttons (dashboards).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
