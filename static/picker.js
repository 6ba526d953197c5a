// Searchable menus: a <select data-picker> becomes a text field that filters its options as
// one types (every word must match, in any order), with the list below it (the ARIA 1.2
// combobox pattern: arrow keys, Enter, Escape; a tap picks). The <select> stays in the form,
// hidden, and holds the value: without this script the page keeps its plain menu. The options
// come from the server in Swedish order, numbers by value (domain/ordering.py).
(function () {
  "use strict";
  var MAX_SHOWN = 60;

  function fold(text) {
    return text.toLocaleLowerCase("sv").replace(/\s+/g, " ").trim();
  }

  function enhance(select, n) {
    var options = Array.prototype.filter.call(select.options, function (o) { return o.value !== ""; });
    var placeholder = Array.prototype.find.call(select.options, function (o) { return o.value === ""; });
    var id = select.id || "picker-" + n;
    var listId = id + "-options";
    var input = document.createElement("input");
    var list = document.createElement("ul");
    var wrapper = document.createElement("div");
    var active = -1;
    var shown = [];

    select.id = id + "-menu";
    select.hidden = true;
    select.tabIndex = -1;
    wrapper.className = "picker";
    input.type = "text";
    input.id = id;
    input.className = select.className.replace(/\bform-select(-\w+)?\b/g, "form-control") + " picker-input";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.autocomplete = "off";
    input.placeholder = placeholder ? placeholder.text : "";
    // The browser checks the visible field; a hidden required <select> it cannot focus would
    // block the form without a word. The server checks the value either way.
    var required = select.required;
    if (required) { input.required = true; select.required = false; }
    ["aria-describedby", "aria-invalid", "aria-label"].forEach(function (name) {
      if (select.hasAttribute(name)) { input.setAttribute(name, select.getAttribute(name)); }
    });
    list.id = listId;
    list.className = "picker-list list-group";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    var label = document.querySelector('label[for="' + id + '"]');
    if (label) {
      label.id = label.id || id + "-label";
      list.setAttribute("aria-labelledby", label.id);
    }
    select.parentNode.insertBefore(wrapper, select);
    wrapper.appendChild(input);
    wrapper.appendChild(list);
    wrapper.appendChild(select);

    function chosenText() {
      var o = select.options[select.selectedIndex];
      return o && o.value !== "" ? o.text : "";
    }
    input.value = chosenText();

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function mark(index) {
      var items = list.children;
      if (active >= 0 && items[active]) { items[active].classList.remove("active"); items[active].setAttribute("aria-selected", "false"); }
      active = index;
      if (index >= 0 && items[index]) {
        items[index].classList.add("active");
        items[index].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open(all) {
      var words = all ? [] : fold(input.value).split(" ").filter(Boolean);
      shown = options.filter(function (o) {
        var text = fold(o.text);
        return words.every(function (w) { return text.indexOf(w) !== -1; });
      });
      list.textContent = "";
      shown.slice(0, MAX_SHOWN).forEach(function (o, i) {
        var li = document.createElement("li");
        li.id = listId + "-" + i;
        li.className = "list-group-item list-group-item-action picker-option";
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = o.text;
        li.addEventListener("mousedown", function (e) { e.preventDefault(); });
        li.addEventListener("click", function () { choose(o); });
        list.appendChild(li);
      });
      if (shown.length === 0) {
        var none = document.createElement("li");
        none.className = "list-group-item text-body-secondary";
        none.textContent = select.getAttribute("data-none");
        list.appendChild(none);
      } else if (shown.length > MAX_SHOWN) {
        var more = document.createElement("li");
        more.className = "list-group-item text-body-secondary small";
        more.textContent = select.getAttribute("data-more").replace("%(num)s", String(shown.length));
        list.appendChild(more);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    function choose(option) {
      var changed = select.value !== option.value;
      select.value = option.value;
      input.value = option.text;
      close();
      if (changed) { select.dispatchEvent(new Event("change", { bubbles: true })); }
    }

    input.addEventListener("input", function () { open(false); });
    input.addEventListener("focus", function () { input.select(); });
    input.addEventListener("click", function () { if (list.hidden) { open(true); } });
    input.addEventListener("keydown", function (e) {
      var count = Math.min(shown.length, MAX_SHOWN);
      if (e.key === "ArrowDown") {
        e.preventDefault();
        if (list.hidden) { open(!input.value || input.value === chosenText()); }
        mark(Math.min(active + 1, count - 1));
      } else if (e.key === "ArrowUp") {
        e.preventDefault();
        mark(Math.max(active - 1, 0));
      } else if (e.key === "Enter" && !list.hidden) {
        e.preventDefault();
        if (active >= 0) { choose(shown[active]); } else if (count === 1) { choose(shown[0]); }
      } else if (e.key === "Escape" && !list.hidden) {
        e.preventDefault();
        input.value = chosenText();
        close();
      }
    });
    function settle() {
      // What was typed must name an option exactly; otherwise the chosen one stays.
      var typed = fold(input.value);
      var exact = options.find(function (o) { return fold(o.text) === typed; });
      if (exact) { choose(exact); } else if (!typed && !required) {
        if (select.value !== "") { select.value = ""; select.dispatchEvent(new Event("change", { bubbles: true })); }
      } else { input.value = chosenText(); }
      close();
    }
    input.addEventListener("blur", settle);
    // Enter with the list closed sends the form: what was typed is settled first.
    if (input.form) { input.form.addEventListener("submit", settle, true); }
    select.addEventListener("change", function () { input.value = chosenText(); });
  }

  document.querySelectorAll("select[data-picker]").forEach(enhance);
})();
