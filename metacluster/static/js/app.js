// Metacluster's only script of its own: small progressive enhancements, no inline handlers
// (a Content-Security-Policy without 'unsafe-inline' is coming). Every page works without it.
document.documentElement.classList.add("js");
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("[data-submit-on-change]") && field.form) {
    field.form.submit();
  }
});
