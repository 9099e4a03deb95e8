// Checkout: a second click on "Place order" while the first is on its way would only earn an
// "already ordered" page, so the button is disabled once the form is sent. Works without it.
(function () {
  "use strict";
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) {
        event.preventDefault();
        return;
      }
      form.dataset.sent = "1";
      var button = form.querySelector("button[type=submit]");
      if (button) {
        button.setAttribute("aria-disabled", "true");
        button.textContent = button.dataset.busyText || button.textContent;
      }
    });
  });
})();
