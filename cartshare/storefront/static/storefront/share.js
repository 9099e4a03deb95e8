// Sharing: Copy buttons, QR codes on demand, the expiry date field, the Print button, and the
// share dialog. Progressive only: without JavaScript the link stays selectable in its read-only
// field, both expiry fields show, "QR code" opens the image, and "Share" opens the share page.
// With it, "Share" on the cart page opens that same page's content in a modal <dialog> (focus
// stays inside, Esc closes, #share in the address reopens it) whose forms post in place, and
// which follows the cart while open: when the cart page hears of a change (live.js's
// "live:changed"), the dialog re-reads the share page and swaps in its parts that differ, but
// never one holding the focus or unsent input, and says so in its own status line (the page's
// is behind the modal).
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
  var dialog = null, content = null, opener = null, live = null;
  var address = null; // the share page the dialog shows
  var etag = null; // its ETag at the last re-read: If-None-Match, 304 while nothing changed
  var served = new WeakMap(); // each part's markup as the server sent it (before enhance)

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
    // The dialog's own live region: what changed meanwhile, said where a screen reader is.
    live = document.createElement("p");
    live.className = "share-dialog-live muted";
    live.setAttribute("role", "status");
    live.setAttribute("aria-live", "polite");
    live.setAttribute("data-share-dialog-live", "");
    bar.appendChild(live);
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
        remember(content);
        enhance(content);
        dialog.scrollTop = scroll;
      });
    });
  }

  function parts(root) {
    var found = {};
    root.querySelectorAll("[data-live-region]").forEach(function (element) {
      found[element.getAttribute("data-live-region")] = element;
    });
    return found;
  }

  function remember(root) {
    var helpers = window.cartshareLive;
    if (!helpers) { return; }
    var found = parts(root);
    Object.keys(found).forEach(function (name) { served.set(found[name], helpers.comparable(found[name])); });
  }

  // The words of the share page's live status element (live_words), with live.js's placeholders.
  function words(fresh, name, values) {
    var element = fresh.querySelector("[data-live-events], [data-live-poll]");
    var text = (element && element.getAttribute("data-live-text-" + name)) || "";
    return text.replace(/%\((\w+)\)s/g, function (whole, key) {
      return values && key in values ? values[key] : whole;
    });
  }

  // Someone changed the cart: the open dialog's parts that differ, swapped in place.
  function follow() {
    var helpers = window.cartshareLive;
    if (!dialog || !dialog.open || !address || !helpers) { return; }
    var headers = { Accept: "text/html", "X-Live-Refresh": "1" };
    if (etag) { headers["If-None-Match"] = etag; }
    fetch(address, { credentials: "same-origin", cache: "no-store", headers: headers })
      .then(function (response) {
        if (response.status === 304 || !response.ok) { return null; } // gone: the page says so
        etag = response.headers.get("ETag");
        return response.text();
      })
      .then(function (html) {
        if (html === null || !dialog.open) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var body = fresh.querySelector("[data-share-dialog-body]");
        if (!body) { return; }
        var now = parts(body), old = parts(content), changed = 0, kept = false;
        Object.keys(old).forEach(function (name) {
          var part = old[name];
          var before = served.has(part) ? served.get(part) : helpers.comparable(part);
          if (!now[name] || before === helpers.comparable(now[name])) { return; }
          if (helpers.holdsInput(part)) { kept = true; return; } // focus and typing stay
          // Focus on a button or link of the part moves to its twin; one without an id stays.
          var focused = part.contains(document.activeElement) ? document.activeElement : null;
          if (focused && !focused.id) { return; }
          var replacement = document.importNode(now[name], true);
          served.set(replacement, helpers.comparable(now[name]));
          if (part.open) { replacement.open = true; } // an opened <details> stays open
          replacement.classList.add("live-changed");
          part.replaceWith(replacement);
          enhance(replacement);
          var twin = focused && replacement.querySelector("#" + CSS.escape(focused.id));
          if (twin) { twin.focus({ preventScroll: true }); }
          changed += 1;
          window.setTimeout(function () { replacement.classList.remove("live-changed"); }, 2000);
        });
        var status = fresh.querySelector("[data-live-events], [data-live-poll]");
        var by = status && status.getAttribute("data-live-by");
        if (kept) {
          live.textContent = words(fresh, "input-kept");
        } else if (changed) {
          live.textContent = by ? words(fresh, "updated-by", { name: by }) : words(fresh, "updated");
        }
      })
      .catch(function () { /* the next change tries again */ });
  }
  document.addEventListener("live:changed", follow);

  function open(url, from) {
    if (!dialog) { build(from); }
    opener = from;
    address = url;
    etag = null;
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
