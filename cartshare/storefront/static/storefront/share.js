// Sharing: Copy buttons, QR codes on demand, the expiry date field, the Print button, and the
// share dialog. Progressive only: without JavaScript the link stays selectable in its read-only
// field, both expiry fields show, "QR code" opens the image, and "Share" opens the share page.
// With it, "Share" on the cart page opens that same page's content in a modal <dialog> (focus
// stays inside, Esc closes, #share in the address reopens it) whose forms post in place.
(function () {
  "use strict";

  // The words it shows come with the markup it acts on, in the page's language: the copy
  // button's data-copied-text and data-copy-by-hand-text, the Share link's data-share-close-text.
  function copyFrom(input, status, button) {
    function done(text) { if (status) { status.textContent = text; } }
    input.focus();
    input.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(
        function () { done(button.getAttribute("data-copied-text")); },
        function () { done(button.getAttribute("data-copy-by-hand-text")); }
      );
    } else {
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
      done(button.getAttribute(copied ? "data-copied-text" : "data-copy-by-hand-text"));
    }
  }

  function toggleQr(link) {
    var target = link.closest("div").parentElement.querySelector("[data-qr-target]");
    if (!target) { return false; }
    if (!target.hidden) {
      target.hidden = true;
      link.setAttribute("aria-expanded", "false");
      return true;
    }
    if (!target.firstChild) {
      var image = document.createElement("img");
      image.src = link.href;
      image.alt = link.textContent.trim();
      image.width = 148;
      image.height = 148;
      target.appendChild(image);
    }
    target.hidden = false;
    link.setAttribute("aria-expanded", "true");
    return true;
  }

  // Everything that needs a script inside `root` (the page, or the dialog's fresh content).
  function enhance(root) {
    root.querySelectorAll("button[data-copy]").forEach(function (button) {
      var input = document.getElementById(button.getAttribute("data-copy"));
      if (!input) { return; }
      var status = button.closest("div").parentElement.querySelector(".copy-status");
      button.hidden = false;
      button.addEventListener("click", function () { copyFrom(input, status, button); });
    });
    root.querySelectorAll("a[data-qr]").forEach(function (link) {
      link.setAttribute("role", "button");
      link.addEventListener("click", function (event) {
        if (toggleQr(link)) { event.preventDefault(); }
      });
      link.addEventListener("keydown", function (event) {  // a button answers Space too
        if (event.key === " " && toggleQr(link)) { event.preventDefault(); }
      });
    });
    root.querySelectorAll("input[readonly][id^='share-url-']").forEach(function (input) {
      input.addEventListener("focus", function () { input.select(); });
    });
    root.querySelectorAll("button[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
    root.querySelectorAll("[data-expiry]").forEach(function (fields) {
      var select = fields.querySelector("[data-expiry-select]");
      var dateField = fields.querySelector("[data-expiry-date]");
      if (!select || !dateField) { return; }
      function sync() { dateField.hidden = select.value !== "date"; }
      select.addEventListener("change", sync);
      sync();
    });
    // A level changes as soon as it is chosen; the Change button is for pages without script.
    root.querySelectorAll("form[data-share-level]").forEach(function (form) {
      var select = form.querySelector("select");
      var button = form.querySelector("button[type=submit]");
      if (!select || !button || !form.requestSubmit) { return; }
      button.hidden = true;
      select.addEventListener("change", function () { form.requestSubmit(); });
    });
    // The server takes an undo for a few seconds; the button goes when it would be refused.
    root.querySelectorAll("form[data-share-undo]").forEach(function (form) {
      window.setTimeout(function () { form.hidden = true; }, 9000);
    });
  }

  enhance(document);
  // live.js swapped in a fresh copy of a part (the share page following its cart).
  document.addEventListener("live:replaced", function (event) { enhance(event.target); });

  // --- The share dialog over the cart page ---------------------------------------------------
  if (!window.HTMLDialogElement || !window.fetch || !window.DOMParser) { return; }
  var dialog = null, content = null, opener = null;

  function build(from) {
    dialog = document.createElement("dialog");
    dialog.className = "share-dialog";
    dialog.setAttribute("aria-labelledby", "share-dialog-title");
    var close = document.createElement("button");
    close.type = "button";
    close.className = "share-dialog-close secondary small";
    close.textContent = from.getAttribute("data-share-close-text");
    close.addEventListener("click", function () { dialog.close(); });
    content = document.createElement("div");
    content.className = "share-dialog-content";
    var bar = document.createElement("div");
    bar.className = "share-dialog-bar";
    bar.appendChild(close);
    dialog.appendChild(bar);
    dialog.appendChild(content);
    document.body.appendChild(dialog);
    dialog.addEventListener("close", function () {
      if (window.location.hash === "#share") {
        history.replaceState(null, "", window.location.pathname + window.location.search);
      }
      if (opener && document.contains(opener)) { opener.focus(); }
    });
    // Forms post in place; the stopped event keeps live.js from taking it for leaving the page.
    dialog.addEventListener("submit", function (event) {
      var form = event.target;
      if ((form.method || "").toLowerCase() !== "post") { return; }
      event.preventDefault();
      event.stopPropagation();
      var next = form.querySelector("input[name=next]");
      var place = next && next.value.indexOf("#") >= 0 ? next.value.split("#")[1] : null;
      var focused = document.activeElement && document.activeElement.id;
      var data = new FormData(form);
      if (event.submitter && event.submitter.name) { data.append(event.submitter.name, event.submitter.value); }
      var target = event.submitter && event.submitter.getAttribute("formaction") || form.action;
      load(target, { method: "POST", body: data }).then(function () {
        var again = (focused && document.getElementById(focused)) || (place && document.getElementById(place));
        var section = place && document.getElementById(place);
        if (section) { section.scrollIntoView({ block: "nearest" }); }
        if (again && dialog.contains(again)) { again.focus({ preventScroll: true }); }
      });
    });
  }

  function load(url, options) {
    var init = { credentials: "same-origin", headers: { Accept: "text/html" } };
    if (options) { init.method = options.method; init.body = options.body; }
    return fetch(url, init).then(function (response) {
      return response.text().then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var body = fresh.querySelector("[data-share-dialog-body]");
        if (!body) { window.location.assign(response.url || url); return; }
        var scroll = dialog.scrollTop;
        content.innerHTML = "";
        var status = document.createElement("div");
        status.setAttribute("role", "status");
        status.className = "share-dialog-status";
        var messages = fresh.querySelector(".messages");
        if (messages) { status.appendChild(document.importNode(messages, true)); }
        content.appendChild(status);
        Array.prototype.forEach.call(body.childNodes, function (node) {
          content.appendChild(document.importNode(node, true));
        });
        content.querySelectorAll(".share-back").forEach(function (element) { element.remove(); });
        enhance(content);
        dialog.scrollTop = scroll;
      });
    });
  }

  function open(url, from) {
    if (!dialog) { build(from); }
    opener = from;
    return load(url).then(function () {
      if (!dialog.open) { dialog.showModal(); }
      if (window.location.hash !== "#share") { history.replaceState(null, "", "#share"); }
      var title = document.getElementById("share-dialog-title");
      if (title) { title.setAttribute("tabindex", "-1"); title.focus(); }
    }).catch(function () { window.location.assign(url); });
  }

  // Delegated: live.js may swap the summary for a fresh copy.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-share-open]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    event.preventDefault();
    open(link.href, link);
  });
  var first = document.querySelector("a[data-share-open]");
  if (first && window.location.hash === "#share") { open(first.href, first); }
})();
