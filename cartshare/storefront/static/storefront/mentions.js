// "@" suggestions in the comment box. Progressive only: without JavaScript, writing "@Bob Brandt"
// by hand mentions Bob just the same (the server finds the names in the text).
(function () {
  "use strict";

  function mentionBefore(textarea) {
    var before = textarea.value.slice(0, textarea.selectionStart);
    var found = /(?:^|\s)@([^\s@]{0,30}(?: [^\s@]{0,30})?)$/.exec(before);
    return found ? { query: found[1], start: before.length - found[1].length - 1 } : null;
  }

  document.querySelectorAll("textarea[data-mentions-url]").forEach(function (textarea) {
    var list = document.getElementById(textarea.id + "-mentions");
    if (!list) { return; }
    var asked = 0;

    function close() { list.hidden = true; list.textContent = ""; }

    function choose(name, mention) {
      var value = textarea.value;
      var end = textarea.selectionStart;
      textarea.value = value.slice(0, mention.start) + "@" + name + " " + value.slice(end);
      var caret = mention.start + name.length + 2;
      textarea.focus();
      textarea.setSelectionRange(caret, caret);
      close();
    }

    function show(names, mention) {
      list.textContent = "";
      names.forEach(function (name) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "link-button";
        button.setAttribute("role", "option");
        button.textContent = "@" + name;
        button.addEventListener("click", function () { choose(name, mention); });
        item.appendChild(button);
        list.appendChild(item);
      });
      list.hidden = names.length === 0;
    }

    textarea.addEventListener("input", function () {
      var mention = mentionBefore(textarea);
      if (!mention) { close(); return; }
      var ticket = ++asked;
      var url = textarea.getAttribute("data-mentions-url") + "?q=" + encodeURIComponent(mention.query);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (body) {
          if (ticket !== asked) { return; }
          show(body.results.map(function (entry) { return entry.name; }), mention);
        })
        .catch(close);
    });
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { close(); }
    });
  });
})();
