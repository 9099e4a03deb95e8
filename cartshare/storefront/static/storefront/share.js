// Share links: Copy buttons, the Print button and the expiry date field. Progressive only: without
// JavaScript the link stays selectable in its read-only field and both expiry fields show.
(function () {
  "use strict";

  function copyFrom(input, status) {
    function done(text) { if (status) { status.textContent = text; } }
    input.focus();
    input.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(
        function () { done("Link copied."); },
        function () { done("Press Ctrl+C (or ⌘C) to copy the selected link."); }
      );
    } else {
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
      done(copied ? "Link copied." : "Press Ctrl+C (or ⌘C) to copy the selected link.");
    }
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("data-copy"));
    if (!input) { return; }
    var status = button.closest("div").parentElement.querySelector(".copy-status");
    button.hidden = false;
    button.addEventListener("click", function () { copyFrom(input, status); });
  });

  document.querySelectorAll("input[readonly][id^='share-url-']").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });

  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  document.querySelectorAll("[data-expiry]").forEach(function (fields) {
    var select = fields.querySelector("[data-expiry-select]");
    var dateField = fields.querySelector("[data-expiry-date]");
    if (!select || !dateField) { return; }
    function sync() { dateField.hidden = select.value !== "date"; }
    select.addEventListener("change", sync);
    sync();
  });
})();
