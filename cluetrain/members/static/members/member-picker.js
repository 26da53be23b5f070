// Suggestions while typing a member's name (templates/members/_member_picker.html).
// Progressive: without this script the form still works, the server offers the matches.
// Each input[data-member-lookup] becomes an ARIA combobox fed by the API's member lookup;
// choosing a person writes "@username", which the server resolves exactly.
(function () {
  "use strict";
  var MIN_LETTERS = 2;
  var PAUSE_MS = 200;

  function enhance(input) {
    var url = input.getAttribute("data-member-lookup");
    var list = document.createElement("ul");
    list.id = input.id + "-suggestions";
    list.className = "member-suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");

    var timer = null;
    var asked = 0; // the number of the latest request: older answers are dropped
    var active = -1;

    function options() {
      return list.querySelectorAll("[role=option]");
    }

    function close() {
      list.hidden = true;
      list.textContent = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var all = options();
      if (!all.length) return;
      active = (index + all.length) % all.length;
      all.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", all[active].id);
    }

    function choose(option) {
      input.value = "@" + option.getAttribute("data-username");
      close();
      // A server-side list of matches for the old text no longer applies.
      var form = input.form;
      if (form) {
        form.querySelectorAll('input[name="' + input.name + '_pick"]').forEach(function (r) {
          r.checked = false;
        });
      }
      input.focus();
    }

    function show(items) {
      list.textContent = "";
      active = -1;
      items.forEach(function (person, i) {
        var option = document.createElement("li");
        option.id = list.id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-username", person.username);
        var name = document.createElement("span");
        name.textContent = person.name;
        var handle = document.createElement("span");
        handle.className = "muted small";
        handle.textContent = " @" + person.username;
        option.appendChild(name);
        option.appendChild(handle);
        // mousedown, not click: it comes before the input loses focus and closes the list.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(option);
        });
        list.appendChild(option);
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
    }

    function ask() {
      var text = input.value.trim().replace(/^@/, "");
      if (text.length < MIN_LETTERS) {
        close();
        return;
      }
      var number = ++asked;
      fetch(url + "?q=" + encodeURIComponent(text), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : { items: [] };
        })
        .then(function (body) {
          if (number === asked) show(body.items || []);
        })
        .catch(function () {
          // Offline or refused: the form still works without suggestions.
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, PAUSE_MS);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault(); // choose the person, do not send the form yet
        choose(options()[active]);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", close);
  }

  function start() {
    document.querySelectorAll("input[data-member-lookup]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
