// Live cart page (spec §13): follows the cart's events (GET /api/v1/carts/{id}/events, with the
// session cookie) and, when someone else changes the cart, swaps in the changed parts of the
// page (items and totals, name and note, comments, activity) without a reload, with a short
// highlight. Nothing the user is typing is thrown away: a part holding unsaved input is left as
// it is, and a notice offers to show the changes. A change of access reloads the page (the
// server shows what the new level allows). Without JavaScript the page works by reload.
//
// The preview and share pages follow their cart the same way (the parts they mark with
// data-live-region). Their status element says more (all optional):
//   data-live-poll="<seconds>": poll the page instead when there is no stream, or when the
//     stream fails again and again (blocked by a proxy, say): the re-read sends If-None-Match,
//     and the page answers 304 while nothing changed (storefront/live_pages.py);
//   data-live-ended="in-place": when the page no longer shows the cart (a revoked link's 410,
//     a 404 once access ended), its answer replaces the page's main part, with a banner;
//   data-live-by="<name>": who made the last change, named in the "Updated" notice (never on a
//     preview: spec §5, it names nobody); data-live-status: the cart's status, for the
//     "ordered" banner.
(function () {
  "use strict";
  // A part's markup without the cart version its forms carry: a new version alone is no change
  // to show (the forms get it below).
  function comparable(element) {
    var copy = element.cloneNode(true);
    copy.querySelectorAll("input[name=version]").forEach(function (field) { field.setAttribute("value", ""); });
    // Nor is the CSRF token, masked afresh in every answer (the old one stays valid).
    copy.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (field) { field.setAttribute("value", ""); });
    return copy.innerHTML;
  }

  // A choice made in a <select> but not sent yet (the first option when none is marked).
  function selectChanged(select) {
    var initial = 0;
    Array.prototype.forEach.call(select.options, function (option, index) {
      if (option.defaultSelected) initial = index;
    });
    return !select.multiple && select.options.length > 0 && select.selectedIndex !== initial;
  }

  function holdsInput(element) {
    if (element.contains(document.activeElement) && document.activeElement.matches("input, textarea, select")) {
      return true;
    }
    return Array.prototype.some.call(element.querySelectorAll("input, textarea, select"), function (field) {
      if (field.tagName === "SELECT") return selectChanged(field);
      if (field.type === "hidden" || field.type === "submit") return false;
      // Input the server refused as a conflict and handed back to resubmit: never replaced.
      if (field.hasAttribute("data-kept-input")) return true;
      if (field.type === "checkbox" || field.type === "radio") return field.checked !== field.defaultChecked;
      return field.value !== field.defaultValue;
    });
  }

  // The same rules for the share dialog over the cart page (share.js), which follows the cart
  // through this page's stream: the "live:changed" event below.
  window.cartshareLive = { comparable: comparable, holdsInput: holdsInput };

  var status = document.querySelector("[data-live-events], [data-live-poll]");
  if (!status || !window.fetch || !window.DOMParser) return;
  var version = status.getAttribute("data-live-version");
  // The cart page's own address: a page rendered by a refused form post (a conflict) sits at
  // the form's address, which cannot be fetched.
  var page = status.getAttribute("data-live-page") || window.location.href;
  // The words it shows, in the page's language: the status element's data-live-text-<name>
  // ({% live_words cart %}), with gettext's "%(name)s" placeholders.
  function t(name, values) {
    var text = status.getAttribute("data-live-text-" + name) || "";
    return text.replace(/%\((\w+)\)s/g, function (whole, key) {
      return values && key in values ? values[key] : whole;
    });
  }
  var leaving = false;
  var etag = null; // the page's ETag at the last re-read: polls send it as If-None-Match
  var poller = null, failures = 0;
  var MAX_FAILURES = 3; // stream errors in a row, without an open between them, before polling
  var ENDED_STATUSES = [403, 404, 410]; // the page no longer shows the cart (429, 5xx: later)
  var BANNER_KEY = "cartshare-live-banner";

  // Each part's markup as the server sent it (before other scripts enhanced it: live.js is
  // loaded before share.js), so that a part is swapped when the server's copy changed, not
  // because a script showed a button or a reader opened a <details> in it.
  var served = new WeakMap();

  function regions(root) {
    var found = {};
    root.querySelectorAll("[data-live-region]").forEach(function (element) {
      found[element.getAttribute("data-live-region")] = element;
    });
    return found;
  }

  function say(text, withButton) {
    status.textContent = text;
    if (withButton) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "secondary small";
      button.textContent = t("show-changes");
      button.addEventListener("click", function () { refresh(true); });
      status.appendChild(document.createTextNode(" "));
      status.appendChild(button);
    }
  }

  function refresh(force) {
    if (leaving) return Promise.resolve();
    // X-Live-Refresh: the page is rendered without its flash messages, which stay for the
    // next real page (base.html).
    var headers = { Accept: "text/html", "X-Live-Refresh": "1" };
    if (etag && !force) headers["If-None-Match"] = etag;
    return fetch(page, {
      credentials: "same-origin",
      cache: "no-store",
      headers: headers
    })
      .then(function (response) {
        if (response.status === 304) return null;
        if (!response.ok) return ended(response);
        etag = response.headers.get("ETag");
        return response.text();
      })
      .then(function (html) {
        if (html === null) return;
        var fresh = new DOMParser().parseFromString(html, "text/html");
        var next = fresh.querySelector("[data-live-events], [data-live-poll]");
        if (next) version = next.getAttribute("data-live-version");
        statusChanged(next);
        var now = regions(fresh), kept = false, changed = 0;
        Object.keys(regions(document)).forEach(function (name) {
          var old = regions(document)[name];
          var before = served.has(old) ? served.get(old) : comparable(old);
          if (!now[name] || before === comparable(now[name])) return;
          if (!force && holdsInput(old)) { kept = true; return; }
          var replacement = document.importNode(now[name], true);
          // Input handed back after a conflict survives "Show the changes" too.
          old.querySelectorAll("[data-kept-input]").forEach(function (field) {
            var twin = field.id && replacement.querySelector("#" + CSS.escape(field.id));
            if (twin) { twin.value = field.value; twin.setAttribute("data-kept-input", ""); }
          });
          served.set(replacement, comparable(now[name]));
          replacement.classList.add("live-changed");
          old.replaceWith(replacement);
          changed += 1;
          // Scripts that enhance markup (share.js) do so for the fresh part too.
          replacement.dispatchEvent(new CustomEvent("live:replaced", { bubbles: true }));
          window.setTimeout(function () { replacement.classList.remove("live-changed"); }, 2000);
        });
        document.querySelectorAll("[data-live-version]").forEach(function (element) {
          element.setAttribute("data-live-version", version);
        });
        document.querySelectorAll("input[name=version]").forEach(function (field) {
          if (!holdsInput(field.form || field)) field.value = version;
        });
        if (kept) say(t("input-kept"), true);
        else if (changed) say(changedText(next), false);
        // The cart changed (a new page, not a 304): the share dialog over it reads its own.
        document.dispatchEvent(new CustomEvent("live:changed"));
      })
      .catch(function () { /* the stream reconnects; the next event tries again */ });
  }

  // The "Updated" notice: who made the change, where the page may name them.
  function changedText(next) {
    var by = next && next.getAttribute("data-live-by");
    if (by) return t("updated-by", { name: by });
    if (next && next.hasAttribute("data-live-by")) return t("updated");
    return t("updated-by-someone");
  }

  // A banner above the status line (role=alert): ordered, a link revoked, my access changed.
  function banner(text, before) {
    var element = document.querySelector("[data-live-banner]");
    if (!element) {
      element = document.createElement("div");
      element.className = "banner live-banner";
      element.setAttribute("role", "alert");
      element.setAttribute("data-live-banner", "");
      var anchor = before || status;
      anchor.parentNode.insertBefore(element, anchor);
    }
    element.textContent = text;
    return element;
  }

  function statusChanged(next) {
    var now = next && next.getAttribute("data-live-status");
    var was = status.getAttribute("data-live-status");
    if (!now || !was || now === was) return;
    status.setAttribute("data-live-status", now);
    if (now === "ORDERED") banner(t("ordered"));
  }

  function stop() {
    leaving = true;
    if (source) source.close();
    if (poller) window.clearInterval(poller);
    poller = null;
  }

  // The page no longer shows the cart: in place (its answer, a 410 or 404 text, replaces the
  // main part, under a banner) where the page asks for it, else by a reload.
  function ended(response) {
    if (ENDED_STATUSES.indexOf(response.status) < 0) return null; // a passing fault: later
    if (status.getAttribute("data-live-ended") !== "in-place") {
      window.location.reload();
      return null;
    }
    var text = status.getAttribute("data-live-ended-text") || t("ended");
    stop();
    return response.text().then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html");
      var main = document.querySelector("main"), next = fresh.querySelector("main");
      if (!main || !next) { window.location.reload(); return null; }
      main.replaceChildren.apply(main, Array.prototype.map.call(next.childNodes, function (node) {
        return document.importNode(node, true);
      }));
      if (fresh.title) document.title = fresh.title;
      var notice = banner(text, main.firstElementChild || main.appendChild(document.createElement("div")));
      notice.classList.add("live-changed");
      return null;
    });
  }

  // My access changed: a new level reloads the page (the server shows what it allows) with a
  // banner saying so, in the words the reloaded page brings (they name the level it shows); no
  // access at all shows the page's answer (404) in place where the page asks for it, else
  // reloads.
  function accessChanged(event) {
    var access = JSON.parse(event.data).access;
    source.close();
    if (access === null && status.getAttribute("data-live-ended") === "in-place") {
      refresh(true);
      return;
    }
    if (access !== null) {
      try { window.sessionStorage.setItem(BANNER_KEY, "access-changed"); } catch (error) { /* no storage: no banner */ }
    }
    window.location.reload();
  }

  // The banner a reload was asked to show (accessChanged), once.
  function pendingBanner() {
    var key = null;
    try {
      key = window.sessionStorage.getItem(BANNER_KEY);
      window.sessionStorage.removeItem(BANNER_KEY);
    } catch (error) { return; }
    if (key && t(key)) banner(t(key));
  }

  // Polling, where no stream can be held: a re-read every few seconds while the tab is shown.
  function startPolling() {
    if (poller || leaving) return;
    var seconds = parseFloat(status.getAttribute("data-live-poll")) || 5;
    status.setAttribute("data-live-polling", "");
    poller = window.setInterval(function () { if (!document.hidden) refresh(false); }, seconds * 1000);
  }

  Object.keys(regions(document)).forEach(function (name) {
    var element = regions(document)[name];
    served.set(element, comparable(element));
  });

  var source = null;
  pendingBanner();
  if (!status.getAttribute("data-live-events") || !window.EventSource) {
    if (!status.hasAttribute("data-live-poll")) return;
    startPolling();
    document.addEventListener("submit", function () { leaving = true; });
    window.addEventListener("pagehide", function () { leaving = true; });
    return;
  }
  source = new EventSource(status.getAttribute("data-live-events"));
  source.addEventListener("open", function () { failures = 0; });
  source.addEventListener("error", function () {
    failures += 1;
    if (leaving || !status.hasAttribute("data-live-poll")) return;
    if (source.readyState === EventSource.CLOSED || failures >= MAX_FAILURES) {
      source.close();
      startPolling();
      refresh(false); // at once: what changed while the stream was failing
    }
  });
  // A preview link turned off (or expired, or its cart deleted): the page says so in place.
  source.addEventListener("link.revoked", function () { source.close(); refresh(true); });
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
    presence.textContent = others.length ? t("also-looking", { names: others.join(", ") }) : "";
  });
  source.addEventListener("access.changed", accessChanged);
  // Once a form is sent the page is on its way out: no refresh may race the next page.
  document.addEventListener("submit", function () { leaving = true; source.close(); });
  window.addEventListener("pagehide", function () { leaving = true; source.close(); });
})();
