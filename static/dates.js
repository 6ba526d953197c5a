// A date field whose typed date the browser cannot read (2025-02-30, or half a date) is sent
// as empty: the server would then answer "required", or save an optional date as none at all.
// Send what the browser saw instead, a value no date has, so that the server answers
// "Invalid date: use YYYY-MM-DD." on that field (domain/dates.py, issue 10).
(function () {
  "use strict";
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      var fields = form.querySelectorAll('input[type="date"]');
      for (var i = 0; i < fields.length; i++) {
        var field = fields[i];
        if (field.name && field.validity && field.validity.badInput) {
          var marker = document.createElement("input");
          marker.type = "hidden";
          marker.name = field.name;
          marker.value = "unreadable";
          field.removeAttribute("name");
          form.appendChild(marker);
        }
      }
    },
    true
  );
})();
