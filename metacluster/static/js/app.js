// The little behaviour the pages need, without inline scripts or event handlers, so that the
// Content-Security-Policy can forbid both (script-src 'self').
(function () {
  "use strict";

  // Styles for enhanced widgets apply only when this script runs.
  document.documentElement.classList.add("js");

  function ready(run) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
    else run();
  }

  // <select data-submit-on-change>: choosing an option submits its form (a <noscript> button
  // does it without JavaScript).
  // <form data-selects-submit>: choosing an option in any of its selects submits it as its
  // submit button would, so that htmx (which listens for the submit) swaps the results in.
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-submit-on-change]") && field.form) {
      field.form.submit();
    } else if (field.tagName === "SELECT" && field.form && field.form.matches("[data-selects-submit]")) {
      field.form.requestSubmit();
    }
  });

  // <form data-confirm="Question?">: asks before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  }, true);

  ready(function () {
    // Indicator form: show only the settings of the chosen kind; without JavaScript all are
    // shown and the server ignores the ones that do not belong to the kind.
    var kind = document.querySelector("fieldset.definition") && document.getElementById("id_kind");
    if (kind) {
      var show = function () {
        document.querySelectorAll("fieldset.definition").forEach(function (group) {
          group.hidden = group.dataset.kind !== kind.value;
        });
      };
      kind.addEventListener("change", show);
      show();
    }

    // Testbed calendar: each slot's button books for the company and purpose chosen above.
    var company = document.getElementById("booking-company");
    var purposeField = document.getElementById("booking-purpose");
    if (company && purposeField) {
      document.querySelectorAll("form.book").forEach(function (form) {
        form.addEventListener("submit", function () {
          form.querySelector("[name=company]").value = company.value;
          var purpose = document.createElement("input");
          purpose.type = "hidden";
          purpose.name = "purpose";
          purpose.value = purposeField.value;
          form.appendChild(purpose);
        });
      });
    }
  });
})();
