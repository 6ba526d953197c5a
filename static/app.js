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
  // <form data-forget-offline> (logging out): the copies of stocktake pages kept for use
  // without a network (static/stocktake-sw.js) name who was logged in, so they go first.
  // Scans still waiting to be sent stay: they are the count, not the page.
  document.querySelectorAll("form[data-forget-offline]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.caches) {
        return;
      }
      event.preventDefault();
      var leave = function () { form.submit(); };
      window.caches.delete("stocktakes-v1").then(leave, leave);
    });
  });
  // <input type="file" data-max-bytes="N" data-too-large="Message">: a file over the limit
  // is refused here, before the form is sent, so that what was typed stays in the form (the
  // server would answer a request that large with an error page instead).
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    input.addEventListener("change", function () {
      var limit = Number(input.getAttribute("data-max-bytes"));
      var tooLarge = Array.prototype.some.call(input.files || [], function (file) {
        return file.size > limit;
      });
      input.setCustomValidity(tooLarge ? input.getAttribute("data-too-large") : "");
      if (tooLarge) {
        input.reportValidity();
      }
    });
  });
})();
