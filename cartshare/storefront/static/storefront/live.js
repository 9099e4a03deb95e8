// Live cart page (spec §13): follows the cart's events (GET /api/v1/carts/{id}/events, with the
// session cookie) and, when someone else changes the cart, swaps in the changed parts of the
// page (items and totals, name and note, comments, activity) without a reload, with a short
// highlight. Nothing the user is typing is thrown away: a part holding unsaved input is left as
// it is, and a notice offers to show the changes. A change of access reloads the page (the
// server shows what the new level allows). Without JavaScript the page works by reload.
(function () {
  "use strict";
  var status = document.querySelector("[data-live-events]");
  if (!status || !window.EventSource || !window.fetch || !window.DOMParser) return;
  var version = status.getAttribute("data-live-version");
  // The cart page's own address: a page rendered by a refused form post (a conflict) sits at
  // the form's address, which cannot be fetched.
  var page = status.getAttribute("data-live-page") || window.location.href;
  var leaving = false;

  function regions(root) {
    var found = {};
    root.querySelectorAll("[data-live-region]").forEach(function (element) {
      found[element.getAttribute("data-live-region")] = element;
    });
    return found;
  }

  // A part's markup without the cart version its forms carry: a new version alone is no change
  // to show (the forms get it below).
  function comparable(element) {
    var copy = element.cloneNode(true);
    copy.querySelectorAll("input[name=version]").forEach(function (field) { field.setAttribute("value", ""); });
    return copy.innerHTML;
  }

  function holdsInput(element) {
    if (element.contains(document.activeElement) && document.activeElement.matches("input, textarea, select")) {
      return true;
    }
    return Array.prototype.some.call(element.querySelectorAll("input, textarea"), function (field) {
      if (field.type === "hidden" || field.type === "submit") return false;
      // Input the server refused as a conflict and handed back to resubmit: never replaced.
      if (field.hasAttribute("data-kept-input")) return true;
      if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
      return field.value !== field.defaultValue;
    });
  }

  function say(text, withButton) {
    status.textContent = text;
    if (withButton) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "secondary small";
      button.textContent = "Show the changes";
      button.addEventListener("click", function () { refresh(true); });
      status.appendChild(document.createTextNode(" "));
      status.appendChild(button);
    }
  }

  function refresh(force) {
    if (leaving) return Promise.resolve();
    // X-Live-Refresh: the page is rendered without its flash messages, which stay for the
    // next real page (base.html).
    return fetch(page, {
      credentials: "same-origin",
      headers: { Accept: "text/html", "X-Live-Refresh": "1" }
    })
      .then(function (response) {
        if (!response.ok) { window.location.reload(); return null; }
        return response.text();
      })
      .then(function (html) {
        if (html === null) return;
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var next = fresh.querySelector("[data-live-events]");
        if (next) version = next.getAttribute("data-live-version");
        var now = regions(fresh), kept = false, changed = 0;
        Object.keys(regions(document)).forEach(function (name) {
          var old = regions(document)[name];
          if (!now[name] || comparable(old) === comparable(now[name])) return;
          if (!force && holdsInput(old)) { kept = true; return; }
          var replacement = document.importNode(now[name], true);
          // Input handed back after a conflict survives "Show the changes" too.
          old.querySelectorAll("[data-kept-input]").forEach(function (field) {
            var twin = field.id && replacement.querySelector("#" + CSS.escape(field.id));
            if (twin) { twin.value = field.value; twin.setAttribute("data-kept-input", ""); }
          });
          replacement.classList.add("live-changed");
          old.replaceWith(replacement);
          changed += 1;
          window.setTimeout(function () { replacement.classList.remove("live-changed"); }, 2000);
        });
        document.querySelectorAll("[data-live-version]").forEach(function (element) {
          element.setAttribute("data-live-version", version);
        });
        document.querySelectorAll("input[name=version]").forEach(function (field) {
          if (!holdsInput(field.form || field)) field.value = version;
        });
        if (kept) say("Someone changed this cart while you were typing; your input is kept.", true);
        else if (changed) say("Updated just now: someone else changed this cart.", false);
      })
      .catch(function () { /* the stream reconnects; the next event tries again */ });
  }

  var source = new EventSource(status.getAttribute("data-live-events"));
  // Every change (items, name, comments, activity): the parts that differ are swapped in; our
  // own change, which the page already shows, changes nothing.
  source.addEventListener("cart.changed", function () { refresh(false); });
  var presence = document.querySelector("[data-live-presence]");
  source.addEventListener("presence", function (event) {
    if (!presence) return;
    var me = presence.getAttribute("data-me");
    var others = JSON.parse(event.data).viewers.filter(function (viewer) {
      return String(viewer.id) !== me;
    }).map(function (viewer) { return viewer.name; });
    presence.textContent = others.length ? "Also looking at this cart now: " + others.join(", ") : "";
  });
  source.addEventListener("access.changed", function () {
    source.close();
    window.location.reload();
  });
  // Once a form is sent the page is on its way out: no refresh may race the next page.
  document.addEventListener("submit", function () { leaving = true; source.close(); });
  window.addEventListener("pagehide", function () { leaving = true; source.close(); });
})();
