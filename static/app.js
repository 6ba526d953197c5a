// Behaviour the pages share, kept out of the HTML: the Content-Security-Policy allows no
// inline scripts or event handlers.
(function () {
  "use strict";
  // <form data-confirm="Question?">: submitted only once the question is answered yes.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });
})();
